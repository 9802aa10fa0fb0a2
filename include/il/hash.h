/**
 * One non-cryptographic hash for the in-memory tables (object keys, anchors, inventory ARNs, duplicate entries,
 * pagination tokens): 64-bit FNV-1a. Never used for anything an attacker could profit from colliding beyond a slower
 * lookup: every table bounds its size, and every hit is confirmed by comparing the bytes.
 */
#ifndef IL_HASH_H
#define IL_HASH_H

#include <stddef.h>
#include <stdint.h>

/** FNV-1a of @p len bytes at @p data (may be NULL when @p len is 0). */
uint64_t il_hash_bytes(const void *data, size_t len);

/** FNV-1a of the NUL-terminated @p s (the same value as il_hash_bytes(s, strlen(s))). */
uint64_t il_hash_str(const char *s);

#endif
