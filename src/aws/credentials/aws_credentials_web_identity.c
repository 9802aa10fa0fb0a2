/*
 * The web identity provider (how GitHub Actions OIDC reaches AWS): AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
 * [+ AWS_ROLE_SESSION_NAME] through STS AssumeRoleWithWebIdentity, sent unsigned. The token file is read on every
 * get() because CI runners rotate it; that also makes the client's refresh-before-expiry re-read it. The token is a
 * credential: it is wiped after use and never appears in a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/credentials/aws_credentials_web_identity.h"
#include "il/aws/client.h"
#include "il/aws/credentials.h"
#include "il/aws/sts.h"
#include "il/crypto.h"

#define IL_WEB_IDENTITY_TOKEN_MAX ((size_t)64 << 10) /* OIDC JWTs are a few KiB */

static const char *s_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

enum il_status il_web_identity_exchange(const char *token_file, const char *role_arn, const char *session_name,
                                        const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                        struct il_buf *why) {
    char *token = NULL;
    size_t token_len = 0;
    char session[64];
    struct il_aws_client *client = NULL;
    struct il_sts_assumed assumed = {0};
    struct il_aws_error err;
    il_aws_error_init(&err);
    struct il_buf reason;
    il_buf_init(&reason, 2048);
    enum il_status st = il_read_file(token_file, IL_WEB_IDENTITY_TOKEN_MAX, &token, &token_len);
    if (st != IL_OK) {
        il_buf_say(why, "cannot read the web identity token file %s (%s)", token_file,
                   st == IL_ERR_NOTFOUND ? "no such file" : il_status_str(st));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    while (token_len > 0 && (token[token_len - 1] == '\n' || token[token_len - 1] == '\r' ||
                             token[token_len - 1] == ' ' || token[token_len - 1] == '\t')) {
        token[--token_len] = '\0';
    }
    if (token_len == 0 || memchr(token, '\0', token_len) != NULL) {
        il_buf_say(why, "the web identity token file %s is empty or not text", token_file);
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    if (session_name == NULL) {
        (void)snprintf(session, sizeof(session), "inspector-ledger-%lld", (long long)time(NULL));
        session_name = session;
    }
    /* no credentials provider: AssumeRoleWithWebIdentity is sent unsigned; STS region (else us-east-1, the global
     * endpoint's home, as botocore) and endpoint as the settings and environment say */
    if ((st = il_sts_client_new(sts, NULL, &client, &reason)) != IL_OK) {
        il_buf_say(why, "%s", reason.len ? il_buf_cstr(&reason) : il_status_str(st));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    struct il_sts_assume_role_params params = {
        .role_arn = role_arn,
        .session_name = session_name,
        .web_identity_token = token,
    };
    st = il_sts_assume_role_with_web_identity(client, &params, &assumed, &err);
    if (st != IL_OK) {
        il_buf_reset(&reason);
        if (il_aws_error_describe(&err, &reason) != IL_OK) {
            il_buf_reset(&reason);
        }
        il_buf_say(why, "sts AssumeRoleWithWebIdentity for %s failed: %s", role_arn,
                   reason.len ? il_buf_cstr(&reason) : il_status_str(st));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    *out = assumed.credentials;
    assumed.credentials = NULL;
cleanup:
    if (token != NULL) {
        il_crypto_cleanse(token, token_len);
        free(token);
    }
    il_sts_assumed_release(&assumed);
    il_aws_error_release(&err);
    il_aws_client_free(client);
    il_buf_release(&reason);
    return st;
}

static enum il_status s_web_identity_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                         struct il_buf *why) {
    const struct il_sts_settings_copy *sts = provider->impl; /* --endpoint-url, --debug; may be empty */
    const char *token_file = s_env("AWS_WEB_IDENTITY_TOKEN_FILE");
    const char *role_arn = s_env("AWS_ROLE_ARN");
    if (token_file == NULL) {
        il_buf_say(why, "AWS_WEB_IDENTITY_TOKEN_FILE is not set");
        return IL_ERR_NOTFOUND;
    }
    if (role_arn == NULL) {
        /* botocore's InvalidConfigError: a token without a role is a half-configured source */
        il_buf_say(why, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
        return IL_ERR_CREDENTIALS;
    }
    return il_web_identity_exchange(token_file, role_arn, s_env("AWS_ROLE_SESSION_NAME"), sts, out, why);
}

static void s_web_identity_destroy(struct il_credentials_provider *provider) {
    il_sts_settings_release(provider->impl);
    free(provider->impl);
    provider->impl = NULL;
}

static const struct il_credentials_provider_vtable s_web_identity_vtable = {
    .name = "web-identity",
    .get = s_web_identity_get,
    .destroy = s_web_identity_destroy,
};

struct il_credentials_provider *il_credentials_provider_web_identity_new_with(const struct il_sts_settings *sts) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    struct il_sts_settings_copy *impl = calloc(1, sizeof(*impl));
    if (provider == NULL || impl == NULL || il_sts_settings_copy(impl, sts) != IL_OK) {
        free(provider);
        free(impl);
        return NULL;
    }
    provider->vtable = &s_web_identity_vtable;
    provider->impl = impl;
    return provider;
}

struct il_credentials_provider *il_credentials_provider_web_identity_new(void) {
    return il_credentials_provider_web_identity_new_with(NULL);
}
