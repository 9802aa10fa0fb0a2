/* GitHub Actions workflow commands (`::error file=F,line=L,col=C,title=T::message`).
 *
 * Every line this writer emits starts with a fixed `::error `/`::warning `/`::notice `; untrusted text only ever
 * appears escaped (properties: % CR LF : , ; data: % CR LF), so no ledger or tag text can end a property early, start
 * a new line or inject a command. GitHub shows at most 10 error and 10 warning (and 10 notice) annotations per step:
 * errors come first (what could not be verified before everything else), then one notice says how many more there
 * are and where to find them. */
#include "findings/findings_internal.h"
#include "il/escape.h"

#define S_CAP 10

static const char *s_command(enum il_severity sev) {
    switch (sev) {
    case IL_SEV_ERROR: return "::error ";
    case IL_SEV_WARNING: return "::warning ";
    case IL_SEV_NOTICE: return "::notice ";
    }
    return "::error ";
}

static enum il_status s_annotation(struct il_buf *out, const struct il_diag *d, int as_error,
                                   const struct il_findings_opts *opts) {
    /* A finding with no line of its own (an unrecorded exclusion, a failed AWS call) is annotated at the ledger's
     * first line so it still shows on the pull request. */
    const char *file = d->file ? d->file : il_findings_ledger_name(opts);
    unsigned line = d->file && d->line ? d->line : 1;
    while (file[0] == '.' && file[1] == '/') {
        file += 2; /* GitHub matches the path against the repository's files as written: no "./" */
    }
    IL_TRY(il_buf_puts(out, s_command(as_error ? IL_SEV_ERROR : d->severity)));
    IL_TRY(il_buf_puts(out, "file="));
    IL_TRY(il_escape_github_property(out, file));
    IL_TRY(il_buf_printf(out, ",line=%u", line));
    if (d->file && d->line && d->column) {
        IL_TRY(il_buf_printf(out, ",col=%u", d->column));
    }
    IL_TRY(il_buf_puts(out, ",title="));
    IL_TRY(il_escape_github_property(out, d->rule ? d->rule : "?"));
    IL_TRY(il_buf_puts(out, "::"));
    IL_TRY(il_escape_github_data(out, d->message));
    if (d->function_arn != NULL) {
        IL_TRY(il_buf_puts(out, "%0Afunction: "));
        IL_TRY(il_escape_github_data(out, d->function_arn));
    }
    if (d->aws.operation != NULL) {
        IL_TRY(il_buf_puts(out, "%0Aaws: "));
        IL_TRY(il_escape_github_data(out, d->aws.service ? d->aws.service : "?"));
        IL_TRY(il_buf_putc(out, ' '));
        IL_TRY(il_escape_github_data(out, d->aws.operation));
        if (d->aws.account != NULL) {
            IL_TRY(il_buf_puts(out, " account "));
            IL_TRY(il_escape_github_data(out, d->aws.account));
        }
        if (d->aws.region != NULL) {
            IL_TRY(il_buf_puts(out, " region "));
            IL_TRY(il_escape_github_data(out, d->aws.region));
        }
        if (d->aws.http_status > 0) {
            IL_TRY(il_buf_printf(out, " HTTP %d", d->aws.http_status));
        }
        if (d->aws.error_code != NULL) {
            IL_TRY(il_buf_putc(out, ' '));
            IL_TRY(il_escape_github_data(out, d->aws.error_code));
        }
        if (d->aws.request_id != NULL) {
            IL_TRY(il_buf_puts(out, " (request id "));
            IL_TRY(il_escape_github_data(out, d->aws.request_id));
            IL_TRY(il_buf_putc(out, ')'));
        }
    }
    return il_buf_putc(out, '\n');
}

/* Emit diagnostics of @p sev (any severity, annotated as errors, when @p unverified) from @p diags while
 * *shown < cap; count the rest in *hidden. */
static enum il_status s_emit(struct il_buf *out, const struct il_diags *diags, enum il_severity sev, int unverified,
                             size_t cap, size_t *shown, size_t *hidden, const struct il_findings_opts *opts) {
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        if (!unverified && d->severity != sev) {
            continue;
        }
        if (*shown < cap) {
            IL_TRY(s_annotation(out, d, unverified, opts));
            (*shown)++;
        } else {
            (*hidden)++;
        }
    }
    return IL_OK;
}

static enum il_status s_overflow_part(struct il_buf *out, int *first, size_t n, const char *what) {
    if (n == 0) {
        return IL_OK;
    }
    IL_TRY(il_buf_puts(out, *first ? "" : ", "));
    *first = 0;
    return il_findings_count(out, n, what);
}

il_findings_writer_fn il_findings_github; /* its row: findings_format.c */

enum il_status il_findings_github(const struct il_diags *diags, const struct il_findings_opts *opts,
                                  struct il_buf *out) {
    size_t errors = il_diags_count_severity(diags, IL_SEV_ERROR) + il_diags_count(opts->unverified);
    size_t warnings = il_diags_count_severity(diags, IL_SEV_WARNING);
    size_t notices = il_diags_count_severity(diags, IL_SEV_NOTICE);
    int overflow = errors > S_CAP || warnings > S_CAP || notices > S_CAP;
    /* the overflow line is itself a notice, so it takes one of the ten notice slots */
    size_t notice_cap = overflow ? S_CAP - 1 : S_CAP;
    size_t shown = 0, hidden_errors = 0, hidden_warnings = 0, hidden_notices = 0;

    /* what could not be verified fails the gate whatever its severity, so it is annotated as an error, first */
    IL_TRY(s_emit(out, opts->unverified, IL_SEV_ERROR, 1, S_CAP, &shown, &hidden_errors, opts));
    IL_TRY(s_emit(out, diags, IL_SEV_ERROR, 0, S_CAP, &shown, &hidden_errors, opts));
    shown = 0;
    IL_TRY(s_emit(out, diags, IL_SEV_WARNING, 0, S_CAP, &shown, &hidden_warnings, opts));
    shown = 0;
    IL_TRY(s_emit(out, diags, IL_SEV_NOTICE, 0, notice_cap, &shown, &hidden_notices, opts));
    if (opts->coverage != NULL && opts->coverage->summary != NULL) {
        /* what the gate compared, so a partial run can never look complete */
        IL_TRY(il_buf_puts(out, "::notice file="));
        IL_TRY(il_escape_github_property(out, il_findings_ledger_name(opts)));
        IL_TRY(il_buf_puts(out, ",line=1,title=scope::"));
        IL_TRY(il_escape_github_data(out, opts->coverage->summary));
        IL_TRY(il_buf_puts(out, "\n"));
    }
    if (hidden_errors + hidden_warnings + hidden_notices == 0) {
        return il_buf_status(out);
    }
    IL_TRY(il_buf_puts(out, "::notice file="));
    IL_TRY(il_escape_github_property(out, il_findings_ledger_name(opts)));
    IL_TRY(il_buf_puts(out, ",line=1,title=more findings not annotated::"));
    int first = 1;
    IL_TRY(s_overflow_part(out, &first, hidden_errors, "more error"));
    IL_TRY(s_overflow_part(out, &first, hidden_warnings, "more warning"));
    IL_TRY(s_overflow_part(out, &first, hidden_notices, "more notice"));
    IL_TRY(il_buf_printf(out,
                         " not shown: GitHub annotates at most %d of each per step. "
                         "Run with --format text (or see the job summary) for the full list",
                         S_CAP));
    return il_buf_putc(out, '\n');
}
