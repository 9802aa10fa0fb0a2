/*
 * The format table: the one place an output format of validate/check is named. --format parsing, the usage hint,
 * the --help line and il_findings_write()'s dispatch all read s_formats[] (curl's tool_writeout.c pattern), so a new
 * format is a writer file and one row here.
 */
#include "il/findings.h"

#include <string.h>

#include "findings/findings_internal.h"

/* The writers (findings_<name>.c): not public, reached only through their row. */
il_findings_writer_fn il_findings_text, il_findings_json, il_findings_github, il_findings_sarif, il_findings_junit,
    il_findings_markdown;

struct s_format {
    const char *name;  /* the --format spelling */
    unsigned commands; /* IL_FINDINGS_FOR_* bits: which commands write it */
    const char *note;  /* --help, after the name in parentheses; NULL: none */
    il_findings_writer_fn *write;
};

/* A row's index is its enum il_findings_format value: the six named values are pinned by their designators, a new
 * row goes at the end. The order is the order of every list (--help, the usage hint). The first row is the default. */
static const struct s_format s_formats[] = {
    [IL_FINDINGS_TEXT] = {"text", IL_FINDINGS_FOR_ANY, NULL, il_findings_text},
    [IL_FINDINGS_JSON] = {"json", IL_FINDINGS_FOR_ANY, NULL, il_findings_json},
    [IL_FINDINGS_GITHUB] = {"github", IL_FINDINGS_FOR_ANY, "workflow annotations", il_findings_github},
    [IL_FINDINGS_SARIF] = {"sarif", IL_FINDINGS_FOR_ANY, "2.1.0", il_findings_sarif},
    [IL_FINDINGS_JUNIT] = {"junit", IL_FINDINGS_FOR_CHECK, NULL, il_findings_junit},
    [IL_FINDINGS_MARKDOWN] = {"markdown", IL_FINDINGS_FOR_CHECK, NULL, il_findings_markdown},
};

#define S_COUNT (sizeof s_formats / sizeof s_formats[0])

size_t il_findings_format_count(void) {
    return S_COUNT;
}

const char *il_findings_format_name(enum il_findings_format format) {
    return (size_t)format < S_COUNT ? s_formats[format].name : NULL;
}

enum il_status il_findings_format_parse(const char *name, unsigned commands, enum il_findings_format *out) {
    for (size_t i = 0; name != NULL && i < S_COUNT; i++) {
        if ((s_formats[i].commands & commands) != 0 && strcmp(name, s_formats[i].name) == 0) {
            *out = (enum il_findings_format)i;
            return IL_OK;
        }
    }
    return IL_ERR_INVALID;
}

enum il_status il_findings_format_list(unsigned commands, unsigned style, struct il_buf *out) {
    size_t left = 0;
    for (size_t i = 0; i < S_COUNT; i++) {
        left += (s_formats[i].commands & commands) != 0;
    }
    for (size_t i = 0; i < S_COUNT; i++) {
        const struct s_format *f = &s_formats[i];
        if ((f->commands & commands) == 0) {
            continue;
        }
        left--;
        IL_TRY(il_buf_puts(out, f->name));
        if ((style & IL_FINDINGS_LIST_DEFAULT) != 0 && i == 0) {
            IL_TRY(il_buf_puts(out, " (default)"));
        } else if ((style & IL_FINDINGS_LIST_NOTES) != 0 && f->note != NULL) {
            IL_TRY(il_buf_printf(out, " (%s)", f->note));
        }
        IL_TRY(il_buf_puts(out, left > 1 ? ", " : left == 1 ? " or " : ""));
    }
    return il_buf_status(out);
}

enum il_status il_findings_write(enum il_findings_format format, const struct il_diags *diags,
                                 const struct il_findings_opts *opts, struct il_buf *out) {
    if (opts == NULL || (size_t)format >= S_COUNT) {
        return IL_ERR_INVALID;
    }
    return s_formats[format].write(diags, opts, out);
}
