/* AWS Security Finding Format (check --format asff): a JSON array of findings as Security Hub's BatchImportFindings
 * takes them (`aws securityhub batch-import-findings --findings file://check.asff.json`, at most 100 per call).
 *
 * One finding per diagnostic and one per thing that could not be verified. Id is "inspector-ledger/<rule>/<sha256>"
 * (il_findings_fingerprint(): stable across runs and line moves, so a re-import updates the finding instead of adding
 * one); ProductArn is the account's own default product (arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/
 * default), the one any account may import into. Severity.Label: error HIGH, warning MEDIUM, notice LOW, not verified
 * HIGH. Compliance.Status: error FAILED, warning and notice WARNING, not verified NOT_AVAILABLE. Workflow NEW,
 * RecordState ACTIVE. Title is cut to 256 and Description to 1024 characters (the API's limits) at a code point. A
 * finding whose account is unknown everywhere (the finding, its ARN, its AWS request, the caller) cannot be imported:
 * the writer fails with IL_ERR_INVALID rather than drop it. */
#include <string.h>

#include "findings/findings_internal.h"
#include "il/escape.h"

#define S_TITLE_MAX 256
#define S_DESCRIPTION_MAX 1024

static enum il_status s_clipped_json(struct il_buf *out, const char *s, size_t max) {
    struct il_buf tmp;
    il_buf_init(&tmp, 0);
    enum il_status st = il_findings_clip(&tmp, s, max);
    if (st == IL_OK) {
        st = il_escape_json(out, il_buf_cstr(&tmp));
    }
    il_buf_release(&tmp);
    return st;
}

static int s_digits12(const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return n == 12;
}

static enum il_status s_description(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    struct il_buf text;
    il_buf_init(&text, 0);
    enum il_status st = il_buf_puts(&text, d->message ? d->message : "");
    if (st == IL_OK) {
        st = il_buf_printf(&text, " (%s", d->file ? d->file : il_findings_ledger_name(opts));
    }
    if (st == IL_OK && d->file && d->line) {
        st = il_buf_printf(&text, ":%u", d->line);
    }
    if (st == IL_OK && d->aws.operation) {
        st = il_buf_printf(&text, "; aws %s %s", d->aws.service ? d->aws.service : "?", d->aws.operation);
        if (st == IL_OK && d->aws.error_code) {
            st = il_buf_printf(&text, " %s", d->aws.error_code);
        }
    }
    if (st == IL_OK) {
        st = il_buf_putc(&text, ')');
    }
    if (st == IL_OK) {
        st = s_clipped_json(out, il_buf_cstr(&text), S_DESCRIPTION_MAX);
    }
    il_buf_release(&text);
    return st;
}

static enum il_status s_finding(struct il_buf *out, const struct il_diag *d, int unverified, const char *when,
                                const struct il_findings_opts *opts) {
    struct il_findings_where w;
    il_findings_where(d, opts, &w);
    if (!s_digits12(w.account) || w.region[0] == '\0') {
        return IL_ERR_INVALID; /* Security Hub rejects it: never drop it silently */
    }
    char fp[IL_FINDINGS_FINGERPRINT_LEN + 1];
    IL_TRY(il_findings_fingerprint(d, opts, fp));
    const char *rule = unverified ? "not-verified" : d->rule ? d->rule : "other";
    const char *label = unverified || d->severity == IL_SEV_ERROR ? "HIGH"
                        : d->severity == IL_SEV_WARNING           ? "MEDIUM"
                                                                  : "LOW";
    const char *compliance = unverified ? "NOT_AVAILABLE" : d->severity == IL_SEV_ERROR ? "FAILED" : "WARNING";
    IL_TRY(il_buf_puts(out, "{\"SchemaVersion\": \"2018-10-08\", \"Id\": "));
    struct il_buf id;
    il_buf_init(&id, 0);
    enum il_status st = il_buf_printf(&id, "inspector-ledger/%s/%s%s", rule, unverified ? "u" : "", fp);
    if (st == IL_OK) {
        st = s_clipped_json(out, il_buf_cstr(&id), 512);
    }
    il_buf_release(&id);
    IL_TRY(st);
    IL_TRY(il_buf_puts(out, ", \"ProductArn\": "));
    struct il_buf arn;
    il_buf_init(&arn, 0);
    st =
        il_buf_printf(&arn, "arn:%s:securityhub:%s:%s:product/%s/default", w.partition, w.region, w.account, w.account);
    if (st == IL_OK) {
        st = il_escape_json(out, il_buf_cstr(&arn));
    }
    il_buf_release(&arn);
    IL_TRY(st);
    IL_TRY(il_buf_puts(out, ", \"ProductName\": \"inspector-ledger\", "));
    IL_TRY(il_buf_puts(out, "\"CompanyName\": \"inspector-ledger\", \"GeneratorId\": "));
    struct il_buf gen;
    il_buf_init(&gen, 0);
    st = il_buf_printf(&gen, "inspector-ledger/%s", rule);
    if (st == IL_OK) {
        st = s_clipped_json(out, il_buf_cstr(&gen), 512);
    }
    il_buf_release(&gen);
    IL_TRY(st);
    IL_TRY(il_buf_printf(out, ", \"AwsAccountId\": \"%s\", \"Region\": ", w.account));
    IL_TRY(il_escape_json(out, w.region));
    IL_TRY(il_buf_printf(out,
                         ", \"Types\": [\"Software and Configuration Checks/AWS Security Best Practices\"], "
                         "\"CreatedAt\": \"%s\", \"UpdatedAt\": \"%s\", \"Severity\": {\"Label\": \"%s\", "
                         "\"Original\": \"%s\"}, \"Title\": ",
                         when, when, label, unverified ? "not-verified" : il_severity_str(d->severity)));
    struct il_buf title;
    il_buf_init(&title, 0);
    st = il_buf_printf(&title, "inspector-ledger %s: %s", rule, d->message ? d->message : "");
    if (st == IL_OK) {
        st = s_clipped_json(out, il_buf_cstr(&title), S_TITLE_MAX);
    }
    il_buf_release(&title);
    IL_TRY(st);
    IL_TRY(il_buf_puts(out, ", \"Description\": "));
    IL_TRY(s_description(out, d, opts));
    IL_TRY(il_buf_puts(out, ", \"Resources\": [{"));
    if (d->function_arn != NULL) {
        IL_TRY(il_buf_puts(out, "\"Type\": \"AwsLambdaFunction\", \"Id\": "));
        IL_TRY(s_clipped_json(out, d->function_arn, 512));
    } else {
        IL_TRY(il_buf_printf(out, "\"Type\": \"AwsAccount\", \"Id\": \"AWS::::Account:%s\"", w.account));
    }
    IL_TRY(il_buf_puts(out, ", \"Partition\": "));
    IL_TRY(il_escape_json(out, w.partition));
    IL_TRY(il_buf_puts(out, ", \"Region\": "));
    IL_TRY(il_escape_json(out, w.region));
    IL_TRY(il_buf_printf(out,
                         "}], \"Compliance\": {\"Status\": \"%s\"}, \"Workflow\": {\"Status\": \"NEW\"}, "
                         "\"RecordState\": \"ACTIVE\", \"ProductFields\": {\"inspector-ledger/rule\": ",
                         compliance));
    IL_TRY(il_escape_json(out, rule));
    IL_TRY(il_buf_puts(out, ", \"inspector-ledger/ledger\": "));
    IL_TRY(s_clipped_json(out, d->file ? d->file : il_findings_ledger_name(opts), 1024));
    return il_buf_puts(out, "}}");
}

il_findings_writer_fn il_findings_asff; /* its row: findings_format.c */

enum il_status il_findings_asff(const struct il_diags *diags, const struct il_findings_opts *opts, struct il_buf *out) {
    char when[21];
    (void)il_findings_time(opts, when);
    size_t n = il_diags_count(diags), nunv = il_diags_count(opts->unverified);
    IL_TRY(il_buf_puts(out, n + nunv == 0 ? "[" : "[\n"));
    for (size_t i = 0; i < n + nunv; i++) {
        const struct il_diag *d = i < n ? il_diags_get(diags, i) : il_diags_get(opts->unverified, i - n);
        IL_TRY(il_buf_puts(out, "  "));
        IL_TRY(s_finding(out, d, i >= n, when, opts));
        IL_TRY(il_buf_puts(out, i + 1 < n + nunv ? ",\n" : "\n"));
    }
    IL_TRY(il_buf_puts(out, "]\n"));
    return il_buf_status(out);
}
