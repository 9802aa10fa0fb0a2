#include "il/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

/* How long a named FIFO, socket or device may stay silent before the read gives up (il_read_set_pipe_timeout). */
static unsigned s_pipe_timeout_ms = IL_READ_PIPE_TIMEOUT_MS;

void il_read_set_pipe_timeout(unsigned ms) {
    s_pipe_timeout_ms = ms ? ms : IL_READ_PIPE_TIMEOUT_MS;
}

/* Wait until @p fd (non-blocking) has data or end of input; ETIMEDOUT after the pipe timeout. */
static int s_wait_readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        int n = poll(&p, 1, (int)s_pipe_timeout_ms);
        if (n > 0) {
            return 0;
        }
        if (n == 0) {
            return ETIMEDOUT;
        }
        if (errno != EINTR) {
            return errno;
        }
    }
}

/* Read @p fd to its end into one block. A regular file's size sizes the block up front (one read, no copies, pages
 * populated in one go: see il/mem.h); a pipe or a file that grows meanwhile falls back to doubling. With @p timed (a
 * non-blocking FIFO, socket or device), every wait for data is bounded by the pipe timeout. *err: the errno of an
 * IL_ERR_IO. */
static enum il_status s_read_fd(int fd, size_t limit, int timed, char **out, size_t *out_len, int *err) {
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
        int waited = timed ? s_wait_readable(fd) : 0;
        if (waited != 0) {
            free(data);
            *err = waited;
            return IL_ERR_IO;
        }
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && (errno == EINTR || (timed && (errno == EAGAIN || errno == EWOULDBLOCK)))) {
            continue;
        }
        if (n < 0) {
            *err = errno;
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

enum il_status il_read_file_err(const char *path, size_t limit, char **out, size_t *out_len, int *err) {
    *out = NULL;
    *out_len = 0;
    int scratch = 0;
    if (err == NULL) {
        err = &scratch;
    }
    *err = 0;
    if (limit == 0) {
        limit = IL_BUF_DEFAULT_LIMIT;
    }
    if (strcmp(path, "-") == 0) {
        /* a closed standard input would otherwise read as an empty file (or as whatever was opened on fd 0) */
        if (fcntl(STDIN_FILENO, F_GETFD) < 0) {
            *err = EBADF;
            return IL_ERR_IO;
        }
        /* a pipe on standard input always has a writer (the shell's); a slow producer is waited for */
        return s_read_fd(STDIN_FILENO, limit, 0, out, out_len, err);
    }
    /* O_NONBLOCK: opening a FIFO that has no writer must not block (it would, forever, without it) */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *err = errno;
        return errno == ENOENT ? IL_ERR_NOTFOUND : IL_ERR_IO;
    }
    struct stat sb;
    enum il_status st = IL_ERR_IO;
    if (fstat(fd, &sb) != 0) {
        *err = errno;
    } else if (S_ISDIR(sb.st_mode)) {
        *err = EISDIR;
    } else {
        int timed = !S_ISREG(sb.st_mode);
        if (!timed) {
            int flags = fcntl(fd, F_GETFL);
            if (flags >= 0) {
                (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
            }
        }
        st = s_read_fd(fd, limit, timed, out, out_len, err);
    }
    close(fd);
    return st;
}

enum il_status il_read_file(const char *path, size_t limit, char **out, size_t *out_len) {
    return il_read_file_err(path, limit, out, out_len, NULL);
}

enum il_status il_read_error_say(struct il_buf *out, enum il_status st, int err, int is_stdin) {
    if (st == IL_ERR_NOTFOUND) {
        return il_buf_puts(out, "no such file");
    }
    if (st == IL_ERR_LIMIT) {
        return il_buf_puts(out, "file too large");
    }
    if (st == IL_ERR_NOMEM) {
        return il_buf_puts(out, "out of memory");
    }
    if (st != IL_ERR_IO || err == 0) {
        return il_buf_puts(out, il_status_str(st));
    }
    if (err == EBADF && is_stdin) {
        return il_buf_puts(out, "standard input is closed");
    }
    if (err == ETIMEDOUT) {
        return il_buf_printf(out, "nothing to read for %u s (a FIFO or socket that nothing writes to?)",
                             s_pipe_timeout_ms / 1000);
    }
    /* strerror's text, lower-cased to sit inside our sentence: "is a directory" */
    const char *text = strerror(err);
    IL_TRY(il_buf_putc(out, (char)(text[0] >= 'A' && text[0] <= 'Z' ? text[0] - 'A' + 'a' : text[0])));
    return text[0] ? il_buf_puts(out, text + 1) : IL_OK;
}
