/* Which profile is selected and reading the shared config/credentials files, as botocore does (AWS_PROFILE,
 * AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, `~/` expansion, `[profile NAME]` and `[default]`). A leaf of the
 * profile providers: the settings reader (src/aws/aws_settings.c) uses it without linking any provider, which would
 * close the loop client -> settings -> provider -> STS -> client. */
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_profile.h"

static const char *s_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

int il_profile_selected_explicitly(void) {
    return s_env("AWS_PROFILE") != NULL || s_env("AWS_DEFAULT_PROFILE") != NULL;
}

const char *il_profile_selected(void) {
    const char *name = s_env("AWS_PROFILE");
    if (name == NULL) {
        name = s_env("AWS_DEFAULT_PROFILE");
    }
    return name ? name : "default";
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

enum il_status il_profile_files_load(struct il_profile_files *f, struct il_buf *why) {
    memset(f, 0, sizeof(*f));
    f->config_path = s_path("AWS_CONFIG_FILE", ".aws/config");
    f->creds_path = s_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    enum il_status st = s_load(f->config_path, &f->config, why);
    if (st == IL_OK) {
        st = s_load(f->creds_path, &f->creds, why);
    }
    if (st != IL_OK && st != IL_ERR_NOMEM) {
        st = IL_ERR_CREDENTIALS; /* a broken file is reported, not skipped */
    }
    return st;
}

void il_profile_files_release(struct il_profile_files *f) {
    if (f == NULL) {
        return;
    }
    il_ini_free(f->config);
    il_ini_free(f->creds);
    free(f->config_path);
    free(f->creds_path);
    memset(f, 0, sizeof(*f));
}

/* The config file's value: `[profile NAME]`, and for "default" also `[default]` (botocore accepts both). */
static const char *s_config_value(const struct il_profile_files *f, const char *name, const char *key, int *exists) {
    struct il_buf section;
    il_buf_init(&section, 1024);
    const char *value = NULL;
    *exists = 0;
    if (il_buf_printf(&section, "profile %s", name) == IL_OK) {
        value = il_ini_get(f->config, il_buf_cstr(&section), key);
        *exists = il_ini_has_section(f->config, il_buf_cstr(&section));
    }
    if (strcmp(name, "default") == 0) {
        const char *plain = il_ini_get(f->config, "default", key);
        value = plain ? plain : value;
        *exists = *exists || il_ini_has_section(f->config, "default");
    }
    il_buf_release(&section);
    return value;
}

int il_profile_exists(const struct il_profile_files *f, const char *name) {
    int exists = 0;
    (void)s_config_value(f, name, "", &exists);
    return exists || il_ini_has_section(f->creds, name);
}

const char *il_profile_value(const struct il_profile_files *f, const char *name, const char *key) {
    const char *value = il_ini_get(f->creds, name, key);
    int unused = 0;
    return value ? value : s_config_value(f, name, key, &unused);
}

int il_profile_has_static(const struct il_profile_files *f, const char *name) {
    return il_profile_value(f, name, "aws_access_key_id") != NULL ||
           il_profile_value(f, name, "aws_secret_access_key") != NULL;
}

int il_profile_has_role(const struct il_profile_files *f, const char *name) {
    return il_profile_value(f, name, "role_arn") != NULL &&
           il_profile_value(f, name, "web_identity_token_file") == NULL;
}
