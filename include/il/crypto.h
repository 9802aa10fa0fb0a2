/**
 * The library's only door to OpenSSL libcrypto: SHA-1, SHA-256, HMAC-SHA256, hex, and wiping memory.
 *
 * Every other file calls these instead of OpenSSL, so the "1 means success" convention (IL_GUARD_OSSL) lives in
 * src/common/common_crypto.c alone. No function here allocates except il_crypto_wipe_free(), which frees; output
 * buffers are the caller's, sized by the constants below.
 */
#ifndef IL_CRYPTO_H
#define IL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "il/status.h"

#define IL_SHA1_LEN 20
#define IL_SHA256_LEN 32
#define IL_SHA256_HEX_LEN 64

/** SHA-1 of @p len bytes at @p data (NULL allowed when @p len is 0) into @p out. Only for names other tools
 *  derive with it (the AWS CLI's SSO token cache file), never for integrity. IL_ERR_CRYPTO on failure. */
IL_MUST_CHECK enum il_status il_crypto_sha1(const void *data, size_t len, uint8_t out[IL_SHA1_LEN]);

/** SHA-256 of @p len bytes at @p data (NULL allowed when @p len is 0) into @p out. IL_ERR_CRYPTO on failure. */
IL_MUST_CHECK enum il_status il_crypto_sha256(const void *data, size_t len, uint8_t out[IL_SHA256_LEN]);

/** Lower-case hex SHA-256 of @p len bytes at @p data into @p out (NUL-terminated). On failure @p out is the empty
 *  string and IL_ERR_CRYPTO is returned. */
IL_MUST_CHECK enum il_status il_crypto_sha256_hex(const void *data, size_t len, char out[IL_SHA256_HEX_LEN + 1]);

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
