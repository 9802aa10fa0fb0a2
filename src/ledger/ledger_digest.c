/* SHA-256 of the ledger's bytes: the evidence stamp that ties a report or a check to one reviewed version. */
#include "il/crypto.h"
#include "ledger/ledger_internal.h"

enum il_status il_ledger_sha256_hex(const char *data, size_t len, char out[65]) {
    return il_crypto_sha256_hex(data, len, out);
}
