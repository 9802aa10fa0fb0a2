/*
 * Scalar resolution for the YAML loader: the YAML 1.2 core schema (spec 1.2.2 section 10.3.2) for plain scalars,
 * and the standard !!str/!!int/!!float/!!bool/!!null tags. YAML 1.1's yes/no/on/off, sexagesimals and timestamps are
 * deliberately not recognised: a ledger's `enabled: no` or `expires_at: 2026-01-31` stays the string it looks like.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc_yaml_internal.h"
#include "il/ascii.h"

#define S_TAG_PREFIX "tag:yaml.org,2002:"
#define S_TAG_PREFIX_LEN (sizeof(S_TAG_PREFIX) - 1)

static int s_eq(const char *text, size_t len, const char *lit) {
    size_t n = strlen(lit);
    return len == n && memcmp(text, lit, n) == 0;
}

static int s_digit(char c) {
    return c >= '0' && c <= '9';
}

/* Digits in base 8 or 16 after the 0o/0x prefix; accumulated in a double so long runs saturate, never overflow. */
static int s_radix(const char *p, size_t len, int base, double *out) {
    if (len == 0) {
        return 0;
    }
    double v = 0.0;
    for (size_t i = 0; i < len; i++) {
        int d = il_hex_value((unsigned char)p[i]);
        if (d < 0 || d >= base) {
            return 0;
        }
        v = v * base + d;
    }
    *out = v;
    return 1;
}

/* strtod needs the NUL that libyaml puts after every scalar value (see il_yaml_resolve_core). */
static int s_strtod(const char *text, size_t len, double *out) {
    char *end = NULL;
    *out = strtod(text, &end);
    return end == text + len;
}

/*
 * [-+]? ( [0-9]+ | \. [0-9]+ | [0-9]+ \. [0-9]* ) ( [eE] [-+]? [0-9]+ )?
 * Returns 0 no match, 1 an integer ([-+]?[0-9]+), 2 a float.
 */
static int s_decimal_shape(const char *p, size_t len) {
    size_t i = 0;
    if (i < len && (p[i] == '-' || p[i] == '+')) {
        i++;
    }
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && s_digit(p[i])) {
        i++;
        int_digits++;
    }
    int is_float = 0;
    if (i < len && p[i] == '.') {
        is_float = 1;
        i++;
        while (i < len && s_digit(p[i])) {
            i++;
            frac_digits++;
        }
    }
    if (int_digits == 0 && frac_digits == 0) {
        return 0;
    }
    if (i < len && (p[i] == 'e' || p[i] == 'E')) {
        is_float = 1;
        i++;
        if (i < len && (p[i] == '-' || p[i] == '+')) {
            i++;
        }
        size_t exp_digits = 0;
        while (i < len && s_digit(p[i])) {
            i++;
            exp_digits++;
        }
        if (exp_digits == 0) {
            return 0;
        }
    }
    if (i != len) {
        return 0;
    }
    return is_float ? 2 : 1;
}

static void s_number(struct il_yaml_scalar *out, enum il_yaml_kind kind, double v) {
    out->kind = kind;
    out->number = v;
    out->is_integer = isfinite(v) && floor(v) == v;
}

void il_yaml_resolve_core(const char *text, size_t len, struct il_yaml_scalar *out) {
    memset(out, 0, sizeof(*out));
    out->kind = IL_YAML_KIND_STR;
    if (len == 0) {
        out->kind = IL_YAML_KIND_NULL;
        return;
    }
    /* Dispatch on the first character so ordinary words (most of a ledger) cost one comparison. */
    switch (text[0]) {
    case '~':
        if (len == 1) {
            out->kind = IL_YAML_KIND_NULL;
        }
        return;
    case 'n':
    case 'N':
        if (s_eq(text, len, "null") || s_eq(text, len, "Null") || s_eq(text, len, "NULL")) {
            out->kind = IL_YAML_KIND_NULL;
        }
        return;
    case 't':
    case 'T':
        if (s_eq(text, len, "true") || s_eq(text, len, "True") || s_eq(text, len, "TRUE")) {
            out->kind = IL_YAML_KIND_BOOL;
            out->boolean = 1;
        }
        return;
    case 'f':
    case 'F':
        if (s_eq(text, len, "false") || s_eq(text, len, "False") || s_eq(text, len, "FALSE")) {
            out->kind = IL_YAML_KIND_BOOL;
            out->boolean = 0;
        }
        return;
    case '.':
    case '+':
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': break;
    default: return;
    }
    double v = 0.0;
    if (len > 2 && text[0] == '0' && text[1] == 'o') {
        if (s_radix(text + 2, len - 2, 8, &v)) {
            s_number(out, IL_YAML_KIND_INT, v);
        }
        return;
    }
    if (len > 2 && text[0] == '0' && text[1] == 'x') {
        if (s_radix(text + 2, len - 2, 16, &v)) {
            s_number(out, IL_YAML_KIND_INT, v);
        }
        return;
    }
    const char *p = text;
    size_t n = len;
    int negative = 0;
    if (*p == '-' || *p == '+') {
        negative = *p == '-';
        p++;
        n--;
    }
    if (s_eq(p, n, ".inf") || s_eq(p, n, ".Inf") || s_eq(p, n, ".INF")) {
        s_number(out, IL_YAML_KIND_FLOAT, negative ? -INFINITY : INFINITY);
        return;
    }
    if (n == len && (s_eq(p, n, ".nan") || s_eq(p, n, ".NaN") || s_eq(p, n, ".NAN"))) {
        s_number(out, IL_YAML_KIND_FLOAT, NAN);
        return;
    }
    int shape = s_decimal_shape(text, len);
    if (shape != 0 && s_strtod(text, len, &v)) {
        s_number(out, shape == 1 ? IL_YAML_KIND_INT : IL_YAML_KIND_FLOAT, v);
    }
}

const char *il_yaml_tag_short(const char *tag, const char **prefix) {
    *prefix = "";
    if (tag == NULL) {
        return "";
    }
    if (strncmp(tag, S_TAG_PREFIX, S_TAG_PREFIX_LEN) == 0) {
        *prefix = "!!";
        return tag + S_TAG_PREFIX_LEN;
    }
    return tag;
}

static struct il_node *s_make(struct il_doc *doc, const struct il_yaml_scalar *s, const char *text, size_t len,
                              unsigned line, unsigned column) {
    switch (s->kind) {
    case IL_YAML_KIND_NULL: return il_node_new_null(doc, line, column);
    case IL_YAML_KIND_BOOL: return il_node_new_bool(doc, s->boolean, line, column);
    case IL_YAML_KIND_INT:
    case IL_YAML_KIND_FLOAT: return il_node_new_number(doc, s->number, s->is_integer, line, column);
    case IL_YAML_KIND_STR: break;
    }
    return il_node_new_string(doc, text, len, line, column);
}

enum il_status il_yaml_scalar_node(struct il_doc *doc, const char *tag, const char *text, size_t len,
                                   int plain_untagged, unsigned line, unsigned column, struct il_node **out,
                                   const char **problem) {
    struct il_yaml_scalar s;
    *out = NULL;
    *problem = NULL;
    if (plain_untagged) {
        il_yaml_resolve_core(text, len, &s);
    } else if (tag == NULL || strcmp(tag, "!") == 0 || strcmp(tag, S_TAG_PREFIX "str") == 0) {
        /* quoted, block, or the non-specific "!" tag: a string by definition */
        memset(&s, 0, sizeof(s));
        s.kind = IL_YAML_KIND_STR;
    } else {
        enum il_yaml_kind want;
        if (strcmp(tag, S_TAG_PREFIX "int") == 0) {
            want = IL_YAML_KIND_INT;
        } else if (strcmp(tag, S_TAG_PREFIX "float") == 0) {
            want = IL_YAML_KIND_FLOAT;
        } else if (strcmp(tag, S_TAG_PREFIX "bool") == 0) {
            want = IL_YAML_KIND_BOOL;
        } else if (strcmp(tag, S_TAG_PREFIX "null") == 0) {
            want = IL_YAML_KIND_NULL;
        } else {
            *problem = "unsupported tag";
            return IL_ERR_PARSE;
        }
        il_yaml_resolve_core(text, len, &s);
        /* !!float accepts integer notation ("!!float 1" is 1.0), as the core schema's tag resolution allows */
        if (want == IL_YAML_KIND_FLOAT && s.kind == IL_YAML_KIND_INT) {
            s.kind = IL_YAML_KIND_FLOAT;
        }
        if (s.kind != want) {
            *problem = "value does not match its tag";
            return IL_ERR_PARSE;
        }
    }
    *out = s_make(doc, &s, text, len, line, column);
    return *out ? IL_OK : IL_ERR_NOMEM;
}
