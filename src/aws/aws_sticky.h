/* Internal: ignore a status on purpose. struct il_buf failures are sticky (checked once with il_buf_status()), and
 * GCC does not accept a (void) cast as using a warn_unused_result value. */
#ifndef IL_AWS_STICKY_H
#define IL_AWS_STICKY_H

#define IL_STICKY(expr)                                                                                                \
    do {                                                                                                               \
        if ((expr) != 0) {                                                                                             \
        }                                                                                                              \
    } while (0)

#endif
