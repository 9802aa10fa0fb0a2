/* Pieces of the HTML report shared between report_html.c (page) and report_timeline.c (inline SVG). */
#ifndef IL_REPORT_HTML_H
#define IL_REPORT_HTML_H

#include "il/buf.h"
#include "il/report/report.h"
#include "il/status.h"

/* Bars drawn at most; the table below the timeline always lists every exclusion. */
#define IL_REPORT_TIMELINE_MAX 400

/** Append @p text (untrusted; NULL is empty) escaped as HTML text. Void: the buffer is sticky (report_writer.h). */
void il_report_html_text(struct il_buf *out, const char *text);

/** Status colours (CSS hex), shared by the badges and the timeline bars so the legend matches both. */
const char *il_report_html_colour(enum il_report_status status);

/** Append the expiry timeline (an inline <svg> with its legend) for @p report. */
IL_MUST_CHECK enum il_status il_report_html_timeline(const struct il_report *report, struct il_buf *out);

/* ---- live state (report_html_live.c); only called for a live report, so offline pages are unchanged ---- */

/** Extra CSS of a live report (appended inside <style>). */
extern const char il_report_html_live_css[];
/** The live state cell of @p row (a <td>). */
IL_MUST_CHECK enum il_status il_report_html_live_cell(const struct il_report_row *row, struct il_buf *out);
/** The "Live AWS state" section: scope, account/region pairs and what was not verified. */
IL_MUST_CHECK enum il_status il_report_html_live_section(const struct il_report *report, struct il_buf *out);
/** The "Unrecorded exclusions found in AWS" section. */
IL_MUST_CHECK enum il_status il_report_html_unrecorded(const struct il_report *report, struct il_buf *out);

#endif
