/* inspector-ledger apply: options (cli_apply.c) and the run (cli_apply_run.c). */
#ifndef IL_CLI_APPLY_H
#define IL_CLI_APPLY_H

#include "cli/cli_aws.h"
#include "il/drift/apply.h"
#include "il/ledger.h"

#define IL_APPLY_PROG "inspector-ledger apply"

struct il_apply_cli_opts {
    const char *ledger_path;
    struct il_cli_aws aws; /* the scope and AWS options, shared with check */
    struct il_ledger_rule_opts rules;
    enum il_apply_format format;
    const char *output;   /* --output FILE, or NULL: standard output */
    const char *log_path; /* --log FILE: the change log */
    int yes;
    int dry_run; /* --dry-run: never ask, never change */
    int remove_unrecorded;
};

/** The run: load, collect, plan, confirm, carry out, render. Returns the exit code. */
int il_cli_apply_run(struct il_apply_cli_opts *o);

#endif
