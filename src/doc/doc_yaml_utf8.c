/*
 * Up-front UTF-8 check for the YAML loader. libyaml's reader reports bad bytes by offset with vague wording
 * ("invalid leading UTF-8 octet"), and only after parsing up to them; checking first lets us name line:column of the
 * exact byte before any event is built.
 */
#include <stdint.h>
#include <string.h>

#include "doc/doc_yaml_internal.h"

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), or 0. */
static size_t s_decode(const unsigned char *p, const unsigned char *end, unsigned long *cp) {
    unsigned char c = p[0];
    size_t avail = (size_t)(end - p);
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (avail < 2 || (p[1] & 0xC0) != 0x80) {
            return 0;
        }
        *cp = ((unsigned long)(c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80) {
            return 0;
        }
        *cp = ((unsigned long)(c & 0x0F) << 12) | ((unsigned long)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
        if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) {
            return 0;
        }
        *cp = ((unsigned long)(c & 0x07) << 18) | ((unsigned long)(p[1] & 0x3F) << 12) |
              ((unsigned long)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        return 4;
    }
    return 0;
}

/* YAML 1.2 c-printable, the same set libyaml's reader enforces. */
static int s_printable(unsigned long cp) {
    return cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
           (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void il_utf8_position(const char *data, size_t len, size_t offset, unsigned *line, unsigned *column) {
    const unsigned char *p = (const unsigned char *)data;
    const unsigned char *end = p + (offset < len ? offset : len);
    unsigned l = 1, c = 1;
    /* libyaml skips a leading byte order mark without counting it as a column */
    if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        p += 3;
    }
    while (p < end) {
        unsigned long cp = 0;
        size_t n = s_decode(p, (const unsigned char *)data + len, &cp);
        if (n == 0) {
            n = 1; /* count a malformed byte as one character */
            cp = 0xFFFD;
        }
        if (cp == '\r' && p + 1 < end && p[1] == '\n') {
            n = 2;
        }
        if (cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
            l++;
            c = 1;
        } else {
            c++;
        }
        p += n;
    }
    *line = l;
    *column = c;
}

/* All eight bytes of @p w printable ASCII or LF? Exact per-byte SWAR tests with no carry between bytes: once the
 * high bits are clear, adding 0x60 sets bit 7 of a byte iff it is >= 0x20, and (x & 0x7f) + 0x7f sets it iff x is
 * not zero (used on w ^ '\n' and w ^ 0x7f). */
static int s_word_plain(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL, lows = 0x7F7F7F7F7F7F7F7FULL;
    if (w & highs) {
        return 0;
    }
    uint64_t ge20 = (w + ones * 0x60) & highs;
    uint64_t nl = w ^ (ones * '\n');
    uint64_t not_nl = (((nl & lows) + lows) | nl) & highs;
    uint64_t del = w ^ (ones * 0x7F);
    uint64_t not_del = (((del & lows) + lows) | del) & highs;
    return ((ge20 | (~not_nl & highs)) & not_del) == highs;
}

int il_utf8_check(const char *data, size_t len, struct il_utf8_error *err) {
    const unsigned char *start = (const unsigned char *)data;
    const unsigned char *p = start;
    const unsigned char *end = start + len;
    while (p < end) {
        /* fast path: eight bytes of printable ASCII or newlines at a time, which is nearly all of a ledger */
        if (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, sizeof(w));
            if (s_word_plain(w)) {
                p += 8;
                continue;
            }
        }
        unsigned char c = *p;
        if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t' || c == '\r') {
            p++;
            continue;
        }
        unsigned long cp = 0;
        size_t n = s_decode(p, end, &cp);
        if (n == 0 || !s_printable(cp)) {
            err->offset = (size_t)(p - start);
            err->byte = c;
            err->codepoint = cp;
            err->is_control = n != 0;
            il_utf8_position(data, len, err->offset, &err->line, &err->column);
            return 0;
        }
        p += n;
    }
    return 1;
}
