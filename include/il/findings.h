/**
 * Rendering diagnostics (findings) for people and machines. Writers escape every untrusted string for their medium;
 * they never decide anything and never call AWS.
 */
#ifndef IL_FINDINGS_H
#define IL_FINDINGS_H

#include "il/buf.h"
#include "il/diag.h"
#include "il/status.h"

/*
 * A --format value: its row in the format table (src/findings/findings_format.c, the one place a format is named).
 * The six named here are the first six rows and keep their values; a format added later is known by its row (found
 * with il_findings_format_parse(), listed with il_findings_format_count()/il_findings_format_name()) and needs no
 * name here.
 */
enum il_findings_format {
    IL_FINDINGS_TEXT,
    IL_FINDINGS_JSON,
    IL_FINDINGS_GITHUB,
    IL_FINDINGS_SARIF,
    IL_FINDINGS_JUNIT,
    IL_FINDINGS_MARKDOWN,
};

/* Which commands write a format (bits; the @p commands of il_findings_format_parse() and il_findings_format_list()). */
#define IL_FINDINGS_FOR_VALIDATE 1u
#define IL_FINDINGS_FOR_CHECK 2u
#define IL_FINDINGS_FOR_ANY (IL_FINDINGS_FOR_VALIDATE | IL_FINDINGS_FOR_CHECK)

/* How il_findings_format_list() spells the list (bits; 0: the bare names, "text, json, github or sarif"). */
#define IL_FINDINGS_LIST_DEFAULT 1u /* mark the default format: "text (default), json, ..." */
#define IL_FINDINGS_LIST_NOTES 2u   /* each format's note from its row: "github (workflow annotations)" */

/** Which findings fail the run (--fail-on). The zero value is the default, IL_FINDINGS_FAIL_ON_ERROR. */
enum il_findings_fail_on {
    IL_FINDINGS_FAIL_ON_ERROR = 0,
    IL_FINDINGS_FAIL_ON_WARNING,
    IL_FINDINGS_FAIL_ON_NEVER,
};

/* check: how many ledger entries were compared with AWS (drift.h, il_coverage_compute). Borrowed. */
struct il_findings_coverage {
    size_t entries;      /* ledger entries */
    size_t compared;     /* compared with AWS */
    size_t outside;      /* outside the declared scope (--only-account / --only-region) */
    int declared;        /* a partial scope was declared */
    const char *summary; /* "N of M entries compared[; K outside the declared scope]" */
};

/* Borrowed for the duration of one il_findings_write() call; zero-initialise and set what you know. */
struct il_findings_opts {
    const char *command;     /* "validate", "check" */
    const char *as_of;       /* YYYY-MM-DD the run evaluated against */
    const char *ledger_file; /* path of the ledger as given */
    int color;               /* text only: ANSI colour */
    int verbose;             /* text: include notices and source lines */
    /* Things that could not be verified (check): listed in every format so a reader sees the gap. May be NULL. */
    const struct il_diags *unverified;
    /* check: the entries compared with AWS, said in every format. NULL for validate. */
    const struct il_findings_coverage *coverage;
    /* JSON summary.passed, JUnit failures and Markdown's verdict follow it. Unverified items always fail. */
    enum il_findings_fail_on fail_on;
    /* text, verbose: the ledger's text, to show the source line with a caret under findings in ledger_file. May be
     * NULL. */
    const char *source;
    size_t source_len;
};

/**
 * Look up the --format spelling @p name (exact, case-sensitive) among the formats @p commands write (IL_FINDINGS_FOR_*
 * bits). IL_ERR_INVALID when @p name is NULL, unknown, or not written by any of @p commands; *out is set only on IL_OK.
 */
IL_MUST_CHECK enum il_status il_findings_format_parse(const char *name, unsigned commands,
                                                      enum il_findings_format *out);

/**
 * Append the formats @p commands write, in table order, as a sentence for a usage hint or --help: "text, json, github
 * or sarif"; @p style (IL_FINDINGS_LIST_* bits) adds "(default)" and each row's note. Returns the buffer's status.
 */
IL_MUST_CHECK enum il_status il_findings_format_list(unsigned commands, unsigned style, struct il_buf *out);

/** How many formats the table has: the valid values of enum il_findings_format are 0 .. count - 1. */
size_t il_findings_format_count(void);

/** The --format spelling of @p format (static storage), or NULL when @p format is not a row of the table. */
const char *il_findings_format_name(enum il_findings_format format);

/**
 * Render @p diags (already sorted) in @p format, appending to @p out. @p opts is required; opts->unverified may be
 * NULL. Every untrusted string is escaped for the format (include/il/escape.h). Returns the buffer's status
 * (IL_ERR_LIMIT, IL_ERR_NOMEM) or IL_ERR_INVALID for an unknown format.
 */
IL_MUST_CHECK enum il_status il_findings_write(enum il_findings_format format, const struct il_diags *diags,
                                               const struct il_findings_opts *opts, struct il_buf *out);

/** Parse "error", "warning", "never" (--fail-on). */
IL_MUST_CHECK enum il_status il_findings_fail_on_parse(const char *name, enum il_findings_fail_on *out);

/** Whether the run passes: nothing at or above the fail level, and nothing unverified. */
int il_findings_passed(const struct il_diags *diags, const struct il_findings_opts *opts);

/** GitHub's cap on one step's job summary ($GITHUB_STEP_SUMMARY): 1 MiB. */
#define IL_FINDINGS_STEP_SUMMARY_LIMIT ((size_t)1024 * 1024)

/**
 * Append the Markdown summary to the file @p path (normally $GITHUB_STEP_SUMMARY), keeping the file within
 * IL_FINDINGS_STEP_SUMMARY_LIMIT bytes including what is already in it: when the summary does not fit it is cut at a
 * line boundary and ends with a note saying it was truncated and where the full list is. IL_ERR_IO when the file cannot
 * be opened or written; IL_ERR_LIMIT when not even the note fits (nothing is written then).
 */
IL_MUST_CHECK enum il_status il_findings_write_step_summary(const struct il_diags *diags,
                                                            const struct il_findings_opts *opts, const char *path);

#endif
