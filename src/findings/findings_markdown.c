/* Markdown for pull-request comments and $GITHUB_STEP_SUMMARY: a verdict, the counts, and one table row per finding
 * (then one per thing that could not be verified). Every cell goes through il_escape_markdown(), which makes it safe
 * inside a table cell: no pipe, newline, raw HTML or code span from ledger or tag text survives. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

static const char s_truncated_note[] =
    "\n> **Truncated:** the rest of this summary was cut to stay within GitHub's 1 MiB step-summary limit. "
    "Run with `--format text` or `--format json` for every finding.\n";

enum il_status il_findings_write_step_summary(const struct il_diags *diags, const struct il_findings_opts *opts,
                                              const char *path) {
    enum il_status st = IL_OK;
    struct il_buf md;
    il_buf_init(&md, 0);
    FILE *fp = NULL;
    if (path == NULL || path[0] == '\0') {
        st = IL_ERR_INVALID;
        goto cleanup;
    }
    st = il_findings_markdown(diags, opts, &md);
    if (st != IL_OK) {
        goto cleanup;
    }
    fp = fopen(path, "ab");
    struct stat sb;
    if (fp == NULL || fstat(fileno(fp), &sb) != 0) {
        st = IL_ERR_IO;
        goto cleanup;
    }
    /* other steps' summaries are separate files, but earlier writes in this step share the cap */
    size_t existing = sb.st_size > 0 ? (size_t)sb.st_size : 0;
    size_t avail = existing < IL_FINDINGS_STEP_SUMMARY_LIMIT ? IL_FINDINGS_STEP_SUMMARY_LIMIT - existing : 0;
    size_t keep = md.len;
    int truncated = 0;
    if (md.len > avail) {
        size_t note = sizeof(s_truncated_note) - 1;
        if (avail < note) {
            st = IL_ERR_LIMIT;
            goto cleanup;
        }
        keep = avail - note;
        while (keep > 0 && md.data[keep - 1] != '\n') {
            keep--; /* whole lines only: a cut row would break the table, a cut code point the UTF-8 */
        }
        truncated = 1;
    }
    if (fwrite(md.data, 1, keep, fp) != keep ||
        (truncated && fwrite(s_truncated_note, 1, sizeof(s_truncated_note) - 1, fp) != sizeof(s_truncated_note) - 1)) {
        st = IL_ERR_IO;
    }
cleanup:
    if (fp != NULL && fclose(fp) != 0 && st == IL_OK) {
        st = IL_ERR_IO;
    }
    il_buf_release(&md);
    return st;
}
