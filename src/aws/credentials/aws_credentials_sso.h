/**
 * Private to src/aws: IAM Identity Center (AWS SSO) profiles, as botocore's SSOProvider / SSOCredentialFetcher read
 * them. A profile that sets `sso_account_id` or `sso_role_name` uses SSO, either
 *   - the sso-session form: `sso_session = NAME` and a `[sso-session NAME]` section holding `sso_start_url`,
 *     `sso_region` (and `sso_registration_scopes`, which only `aws sso login` uses), or
 *   - the legacy form: `sso_start_url` and `sso_region` in the profile itself.
 * The access token is the one `aws sso login` cached in ~/.aws/sso/cache/<sha1 hex>.json (sha1 of the session name,
 * or of the start URL for the legacy form: botocore's SSOTokenLoader). It is exchanged, unsigned, with the portal's
 * GetRoleCredentials (GET /federation/credentials?role_name=&account_id=, header x-amz-sso_bearer_token). The token
 * and the role credentials are secrets: they are wiped after use and never appear in a reason or a trace.
 */
#ifndef IL_AWS_CREDENTIALS_SSO_H
#define IL_AWS_CREDENTIALS_SSO_H

#include <stdint.h>

#include "aws/credentials/aws_credentials_profile.h"
#include "aws/credentials/aws_credentials_remote.h"

#define IL_SSO_CACHE_MAX_BYTES ((size_t)64 << 10) /* a cache file is ~2 KiB; anything bigger is not one */

/** A resolved SSO profile. Strings are borrowed from the struct il_profile_files it was resolved from. */
struct il_sso_config {
    const char *profile;
    const char *session; /* the sso-session name; NULL for the legacy form */
    const char *start_url;
    const char *region;
    const char *account_id;
    const char *role_name;
    /* The run's shared-config settings (borrowed, may be NULL): when set, the portal endpoint follows them
     * (il_aws_settings_endpoints: services section, endpoint_url, ignore_configured_endpoint_urls, FIPS, dual-stack)
     * and the three fields below are not read. Without them (a library caller with no il_aws_settings) the fields
     * and AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT stand in. */
    const struct il_aws_settings *settings;
    const char *profile_endpoint_url;      /* the selected profile's `endpoint_url` (NULL: none) */
    const char *services_endpoint_url;     /* `[services NAME]` `sso = endpoint_url = ...`; set by the caller only */
    const char *profile_ignore_configured; /* the selected profile's `ignore_configured_endpoint_urls` */
};

/** Whether profile @p name uses SSO for credentials (botocore: it sets sso_account_id or sso_role_name). */
int il_sso_profile_uses_sso(const struct il_profile_files *f, const char *name);

/** Resolve profile @p name into @p out. IL_ERR_CREDENTIALS, naming the profile, for: an sso_session whose
 *  `[sso-session NAME]` section does not exist; a value set in both the profile and the session that differs; any of
 *  sso_start_url, sso_region, sso_account_id, sso_role_name missing or empty (every missing one is named); an
 *  sso_region that is not a region name; an sso_account_id that is not 12 digits. */
IL_MUST_CHECK enum il_status il_sso_config_resolve(const struct il_profile_files *f, const char *name,
                                                   struct il_sso_config *out, struct il_buf *why);

/** The cache file's path, into @p out: @p cache_dir (NULL: $HOME/.aws/sso/cache) + "/" + sha1 hex of the session name
 *  (or of the start URL for the legacy form) + ".json". IL_ERR_CREDENTIALS when there is no HOME. */
IL_MUST_CHECK enum il_status il_sso_cache_path(const struct il_sso_config *c, const char *cache_dir, struct il_buf *out,
                                               struct il_buf *why);

/** Parse a cache file's @p len bytes (@p path names it in reasons, with line:col where the JSON is malformed):
 *  a JSON object with string members "accessToken" (non-empty, no control characters) and "expiresAt" (ISO 8601
 *  UTC: "...Z", "...UTC" or "...+00:00", fractional seconds allowed). *token: a new string the caller wipes and frees;
 *  *expires_at: Unix seconds. IL_ERR_CREDENTIALS with a reason that never quotes the token; IL_ERR_NOMEM. Expiry is
 *  not judged here. */
IL_MUST_CHECK enum il_status il_sso_token_parse(const char *text, size_t len, const char *path, char **token,
                                                int64_t *expires_at, struct il_buf *why);

/** The portal endpoint (no trailing slash), into @p url, and where it came from (static text) into *from, by the
 *  shared resolver (il_aws_endpoint_resolve, IL_AWS_SSO, sso_region): unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 *  (else the profile's ignore_configured_endpoint_urls) is true, AWS_ENDPOINT_URL_SSO, the services section's sso
 *  endpoint_url, AWS_ENDPOINT_URL, the profile's endpoint_url (botocore's order); then the embedded sso endpoint rule
 *  set with FIPS and dual-stack (portal.sso.REGION.amazonaws.com, its FIPS and dual-stack hostnames, or the rule
 *  set's error). IL_ERR_CREDENTIALS (IL_ERR_NOMEM) with a reason naming the profile. */
IL_MUST_CHECK enum il_status il_sso_endpoint(const struct il_sso_config *c, struct il_buf *url, const char **from,
                                             struct il_buf *why);

/** Everything an exchange needs beyond the config; all borrowed, any may be zero/NULL. */
struct il_sso_fetch_options {
    const char *cache_dir;                    /* NULL: $HOME/.aws/sso/cache */
    int64_t now;                              /* Unix seconds; 0: the real clock */
    const struct il_remote_fetcher *fetcher;  /* NULL: real HTTP */
    const struct il_sts_settings_copy *trace; /* its debug hook gets --debug lines (never a secret); may be NULL */
};

/** Read the cached token and exchange it for role credentials (source "profile:NAME (sso)", Expiration from the
 *  portal). A missing, unreadable, malformed or expired cache file, and the portal's 401/403 (UnauthorizedException,
 *  ForbiddenException), give IL_ERR_CREDENTIALS with "run `aws sso login --profile NAME`"; other refusals name the
 *  HTTP status and AWS error code (never the body). *out: caller frees. */
IL_MUST_CHECK enum il_status il_sso_fetch(const struct il_sso_config *c, const struct il_sso_fetch_options *o,
                                          struct il_credentials **out, struct il_buf *why);

/** The profile provider's hook: resolve profile @p name and fetch (real HTTP, real clock, default cache). */
IL_MUST_CHECK enum il_status il_sso_profile_credentials(const struct il_profile_files *f, const char *name,
                                                        const struct il_sts_settings_copy *sts,
                                                        struct il_credentials **out, struct il_buf *why);

#endif
