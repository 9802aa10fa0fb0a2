/*
 * The shared config/credentials files provider, as botocore reads them: the profile from AWS_PROFILE (else
 * AWS_DEFAULT_PROFILE, else "default"), its section `[NAME]` in the credentials file (AWS_SHARED_CREDENTIALS_FILE,
 * ~/.aws/credentials) and `[profile NAME]` (or `[default]`) in the config file (AWS_CONFIG_FILE, ~/.aws/config).
 * Precedence, botocore's: static keys in the credentials file, then credential_process, then static keys in the
 * config file. The process runner lives in aws_credentials_process.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_credentials_process.h"
#include "aws/aws_ini.h"
#include "il/aws/credentials.h"

IL_PRINTF(2, 3) static void s_say(struct il_buf *why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (why != NULL && il_buf_vprintf(why, fmt, ap) != IL_OK) {
        /* best effort: the status returned still says what failed */
    }
    va_end(ap);
}

static const char *s_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

/* A path from @p var, else ~/<rel>; a leading "~/" is expanded as botocore does. New string or NULL (no HOME). */
static char *s_path(const char *var, const char *rel) {
    const char *path = s_env(var);
    const char *home = s_env("HOME");
    struct il_buf buf;
    il_buf_init(&buf, 4096);
    enum il_status st;
    if (path != NULL && strncmp(path, "~/", 2) != 0) {
        st = il_buf_puts(&buf, path);
    } else if (home == NULL) {
        st = IL_ERR_NOTFOUND;
    } else {
        st = il_buf_printf(&buf, "%s/%s", home, path ? path + 2 : rel);
    }
    char *out = st == IL_OK ? il_buf_take(&buf) : NULL;
    il_buf_release(&buf);
    return out;
}

/* Load a file; a missing one (or no HOME to find it) is an empty file. */
static enum il_status s_load(const char *path, struct il_ini **out, struct il_buf *why) {
    *out = NULL;
    if (path == NULL) {
        return IL_OK;
    }
    enum il_status st = il_ini_load(path, out, why);
    return st == IL_ERR_NOTFOUND ? IL_OK : st;
}

/* Look a key up in the profile: credentials file first, then the config file. */
struct il_profile_view {
    const char *name;
    const struct il_ini *creds_file;
    const struct il_ini *config_file;
    const char *config_section; /* "profile NAME", or "default" */
};

static const char *s_get(const struct il_profile_view *v, const char *key, int *from_creds) {
    const char *value = il_ini_get(v->creds_file, v->name, key);
    if (value != NULL) {
        *from_creds = 1;
        return value;
    }
    *from_creds = 0;
    value = il_ini_get(v->config_file, v->config_section, key);
    if (value == NULL && strcmp(v->name, "default") == 0) {
        value = il_ini_get(v->config_file, "profile default", key); /* botocore accepts both spellings */
    }
    return value;
}

static enum il_status s_static(const struct il_profile_view *v, const char *where, struct il_credentials **out,
                               struct il_buf *why) {
    int unused = 0;
    const char *id = s_get(v, "aws_access_key_id", &unused);
    const char *secret = s_get(v, "aws_secret_access_key", &unused);
    const char *token = s_get(v, "aws_session_token", &unused);
    if (token == NULL) {
        token = s_get(v, "aws_security_token", &unused);
    }
    if (secret == NULL || *secret == '\0') {
        s_say(why, "profile '%s' in %s sets aws_access_key_id but not aws_secret_access_key", v->name, where);
        return IL_ERR_CREDENTIALS;
    }
    enum il_status st = il_credentials_new(id, secret, token && *token ? token : NULL, 0, out);
    if (st == IL_ERR_INVALID) {
        s_say(why, "profile '%s' in %s: aws_access_key_id, aws_secret_access_key or aws_session_token holds "
                   "characters credentials cannot have", v->name, where);
        return IL_ERR_CREDENTIALS;
    }
    return st;
}

static enum il_status s_profile_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                    struct il_buf *why) {
    (void)provider;
    const char *name = s_env("AWS_PROFILE");
    if (name == NULL) {
        name = s_env("AWS_DEFAULT_PROFILE");
    }
    if (name == NULL) {
        name = "default";
    }
    char *config_path = s_path("AWS_CONFIG_FILE", ".aws/config");
    char *creds_path = s_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    struct il_ini *config = NULL, *creds = NULL;
    struct il_profile_view v = {.name = name};
    struct il_buf section;
    il_buf_init(&section, 1024);
    enum il_status st = s_load(config_path, &config, why);
    if (st == IL_OK) {
        st = s_load(creds_path, &creds, why);
    }
    if (st != IL_OK) {
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS; /* a broken file is reported, not skipped */
        goto cleanup;
    }
    if (strcmp(name, "default") == 0) {
        st = il_buf_puts(&section, "default");
    } else {
        st = il_buf_printf(&section, "profile %s", name);
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    v.creds_file = creds;
    v.config_file = config;
    v.config_section = il_buf_cstr(&section);
    int in_creds = il_ini_has_section(creds, name);
    int in_config = il_ini_has_section(config, v.config_section) ||
                    (strcmp(name, "default") == 0 && il_ini_has_section(config, "profile default"));
    if (!in_creds && !in_config) {
        s_say(why, "profile '%s' not found in %s or %s", name, config_path ? config_path : "~/.aws/config",
              creds_path ? creds_path : "~/.aws/credentials");
        st = IL_ERR_NOTFOUND;
        goto cleanup;
    }
    int id_in_creds = 0, process_in_creds = 0;
    const char *id = s_get(&v, "aws_access_key_id", &id_in_creds);
    const char *process = s_get(&v, "credential_process", &process_in_creds);
    if (id != NULL && *id != '\0' && id_in_creds) {
        st = s_static(&v, creds_path, out, why);
    } else if (process != NULL && *process != '\0') {
        st = il_credential_process_run(name, process, out, why);
        if (st == IL_OK && (st = il_credentials_set_source(*out, "credential_process")) != IL_OK) {
            il_credentials_free(*out);
            *out = NULL;
        }
    } else if (id != NULL && *id != '\0') {
        st = s_static(&v, config_path, out, why);
    } else {
        int unused = 0;
        const char *role = s_get(&v, "role_arn", &unused);
        const char *sso = s_get(&v, "sso_start_url", &unused);
        if (sso == NULL) {
            sso = s_get(&v, "sso_session", &unused);
        }
        if (role != NULL || sso != NULL) {
            /* fail closed: the user configured a source we do not implement; skipping it could pick other keys */
            s_say(why, "profile '%s' uses %s, which inspector-ledger does not support yet (use credential_process)",
                  name, role ? "role_arn" : "AWS SSO");
            st = IL_ERR_CREDENTIALS;
        } else {
            s_say(why, "profile '%s' has no aws_access_key_id or credential_process", name);
            st = IL_ERR_NOTFOUND;
        }
    }
cleanup:
    il_buf_release(&section);
    il_ini_free(config);
    il_ini_free(creds);
    free(config_path);
    free(creds_path);
    return st;
}

static const struct il_credentials_provider_vtable s_profile_vtable = {
    .name = "profile",
    .get = s_profile_get,
    .destroy = NULL,
};

struct il_credentials_provider *il_credentials_provider_profile_new(void) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    if (provider == NULL) {
        return NULL;
    }
    provider->vtable = &s_profile_vtable;
    provider->impl = NULL;
    return provider;
}
