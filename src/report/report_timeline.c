/*
 * The HTML report's expiry timeline: inline SVG (no script, no external assets). One bar per exclusion from
 * applied_at to the end of its expires_at day, coloured by status, a tick at next_review_at, and a line at the
 * as-of date. The SVG has a viewBox and scales to the page width, so it never overflows horizontally.
 * Labels are ledger text: escaped with il_escape_xml_text() and truncated at a code-point boundary.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/date.h"
#include "il/escape.h"
#include "report/report_html.h"
#include "report/report_writer.h"

#define S_WIDTH 1200.0
#define S_LABEL_END 296.0
#define S_CHART_X0 306.0
#define S_CHART_X1 1080.0
#define S_TOP 40.0
#define S_ROW 22.0
#define S_LABEL_MAX 40 /* code points */

const char *il_report_html_colour(enum il_report_status status) {
    switch (status) {
    case IL_REPORT_ACTIVE: return "#2e7d32";
    case IL_REPORT_EXPIRING_SOON: return "#b7791f";
    case IL_REPORT_REVIEW_OVERDUE: return "#6a1b9a";
    case IL_REPORT_EXPIRED: return "#c62828";
    }
    return "#555555";
}

struct s_axis {
    double lo; /* days since epoch at the chart's left edge */
    double hi;
};

static double s_x(const struct s_axis *a, double day) {
    return S_CHART_X0 + (day - a->lo) / (a->hi - a->lo) * (S_CHART_X1 - S_CHART_X0);
}

/* Append at most S_LABEL_MAX code points of @p text (escaped), with an ellipsis when cut. Escapes one code point
 * at a time so nothing is allocated; an invalid byte reaches the escaper alone and becomes U+FFFD. */
static void s_label(struct il_buf *out, const char *text) {
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t len = strlen((const char *)p);
    size_t i = 0;
    for (int cps = 0; i < len && cps < S_LABEL_MAX; cps++) {
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        char one[5] = {0};
        memcpy(one, p + i, n > 4 ? 4 : n);
        IL_REPORT_TRY(il_escape_xml_text(out, one));
        i += n;
    }
    IL_REPORT_TRY(il_buf_puts(out, i < len ? "\xe2\x80\xa6" : ""));
}

static int s_by_expiry(const void *a, const void *b) {
    const struct il_report_row *x = *(const struct il_report_row *const *)a;
    const struct il_report_row *y = *(const struct il_report_row *const *)b;
    if (x->expires_day != y->expires_day) {
        return x->expires_day < y->expires_day ? -1 : 1;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

static void s_axis_range(const struct il_report *report, const struct il_report_row **order, size_t n,
                         struct s_axis *a) {
    double as_of = (double)il_report_stamp(report)->as_of_day;
    double lo = as_of;
    double hi = as_of + 1;
    for (size_t i = 0; i < n; i++) {
        const struct il_report_row *row = order[i];
        lo = (double)row->applied_day < lo ? (double)row->applied_day : lo;
        hi = (double)row->expires_day + 1 > hi ? (double)row->expires_day + 1 : hi;
    }
    if (hi - lo < 60) {
        hi = lo + 60;
    }
    double pad = (hi - lo) * 0.03;
    a->lo = lo - pad;
    a->hi = hi + pad;
}

/* Month ticks ("2026-09"), every 1/3/6/12 months depending on the span. */
static void s_ticks(struct il_buf *out, const struct s_axis *a, double bottom) {
    double span = a->hi - a->lo;
    int step = span <= 240 ? 1 : span <= 800 ? 3 : span <= 2000 ? 6 : 12;
    struct il_date d;
    il_date_from_days((int64_t)a->lo, &d);
    int year = d.year;
    int month = d.month;
    for (int guard = 0; guard < 2400; guard++) {
        month++;
        if (month > 12) {
            month = 1;
            year++;
        }
        struct il_date first = {year, month, 1};
        double day = (double)il_date_to_days(&first);
        if (day > a->hi) {
            break;
        }
        if ((month - 1) % step != 0) {
            continue;
        }
        double x = s_x(a, day);
        IL_REPORT_TRY(il_buf_printf(out,
                                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                                    "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">%04d-%02d</text>\n",
                                    x, S_TOP - 6, x, bottom, x, S_TOP - 10, year, month));
    }
}

static void s_bar(struct il_buf *out, const struct s_axis *a, const struct il_report_row *row, double y) {
    const struct il_report_entry *e = &row->entry;
    double x0 = s_x(a, (double)row->applied_day);
    double x1 = s_x(a, (double)row->expires_day + 1); /* an exclusion holds through its whole last day */
    double w = x1 - x0 < 2 ? 2 : x1 - x0;
    double xr = s_x(a, (double)row->review_day + 0.5);
    IL_REPORT_TRY(il_buf_printf(out, "<a href=\"#x%zu\"><g>\n<title>", row->index));
    IL_REPORT_TRY(il_escape_xml_text(out, e->function_name));
    IL_REPORT_TRY(il_buf_puts(out, " ("));
    IL_REPORT_TRY(il_escape_xml_text(out, e->scan_type));
    IL_REPORT_TRY(il_buf_puts(out, "): applied "));
    IL_REPORT_TRY(il_escape_xml_text(out, e->applied_at));
    IL_REPORT_TRY(il_buf_puts(out, ", next review "));
    IL_REPORT_TRY(il_escape_xml_text(out, e->next_review_at));
    IL_REPORT_TRY(il_buf_puts(out, ", expires "));
    IL_REPORT_TRY(il_escape_xml_text(out, e->expires_at));
    IL_REPORT_TRY(il_buf_printf(out, ": %s</title>\n", il_report_status_label(row->status)));
    IL_REPORT_TRY(
        il_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"label\">%zu. ", S_LABEL_END, y + 11, row->index));
    s_label(out, e->function_name);
    IL_REPORT_TRY(il_buf_puts(out, " \xc2\xb7 "));
    s_label(out, e->scan_type);
    IL_REPORT_TRY(
        il_buf_printf(out,
                      "</text>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"%s\"/>\n"
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"review\"/>\n",
                      x0, y, w, il_report_html_colour(row->status), xr, y - 2, xr, y + 16));
    if (row->days_left >= 0) {
        IL_REPORT_TRY(il_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"left\">%ld d left</text>\n",
                                    S_CHART_X1 + 6, y + 11, row->days_left));
    } else {
        IL_REPORT_TRY(il_buf_printf(out,
                                    "<text x=\"%.1f\" y=\"%.1f\" class=\"left expired\">expired %ld d ago</text>\n",
                                    S_CHART_X1 + 6, y + 11, -row->days_left));
    }
    IL_REPORT_TRY(il_buf_puts(out, "</g></a>\n"));
}

enum il_status il_report_html_timeline(const struct il_report *report, struct il_buf *out) {
    size_t n = il_report_row_count(report);
    IL_TRY(il_buf_puts(out, "<section id=\"timeline\">\n<h2>Expiry timeline</h2>\n"));
    if (n == 0) {
        IL_TRY(il_buf_puts(out, "<p>No exclusions.</p>\n</section>\n"));
        return il_buf_status(out);
    }
    const struct il_report_row **order = calloc(n, sizeof(*order));
    if (order == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        order[i] = il_report_row_at(report, i);
    }
    qsort(order, n, sizeof(*order), s_by_expiry);
    size_t shown = n > IL_REPORT_TIMELINE_MAX ? IL_REPORT_TIMELINE_MAX : n;
    struct s_axis axis;
    s_axis_range(report, order, shown, &axis);
    double bottom = S_TOP + (double)shown * S_ROW + 4;
    const struct il_report_stamp *st = il_report_stamp(report);
    IL_TRY(il_buf_printf(out,
                         "<svg class=\"timeline\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                         "aria-label=\"Expiry timeline: one bar per exclusion from applied to expiry\">\n",
                         S_WIDTH, bottom + 20));
    s_ticks(out, &axis, bottom);
    for (size_t i = 0; i < shown; i++) {
        s_bar(out, &axis, order[i], S_TOP + (double)i * S_ROW + 4);
    }
    double today = s_x(&axis, (double)st->as_of_day + 0.5);
    IL_TRY(il_buf_printf(out,
                         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"today\"/>\n"
                         "<text x=\"%.1f\" y=\"%.1f\" class=\"today-label\">as of ",
                         today, S_TOP - 4, today, bottom + 4, today, bottom + 16));
    IL_TRY(il_escape_xml_text(out, st->as_of));
    IL_TRY(il_buf_puts(out, "</text>\n</svg>\n<p class=\"legend\">"));
    for (int s = 0; s < IL_REPORT_STATUS_COUNT; s++) {
        IL_TRY(il_buf_printf(out, "<span><i style=\"background:%s\"></i>%s</span> ",
                             il_report_html_colour((enum il_report_status)s),
                             il_report_status_label((enum il_report_status)s)));
    }
    IL_TRY(il_buf_puts(out, "<span><i class=\"review-key\"></i>next review</span> "
                            "<span><i class=\"today-key\"></i>as-of date</span></p>\n"));
    if (shown < n) {
        IL_TRY(il_buf_printf(out,
                             "<p class=\"notice\">The timeline shows the %zu exclusions that expire first; the "
                             "table lists all %zu.</p>\n",
                             shown, n));
    }
    IL_TRY(il_buf_puts(out, "</section>\n"));
    free(order);
    return il_buf_status(out);
}
