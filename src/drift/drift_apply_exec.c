/* Carrying out apply's plan: Lambda TagResource / UntagResource per change (il/drift/apply_exec.h). */
#include "il/drift/apply_exec.h"

#include <stdlib.h>

#include "il/aws/error.h"
#include "il/aws/lambda.h"
#include "il/buf.h"

/* One change with a client for the function's account and region; the reason of a failure goes to @p why. */
static enum il_status s_execute(struct il_aws_client *root, const struct il_apply_action *a, struct il_buf *why) {
    struct il_aws_client *client = NULL;
    struct il_aws_error err;
    il_aws_error_init(&err);
    enum il_status st = il_aws_client_derive(root, a->region, NULL, a->account, &client, why);
    if (st == IL_OK) {
        if (a->kind == IL_APPLY_TAG) {
            /* struct il_tag owns mutable strings elsewhere; here it only borrows two static ones */
            char *key = il_strdup(a->key), *value = il_strdup(a->value);
            struct il_tag tag = {.key = key, .value = value};
            st = key && value ? il_lambda_tag_resource(client, a->arn, &tag, 1, &err) : IL_ERR_NOMEM;
            free(key);
            free(value);
        } else {
            const char *keys[] = {a->key};
            st = il_lambda_untag_resource(client, a->arn, keys, 1, &err);
        }
        if (st != IL_OK && il_aws_error_describe(&err, why) != IL_OK) {
            il_buf_reset(why);
        }
    }
    il_aws_error_release(&err);
    il_aws_client_free(client);
    return st;
}

enum il_status il_apply_execute(struct il_aws_client *root, const struct il_apply_action *actions, size_t count,
                                il_apply_done_fn done, void *ctx, size_t *failed) {
    *failed = 0;
    for (size_t i = 0; i < count; i++) {
        struct il_buf why;
        il_buf_init(&why, 2048);
        enum il_status st = s_execute(root, &actions[i], &why);
        *failed += st != IL_OK;
        if (done != NULL) {
            done(ctx, &actions[i], st, st == IL_OK ? "" : why.len ? il_buf_cstr(&why) : il_status_str(st));
        }
        il_buf_release(&why);
    }
    return IL_OK;
}
