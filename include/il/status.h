/**
 * Status codes shared by every module of libinspector-ledger.
 *
 * Every fallible function returns enum il_status and is marked IL_MUST_CHECK so a caller cannot ignore it.
 */
#ifndef IL_STATUS_H
#define IL_STATUS_H

#if defined(__GNUC__) || defined(__clang__)
#define IL_MUST_CHECK __attribute__((warn_unused_result))
#define IL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define IL_MUST_CHECK
#define IL_PRINTF(fmt, args)
#endif

enum il_status {
    IL_OK = 0,
    IL_ERR_NOMEM,       /* allocation failed */
    IL_ERR_IO,          /* a file could not be read or written */
    IL_ERR_PARSE,       /* input is not well-formed (YAML, JSON, XML, a date) */
    IL_ERR_LIMIT,       /* a size, depth, count or alias-expansion bound was hit */
    IL_ERR_INVALID,     /* an argument or value is not acceptable */
    IL_ERR_NOTFOUND,    /* a looked-up thing does not exist */
    IL_ERR_AWS,         /* AWS answered with an error */
    IL_ERR_NETWORK,     /* transport failed (connect, TLS, reset, timeout) */
    IL_ERR_CRYPTO,      /* libcrypto failed */
    IL_ERR_CREDENTIALS, /* no usable credentials */
    IL_ERR_INTERNAL,    /* a bug: an invariant did not hold */
};

/** A static, lower-case description of @p status; never NULL. */
const char *il_status_str(enum il_status status);

/** Deliberately drop @p status: for a call whose failure only loses a hint (a did-you-mean, a best-effort message
 *  after an earlier error), never a result. An il_buf remembers its first failure, so appends into one that the
 *  caller checks once with il_buf_status() may be ignored this way. (GCC does not let a (void) cast silence
 *  warn_unused_result; passing the value to a function does.) */
static inline void il_status_ignore(enum il_status status) {
    (void)status;
}

/** Propagate a non-OK status to the caller. */
#define IL_TRY(expr)                                                                                                   \
    do {                                                                                                               \
        enum il_status il_try_status_ = (expr);                                                                        \
        if (il_try_status_ != IL_OK) {                                                                                 \
            return il_try_status_;                                                                                     \
        }                                                                                                              \
    } while (0)

#endif
