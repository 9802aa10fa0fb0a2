/*
 * Turning a violation into a diagnostic a person can act on: located at the offending node, with a JSON pointer,
 * naming the key and the value and saying what was expected. Values are quoted raw (writers escape for their medium)
 * and truncated so one huge string cannot flood the output.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema_internal.h"

#define IL_RENDER_MAX 80

static void s_pointer(const struct il_sv *c, struct il_buf *b) {
    for (size_t i = 0; i < c->nseg; i++) {
        const struct il_seg *s = &c->segs[i];
        il_status_ignore(il_buf_putc(b, '/'));
        if (s->key == NULL) {
            il_status_ignore(il_buf_printf(b, "%zu", s->len));
            continue;
        }
        for (size_t k = 0; k < s->len; k++) {
            if (s->key[k] == '~') {
                il_status_ignore(il_buf_puts(b, "~0"));
            } else if (s->key[k] == '/') {
                il_status_ignore(il_buf_puts(b, "~1"));
            } else {
                il_status_ignore(il_buf_putc(b, s->key[k]));
            }
        }
    }
}

char *il_sv_pointer(const struct il_sv *c) {
    struct il_buf b;
    il_buf_init(&b, 0);
    s_pointer(c, &b);
    if (il_buf_status(&b) != IL_OK) {
        il_buf_release(&b);
        return NULL;
    }
    return il_buf_take(&b);
}

/* Append at most @p max bytes of @p s, cut at a UTF-8 boundary, with "..." when cut. */
static void s_truncated(struct il_buf *b, const char *s, size_t len, size_t max) {
    if (len <= max) {
        il_status_ignore(il_buf_append(b, s, len));
        return;
    }
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    il_status_ignore(il_buf_append(b, s, n));
    il_status_ignore(il_buf_puts(b, "..."));
}

void il_sv_subject(const struct il_sv *c, struct il_buf *b) {
    if (c->nseg == 0) {
        il_status_ignore(il_buf_puts(b, "the document"));
        return;
    }
    const struct il_seg *last = &c->segs[c->nseg - 1];
    if (last->is_name) {
        il_status_ignore(il_buf_puts(b, "key `"));
        s_truncated(b, last->key, last->len, IL_RENDER_MAX);
        il_status_ignore(il_buf_putc(b, '`'));
        return;
    }
    /* "`scan_type`", or for array items the nearest key with the indices: "`exclusions[3]`" */
    size_t first = c->nseg - 1;
    while (first > 0 && c->segs[first].key == NULL) {
        first--;
    }
    il_status_ignore(il_buf_putc(b, '`'));
    size_t from = first;
    if (c->segs[first].key != NULL) {
        s_truncated(b, c->segs[first].key, c->segs[first].len, IL_RENDER_MAX);
        from = first + 1;
    }
    for (size_t i = from; i < c->nseg; i++) {
        il_status_ignore(il_buf_printf(b, "[%zu]", c->segs[i].len));
    }
    il_status_ignore(il_buf_putc(b, '`'));
}

void il_sv_render_number(struct il_buf *b, double d) {
    if (!isfinite(d)) {
        il_status_ignore(il_buf_puts(b, isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity")));
        return;
    }
    if (d == floor(d) && fabs(d) < 1e15) {
        il_status_ignore(il_buf_printf(b, "%.0f", d));
        return;
    }
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "%.15g", d);
    if (strtod(tmp, NULL) != d) {
        snprintf(tmp, sizeof(tmp), "%.17g", d);
    }
    il_status_ignore(il_buf_puts(b, tmp));
}

static void s_json(struct il_buf *b, const struct il_node *v, size_t start, unsigned depth) {
    if (b->len - start > IL_RENDER_MAX || depth > 8) {
        return;
    }
    switch (il_node_type(v)) {
    case IL_NODE_NULL: il_status_ignore(il_buf_puts(b, "null")); break;
    case IL_NODE_BOOL: il_status_ignore(il_buf_puts(b, il_node_bool(v) ? "true" : "false")); break;
    case IL_NODE_NUMBER: il_sv_render_number(b, il_node_number(v)); break;
    case IL_NODE_STRING: {
        size_t len = 0;
        const char *s = il_node_str(v, &len);
        il_status_ignore(il_buf_putc(b, '"'));
        s_truncated(b, s, len, IL_RENDER_MAX);
        il_status_ignore(il_buf_putc(b, '"'));
        break;
    }
    case IL_NODE_ARRAY:
        il_status_ignore(il_buf_putc(b, '['));
        for (size_t i = 0; i < il_node_size(v) && b->len - start <= IL_RENDER_MAX; i++) {
            if (i) {
                il_status_ignore(il_buf_putc(b, ','));
            }
            s_json(b, il_node_at(v, i), start, depth + 1);
        }
        il_status_ignore(il_buf_putc(b, ']'));
        break;
    case IL_NODE_OBJECT:
        il_status_ignore(il_buf_putc(b, '{'));
        for (size_t i = 0; i < il_node_size(v) && b->len - start <= IL_RENDER_MAX; i++) {
            if (i) {
                il_status_ignore(il_buf_putc(b, ','));
            }
            s_json(b, il_node_key_at(v, i), start, depth + 1);
            il_status_ignore(il_buf_putc(b, ':'));
            s_json(b, il_node_value_at(v, i), start, depth + 1);
        }
        il_status_ignore(il_buf_putc(b, '}'));
        break;
    }
}

void il_sv_render(struct il_buf *b, const struct il_node *v) {
    if (il_node_type(v) == IL_NODE_STRING) {
        size_t len = 0;
        const char *s = il_node_str(v, &len);
        s_truncated(b, s, len, IL_RENDER_MAX);
        return;
    }
    size_t start = b->len;
    s_json(b, v, start, 0);
    if (b->len - start > IL_RENDER_MAX && il_buf_status(b) == IL_OK) {
        b->len = start + IL_RENDER_MAX;
        while (b->len > start && ((unsigned char)b->data[b->len] & 0xC0) == 0x80) {
            b->len--;
        }
        b->data[b->len] = '\0';
        il_status_ignore(il_buf_puts(b, "..."));
    }
}

void il_sv_render_types(struct il_buf *b, unsigned types) {
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{IL_TBIT(IL_NODE_STRING), "a string"},  {IL_TBIT(IL_NODE_NUMBER), "a number"},
                 {IL_T_INTEGER, "an integer"},           {IL_TBIT(IL_NODE_BOOL), "a boolean"},
                 {IL_TBIT(IL_NODE_OBJECT), "an object"}, {IL_TBIT(IL_NODE_ARRAY), "an array"},
                 {IL_TBIT(IL_NODE_NULL), "null"}};
    if (types & IL_TBIT(IL_NODE_NUMBER)) {
        types &= ~IL_T_INTEGER;
    }
    size_t total = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        total += (types & names[i].bit) != 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (types & names[i].bit) {
            if (k > 0) {
                il_status_ignore(il_buf_puts(b, k + 1 == total ? " or " : ", "));
            }
            il_status_ignore(il_buf_puts(b, names[i].name));
            k++;
        }
    }
    if (total == 0) {
        il_status_ignore(il_buf_puts(b, "nothing"));
    }
}

void il_sv_render_got(struct il_buf *b, const struct il_node *v) {
    switch (il_node_type(v)) {
    case IL_NODE_OBJECT: il_status_ignore(il_buf_puts(b, "an object")); return;
    case IL_NODE_ARRAY: il_status_ignore(il_buf_puts(b, "an array")); return;
    case IL_NODE_NULL: il_status_ignore(il_buf_puts(b, "null")); return;
    case IL_NODE_BOOL: il_status_ignore(il_buf_puts(b, "boolean `")); break;
    case IL_NODE_NUMBER: il_status_ignore(il_buf_puts(b, "number `")); break;
    case IL_NODE_STRING: il_status_ignore(il_buf_puts(b, "string `")); break;
    }
    il_sv_render(b, v);
    il_status_ignore(il_buf_putc(b, '`'));
}

static size_t s_emit(struct il_sv *c, const struct il_node *at, int subject, const char *fmt, va_list ap)
    IL_PRINTF(4, 0);

static size_t s_emit(struct il_sv *c, const struct il_node *at, int subject, const char *fmt, va_list ap) {
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf msg;
    struct il_buf ptr;
    il_buf_init(&msg, 64 * 1024);
    il_buf_init(&ptr, 64 * 1024);
    if (subject) {
        il_sv_subject(c, &msg);
        il_status_ignore(il_buf_putc(&msg, ' '));
    }
    il_status_ignore(il_buf_vprintf(&msg, fmt, ap));
    s_pointer(c, &ptr);
    enum il_status st = il_buf_status(&msg) != IL_OK ? il_buf_status(&msg) : il_buf_status(&ptr);
    if (st == IL_OK) {
        struct il_diag d = {
            .severity = IL_SEV_ERROR,
            .rule = "schema",
            .file = c->filename,
            .line = at ? il_node_line(at) : 0,
            .column = at ? il_node_column(at) : 0,
            .pointer = il_buf_cstr(&ptr),
            .message = il_buf_cstr(&msg),
        };
        st = il_diags_add(c->diags, &d);
    }
    if (st != IL_OK && c->status == IL_OK) {
        c->status = st;
    }
    il_buf_release(&msg);
    il_buf_release(&ptr);
    return 1;
}

size_t il_sv_fail(struct il_sv *c, const struct il_node *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t r = s_emit(c, at, 1, fmt, ap);
    va_end(ap);
    return r;
}

size_t il_sv_fail_raw(struct il_sv *c, const struct il_node *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t r = s_emit(c, at, 0, fmt, ap);
    va_end(ap);
    return r;
}
