/**
 * AWS credentials and the provider interface the SDK-style chain plugs into.
 *
 * struct il_credentials is opaque: its secret and token are reachable only through il_credentials_secret() and
 * il_credentials_session_token(), which only the SigV4 signer calls. il_credentials_free() wipes them
 * (OPENSSL_cleanse). Nothing in this library prints a credential value; debug output identifies objects by pointer.
 */
#ifndef IL_AWS_CREDENTIALS_H
#define IL_AWS_CREDENTIALS_H

#include <stdint.h>

#include "il/buf.h"
#include "il/status.h"

struct il_credentials;

/** Copy the given values into a new credentials object. @p session_token may be NULL; @p expiration is Unix seconds
 *  (0: does not expire). */
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
    void (*destroy)(struct il_credentials_provider *provider);
};

/** Helpers over the vtable. */
IL_MUST_CHECK enum il_status il_credentials_provider_get(struct il_credentials_provider *provider,
                                                         struct il_credentials **out, struct il_buf *why);
const char *il_credentials_provider_name(const struct il_credentials_provider *provider);
/** Destroy and free a heap provider; accepts NULL. */
void il_credentials_provider_free(struct il_credentials_provider *provider);

/** The environment provider (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). Caller frees. */
struct il_credentials_provider *il_credentials_provider_env_new(void);

#endif
