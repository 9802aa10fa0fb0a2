/* Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a verdict, the counts, and one table row per finding
 * (then one per thing that could not be verified). Every cell goes through il_escape_markdown(), which makes it safe
 * inside a table cell: no pipe, newline, raw HTML or code span from ledger or tag text survives. */
#include <string.h>

#include "findings/findings_internal.h"
#include "il/escape.h"

static enum il_status s_location(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    if (d->file == NULL && d->aws.operation != NULL) {
        const char *account = d->aws.account ? d->aws.account : d->account;
        const char *region = d->aws.region ? d->aws.region : d->region;
        IL_TRY(il_escape_markdown(out, account ? account : "aws"));
        if (region != NULL) {
            IL_TRY(il_buf_puts(out, " / "));
            IL_TRY(il_escape_markdown(out, region));
        }
        return IL_OK;
    }
    IL_TRY(il_escape_markdown(out, d->file ? d->file : il_findings_ledger_name(opts)));
    if (d->file && d->line) {
        IL_TRY(il_buf_printf(out, ":%u", d->line));
        if (d->column) {
            IL_TRY(il_buf_printf(out, ":%u", d->column));
        }
    }
    return IL_OK;
}

static enum il_status s_row(struct il_buf *out, const struct il_diag *d, const char *severity,
                            const struct il_findings_opts *opts) {
    IL_TRY(il_buf_printf(out, "| %s | ", severity));
    IL_TRY(il_escape_markdown(out, d->rule ? d->rule : "?"));
    IL_TRY(il_buf_puts(out, " | "));
    IL_TRY(s_location(out, d, opts));
    IL_TRY(il_buf_puts(out, " | "));
    IL_TRY(il_escape_markdown(out, d->function_arn ? d->function_arn : ""));
    IL_TRY(il_buf_puts(out, " | "));
    IL_TRY(il_escape_markdown(out, d->message));
    if (d->aws.operation != NULL) {
        IL_TRY(il_buf_puts(out, " (aws: "));
        IL_TRY(il_escape_markdown(out, d->aws.service ? d->aws.service : "?"));
        IL_TRY(il_buf_putc(out, ' '));
        IL_TRY(il_escape_markdown(out, d->aws.operation));
        if (d->aws.http_status > 0) {
            IL_TRY(il_buf_printf(out, " HTTP %d", d->aws.http_status));
        }
        if (d->aws.error_code != NULL) {
            IL_TRY(il_buf_putc(out, ' '));
            IL_TRY(il_escape_markdown(out, d->aws.error_code));
        }
        if (d->aws.request_id != NULL) {
            IL_TRY(il_buf_puts(out, ", request id "));
            IL_TRY(il_escape_markdown(out, d->aws.request_id));
        }
        IL_TRY(il_buf_putc(out, ')'));
    }
    return il_buf_puts(out, " |\n");
}

static const char *s_header = "| Severity | Rule | Location | Function | Message |\n| --- | --- | --- | --- | --- |\n";

il_findings_writer_fn il_findings_markdown; /* its row: findings_format.c */

enum il_status il_findings_markdown(const struct il_diags *diags, const struct il_findings_opts *opts,
                                    struct il_buf *out) {
    size_t n = il_diags_count(diags), unverified = il_diags_count(opts->unverified);
    int passed = il_findings_passed(diags, opts);
    IL_TRY(il_buf_puts(out, "### inspector-ledger "));
    IL_TRY(il_escape_markdown(out, opts->command ? opts->command : "validate"));
    IL_TRY(il_buf_puts(out, passed ? ": passed\n\n" : unverified ? ": not verified\n\n" : ": failed\n\n"));
    IL_TRY(il_escape_markdown(out, il_findings_ledger_name(opts)));
    if (opts->as_of != NULL) {
        IL_TRY(il_buf_puts(out, " as of "));
        IL_TRY(il_escape_markdown(out, opts->as_of));
    }
    IL_TRY(il_buf_puts(out, ": "));
    IL_TRY(il_findings_count(out, il_diags_count_severity(diags, IL_SEV_ERROR), "error"));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(il_findings_count(out, il_diags_count_severity(diags, IL_SEV_WARNING), "warning"));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(il_findings_count(out, il_diags_count_severity(diags, IL_SEV_NOTICE), "notice"));
    IL_TRY(il_buf_printf(out, ", %zu not verified.\n", unverified));
    if (opts->coverage != NULL && opts->coverage->summary != NULL) {
        IL_TRY(il_buf_puts(out, "\nScope: "));
        IL_TRY(il_escape_markdown(out, opts->coverage->summary));
        IL_TRY(il_buf_puts(out, ".\n"));
    }
    if (unverified > 0) {
        IL_TRY(il_buf_puts(out, "\n#### Not verified\n\nThese could not be checked, so the gate does not pass:\n\n"));
        IL_TRY(il_buf_puts(out, s_header));
        for (size_t i = 0; i < unverified; i++) {
            IL_TRY(s_row(out, il_diags_get(opts->unverified, i), "not verified", opts));
        }
    }
    if (n > 0) {
        IL_TRY(il_buf_puts(out, "\n#### Findings\n\n"));
        IL_TRY(il_buf_puts(out, s_header));
        for (size_t i = 0; i < n; i++) {
            const struct il_diag *d = il_diags_get(diags, i);
            IL_TRY(s_row(out, d, il_severity_str(d->severity), opts));
        }
    }
    return il_buf_status(out);
}
