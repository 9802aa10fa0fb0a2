/*
 * ECMA-262 pattern parser: pattern text to an AST of code-point sets, concatenation, alternation and repetition.
 * Anything this engine cannot honour exactly (lookaround, backreferences, \p{...}, unknown escapes) is a parse error,
 * so a schema using it fails to compile instead of silently accepting strings it could not check.
 */
#include <stdlib.h>
#include <string.h>

#include "il/ascii.h"
#include "schema/schema_regex.h"

static const uint32_t s_digit[] = {0x30, 0x39};
static const uint32_t s_word[] = {0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A};
static const uint32_t s_space[] = {0x09,   0x0D,   0x20,   0x20,   0xA0,   0xA0,   0x1680, 0x1680, 0x2000, 0x200A,
                                   0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF};

/* Decode one code point; invalid UTF-8 yields U+FFFD for one byte. */
uint32_t il_re_decode(const unsigned char *s, size_t len, size_t *adv) {
    unsigned char b = s[0];
    size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > len) {
        *adv = 1;
        return 0xFFFD;
    }
    uint32_t cp = n == 1 ? b : (uint32_t)(b & (0x7F >> n));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *adv = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *adv = n;
    return cp;
}

int il_re_fail(struct il_re_parser *ps, const char *why) {
    if (ps->why == NULL) {
        ps->why = why;
    }
    return -1;
}

static int s_node(struct il_re_parser *ps, int type, int x, int y) {
    if (ps->nast == ps->capast) {
        size_t cap = ps->capast ? ps->capast * 2 : 32;
        struct il_re_ast *a = realloc(ps->ast, cap * sizeof(*a));
        if (a == NULL) {
            return il_re_fail(ps, "out of memory");
        }
        ps->ast = a;
        ps->capast = cap;
    }
    struct il_re_ast *n = &ps->ast[ps->nast];
    n->type = (uint8_t)type;
    n->x = x;
    n->y = y;
    n->min = n->max = 0;
    return (int)ps->nast++;
}

static int s_eof(const struct il_re_parser *ps) {
    return ps->p >= ps->end;
}

static uint32_t s_peek(const struct il_re_parser *ps) {
    size_t adv;
    return s_eof(ps) ? 0 : il_re_decode(ps->p, (size_t)(ps->end - ps->p), &adv);
}

static uint32_t s_next(struct il_re_parser *ps) {
    size_t adv;
    uint32_t cp = il_re_decode(ps->p, (size_t)(ps->end - ps->p), &adv);
    ps->p += adv;
    return cp;
}

static int s_tmp_add(struct il_re_parser *ps, uint32_t lo, uint32_t hi) {
    if (ps->ntmp + 2 > ps->captmp) {
        size_t cap = ps->captmp ? ps->captmp * 2 : 32;
        uint32_t *t = realloc(ps->tmp, cap * sizeof(*t));
        if (t == NULL) {
            return il_re_fail(ps, "out of memory");
        }
        ps->tmp = t;
        ps->captmp = cap;
    }
    ps->tmp[ps->ntmp++] = lo;
    ps->tmp[ps->ntmp++] = hi;
    return 0;
}

/* Add a predefined class (or its complement) to the class being built. */
static int s_tmp_add_class(struct il_re_parser *ps, const uint32_t *r, size_t n, int negate) {
    if (!negate) {
        for (size_t i = 0; i < n; i += 2) {
            if (s_tmp_add(ps, r[i], r[i + 1]) < 0) {
                return -1;
            }
        }
        return 0;
    }
    uint32_t lo = 0;
    for (size_t i = 0; i < n; i += 2) {
        if (r[i] > lo && s_tmp_add(ps, lo, r[i] - 1) < 0) {
            return -1;
        }
        lo = r[i + 1] + 1;
    }
    return lo <= IL_CP_MAX ? s_tmp_add(ps, lo, IL_CP_MAX) : 0;
}

static int s_cmp_range(const void *a, const void *b) {
    const uint32_t *x = a;
    const uint32_t *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Turn the collected ranges into a set (sorted, merged, optionally complemented); returns its index. */
static int s_tmp_finish(struct il_re_parser *ps, int negate) {
    if (ps->ntmp > 0) { /* "[]" has no ranges (and no buffer yet) */
        qsort(ps->tmp, ps->ntmp / 2, 2 * sizeof(uint32_t), s_cmp_range);
    }
    size_t m = 0;
    for (size_t i = 0; i < ps->ntmp; i += 2) {
        if (m > 0 && ps->tmp[i] <= ps->tmp[m - 1] + 1) {
            if (ps->tmp[i + 1] > ps->tmp[m - 1]) {
                ps->tmp[m - 1] = ps->tmp[i + 1];
            }
        } else {
            ps->tmp[m++] = ps->tmp[i];
            ps->tmp[m++] = ps->tmp[i + 1];
        }
    }
    ps->ntmp = m;
    struct il_re_set set = {0};
    size_t cap = m + 2;
    set.r = malloc(cap * sizeof(uint32_t));
    if (set.r == NULL) {
        return il_re_fail(ps, "out of memory");
    }
    if (!negate) {
        if (m > 0) {
            memcpy(set.r, ps->tmp, m * sizeof(uint32_t));
        }
        set.n = m / 2;
    } else {
        uint32_t lo = 0;
        size_t k = 0;
        for (size_t i = 0; i < m; i += 2) {
            if (ps->tmp[i] > lo) {
                set.r[k++] = lo;
                set.r[k++] = ps->tmp[i] - 1;
            }
            lo = ps->tmp[i + 1] + 1;
        }
        if (lo <= IL_CP_MAX) {
            set.r[k++] = lo;
            set.r[k++] = IL_CP_MAX;
        }
        set.n = k / 2;
    }
    struct il_re_set *sets = realloc(ps->re->sets, (ps->re->nsets + 1) * sizeof(*sets));
    if (sets == NULL) {
        free(set.r);
        return il_re_fail(ps, "out of memory");
    }
    ps->re->sets = sets;
    sets[ps->re->nsets] = set;
    ps->ntmp = 0;
    return (int)ps->re->nsets++;
}

/* Exactly @p n hex digits. */
static long s_hex_n(struct il_re_parser *ps, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
        int h = s_eof(ps) ? -1 : il_hex_value(s_peek(ps));
        if (h < 0) {
            return -1;
        }
        s_next(ps);
        v = v * 16 + h;
    }
    return v;
}

/*
 * After a backslash: a single character (returned, *cls = 0) or a class escape (*cls = 'd','D','w','W','s','S').
 * Returns -1 on an error. @p in_class: inside [...] where \b means backspace.
 */
static long s_escape(struct il_re_parser *ps, int in_class, int *cls) {
    *cls = 0;
    if (s_eof(ps)) {
        return il_re_fail(ps, "pattern ends with a lone backslash");
    }
    uint32_t c = s_next(ps);
    switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 's':
    case 'S': *cls = (int)c; return 0;
    case 't': return '\t';
    case 'n': return '\n';
    case 'v': return '\v';
    case 'f': return '\f';
    case 'r': return '\r';
    case 'b':
        if (in_class) {
            return 0x08;
        }
        break;
    case '0':
        if (!s_eof(ps) && s_peek(ps) >= '0' && s_peek(ps) <= '9') {
            return il_re_fail(ps, "octal escapes are not supported");
        }
        return 0;
    case 'c': {
        uint32_t l = s_eof(ps) ? 0 : s_peek(ps);
        if ((l >= 'a' && l <= 'z') || (l >= 'A' && l <= 'Z')) {
            s_next(ps);
            return (long)(l % 32);
        }
        return il_re_fail(ps, "\\c must be followed by a letter");
    }
    case 'x': {
        long v = s_hex_n(ps, 2);
        return v < 0 ? il_re_fail(ps, "\\x needs two hex digits") : v;
    }
    case 'u': {
        if (!s_eof(ps) && s_peek(ps) == '{') {
            s_next(ps);
            long v = 0;
            int nd = 0;
            while (!s_eof(ps) && il_hex_value(s_peek(ps)) >= 0 && v <= (long)IL_CP_MAX) {
                v = v * 16 + il_hex_value(s_next(ps));
                nd++;
            }
            if (nd == 0 || s_eof(ps) || s_next(ps) != '}' || v > (long)IL_CP_MAX) {
                return il_re_fail(ps, "malformed \\u{...} escape");
            }
            return v;
        }
        long v = s_hex_n(ps, 4);
        if (v < 0) {
            return il_re_fail(ps, "\\u needs four hex digits");
        }
        /* a UTF-16 surrogate pair written as two escapes is one code point */
        if (v >= 0xD800 && v <= 0xDBFF && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
            const unsigned char *save = ps->p;
            ps->p += 2;
            long lo = s_hex_n(ps, 4);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            }
            ps->p = save;
        }
        return v;
    }
    case 'p':
    case 'P': return il_re_fail(ps, "Unicode property escapes (\\p{...}) are not supported");
    case 'k': return il_re_fail(ps, "named backreferences (\\k<...>) are not supported");
    default: break;
    }
    if (c >= '1' && c <= '9') {
        return il_re_fail(ps, "backreferences are not supported");
    }
    if (strchr("^$\\.*+?()[]{}|/-", (int)c) != NULL && c != 0) {
        return (long)c;
    }
    return il_re_fail(ps, "unknown escape sequence");
}

static int s_class_escape_ranges(struct il_re_parser *ps, int cls) {
    switch (cls) {
    case 'd':
    case 'D': return s_tmp_add_class(ps, s_digit, 2, cls == 'D');
    case 'w':
    case 'W': return s_tmp_add_class(ps, s_word, 8, cls == 'W');
    default: return s_tmp_add_class(ps, s_space, sizeof(s_space) / sizeof(s_space[0]), cls == 'S');
    }
}

/* One class atom: a code point (>= 0, *cls = 0) or a class escape (*cls != 0). */
static long s_class_atom(struct il_re_parser *ps, int *cls) {
    *cls = 0;
    uint32_t c = s_next(ps);
    if (c == '\\') {
        return s_escape(ps, 1, cls);
    }
    return (long)c;
}

static int s_class(struct il_re_parser *ps) {
    int negate = 0;
    if (!s_eof(ps) && s_peek(ps) == '^') {
        s_next(ps);
        negate = 1;
    }
    ps->ntmp = 0;
    for (;;) {
        if (s_eof(ps)) {
            return il_re_fail(ps, "unterminated character class");
        }
        if (s_peek(ps) == ']') {
            s_next(ps);
            break;
        }
        int cls1;
        long a = s_class_atom(ps, &cls1);
        if (a < 0) {
            return -1;
        }
        if (!s_eof(ps) && s_peek(ps) == '-' && ps->end - ps->p > 1 && ps->p[1] != ']') {
            s_next(ps);
            int cls2;
            long b = s_class_atom(ps, &cls2);
            if (b < 0) {
                return -1;
            }
            if (cls1 || cls2) { /* [\d-x]: Annex B reads the '-' literally */
                if ((cls1 ? s_class_escape_ranges(ps, cls1) : s_tmp_add(ps, (uint32_t)a, (uint32_t)a)) < 0 ||
                    s_tmp_add(ps, '-', '-') < 0 ||
                    (cls2 ? s_class_escape_ranges(ps, cls2) : s_tmp_add(ps, (uint32_t)b, (uint32_t)b)) < 0) {
                    return -1;
                }
                continue;
            }
            if (a > b) {
                return il_re_fail(ps, "character class range out of order");
            }
            if (s_tmp_add(ps, (uint32_t)a, (uint32_t)b) < 0) {
                return -1;
            }
            continue;
        }
        if ((cls1 ? s_class_escape_ranges(ps, cls1) : s_tmp_add(ps, (uint32_t)a, (uint32_t)a)) < 0) {
            return -1;
        }
    }
    int set = s_tmp_finish(ps, negate);
    return set < 0 ? -1 : s_node(ps, A_SET, set, 0);
}

/* Parse "{n}", "{n,}", "{n,m}" at ps->p (which is at '{'). 1 when it is a quantifier, 0 when a literal '{'. */
static int s_braces(struct il_re_parser *ps, int *min, int *max) {
    const unsigned char *q = ps->p + 1;
    long n = 0;
    long m;
    int nd = 0;
    while (q < ps->end && *q >= '0' && *q <= '9') {
        n = n < IL_RE_MAX_COUNT ? n * 10 + (*q - '0') : n + 1;
        q++, nd++;
    }
    if (nd == 0) {
        return 0;
    }
    m = n;
    if (q < ps->end && *q == ',') {
        q++;
        m = -1;
        int md = 0;
        long v = 0;
        while (q < ps->end && *q >= '0' && *q <= '9') {
            v = v < IL_RE_MAX_COUNT ? v * 10 + (*q - '0') : v + 1;
            q++, md++;
        }
        if (md) {
            m = v;
        }
    }
    if (q >= ps->end || *q != '}') {
        return 0;
    }
    ps->p = q + 1;
    *min = (int)(n > IL_RE_MAX_COUNT ? IL_RE_MAX_COUNT + 1 : n);
    *max = (int)(m > IL_RE_MAX_COUNT ? IL_RE_MAX_COUNT + 1 : m);
    return 1;
}

static int s_disj(struct il_re_parser *ps);

static int s_atom(struct il_re_parser *ps, int *assertion) {
    *assertion = 0;
    uint32_t c = s_next(ps);
    switch (c) {
    case '^': *assertion = 1; return s_node(ps, A_BOL, 0, 0);
    case '$': *assertion = 1; return s_node(ps, A_EOL, 0, 0);
    case '.': return s_node(ps, A_ANY, 0, 0);
    case '[': return s_class(ps);
    case '*':
    case '+':
    case '?': return il_re_fail(ps, "nothing to repeat before a quantifier");
    case ')': return il_re_fail(ps, "unmatched ')'");
    case '(': {
        if (!s_eof(ps) && s_peek(ps) == '?') {
            s_next(ps);
            uint32_t k = s_eof(ps) ? 0 : s_next(ps);
            if (k == '<' && !s_eof(ps) && (s_peek(ps) == '=' || s_peek(ps) == '!')) {
                return il_re_fail(ps, "lookbehind assertions are not supported");
            }
            if (k == '<') { /* named group: skip the name */
                while (!s_eof(ps) && s_peek(ps) != '>') {
                    s_next(ps);
                }
                if (s_eof(ps)) {
                    return il_re_fail(ps, "unterminated group name");
                }
                s_next(ps);
            } else if (k == '=' || k == '!') {
                return il_re_fail(ps, "lookahead assertions are not supported");
            } else if (k != ':') {
                return il_re_fail(ps, "unknown group type after '(?'");
            }
        }
        if (++ps->depth > IL_SCHEMA_MAX_DEPTH) {
            return il_re_fail(ps, "groups nested too deeply");
        }
        int inner = s_disj(ps);
        ps->depth--;
        if (inner < 0) {
            return -1;
        }
        if (s_eof(ps) || s_next(ps) != ')') {
            return il_re_fail(ps, "missing ')'");
        }
        return inner;
    }
    case '{': {
        int mn;
        int mx;
        ps->p--;
        if (s_braces(ps, &mn, &mx)) {
            return il_re_fail(ps, "nothing to repeat before a quantifier");
        }
        ps->p++;
        return s_node(ps, A_CHAR, '{', 0);
    }
    case '\\': {
        if (!s_eof(ps) && (s_peek(ps) == 'b' || s_peek(ps) == 'B')) {
            *assertion = 1;
            return s_node(ps, s_next(ps) == 'b' ? A_WB : A_NWB, 0, 0);
        }
        int cls;
        long v = s_escape(ps, 0, &cls);
        if (v < 0) {
            return -1;
        }
        if (cls) {
            ps->ntmp = 0;
            if (s_class_escape_ranges(ps, cls) < 0) {
                return -1;
            }
            int set = s_tmp_finish(ps, 0);
            return set < 0 ? -1 : s_node(ps, A_SET, set, 0);
        }
        return s_node(ps, A_CHAR, (int)v, 0);
    }
    default: return s_node(ps, A_CHAR, (int)c, 0);
    }
}

static int s_term(struct il_re_parser *ps) {
    int assertion;
    int a = s_atom(ps, &assertion);
    if (a < 0 || s_eof(ps)) {
        return a;
    }
    int min;
    int max;
    uint32_t c = s_peek(ps);
    if (c == '*' || c == '+' || c == '?') {
        s_next(ps);
        min = c == '+' ? 1 : 0;
        max = c == '?' ? 1 : -1;
    } else if (c == '{' && s_braces(ps, &min, &max)) {
        if (min > IL_RE_MAX_COUNT || max > IL_RE_MAX_COUNT) {
            return il_re_fail(ps, "repetition count too large");
        }
        if (max >= 0 && max < min) {
            return il_re_fail(ps, "repetition range out of order");
        }
    } else {
        return a;
    }
    if (assertion) {
        return il_re_fail(ps, "an assertion cannot be repeated");
    }
    if (!s_eof(ps) && s_peek(ps) == '?') { /* lazy: matches the same set of strings */
        s_next(ps);
    }
    int r = s_node(ps, A_REP, a, 0);
    if (r >= 0) {
        ps->ast[r].min = min;
        ps->ast[r].max = max;
    }
    return r;
}

static int s_alt(struct il_re_parser *ps) {
    int r = -2;
    while (!s_eof(ps) && s_peek(ps) != '|' && s_peek(ps) != ')') {
        int t = s_term(ps);
        if (t < 0) {
            return -1;
        }
        r = r == -2 ? t : s_node(ps, A_CAT, r, t);
        if (r < 0) {
            return -1;
        }
    }
    return r == -2 ? s_node(ps, A_EMPTY, 0, 0) : r;
}

static int s_disj(struct il_re_parser *ps) {
    int a = s_alt(ps);
    while (a >= 0 && !s_eof(ps) && s_peek(ps) == '|') {
        s_next(ps);
        int b = s_alt(ps);
        if (b < 0) {
            return -1;
        }
        a = s_node(ps, A_ALT, a, b);
    }
    return a;
}

int il_re_parse(struct il_re_parser *ps) {
    int root = s_disj(ps);
    if (root >= 0 && !s_eof(ps)) {
        root = il_re_fail(ps, "unmatched ')'");
    }
    return root;
}
