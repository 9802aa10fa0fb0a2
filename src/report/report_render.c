/*
 * The report's format table: the one place a `report --format` is named. il_report_format_parse() and
 * il_report_render()'s dispatch both read s_formats[] (the pattern of src/findings/findings_format.c), so the model
 * (report_model.c) never calls a writer and a new format is a writer file and one row here.
 */
#include "il/report/report.h"

#include <string.h>

struct s_format {
    const char *name; /* the --format spelling */
    enum il_report_format format;
    enum il_status (*render)(const struct il_report *report, struct il_buf *out);
};

/* "md" is an alias row for markdown: parse accepts every row, dispatch takes the first row of a format. */
static const struct s_format s_formats[] = {
    {"html", IL_REPORT_FMT_HTML, il_report_render_html},
    {"markdown", IL_REPORT_FMT_MARKDOWN, il_report_render_markdown},
    {"md", IL_REPORT_FMT_MARKDOWN, il_report_render_markdown},
    {"csv", IL_REPORT_FMT_CSV, il_report_render_csv},
    {"json", IL_REPORT_FMT_JSON, il_report_render_json},
};

#define S_COUNT (sizeof s_formats / sizeof s_formats[0])

enum il_status il_report_format_parse(const char *name, enum il_report_format *out) {
    for (size_t i = 0; name && i < S_COUNT; i++) {
        if (strcmp(name, s_formats[i].name) == 0) {
            *out = s_formats[i].format;
            return IL_OK;
        }
    }
    return IL_ERR_INVALID;
}

enum il_status il_report_render(enum il_report_format format, const struct il_report *report, struct il_buf *out) {
    for (size_t i = 0; i < S_COUNT; i++) {
        if (s_formats[i].format == format) {
            return s_formats[i].render(report, out);
        }
    }
    return IL_ERR_INVALID;
}
