/**
 * Private to src/aws: the signing-key cache that lives inside each credentials object.
 *
 * Caching the derived key on the credentials object means the cache is keyed by the secret without the secret being
 * copied anywhere else: a different secret is a different object. il_credentials_free() wipes the cached keys.
 */
#ifndef IL_AWS_CREDENTIALS_INTERNAL_H
#define IL_AWS_CREDENTIALS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "aws/aws_crypto.h"
#include "il/aws/credentials.h"

/** Copy the cached signing key for @p scope ("20150830/us-east-1/service") into @p key; 1 on a hit, 0 on a miss. */
int il_credentials_key_cache_get(const struct il_credentials *creds, const char *scope, uint8_t key[IL_SHA256_LEN]);
/** Remember @p key for @p scope, replacing the oldest entry when full. Never allocates; too-long scopes are not
 *  cached. */
void il_credentials_key_cache_put(const struct il_credentials *creds, const char *scope,
                                  const uint8_t key[IL_SHA256_LEN]);
/** How many signing keys were derived (cache misses) with @p creds; for tests. */
size_t il_credentials_key_cache_misses(const struct il_credentials *creds);

#endif
