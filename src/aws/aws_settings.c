/* The run's AWS settings from flags, environment and the shared config, botocore's way (il/aws/settings.h). */
#include "il/aws/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "aws/aws_sticky.h"
#include "aws/credentials/aws_credentials_profile.h"
#include "il/aws/client.h"

const char *il_aws_retry_mode_name(enum il_aws_retry_mode mode) {
    switch (mode) {
    case IL_RETRY_MODE_LEGACY: return "legacy";
    case IL_RETRY_MODE_ADAPTIVE: return "adaptive";
    case IL_RETRY_MODE_STANDARD: break;
    }
    return "standard";
}

unsigned il_aws_retry_mode_default_attempts(enum il_aws_retry_mode mode) {
    return mode == IL_RETRY_MODE_LEGACY ? 5u : 3u;
}

struct s_ctx {
    const struct il_aws_settings_flags *flags;
    struct il_profile_files files;
    const char *profile;
    struct il_buf *why;
};

static const char *s_env(const struct s_ctx *c, const char *name) {
    const char *v = c->flags && c->flags->getenv_fn ? c->flags->getenv_fn(c->flags->getenv_ctx, name) : getenv(name);
    return v && v[0] ? v : NULL;
}

static enum il_status s_dup(char **dst, const char *text) {
    *dst = il_strdup(text);
    return *dst ? IL_OK : IL_ERR_NOMEM;
}

/* The profile's value of @p key with botocore's merge (credentials file over config file; [default] and
 * [profile default] for "default"), and "profile P (FILE:LINE)" in *source (new) when set. */
static enum il_status s_profile(struct s_ctx *c, const char *key, const char **value, char **source) {
    *value = NULL;
    *source = NULL;
    size_t line = 0;
    const char *path = c->files.creds_path;
    const char *v = il_ini_get_line(c->files.creds, c->profile, key, &line);
    if (v == NULL) {
        struct il_buf section;
        il_buf_init(&section, 1024);
        IL_STICKY(il_buf_printf(&section, "profile %s", c->profile));
        path = c->files.config_path;
        if (il_buf_status(&section) == IL_OK) {
            v = il_ini_get_line(c->files.config, il_buf_cstr(&section), key, &line);
        }
        il_buf_release(&section);
        size_t plain_line = 0;
        const char *plain =
            strcmp(c->profile, "default") == 0 ? il_ini_get_line(c->files.config, "default", key, &plain_line) : NULL;
        if (plain != NULL) {
            v = plain, line = plain_line;
        }
    }
    if (v == NULL) {
        return IL_OK;
    }
    struct il_buf b;
    il_buf_init(&b, 8192);
    IL_STICKY(il_buf_printf(&b, "profile %s (%s:%zu)", c->profile, path ? path : "?", line));
    IL_TRY(il_buf_status(&b));
    *source = il_buf_take(&b);
    il_buf_release(&b);
    *value = v;
    return *source ? IL_OK : IL_ERR_NOMEM;
}

/* A setting read from @p env, else the profile's @p key: value borrowed, *source new ("AWS_X" or the profile's). */
static enum il_status s_lookup(struct s_ctx *c, const char *env, const char *key, const char **value, char **source) {
    const char *v = env ? s_env(c, env) : NULL;
    if (v != NULL) {
        *value = v;
        return s_dup(source, env);
    }
    return s_profile(c, key, value, source);
}

static enum il_status s_string(struct s_ctx *c, const char *env, const char *key, struct il_aws_setting *out) {
    const char *v = NULL;
    char *source = NULL;
    IL_TRY(s_lookup(c, env, key, &v, &source));
    if (v != NULL && v[0] == '\0') {
        free(source); /* `region =` with nothing after it: unset, as the region resolver skips empty values */
        return IL_OK;
    }
    out->source = source;
    if (v != NULL && (out->value = il_strdup(v)) == NULL) {
        return IL_ERR_NOMEM;
    }
    return IL_OK;
}

static enum il_status s_refuse(struct s_ctx *c, const char *setting, const char *value, const char *source,
                               const char *want) {
    il_buf_say(c->why, "%s: '%s' from %s is not valid: %s", setting, value, source, want);
    return IL_ERR_INVALID;
}

/* Booleans: true or false in any case. botocore reads anything else as false; a CI gate refuses it instead. */
static enum il_status s_bool(struct s_ctx *c, const char *env, const char *key, int *out, char **source) {
    const char *v = NULL;
    *out = 0;
    IL_TRY(s_lookup(c, env, key, &v, source));
    if (v == NULL) {
        return s_dup(source, "default");
    }
    if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0) {
        *out = strcasecmp(v, "true") == 0;
        return IL_OK;
    }
    return s_refuse(c, key, v, *source, "use true or false");
}

static enum il_status s_select_profile(struct s_ctx *c, struct il_aws_settings *s) {
    const char *src = "default";
    const char *name = c->flags ? c->flags->profile : NULL;
    if (name != NULL && name[0]) {
        src = "--profile";
    } else if ((name = s_env(c, "AWS_PROFILE")) != NULL) {
        src = "AWS_PROFILE";
    } else if ((name = s_env(c, "AWS_DEFAULT_PROFILE")) != NULL) {
        src = "AWS_DEFAULT_PROFILE";
    } else {
        name = "default";
    }
    IL_TRY(s_dup(&s->profile, name));
    IL_TRY(s_dup(&s->profile_source, src));
    c->profile = s->profile;
    if (strcmp(src, "default") != 0 && !il_profile_exists(&c->files, name)) {
        il_buf_say(c->why, "the config profile (%s) could not be found (named by %s; looked in %s and %s)", name, src,
                   c->files.config_path ? c->files.config_path : "~/.aws/config",
                   c->files.creds_path ? c->files.creds_path : "~/.aws/credentials");
        return IL_ERR_INVALID; /* a configuration error (exit 2), like any other bad setting */
    }
    return IL_OK;
}

static enum il_status s_services(struct s_ctx *c, struct il_aws_settings *s) {
    IL_TRY(s_string(c, NULL, "services", &s->services));
    if (s->services.value == NULL) {
        return IL_OK;
    }
    struct il_buf section;
    il_buf_init(&section, 1024);
    IL_STICKY(il_buf_printf(&section, "services %s", s->services.value));
    IL_TRY(il_buf_status(&section));
    enum il_status st = IL_OK;
    if (!il_ini_has_section(c->files.config, il_buf_cstr(&section))) {
        /* botocore: 'The profile is configured to use the services section but the "X" services configuration does
         * not exist.' */
        il_buf_say(c->why, "services: the [services %s] section named by %s does not exist", s->services.value,
                   s->services.source);
        st = IL_ERR_NOTFOUND;
    }
    for (int i = 0; st == IL_OK && i < IL_AWS_SERVICE_COUNT; i++) {
        char key[96];
        size_t line = 0;
        int n = snprintf(key, sizeof(key), "%s.endpoint_url", il_aws_service_config_id((enum il_aws_service)i));
        const char *v = n > 0 && (size_t)n < sizeof(key)
                            ? il_ini_get_line(c->files.config, il_buf_cstr(&section), key, &line)
                            : NULL;
        if (v == NULL || v[0] == '\0') {
            continue;
        }
        struct il_buf src;
        il_buf_init(&src, 8192);
        IL_STICKY(il_buf_printf(&src, "[services %s] %s (%s:%zu)", s->services.value,
                                il_aws_service_config_id((enum il_aws_service)i), c->files.config_path, line));
        st = il_buf_status(&src);
        s->service_endpoint_url[i].source = st == IL_OK ? il_buf_take(&src) : NULL;
        il_buf_release(&src);
        if (st == IL_OK &&
            (s->service_endpoint_url[i].source == NULL || (s->service_endpoint_url[i].value = il_strdup(v)) == NULL)) {
            st = IL_ERR_NOMEM;
        }
    }
    il_buf_release(&section);
    return st;
}

static enum il_status s_retry(struct s_ctx *c, struct il_aws_settings *s) {
    const char *v = NULL;
    IL_TRY(s_lookup(c, "AWS_RETRY_MODE", "retry_mode", &v, &s->retry_mode_source));
    if (v == NULL) {
        IL_TRY(s_dup(&s->retry_mode_source, "default"));
    } else if (strcmp(v, "legacy") == 0) {
        s->retry_mode = IL_RETRY_MODE_LEGACY;
    } else if (strcmp(v, "adaptive") == 0) {
        s->retry_mode = IL_RETRY_MODE_ADAPTIVE;
    } else if (strcmp(v, "standard") != 0) {
        return s_refuse(c, "retry_mode", v, s->retry_mode_source, "use legacy, standard or adaptive");
    }
    if (c->flags && c->flags->max_attempts) {
        s->max_attempts = c->flags->max_attempts;
        return s_dup(&s->max_attempts_source, "--max-attempts");
    }
    IL_TRY(s_lookup(c, "AWS_MAX_ATTEMPTS", "max_attempts", &v, &s->max_attempts_source));
    if (v == NULL) {
        s->max_attempts = il_aws_retry_mode_default_attempts(s->retry_mode);
        return s_dup(&s->max_attempts_source, "default");
    }
    if (il_aws_parse_max_attempts(v, &s->max_attempts) != IL_OK) {
        return s_refuse(c, "max_attempts", v, s->max_attempts_source, "use a whole number from 1 to 20");
    }
    return IL_OK;
}

static enum il_status s_rest(struct s_ctx *c, struct il_aws_settings *s) {
    IL_TRY(s_string(c, NULL, "region", &s->region));
    if (s->region.value && !il_aws_region_is_valid(s->region.value)) {
        return s_refuse(c, "region", s->region.value, s->region.source, "not a region name");
    }
    IL_TRY(s_string(c, NULL, "endpoint_url", &s->endpoint_url));
    IL_TRY(s_services(c, s));
    IL_TRY(s_bool(c, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls", &s->ignore_configured,
                  &s->ignore_configured_source));
    IL_TRY(s_retry(c, s));
    IL_TRY(s_string(c, "AWS_CA_BUNDLE", "ca_bundle", &s->ca_bundle));
    if (s->ca_bundle.value && access(s->ca_bundle.value, R_OK) != 0) {
        return s_refuse(c, "ca_bundle", s->ca_bundle.value, s->ca_bundle.source, "no readable file there");
    }
    IL_TRY(s_bool(c, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", &s->use_fips, &s->use_fips_source));
    IL_TRY(
        s_bool(c, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint", &s->use_dualstack, &s->use_dualstack_source));
    const char *v = NULL;
    IL_TRY(s_lookup(c, "AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints", &v, &s->sts_regional_source));
    if (v == NULL) {
        return s_dup(&s->sts_regional_source, "default");
    }
    if (strcmp(v, "legacy") != 0 && strcmp(v, "regional") != 0) {
        return s_refuse(c, "sts_regional_endpoints", v, s->sts_regional_source, "use legacy or regional");
    }
    s->sts_global = strcmp(v, "legacy") == 0;
    return IL_OK;
}

enum il_status il_aws_settings_load(const struct il_aws_settings_flags *flags, struct il_aws_settings *out,
                                    struct il_buf *why) {
    memset(out, 0, sizeof(*out));
    struct s_ctx c = {.flags = flags, .why = why};
    enum il_status st = il_profile_files_load(&c.files, why);
    if (st != IL_OK) {
        il_profile_files_release(&c.files);
        return st == IL_ERR_NOMEM ? st : IL_ERR_PARSE;
    }
    if (c.files.config_path && (out->config_path = il_strdup(c.files.config_path)) == NULL) {
        st = IL_ERR_NOMEM;
    }
    if (st == IL_OK) {
        st = s_select_profile(&c, out);
    }
    if (st == IL_OK) {
        st = s_rest(&c, out);
    }
    il_profile_files_release(&c.files);
    return st;
}

static void s_setting_release(struct il_aws_setting *s) {
    free(s->value);
    free(s->source);
    s->value = s->source = NULL;
}

void il_aws_settings_release(struct il_aws_settings *s) {
    if (s == NULL) {
        return;
    }
    free(s->profile);
    free(s->profile_source);
    free(s->config_path);
    s_setting_release(&s->region);
    s_setting_release(&s->endpoint_url);
    s_setting_release(&s->services);
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        s_setting_release(&s->service_endpoint_url[i]);
    }
    s_setting_release(&s->ca_bundle);
    free(s->ignore_configured_source);
    free(s->max_attempts_source);
    free(s->retry_mode_source);
    free(s->use_fips_source);
    free(s->use_dualstack_source);
    free(s->sts_regional_source);
    memset(s, 0, sizeof(*s));
}

void il_aws_settings_endpoints(const struct il_aws_settings *s, struct il_aws_endpoint_config *cfg) {
    cfg->profile_endpoint_url = s->endpoint_url.value;
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        cfg->profile_service_endpoint_url[i] = s->service_endpoint_url[i].value;
    }
    /* the variable already decided over the profile; the resolver re-reads it, to the same answer */
    cfg->profile_ignore_configured = s->ignore_configured;
    cfg->use_fips = s->use_fips;
    cfg->use_dualstack = s->use_dualstack;
    cfg->sts_global = s->sts_global;
}

static void s_trace(void (*line)(void *, const char *), void *ctx, const char *key, const char *value,
                    const char *source) {
    struct il_buf b;
    il_buf_init(&b, 8192);
    IL_STICKY(il_buf_printf(&b, "[aws] config: %s = %s (from %s)", key, value, source ? source : "default"));
    if (il_buf_status(&b) == IL_OK) {
        line(ctx, il_buf_cstr(&b));
    }
    il_buf_release(&b);
}

void il_aws_settings_trace(const struct il_aws_settings *s, void (*line)(void *ctx, const char *text), void *ctx) {
    if (line == NULL) {
        return;
    }
    char n[16];
    snprintf(n, sizeof(n), "%u", s->max_attempts);
    s_trace(line, ctx, "profile", s->profile, s->profile_source);
    if (s->region.value) {
        s_trace(line, ctx, "region", s->region.value, s->region.source);
    }
    if (s->endpoint_url.value) {
        s_trace(line, ctx, "endpoint_url", s->endpoint_url.value, s->endpoint_url.source);
    }
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        if (s->service_endpoint_url[i].value) {
            s_trace(line, ctx, "services endpoint_url", s->service_endpoint_url[i].value,
                    s->service_endpoint_url[i].source);
        }
    }
    s_trace(line, ctx, "ignore_configured_endpoint_urls", s->ignore_configured ? "true" : "false",
            s->ignore_configured_source);
    s_trace(line, ctx, "retry_mode", il_aws_retry_mode_name(s->retry_mode), s->retry_mode_source);
    s_trace(line, ctx, "max_attempts", n, s->max_attempts_source);
    if (s->ca_bundle.value) {
        s_trace(line, ctx, "ca_bundle", s->ca_bundle.value, s->ca_bundle.source);
    }
    s_trace(line, ctx, "use_fips_endpoint", s->use_fips ? "true" : "false", s->use_fips_source);
    s_trace(line, ctx, "use_dualstack_endpoint", s->use_dualstack ? "true" : "false", s->use_dualstack_source);
    s_trace(line, ctx, "sts_regional_endpoints", s->sts_global ? "legacy" : "regional", s->sts_regional_source);
}
