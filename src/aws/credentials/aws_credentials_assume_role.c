/*
 * The assume-role provider: STS AssumeRole signed with the credentials a source provider supplies (a profile's
 * source_profile or credential_source, or whatever the default chain found for --role-arn). The STS client is made
 * for each AssumeRole, like the web identity provider's, so the provider can be asked from inside another client's
 * run (a refresh happens while requests are queued) without touching that client's queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/credentials/aws_credentials_sts.h"
#include "il/aws/assume_role.h"
#include "il/aws/sts.h"

struct il_assume_role_impl {
    struct il_credentials_provider *source;
    char *role_arn;
    char *external_id;
    char *session_name;
    char *source_name;
    int duration_seconds;
    struct il_sts_settings_copy sts;
    struct il_credentials *source_creds; /* kept while fresh: a credential_process or inner role is not re-run */
};

static int s_fresh(const struct il_credentials *creds) {
    int64_t exp = creds ? il_credentials_expiration(creds) : 0;
    return creds != NULL && (exp == 0 || exp - (int64_t)time(NULL) >= IL_CREDENTIALS_REFRESH_MARGIN_S);
}

/* The source's credentials, reused while fresh. *reused tells whether they came from the cache. */
static enum il_status s_source(struct il_assume_role_impl *impl, int *reused, struct il_buf *why) {
    *reused = s_fresh(impl->source_creds);
    if (*reused) {
        return IL_OK;
    }
    il_credentials_free(impl->source_creds);
    impl->source_creds = NULL;
    struct il_buf reason;
    il_buf_init(&reason, 4096);
    enum il_status st = il_credentials_provider_get(impl->source, &impl->source_creds, &reason);
    if (st != IL_OK) {
        /* a role whose source has nothing is a broken configuration, not a source to skip */
        il_buf_say(why, "no source credentials to assume %s with: %s", impl->role_arn, il_buf_cstr(&reason));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
    }
    il_buf_release(&reason);
    return st;
}

/* Codes that mean the source credentials themselves are stale or revoked: worth one retry with fresh ones. */
static int s_source_expired(const struct il_aws_error *err) {
    static const char *const codes[] = {"ExpiredToken", "ExpiredTokenException", "RequestExpired",
                                        "InvalidClientTokenId"};
    for (size_t i = 0; err->code != NULL && i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (strcmp(err->code, codes[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static enum il_status s_assume_once(struct il_assume_role_impl *impl, struct il_sts_assumed *assumed,
                                    struct il_aws_error *err, struct il_buf *why) {
    char session[64];
    const char *session_name = impl->session_name;
    if (session_name == NULL) {
        /* botocore's default is botocore-session-<unix time>; ours names the tool in CloudTrail */
        (void)snprintf(session, sizeof(session), "inspector-ledger-%lld", (long long)time(NULL));
        session_name = session;
    }
    struct il_sts_assume_role_params params = {
        .role_arn = impl->role_arn,
        .session_name = session_name,
        .external_id = impl->external_id,
        .duration_seconds = impl->duration_seconds,
    };
    struct il_aws_client *client = NULL;
    struct il_credentials_provider *fixed =
        il_credentials_provider_static_new(impl->source_creds, il_credentials_source(impl->source_creds));
    enum il_status st = fixed ? il_sts_client_new(&impl->sts, fixed, &client, why) : IL_ERR_NOMEM;
    if (st == IL_OK) {
        il_sts_trace(&impl->sts, "[aws] assume-role: assuming %s (session %s) with credentials from %s", impl->role_arn,
                     session_name, il_credentials_source(impl->source_creds));
        st = il_sts_assume_role(client, &params, assumed, err);
    }
    il_aws_client_free(client);
    il_credentials_provider_free(fixed);
    return st;
}

static enum il_status s_assume_role_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                        struct il_buf *why) {
    struct il_assume_role_impl *impl = provider->impl;
    struct il_sts_assumed assumed = {0};
    struct il_aws_error err;
    il_aws_error_init(&err);
    struct il_buf reason;
    il_buf_init(&reason, 4096);
    int reused = 0;
    enum il_status st = s_source(impl, &reused, why);
    if (st == IL_OK) {
        st = s_assume_once(impl, &assumed, &err, why);
        if (st != IL_OK && reused && s_source_expired(&err)) {
            /* the kept source credentials were revoked or expired early: fetch them again, once */
            il_credentials_free(impl->source_creds);
            impl->source_creds = NULL;
            il_aws_error_release(&err);
            il_aws_error_init(&err);
            st = s_source(impl, &reused, why);
            if (st == IL_OK) {
                st = s_assume_once(impl, &assumed, &err, why);
            }
        }
        if (st != IL_OK && err.status != IL_OK) {
            if (il_aws_error_describe(&err, &reason) != IL_OK) {
                il_buf_reset(&reason);
            }
            /* the description names the call, the role, the AWS error; add whose credentials signed it */
            il_buf_say(why, "%s (signed with credentials from %s)",
                       reason.len ? il_buf_cstr(&reason) : il_status_str(st),
                       impl->source_creds ? il_credentials_source(impl->source_creds) : "the source");
        }
        if (st != IL_OK) {
            st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        }
    }
    if (st == IL_OK) {
        il_buf_reset(&reason);
        if (impl->source_name != NULL) {
            st = il_buf_puts(&reason, impl->source_name);
        } else {
            st = il_buf_printf(&reason, "assume-role (source: %s)", il_credentials_source(impl->source_creds));
        }
        if (st == IL_OK) {
            st = il_credentials_set_source(assumed.credentials, il_buf_cstr(&reason));
        }
    }
    if (st == IL_OK) {
        *out = assumed.credentials;
        assumed.credentials = NULL;
    }
    il_sts_assumed_release(&assumed);
    il_aws_error_release(&err);
    il_buf_release(&reason);
    return st;
}

static void s_assume_role_destroy(struct il_credentials_provider *provider) {
    struct il_assume_role_impl *impl = provider->impl;
    if (impl != NULL) {
        il_credentials_provider_free(impl->source);
        il_credentials_free(impl->source_creds);
        free(impl->role_arn);
        free(impl->external_id);
        free(impl->session_name);
        free(impl->source_name);
        il_sts_settings_release(&impl->sts);
        free(impl);
    }
    provider->impl = NULL;
}

static const struct il_credentials_provider_vtable s_assume_role_vtable = {
    .name = "assume-role",
    .get = s_assume_role_get,
    .destroy = s_assume_role_destroy,
};

static int s_dup(char **dst, const char *src) {
    *dst = src ? il_strdup(src) : NULL;
    return src == NULL || *dst != NULL;
}

struct il_credentials_provider *
il_credentials_provider_assume_role_new_take(struct il_credentials_provider *source,
                                             const struct il_assume_role_options *options) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    struct il_assume_role_impl *impl = calloc(1, sizeof(*impl));
    if (provider == NULL || impl == NULL || source == NULL || options == NULL || options->role_arn == NULL) {
        free(impl);
        goto cleanup;
    }
    provider->vtable = &s_assume_role_vtable;
    provider->impl = impl;
    impl->source = source;
    source = NULL;
    impl->duration_seconds = options->duration_seconds;
    if (!s_dup(&impl->role_arn, options->role_arn) || !s_dup(&impl->external_id, options->external_id) ||
        !s_dup(&impl->session_name, options->session_name) || !s_dup(&impl->source_name, options->source_name) ||
        il_sts_settings_copy(&impl->sts, &options->sts) != IL_OK) {
        goto cleanup;
    }
    return provider;
cleanup:
    il_credentials_provider_free(provider);
    il_credentials_provider_free(source);
    return NULL;
}
