/**
 * AWS credentials and the provider interface the SDK-style chain plugs into.
 *
 * struct il_credentials is opaque: its secret and token are reachable only through il_credentials_secret() and
 * il_credentials_session_token(), which only the SigV4 signer calls. il_credentials_free() wipes them
 * (il_crypto_cleanse). Nothing in this library prints a credential value; debug output identifies objects by pointer.
 */
#ifndef IL_AWS_CREDENTIALS_H
#define IL_AWS_CREDENTIALS_H

#include <stdint.h>

#include "il/buf.h"
#include "il/status.h"

struct il_credentials;

/** Temporary credentials are replaced this long before they expire (the client asks its provider again; providers
 *  that keep source credentials renew them by the same rule), so a long run never signs with stale ones. */
#define IL_CREDENTIALS_REFRESH_MARGIN_S 300

/** Copy the given values into a new credentials object. @p session_token may be NULL (or ""); @p expiration is Unix
 *  seconds (0: does not expire). IL_ERR_INVALID when the access key id is empty or holds anything but printable ASCII
 *  without spaces, '/' or ',', or when the secret is empty or a value holds a control character (it would break or
 *  inject into the Authorization header); IL_ERR_NOMEM. The object also caches derived SigV4 signing keys, so one
 *  object must not be used for signing from two threads at once. */
IL_MUST_CHECK enum il_status il_credentials_new(const char *access_key_id, const char *secret_access_key,
                                                const char *session_token, int64_t expiration,
                                                struct il_credentials **out);
/** Wipe and free; accepts NULL. */
void il_credentials_free(struct il_credentials *creds);
/** A new reference-independent copy. */
IL_MUST_CHECK enum il_status il_credentials_copy(const struct il_credentials *creds, struct il_credentials **out);

const char *il_credentials_access_key_id(const struct il_credentials *creds);
const char *il_credentials_secret(const struct il_credentials *creds);        /* signer only */
const char *il_credentials_session_token(const struct il_credentials *creds); /* NULL when none */
int64_t il_credentials_expiration(const struct il_credentials *creds);

/**
 * A credentials provider: one source in the chain (environment, profile, web identity, ECS, IMDS ...).
 * get() returns IL_OK and a new credentials object the caller frees, or IL_ERR_CREDENTIALS / IL_ERR_NOTFOUND and a
 * one-line, secret-free reason appended to @p why ("AWS_ACCESS_KEY_ID is not set").
 */
struct il_credentials_provider {
    const struct il_credentials_provider_vtable *vtable;
    void *impl;
};
struct il_credentials_provider_vtable {
    const char *name; /* "environment", "web-identity", "profile", ... */
    enum il_status (*get)(struct il_credentials_provider *provider, struct il_credentials **out, struct il_buf *why);
    void (*destroy)(struct il_credentials_provider *provider); /* releases impl only; may be NULL */
};

/** Helpers over the vtable. il_credentials_provider_get() is the only way callers obtain credentials: it resets
 *  *out, calls the provider, stamps the provider's name as the credentials' source, and guarantees a reason in @p why
 *  on failure. @p why may be NULL. */
IL_MUST_CHECK enum il_status il_credentials_provider_get(struct il_credentials_provider *provider,
                                                         struct il_credentials **out, struct il_buf *why);
const char *il_credentials_provider_name(const struct il_credentials_provider *provider);
/** Destroy and free a heap provider; accepts NULL. */
void il_credentials_provider_free(struct il_credentials_provider *provider);

/** The environment provider (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, and the legacy
 *  AWS_SECURITY_TOKEN when AWS_SESSION_TOKEN is unset). AWS_ACCESS_KEY_ID unset or empty: IL_ERR_NOTFOUND (the chain
 *  goes on, as the SDKs do); AWS_ACCESS_KEY_ID set without AWS_SECRET_ACCESS_KEY: IL_ERR_CREDENTIALS (the chain
 *  stops: a half-configured source is a mistake to report, not to skip). Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_env_new(void);

/*
 * Additions beyond the first interface (issue 3). Everything below keeps the rule that callers obtain credentials
 * only through il_credentials_provider_get(), whatever the provider is.
 */

/** The name of the provider that produced @p creds ("environment", "static", ...), or "unknown"; borrowed. */
const char *il_credentials_source(const struct il_credentials *creds);
/** Record which provider produced @p creds (copied). il_credentials_provider_get() does this for every provider. */
IL_MUST_CHECK enum il_status il_credentials_set_source(struct il_credentials *creds, const char *source);

/**
 * Append a one-line, secret-free description for --debug and whoami, e.g.
 * "credentials from environment: access key id ****MPLE, temporary (session token), expires 2026-11-22T10:35:00Z".
 * Never formats the secret or the session token; of the access key id only its last 4 characters.
 */
IL_MUST_CHECK enum il_status il_credentials_describe(const struct il_credentials *creds, struct il_buf *out);
/** Append @p text (from AWS) to @p out scrubbed by il_aws_scrub() (il/aws/http.h) of @p creds' secret key, session
 *  token (plain and percent-encoded) and access key id; @p creds NULL: of the signing fragments only. Lets callers
 *  remove the secret from AWS text without ever reading it. */
IL_MUST_CHECK enum il_status il_credentials_scrub(const struct il_credentials *creds, const char *text,
                                                  struct il_buf *out);
/** il_credentials_scrub() of the heap string *@p text (may be NULL), replaced by the scrubbed copy; on failure it is
 *  freed and set to NULL (never left unscrubbed) and the status returned. */
IL_MUST_CHECK enum il_status il_credentials_scrub_inplace(const struct il_credentials *creds, char **text);

/** A provider that always answers with a copy of @p creds (copied now), named @p name (copied; NULL: "static").
 *  For tests and for credentials obtained elsewhere (an assumed role). Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_static_new(const struct il_credentials *creds,
                                                                   const char *name);

/**
 * A chain: asks each provider in the order added and answers with the first credentials found. A provider answering
 * IL_ERR_NOTFOUND lets the chain go on; any other error stops it (a broken source is reported, not skipped). When no
 * provider has credentials the chain answers IL_ERR_CREDENTIALS and @p why lists every source tried with its reason:
 * "environment: AWS_ACCESS_KEY_ID is not set; profile: ...". Named "chain"; the credentials keep the source name of
 * the provider that answered. Caller frees; NULL when out of memory.
 */
struct il_credentials_provider *il_credentials_provider_chain_new(void);
/** Append @p provider to @p chain, which takes ownership (also on failure, when it frees @p provider). */
IL_MUST_CHECK enum il_status il_credentials_provider_chain_add_take(struct il_credentials_provider *chain,
                                                                    struct il_credentials_provider *provider);

/** The web identity provider: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN [+ AWS_ROLE_SESSION_NAME] exchanged through
 *  STS AssumeRoleWithWebIdentity (unsigned) in AWS_REGION / AWS_DEFAULT_REGION / us-east-1, at the endpoint the
 *  environment configures (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL). No token file: IL_ERR_NOTFOUND; a token file
 *  without AWS_ROLE_ARN, an unreadable token or an STS refusal: IL_ERR_CREDENTIALS. Named "web-identity". The token
 *  is re-read on every get() and never appears in a reason. Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_web_identity_new(void);

/** The shared files provider: profile AWS_PROFILE / AWS_DEFAULT_PROFILE / "default" from AWS_SHARED_CREDENTIALS_FILE
 *  (~/.aws/credentials, section [NAME]) and AWS_CONFIG_FILE (~/.aws/config, section [profile NAME] or [default]).
 *  A role_arn profile is assumed (assume_role.h, source "profile:NAME (assume-role)"); otherwise botocore's
 *  precedence: web_identity_token_file (source "profile:NAME (web-identity)"), static keys in the credentials file,
 *  credential_process (source "credential_process"), static keys in the config file (source "profile"). Missing
 *  files, or the implicit "default" profile missing: IL_ERR_NOTFOUND; a malformed file, a named profile that does not
 *  exist, half-set keys, a failing credential_process or role, a profile using SSO (not supported yet):
 *  IL_ERR_CREDENTIALS. Named "profile". Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_profile_new(void);

/** The default chain, in the SDKs' order: environment, the profile's role (assume_role.h), web identity, profile
 *  (static keys / credential_process), ECS container credentials, EC2 instance metadata (IMDSv2). The same as
 *  il_credentials_provider_default_new_with(NULL). Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_default_new(void);

/** ECS container credentials (also EKS Pod Identity): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on
 *  http://169.254.170.2; wins) or AWS_CONTAINER_CREDENTIALS_FULL_URI (plain http only to loopback or the ECS/EKS agent
 *  addresses 169.254.170.2, 169.254.170.23, fd00:ec2::23; https anywhere), with the Authorization header from
 *  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every get(); wins) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
 *  Neither URI set: IL_ERR_NOTFOUND; a refused URL, a token with CR/LF, an unreachable or refusing endpoint, a
 *  malformed answer: IL_ERR_CREDENTIALS. Named "ecs". Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_ecs_new(void);

/** EC2 instance metadata, IMDSv2 only (session token first; no IMDSv1 fallback): honours AWS_EC2_METADATA_DISABLED,
 *  AWS_EC2_METADATA_SERVICE_ENDPOINT / _ENDPOINT_MODE, AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS (and the profile
 *  keys of the same meaning). Disabled, nothing answering, or no role attached: IL_ERR_NOTFOUND; a bad setting, a
 *  refused token, a malformed answer: IL_ERR_CREDENTIALS. Named "imds". Caller frees; NULL when out of memory. */
struct il_credentials_provider *il_credentials_provider_imds_new(void);

#endif
