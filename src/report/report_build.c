/* Building the auditor report: the policy of `report` in one call (il/report/build.h). */
#include "il/report/build.h"

#include "il/rules.h"

#include <string.h>

int il_report_is_problem(const struct il_diag *d) {
    /* statuses are what the report shows per row, not problems of the ledger */
    const struct il_rule_info *info = il_rule_find(d->rule);
    int status = info != NULL && (info->rule == IL_RULE_EXPIRED || info->rule == IL_RULE_EXPIRING_SOON ||
                                  info->rule == IL_RULE_REVIEW_OVERDUE);
    return d->severity >= IL_SEV_WARNING && !status;
}

static enum il_status s_add_problems(struct il_report *report, const struct il_diags *diags, size_t *errors) {
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        if (il_report_is_problem(d)) {
            *errors += d->severity == IL_SEV_ERROR;
            IL_TRY(il_report_add_problem(report, d));
        }
    }
    return IL_OK;
}

enum il_status il_report_build(const struct il_report_build_opts *opts, const struct il_ledger *ledger,
                               const struct il_diags *rule_diags, struct il_report **out, size_t *errors,
                               enum il_report_build_step *step) {
    *out = NULL;
    *errors = 0;
    struct il_report_opts ropts = {.as_of = opts->as_of, .warn_days = opts->warn_days};
    *step = IL_REPORT_BUILD_NEW;
    IL_TRY(il_report_new(&ropts, out));
    *step = IL_REPORT_BUILD_LEDGER;
    IL_TRY(il_report_add_ledger(*out, ledger));
    *step = IL_REPORT_BUILD_PROBLEMS;
    IL_TRY(s_add_problems(*out, rule_diags, errors));
    if (!opts->no_git) {
        *step = IL_REPORT_BUILD_GIT;
        IL_TRY(il_report_git_stamp(*out, opts->ledger_path));
    }
    if (opts->with_history) {
        *step = IL_REPORT_BUILD_HISTORY;
        enum il_status st = opts->no_git ? il_report_add_notice(*out, "history not recorded (--no-git)")
                                         : il_report_git_history(*out, opts->ledger_path);
        il_report_request_history(*out);
        IL_TRY(st);
    }
    if (opts->step != NULL) {
        *step = IL_REPORT_BUILD_STEP;
        IL_TRY(opts->step(opts->step_ctx, *out));
    }
    *step = IL_REPORT_BUILD_FINISH;
    IL_TRY(il_report_finish(*out));
    *step = IL_REPORT_BUILD_DONE;
    return IL_OK;
}
