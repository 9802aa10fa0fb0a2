/**
 * The library's only door to OpenSSL libcrypto (private header): SHA-256, HMAC-SHA256, hex, and wiping memory.
 *
 * Everything else in src/aws calls these instead of OpenSSL so the "1 means success" convention lives in one file.
 */
#ifndef IL_AWS_CRYPTO_H
#define IL_AWS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "il/status.h"

#define IL_SHA256_LEN 32
#define IL_SHA256_HEX_LEN 64

/** SHA-256 of @p len bytes at @p data (NULL allowed when @p len is 0) into @p out. IL_ERR_CRYPTO on failure. */
IL_MUST_CHECK enum il_status il_crypto_sha256(const void *data, size_t len, uint8_t out[IL_SHA256_LEN]);

/** HMAC-SHA256 of @p msg under @p key into @p out. IL_ERR_CRYPTO on failure. */
IL_MUST_CHECK enum il_status il_crypto_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                                                   uint8_t out[IL_SHA256_LEN]);

/** Lower-case hex of @p len bytes into @p out, which must hold 2 * @p len + 1 bytes; NUL-terminates. */
void il_crypto_hex(const uint8_t *bytes, size_t len, char *out);

/** Overwrite @p len bytes with zeros in a way the compiler cannot drop (OPENSSL_cleanse); NULL allowed. */
void il_crypto_cleanse(void *ptr, size_t len);
/** Wipe the NUL-terminated secret @p s (a signature, a secret key, a session token) with il_crypto_cleanse(), then
 *  free it; NULL allowed. */
void il_crypto_wipe_free(char *s);

#endif
