/* The JSON result (schema/validate-result.schema.json, schema/check-result.schema.json). Written by hand through
 * il_escape_json() rather than cJSON's printer, which would pass invalid UTF-8 through; one finding per line so a
 * weekly job can diff one week's result against the next with line tools. */
#include "findings/findings_internal.h"
#include "il/escape.h"

static enum il_status s_key(struct il_buf *out, int *first, const char *key) {
    IL_TRY(il_buf_puts(out, *first ? "" : ", "));
    *first = 0;
    IL_TRY(il_escape_json(out, key));
    return il_buf_puts(out, ": ");
}

static enum il_status s_str_or_null(struct il_buf *out, int *first, const char *key, const char *value) {
    IL_TRY(s_key(out, first, key));
    return value ? il_escape_json(out, value) : il_buf_puts(out, "null");
}

static enum il_status s_opt_str(struct il_buf *out, int *first, const char *key, const char *value) {
    return value ? s_str_or_null(out, first, key, value) : IL_OK;
}

static enum il_status s_uint_or_null(struct il_buf *out, int *first, const char *key, unsigned value) {
    IL_TRY(s_key(out, first, key));
    return value ? il_buf_printf(out, "%u", value) : il_buf_puts(out, "null");
}

static enum il_status s_aws(struct il_buf *out, const struct il_aws_ref *aws) {
    int first = 1;
    IL_TRY(il_buf_putc(out, '{'));
    IL_TRY(s_opt_str(out, &first, "service", aws->service));
    IL_TRY(s_opt_str(out, &first, "operation", aws->operation));
    IL_TRY(s_opt_str(out, &first, "region", aws->region));
    IL_TRY(s_opt_str(out, &first, "account", aws->account));
    if (aws->http_status > 0) {
        IL_TRY(s_key(out, &first, "http_status"));
        IL_TRY(il_buf_printf(out, "%d", aws->http_status));
    }
    IL_TRY(s_opt_str(out, &first, "error_code", aws->error_code));
    IL_TRY(s_opt_str(out, &first, "request_id", aws->request_id));
    return il_buf_putc(out, '}');
}

static enum il_status s_finding(struct il_buf *out, const struct il_diag *d) {
    int first = 1;
    IL_TRY(il_buf_putc(out, '{'));
    IL_TRY(s_str_or_null(out, &first, "rule", d->rule ? d->rule : "?"));
    IL_TRY(s_str_or_null(out, &first, "severity", il_severity_str(d->severity)));
    IL_TRY(s_str_or_null(out, &first, "file", d->file));
    IL_TRY(s_uint_or_null(out, &first, "line", d->line));
    IL_TRY(s_uint_or_null(out, &first, "column", d->column));
    IL_TRY(s_str_or_null(out, &first, "function_arn", d->function_arn));
    IL_TRY(s_str_or_null(out, &first, "message", d->message ? d->message : ""));
    IL_TRY(s_opt_str(out, &first, "pointer", d->pointer));
    IL_TRY(s_opt_str(out, &first, "account", d->account));
    IL_TRY(s_opt_str(out, &first, "region", d->region));
    if (d->aws.operation != NULL) {
        IL_TRY(s_key(out, &first, "aws"));
        IL_TRY(s_aws(out, &d->aws));
    }
    return il_buf_putc(out, '}');
}

static enum il_status s_array(struct il_buf *out, const char *key, const struct il_diags *diags) {
    size_t n = il_diags_count(diags);
    IL_TRY(il_buf_puts(out, "  "));
    IL_TRY(il_escape_json(out, key));
    IL_TRY(il_buf_puts(out, n ? ": [\n" : ": [],\n"));
    for (size_t i = 0; i < n; i++) {
        IL_TRY(il_buf_puts(out, "    "));
        IL_TRY(s_finding(out, il_diags_get(diags, i)));
        IL_TRY(il_buf_puts(out, i + 1 < n ? ",\n" : "\n  ],\n"));
    }
    return IL_OK;
}

static const char *s_fail_on_str(enum il_findings_fail_on fail_on) {
    switch (fail_on) {
    case IL_FINDINGS_FAIL_ON_ERROR: return "error";
    case IL_FINDINGS_FAIL_ON_WARNING: return "warning";
    case IL_FINDINGS_FAIL_ON_NEVER: return "never";
    }
    return "error";
}

il_findings_writer_fn il_findings_json; /* its row: findings_format.c */

enum il_status il_findings_json(const struct il_diags *diags, const struct il_findings_opts *opts, struct il_buf *out) {
    IL_TRY(il_buf_puts(out, "{\n  \"tool\": \"inspector-ledger\",\n  \"version\": "));
    IL_TRY(il_escape_json(out, IL_VERSION));
    IL_TRY(il_buf_puts(out, ",\n  \"command\": "));
    IL_TRY(il_escape_json(out, opts->command ? opts->command : "validate"));
    IL_TRY(il_buf_puts(out, ",\n  \"as_of\": "));
    IL_TRY(opts->as_of ? il_escape_json(out, opts->as_of) : il_buf_puts(out, "null"));
    IL_TRY(il_buf_puts(out, ",\n  \"ledger\": "));
    IL_TRY(opts->ledger_file ? il_escape_json(out, opts->ledger_file) : il_buf_puts(out, "null"));
    IL_TRY(il_buf_puts(out, ",\n"));
    IL_TRY(s_array(out, "findings", diags));
    IL_TRY(s_array(out, "unverified", opts->unverified));
    const struct il_findings_coverage *cov = opts->coverage;
    if (cov != NULL) {
        IL_TRY(il_buf_printf(out,
                             "  \"coverage\": {\"entries\": %zu, \"compared\": %zu, \"outside_declared_scope\": %zu, "
                             "\"declared\": %s, \"summary\": ",
                             cov->entries, cov->compared, cov->outside, cov->declared ? "true" : "false"));
        IL_TRY(il_escape_json(out, cov->summary ? cov->summary : ""));
        IL_TRY(il_buf_puts(out, "},\n"));
    }
    return il_buf_printf(out,
                         "  \"summary\": {\"errors\": %zu, \"warnings\": %zu, \"notices\": %zu, \"unverified\": %zu, "
                         "\"fail_on\": \"%s\", \"passed\": %s}\n}\n",
                         il_diags_count_severity(diags, IL_SEV_ERROR), il_diags_count_severity(diags, IL_SEV_WARNING),
                         il_diags_count_severity(diags, IL_SEV_NOTICE), il_diags_count(opts->unverified),
                         s_fail_on_str(opts->fail_on), il_findings_passed(diags, opts) ? "true" : "false");
}
