/* SHA-256 of the ledger's bytes: the evidence stamp that ties a report or a check to one reviewed version. */
#include <openssl/evp.h>

#include "ledger/ledger_internal.h"

/* libcrypto returns 1 on success; one guard so nobody gets it backwards. */
#define IL_OSSL_OK(call) ((call) == 1)

enum il_status il_ledger_sha256_hex(const char *data, size_t len, char out[65]) {
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    out[0] = '\0';
    if (!IL_OSSL_OK(EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL)) || md_len != 32) {
        return IL_ERR_CRYPTO;
    }
    for (unsigned int i = 0; i < md_len; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0x0f];
    }
    out[64] = '\0';
    return IL_OK;
}
