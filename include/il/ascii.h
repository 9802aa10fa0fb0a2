/**
 * ASCII character classes the parsers share (YAML numbers, SigV4 and URI percent-decoding, regex escapes), locale-free
 * unlike <ctype.h>. Header-only.
 */
#ifndef IL_ASCII_H
#define IL_ASCII_H

#include <stdint.h>

/** The value of hex digit @p c (0-9, a-f, A-F) as 0..15, or -1 for any other character or code point. Pass a char
 *  as (unsigned char). */
static inline int il_hex_value(uint32_t c) {
    if (c >= '0' && c <= '9') {
        return (int)(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return (int)(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return (int)(c - 'A' + 10);
    }
    return -1;
}

#endif
