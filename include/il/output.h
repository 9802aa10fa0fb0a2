/**
 * Rendering diagnostics (findings) for people and machines. Writers escape every untrusted string for their medium;
 * they never decide anything and never call AWS.
 */
#ifndef IL_OUTPUT_H
#define IL_OUTPUT_H

#include "il/buf.h"
#include "il/diag.h"
#include "il/status.h"

enum il_format {
    IL_FMT_TEXT,
    IL_FMT_JSON,
    IL_FMT_GITHUB,
    IL_FMT_SARIF,
    IL_FMT_JUNIT,
    IL_FMT_MARKDOWN,
};

struct il_output_opts {
    const char *command;     /* "validate", "check" */
    const char *as_of;       /* YYYY-MM-DD the run evaluated against */
    const char *ledger_file; /* path of the ledger as given */
    int color;               /* text only: ANSI colour */
    int verbose;             /* text: include notices and source lines */
    /* Things that could not be verified (check): listed in every format so a reader sees the gap. May be NULL. */
    const struct il_diags *unverified;
};

/** Parse "text", "json", "github", "sarif", "junit", "markdown". */
IL_MUST_CHECK enum il_status il_format_parse(const char *name, enum il_format *out);

/** Render @p diags (already sorted) in @p format, appending to @p out. */
IL_MUST_CHECK enum il_status il_output_write(enum il_format format, const struct il_diags *diags,
                                             const struct il_output_opts *opts, struct il_buf *out);

#endif
