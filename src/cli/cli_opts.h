/*
 * The ledger options `validate` and `check` share (cli_opts.c): output format and file, --fail-on, and the ledger rule
 * options (--as-of, --warn-days, --max-days, --require-distinct-approver, --schema). One parser, so both commands
 * accept the same spellings and say the same thing about a bad value; `report` reuses the day-count parser.
 */
#ifndef IL_CLI_OPTS_H
#define IL_CLI_OPTS_H

#include <stdio.h>

#include "cli/cli_gate.h"
#include "il/findings.h"
#include "il/ledger.h"

/* getopt_long values of the shared ledger options (clear of cli_aws.h's 1000.. and of every command's own values). */
enum {
    IL_CLI_O_FORMAT = 1100,
    IL_CLI_O_OUTPUT,
    IL_CLI_O_FAIL_ON,
    IL_CLI_O_AS_OF,
    IL_CLI_O_WARN_DAYS,
    IL_CLI_O_MAX_DAYS,
    IL_CLI_O_DISTINCT,
    IL_CLI_O_SCHEMA,
};

/* The shared entries of a command's getopt_long table. */
/* clang-format off */
#define IL_CLI_LEDGER_LONGOPTS                                                                                         \
    {"format", required_argument, NULL, IL_CLI_O_FORMAT},                                                              \
    {"output", required_argument, NULL, IL_CLI_O_OUTPUT},                                                              \
    {"fail-on", required_argument, NULL, IL_CLI_O_FAIL_ON},                                                            \
    {"as-of", required_argument, NULL, IL_CLI_O_AS_OF},                                                                \
    {"warn-days", required_argument, NULL, IL_CLI_O_WARN_DAYS},                                                        \
    {"max-days", required_argument, NULL, IL_CLI_O_MAX_DAYS},                                                          \
    {"require-distinct-approver", no_argument, NULL, IL_CLI_O_DISTINCT},                                               \
    {"schema", required_argument, NULL, IL_CLI_O_SCHEMA},                                                              \
    IL_CLI_GATE_LONGOPTS
/* clang-format on */

/** What the shared options set. Caller-owned; strings are borrowed from argv. */
struct il_cli_ledger_opts {
    enum il_findings_format format;
    const char *output;
    enum il_findings_fail_on fail_on;
    struct il_ledger_rule_opts rules;
    const char *schema_path;
    int as_of_given;
    struct il_cli_gate gate; /* --policy, --base, --reviews, --max-renewals, --print-policy (cli_gate.h) */
};

/**
 * Take option @p c (a getopt_long value) with value @p arg into @p o when it is one of IL_CLI_LEDGER_LONGOPTS.
 * @p commands: the IL_FINDINGS_FOR_* bit of the command, which picks the --format values it accepts from the format
 * table (il/findings.h). Returns -1 when @p c is not a shared option, 0
 * when it was taken, or IL_EXIT_USAGE after printing "PROG: invalid --x 'v': ..." and the --help hint (@p prog is
 * e.g. "inspector-ledger check").
 */
int il_cli_ledger_opt(struct il_cli_ledger_opts *o, int c, const char *arg, unsigned commands, const char *prog);

/** The --help line of --format: "  --format FORMAT        " and the formats @p commands write, spelt with @p style
 *  (IL_FINDINGS_LIST_* bits), then a newline, to @p out. */
void il_cli_format_help(FILE *out, unsigned commands, unsigned style);

/** A whole non-negative decimal number of days, at most 36500 (no sign, spaces or suffix). Returns 1 and sets *out,
 *  else 0 (then *out is untouched). */
int il_cli_parse_days(const char *text, unsigned *out);

/** --output must not name one of the @p n @p inputs (ledger, --schema, ...; NULL entries and "-" for standard input
 *  allowed): the same file by device and inode, so through symlinks and hard links too. Returns -1 when it does not,
 *  else IL_EXIT_USAGE after saying so. Nothing is opened or written. */
int il_cli_output_guard(const char *prog, const char *output, const char *const *inputs, size_t n);

/** Print "PROG: <message>" and "Try 'PROG --help'." to stderr; returns IL_EXIT_USAGE. */
int il_cli_usage_error(const char *prog, const char *fmt, ...) IL_PRINTF(2, 3);

#endif
