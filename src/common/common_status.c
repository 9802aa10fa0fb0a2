#include "il/status.h"

const char *il_status_str(enum il_status status) {
    switch (status) {
    case IL_OK: return "ok";
    case IL_ERR_NOMEM: return "out of memory";
    case IL_ERR_IO: return "input/output error";
    case IL_ERR_PARSE: return "parse error";
    case IL_ERR_LIMIT: return "limit exceeded";
    case IL_ERR_INVALID: return "invalid value";
    case IL_ERR_NOTFOUND: return "not found";
    case IL_ERR_AWS: return "aws error";
    case IL_ERR_NETWORK: return "network error";
    case IL_ERR_CRYPTO: return "cryptography error";
    case IL_ERR_CREDENTIALS: return "no usable credentials";
    case IL_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}
