/*
 * URI-reference resolution (RFC 3986 section 5.2) for $id and $ref.
 *
 * Only what JSON Schema identifiers need: split into scheme, authority, path, query and fragment, merge, remove dot
 * segments. Nothing is ever fetched; the result is only compared against identifiers found in the schema document.
 */
#include <string.h>

#include "il/ascii.h"
#include "schema/schema_internal.h"

struct s_uri {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_len, auth_len, path_len, query_len, frag_len;
    int has_scheme, has_auth, has_query, has_frag;
};

static int s_scheme_char(char c, int first) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return 1;
    }
    return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

static void s_parse(const char *s, size_t len, struct s_uri *u) {
    memset(u, 0, sizeof(*u));
    size_t i = 0;
    while (i < len && s_scheme_char(s[i], i == 0)) {
        i++;
    }
    if (i > 0 && i < len && s[i] == ':') {
        u->has_scheme = 1;
        u->scheme = s;
        u->scheme_len = i;
        s += i + 1;
        len -= i + 1;
    }
    if (len >= 2 && s[0] == '/' && s[1] == '/') {
        size_t j = 2;
        while (j < len && s[j] != '/' && s[j] != '?' && s[j] != '#') {
            j++;
        }
        u->has_auth = 1;
        u->auth = s + 2;
        u->auth_len = j - 2;
        s += j;
        len -= j;
    }
    size_t j = 0;
    while (j < len && s[j] != '?' && s[j] != '#') {
        j++;
    }
    u->path = s;
    u->path_len = j;
    s += j;
    len -= j;
    if (len > 0 && s[0] == '?') {
        j = 1;
        while (j < len && s[j] != '#') {
            j++;
        }
        u->has_query = 1;
        u->query = s + 1;
        u->query_len = j - 1;
        s += j;
        len -= j;
    }
    if (len > 0 && s[0] == '#') {
        u->has_frag = 1;
        u->frag = s + 1;
        u->frag_len = len - 1;
    }
}

/* RFC 3986 5.2.4, appending the result to @p out. */
static void s_remove_dots(const char *in, size_t len, struct il_buf *out) {
    size_t start = out->len;
    size_t i = 0;
    while (i < len) {
        const char *p = in + i;
        size_t rest = len - i;
        if (rest >= 3 && memcmp(p, "../", 3) == 0) {
            i += 3;
        } else if (rest >= 2 && memcmp(p, "./", 2) == 0) {
            i += 2;
        } else if (rest >= 3 && memcmp(p, "/./", 3) == 0) {
            i += 2;
        } else if (rest == 2 && memcmp(p, "/.", 2) == 0) {
            il_status_ignore(il_buf_putc(out, '/'));
            i += 2;
        } else if ((rest >= 4 && memcmp(p, "/../", 4) == 0) || (rest == 3 && memcmp(p, "/..", 3) == 0)) {
            /* drop the last output segment */
            while (out->len > start && out->data[out->len - 1] != '/') {
                out->len--;
            }
            if (out->len > start) {
                out->len--;
            }
            if (out->data != NULL) { /* nothing written yet ("/../a"): the buffer has no storage to terminate */
                out->data[out->len] = '\0';
            }
            if (rest == 3) {
                il_status_ignore(il_buf_putc(out, '/'));
            }
            i += 3; /* "/../x" continues as "/x" */
        } else if ((rest == 1 && p[0] == '.') || (rest == 2 && memcmp(p, "..", 2) == 0)) {
            i += rest;
        } else {
            size_t j = p[0] == '/' ? 1 : 0;
            while (j < rest && p[j] != '/') {
                j++;
            }
            il_status_ignore(il_buf_append(out, p, j));
            i += j;
        }
    }
}

char *il_uri_resolve(const char *base, const char *ref, size_t ref_len) {
    struct s_uri b;
    struct s_uri r;
    s_parse(base, strlen(base), &b);
    s_parse(ref, ref_len, &r);
    struct il_buf out;
    il_buf_init(&out, 0);
    const struct s_uri *scheme = r.has_scheme ? &r : &b;
    if (scheme->has_scheme) {
        il_status_ignore(il_buf_append(&out, scheme->scheme, scheme->scheme_len));
        il_status_ignore(il_buf_putc(&out, ':'));
    }
    const struct s_uri *query = &r;
    if (r.has_scheme || r.has_auth) {
        if (r.has_auth) {
            il_status_ignore(il_buf_puts(&out, "//"));
            il_status_ignore(il_buf_append(&out, r.auth, r.auth_len));
        }
        s_remove_dots(r.path, r.path_len, &out);
    } else {
        if (b.has_auth) {
            il_status_ignore(il_buf_puts(&out, "//"));
            il_status_ignore(il_buf_append(&out, b.auth, b.auth_len));
        }
        if (r.path_len == 0) {
            il_status_ignore(il_buf_append(&out, b.path, b.path_len));
            if (!r.has_query) {
                query = &b;
            }
        } else if (r.path[0] == '/') {
            s_remove_dots(r.path, r.path_len, &out);
        } else {
            struct il_buf merged;
            il_buf_init(&merged, 0);
            if (b.has_auth && b.path_len == 0) {
                il_status_ignore(il_buf_putc(&merged, '/'));
            } else {
                size_t k = b.path_len;
                while (k > 0 && b.path[k - 1] != '/') {
                    k--;
                }
                il_status_ignore(il_buf_append(&merged, b.path, k));
            }
            il_status_ignore(il_buf_append(&merged, r.path, r.path_len));
            if (il_buf_status(&merged) != IL_OK) {
                il_buf_release(&merged);
                il_buf_release(&out);
                return NULL;
            }
            s_remove_dots(merged.data ? merged.data : "", merged.len, &out);
            il_buf_release(&merged);
        }
    }
    if (query->has_query) {
        il_status_ignore(il_buf_putc(&out, '?'));
        il_status_ignore(il_buf_append(&out, query->query, query->query_len));
    }
    if (r.has_frag) {
        il_status_ignore(il_buf_putc(&out, '#'));
        il_status_ignore(il_buf_append(&out, r.frag, r.frag_len));
    }
    if (il_buf_status(&out) != IL_OK) {
        il_buf_release(&out);
        return NULL;
    }
    return il_buf_take(&out);
}

enum il_status il_uri_pct_decode(const char *s, size_t len, struct il_buf *out) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%') {
            IL_TRY(il_buf_putc(out, s[i]));
            continue;
        }
        if (i + 2 >= len) {
            return IL_ERR_INVALID;
        }
        int hi = il_hex_value((unsigned char)s[i + 1]);
        int lo = il_hex_value((unsigned char)s[i + 2]);
        if (hi < 0 || lo < 0) {
            return IL_ERR_INVALID;
        }
        IL_TRY(il_buf_putc(out, (char)(hi * 16 + lo)));
        i += 2;
    }
    return IL_OK;
}
