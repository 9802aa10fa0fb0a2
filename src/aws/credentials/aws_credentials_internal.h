/**
 * Private to src/aws: the signing-key cache that lives inside each credentials object, and reading the credentials
 * JSON document several providers receive.
 *
 * Caching the derived key on the credentials object means the cache is keyed by the secret without the secret being
 * copied anywhere else: a different secret is a different object. il_credentials_free() wipes the cached keys.
 */
#ifndef IL_AWS_CREDENTIALS_INTERNAL_H
#define IL_AWS_CREDENTIALS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "il/aws/credentials.h"
#include "il/crypto.h"

/** Copy the cached signing key for @p scope ("20150830/us-east-1/service") into @p key; 1 on a hit, 0 on a miss. */
int il_credentials_key_cache_get(const struct il_credentials *creds, const char *scope, uint8_t key[IL_SHA256_LEN]);
/** Remember @p key for @p scope, replacing the oldest entry when full. Never allocates; too-long scopes are not
 *  cached. */
void il_credentials_key_cache_put(const struct il_credentials *creds, const char *scope,
                                  const uint8_t key[IL_SHA256_LEN]);
/** How many signing keys were derived (cache misses) with @p creds; for tests. */
size_t il_credentials_key_cache_misses(const struct il_credentials *creds);

/** What il_credentials_from_json() found wrong; each provider words its own reason (naming its profile or endpoint). */
enum il_credentials_json_problem {
    IL_CREDENTIALS_JSON_OK,
    IL_CREDENTIALS_JSON_NO_KEYS,        /* AccessKeyId or SecretAccessKey missing, empty or not a string */
    IL_CREDENTIALS_JSON_BAD_TOKEN,      /* the token member is there, not null, and not a string */
    IL_CREDENTIALS_JSON_BAD_EXPIRATION, /* Expiration is there, not null, and not an ISO 8601 UTC time */
    IL_CREDENTIALS_JSON_BAD_CHARACTERS, /* il_credentials_new() refused a value (control characters, ...) */
};
/** Credentials from the members every JSON source shares: "AccessKeyId", "SecretAccessKey", @p token_member ("Token"
 *  for ECS and IMDS, "SessionToken" for credential_process; null or "" means none) and "Expiration" (optional). The
 *  caller checks the document's own members (Version, Code) first. IL_OK; IL_ERR_CREDENTIALS with *problem saying
 *  why; IL_ERR_NOMEM. @p root is borrowed (delete it with il_credentials_json_delete()). *out: caller frees. */
IL_MUST_CHECK enum il_status il_credentials_from_json(const cJSON *root, const char *token_member,
                                                      struct il_credentials **out,
                                                      enum il_credentials_json_problem *problem);
/** Wipe the secret and @p token_member inside a parsed credentials document, then delete it; accepts NULL. */
void il_credentials_json_delete(cJSON *root, const char *token_member);

#endif
