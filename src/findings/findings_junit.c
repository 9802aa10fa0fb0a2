/* JUnit XML for CI dashboards.
 *
 * Layout (documented in docs/output.md): one <testsuite> per rule that has findings, in catalogue order; one
 * <testcase> per finding, named by the function ARN (or file:line:col when there is none), classname
 * "inspector-ledger.<rule>". A finding at or above --fail-on is a <failure>; one below it is a passing test case whose
 * message is in <system-out>. What could not be verified is a "not-verified" suite whose test cases are <error>s (the
 * check could not run), whatever --fail-on says. With no findings at all there is one passing test case, so a
 * dashboard never sees an empty report. Every untrusted string is escaped as XML 1.0 text or attribute. */
#include <string.h>

#include "findings/findings_internal.h"
#include "il/escape.h"
#include "il/rules.h"

/* The test case's name: "arn" or "file:line:col". */
static enum il_status s_case_name(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    if (d->function_arn != NULL) {
        return il_escape_xml_attr(out, d->function_arn);
    }
    if (d->file == NULL && d->aws.operation != NULL) {
        struct il_buf where;
        il_buf_init(&where, 0);
        enum il_status st =
            il_buf_printf(&where, "%s %s%s%s%s%s", d->aws.service ? d->aws.service : "aws", d->aws.operation,
                          d->aws.account ? " " : "", d->aws.account ? d->aws.account : "", d->aws.region ? " " : "",
                          d->aws.region ? d->aws.region : "");
        if (st == IL_OK) {
            st = il_escape_xml_attr(out, il_buf_cstr(&where));
        }
        il_buf_release(&where);
        return st;
    }
    IL_TRY(il_escape_xml_attr(out, d->file ? d->file : il_findings_ledger_name(opts)));
    if (d->file && d->line) {
        IL_TRY(il_buf_printf(out, ":%u", d->line));
        if (d->column) {
            IL_TRY(il_buf_printf(out, ":%u", d->column));
        }
    }
    return IL_OK;
}

/* The body of a failure/error/system-out: location, severity, message, ARN and AWS request, one per line. */
static enum il_status s_detail(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    IL_TRY(il_escape_xml_text(out, d->file ? d->file : il_findings_ledger_name(opts)));
    if (d->file && d->line) {
        IL_TRY(il_buf_printf(out, ":%u", d->line));
        if (d->column) {
            IL_TRY(il_buf_printf(out, ":%u", d->column));
        }
    }
    IL_TRY(il_buf_printf(out, ": %s[", il_severity_str(d->severity)));
    IL_TRY(il_escape_xml_text(out, d->rule ? d->rule : "?"));
    IL_TRY(il_buf_puts(out, "]: "));
    IL_TRY(il_escape_xml_text(out, d->message));
    if (d->function_arn != NULL) {
        IL_TRY(il_buf_puts(out, "\nfunction: "));
        IL_TRY(il_escape_xml_text(out, d->function_arn));
    }
    if (d->aws.operation != NULL) {
        IL_TRY(il_buf_puts(out, "\naws: "));
        IL_TRY(il_escape_xml_text(out, d->aws.service ? d->aws.service : "?"));
        IL_TRY(il_buf_putc(out, ' '));
        IL_TRY(il_escape_xml_text(out, d->aws.operation));
        if (d->aws.http_status > 0) {
            IL_TRY(il_buf_printf(out, " HTTP %d", d->aws.http_status));
        }
        if (d->aws.error_code != NULL) {
            IL_TRY(il_buf_putc(out, ' '));
            IL_TRY(il_escape_xml_text(out, d->aws.error_code));
        }
        if (d->aws.request_id != NULL) {
            IL_TRY(il_buf_puts(out, " (request id "));
            IL_TRY(il_escape_xml_text(out, d->aws.request_id));
            IL_TRY(il_buf_putc(out, ')'));
        }
    }
    return IL_OK;
}

/* kind: "failure", "error", or NULL for a passing case (details in system-out). */
static enum il_status s_case(struct il_buf *out, const struct il_diag *d, const char *kind,
                             const struct il_findings_opts *opts) {
    IL_TRY(il_buf_puts(out, "    <testcase name=\""));
    IL_TRY(s_case_name(out, d, opts));
    IL_TRY(il_buf_puts(out, "\" classname=\"inspector-ledger."));
    IL_TRY(il_escape_xml_attr(out, d->rule ? d->rule : "?"));
    IL_TRY(il_buf_puts(out, "\" time=\"0\">\n"));
    if (kind != NULL) {
        IL_TRY(il_buf_printf(out, "      <%s message=\"", kind));
        IL_TRY(il_escape_xml_attr(out, d->message));
        IL_TRY(il_buf_printf(out, "\" type=\"%s\">", il_severity_str(d->severity)));
        IL_TRY(s_detail(out, d, opts));
        IL_TRY(il_buf_printf(out, "</%s>\n", kind));
    } else {
        IL_TRY(il_buf_puts(out, "      <system-out>"));
        IL_TRY(s_detail(out, d, opts));
        IL_TRY(il_buf_puts(out, "</system-out>\n"));
    }
    return il_buf_puts(out, "    </testcase>\n");
}

/* Which diagnostics belong to the suite: those with rule @p rule, or (rule NULL) those not in the catalogue. */
static int s_member(const struct il_diag *d, const char *rule) {
    if (rule == NULL) {
        return d->rule == NULL || il_rule_find(d->rule) == NULL;
    }
    return d->rule != NULL && strcmp(d->rule, rule) == 0;
}

/* One suite; @p unverified makes every case an <error>. Adds to the running totals. */
static enum il_status s_suite(struct il_buf *out, const struct il_diags *diags, const char *rule, const char *name,
                              int unverified, const struct il_findings_opts *opts, size_t *tests, size_t *failures,
                              size_t *errors) {
    size_t n = 0, nfail = 0, nerr = 0;
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        if (unverified || s_member(d, rule)) {
            n++;
            nerr += unverified;
            nfail += !unverified && il_findings_fails(d, opts);
        }
    }
    if (n == 0) {
        return IL_OK;
    }
    IL_TRY(il_buf_puts(out, "  <testsuite name=\""));
    IL_TRY(il_escape_xml_attr(out, name));
    IL_TRY(il_buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"0\">\n", n, nfail,
                         nerr));
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        if (unverified) {
            IL_TRY(s_case(out, d, "error", opts));
        } else if (s_member(d, rule)) {
            IL_TRY(s_case(out, d, il_findings_fails(d, opts) ? "failure" : NULL, opts));
        }
    }
    *tests += n;
    *failures += nfail;
    *errors += nerr;
    return il_buf_puts(out, "  </testsuite>\n");
}

/* With no findings at all: one passing test case named after the ledger, so a dashboard never sees an empty report. */
static enum il_status s_placeholder_suite(struct il_buf *body, const struct il_findings_opts *opts) {
    IL_TRY(il_buf_puts(body, "  <testsuite name=\"inspector-ledger\" tests=\"1\" failures=\"0\" errors=\"0\" "
                             "skipped=\"0\" time=\"0\">\n    <testcase name=\""));
    IL_TRY(il_escape_xml_attr(body, il_findings_ledger_name(opts)));
    return il_buf_puts(body, "\" classname=\"inspector-ledger.ledger\" time=\"0\"/>\n  </testsuite>\n");
}

static enum il_status s_document(struct il_buf *out, const struct il_buf *body, size_t tests, size_t failures,
                                 size_t errors, const struct il_findings_opts *opts) {
    IL_TRY(il_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"inspector-ledger "));
    IL_TRY(il_escape_xml_attr(out, opts->command ? opts->command : "validate"));
    IL_TRY(
        il_buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"0\">\n", tests, failures, errors));
    IL_TRY(il_buf_append(out, il_buf_cstr(body), body->len));
    return il_buf_puts(out, "</testsuites>\n");
}

/* check: the entries compared with AWS, as a suite with no cases (so the totals stay the findings') whose properties
 * a dashboard can read and whose system-out a person can. */
static enum il_status s_scope_suite(struct il_buf *body, const struct il_findings_coverage *cov) {
    IL_TRY(il_buf_printf(body,
                         "  <testsuite name=\"scope\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" "
                         "time=\"0\">\n    <properties>\n"
                         "      <property name=\"entries\" value=\"%zu\"/>\n"
                         "      <property name=\"compared\" value=\"%zu\"/>\n"
                         "      <property name=\"outside_declared_scope\" value=\"%zu\"/>\n"
                         "      <property name=\"declared\" value=\"%s\"/>\n    </properties>\n    <system-out>",
                         cov->entries, cov->compared, cov->outside, cov->declared ? "true" : "false"));
    IL_TRY(il_escape_xml_text(body, cov->summary ? cov->summary : ""));
    return il_buf_puts(body, "</system-out>\n  </testsuite>\n");
}

il_findings_writer_fn il_findings_junit; /* its row: findings_format.c */

enum il_status il_findings_junit(const struct il_diags *diags, const struct il_findings_opts *opts,
                                 struct il_buf *out) {
    /* The suites are rendered first into their own buffer because <testsuites> carries the totals. */
    struct il_buf body;
    il_buf_init(&body, out->limit);
    size_t tests = 0, failures = 0, errors = 0, nrules = 0;
    const struct il_rule_info *rules = il_rules_all(&nrules);
    enum il_status st = IL_OK;
    for (size_t r = 0; r < nrules && st == IL_OK; r++) {
        st = s_suite(&body, diags, rules[r].id, rules[r].id, 0, opts, &tests, &failures, &errors);
    }
    if (st == IL_OK) {
        st = s_suite(&body, diags, NULL, "other", 0, opts, &tests, &failures, &errors);
    }
    if (st == IL_OK) {
        st = s_suite(&body, opts->unverified, NULL, "not-verified", 1, opts, &tests, &failures, &errors);
    }
    if (st == IL_OK && tests == 0) {
        st = s_placeholder_suite(&body, opts);
        tests = 1;
    }
    if (st == IL_OK && opts->coverage != NULL) {
        st = s_scope_suite(&body, opts->coverage);
    }
    if (st == IL_OK) {
        st = s_document(out, &body, tests, failures, errors, opts);
    }
    il_buf_release(&body);
    return st;
}
