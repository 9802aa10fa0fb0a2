/**
 * Bounded, growable byte buffer (always NUL-terminated).
 *
 * Every append checks the buffer's limit so untrusted input can never grow memory without bound. After the first
 * failure the buffer is "failed": later appends are no-ops returning the same error, so a caller may append many
 * pieces and check once with il_buf_status().
 */
#ifndef IL_BUF_H
#define IL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "il/status.h"

struct il_buf {
    char *data; /* owned; NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t limit; /* maximum len; 0 means 1 GiB */
    enum il_status status;
};

/** Initialise an empty buffer holding at most @p limit bytes (0: 1 GiB). No allocation happens yet. */
void il_buf_init(struct il_buf *buf, size_t limit);
/** Free the storage; accepts NULL and zeroed buffers. */
void il_buf_release(struct il_buf *buf);
/** Append @p len bytes. Returns IL_ERR_LIMIT past the limit, IL_ERR_NOMEM on allocation failure. */
IL_MUST_CHECK enum il_status il_buf_append(struct il_buf *buf, const void *bytes, size_t len);
/** Append a NUL-terminated string. */
IL_MUST_CHECK enum il_status il_buf_puts(struct il_buf *buf, const char *str);
/** Append one byte. */
IL_MUST_CHECK enum il_status il_buf_putc(struct il_buf *buf, char c);
/** Append formatted text (vsnprintf semantics). */
IL_MUST_CHECK enum il_status il_buf_printf(struct il_buf *buf, const char *fmt, ...) IL_PRINTF(2, 3);
IL_MUST_CHECK enum il_status il_buf_vprintf(struct il_buf *buf, const char *fmt, va_list ap) IL_PRINTF(2, 0);
/** il_buf_printf() for the reason that goes with a status already decided (a `why` buffer): best effort, so a reason
 *  over the bound or out of memory only leaves il_buf_status() set; @p buf may be NULL (nobody asked why). */
void il_buf_say(struct il_buf *buf, const char *fmt, ...) IL_PRINTF(2, 3);
/** The first error any append hit, or IL_OK. */
enum il_status il_buf_status(const struct il_buf *buf);
/** Contents as a C string; "" for an empty buffer; borrowed. */
const char *il_buf_cstr(const struct il_buf *buf);
/** Forget the contents but keep the storage and clear a failed state. */
void il_buf_reset(struct il_buf *buf);
/** Hand the storage to the caller (free() it); the buffer is left empty. Never NULL unless out of memory. */
char *il_buf_take(struct il_buf *buf);

/** free() a string the caller owns but exposes as const (public structs with const members); accepts NULL. */
void il_free_const(const char *s);

/** Duplicate a string (NULL in, NULL out). Caller frees. */
char *il_strdup(const char *s);
/** Duplicate @p len bytes and NUL-terminate. Caller frees. */
char *il_strndup(const char *s, size_t len);

/** Read a whole file (or standard input for "-") of at most @p limit bytes. *out is owned by the caller.
 *  A directory, a closed standard input and a FIFO, socket or device that stays silent for the pipe timeout are
 *  IL_ERR_IO; opening never blocks. */
IL_MUST_CHECK enum il_status il_read_file(const char *path, size_t limit, char **out, size_t *out_len);
/** Same, and *err (may be NULL) gets the reason of an IL_ERR_IO / IL_ERR_NOTFOUND as an errno value: EISDIR, ELOOP,
 *  EACCES, ETIMEDOUT (the pipe timeout), EBADF (standard input is closed), ... 0 otherwise. */
IL_MUST_CHECK enum il_status il_read_file_err(const char *path, size_t limit, char **out, size_t *out_len, int *err);
/** Append why a read failed, for "cannot read `F`: <why>": "no such file", "is a directory", "too many levels of
 *  symbolic links", "standard input is closed" (@p is_stdin), "nothing to read for 10 s (...)". */
IL_MUST_CHECK enum il_status il_read_error_say(struct il_buf *out, enum il_status st, int err, int is_stdin);

/* A named FIFO, socket or device is given this long to produce each piece of input (standard input is waited for:
 * its writer is the caller's pipeline). */
#define IL_READ_PIPE_TIMEOUT_MS 10000u
/** Change the pipe timeout (0: back to IL_READ_PIPE_TIMEOUT_MS); process-wide, for tests and embedders. */
void il_read_set_pipe_timeout(unsigned ms);

#endif
