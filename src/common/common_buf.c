#include "il/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IL_BUF_DEFAULT_LIMIT ((size_t)1 << 30)

void il_buf_init(struct il_buf *buf, size_t limit) {
    memset(buf, 0, sizeof(*buf));
    buf->limit = limit ? limit : IL_BUF_DEFAULT_LIMIT;
}

void il_buf_release(struct il_buf *buf) {
    if (buf == NULL) {
        return;
    }
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

static enum il_status s_reserve(struct il_buf *buf, size_t extra) {
    size_t limit = buf->limit ? buf->limit : IL_BUF_DEFAULT_LIMIT;
    if (extra > limit || buf->len > limit - extra) {
        return IL_ERR_LIMIT;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap) {
        return IL_OK;
    }
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need) {
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    }
    char *data = realloc(buf->data, cap);
    if (data == NULL) {
        return IL_ERR_NOMEM;
    }
    buf->data = data;
    buf->cap = cap;
    return IL_OK;
}

enum il_status il_buf_append(struct il_buf *buf, const void *bytes, size_t len) {
    if (buf->status != IL_OK) {
        return buf->status;
    }
    enum il_status st = s_reserve(buf, len);
    if (st != IL_OK) {
        buf->status = st;
        return st;
    }
    if (len) {
        memcpy(buf->data + buf->len, bytes, len);
    }
    buf->len += len;
    buf->data[buf->len] = '\0';
    return IL_OK;
}

enum il_status il_buf_puts(struct il_buf *buf, const char *str) {
    return il_buf_append(buf, str, strlen(str));
}

enum il_status il_buf_putc(struct il_buf *buf, char c) {
    return il_buf_append(buf, &c, 1);
}

enum il_status il_buf_vprintf(struct il_buf *buf, const char *fmt, va_list ap) {
    if (buf->status != IL_OK) {
        return buf->status;
    }
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        buf->status = IL_ERR_INVALID;
        return buf->status;
    }
    enum il_status st = s_reserve(buf, (size_t)n);
    if (st != IL_OK) {
        buf->status = st;
        return st;
    }
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
    return IL_OK;
}

enum il_status il_buf_printf(struct il_buf *buf, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return st;
}

enum il_status il_buf_status(const struct il_buf *buf) {
    return buf->status;
}

const char *il_buf_cstr(const struct il_buf *buf) {
    return buf->data ? buf->data : "";
}

void il_buf_reset(struct il_buf *buf) {
    buf->len = 0;
    buf->status = IL_OK;
    if (buf->data) {
        buf->data[0] = '\0';
    }
}

char *il_buf_take(struct il_buf *buf) {
    char *out = buf->data ? buf->data : il_strdup("");
    buf->data = NULL;
    buf->len = buf->cap = 0;
    buf->status = IL_OK;
    return out;
}

void il_free_const(const char *s) {
    /* a union, not a cast: -Wcast-qual stays on everywhere else */
    union {
        const char *c;
        char *m;
    } u = {.c = s};
    free(u.m);
}

char *il_strdup(const char *s) {
    return s ? il_strndup(s, strlen(s)) : NULL;
}

char *il_strndup(const char *s, size_t len) {
    if (s == NULL) {
        return NULL;
    }
    char *out = malloc(len + 1);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

enum il_status il_read_file(const char *path, size_t limit, char **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (fp == NULL) {
        return errno == ENOENT ? IL_ERR_NOTFOUND : IL_ERR_IO;
    }
    struct il_buf buf;
    il_buf_init(&buf, limit);
    char chunk[65536];
    enum il_status st = IL_OK;
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), fp);
        if (n > 0 && (st = il_buf_append(&buf, chunk, n)) != IL_OK) {
            break;
        }
        if (n < sizeof(chunk)) {
            if (ferror(fp)) {
                st = IL_ERR_IO;
            }
            break;
        }
    }
    if (!is_stdin) {
        fclose(fp);
    }
    if (st != IL_OK) {
        il_buf_release(&buf);
        return st;
    }
    *out_len = buf.len;
    *out = il_buf_take(&buf);
    return *out ? IL_OK : IL_ERR_NOMEM;
}
