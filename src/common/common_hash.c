/* 64-bit FNV-1a (see il/hash.h for where it is used and why that is enough). */
#include "il/hash.h"

#define S_FNV_OFFSET 1469598103934665603ULL
#define S_FNV_PRIME 1099511628211ULL

uint64_t il_hash_bytes(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = S_FNV_OFFSET;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * S_FNV_PRIME;
    }
    return h;
}

uint64_t il_hash_str(const char *s) {
    uint64_t h = S_FNV_OFFSET;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h = (h ^ *p) * S_FNV_PRIME;
    }
    return h;
}
