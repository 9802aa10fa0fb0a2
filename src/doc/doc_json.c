/*
 * JSON text and cJSON trees to struct il_doc.
 *
 * cJSON does the parsing (it is the project's JSON dependency and knows the grammar); it keeps no positions, so after
 * a successful parse a small scanner walks the same, now known-valid, text in step with the cJSON tree and gives each
 * node its line and column. cJSON also accepts duplicate keys and invalid UTF-8 inside strings: both are rejected here
 * with a located "json" diagnostic, because a schema validator over an ambiguous document would be guessing.
 */
#include "il/doc/json.h"

#include <math.h>
#include <string.h>

#include "il/buf.h"

/* cJSON's own nesting limit is 1000; a tree built by hand could be deeper, so bound the conversion too. */
#define IL_JSON_MAX_DEPTH 1000

/* Position-tracking cursor over valid JSON text. */
struct s_cursor {
    const char *p;
    const char *end;
    unsigned line;
    unsigned column;
};

struct s_conv {
    struct il_doc *doc;
    struct s_cursor *cur; /* NULL when converting a bare cJSON tree (positions unknown) */
    struct il_diags *diags;
    const char *filename;
    struct il_buf scratch; /* decoded string of the token at the cursor */
};

static void s_advance(struct s_cursor *c) {
    if (c->p >= c->end) {
        return;
    }
    unsigned char ch = (unsigned char)*c->p++;
    if (ch == '\n') {
        c->line++;
        c->column = 1;
    } else if ((ch & 0xC0) != 0x80) { /* count code points, not bytes, like the YAML loader */
        c->column++;
    }
}

static void s_skip_ws(struct s_cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
        s_advance(c);
    }
}

/* Skip one scalar token (string, number, literal); the text is known to be valid JSON. */
static void s_skip_scalar(struct s_cursor *c) {
    if (c->p < c->end && *c->p == '"') {
        s_advance(c);
        while (c->p < c->end && *c->p != '"') {
            if (*c->p == '\\') {
                s_advance(c);
            }
            s_advance(c);
        }
        s_advance(c);
        return;
    }
    while (c->p < c->end && strchr(" \t\r\n,]}:", *c->p) == NULL) {
        s_advance(c);
    }
}

/* Skip whitespace and then the single expected punctuation byte when present. */
static void s_expect(struct s_cursor *c, char ch) {
    s_skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        s_advance(c);
    }
}

/* Length of a valid UTF-8 sequence at s[0..len), or 0. */
static size_t s_utf8_seq(const unsigned char *s, size_t len) {
    unsigned char b = s[0];
    if (b < 0x80) {
        return 1;
    }
    size_t n;
    unsigned min;
    unsigned cp;
    if ((b & 0xE0) == 0xC0) {
        n = 2, min = 0x80, cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        n = 3, min = 0x800, cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, cp = b & 0x07;
    } else {
        return 0;
    }
    if (len < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

static int s_utf8_valid(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = s_utf8_seq(u + i, len - i);
        if (n == 0) {
            return 0;
        }
        i += n;
    }
    return 1;
}

static enum il_status s_fail(struct s_conv *cv, unsigned line, unsigned column, const char *what, const char *key) {
    if (cv->diags == NULL) {
        return IL_ERR_PARSE;
    }
    enum il_status st =
        key != NULL ? il_diags_addf(cv->diags, IL_SEV_ERROR, "json", cv->filename, line, column, NULL,
                                    "%s `%s`; each key may appear only once in an object", what, key)
                    : il_diags_addf(cv->diags, IL_SEV_ERROR, "json", cv->filename, line, column, NULL, "%s", what);
    return st != IL_OK ? st : IL_ERR_PARSE;
}

static enum il_status s_string(struct s_conv *cv, const char *s, size_t len, unsigned line, unsigned column,
                               struct il_node **out) {
    if (!s_utf8_valid(s, len)) {
        return s_fail(cv, line, column, "invalid UTF-8 in a string; save the file as UTF-8", NULL);
    }
    *out = il_node_new_string(cv->doc, s, len, line, column);
    return *out ? IL_OK : IL_ERR_NOMEM;
}

static int s_hex4(struct s_cursor *c, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        if (c->p >= c->end) {
            return 0;
        }
        char h = *c->p;
        unsigned d = h >= '0' && h <= '9'   ? (unsigned)(h - '0')
                     : h >= 'a' && h <= 'f' ? (unsigned)(h - 'a' + 10)
                     : h >= 'A' && h <= 'F' ? (unsigned)(h - 'A' + 10)
                                            : 16u;
        if (d == 16u) {
            return 0;
        }
        v = v * 16 + d;
        s_advance(c);
    }
    *out = v;
    return 1;
}

static enum il_status s_put_utf8(struct il_buf *b, unsigned cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return il_buf_append(b, u, n);
}

/*
 * Decode the string token at the cursor into cv->scratch. cJSON's own strings end at the first NUL, so "\u0000" would
 * silently truncate a value ("2020-01-01\u0000junk" would pass as a date): decoding from the text keeps every byte.
 */
static enum il_status s_scan_string(struct s_conv *cv, unsigned line, unsigned column) {
    struct s_cursor *c = cv->cur;
    il_buf_reset(&cv->scratch);
    s_advance(c); /* opening quote */
    while (c->p < c->end && *c->p != '"') {
        if (*c->p != '\\') {
            IL_TRY(il_buf_putc(&cv->scratch, *c->p));
            s_advance(c);
            continue;
        }
        s_advance(c);
        char e = c->p < c->end ? *c->p : '\0';
        s_advance(c);
        static const char from[] = "bfnrt\"\\/";
        static const char to[] = "\b\f\n\r\t\"\\/";
        const char *hit = e != '\0' ? strchr(from, e) : NULL;
        if (hit != NULL) {
            IL_TRY(il_buf_putc(&cv->scratch, to[hit - from]));
            continue;
        }
        unsigned cp = 0;
        if (e != 'u' || !s_hex4(c, &cp)) {
            return s_fail(cv, line, column, "invalid escape in a JSON string", NULL);
        }
        if (cp >= 0xD800 && cp <= 0xDBFF && c->end - c->p >= 6 && c->p[0] == '\\' && c->p[1] == 'u') {
            s_advance(c);
            s_advance(c);
            unsigned lo = 0;
            if (!s_hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                return s_fail(cv, line, column, "unpaired UTF-16 surrogate escape in a JSON string", NULL);
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            return s_fail(cv, line, column, "unpaired UTF-16 surrogate escape in a JSON string", NULL);
        }
        IL_TRY(s_put_utf8(&cv->scratch, cp));
    }
    s_advance(c); /* closing quote */
    return il_buf_status(&cv->scratch);
}

static enum il_status s_convert(struct s_conv *cv, const cJSON *item, unsigned depth, struct il_node **out) {
    unsigned line = 0;
    unsigned column = 0;
    if (cv->cur != NULL) {
        s_skip_ws(cv->cur);
        line = cv->cur->line;
        column = cv->cur->column;
    }
    if (depth > IL_JSON_MAX_DEPTH) {
        return s_fail(cv, line, column, "JSON nested too deeply", NULL);
    }
    *out = NULL;
    if (cJSON_IsArray(item)) {
        struct il_node *arr = il_node_new_array(cv->doc, line, column);
        if (arr == NULL) {
            return IL_ERR_NOMEM;
        }
        if (cv->cur) {
            s_expect(cv->cur, '[');
        }
        for (const cJSON *child = item->child; child != NULL; child = child->next) {
            struct il_node *v = NULL;
            IL_TRY(s_convert(cv, child, depth + 1, &v));
            IL_TRY(il_node_array_push(cv->doc, arr, v));
            if (cv->cur) {
                s_expect(cv->cur, ',');
            }
        }
        if (cv->cur) {
            s_expect(cv->cur, ']');
        }
        *out = arr;
        return IL_OK;
    }
    if (cJSON_IsObject(item)) {
        struct il_node *obj = il_node_new_object(cv->doc, line, column);
        if (obj == NULL) {
            return IL_ERR_NOMEM;
        }
        if (cv->cur) {
            s_expect(cv->cur, '{');
        }
        for (const cJSON *child = item->child; child != NULL; child = child->next) {
            unsigned kline = 0;
            unsigned kcol = 0;
            struct il_node *k = NULL;
            struct il_node *v = NULL;
            if (cv->cur) {
                s_skip_ws(cv->cur);
                kline = cv->cur->line;
                kcol = cv->cur->column;
                IL_TRY(s_scan_string(cv, kline, kcol));
                s_expect(cv->cur, ':');
                IL_TRY(s_string(cv, il_buf_cstr(&cv->scratch), cv->scratch.len, kline, kcol, &k));
            } else {
                const char *ks = child->string ? child->string : "";
                IL_TRY(s_string(cv, ks, strlen(ks), kline, kcol, &k));
            }
            IL_TRY(s_convert(cv, child, depth + 1, &v));
            enum il_status st = il_node_object_put(cv->doc, obj, k, v);
            if (st == IL_ERR_INVALID) {
                return s_fail(cv, kline, kcol, "duplicate key", child->string);
            }
            IL_TRY(st);
            if (cv->cur) {
                s_expect(cv->cur, ',');
            }
        }
        if (cv->cur) {
            s_expect(cv->cur, '}');
        }
        *out = obj;
        return IL_OK;
    }
    if (cJSON_IsString(item)) {
        if (cv->cur) {
            IL_TRY(s_scan_string(cv, line, column));
            return s_string(cv, il_buf_cstr(&cv->scratch), cv->scratch.len, line, column, out);
        }
        const char *vs = item->valuestring ? item->valuestring : "";
        return s_string(cv, vs, strlen(vs), line, column, out);
    }
    if (cv->cur) {
        s_skip_scalar(cv->cur);
    }
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        int is_int = isfinite(v) && floor(v) == v;
        *out = il_node_new_number(cv->doc, v, is_int, line, column);
    } else if (cJSON_IsBool(item)) {
        *out = il_node_new_bool(cv->doc, cJSON_IsTrue(item), line, column);
    } else if (cJSON_IsNull(item)) {
        *out = il_node_new_null(cv->doc, line, column);
    } else {
        return IL_ERR_INVALID; /* cJSON_Raw or cJSON_Invalid: not JSON data */
    }
    return *out ? IL_OK : IL_ERR_NOMEM;
}

static enum il_status s_to_doc(const cJSON *json, const char *filename, struct s_cursor *cur, struct il_diags *diags,
                               struct il_doc **out) {
    *out = NULL;
    struct il_doc *doc = il_doc_new(filename);
    if (doc == NULL) {
        return IL_ERR_NOMEM;
    }
    struct s_conv cv = {.doc = doc, .cur = cur, .diags = diags, .filename = filename};
    il_buf_init(&cv.scratch, 0);
    struct il_node *root = NULL;
    enum il_status st = s_convert(&cv, json, 0, &root);
    il_buf_release(&cv.scratch);
    if (st != IL_OK) {
        il_doc_free(doc);
        return st;
    }
    il_doc_set_root(doc, root);
    *out = doc;
    return IL_OK;
}

enum il_status il_json_to_doc(const cJSON *json, const char *filename, struct il_doc **out) {
    if (json == NULL || out == NULL) {
        return IL_ERR_INVALID;
    }
    return s_to_doc(json, filename, NULL, NULL, out);
}

enum il_status il_json_load(const char *data, size_t len, const char *filename, struct il_doc **out,
                            struct il_diags *diags) {
    *out = NULL;
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    struct s_cursor cur = {.p = data, .end = data + len, .line = 1, .column = 1};
    const char *fail_at = end;
    if (json != NULL) {
        /* cJSON stops after the first value: anything but whitespace after it is an error too. */
        struct s_cursor tail = {.p = end, .end = data + len};
        s_skip_ws(&tail);
        if (tail.p < tail.end && *tail.p != '\0') {
            cJSON_Delete(json);
            json = NULL;
            fail_at = tail.p;
        }
    }
    if (json == NULL) {
        /* end (or cJSON_GetErrorPtr) points at the byte where parsing failed; turn it into a line and column. */
        const char *at = fail_at != NULL ? fail_at : cJSON_GetErrorPtr();
        if (at == NULL || at < data || at > data + len) {
            at = data;
        }
        while (cur.p < at) {
            s_advance(&cur);
        }
        struct s_conv cv = {.diags = diags, .filename = filename};
        const char *what = len == 0 ? "empty JSON document"
                                    : "JSON syntax error; check for a missing comma, quote or "
                                      "bracket near here";
        return s_fail(&cv, cur.line, cur.column, what, NULL);
    }
    enum il_status st = s_to_doc(json, filename, &cur, diags, out);
    cJSON_Delete(json);
    return st;
}
