/* OCSF JSON (check --format ocsf): a JSON array of Detection Finding events (class_uid 2004, category_uid 2
 * "Findings", OCSF 1.1.0), shaped as Prowler writes them, for a security data lake (Amazon Security Lake, a SIEM).
 *
 * One event per diagnostic and one per thing that could not be verified. activity_id 1 (Create), type_uid 200401
 * (class_uid * 100 + activity_id). severity_id: error 4 High, warning 3 Medium, notice 2 Low, not verified 4 High.
 * status "New" (status_id 1); status_code FAIL when the finding fails the run at --fail-on (or was not verified), else
 * PASS; status_detail the message. finding_info.uid is the stable fingerprint (il_findings_fingerprint()) prefixed with
 * the rule; resources[] is the Lambda function (or the account when the finding names no function); cloud carries the
 * account and region. time is milliseconds since the epoch (OCSF timestamp_t), time_dt the same in RFC 3339. */
#include <string.h>

#include "findings/findings_internal.h"
#include "il/escape.h"

#ifndef IL_VERSION
#define IL_VERSION "0.0.0"
#endif

static enum il_status s_json_printf_str(struct il_buf *out, const char *a, const char *b) {
    struct il_buf tmp;
    il_buf_init(&tmp, 0);
    enum il_status st = il_buf_printf(&tmp, "%s%s", a, b);
    if (st == IL_OK) {
        st = il_escape_json(out, il_buf_cstr(&tmp));
    }
    il_buf_release(&tmp);
    return st;
}

static enum il_status s_event(struct il_buf *out, const struct il_diag *d, int unverified, long long secs,
                              const char *when, const struct il_findings_opts *opts) {
    struct il_findings_where w;
    il_findings_where(d, opts, &w);
    char fp[IL_FINDINGS_FINGERPRINT_LEN + 1];
    IL_TRY(il_findings_fingerprint(d, opts, fp));
    const char *rule = unverified ? "not-verified" : d->rule ? d->rule : "other";
    int sev = unverified || d->severity == IL_SEV_ERROR ? 4 : d->severity == IL_SEV_WARNING ? 3 : 2;
    static const char *const sev_names[] = {"Unknown", "Informational", "Low", "Medium", "High"};
    int fails = unverified || il_findings_fails(d, opts);
    IL_TRY(il_buf_printf(out,
                         "{\"class_uid\": 2004, \"class_name\": \"Detection Finding\", \"category_uid\": 2, "
                         "\"category_name\": \"Findings\", \"activity_id\": 1, \"activity_name\": \"Create\", "
                         "\"type_uid\": 200401, \"type_name\": \"Detection Finding: Create\", \"severity_id\": %d, "
                         "\"severity\": \"%s\", \"status_id\": 1, \"status\": \"New\", \"status_code\": \"%s\", "
                         "\"status_detail\": ",
                         sev, sev_names[sev], fails ? "FAIL" : "PASS"));
    IL_TRY(s_json_printf_str(out, unverified ? "not verified: " : "", d->message ? d->message : ""));
    IL_TRY(il_buf_puts(out, ", \"message\": "));
    IL_TRY(il_escape_json(out, d->message ? d->message : ""));
    IL_TRY(
        il_buf_printf(out, ", \"time\": %lld, \"time_dt\": \"%s\", \"finding_info\": {\"uid\": ", secs * 1000, when));
    struct il_buf uid;
    il_buf_init(&uid, 0);
    enum il_status st = il_buf_printf(&uid, "inspector-ledger/%s/%s%s", rule, unverified ? "u" : "", fp);
    if (st == IL_OK) {
        st = il_escape_json(out, il_buf_cstr(&uid));
    }
    il_buf_release(&uid);
    IL_TRY(st);
    IL_TRY(il_buf_puts(out, ", \"title\": "));
    IL_TRY(s_json_printf_str(out, "inspector-ledger ", rule));
    IL_TRY(il_buf_puts(out, ", \"desc\": "));
    IL_TRY(il_escape_json(out, d->message ? d->message : ""));
    IL_TRY(il_buf_printf(out, ", \"types\": [\"%s\"], \"created_time\": %lld, \"created_time_dt\": \"%s\"}",
                         unverified ? "not-verified" : "inspector-ledger", secs * 1000, when));
    IL_TRY(il_buf_puts(out, ", \"resources\": [{"));
    if (d->function_arn != NULL) {
        IL_TRY(il_buf_puts(out, "\"uid\": "));
        IL_TRY(il_escape_json(out, d->function_arn));
        IL_TRY(il_buf_puts(out, ", \"type\": \"AwsLambdaFunction\""));
    } else {
        IL_TRY(il_buf_puts(out, "\"uid\": "));
        IL_TRY(il_escape_json(out, w.account[0] ? w.account : "unknown"));
        IL_TRY(il_buf_puts(out, ", \"type\": \"AwsAccount\""));
    }
    IL_TRY(il_buf_puts(out, ", \"cloud_partition\": "));
    IL_TRY(il_escape_json(out, w.partition));
    IL_TRY(il_buf_puts(out, ", \"region\": "));
    IL_TRY(il_escape_json(out, w.region));
    IL_TRY(il_buf_puts(out, ", \"data\": {\"ledger\": "));
    IL_TRY(il_escape_json(out, d->file ? d->file : il_findings_ledger_name(opts)));
    IL_TRY(il_buf_printf(
        out, ", \"line\": %u}}], \"cloud\": {\"provider\": \"AWS\", \"account\": {\"uid\": ", d->file ? d->line : 0u));
    IL_TRY(il_escape_json(out, w.account));
    IL_TRY(il_buf_puts(out, ", \"type\": \"AWS Account\", \"type_id\": 10}, \"region\": "));
    IL_TRY(il_escape_json(out, w.region));
    return il_buf_puts(out, "}, \"metadata\": {\"version\": \"1.1.0\", \"product\": {\"name\": \"inspector-ledger\", "
                            "\"vendor_name\": \"inspector-ledger\", \"version\": \"" IL_VERSION "\"}}}");
}

il_findings_writer_fn il_findings_ocsf; /* its row: findings_format.c */

enum il_status il_findings_ocsf(const struct il_diags *diags, const struct il_findings_opts *opts, struct il_buf *out) {
    char when[21];
    long long secs = il_findings_time(opts, when);
    size_t n = il_diags_count(diags), nunv = il_diags_count(opts->unverified);
    IL_TRY(il_buf_puts(out, n + nunv == 0 ? "[" : "[\n"));
    for (size_t i = 0; i < n + nunv; i++) {
        const struct il_diag *d = i < n ? il_diags_get(diags, i) : il_diags_get(opts->unverified, i - n);
        IL_TRY(il_buf_puts(out, "  "));
        IL_TRY(s_event(out, d, i >= n, secs, when, opts));
        IL_TRY(il_buf_puts(out, i + 1 < n + nunv ? ",\n" : "\n"));
    }
    IL_TRY(il_buf_puts(out, "]\n"));
    return il_buf_status(out);
}
