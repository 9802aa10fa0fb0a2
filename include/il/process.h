/**
 * Run a program with an argv — never through a shell — and capture its standard output, bounded in size and time.
 * Standard input and standard error are /dev/null. (The one process runner of the restructure plan, package (c).)
 */
#ifndef IL_PROCESS_H
#define IL_PROCESS_H

#include <stddef.h>

#include "il/buf.h"
#include "il/status.h"

struct il_process_opts {
    unsigned timeout_ms;    /* 0: no deadline; past it the child is killed and the call returns IL_ERR_LIMIT */
    size_t max_output;      /* 0: the buffer's own limit; past it the child is killed, IL_ERR_LIMIT */
    const char *const *env; /* NULL-terminated "NAME=VALUE" settings added to the child's environment; may be NULL */
};

/**
 * Run @p argv (argv[0] is looked up on PATH; NULL-terminated; borrowed) and append its standard output to @p out.
 * *exit_code gets the exit status, or -1 when the program could not be started or was killed by a signal.
 * Returns IL_OK when the program ran to its end (whatever its exit status), IL_ERR_IO when it could not be started
 * (exit status 127 included), IL_ERR_LIMIT when output or time ran past the bound, IL_ERR_NOMEM. @p opts may be NULL.
 */
IL_MUST_CHECK enum il_status il_process_run(const char *const *argv, const struct il_process_opts *opts,
                                            struct il_buf *out, int *exit_code);

#endif
