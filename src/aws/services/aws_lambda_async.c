/* Lambda calls queued on a client and finished inside il_aws_client_run(): one heap call each, released (with the
 * partial result on failure) before the completion callback returns. */
#include <stdlib.h>
#include <string.h>

#include "aws/services/aws_lambda_internal.h"
#include "il/aws/lambda.h"

enum s_async_kind { S_ASYNC_LIST, S_ASYNC_TAGS, S_ASYNC_GET };

struct s_async {
    struct il_aws_call call; /* first member: the engine hands back &async->call */
    enum s_async_kind kind;
    struct il_lambda_list_ctx list;
    struct il_lambda_get_ctx get;
    struct il_tag_list *tags;
    il_aws_complete_fn done;
    void *done_ctx;
};

static void s_async_done(struct il_aws_call *call) {
    struct s_async *a = (struct s_async *)call;
    if (call->error.status != IL_OK) {
        if (a->kind == S_ASYNC_LIST) {
            il_lambda_function_list_release(a->list.out);
        } else if (a->kind == S_ASYNC_TAGS) {
            il_tag_list_release(a->tags);
        } else {
            il_lambda_function_release(a->get.fn);
            il_tag_list_release(a->get.tags);
            *a->get.found = 0;
        }
    }
    a->done(a->done_ctx, &call->error);
    il_aws_call_release(call);
    free(a);
}

static enum il_status s_async_submit(struct s_async *a, enum il_status st, il_aws_complete_fn done, void *ctx) {
    a->done = done;
    a->done_ctx = ctx;
    a->call.on_done = s_async_done;
    return il_aws_call_submit_owned(&a->call, st);
}

enum il_status il_lambda_list_functions_start(struct il_aws_client *client, size_t max_functions,
                                              struct il_lambda_function_list *out, il_aws_complete_fn done, void *ctx) {
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    memset(out, 0, sizeof(*out));
    a->kind = S_ASYNC_LIST;
    a->list = (struct il_lambda_list_ctx){.out = out, .max = max_functions};
    return s_async_submit(a, il_lambda_list_init(&a->call, client, &a->list), done, ctx);
}

enum il_status il_lambda_list_functions_stream_start(struct il_aws_client *client, size_t max_functions,
                                                     il_lambda_functions_fn on_functions, void *fn_ctx,
                                                     il_aws_complete_fn done, void *ctx) {
    if (on_functions == NULL) {
        return IL_ERR_INVALID;
    }
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    a->kind = S_ASYNC_LIST;
    a->list = (struct il_lambda_list_ctx){.max = max_functions, .on_functions = on_functions, .fn_ctx = fn_ctx};
    return s_async_submit(a, il_lambda_list_init(&a->call, client, &a->list), done, ctx);
}

enum il_status il_lambda_list_tags_start(struct il_aws_client *client, const char *arn, struct il_tag_list *out,
                                         il_aws_complete_fn done, void *ctx) {
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    memset(out, 0, sizeof(*out));
    a->kind = S_ASYNC_TAGS;
    a->tags = out;
    return s_async_submit(a, il_lambda_tags_init(&a->call, client, arn, out), done, ctx);
}

enum il_status il_lambda_get_function_start(struct il_aws_client *client, const char *name_or_arn, int *found,
                                            struct il_lambda_function *out, struct il_tag_list *tags,
                                            il_aws_complete_fn done, void *ctx) {
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    *found = 0;
    if (out) {
        memset(out, 0, sizeof(*out));
    }
    if (tags) {
        memset(tags, 0, sizeof(*tags));
    }
    a->kind = S_ASYNC_GET;
    a->get = (struct il_lambda_get_ctx){.found = found, .fn = out, .tags = tags};
    return s_async_submit(a, il_lambda_get_init(&a->call, client, name_or_arn, &a->get), done, ctx);
}
