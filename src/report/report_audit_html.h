/* Pieces of the HTML report shared between report_audit_html.c (page) and report_audit_timeline.c (inline SVG). */
#ifndef IL_REPORT_AUDIT_HTML_H
#define IL_REPORT_AUDIT_HTML_H

#include "il/buf.h"
#include "il/report.h"
#include "il/status.h"

/* Bars drawn at most; the table below the timeline always lists every exclusion. */
#define IL_REPORT_TIMELINE_MAX 400

/** Status colours (CSS hex), shared by the badges and the timeline bars so the legend matches both. */
const char *il_report_html_colour(enum il_report_status status);

/** Append the expiry timeline (an inline <svg> with its legend) for @p report. */
IL_MUST_CHECK enum il_status il_report_html_timeline(const struct il_report *report, struct il_buf *out);

#endif
