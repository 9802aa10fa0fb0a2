/*
 * HTML report: one self-contained page (inline CSS and SVG, no script, no external assets, a Content-Security-Policy
 * that forbids both), readable on screen and in print. Every ledger and AWS string goes through
 * il_escape_xml_text()/il_escape_xml_attr(); only the renderer's own constants are written raw.
 * Long values (ARNs, reasons) wrap anywhere so the page never scrolls sideways.
 */
#include "il/report/report.h"

#include "il/escape.h"
#include "il/report/since.h"
#include "report/report_html.h"
#include "report/report_writer.h"

static const char s_css[] =
    ":root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1400px;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);background:#fff;overflow-wrap:anywhere}\n"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);"
    "padding-bottom:4px}h3{font-size:14px;margin:0 0 6px}\n"
    ".sub{color:var(--muted);margin:0 0 16px}\n"
    "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}\n"
    "dl.stamp{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 16px;margin:0;padding:12px 16px;"
    "background:var(--bg);border:1px solid var(--line);border-radius:6px}\n"
    "dl.stamp dt{color:var(--muted)}dl.stamp dd{margin:0;min-width:0}\n"
    ".notice{padding:8px 12px;border-left:4px solid #b7791f;background:#fff8e6;margin:8px 0}\n"
    ".problems{padding:8px 16px;border:2px solid #c62828;background:#fdecea;border-radius:6px}\n"
    ".cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;border-top-width:6px}\n"
    ".card b{display:block;font-size:28px}\n"
    ".grids{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:16px;margin-top:16px}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;min-width:0}\n"
    "th{background:var(--bg)}td.n{text-align:right}\n"
    "table.counts{table-layout:fixed}table.counts th.n{width:96px}\n"
    "table.rows{table-layout:fixed}table.rows td{font-size:13px}\n"
    ".k{color:var(--muted);font-size:11px;display:block}td .mono{font-size:11px}\n"
    ".arn{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;word-break:break-all}\n"
    ".badge{display:inline-block;color:#fff;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600}\n"
    "ul.controls{margin:2px 0 0;padding-left:16px}\n"
    "svg.timeline{width:100%;height:auto;display:block;font-family:inherit}\n"
    "svg .label{font-size:12px;text-anchor:end;fill:var(--ink)}svg .tick{font-size:11px;fill:var(--muted);"
    "text-anchor:middle}\n"
    "svg .grid{stroke:#e5e9ee;stroke-width:1}svg .review{stroke:#1b1f24;stroke-width:2}\n"
    "svg .today{stroke:#0b5cad;stroke-width:2;stroke-dasharray:6 3}svg .today-label{font-size:11px;fill:#0b5cad;"
    "text-anchor:middle;font-weight:600}\n"
    "svg .left{font-size:11px;fill:var(--muted)}svg .left.expired{fill:#c62828;font-weight:600}\n"
    ".legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:12px;height:12px;"
    "border-radius:2px;margin-right:4px;vertical-align:-1px}\n"
    ".legend i.review-key{width:3px;background:#1b1f24}.legend i.today-key{width:3px;background:#0b5cad}\n"
    "footer{margin-top:32px;color:var(--muted);font-size:12px}\n"
    "@media print{@page{size:A4 landscape;margin:12mm}body{max-width:none;padding:0;font-size:10px}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}table.rows td{font-size:9px}"
    "tr,.card,svg.timeline{break-inside:avoid}thead{display:table-header-group}a{color:inherit;"
    "text-decoration:none}h2{break-after:avoid}}\n";

void il_report_html_text(struct il_buf *out, const char *text) {
    IL_REPORT_TRY(il_escape_xml_text(out, text ? text : ""));
}

static void s_badge(struct il_buf *out, enum il_report_status status) {
    IL_REPORT_TRY(il_buf_printf(out, "<span class=\"badge\" style=\"background:%s\">%s</span>",
                                il_report_html_colour(status), il_report_status_label(status)));
}

static void s_head(struct il_buf *out, const struct il_report *report) {
    const struct il_report_stamp *st = il_report_stamp(report);
    IL_REPORT_TRY(il_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                   "style-src 'unsafe-inline'; img-src data:\">\n"
                                   "<meta name=\"generator\" content=\"inspector-ledger "));
    IL_REPORT_TRY(il_escape_xml_attr(out, st->tool_version));
    IL_REPORT_TRY(il_buf_puts(out, "\">\n<title>Amazon Inspector exclusion report \xe2\x80\x94 as of "));
    il_report_html_text(out, st->as_of);
    IL_REPORT_TRY(il_buf_printf(out, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n", s_css,
                                il_report_live_scope(report) ? il_report_html_live_css : ""));
    IL_REPORT_TRY(il_buf_puts(out,
                              "<header>\n<h1>Amazon Inspector exclusion report</h1>\n<p class=\"sub\">Lambda functions "
                              "excluded from Amazon Inspector scanning, as recorded in the ledger, as of <b>"));
    il_report_html_text(out, st->as_of);
    IL_REPORT_TRY(il_buf_printf(out, "</b> \xc2\xb7 %zu exclusions%s</p>\n</header>\n", il_report_row_count(report),
                                il_report_live_scope(report) ? " \xc2\xb7 with live AWS state" : ""));
}

static void s_stamp(struct il_buf *out, const struct il_report *report) {
    const struct il_report_stamp *st = il_report_stamp(report);
    IL_REPORT_TRY(
        il_buf_puts(out, "<section id=\"evidence\">\n<h2>Evidence</h2>\n<dl class=\"stamp\">\n<dt>As of</dt><dd>"));
    il_report_html_text(out, st->as_of);
    IL_REPORT_TRY(il_buf_puts(out, "</dd>\n<dt>Ledger</dt><dd class=\"mono\">"));
    il_report_html_text(out, st->ledger_path ? st->ledger_path : "(unknown)");
    IL_REPORT_TRY(il_buf_puts(out, "</dd>\n<dt>Ledger SHA-256</dt><dd class=\"mono\">"));
    il_report_html_text(out, st->ledger_sha256 ? st->ledger_sha256 : "(not computed)");
    IL_REPORT_TRY(il_buf_puts(out, "</dd>\n<dt>Git commit</dt><dd class=\"mono\">"));
    switch (st->git_state) {
    case IL_REPORT_GIT_OK:
        il_report_html_text(out, st->git_file_commit ? st->git_file_commit : "(never committed)");
        IL_REPORT_TRY(il_buf_puts(out, st->git_dirty && st->git_file_commit ? " <b>(uncommitted changes)</b>" : ""));
        IL_REPORT_TRY(il_buf_puts(out, "</dd>\n<dt>Checkout HEAD</dt><dd class=\"mono\">"));
        il_report_html_text(out, st->git_head ? st->git_head : "(no commits)");
        break;
    case IL_REPORT_GIT_NOT_A_CHECKOUT: IL_REPORT_TRY(il_buf_puts(out, "(not a git checkout)")); break;
    case IL_REPORT_GIT_UNAVAILABLE: IL_REPORT_TRY(il_buf_puts(out, "(git unavailable)")); break;
    case IL_REPORT_GIT_NOT_RECORDED: IL_REPORT_TRY(il_buf_puts(out, "(not recorded)")); break;
    }
    IL_REPORT_TRY(
        il_buf_printf(out, "</dd>\n<dt>Expiring soon</dt><dd>within %d days of the as-of date</dd>\n", st->warn_days));
    IL_REPORT_TRY(il_buf_puts(out, "<dt>Tool</dt><dd>inspector-ledger "));
    il_report_html_text(out, st->tool_version);
    IL_REPORT_TRY(il_buf_puts(out, "</dd>\n</dl>\n"));
    for (size_t i = 0; i < il_report_notice_count(report); i++) {
        IL_REPORT_TRY(il_buf_puts(out, "<p class=\"notice\" role=\"note\"><b>Notice:</b> "));
        il_report_html_text(out, il_report_notice_at(report, i));
        IL_REPORT_TRY(il_buf_puts(out, "</p>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</section>\n"));
}

static void s_problems(struct il_buf *out, const struct il_report *report) {
    const struct il_diags *problems = il_report_problems(report);
    size_t n = il_diags_count(problems);
    if (n == 0) {
        return;
    }
    IL_REPORT_TRY(il_buf_printf(out,
                                "<section id=\"problems\" class=\"problems\">\n<h2>Ledger problems (%zu)</h2>\n"
                                "<p>The ledger does not pass validation; this report shows it as written.</p>\n<ul>\n",
                                n));
    for (size_t i = 0; i < n; i++) {
        const struct il_diag *d = il_diags_get(problems, i);
        IL_REPORT_TRY(il_buf_puts(out, "<li><span class=\"mono\">"));
        il_report_html_text(out, d->file);
        IL_REPORT_TRY(il_buf_printf(out, ":%u:%u</span> %s[", d->line, d->column, il_severity_str(d->severity)));
        il_report_html_text(out, d->rule);
        IL_REPORT_TRY(il_buf_puts(out, "]: "));
        il_report_html_text(out, d->message);
        IL_REPORT_TRY(il_buf_puts(out, "</li>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</ul>\n</section>\n"));
}

static void s_count_table(struct il_buf *out, const char *title, const struct il_report_count *c, size_t n) {
    IL_REPORT_TRY(il_buf_printf(out,
                                "<div><h3>By %s</h3><table class=\"counts\"><thead><tr><th>%s</th><th class=\"n\">"
                                "Exclusions</th></tr></thead>"
                                "<tbody>\n",
                                title, title));
    for (size_t i = 0; i < n; i++) {
        IL_REPORT_TRY(il_buf_puts(out, "<tr><td>"));
        il_report_html_text(out, c[i].name);
        IL_REPORT_TRY(il_buf_printf(out, "</td><td class=\"n\">%zu</td></tr>\n", c[i].count));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table></div>\n"));
}

static void s_summary(struct il_buf *out, const struct il_report *report) {
    const struct il_report_summary *s = il_report_summary(report);
    IL_REPORT_TRY(il_buf_puts(out, "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n"));
    for (int i = IL_REPORT_STATUS_COUNT - 1; i >= 0; i--) {
        IL_REPORT_TRY(il_buf_printf(out, "<div class=\"card\" style=\"border-top-color:%s\"><b>%zu</b>%s</div>\n",
                                    il_report_html_colour((enum il_report_status)i), s->by_status[i],
                                    il_report_status_label((enum il_report_status)i)));
    }
    IL_REPORT_TRY(il_buf_printf(out,
                                "<div class=\"card\" style=\"border-top-color:#57606a\"><b>%zu</b>Total</div>\n"
                                "</div>\n<div class=\"grids\">\n",
                                s->total));
    IL_REPORT_TRY(il_buf_puts(out, "<div><h3>Expiring soon</h3><table class=\"counts\"><thead><tr><th>Within</th>"
                                   "<th class=\"n\">Exclusions</th></tr>"
                                   "</thead><tbody>\n"));
    for (int i = 0; i < IL_REPORT_WINDOW_COUNT; i++) {
        IL_REPORT_TRY(il_buf_printf(out, "<tr><td>next %d days</td><td class=\"n\">%zu</td></tr>\n",
                                    il_report_windows[i], s->expiring_within[i]));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n<ul>\n"));
    for (size_t i = 0; i < il_report_row_count(report); i++) {
        const struct il_report_row *row = il_report_row_at(report, i);
        if (row->days_left < 0 || row->days_left > il_report_windows[IL_REPORT_WINDOW_COUNT - 1]) {
            continue;
        }
        IL_REPORT_TRY(il_buf_printf(out, "<li><a href=\"#x%zu\">", row->index));
        il_report_html_text(out, row->entry.function_name);
        IL_REPORT_TRY(il_buf_puts(out, "</a> ("));
        il_report_html_text(out, row->entry.scan_type);
        IL_REPORT_TRY(il_buf_puts(out, ") expires "));
        il_report_html_text(out, row->entry.expires_at);
        IL_REPORT_TRY(il_buf_printf(out, ", %ld days left</li>\n", row->days_left));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</ul></div>\n"));
    s_count_table(out, "team", s->by_team, s->n_teams);
    s_count_table(out, "scan type", s->by_scan_type, s->n_scan_types);
    IL_REPORT_TRY(il_buf_puts(out, "</div>\n</section>\n"));
}

/* "<span class=k>label</span>value<br>" for one labelled field inside a cell. */
static void s_field(struct il_buf *out, const char *label, const char *value, const char *cls) {
    IL_REPORT_TRY(il_buf_printf(out, "<span class=\"k\">%s</span><span%s%s%s>", label, cls ? " class=\"" : "",
                                cls ? cls : "", cls ? "\"" : ""));
    il_report_html_text(out, value);
    IL_REPORT_TRY(il_buf_puts(out, "</span>\n"));
}

static void s_history_cell(struct il_buf *out, const struct il_report_history *h) {
    IL_REPORT_TRY(il_buf_puts(out, "<td>"));
    if (h == NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "unknown</td>\n"));
        return;
    }
    if (h->commit != NULL) {
        s_field(out, "commit", h->commit, "arn");
        s_field(out, "author", h->author, NULL);
        if (h->author_mail != NULL) {
            IL_REPORT_TRY(il_buf_puts(out, "<span class=\"arn\">&lt;"));
            il_report_html_text(out, h->author_mail);
            IL_REPORT_TRY(il_buf_puts(out, "&gt;</span>\n"));
        }
        s_field(out, "date", h->date, NULL);
        s_field(out, "message", h->summary, NULL);
    }
    if (h->uncommitted) {
        IL_REPORT_TRY(il_buf_puts(out, "<b>uncommitted changes</b>"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n"));
}

static void s_row(struct il_buf *out, const struct il_report_row *row, int history, int live) {
    const struct il_report_entry *e = &row->entry;
    IL_REPORT_TRY(il_buf_printf(out, "<tr id=\"x%zu\"><td class=\"n\">%zu</td>\n<td>", row->index, row->index));
    s_badge(out, row->status);
    if (row->days_left >= 0) {
        IL_REPORT_TRY(il_buf_printf(out, "<br>%ld days left", row->days_left));
    } else {
        IL_REPORT_TRY(il_buf_printf(out, "<br>expired %ld days ago", -row->days_left));
    }
    if (row->days_to_review < 0) {
        IL_REPORT_TRY(il_buf_printf(out, "<br>review %ld days overdue", -row->days_to_review));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n<td><b>"));
    il_report_html_text(out, e->function_name);
    IL_REPORT_TRY(il_buf_puts(out, "</b>\n"));
    s_field(out, "ARN", e->function_arn, "arn");
    s_field(out, "account", row->account, NULL);
    s_field(out, "region", row->region, NULL);
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n<td>"));
    s_field(out, "scan type", e->scan_type, NULL);
    s_field(out, "tag key", e->tag_key, "mono");
    s_field(out, "tag value", e->tag_value, "mono");
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n<td>"));
    s_field(out, "team", e->team, NULL);
    s_field(out, "approved by", e->approved_by, NULL);
    s_field(out, "applied by", e->applied_by, NULL);
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n<td>"));
    s_field(out, "ticket", e->ticket, NULL);
    s_field(out, "reason", e->reason_summary, NULL);
    IL_REPORT_TRY(il_buf_puts(out, "<span class=\"k\">compensating controls</span><ul class=\"controls\">\n"));
    for (size_t i = 0; i < e->n_compensating_controls; i++) {
        IL_REPORT_TRY(il_buf_puts(out, "<li>"));
        il_report_html_text(out, e->compensating_controls[i]);
        IL_REPORT_TRY(il_buf_puts(out, "</li>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</ul></td>\n<td>"));
    s_field(out, "applied", e->applied_at, NULL);
    s_field(out, "next review", e->next_review_at, NULL);
    s_field(out, "expires", e->expires_at, NULL);
    IL_REPORT_TRY(il_buf_puts(out, "</td>\n"));
    if (history) {
        s_history_cell(out, row->history);
    }
    if (live) {
        IL_REPORT_TRY(il_report_html_live_cell(row, out));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tr>\n"));
}

static void s_rows(struct il_buf *out, const struct il_report *report) {
    int history = il_report_stamp(report)->history_requested;
    int live = il_report_live_scope(report) != NULL;
    /* fixed layout with explicit widths: the table is exactly the page width, cells wrap instead of growing */
    int widths[9] = {3, 11, 19, 14, 14, 27, 12, 0, 0};
    int extra = (history ? 16 : 0) + (live ? 17 : 0);
    int total = 100 + extra;
    widths[7] = history ? 16 : 0;
    widths[8] = live ? 17 : 0;
    IL_REPORT_TRY(il_buf_printf(out,
                                "<section id=\"exclusions\">\n<h2>Exclusions (%zu)</h2>\n<table class=\"rows\">\n"
                                "<colgroup>",
                                il_report_row_count(report)));
    for (int i = 0; i < 9; i++) {
        if (widths[i] > 0) {
            IL_REPORT_TRY(il_buf_printf(out, "<col style=\"width:%.2f%%\">", 100.0 * widths[i] / total));
        }
    }
    IL_REPORT_TRY(il_buf_puts(out,
                              "</colgroup>\n<thead><tr><th>#</th><th>Status</th><th>Function</th><th>Scan and tag</th>"
                              "<th>Owner</th><th>Reason and compensating controls</th><th>Dates</th>"));
    IL_REPORT_TRY(il_buf_puts(out, history ? "<th>Last change (git blame)</th>" : ""));
    IL_REPORT_TRY(il_buf_puts(out, live ? "<th>Live state</th>" : ""));
    IL_REPORT_TRY(il_buf_puts(out, "</tr></thead>\n<tbody>\n"));
    for (size_t i = 0; i < il_report_row_count(report); i++) {
        s_row(out, il_report_row_at(report, i), history, live);
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody>\n</table>\n</section>\n"));
}

enum il_status il_report_render_html(const struct il_report *report, struct il_buf *out) {
    s_head(out, report);
    s_stamp(out, report);
    s_problems(out, report);
    s_summary(out, report);
    if (il_report_live_scope(report) != NULL) {
        IL_TRY(il_report_html_live_section(report, out));
    }
    IL_TRY(il_report_since_html(report, out)); /* --since REF: report_since_html.c */
    IL_TRY(il_report_html_timeline(report, out));
    s_rows(out, report);
    if (il_report_live_scope(report) != NULL) {
        IL_TRY(il_report_html_unrecorded(report, out));
    }
    IL_TRY(il_buf_puts(out, "<footer>Generated by inspector-ledger "));
    il_report_html_text(out, il_report_stamp(report)->tool_version);
    IL_TRY(il_buf_puts(out, il_report_live_scope(report) ? " from the ledger and live AWS state"
                                                         : " from the ledger alone"));
    IL_TRY(il_buf_puts(out, ". Every value is shown as written in the ledger.</footer>\n</body>\n</html>\n"));
    return il_buf_status(out);
}
