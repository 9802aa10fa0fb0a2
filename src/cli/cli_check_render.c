/* inspector-ledger check: rendering the result, the GitHub step summary, and the exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "il/drift/inventory.h"
#include "il/escape.h"

static int s_write_out(const struct il_check_opts *o, const struct il_buf *text) {
    return o->quiet || il_cli_write_output(IL_CHECK_PROG, o->lo.output, text);
}

static int s_color(const struct il_check_opts *o) {
    const char *no_color = getenv("NO_COLOR");
    return o->lo.format == IL_FINDINGS_TEXT && o->lo.output == NULL && (no_color == NULL || no_color[0] == '\0') &&
           isatty(STDOUT_FILENO);
}

/* Text only: what was looked at, and one closing line a person can read at a glance. */
static enum il_status s_verdict(struct il_buf *out, const struct il_check_opts *o, const struct il_findings_opts *oo,
                                const struct il_ledger *ledger, const struct il_inventory *inv,
                                const struct il_collect_plan *plan, const char *caller, int passed, size_t unverified) {
    size_t verified = 0, skipped = 0, failed = 0, scopes = inv ? il_inventory_scope_count(inv) : 0;
    for (size_t i = 0; i < scopes; i++) {
        enum il_scope_state s = il_inventory_scope_at(inv, i)->state;
        verified += s == IL_SCOPE_VERIFIED;
        skipped += s == IL_SCOPE_SKIPPED;
        failed += s == IL_SCOPE_FAILED;
    }
    if (ledger != NULL && plan != NULL && plan->region_count > 0) {
        IL_TRY(il_buf_puts(out, "scope: "));
        if (plan->use_role) {
            IL_TRY(il_buf_printf(out, "%zu account%s through the role (", plan->account_count,
                                 plan->account_count == 1 ? "" : "s"));
            for (size_t i = 0; i < plan->account_count; i++) {
                IL_TRY(il_buf_printf(out, "%s%s", i ? ", " : "", plan->accounts[i]));
            }
            IL_TRY(il_buf_puts(out, ")"));
        } else if (o->aws.collect.tags_source == IL_TAGS_SOURCE_INSPECTOR) {
            IL_TRY(il_buf_printf(out, "%zu account%s (", plan->account_count ? plan->account_count : 1,
                                 plan->account_count > 1 ? "s" : ""));
            for (size_t i = 0; i < plan->account_count; i++) {
                IL_TRY(il_buf_printf(out, "%s%s", i ? ", " : "", plan->accounts[i]));
            }
            IL_TRY(il_buf_puts(out, plan->account_count
                                        ? ") through the Inspector delegated administrator "
                                        : "the caller's) through the Inspector delegated administrator "));
            IL_TRY(il_escape_terminal(out, caller ? caller : "unknown (GetCallerIdentity failed)"));
        } else {
            IL_TRY(il_buf_puts(out, "account "));
            IL_TRY(il_escape_terminal(out, caller ? caller : "unknown (GetCallerIdentity failed)"));
        }
        IL_TRY(il_buf_printf(out, "; %zu region%s (", plan->region_count, plan->region_count == 1 ? "" : "s"));
        for (size_t i = 0; i < plan->region_count && i < 6; i++) {
            IL_TRY(il_buf_printf(out, "%s%s", i ? ", " : "", plan->regions[i]));
        }
        IL_TRY(il_buf_puts(out, plan->region_count > 6 ? ", ...)" : ")"));
        IL_TRY(il_buf_printf(out, "; tags from %s%s%s\n",
                             o->aws.collect.tags_source == IL_TAGS_SOURCE_LAMBDA ? "Lambda ListTags"
                             : o->aws.collect.tags_source == IL_TAGS_SOURCE_INSPECTOR
                                 ? "Inspector ListCoverage"
                                 : "the Resource Groups Tagging API",
                             o->aws.collect.full ? ", full inventory" : "",
                             o->aws.collect.scan_coverage && o->aws.collect.tags_source != IL_TAGS_SOURCE_INSPECTOR
                                 ? ", scan status from Inspector"
                                 : ""));
        IL_TRY(il_buf_printf(out, "scopes: %zu verified, %zu not verified, %zu skipped; %zu functions seen\n", verified,
                             failed, skipped, inv ? il_inventory_count(inv) : 0));
    }
    IL_TRY(il_escape_terminal(out, oo->ledger_file));
    if (ledger != NULL) {
        size_t n = il_ledger_entry_count(ledger);
        IL_TRY(il_buf_printf(out, ": %zu exclusion%s checked against AWS as of %s: ", n, n == 1 ? "" : "s", oo->as_of));
    } else {
        IL_TRY(il_buf_puts(out, ": "));
    }
    if (unverified > 0) {
        return il_buf_printf(out, "NOT VERIFIED (%zu item%s above could not be checked; the check fails closed)\n",
                             unverified, unverified == 1 ? "" : "s");
    }
    return il_buf_puts(out, passed ? "passed\n" : "failed\n");
}

/*
 * With --output the findings go to a file and the terminal would show nothing, even when the gate fails closed:
 * one verdict line on stderr, preceded (exit 3) by what could not be verified, escaped for the terminal.
 */
static void s_stderr_verdict(const struct il_check_opts *o, const struct il_diags *diags,
                             const struct il_diags *unverified, const struct il_findings_opts *oo,
                             const struct il_ledger *ledger, int passed) {
    struct il_buf b;
    il_buf_init(&b, 0);
    size_t nunv = il_diags_count(unverified);
    enum il_status st = IL_OK;
    for (size_t i = 0; i < nunv && st == IL_OK; i++) {
        const struct il_diag *d = il_diags_get(unverified, i);
        st = il_buf_puts(&b, IL_CHECK_PROG ": not verified: ");
        /* the message names the account and region; a function-level one gets its ARN */
        if (st == IL_OK && d->function_arn != NULL &&
            (d->message == NULL || strstr(d->message, d->function_arn) == NULL)) {
            st = il_escape_terminal(&b, d->function_arn);
            st = st == IL_OK ? il_buf_puts(&b, ": ") : st;
        }
        st = st == IL_OK ? il_escape_terminal(&b, d->message ? d->message : "") : st;
        st = st == IL_OK ? il_buf_puts(&b, "\n") : st;
    }
    if (st == IL_OK) {
        st = il_escape_terminal(&b, oo->ledger_file);
    }
    if (st == IL_OK && ledger != NULL) {
        size_t n = il_ledger_entry_count(ledger);
        st = il_buf_printf(&b, ": %zu exclusion%s checked against AWS as of %s", n, n == 1 ? "" : "s", oo->as_of);
    }
    if (st == IL_OK) {
        size_t errors = il_diags_count_severity(diags, IL_SEV_ERROR);
        size_t warnings = il_diags_count_severity(diags, IL_SEV_WARNING);
        const char *verdict = nunv > 0 ? "NOT VERIFIED" : passed ? "passed" : "failed";
        st = il_buf_printf(&b, ": %s (%zu error%s, %zu warning%s", verdict, errors, errors == 1 ? "" : "s", warnings,
                           warnings == 1 ? "" : "s");
    }
    if (st == IL_OK && nunv > 0) {
        st = il_buf_printf(&b, ", %zu item%s not verified: the check fails closed", nunv, nunv == 1 ? "" : "s");
    }
    if (st == IL_OK) {
        st = il_buf_puts(&b, "); findings written to ");
    }
    if (st == IL_OK) {
        st = il_escape_terminal(&b, o->lo.output);
    }
    if (st == IL_OK) {
        st = il_buf_puts(&b, "\n");
    }
    if (st == IL_OK) {
        il_cli_rawf("%s", il_buf_cstr(&b));
    } else {
        il_cli_errorf(IL_CHECK_PROG, "%s", nunv > 0 ? "NOT VERIFIED" : passed ? "passed" : "failed");
    }
    il_buf_release(&b);
}

static void s_step_summary(const struct il_check_opts *o, const struct il_diags *diags,
                           const struct il_findings_opts *oo) {
    const char *gha = getenv("GITHUB_ACTIONS");
    const char *path = getenv("GITHUB_STEP_SUMMARY");
    if (o->lo.format != IL_FINDINGS_GITHUB || gha == NULL || strcmp(gha, "true") != 0 || path == NULL ||
        path[0] == '\0') {
        return;
    }
    enum il_status st = il_findings_write_step_summary(diags, oo, path);
    if (st != IL_OK) {
        /* the gate's verdict does not depend on the summary: say so and go on */
        il_cli_errorf(IL_CHECK_PROG, "could not append the job summary to $GITHUB_STEP_SUMMARY: %s", il_status_str(st));
    }
}

int il_cli_check_render(const struct il_check_opts *o, const struct il_diags *diags, const struct il_diags *unverified,
                        const struct il_ledger *ledger, const struct il_inventory *inv,
                        const struct il_collect_plan *plan, const char *caller,
                        const struct il_findings_coverage *coverage) {
    char as_of[IL_DATE_STRLEN];
    il_date_format(&o->lo.rules.as_of, as_of);
    struct il_findings_opts oo = {
        .command = "check",
        .as_of = as_of,
        .ledger_file = strcmp(o->ledger, "-") == 0 ? "<stdin>" : o->ledger,
        .color = s_color(o),
        .fail_on = o->lo.fail_on,
        .verbose = o->verbose,
        .unverified = unverified,
        .coverage = coverage,
        .source = o->source,
        .source_len = o->source_len,
        /* ASFF/OCSF: a finding that names no account or region belongs to the caller's and the home region */
        .account = caller,
        .region = plan != NULL && plan->region_count > 0 ? plan->regions[0] : NULL,
        .partition = plan != NULL && plan->partition[0] != '\0' ? plan->partition : NULL,
    };
    struct il_buf out;
    il_buf_init(&out, 0);
    int passed = il_findings_passed(diags, &oo);
    size_t nunverified = il_diags_count(unverified);
    enum il_status st = il_findings_write(o->lo.format, diags, &oo, &out);
    if (st == IL_OK && o->lo.format == IL_FINDINGS_TEXT) {
        st = s_verdict(&out, o, &oo, ledger, inv, plan, caller, passed, nunverified);
    }
    int rc;
    if (st != IL_OK) {
        il_cli_errorf(IL_CHECK_PROG, "cannot render the findings: %s", il_status_str(st));
        rc = IL_EXIT_USAGE;
    } else if (!s_write_out(o, &out)) {
        rc = IL_EXIT_USAGE;
    } else {
        s_step_summary(o, diags, &oo);
        if (o->lo.output != NULL && !o->quiet) {
            s_stderr_verdict(o, diags, unverified, &oo, ledger, passed);
        }
        rc = nunverified > 0 ? IL_EXIT_UNVERIFIED : passed ? IL_EXIT_PASS : IL_EXIT_FINDINGS;
    }
    il_buf_release(&out);
    return rc;
}
