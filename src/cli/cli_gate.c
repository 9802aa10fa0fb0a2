/* Wiring of the governance options (cli_gate.h): parse, load, call the library, print what stops the run. */
#include "cli/cli_gate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_msgs.h"
#include "il/escape.h"

/* "PROG: FILE:LINE:COL: error[rule]: message" for each diagnostic, escaped for the terminal. */
static void s_print(const char *prog, const struct il_diags *diags) {
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        struct il_buf line;
        il_buf_init(&line, 1 << 16);
        enum il_status st = il_buf_printf(&line, "%s: ", prog);
        if (st == IL_OK && d->file != NULL) {
            st = il_escape_terminal(&line, d->file);
            st = st == IL_OK && d->line ? il_buf_printf(&line, ":%u:%u", d->line, d->column) : st;
            st = st == IL_OK ? il_buf_puts(&line, ": ") : st;
        }
        st = st == IL_OK ? il_buf_printf(&line, "%s[%s]: ", il_severity_str(d->severity), d->rule) : st;
        st = st == IL_OK ? il_escape_terminal(&line, d->message) : st;
        il_cli_errorf(NULL, "%s", st == IL_OK ? il_buf_cstr(&line) : "(a problem too long to show)");
        il_buf_release(&line);
    }
}

static int s_fail(const char *prog, struct il_diags *errs, enum il_status st, const char *what) {
    s_print(prog, errs);
    if (il_diags_count(errs) == 0) {
        il_cli_errorf(prog, "%s: %s", what, il_status_str(st));
    }
    il_diags_free(errs);
    return IL_EXIT_USAGE;
}

int il_cli_gate_prepare(struct il_cli_gate *g, struct il_ledger_rule_opts *rules, const char *ledger_path,
                        const char *prog, struct il_diags *findings) {
    struct il_diags *errs = il_diags_new();
    if (errs == NULL) {
        il_cli_errorf(prog, "out of memory");
        return IL_EXIT_USAGE;
    }
    if (g->reviews_path != NULL && g->base_ref == NULL) {
        il_diags_free(errs);
        il_cli_errorf(prog, "--reviews needs --base REF: reviews are about a change\nTry '%s --help'.", prog);
        return IL_EXIT_USAGE;
    }
    enum il_status st = il_policy_discover(ledger_path, g->policy_path, g->base_ref, &g->policy, errs);
    if (st != IL_OK) {
        return s_fail(prog, errs, st, "cannot use the policy");
    }
    if (g->given & IL_CLI_GIVEN_WARN_DAYS) {
        il_policy_set_warn_days(g->policy, rules->warn_days, "--warn-days");
    }
    if (g->given & IL_CLI_GIVEN_MAX_DAYS) {
        il_policy_set_max_days(g->policy, rules->max_days, "--max-days");
    }
    if (g->given & IL_CLI_GIVEN_DISTINCT) {
        il_policy_set_distinct_approver(g->policy, 1, "--require-distinct-approver");
    }
    if (g->given & IL_CLI_GIVEN_MAX_RENEWALS) {
        il_policy_set_max_renewals(g->policy, (long)g->max_renewals, "--max-renewals");
    }
    il_policy_rule_opts(g->policy, rules);
    if (g->print_policy) {
        struct il_buf out;
        il_buf_init(&out, 0);
        st = il_policy_print(g->policy, &out);
        if (st != IL_OK) {
            il_cli_errorf(prog, "cannot print the policy: %s", il_status_str(st));
        }
        int ok = st == IL_OK && il_cli_write_output(prog, NULL, &out);
        il_buf_release(&out);
        il_diags_free(errs);
        return ok ? IL_EXIT_PASS : IL_EXIT_USAGE;
    }
    if (g->reviews_path != NULL && (st = il_reviews_load_file(g->reviews_path, &g->reviews, errs)) != IL_OK) {
        return s_fail(prog, errs, st, "cannot use --reviews");
    }
    st = il_diags_move(findings, errs);
    il_diags_free(errs);
    return st == IL_OK ? -1 : IL_EXIT_USAGE;
}

int il_cli_gate_run(struct il_cli_gate *g, const struct il_ledger_rule_opts *rules, const char *ledger_path,
                    const struct il_ledger_schema *schema, const struct il_ledger *ledger, struct il_diags *findings,
                    const char *prog) {
    enum il_status st = il_policy_check(g->policy, ledger, rules, findings);
    if (st != IL_OK) {
        il_cli_errorf(prog, "%s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    if (g->base_ref == NULL) {
        return -1;
    }
    struct il_diags *errs = il_diags_new();
    if (errs == NULL) {
        il_cli_errorf(prog, "out of memory");
        return IL_EXIT_USAGE;
    }
    struct il_gate_opts go = {
        .ledger_path = ledger_path,
        .base_ref = g->base_ref,
        .schema = schema,
        .policy = g->policy,
        .reviews = g->reviews,
        .rules = *rules,
    };
    st = il_gate_check(&go, ledger, findings, &g->summary);
    if (st == IL_ERR_INVALID || st == IL_ERR_NOTFOUND) {
        /* not a repository, no such ref: a usage error; the located reason is the last finding added */
        size_t n = il_diags_count(findings);
        const struct il_diag *why = n ? il_diags_get(findings, n - 1) : NULL;
        st = why ? il_diags_add(errs, why) : IL_OK;
        return s_fail(prog, errs, st, "--base");
    }
    il_diags_free(errs);
    if (st != IL_OK) {
        il_cli_errorf(prog, "--base: %s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    return -1;
}

void il_cli_gate_adjust(const struct il_cli_gate *g, struct il_diags *findings) {
    if (g->policy != NULL) {
        il_policy_adjust(g->policy, findings);
    }
}

int il_cli_gate_exit(const struct il_cli_gate *g, int rc) {
    return g->summary.not_verified > 0 && rc != IL_EXIT_USAGE ? IL_EXIT_UNVERIFIED : rc;
}

enum il_status il_cli_gate_summary_text(const struct il_cli_gate *g, struct il_buf *out) {
    if (g->base_ref == NULL || g->policy == NULL) {
        return IL_OK;
    }
    const struct il_gate_summary *s = &g->summary;
    IL_TRY(il_buf_puts(out, "changes since "));
    IL_TRY(il_escape_terminal(out, g->base_ref));
    return il_buf_printf(out, ": %zu added, %zu renewed, %zu changed, %zu removed, %zu untouched\n", s->added,
                         s->renewed, s->changed, s->removed, s->untouched);
}

void il_cli_gate_release(struct il_cli_gate *g) {
    il_policy_free(g->policy);
    il_reviews_free(g->reviews);
    g->policy = NULL;
    g->reviews = NULL;
}
