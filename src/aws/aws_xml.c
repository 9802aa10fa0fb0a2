/* Bounded XML scanning for STS: find element, decode text (see aws_xml.h for what is refused). */
#include "aws/aws_xml.h"

#include <stdlib.h>
#include <string.h>

static const char *s_memmem(const char *hay, size_t hay_len, const char *needle, size_t needle_len) {
    if (needle_len == 0 || hay_len < needle_len) {
        return NULL;
    }
    for (size_t i = 0; i + needle_len <= hay_len; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, needle_len) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

int il_xml_has_dtd(const char *xml, size_t len) {
    return s_memmem(xml, len, "<!DOCTYPE", 9) != NULL || s_memmem(xml, len, "<!ENTITY", 8) != NULL;
}

int il_xml_find(const char *xml, size_t len, const char *name, const char **inner, size_t *inner_len) {
    size_t name_len = strlen(name);
    if (name_len == 0 || name_len > 64 || il_xml_has_dtd(xml, len)) {
        return 0;
    }
    const char *p = xml;
    const char *end = xml + len;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (lt == NULL) {
            return 0;
        }
        const char *after = lt + 1 + name_len;
        if (after < end && memcmp(lt + 1, name, name_len) == 0 &&
            (*after == '>' || *after == ' ' || *after == '\t' || *after == '\n' || *after == '\r' || *after == '/')) {
            const char *gt = memchr(after, '>', (size_t)(end - after));
            if (gt == NULL) {
                return 0;
            }
            if (gt[-1] == '/') { /* <Name/>: empty */
                *inner = gt + 1;
                *inner_len = 0;
                return 1;
            }
            char close[72];
            close[0] = '<';
            close[1] = '/';
            memcpy(close + 2, name, name_len);
            close[2 + name_len] = '>';
            const char *c = s_memmem(gt + 1, (size_t)(end - gt - 1), close, name_len + 3);
            if (c == NULL) {
                return 0; /* truncated document */
            }
            *inner = gt + 1;
            *inner_len = (size_t)(c - gt - 1);
            return 1;
        }
        p = lt + 1;
    }
    return 0;
}

static enum il_status s_put_utf8(struct il_buf *out, unsigned long cp) {
    char b[4];
    size_t n;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return IL_ERR_PARSE;
    }
    if (cp < 0x80) {
        b[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return il_buf_append(out, b, n);
}

enum il_status il_xml_text(const char *xml, size_t len, const char *name, struct il_buf *out) {
    const char *inner = NULL;
    size_t inner_len = 0;
    if (!il_xml_find(xml, len, name, &inner, &inner_len)) {
        return IL_ERR_NOTFOUND;
    }
    const char *p = inner;
    const char *end = inner + inner_len;
    while (p < end) {
        if (*p == '<') {
            return IL_ERR_PARSE; /* nested markup where text was expected */
        }
        if (*p != '&') {
            IL_TRY(il_buf_putc(out, *p));
            p++;
            continue;
        }
        const char *semi = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
        if (semi == NULL) {
            return IL_ERR_PARSE;
        }
        size_t elen = (size_t)(semi - p - 1);
        const char *e = p + 1;
        if (elen == 2 && memcmp(e, "lt", 2) == 0) {
            IL_TRY(il_buf_putc(out, '<'));
        } else if (elen == 2 && memcmp(e, "gt", 2) == 0) {
            IL_TRY(il_buf_putc(out, '>'));
        } else if (elen == 3 && memcmp(e, "amp", 3) == 0) {
            IL_TRY(il_buf_putc(out, '&'));
        } else if (elen == 4 && memcmp(e, "quot", 4) == 0) {
            IL_TRY(il_buf_putc(out, '"'));
        } else if (elen == 4 && memcmp(e, "apos", 4) == 0) {
            IL_TRY(il_buf_putc(out, '\''));
        } else if (elen >= 2 && e[0] == '#') {
            char num[12];
            int hex = e[1] == 'x' || e[1] == 'X';
            size_t dlen = elen - 1 - (size_t)hex;
            if (dlen == 0 || dlen >= sizeof(num)) {
                return IL_ERR_PARSE;
            }
            memcpy(num, e + 1 + hex, dlen);
            num[dlen] = '\0';
            char *stop = NULL;
            unsigned long cp = strtoul(num, &stop, hex ? 16 : 10);
            if (stop == num || *stop != '\0') {
                return IL_ERR_PARSE;
            }
            IL_TRY(s_put_utf8(out, cp));
        } else {
            return IL_ERR_PARSE;
        }
        p = semi + 1;
    }
    return il_buf_status(out);
}
