/* GitLab Code Quality JSON (artifacts:reports:codequality): an array of issues {description, check_name, fingerprint,
 * severity, location {path, lines {begin}}}, the subset GitLab's merge-request widget reads.
 *
 * severity: error -> critical, warning -> major, notice -> info (GitLab's scale is info, minor, major, critical,
 * blocker); what could not be verified is a "blocker" issue with check_name "not-verified" on the ledger's first line,
 * so a gate that could not check something is never an empty (clean-looking) report. fingerprint is the finding's
 * stable sha256 (il_findings_fingerprint(): rule, ARN and field, never the line), so GitLab tracks an issue across
 * edits that move it. Written through il_escape_json(), one issue per line. */
#include "findings/findings_internal.h"
#include "il/escape.h"

static const char *s_severity(enum il_severity sev) {
    switch (sev) {
    case IL_SEV_ERROR: return "critical";
    case IL_SEV_WARNING: return "major";
    case IL_SEV_NOTICE: break;
    }
    return "info";
}

/* "message" or "message (ARN)": the widget shows the description alone, so the function it is about goes with it. */
static enum il_status s_description(struct il_buf *out, const struct il_diag *d, int unverified) {
    struct il_buf text;
    il_buf_init(&text, 0);
    enum il_status st = il_buf_puts(&text, unverified ? "not verified: " : "");
    if (st == IL_OK) {
        st = il_buf_puts(&text, d->message ? d->message : "");
    }
    if (st == IL_OK && d->function_arn != NULL) {
        st = il_buf_printf(&text, " (%s)", d->function_arn);
    }
    if (st == IL_OK) {
        st = il_escape_json(out, il_buf_cstr(&text));
    }
    il_buf_release(&text);
    return st;
}

static enum il_status s_issue(struct il_buf *out, const struct il_diag *d, int unverified,
                              const struct il_findings_opts *opts) {
    char fp[IL_FINDINGS_FINGERPRINT_LEN + 1];
    IL_TRY(il_findings_fingerprint(d, opts, fp));
    IL_TRY(il_buf_puts(out, "{\"description\": "));
    IL_TRY(s_description(out, d, unverified));
    IL_TRY(il_buf_puts(out, ", \"check_name\": "));
    IL_TRY(il_escape_json(out, unverified ? "not-verified" : d->rule ? d->rule : "?"));
    /* an unverified item and a finding with the same rule and ARN are different issues: tell them apart */
    IL_TRY(il_buf_printf(out, ", \"fingerprint\": \"%s%s\", \"severity\": \"%s\", \"location\": {\"path\": ",
                         unverified ? "u" : "", fp, unverified ? "blocker" : s_severity(d->severity)));
    /* AWS-side findings have no file: they belong to the ledger that should record them */
    IL_TRY(il_escape_json(out, d->file ? d->file : il_findings_ledger_name(opts)));
    return il_buf_printf(out, ", \"lines\": {\"begin\": %u}}}", d->file && d->line ? d->line : 1u);
}

il_findings_writer_fn il_findings_codequality; /* its row: findings_format.c */

enum il_status il_findings_codequality(const struct il_diags *diags, const struct il_findings_opts *opts,
                                       struct il_buf *out) {
    size_t n = il_diags_count(diags), nunv = il_diags_count(opts->unverified);
    IL_TRY(il_buf_puts(out, n + nunv == 0 ? "[" : "[\n"));
    for (size_t i = 0; i < n + nunv; i++) {
        const struct il_diag *d = i < n ? il_diags_get(diags, i) : il_diags_get(opts->unverified, i - n);
        IL_TRY(il_buf_puts(out, "  "));
        IL_TRY(s_issue(out, d, i >= n, opts));
        IL_TRY(il_buf_puts(out, i + 1 < n + nunv ? ",\n" : "\n"));
    }
    IL_TRY(il_buf_puts(out, "]\n"));
    return il_buf_status(out);
}
