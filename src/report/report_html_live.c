/*
 * The live parts of the HTML report (report --live): each row's live state cell, the "Live AWS state" section (scope,
 * account/region pairs, what was not verified) and the "Unrecorded exclusions found in AWS" section. Every AWS string
 * (tag keys and values, ARNs, runtimes, error reasons) is escaped with il_escape_xml_text(); only our own constants are
 * written raw. Facts that need attention are marked by a class, never by colour alone: the word is always there.
 */
#include "il/escape.h"
#include "il/report/report.h"
#include "report/report_html.h"
#include "report/report_writer.h"

const char il_report_html_live_css[] =
    ".lv-bad{color:#c62828;font-weight:600}.lv-unknown{color:#8a5a00;font-weight:600;background:#fff8e6}\n"
    ".lv-note{display:block;color:var(--muted);font-size:11px}\n"
    ".verified{padding:8px 12px;border-left:4px solid #2e7d32;background:#edf7ee;margin:8px 0}\n"
    "table.scopes td.r{font-size:12px}table.unrec{table-layout:fixed}table.unrec td{font-size:13px}\n";

/* One fact: label, then the value, marked when it needs attention (or is unknown). */
static void s_fact(struct il_buf *out, const char *label, enum il_report_tri value, int bad) {
    const char *cls = value == IL_REPORT_UNKNOWN ? " class=\"lv-unknown\"" : bad ? " class=\"lv-bad\"" : "";
    IL_REPORT_TRY(
        il_buf_printf(out, "<span class=\"k\">%s</span><span%s>%s</span>\n", label, cls, il_report_tri_str(value)));
}

static void s_cell(const struct il_report_row *row, struct il_buf *out) {
    const struct il_report_live_row *l = row->live;
    IL_REPORT_TRY(il_buf_puts(out, "<td>"));
    if (l == NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "<span class=\"lv-unknown\">unknown</span></td>\n"));
        return;
    }
    int expired = row->status == IL_REPORT_EXPIRED;
    s_fact(out, "function exists", l->function_exists, l->function_exists == IL_REPORT_NO);
    /* a tag on an expired exclusion is as wrong as a missing tag on one in force */
    s_fact(out, "tag present", l->tag_present,
           (l->tag_present == IL_REPORT_YES && expired) || (l->tag_present == IL_REPORT_NO && !expired));
    s_fact(out, "scan-blind (CMK)", l->scan_blind, l->scan_blind == IL_REPORT_YES);
    if (l->kms_key_arn != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "<span class=\"arn\">"));
        il_report_html_text(out, l->kms_key_arn);
        IL_REPORT_TRY(il_buf_puts(out, "</span>\n"));
    }
    s_fact(out, "runtime deprecated", l->runtime_deprecated, l->runtime_deprecated == IL_REPORT_YES);
    if (l->runtime != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "<span class=\"mono\">"));
        il_report_html_text(out, l->runtime);
        IL_REPORT_TRY(il_buf_puts(out, "</span>"));
        if (l->deprecated_on != NULL) {
            IL_REPORT_TRY(
                il_buf_puts(out, l->runtime_deprecated == IL_REPORT_YES ? " deprecated since " : " deprecated on "));
            il_report_html_text(out, l->deprecated_on);
        }
        IL_REPORT_TRY(il_buf_putc(out, '\n'));
    }
    if (l->note != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "<span class=\"lv-note\">"));
        il_report_html_text(out, l->note);
        IL_REPORT_TRY(il_buf_puts(out, "</span>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n"));
}

enum il_status il_report_html_live_cell(const struct il_report_row *row, struct il_buf *out) {
    s_cell(row, out);
    return il_buf_status(out);
}

static void s_section(const struct il_report *report, struct il_buf *out) {
    size_t counts[3];
    size_t n = il_report_scope_tally(report, counts);
    size_t unverified = il_report_unverified_count(report);
    IL_REPORT_TRY(il_buf_puts(out, "<section id=\"live\">\n<h2>Live AWS state</h2>\n<p><b>Scope:</b> "));
    il_report_html_text(out, il_report_live_scope(report));
    IL_REPORT_TRY(il_buf_printf(out, "</p>\n<p class=\"%s\" role=\"note\">%zu of %zu account/region pair%s verified",
                                unverified ? "notice" : "verified", counts[IL_REPORT_SCOPE_VERIFIED], n,
                                n == 1 ? "" : "s"));
    IL_REPORT_TRY(il_buf_printf(out, ", %zu not verified, %zu skipped.", counts[IL_REPORT_SCOPE_NOT_VERIFIED],
                                counts[IL_REPORT_SCOPE_SKIPPED]));
    const struct il_report_coverage *cov = il_report_live_coverage(report);
    int partial = cov != NULL && cov->declared && cov->outside > 0;
    IL_REPORT_TRY(il_buf_puts(out, unverified ? " <b>The live state is incomplete:</b> what could not be verified is "
                                                "shown as <span class=\"lv-unknown\">unknown</span>, never as no.</p>\n"
                                   : partial  ? " Everything in the declared scope was verified.</p>\n"
                                              : " Everything in scope was verified.</p>\n"));
    if (cov != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "<p id=\"live-coverage\"><b>Entries:</b> "));
        il_report_html_text(out, cov->summary);
        IL_REPORT_TRY(il_buf_puts(out, ".</p>\n"));
    }
    if (unverified > 0) {
        IL_REPORT_TRY(il_buf_printf(out, "<div class=\"problems\"><h3>Not verified (%zu)</h3>\n<ul>\n", unverified));
        for (size_t i = 0; i < unverified; i++) {
            IL_REPORT_TRY(il_buf_puts(out, "<li>"));
            il_report_html_text(out, il_report_unverified_at(report, i));
            IL_REPORT_TRY(il_buf_puts(out, "</li>\n"));
        }
        IL_REPORT_TRY(il_buf_puts(out, "</ul></div>\n"));
    }
    if (n == 0) {
        IL_REPORT_TRY(il_buf_puts(out, "<p>No account/region pair was in scope.</p>\n</section>\n"));
        return;
    }
    IL_REPORT_TRY(
        il_buf_puts(out, "<table class=\"counts scopes\"><colgroup><col style=\"width:16%\"><col style=\"width:16%\">"
                         "<col style=\"width:14%\"><col style=\"width:54%\"></colgroup>\n<thead><tr><th>Account</th>"
                         "<th>Region</th><th>State</th><th>Reason</th></tr></thead><tbody>\n"));
    for (size_t i = 0; i < n; i++) {
        const struct il_report_scope *s = il_report_scope_at(report, i);
        IL_REPORT_TRY(il_buf_puts(out, "<tr><td class=\"mono\">"));
        il_report_html_text(out, s->account);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        il_report_html_text(out, s->region);
        IL_REPORT_TRY(il_buf_printf(out, "</td><td%s>%s</td><td class=\"r\">",
                                    s->state == IL_REPORT_SCOPE_VERIFIED ? "" : " class=\"lv-unknown\"",
                                    il_report_scope_state_id(s->state)));
        il_report_html_text(out, s->reason);
        IL_REPORT_TRY(il_buf_puts(out, "</td></tr>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n</section>\n"));
}

enum il_status il_report_html_live_section(const struct il_report *report, struct il_buf *out) {
    s_section(report, out);
    return il_buf_status(out);
}

static void s_unrecorded(const struct il_report *report, struct il_buf *out) {
    size_t n = il_report_unrecorded_count(report);
    IL_REPORT_TRY(il_buf_printf(out,
                                "<section id=\"unrecorded\">\n<h2>Unrecorded exclusions found in AWS (%zu)</h2>\n"
                                "<p>Exclusion tags on functions that have no ledger entry for that scan type. A tag "
                                "Inspector honours hides the function from scanning with no approval on record; a "
                                "malformed one (wrong value, or the key in the wrong case) is ignored by Inspector but "
                                "shows someone meant to exclude the function.</p>\n",
                                n));
    if (n == 0) {
        IL_REPORT_TRY(il_buf_puts(out, "<p>None found.</p>\n</section>\n"));
        return;
    }
    IL_REPORT_TRY(il_buf_puts(out,
                              "<table class=\"unrec\"><colgroup><col style=\"width:34%\"><col style=\"width:11%\">"
                              "<col style=\"width:10%\"><col style=\"width:8%\"><col style=\"width:23%\">"
                              "<col style=\"width:14%\"></colgroup>\n<thead><tr><th>Function</th><th>Account</th>"
                              "<th>Region</th><th>Scan type</th><th>Tag</th><th>Inspector honours it</th></tr></thead>"
                              "<tbody>\n"));
    for (size_t i = 0; i < n; i++) {
        const struct il_report_unrecorded *u = il_report_unrecorded_at(report, i);
        IL_REPORT_TRY(il_buf_puts(out, "<tr><td>"));
        if (u->function_name != NULL) {
            IL_REPORT_TRY(il_buf_puts(out, "<b>"));
            il_report_html_text(out, u->function_name);
            IL_REPORT_TRY(il_buf_puts(out, "</b>\n"));
        }
        IL_REPORT_TRY(il_buf_puts(out, "<span class=\"arn\">"));
        il_report_html_text(out, u->function_arn);
        IL_REPORT_TRY(il_buf_puts(out, "</span></td><td class=\"mono\">"));
        il_report_html_text(out, u->account);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        il_report_html_text(out, u->region);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        il_report_html_text(out, u->scan_type);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td class=\"arn\">"));
        il_report_html_text(out, u->tag_key);
        IL_REPORT_TRY(il_buf_puts(out, "="));
        il_report_html_text(out, u->tag_value);
        IL_REPORT_TRY(il_buf_puts(out, u->honoured
                                           ? "</td><td class=\"lv-bad\">yes: the function is not scanned</td></tr>\n"
                                           : "</td><td>no: malformed, Inspector ignores it</td></tr>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n</section>\n"));
}

enum il_status il_report_html_unrecorded(const struct il_report *report, struct il_buf *out) {
    s_unrecorded(report, out);
    return il_buf_status(out);
}
