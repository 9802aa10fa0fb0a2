/*
 * SigV4 canonical request: one static function per part (URI, query, headers, signed headers, payload hash).
 *
 * The rules follow AWS's test suite and botocore, the reference the differential test compares against:
 *  - URI: for every service but S3, remove "." and ".." segments and empty segments ("//"), then percent-encode the
 *    path as sent on the wire once more (so "%20" on the wire becomes "%2520": AWS's double encoding); S3 signs the
 *    wire path unchanged.
 *  - query: split on '&', split each pair on its first '=', decode, re-encode with the unreserved set, sort by key and
 *    then value (bytewise, on the encoded forms).
 *  - headers: lower-case names, values trimmed with inner whitespace runs collapsed, duplicates joined with ',' in
 *    the order given, sorted by name.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sigv4_internal.h"
#include "il/ascii.h"
#include "il/crypto.h"

#define IL_CREQ_LIMIT ((size_t)8 << 20) /* requests we sign are API calls: far below this */

static int s_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

/* Percent-encode every byte outside the unreserved set (and '/', when @p keep_slash), upper-case hex. */
static enum il_status s_uri_encode(struct il_buf *out, const char *s, size_t len, int keep_slash) {
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (s_unreserved(c) || (keep_slash && c == '/')) {
            IL_TRY(il_buf_putc(out, (char)c));
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 0x0f]};
            IL_TRY(il_buf_append(out, esc, 3));
        }
    }
    return il_buf_status(out);
}

/* Decode %XX sequences; a '%' not followed by two hex digits stays a literal '%' ('+' is a literal '+' as well). */
static enum il_status s_uri_decode(struct il_buf *out, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        int hi = -1, lo = -1;
        if (s[i] == '%' && len - i >= 3) {
            hi = il_hex_value((unsigned char)s[i + 1]);
            lo = il_hex_value((unsigned char)s[i + 2]);
        }
        if (hi >= 0 && lo >= 0) {
            IL_TRY(il_buf_putc(out, (char)(hi << 4 | lo)));
            i += 2;
        } else {
            IL_TRY(il_buf_putc(out, s[i]));
        }
    }
    return il_buf_status(out);
}

/* ---- canonical URI --------------------------------------------------------------------------------------------- */

struct s_segment {
    const char *start;
    size_t len;
};

/* RFC 3986 remove_dot_segments plus dropping empty segments, as botocore's remove_dot_segments does: a leading '/'
 * is kept, a trailing '/' only when something is left ("/a/.." gives "/", "//a//" gives "/a/"). */
static enum il_status s_canonical_uri(struct il_buf *out, const char *path, int normalize) {
    if (path == NULL || *path == '\0') {
        return il_buf_putc(out, '/');
    }
    if (path[0] != '/') {
        return IL_ERR_INVALID;
    }
    size_t path_len = strlen(path);
    if (!normalize) {
        return il_buf_append(out, path, path_len); /* S3: the wire path, already encoded, as is */
    }
    size_t max_segments = 1;
    for (size_t i = 0; i < path_len; i++) {
        max_segments += path[i] == '/';
    }
    struct s_segment *stack = calloc(max_segments, sizeof(*stack));
    if (stack == NULL) {
        return IL_ERR_NOMEM;
    }
    size_t depth = 0;
    const char *p = path;
    const char *end = path + path_len;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *seg_end = slash ? slash : end;
        size_t len = (size_t)(seg_end - p);
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            depth -= depth > 0;
        } else if (len > 0 && !(len == 1 && p[0] == '.')) {
            stack[depth].start = p;
            stack[depth].len = len;
            depth++;
        }
        p = slash ? slash + 1 : end;
    }
    enum il_status status = il_buf_putc(out, '/');
    for (size_t i = 0; i < depth && status == IL_OK; i++) {
        if (i > 0) {
            status = il_buf_putc(out, '/');
        }
        if (status == IL_OK) {
            status = s_uri_encode(out, stack[i].start, stack[i].len, 0);
        }
    }
    if (status == IL_OK && depth > 0 && path[path_len - 1] == '/') {
        status = il_buf_putc(out, '/');
    }
    free(stack);
    return status;
}

/* ---- canonical query ------------------------------------------------------------------------------------------- */

struct s_param {
    char *key; /* both encoded */
    char *value;
};

static int s_param_cmp(const void *a, const void *b) {
    const struct s_param *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

/* Decode then re-encode one key or value so that any legal wire spelling ("%7e", "~", "%7E") signs the same. */
static char *s_reencode(const char *s, size_t len, enum il_status *status) {
    struct il_buf decoded, encoded;
    il_buf_init(&decoded, IL_CREQ_LIMIT);
    il_buf_init(&encoded, IL_CREQ_LIMIT);
    char *result = NULL;
    *status = s_uri_decode(&decoded, s, len);
    if (*status == IL_OK) {
        *status = s_uri_encode(&encoded, decoded.data ? decoded.data : "", decoded.len, 0);
    }
    if (*status == IL_OK) {
        result = il_buf_take(&encoded);
        *status = result ? IL_OK : IL_ERR_NOMEM;
    }
    il_buf_release(&decoded);
    il_buf_release(&encoded);
    return result;
}

static enum il_status s_canonical_query(struct il_buf *out, const char *query) {
    if (query == NULL || *query == '\0') {
        return IL_OK;
    }
    enum il_status status = IL_OK;
    size_t count = 1;
    for (const char *c = query; *c; c++) {
        count += *c == '&';
    }
    struct s_param *params = calloc(count, sizeof(*params));
    if (params == NULL) {
        return IL_ERR_NOMEM;
    }
    const char *p = query;
    for (size_t i = 0; i < count; i++) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t key_len = eq ? (size_t)(eq - p) : len; /* "flag" signs as "flag=" */
        params[i].key = s_reencode(p, key_len, &status);
        if (status != IL_OK) {
            goto cleanup;
        }
        params[i].value = eq ? s_reencode(eq + 1, len - key_len - 1, &status) : il_strdup("");
        if (status == IL_OK && params[i].value == NULL) {
            status = IL_ERR_NOMEM;
        }
        if (status != IL_OK) {
            goto cleanup;
        }
        p = amp ? amp + 1 : p + len;
    }
    qsort(params, count, sizeof(*params), s_param_cmp);
    for (size_t i = 0; i < count; i++) {
        if ((status = il_buf_printf(out, "%s%s=%s", i ? "&" : "", params[i].key, params[i].value)) != IL_OK) {
            goto cleanup;
        }
    }
cleanup:
    for (size_t i = 0; i < count; i++) {
        free(params[i].key);
        free(params[i].value);
    }
    free(params);
    return status;
}

/* ---- canonical headers and signed headers ---------------------------------------------------------------------- */

struct s_header {
    char *name;  /* lower-case, owned */
    char *value; /* trimmed, inner whitespace collapsed, owned */
    size_t order;
};

struct s_headers {
    struct s_header *items;
    size_t count;
    size_t cap;
    const char *payload_override; /* a caller's x-amz-content-sha256 (e.g. UNSIGNED-PAYLOAD), borrowed from items */
};

static int s_header_cmp(const void *a, const void *b) {
    const struct s_header *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* RFC 7230 token characters: what a header name may hold. */
static int s_tchar(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int s_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trimall: trim both ends and turn every inner run of whitespace (folded lines included) into one space. */
static char *s_trimall(const char *value) {
    size_t len = strlen(value);
    char *out = malloc(len + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t n = 0;
    int pending_space = 0;
    for (size_t i = 0; i < len; i++) {
        if (s_space(value[i])) {
            pending_space = n > 0;
            continue;
        }
        if (pending_space) {
            out[n++] = ' ';
            pending_space = 0;
        }
        out[n++] = value[i];
    }
    out[n] = '\0';
    return out;
}

static enum il_status s_headers_add(struct s_headers *h, const char *name, const char *value) {
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        struct s_header *grown = realloc(h->items, cap * sizeof(*grown));
        if (grown == NULL) {
            return IL_ERR_NOMEM;
        }
        h->items = grown;
        h->cap = cap;
    }
    struct s_header *item = &h->items[h->count];
    item->name = il_strdup(name);
    item->value = s_trimall(value);
    item->order = h->count;
    if (item->name == NULL || item->value == NULL) {
        free(item->name);
        free(item->value);
        return IL_ERR_NOMEM;
    }
    for (char *c = item->name; *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    h->count++;
    return IL_OK;
}

static void s_headers_release(struct s_headers *h) {
    for (size_t i = 0; i < h->count; i++) {
        free(h->items[i].name);
        il_crypto_cleanse(h->items[i].value, strlen(h->items[i].value)); /* one of them is the session token */
        free(h->items[i].value);
    }
    free(h->items);
    memset(h, 0, sizeof(*h));
}

/* Headers botocore never signs (proxies and HTTP stacks add or rewrite them) and Authorization, which the signer
 * supplies. */
static int s_unsigned_header(const char *lower) {
    static const char *const names[] = {"authorization", "expect", "transfer-encoding", "user-agent",
                                        "x-amzn-trace-id"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(lower, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The header set that gets signed: the request's own headers minus the ones the signer supplies, plus X-Amz-Date,
 * x-amz-content-sha256 (when asked) and X-Amz-Security-Token (when the credentials have one and it is signed). */
static enum il_status s_collect_headers(struct s_headers *h, const struct il_sigv4_request *request,
                                        const struct il_sigv4_params *params, const char *token, const char *amz_date,
                                        const char *payload_hex) {
    int have_host = 0;
    for (size_t i = 0; i < request->header_count; i++) {
        const struct il_http_header *hdr = &request->headers[i];
        if (hdr->name == NULL || hdr->name[0] == '\0' || hdr->value == NULL) {
            return IL_ERR_INVALID;
        }
        for (const char *c = hdr->name; *c; c++) {
            if (!s_tchar((unsigned char)*c)) {
                return IL_ERR_INVALID;
            }
        }
        IL_TRY(s_headers_add(h, hdr->name, hdr->value));
        const char *lower = h->items[h->count - 1].name;
        int drop = s_unsigned_header(lower) || strcmp(lower, "x-amz-date") == 0 ||
                   (token != NULL && strcmp(lower, "x-amz-security-token") == 0) ||
                   (params->add_content_sha256 && strcmp(lower, "x-amz-content-sha256") == 0);
        if (drop) {
            h->count--;
            free(h->items[h->count].name);
            free(h->items[h->count].value);
            continue;
        }
        have_host |= strcmp(lower, "host") == 0;
    }
    if (!have_host) {
        return IL_ERR_INVALID;
    }
    IL_TRY(s_headers_add(h, "x-amz-date", amz_date));
    if (params->add_content_sha256) {
        IL_TRY(s_headers_add(h, "x-amz-content-sha256", payload_hex));
    }
    if (token != NULL && !params->unsigned_security_token) {
        IL_TRY(s_headers_add(h, "x-amz-security-token", token));
    }
    qsort(h->items, h->count, sizeof(*h->items), s_header_cmp);
    for (size_t i = 0; i < h->count; i++) {
        if (h->payload_override == NULL && strcmp(h->items[i].name, "x-amz-content-sha256") == 0) {
            h->payload_override = h->items[i].value;
        }
    }
    return IL_OK;
}

static enum il_status s_canonical_headers(struct il_buf *out, const struct s_headers *h) {
    for (size_t i = 0; i < h->count; i++) {
        int same_as_prev = i > 0 && strcmp(h->items[i - 1].name, h->items[i].name) == 0;
        if (same_as_prev) {
            IL_TRY(il_buf_printf(out, ",%s", h->items[i].value));
        } else {
            IL_TRY(il_buf_printf(out, "%s%s:%s", i ? "\n" : "", h->items[i].name, h->items[i].value));
        }
    }
    if (h->count > 0) {
        IL_TRY(il_buf_putc(out, '\n'));
    }
    return il_buf_status(out);
}

static enum il_status s_signed_headers(struct il_buf *out, const struct s_headers *h) {
    for (size_t i = 0; i < h->count; i++) {
        if (i > 0 && strcmp(h->items[i - 1].name, h->items[i].name) == 0) {
            continue;
        }
        IL_TRY(il_buf_printf(out, "%s%s", out->len ? ";" : "", h->items[i].name));
    }
    return il_buf_status(out);
}

/* ---- payload hash ---------------------------------------------------------------------------------------------- */

static enum il_status s_payload_hash(const struct il_sigv4_request *request, char hex[IL_SHA256_HEX_LEN + 1]) {
    uint8_t digest[IL_SHA256_LEN];
    if (request->body == NULL && request->body_len > 0) {
        return IL_ERR_INVALID;
    }
    IL_TRY(il_crypto_sha256(request->body, request->body_len, digest));
    il_crypto_hex(digest, sizeof(digest), hex);
    return IL_OK;
}

/* ---- the canonical request ------------------------------------------------------------------------------------- */

static enum il_status s_method(struct il_buf *out, const char *method) {
    if (method == NULL || *method == '\0') {
        return IL_ERR_INVALID;
    }
    for (const char *c = method; *c; c++) {
        if (!s_tchar((unsigned char)*c)) {
            return IL_ERR_INVALID;
        }
        char up = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A') : *c;
        IL_TRY(il_buf_putc(out, up));
    }
    return il_buf_status(out);
}

enum il_status il_sigv4_canonical_request_with(const struct il_sigv4_request *request,
                                               const struct il_sigv4_params *params, const struct il_credentials *creds,
                                               struct il_buf *out, struct il_buf *signed_headers) {
    enum il_status status = IL_OK;
    struct s_headers headers = {0};
    struct il_buf names;
    il_buf_init(&names, IL_CREQ_LIMIT);
    char amz_date[17];
    char payload_hex[IL_SHA256_HEX_LEN + 1];
    const char *token = creds ? il_credentials_session_token(creds) : NULL;

    if (request == NULL || params == NULL || (request->headers == NULL && request->header_count > 0)) {
        status = IL_ERR_INVALID;
        goto cleanup;
    }
    if ((status = il_sigv4_check_params(params)) != IL_OK ||
        (status = il_sigv4_amz_date(params->time, amz_date)) != IL_OK ||
        (status = s_payload_hash(request, payload_hex)) != IL_OK ||
        (status = s_collect_headers(&headers, request, params, token, amz_date, payload_hex)) != IL_OK ||
        (status = s_signed_headers(&names, &headers)) != IL_OK) {
        goto cleanup;
    }
    if ((status = s_method(out, request->method)) != IL_OK || (status = il_buf_putc(out, '\n')) != IL_OK ||
        (status = s_canonical_uri(out, request->path, params->normalize_path)) != IL_OK ||
        (status = il_buf_putc(out, '\n')) != IL_OK || (status = s_canonical_query(out, request->query)) != IL_OK ||
        (status = il_buf_putc(out, '\n')) != IL_OK || (status = s_canonical_headers(out, &headers)) != IL_OK) {
        goto cleanup;
    }
    status = il_buf_printf(out, "\n%s\n%s", il_buf_cstr(&names),
                           headers.payload_override ? headers.payload_override : payload_hex);
    if (status != IL_OK) {
        goto cleanup;
    }
    if (signed_headers != NULL) {
        status = il_buf_puts(signed_headers, il_buf_cstr(&names));
    }
cleanup:
    s_headers_release(&headers);
    il_buf_release(&names);
    return status;
}

enum il_status il_sigv4_canonical_request(const struct il_sigv4_request *request, const struct il_sigv4_params *params,
                                          struct il_buf *out, struct il_buf *signed_headers) {
    return il_sigv4_canonical_request_with(request, params, NULL, out, signed_headers);
}
