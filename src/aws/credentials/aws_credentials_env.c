/* The environment provider: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, as botocore reads them. */
#include <stdlib.h>

#include "il/aws/credentials.h"

/* Empty counts as unset, as in botocore: `export AWS_ACCESS_KEY_ID=` is how people switch a source off. */
static const char *s_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

static enum il_status s_env_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                struct il_buf *why) {
    (void)provider;
    const char *id = s_env("AWS_ACCESS_KEY_ID");
    const char *secret = s_env("AWS_SECRET_ACCESS_KEY");
    const char *token = s_env("AWS_SESSION_TOKEN");
    if (token == NULL) {
        token = s_env("AWS_SECURITY_TOKEN"); /* the legacy name botocore still honours */
    }
    if (id == NULL) {
        IL_TRY(il_buf_puts(why, secret ? "AWS_ACCESS_KEY_ID is not set (AWS_SECRET_ACCESS_KEY is)"
                                       : "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"));
        return IL_ERR_NOTFOUND;
    }
    if (secret == NULL) {
        IL_TRY(il_buf_puts(why, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both or neither"));
        return IL_ERR_CREDENTIALS;
    }
    enum il_status status = il_credentials_new(id, secret, token, 0, out);
    if (status == IL_ERR_INVALID) {
        /* say which variable, never what it holds */
        IL_TRY(il_buf_puts(why, "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN holds characters "
                                "credentials cannot have (spaces, control characters, '/' or ',' in the key id)"));
        return IL_ERR_CREDENTIALS;
    }
    return status;
}

static const struct il_credentials_provider_vtable s_env_vtable = {
    .name = "environment",
    .get = s_env_get,
    .destroy = NULL,
};

struct il_credentials_provider *il_credentials_provider_env_new(void) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    if (provider == NULL) {
        return NULL;
    }
    provider->vtable = &s_env_vtable;
    provider->impl = NULL;
    return provider;
}
