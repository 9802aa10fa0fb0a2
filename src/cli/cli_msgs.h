/*
 * Every message the command-line tool writes to standard error goes through here (curl's tool_msgs.c): one
 * printf-checked API with one prefix, "PROG: ", where PROG is the command ("inspector-ledger check"), so the
 * spelling of a message's head is decided once. The texts themselves stay with their callers; untrusted text in them
 * must already be escaped for the terminal (il_escape_terminal()).
 */
#ifndef IL_CLI_MSGS_H
#define IL_CLI_MSGS_H

#include <stdarg.h>

#include "il/buf.h"
#include "il/status.h"

/** "PROG: message\n" on stderr; @p prog NULL prints the message alone (a located diagnostic carries its file). */
void il_cli_errorf(const char *prog, const char *fmt, ...) IL_PRINTF(2, 3);
/** "PROG: warning: message\n" on stderr. */
void il_cli_warnf(const char *prog, const char *fmt, ...) IL_PRINTF(2, 3);
/** "PROG: notice: message\n" on stderr. */
void il_cli_notef(const char *prog, const char *fmt, ...) IL_PRINTF(2, 3);
/** A usage error: "PROG: message\nTry 'PROG --help'.\n" on stderr (curl's helpf). */
void il_cli_vusagef(const char *prog, const char *fmt, va_list ap) IL_PRINTF(2, 0);
/** Text exactly as given, no prefix and no newline: an already rendered block, or the progress line. */
void il_cli_rawf(const char *fmt, ...) IL_PRINTF(1, 2);

/** The --debug sink of every AWS command (il_aws_debug_fn): the line on stderr. @p ctx unused. */
void il_cli_debug_line(void *ctx, const char *line);

/**
 * Write @p text to @p path ("wb", created or truncated) or, when @p path is NULL, to standard output (flushed).
 * Returns 1 when every byte was written (and the file closed), else 0 after saying "PROG: cannot write 'FILE': why"
 * or "PROG: writing 'FILE' failed" ('standard output' when @p path is NULL).
 */
int il_cli_write_output(const char *prog, const char *path, const struct il_buf *text);

/**
 * At exit (jq's main.c): standard output must have been written and closed without error, or a full disk would look
 * like success. Returns 1 when it was, else 0 (the caller says so). Closing an already closed standard output that
 * nothing was written to is not an error (gnulib's close_stdout).
 */
int il_cli_close_stdout(void);

#endif
