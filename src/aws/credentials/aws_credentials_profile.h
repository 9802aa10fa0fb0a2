/**
 * Private to src/aws: the shared config and credentials files as botocore reads them, shared by the profile provider
 * (aws_credentials_profile.c) and the role profiles (aws_credentials_profile_role.c).
 */
#ifndef IL_AWS_CREDENTIALS_PROFILE_H
#define IL_AWS_CREDENTIALS_PROFILE_H

#include "aws/credentials/aws_credentials_sts.h"
#include "aws/credentials/aws_ini.h"
#include "il/aws/credentials.h"

/** Both files, loaded (a missing file is empty). Owns everything; il_profile_files_release() wipes. */
struct il_profile_files {
    struct il_ini *config; /* AWS_CONFIG_FILE, ~/.aws/config: [profile NAME] or [default] */
    struct il_ini *creds;  /* AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials: [NAME] */
    char *config_path;     /* NULL when there is no HOME to find it */
    char *creds_path;
};

/** The selected profile: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". Borrowed from the environment. */
const char *il_profile_selected(void);
/** Whether the profile was named (AWS_PROFILE or AWS_DEFAULT_PROFILE set) rather than the implicit "default". */
int il_profile_selected_explicitly(void);
/** Load both files. A malformed or unreadable file: IL_ERR_CREDENTIALS with file:line:col in @p why; IL_ERR_NOMEM.
 *  @p f is zeroed first and must be released whatever the result. */
IL_MUST_CHECK enum il_status il_profile_files_load(struct il_profile_files *f, struct il_buf *why);
void il_profile_files_release(struct il_profile_files *f);
/** Whether profile @p name has a section in either file. */
int il_profile_exists(const struct il_profile_files *f, const char *name);
/** @p key of profile @p name: the credentials file's value, else the config file's (botocore merges them the same
 *  way). Borrowed from @p f; NULL when unset. An empty value counts as set. */
const char *il_profile_value(const struct il_profile_files *f, const char *name, const char *key);
/** Whether the profile sets aws_access_key_id or aws_secret_access_key (botocore's _has_static_credentials). */
int il_profile_has_static(const struct il_profile_files *f, const char *name);
/** Whether the profile is a role profile (role_arn without web_identity_token_file, botocore's rule). */
int il_profile_has_role(const struct il_profile_files *f, const char *name);
/**
 * The profile's own credentials, in botocore's order for a profile: web_identity_token_file (with role_arn and
 * role_session_name, each overridden by AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME as botocore does; source
 * "profile:NAME (web-identity)"; STS as @p sts says), IAM Identity Center (sso_account_id / sso_role_name:
 * aws_credentials_sso.h; source "profile:NAME (sso)"), static keys in the credentials file, credential_process (source
 * "credential_process"), static keys in the config file (source "profile"). Nothing: IL_ERR_NOTFOUND with a reason.
 */
IL_MUST_CHECK enum il_status il_profile_plain(const struct il_profile_files *f, const char *name,
                                              const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                              struct il_buf *why);
/** The role profile @p name resolved to credentials (role_arn chain, aws_credentials_profile_role.c). The STS
 *  settings get the selected profile's region and endpoint_url. Errors as il_credentials_provider_profile_role_new()
 *  describes. */
IL_MUST_CHECK enum il_status il_profile_assume_role(const struct il_profile_files *f, const char *name,
                                                    const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                                    struct il_buf *why);

#endif
