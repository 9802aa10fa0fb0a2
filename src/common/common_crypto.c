/* SHA-1, SHA-256 and HMAC-SHA256 over OpenSSL libcrypto. This is the only file that includes OpenSSL headers. */
#include "il/crypto.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* OpenSSL returns 1 on success and 0 (sometimes negative) on failure; turn that into our status exactly once. */
#define IL_GUARD_OSSL(call)                                                                                            \
    do {                                                                                                               \
        if ((call) != 1) {                                                                                             \
            status = IL_ERR_CRYPTO;                                                                                    \
            goto cleanup;                                                                                              \
        }                                                                                                              \
    } while (0)

static enum il_status s_digest(const EVP_MD *md, const void *data, size_t len, uint8_t *out, unsigned int want) {
    enum il_status status = IL_OK;
    unsigned int out_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return IL_ERR_NOMEM;
    }
    IL_GUARD_OSSL(EVP_DigestInit_ex(ctx, md, NULL));
    if (len > 0) {
        IL_GUARD_OSSL(EVP_DigestUpdate(ctx, data, len));
    }
    IL_GUARD_OSSL(EVP_DigestFinal_ex(ctx, out, &out_len));
    if (out_len != want) {
        status = IL_ERR_CRYPTO;
    }
cleanup:
    EVP_MD_CTX_free(ctx);
    return status;
}

enum il_status il_crypto_sha1(const void *data, size_t len, uint8_t out[IL_SHA1_LEN]) {
    return s_digest(EVP_sha1(), data, len, out, IL_SHA1_LEN);
}

enum il_status il_crypto_sha256(const void *data, size_t len, uint8_t out[IL_SHA256_LEN]) {
    return s_digest(EVP_sha256(), data, len, out, IL_SHA256_LEN);
}

enum il_status il_crypto_sha256_hex(const void *data, size_t len, char out[IL_SHA256_HEX_LEN + 1]) {
    uint8_t md[IL_SHA256_LEN];
    out[0] = '\0';
    IL_TRY(il_crypto_sha256(data, len, md));
    il_crypto_hex(md, sizeof(md), out);
    return IL_OK;
}

enum il_status il_crypto_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                                     uint8_t out[IL_SHA256_LEN]) {
    enum il_status status = IL_OK;
    unsigned int out_len = 0;
    if (key_len > INT_MAX) {
        return IL_ERR_INVALID;
    }
    /* HMAC() with a NULL message pointer is fine only for length 0; give it a valid pointer either way. */
    static const unsigned char empty[1] = {0};
    const unsigned char *m = msg_len > 0 ? msg : empty;
    if (HMAC(EVP_sha256(), key, (int)key_len, m, msg_len, out, &out_len) == NULL || out_len != IL_SHA256_LEN) {
        status = IL_ERR_CRYPTO;
        goto cleanup;
    }
cleanup:
    return status;
}

void il_crypto_hex(const uint8_t *bytes, size_t len, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * len] = '\0';
}

void il_crypto_cleanse(void *ptr, size_t len) {
    if (ptr != NULL && len > 0) {
        OPENSSL_cleanse(ptr, len);
    }
}

void il_crypto_wipe_free(char *s) {
    if (s != NULL) {
        il_crypto_cleanse(s, strlen(s));
        free(s);
    }
}
