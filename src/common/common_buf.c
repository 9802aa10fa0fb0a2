#include "il/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "il/mem.h"

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

void il_buf_say(struct il_buf *buf, const char *fmt, ...) {
    if (buf == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    if (il_buf_vprintf(buf, fmt, ap) != IL_OK) {
        /* best effort: the caller's status already says what failed */
    }
    va_end(ap);
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

/* Read @p fd to its end into one block. A regular file's size sizes the block up front (one read, no copies, pages
 * populated in one go: see il/mem.h); a pipe or a file that grows meanwhile falls back to doubling. */
static enum il_status s_read_fd(int fd, size_t limit, char **out, size_t *out_len) {
    struct stat sb;
    size_t cap = 64 * 1024;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 0) {
        if ((uintmax_t)sb.st_size > (uintmax_t)limit) {
            return IL_ERR_LIMIT;
        }
        cap = (size_t)sb.st_size + 1; /* +1: the NUL, and room to notice a file that grew */
    }
    char *data = il_mem_alloc_large(cap + 1);
    if (data == NULL) {
        return IL_ERR_NOMEM;
    }
    size_t len = 0;
    for (;;) {
        if (len == cap) {
            if (cap > limit) {
                free(data);
                return IL_ERR_LIMIT;
            }
            /* never more than one byte past the limit: enough to know the input is too big */
            size_t next = cap > limit / 2 ? limit + 1 : cap * 2;
            char *grown = realloc(data, next + 1);
            if (grown == NULL) {
                free(data);
                return IL_ERR_NOMEM;
            }
            data = grown;
            cap = next;
        }
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            free(data);
            return IL_ERR_IO;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    if (len > limit) {
        free(data);
        return IL_ERR_LIMIT;
    }
    data[len] = '\0';
    *out = data;
    *out_len = len;
    return IL_OK;
}

enum il_status il_read_file(const char *path, size_t limit, char **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    if (limit == 0) {
        limit = IL_BUF_DEFAULT_LIMIT;
    }
    if (strcmp(path, "-") == 0) {
        return s_read_fd(STDIN_FILENO, limit, out, out_len);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? IL_ERR_NOTFOUND : IL_ERR_IO;
    }
    enum il_status st = s_read_fd(fd, limit, out, out_len);
    close(fd);
    return st;
}
