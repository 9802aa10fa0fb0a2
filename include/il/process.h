/**
 * Run a program and capture its standard output: fork/exec with an argv, never a shell (a caller that wants one,
 * like credential_process, passes `sh -c` itself), output bounded, an optional deadline, the child always reaped.
 *
 * The caller owns @p out (an il_buf; its storage grows, the caller releases it) and everything in the options.
 */
#ifndef IL_PROCESS_H
#define IL_PROCESS_H

#include <stddef.h>

#include "il/buf.h"
#include "il/status.h"

struct il_process_opts {
    const char *path;       /* executable to exec; NULL: argv[0] is looked up in PATH */
    const char *const *env; /* NAME, value, NAME, value, ..., NULL set in the child before exec; NULL: none */
    int timeout_ms;         /* the child is killed this long after the start; 0: no deadline */
    size_t max_output;      /* bytes of stdout kept at most (one more is IL_ERR_LIMIT); 0: @p out's own limit */
    int quiet;              /* stdin and stderr to /dev/null (else inherited) */
    int secret;             /* the output holds a secret: it is read into one block of max_output bytes, wiped
                               afterwards, and handed to @p out in one append so no reallocation leaves a copy */
};

struct il_process_exit {
    const char *failed; /* NULL, or a static word saying what could not be done: "pipe", "fork", "read", "wait" */
    int code;           /* the exit status when the child exited, else -1 */
    int signal;         /* the signal that ended the child, else 0 */
};

/** Run @p argv (NULL-terminated, argv[0] the program) with @p opts (NULL: all defaults) and append its standard
 *  output to @p out. IL_OK: the output is complete and @p end says how the child ended (end->failed "wait" when it
 *  could not be reaped). IL_ERR_LIMIT: more than the bound, the child was killed; IL_ERR_NETWORK: the deadline
 *  passed (the status enum has no "timed out"), the child was killed; IL_ERR_IO: a pipe, fork or read failed
 *  (end->failed); IL_ERR_NOMEM. An exec failure is exit code 127, as in a shell. */
IL_MUST_CHECK enum il_status il_process_run(const char *const *argv, const struct il_process_opts *opts,
                                            struct il_buf *out, struct il_process_exit *end);

#endif
