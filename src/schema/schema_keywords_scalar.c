/* Keywords about one value: type, enum, const, numeric bounds, multipleOf, string length, pattern, format. */
#include <math.h>
#include <string.h>

#include "schema/schema_internal.h"

/* Longest list of allowed values a message spells out. */
#define IL_ENUM_LIST_MAX 10

static unsigned s_inst_bits(const struct il_node *inst) {
    return IL_TBIT(il_node_type(inst)) | (il_node_is_integer(inst) ? IL_T_INTEGER : 0u);
}

/* "must be <before><want><after>, got <what the instance is>": the message of the keywords that compare the instance
 * with one rendered expectation (type, const). Releases @p want. */
static size_t s_fail_want(struct il_sv *c, const struct il_node *inst, const char *before, struct il_buf *want,
                          const char *after) {
    struct il_buf got;
    il_buf_init(&got, 0);
    il_sv_render_got(&got, inst);
    size_t r = il_sv_fail(c, inst, "must be %s%s%s, got %s", before, il_buf_cstr(want), after, il_buf_cstr(&got));
    il_buf_release(want);
    il_buf_release(&got);
    return r;
}

/* "must be <what> <bound>, got <value>": the message of the numeric keywords (bounds, multipleOf). */
static size_t s_fail_number(struct il_sv *c, const struct il_node *inst, const char *what, double bound, double value) {
    struct il_buf nb;
    struct il_buf nv;
    il_buf_init(&nb, 0);
    il_buf_init(&nv, 0);
    il_sv_render_number(&nb, bound);
    il_sv_render_number(&nv, value);
    size_t r = il_sv_fail(c, inst, "must be %s %s, got %s", what, il_buf_cstr(&nb), il_buf_cstr(&nv));
    il_buf_release(&nb);
    il_buf_release(&nv);
    return r;
}

size_t il_kw_type(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                  struct il_ann *ann) {
    (void)s, (void)ann;
    if (kw->u.types & s_inst_bits(inst)) {
        return 0;
    }
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf want;
    il_buf_init(&want, 0);
    il_sv_render_types(&want, kw->u.types);
    return s_fail_want(c, inst, "", &want, "");
}

size_t il_kw_enum(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                  struct il_ann *ann) {
    (void)s, (void)ann;
    const struct il_node *values = kw->u.value;
    size_t n = il_node_size(values);
    for (size_t i = 0; i < n; i++) {
        if (il_node_equal(il_node_at(values, i), inst)) {
            return 0;
        }
    }
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf list;
    struct il_buf got;
    il_buf_init(&list, 0);
    il_buf_init(&got, 0);
    struct il_sref cands[IL_ENUM_LIST_MAX];
    size_t ncands = 0;
    for (size_t i = 0; i < n && i < IL_ENUM_LIST_MAX; i++) {
        const struct il_node *v = il_node_at(values, i);
        il_status_ignore(il_buf_puts(&list, i ? ", `" : "`"));
        il_sv_render(&list, v);
        il_status_ignore(il_buf_putc(&list, '`'));
        if (il_node_type(v) == IL_NODE_STRING) {
            cands[ncands].ptr = il_node_str(v, &cands[ncands].len);
            ncands++;
        }
    }
    if (n > IL_ENUM_LIST_MAX) {
        il_status_ignore(il_buf_printf(&list, " (and %zu more)", n - IL_ENUM_LIST_MAX));
    }
    il_sv_render_got(&got, inst);
    long hint = -1;
    if (il_node_type(inst) == IL_NODE_STRING) {
        size_t len = 0;
        const char *str = il_node_str(inst, &len);
        hint = il_suggest(str, len, cands, ncands);
    }
    size_t r;
    if (hint >= 0) {
        r = il_sv_fail(c, inst, "must be %s%s, got %s; did you mean `%.*s`?", n == 1 ? "" : "one of ",
                       il_buf_cstr(&list), il_buf_cstr(&got), (int)cands[hint].len, cands[hint].ptr);
    } else {
        r = il_sv_fail(c, inst, "must be %s%s, got %s", n == 1 ? "" : "one of ", il_buf_cstr(&list), il_buf_cstr(&got));
    }
    il_buf_release(&list);
    il_buf_release(&got);
    return r;
}

size_t il_kw_const(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                   struct il_ann *ann) {
    (void)s, (void)ann;
    if (il_node_equal(kw->u.value, inst)) {
        return 0;
    }
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf want;
    il_buf_init(&want, 0);
    il_sv_render(&want, kw->u.value);
    return s_fail_want(c, inst, "`", &want, "`");
}

size_t il_kw_bound(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                   struct il_ann *ann) {
    (void)s, (void)ann;
    double v = il_node_number(inst);
    double b = kw->u.num;
    const char *what;
    switch (kw->kind) {
    case IL_KW_MINIMUM:
        if (v >= b) {
            return 0;
        }
        what = "at least";
        break;
    case IL_KW_MAXIMUM:
        if (v <= b) {
            return 0;
        }
        what = "at most";
        break;
    case IL_KW_EXCLUSIVE_MINIMUM:
        if (v > b) {
            return 0;
        }
        what = "greater than";
        break;
    default:
        if (v < b) {
            return 0;
        }
        what = "less than";
        break;
    }
    if (c->diags == NULL) {
        return 1;
    }
    return s_fail_number(c, inst, what, b, v);
}

size_t il_kw_multiple_of(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                         struct il_ann *ann) {
    (void)s, (void)ann;
    double v = il_node_number(inst);
    double q = v / kw->u.num;
    /* Decimal steps like 0.0001 are not exact in binary: accept a quotient within a relative 1e-12 of an integer. */
    if (isfinite(q) && fabs(q - nearbyint(q)) <= 1e-12 * fmax(1.0, fabs(q))) {
        return 0;
    }
    if (!isfinite(q) && isfinite(v) && fmod(v, kw->u.num) == 0) {
        return 0; /* the quotient overflowed (1e308 / 0.5): fmod is exact */
    }
    if (c->diags == NULL) {
        return 1;
    }
    return s_fail_number(c, inst, "a multiple of", kw->u.num, v);
}

/* Code points of valid UTF-8 (the loaders reject invalid UTF-8): count the bytes that do not continue a sequence. */
static size_t s_code_points(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return n;
}

size_t il_kw_length(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                    struct il_ann *ann) {
    (void)s, (void)ann;
    size_t len = 0;
    const char *str = il_node_str(inst, &len);
    int min = kw->kind == IL_KW_MIN_LENGTH;
    /* cheap byte-length checks first: a code point is 1 to 4 bytes */
    if (min ? len / 4 >= kw->u.count : len <= kw->u.count) {
        return 0;
    }
    size_t n = s_code_points(str, len);
    if (min ? n >= kw->u.count : n <= kw->u.count) {
        return 0;
    }
    if (min && kw->u.count == 1) {
        return il_sv_fail(c, inst, "must not be empty");
    }
    return il_sv_fail(c, inst, "must be %s %zu character%s long, got %zu", min ? "at least" : "at most", kw->u.count,
                      kw->u.count == 1 ? "" : "s", n);
}

/* The pattern as it would be written in JSON: control characters as escapes, so a message stays on one line. */
static void s_render_pattern(struct il_buf *b, const char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];
        const char *esc = ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : ch == '\f' ? "\\f" : NULL;
        if (esc != NULL) {
            il_status_ignore(il_buf_puts(b, esc));
        } else if (ch < 0x20 || ch == 0x7F) {
            il_status_ignore(il_buf_printf(b, "\\u%04x", ch));
        } else {
            il_status_ignore(il_buf_putc(b, (char)ch));
        }
    }
}

/* ": a lambda function ARN in ..." from the first sentence of the schema's description, when it has one: a regex
 * says what failed, the description says what was meant. */
static void s_render_description(struct il_buf *b, const struct il_sch *s) {
    const struct il_node *d = il_node_get(s->node, "description");
    size_t len = 0;
    const char *text = d ? il_node_str(d, &len) : NULL;
    if (text == NULL || len == 0) {
        return;
    }
    size_t end = 0;
    while (end < len && end < 200 && !(text[end] == '.' && (end + 1 == len || text[end + 1] == ' ')) &&
           text[end] != '\n') {
        end++;
    }
    il_status_ignore(il_buf_puts(b, ": "));
    char first = text[0];
    il_status_ignore(il_buf_putc(b, first >= 'A' && first <= 'Z' && !(len > 1 && text[1] >= 'A' && text[1] <= 'Z')
                                        ? (char)(first - 'A' + 'a')
                                        : first));
    il_status_ignore(il_buf_append(b, text + 1, end > 0 ? end - 1 : 0));
}

size_t il_kw_pattern(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                     struct il_ann *ann) {
    (void)ann;
    size_t len = 0;
    const char *str = il_node_str(inst, &len);
    if (il_regex_search(kw->u.re, str, len)) {
        return 0;
    }
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf got;
    struct il_buf pat;
    struct il_buf desc;
    il_buf_init(&got, 0);
    il_buf_init(&pat, 0);
    il_buf_init(&desc, 0);
    il_sv_render(&got, inst);
    size_t plen = 0;
    const char *p = il_node_str(kw->node, &plen);
    s_render_pattern(&pat, p, plen);
    s_render_description(&desc, s);
    size_t r = il_sv_fail(c, inst, "must match the pattern `%s`, got `%s`%s", il_buf_cstr(&pat), il_buf_cstr(&got),
                          il_buf_cstr(&desc));
    il_buf_release(&got);
    il_buf_release(&pat);
    il_buf_release(&desc);
    return r;
}

size_t il_kw_format(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                    struct il_ann *ann) {
    (void)s, (void)ann;
    size_t len = 0;
    const char *str = il_node_str(inst, &len);
    if (il_schema_format_check(kw->u.format, str, len)) {
        return 0;
    }
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf got;
    il_buf_init(&got, 0);
    il_sv_render(&got, inst);
    size_t r = il_sv_fail(c, inst, "must be %s, got `%s`", il_schema_format_describe(kw->u.format), il_buf_cstr(&got));
    il_buf_release(&got);
    return r;
}
