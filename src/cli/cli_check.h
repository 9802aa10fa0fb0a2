/* inspector-ledger check: the parsed options shared by the option parser (cli_check.c) and the run (cli_check_run.c).
 */
#ifndef IL_CLI_CHECK_H
#define IL_CLI_CHECK_H

#include "cli/cli_aws.h"
#include "cli/cli_opts.h"
#include "il/drift/collect.h"
#include "il/findings.h"
#include "il/ledger.h"

#define IL_CHECK_PROG "inspector-ledger check"

struct il_check_opts {
    struct il_cli_ledger_opts lo; /* format, output, --fail-on, the rule options, --schema (shared with validate) */
    const char *runtimes_path;
    int quiet;
    int verbose;
    struct il_cli_aws aws; /* scope and AWS options, shared with report --live */
    const char *ledger;
    int ledger_defaulted;
    /* set by the run with -v and the text format: the ledger's bytes, for source lines under findings (owned; the
     * run frees them before il_cli_check_run() returns) */
    char *source;
    size_t source_len;
};

struct il_inventory;

/** Render the result in o->format (to o->output or stdout), append the GitHub step summary when asked, and return the
 *  exit code: 3 when anything is unverified, else 1 / 0 by --fail-on. @p ledger, @p inv and @p caller may be NULL
 *  (the ledger could not be loaded); so may @p coverage (the entries compared, said in every format). */
int il_cli_check_render(const struct il_check_opts *o, const struct il_diags *diags, const struct il_diags *unverified,
                        const struct il_ledger *ledger, const struct il_inventory *inv,
                        const struct il_collect_plan *plan, const char *caller,
                        const struct il_findings_coverage *coverage);

/** Run the check with parsed options; returns the exit code (enum il_exit). */
int il_cli_check_run(struct il_check_opts *o);

#endif
