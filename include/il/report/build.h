/**
 * Building the auditor report from a loaded ledger: the policy `report` follows, in one call. Rows from the typed
 * entries, the ledger's consistency problems (not the statuses: expired, expiring-soon and review-overdue are what the
 * report is for), git evidence and history, an optional step of the caller's (report --live maps the AWS state onto
 * the rows there), then il_report_finish(). Nothing here prints.
 */
#ifndef IL_REPORT_BUILD_H
#define IL_REPORT_BUILD_H

#include <stddef.h>

#include "il/diag.h"
#include "il/ledger.h"
#include "il/report/report.h"
#include "il/status.h"

/** Which step of il_report_build() failed. */
enum il_report_build_step {
    IL_REPORT_BUILD_DONE = 0,
    IL_REPORT_BUILD_NEW,      /* il_report_new() */
    IL_REPORT_BUILD_LEDGER,   /* il_report_add_ledger(): IL_ERR_INVALID when an entry lacks a valid date */
    IL_REPORT_BUILD_PROBLEMS, /* adding the ledger's problems */
    IL_REPORT_BUILD_GIT,      /* il_report_git_stamp() */
    IL_REPORT_BUILD_HISTORY,  /* il_report_git_history() or its notice */
    IL_REPORT_BUILD_STEP,     /* the caller's step (opts->step) */
    IL_REPORT_BUILD_FINISH,   /* il_report_finish() */
};

/** How to build. Caller-owned; everything borrowed. */
struct il_report_build_opts {
    const char *as_of;       /* YYYY-MM-DD, required */
    int warn_days;           /* expiring-soon threshold */
    const char *ledger_path; /* where git evidence is read for */
    int no_git;              /* --no-git: no commit or dirty state, and history only as a notice */
    int with_history;        /* --with-history: the commit that last changed each entry */
    /* run just before il_report_finish(); NULL: none. A failure stops the build (step IL_REPORT_BUILD_STEP). */
    enum il_status (*step)(void *ctx, struct il_report *report);
    void *step_ctx;
};

/** 1 when @p d is one of the ledger's problems the report lists (a warning or error that is not an entry status). */
int il_report_is_problem(const struct il_diag *d);

/**
 * Build the report of @p ledger with @p rule_diags (il_ledger_check_rules()' findings) as its problems. *out is the
 * report whenever it was created, even when a later step failed (caller frees with il_report_free()); *errors gets how
 * many problems are errors. Returns IL_OK, or the status of the step named in *step.
 */
IL_MUST_CHECK enum il_status il_report_build(const struct il_report_build_opts *opts, const struct il_ledger *ledger,
                                             const struct il_diags *rule_diags, struct il_report **out, size_t *errors,
                                             enum il_report_build_step *step);

#endif
