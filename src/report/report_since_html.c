/* The --since section of the HTML report: the counts, a small inline SVG chart (per team: active exclusions against
 * the budget, and the mean lifetime), then the tables. No script, no external asset; every ledger string is escaped
 * with il_escape_xml_text() (team names in the chart are cut at 24 code points). */
#include <stdint.h>
#include <string.h>

#include "il/escape.h"
#include "il/report/since.h"
#include "report/report_html.h"
#include "report/report_writer.h"

#define S_CHART_TEAMS 30 /* bars drawn at most; the table lists every team */
#define S_W 720.0
#define S_X0 200.0
#define S_X1 560.0
#define S_ROW 24.0

static void s_text(struct il_buf *out, const char *t) {
    il_report_html_text(out, t ? t : "\xe2\x80\x94");
}

/* At most 24 code points of @p text, escaped. */
static void s_label(struct il_buf *out, const char *text) {
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t len = strlen((const char *)p), i = 0;
    for (int cps = 0; i < len && cps < 24; cps++) {
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        char one[5] = {0};
        memcpy(one, p + i, n > 4 ? 4 : n);
        IL_REPORT_TRY(il_escape_xml_text(out, one));
        i += n ? n : 1;
    }
    IL_REPORT_TRY(il_buf_puts(out, i < len ? "\xe2\x80\xa6" : ""));
}

static void s_chart(struct il_buf *out, const struct il_report_since *s) {
    size_t n = s->n_teams < S_CHART_TEAMS ? s->n_teams : S_CHART_TEAMS;
    double max = 1.0;
    for (size_t i = 0; i < n; i++) {
        double a = (double)s->teams[i].active, b = (double)s->teams[i].budget;
        max = a > max ? a : max;
        max = b > max ? b : max;
    }
    double h = 36.0 + S_ROW * (double)n;
    IL_REPORT_TRY(il_buf_printf(out,
                                "<svg class=\"since-chart\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" "
                                "preserveAspectRatio=\"xMinYMin meet\" aria-label=\"Active exclusions per team "
                                "against the budget\">\n<text x=\"%.0f\" y=\"16\" font-size=\"12\">active "
                                "(bar) \xc2\xb7 budget (line) \xc2\xb7 mean lifetime in days</text>\n",
                                S_W, h, S_X0));
    for (size_t i = 0; i < n; i++) {
        const struct il_since_team *t = &s->teams[i];
        double y = 28.0 + S_ROW * (double)i;
        double w = (S_X1 - S_X0) * (double)t->active / max;
        int over = t->budget >= 0 && (long long)t->active > t->budget;
        IL_REPORT_TRY(
            il_buf_printf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">", S_X0 - 8, y + 13));
        s_label(out, t->team);
        IL_REPORT_TRY(il_buf_printf(out,
                                    "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                                    "<title>%zu active</title></rect>",
                                    S_X0, y, w, over ? "#c62828" : "#2e7d32", t->active));
        if (t->budget >= 0) {
            double bx = S_X0 + (S_X1 - S_X0) * (double)t->budget / max;
            IL_REPORT_TRY(il_buf_printf(out,
                                        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#111\" "
                                        "stroke-width=\"2\"><title>budget %lld</title></line>",
                                        bx, bx, y - 3, y + 19, t->budget));
        }
        IL_REPORT_TRY(
            il_buf_printf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\">%zu", S_X1 + 10, y + 13, t->active));
        IL_REPORT_TRY(t->budget >= 0 ? il_buf_printf(out, " / %lld", t->budget) : IL_OK);
        IL_REPORT_TRY(il_buf_printf(out, " \xc2\xb7 %.0f d</text>\n", t->mean_lifetime_days));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</svg>\n"));
}

static void s_changes(struct il_buf *out, const struct il_report_since *s) {
    if (s->n_changes == 0) {
        IL_REPORT_TRY(il_buf_puts(out, "<p>No exclusion was added, removed, renewed, changed or expired.</p>\n"));
        return;
    }
    IL_REPORT_TRY(il_buf_puts(out, "<table class=\"since\"><thead><tr><th>Change</th><th>Function</th><th>Scan "
                                   "type</th><th>Team</th><th>Expiry at the ref</th><th>Expiry now</th></tr></thead>"
                                   "<tbody>\n"));
    for (size_t i = 0; i < s->n_changes; i++) {
        const struct il_since_change *c = &s->changes[i];
        IL_REPORT_TRY(il_buf_printf(out, "<tr><td>%s</td><td class=\"mono\">", il_since_kind_str(c->kind)));
        s_text(out, c->function_name ? c->function_name : c->function_arn);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        s_text(out, c->scan_type);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        s_text(out, c->team);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        s_text(out, c->expires_before);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        s_text(out, c->expires_now);
        IL_REPORT_TRY(il_buf_puts(out, "</td></tr>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n"));
}

static void s_tags(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_printf(out, "<h3>Tags applied or removed by apply (%zu)</h3>\n", s->n_tags));
    if (s->n_tags == 0) {
        IL_REPORT_TRY(il_buf_puts(out, "<p>No tag changes in the change log since the ref.</p>\n"));
        return;
    }
    IL_REPORT_TRY(il_buf_puts(out, "<table class=\"since\"><thead><tr><th>Time</th><th>Action</th><th>Function "
                                   "ARN</th><th>Tag</th><th>Result</th></tr></thead><tbody>\n"));
    for (size_t i = 0; i < s->n_tags; i++) {
        const struct il_since_tag *t = &s->tags[i];
        IL_REPORT_TRY(il_buf_puts(out, "<tr><td>"));
        s_text(out, t->time);
        IL_REPORT_TRY(il_buf_printf(out, "</td><td>%s</td><td class=\"mono\">", t->action));
        s_text(out, t->function_arn);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td class=\"mono\">"));
        s_text(out, t->tag_key);
        IL_REPORT_TRY(il_buf_puts(out, "="));
        s_text(out, t->tag_value);
        IL_REPORT_TRY(il_buf_puts(out, "</td><td>"));
        s_text(out, t->result);
        IL_REPORT_TRY(il_buf_puts(out, "</td></tr>\n"));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n"));
}

static void s_aging(struct il_buf *out, const struct il_report *report, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, "<h3>Aging</h3>\n<table class=\"since\"><thead><tr><th>#</th><th>Function</th>"
                                   "<th>Since the ref</th><th>First applied</th><th>Age (days)</th><th>Times "
                                   "renewed</th><th>Days until expiry</th></tr></thead><tbody>\n"));
    for (size_t i = 0; i < s->n_aging && i < il_report_row_count(report); i++) {
        const struct il_report_row *row = il_report_row_at(report, i);
        const struct il_since_aging *a = &s->aging[i];
        IL_REPORT_TRY(il_buf_printf(out, "<tr><td>%zu</td><td class=\"mono\">", row->index));
        s_text(out, row->entry.function_name);
        IL_REPORT_TRY(il_buf_printf(out, "</td><td>%s</td><td>", a->change));
        s_text(out, a->first_applied);
        IL_REPORT_TRY(il_buf_printf(out, "</td><td>%ld</td><td>%u</td><td>%ld</td></tr>\n", a->age_days, a->renewals,
                                    a->days_left));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n"));
}

static void s_teams(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, "<h3>Teams</h3>\n<table class=\"since\"><thead><tr><th>Team</th><th>Active</th>"
                                   "<th>Budget</th><th>Function-days</th><th>Function-day budget</th><th>Overdue "
                                   "reviews</th><th>Mean lifetime (days)</th></tr></thead><tbody>\n"));
    for (size_t i = 0; i < s->n_teams; i++) {
        const struct il_since_team *t = &s->teams[i];
        IL_REPORT_TRY(il_buf_puts(out, "<tr><td>"));
        s_text(out, t->team);
        IL_REPORT_TRY(il_buf_printf(out, "</td><td>%zu</td><td>", t->active));
        IL_REPORT_TRY(t->budget >= 0 ? il_buf_printf(out, "%lld%s", t->budget,
                                                     (long long)t->active > t->budget ? " <b>(over)</b>" : "")
                                     : il_buf_puts(out, "\xe2\x80\x94"));
        IL_REPORT_TRY(il_buf_printf(out, "</td><td>%lld</td><td>", t->function_days));
        IL_REPORT_TRY(t->function_budget >= 0 ? il_buf_printf(out, "%lld", t->function_budget)
                                              : il_buf_puts(out, "\xe2\x80\x94"));
        IL_REPORT_TRY(
            il_buf_printf(out, "</td><td>%zu</td><td>%.1f</td></tr>\n", t->overdue_reviews, t->mean_lifetime_days));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</tbody></table>\n"));
}

enum il_status il_report_since_html(const struct il_report *report, struct il_buf *out) {
    const struct il_report_since *s = il_report_get_since(report);
    if (s == NULL) {
        return IL_OK;
    }
    IL_TRY(il_buf_puts(out, "<section id=\"since\">\n<h2>Since "));
    il_report_html_text(out, s->ref);
    IL_TRY(il_buf_printf(out, " <span class=\"mono\">(%.12s, %s)</span></h2>\n", s->commit, s->ref_date));
    IL_TRY(il_buf_printf(out,
                         "<p>%zu added \xc2\xb7 %zu removed \xc2\xb7 %zu renewed \xc2\xb7 %zu changed \xc2\xb7 %zu "
                         "expired since the ref.%s</p>\n",
                         s->counts[IL_SINCE_ADDED], s->counts[IL_SINCE_REMOVED], s->counts[IL_SINCE_RENEWED],
                         s->counts[IL_SINCE_CHANGED], s->counts[IL_SINCE_EXPIRED],
                         s->history_truncated ? " <b>The history walk stopped at its bound: renewals and ages may be "
                                                "undercounted.</b>"
                                              : ""));
    s_chart(out, s);
    s_changes(out, s);
    if (s->tags_given) {
        s_tags(out, s);
    }
    s_aging(out, report, s);
    s_teams(out, s);
    IL_TRY(il_buf_puts(out, "</section>\n"));
    return il_buf_status(out);
}
