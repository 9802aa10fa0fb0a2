/*
 * The shared config/credentials files provider, as botocore reads them: the profile from AWS_PROFILE (else
 * AWS_DEFAULT_PROFILE, else "default"), its section `[NAME]` in the credentials file (AWS_SHARED_CREDENTIALS_FILE,
 * ~/.aws/credentials) and `[profile NAME]` (or `[default]`) in the config file (AWS_CONFIG_FILE, ~/.aws/config).
 * A role profile (role_arn) is resolved by aws_credentials_profile_role.c; otherwise botocore's precedence: static
 * keys in the credentials file, then credential_process, then static keys in the config file. The process runner
 * lives in aws_credentials_process.c, IAM Identity Center (SSO) profiles in aws_credentials_sso*.c, reading the two
 * files in aws_profile_files.c.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_process.h"
#include "aws/credentials/aws_credentials_profile.h"
#include "aws/credentials/aws_credentials_sso.h"
#include "aws/credentials/aws_credentials_web_identity.h"
#include "il/aws/assume_role.h"

static const char *s_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

/* Static keys from one file: @p in_creds picks the credentials file, else the config file. */
static enum il_status s_static(const struct il_profile_files *f, const char *name, int in_creds,
                               struct il_credentials **out, struct il_buf *why) {
    const char *where = in_creds ? f->creds_path : f->config_path;
    const char *id = il_profile_value(f, name, "aws_access_key_id");
    const char *secret = il_profile_value(f, name, "aws_secret_access_key");
    const char *token = il_profile_value(f, name, "aws_session_token");
    if (token == NULL) {
        token = il_profile_value(f, name, "aws_security_token");
    }
    if (secret == NULL || *secret == '\0') {
        il_buf_say(why, "profile '%s' in %s sets aws_access_key_id but not aws_secret_access_key", name, where);
        return IL_ERR_CREDENTIALS;
    }
    if (id == NULL || *id == '\0') {
        il_buf_say(why, "profile '%s' in %s sets aws_secret_access_key but not aws_access_key_id", name, where);
        return IL_ERR_CREDENTIALS;
    }
    enum il_status st = il_credentials_new(id, secret, token && *token ? token : NULL, 0, out);
    if (st == IL_ERR_INVALID) {
        il_buf_say(why,
                   "profile '%s' in %s: aws_access_key_id, aws_secret_access_key or aws_session_token holds "
                   "characters credentials cannot have",
                   name, where);
        return IL_ERR_CREDENTIALS;
    }
    return st;
}

/* botocore's AssumeRoleWithWebIdentityProvider for a profile: each setting from the environment first. */
static enum il_status s_web_identity(const struct il_profile_files *f, const char *name,
                                     const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                     struct il_buf *why) {
    const char *token_file = il_profile_value(f, name, "web_identity_token_file");
    const char *role_arn = s_env("AWS_ROLE_ARN");
    const char *session = s_env("AWS_ROLE_SESSION_NAME");
    role_arn = role_arn ? role_arn : il_profile_value(f, name, "role_arn");
    session = session ? session : il_profile_value(f, name, "role_session_name");
    if (role_arn == NULL || *role_arn == '\0' || *token_file == '\0') {
        il_buf_say(why, "profile '%s' sets web_identity_token_file%s but no role_arn", name,
                   *token_file ? "" : " (empty)");
        return IL_ERR_CREDENTIALS;
    }
    struct il_buf label;
    il_buf_init(&label, 1024);
    enum il_status st = il_web_identity_exchange(token_file, role_arn, session, sts, out, why);
    if (st == IL_OK && ((st = il_buf_printf(&label, "profile:%s (web-identity)", name)) != IL_OK ||
                        (st = il_credentials_set_source(*out, il_buf_cstr(&label))) != IL_OK)) {
        il_credentials_free(*out);
        *out = NULL;
    }
    il_buf_release(&label);
    return st;
}

enum il_status il_profile_plain(const struct il_profile_files *f, const char *name,
                                const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                struct il_buf *why) {
    *out = NULL;
    if (il_profile_value(f, name, "web_identity_token_file") != NULL) {
        return s_web_identity(f, name, sts, out, why);
    }
    if (il_sso_profile_uses_sso(f, name)) {
        return il_sso_profile_credentials(f, name, sts, out, why);
    }
    const char *id_in_creds = il_ini_get(f->creds, name, "aws_access_key_id");
    const char *id = il_profile_value(f, name, "aws_access_key_id");
    const char *process = il_profile_value(f, name, "credential_process");
    enum il_status st;
    if (id_in_creds != NULL && *id_in_creds != '\0') {
        return s_static(f, name, 1, out, why);
    }
    if (process != NULL && *process != '\0') {
        st = il_credential_process_run(name, process, out, why);
        if (st == IL_OK && (st = il_credentials_set_source(*out, "credential_process")) != IL_OK) {
            il_credentials_free(*out);
            *out = NULL;
        }
        return st;
    }
    if (id != NULL && *id != '\0') {
        return s_static(f, name, 0, out, why);
    }
    if (il_profile_value(f, name, "sso_start_url") != NULL || il_profile_value(f, name, "sso_session") != NULL) {
        /* botocore would move on to other sources; someone who configured SSO meant it (fail closed) */
        il_buf_say(why,
                   "profile '%s' sets %s but neither sso_account_id nor sso_role_name, so it has no AWS "
                   "credentials",
                   name, il_profile_value(f, name, "sso_session") ? "sso_session" : "sso_start_url");
        return IL_ERR_CREDENTIALS;
    }
    il_buf_say(why, "profile '%s' has no aws_access_key_id, credential_process, role_arn or sso_account_id", name);
    return IL_ERR_NOTFOUND;
}

struct il_profile_impl {
    int roles_only; /* the "assume-role" entry of the default chain: only role profiles */
    struct il_sts_settings_copy sts;
};

static enum il_status s_profile_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                    struct il_buf *why) {
    struct il_profile_impl *impl = provider->impl;
    const char *name = il_profile_selected();
    struct il_profile_files f;
    enum il_status st = il_profile_files_load(&f, why);
    if (st != IL_OK) {
        goto cleanup;
    }
    if (impl->roles_only && !il_profile_has_role(&f, name)) {
        /* the "profile" entry after it says whether the profile exists and what it lacks */
        if (il_profile_value(&f, name, "role_arn") != NULL) {
            il_buf_say(why, "profile '%s' exchanges a web identity token for its role (the profile source does that)",
                       name);
        } else {
            il_buf_say(why, "no role_arn in profile '%s'", name);
        }
        st = IL_ERR_NOTFOUND;
    } else if (!il_profile_exists(&f, name)) {
        /* a profile someone named (AWS_PROFILE, AWS_DEFAULT_PROFILE, --profile) that does not exist is a mistake, as
         * the AWS CLI says ("could not be found"): going on could pick instance or container credentials of another
         * identity. Only the implicit "default" may be absent. */
        const int named = il_profile_selected_explicitly();
        il_buf_say(why, "profile '%s'%s not found in %s or %s", name, named ? " (selected by AWS_PROFILE)" : "",
                   f.config_path ? f.config_path : "~/.aws/config", f.creds_path ? f.creds_path : "~/.aws/credentials");
        st = named ? IL_ERR_CREDENTIALS : IL_ERR_NOTFOUND;
    } else if (il_profile_has_role(&f, name)) {
        st = il_profile_assume_role(&f, name, &impl->sts, out, why);
    } else {
        struct il_sts_settings_copy sts = {0};
        struct il_sts_settings view;
        il_sts_settings_view(&impl->sts, &view);
        view.profile_region = il_profile_value(&f, name, "region");
        view.profile_endpoint_url = il_profile_value(&f, name, "endpoint_url");
        st = il_sts_settings_copy(&sts, &view);
        if (st == IL_OK) {
            st = il_profile_plain(&f, name, &sts, out, why);
        }
        il_sts_settings_release(&sts);
    }
cleanup:
    il_profile_files_release(&f);
    return st;
}

static void s_profile_destroy(struct il_credentials_provider *provider) {
    struct il_profile_impl *impl = provider->impl;
    if (impl != NULL) {
        il_sts_settings_release(&impl->sts);
        free(impl);
    }
    provider->impl = NULL;
}

static const struct il_credentials_provider_vtable s_profile_vtable = {
    .name = "profile",
    .get = s_profile_get,
    .destroy = s_profile_destroy,
};

/* botocore's name for the provider that resolves role profiles ahead of web identity */
static const struct il_credentials_provider_vtable s_profile_role_vtable = {
    .name = "assume-role",
    .get = s_profile_get,
    .destroy = s_profile_destroy,
};

static struct il_credentials_provider *s_new(const struct il_credentials_provider_vtable *vtable, int roles_only,
                                             const struct il_sts_settings *sts) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    struct il_profile_impl *impl = calloc(1, sizeof(*impl));
    if (provider == NULL || impl == NULL || il_sts_settings_copy(&impl->sts, sts) != IL_OK) {
        free(provider);
        free(impl);
        return NULL;
    }
    impl->roles_only = roles_only;
    provider->vtable = vtable;
    provider->impl = impl;
    return provider;
}

struct il_credentials_provider *il_credentials_provider_profile_new(void) {
    return s_new(&s_profile_vtable, 0, NULL);
}

struct il_credentials_provider *il_credentials_provider_profile_new_with(const struct il_sts_settings *sts) {
    return s_new(&s_profile_vtable, 0, sts);
}

struct il_credentials_provider *il_credentials_provider_profile_role_new(const struct il_sts_settings *sts) {
    return s_new(&s_profile_role_vtable, 1, sts);
}
