/* whoami: the chain's credentials, then GetCallerIdentity signed with exactly them (il/aws/whoami.h). */
#include "il/aws/whoami.h"

#include <stdlib.h>
#include <string.h>

#include "il/aws/error.h"

static enum il_status s_call(struct il_credentials *creds, const struct il_aws_whoami_opts *opts,
                             struct il_aws_whoami *out, enum il_aws_whoami_step *step, struct il_buf *why) {
    struct il_credentials_provider *fixed = il_credentials_provider_static_new(creds, il_credentials_source(creds));
    struct il_aws_client *client = NULL;
    struct il_aws_client_config cfg = {
        .region = opts->region,
        .endpoints = {.endpoint_url = opts->endpoint_url},
        .credentials = fixed,
        .settings = opts->settings,
        .debug_fn = opts->debug_fn,
        .debug_ctx = opts->debug_ctx,
    };
    *step = IL_AWS_WHOAMI_CLIENT;
    enum il_status st = fixed ? il_aws_client_new(&cfg, &client, why) : IL_ERR_NOMEM;
    if (st == IL_OK) {
        struct il_aws_error err;
        il_aws_error_init(&err);
        *step = IL_AWS_WHOAMI_CALL;
        st = il_sts_get_caller_identity(client, &out->identity, &err);
        if (st != IL_OK) {
            il_buf_reset(why);
            if (il_aws_error_describe(&err, why) != IL_OK) {
                il_buf_reset(why);
            }
        }
        il_aws_error_release(&err);
    }
    il_aws_client_free(client);
    il_credentials_provider_free(fixed);
    return st;
}

enum il_status il_aws_whoami_take(struct il_credentials_provider *chain, const struct il_aws_whoami_opts *opts,
                                  struct il_aws_whoami *out, enum il_aws_whoami_step *step, struct il_buf *why) {
    struct il_credentials *creds = NULL;
    memset(out, 0, sizeof(*out));
    *step = IL_AWS_WHOAMI_CREDENTIALS;
    enum il_status st = il_credentials_provider_get(chain, &creds, why);
    if (st == IL_OK) {
        const char *source = il_credentials_source(creds);
        out->source = source ? il_strdup(source) : NULL;
        out->temporary = il_credentials_session_token(creds) != NULL;
        st = source && !out->source ? IL_ERR_NOMEM : s_call(creds, opts, out, step, why);
    }
    if (st == IL_OK) {
        struct il_buf desc;
        il_buf_init(&desc, 0);
        *step = IL_AWS_WHOAMI_DESCRIBE;
        st = il_credentials_describe(creds, &desc);
        out->description = st == IL_OK ? il_strdup(il_buf_cstr(&desc)) : NULL;
        st = st == IL_OK && out->description == NULL ? IL_ERR_NOMEM : st;
        il_buf_release(&desc);
    }
    if (st == IL_OK) {
        *step = IL_AWS_WHOAMI_DONE;
    }
    il_credentials_free(creds);
    il_credentials_provider_free(chain);
    return st;
}

void il_aws_whoami_release(struct il_aws_whoami *w) {
    if (w == NULL) {
        return;
    }
    il_sts_identity_release(&w->identity);
    free(w->source);
    free(w->description);
    memset(w, 0, sizeof(*w));
}
