/*
 * The AWS set-up every AWS command shares: the run's settings, the credentials provider built from the options
 * (--profile, --endpoint-url, --role-arn, --external-id, --role-session-name, --debug), the client, the home region and
 * whoami's identity, so whoami, check, apply and report --live find credentials and build clients the same way (check
 * and report --live through il_cli_collect_run() in cli_aws.c). The only CLI files that call src/aws are cli_aws*.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_aws.h"
#include "il/aws/endpoint.h"

/* STS's own limits, checked here so a typo is a usage error rather than an AWS ValidationError. */
static int s_role_arn_ok(const char *arn) {
    size_t len = strlen(arn);
    return len >= 20 && len <= 2048 && strncmp(arn, "arn:", 4) == 0 && strstr(arn, ":role/") != NULL;
}

static int s_session_name_ok(const char *name) {
    size_t len = strlen(name);
    if (len < 2 || len > 64) {
        return 0;
    }
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_+=,.@-", c);
        if (!ok) {
            return 0;
        }
    }
    return 1;
}

/* Loaded once per process and kept (reachable from this static): every client and STS call of the run borrows it. */
static struct il_aws_settings s_settings;
static int s_settings_loaded;

enum il_status il_cli_settings(const char *profile, unsigned max_attempts, il_aws_debug_fn debug_fn, void *debug_ctx,
                               const struct il_aws_settings **out, struct il_buf *why) {
    *out = NULL;
    if (!s_settings_loaded) {
        struct il_aws_settings_flags flags = {.profile = profile, .max_attempts = max_attempts};
        enum il_status st = il_aws_settings_load(&flags, &s_settings, why);
        if (st != IL_OK) {
            il_aws_settings_release(&s_settings);
            return st;
        }
        s_settings_loaded = 1;
        il_aws_settings_trace(&s_settings, debug_fn, debug_ctx);
    }
    *out = &s_settings;
    return IL_OK;
}

enum il_status il_cli_credentials_new(const struct il_cli_creds *o, struct il_credentials_provider **out,
                                      struct il_buf *why) {
    *out = NULL;
    if (o->role_arn != NULL && !s_role_arn_ok(o->role_arn)) {
        IL_TRY(il_buf_printf(why, "invalid --role-arn '%s': give a role ARN, e.g. arn:aws:iam::123456789012:role/NAME",
                             o->role_arn));
        return IL_ERR_INVALID;
    }
    if (o->role_arn == NULL && (o->role_session_name != NULL || o->external_id != NULL)) {
        IL_TRY(il_buf_printf(why, "%s needs --role-arn", o->external_id ? "--external-id" : "--role-session-name"));
        return IL_ERR_INVALID;
    }
    if (o->role_session_name != NULL && !s_session_name_ok(o->role_session_name)) {
        IL_TRY(il_buf_printf(why, "invalid --role-session-name '%s': 2 to 64 characters of letters, digits and _+=,.@-",
                             o->role_session_name));
        return IL_ERR_INVALID;
    }
    const struct il_aws_settings *settings = NULL;
    IL_TRY(il_cli_settings(o->profile, 0, o->debug_fn, o->debug_ctx, &settings, why));
    if (o->profile != NULL && setenv("AWS_PROFILE", o->profile, 1) != 0) {
        IL_TRY(il_buf_printf(why, "cannot set AWS_PROFILE: %s", strerror(errno)));
        return IL_ERR_IO;
    }
    struct il_credentials_chain_options chain_opts = {
        .explicit_profile = o->profile != NULL,
        .sts = {.region = o->region,
                .endpoint_url = o->endpoint_url,
                .debug_fn = o->debug_fn,
                .debug_ctx = o->debug_ctx,
                .settings = settings},
    };
    struct il_credentials_provider *chain = il_credentials_provider_default_new_with(&chain_opts);
    if (chain == NULL) {
        return IL_ERR_NOMEM;
    }
    if (o->role_arn == NULL) {
        *out = chain;
        return IL_OK;
    }
    struct il_assume_role_options ro = {
        .role_arn = o->role_arn,
        .external_id = o->external_id,
        .session_name = o->role_session_name,
        .sts = chain_opts.sts,
    };
    *out = il_credentials_provider_assume_role_new_take(chain, &ro);
    return *out ? IL_OK : IL_ERR_NOMEM;
}

enum il_status il_cli_client_new(const struct il_cli_client_opts *o, struct il_cli_client *out, int *client_failed,
                                 struct il_buf *why) {
    memset(out, 0, sizeof(*out));
    *client_failed = 0;
    IL_TRY(il_cli_credentials_new(&o->creds, &out->provider, why));
    struct il_aws_client_config cfg = {
        .region = o->creds.region,
        .endpoints = {.endpoint_url = o->creds.endpoint_url},
        .credentials = out->provider,
        .settings = o->settings,
        .max_attempts = o->max_attempts,
        .rate_limit = o->rate_limit,
        .debug_fn = o->creds.debug_fn,
        .max_pages = o->max_pages,
        .run_timeout_ms = o->timeout_ms < 0 ? IL_AWS_DEFAULT_RUN_TIMEOUT_S * 1000L : o->timeout_ms,
    };
    enum il_status st = il_aws_client_new(&cfg, &out->client, why);
    *client_failed = st != IL_OK;
    return st;
}

void il_cli_client_release(struct il_cli_client *c) {
    if (c == NULL) {
        return;
    }
    il_aws_client_free(c->client);
    il_credentials_provider_free(c->provider);
    memset(c, 0, sizeof(*c));
}

enum il_status il_cli_region(const char *given, const struct il_aws_settings *settings, char **out,
                             struct il_buf *why) {
    return il_aws_region_resolve(given, settings->region.value, NULL, NULL, out, why);
}

int il_cli_parse_max_attempts(const char *arg, unsigned *out) {
    return il_aws_parse_max_attempts(arg, out) == IL_OK;
}

int il_cli_parse_rate_limit(const char *arg, double *out) {
    return il_aws_parse_rate_limit(arg, out) == IL_OK;
}

int il_cli_parse_max_pages(const char *arg, unsigned *out) {
    return il_aws_parse_max_pages(arg, out) == IL_OK;
}

int il_cli_parse_timeout(const char *arg, long *out_ms) {
    return il_aws_parse_timeout(arg, out_ms) == IL_OK;
}

enum il_status il_cli_whoami_identify(const struct il_cli_creds *creds, const struct il_aws_settings *settings,
                                      struct il_aws_whoami *out, enum il_aws_whoami_step *step, struct il_buf *why) {
    struct il_credentials_provider *chain = NULL;
    memset(out, 0, sizeof(*out));
    *step = IL_AWS_WHOAMI_DONE;
    enum il_status st = il_cli_credentials_new(creds, &chain, why);
    if (st != IL_OK) {
        return st; /* *step stays DONE: the options were refused before any credential was looked for */
    }
    struct il_aws_whoami_opts wo = {.region = creds->region,
                                    .endpoint_url = creds->endpoint_url,
                                    .settings = settings,
                                    .debug_fn = creds->debug_fn,
                                    .debug_ctx = creds->debug_ctx};
    return il_aws_whoami_take(chain, &wo, out, step, why);
}

void il_cli_whoami_release(struct il_aws_whoami *w) {
    il_aws_whoami_release(w);
}
