/**
 * The auditor report: a read-only model built from the ledger, an as-of date and options, then rendered as HTML,
 * Markdown, CSV or JSON (one file per format under src/report/).
 *
 * Flow: il_report_new() -> il_report_add_entry() for every ledger entry (in ledger order) -> optional stamp, git
 * state, history, notices, ledger problems and live state -> il_report_finish() -> il_report_render().
 * Strings handed to the report are copied; every `const` pointer the report hands back is borrowed and lives until
 * il_report_free(). Strings are stored raw: each renderer escapes them for its medium.
 */
#ifndef IL_REPORT_H
#define IL_REPORT_H

#include <stddef.h>

#include "il/buf.h"
#include "il/diag.h"
#include "il/ledger.h"
#include "il/status.h"

/* An entry's status on the as-of date: the ledger's enum il_entry_status under the report's names (decided by
 * il_entry_status_at(), the one home of that rule). A row is never IL_ENTRY_UNKNOWN: il_report_add_entry() requires
 * the three dates. One status per row, the most urgent one wins (expired first). */
enum il_report_status {
    IL_REPORT_ACTIVE = IL_ENTRY_ACTIVE,                 /* in force, review not due, expiry beyond --warn-days */
    IL_REPORT_EXPIRING_SOON = IL_ENTRY_EXPIRING_SOON,   /* expires within --warn-days (0..N days left) */
    IL_REPORT_REVIEW_OVERDUE = IL_ENTRY_REVIEW_OVERDUE, /* as-of is after next_review_at (and not expired) */
    IL_REPORT_EXPIRED = IL_ENTRY_EXPIRED, /* as-of is after expires_at (an exclusion holds through its last day) */
};
#define IL_REPORT_STATUS_COUNT 4

enum il_report_format {
    IL_REPORT_FMT_HTML,
    IL_REPORT_FMT_MARKDOWN,
    IL_REPORT_FMT_CSV,
    IL_REPORT_FMT_JSON,
};

/* Where the git evidence came from. */
enum il_report_git_state {
    IL_REPORT_GIT_NOT_RECORDED = 0, /* not asked (--no-git): the stamp says so */
    IL_REPORT_GIT_OK,               /* in a checkout: head/file commit known */
    IL_REPORT_GIT_NOT_A_CHECKOUT,   /* the ledger is not inside a git work tree */
    IL_REPORT_GIT_UNAVAILABLE,      /* git could not be run or failed */
};

/* Tri-state for live facts: a fact that was not verified is UNKNOWN, never "no". */
enum il_report_tri {
    IL_REPORT_UNKNOWN = 0,
    IL_REPORT_NO = 1,
    IL_REPORT_YES = 2,
};

/** One ledger entry as input (all strings borrowed, copied by il_report_add_entry; NULL means absent). */
struct il_report_entry {
    const char *function_name;
    const char *function_arn;
    const char *scan_type; /* "standard" | "code" */
    const char *tag_key;
    const char *tag_value;
    const char *reason_summary;
    const char *ticket;
    const char *const *compensating_controls;
    size_t n_compensating_controls;
    const char *team;
    const char *approved_by;
    const char *applied_by;
    const char *applied_at; /* YYYY-MM-DD */
    const char *expires_at;
    const char *next_review_at;
    unsigned line_start; /* 1-based line range of the entry in the ledger file; 0 unknown */
    unsigned line_end;
    /* The typed ledger entry (il_report_add_ledger): its dates are used as parsed there, not parsed again; NULL for
     * an entry built by hand, whose date strings are then parsed. */
    const struct il_ledger_entry *typed;
};

/** The commit that last changed an entry's lines (git blame). */
struct il_report_history {
    const char *commit; /* newest commit among the entry's lines; NULL when none of them is committed */
    const char *author;
    const char *author_mail;
    const char *date;    /* author time, UTC, YYYY-MM-DDTHH:MM:SSZ */
    const char *summary; /* first line of the commit message */
    int uncommitted;     /* some of the entry's lines are not committed yet */
};

/** Live AWS state of one row (filled by `check` for --live). */
struct il_report_live_row {
    enum il_report_tri function_exists;
    enum il_report_tri tag_present;        /* the exclusion tag is on the function */
    enum il_report_tri scan_blind;         /* encrypted with a customer managed KMS key: Inspector cannot scan it */
    enum il_report_tri runtime_deprecated; /* the function's runtime is deprecated */
    const char *runtime;                   /* e.g. "python3.8"; NULL unknown (or a container image) */
    const char *note;                      /* why something is unknown, or what AWS shows instead; NULL none */
    const char *deprecated_on;             /* the runtime's deprecation date (YYYY-MM-DD) when the table has it */
    const char *kms_key_arn;               /* the customer managed key, when scan_blind is YES */
};

/** An exclusion tag found in AWS with no ledger entry (has no row, listed on its own). */
struct il_report_unrecorded {
    const char *function_arn;
    const char *account;
    const char *region;
    const char *scan_type;
    const char *tag_key;
    const char *tag_value;
    const char *function_name; /* NULL when unknown */
    int honoured;              /* 1: key and value exactly as Inspector reads them, so the function IS excluded;
                                  0: a malformed exclusion tag (wrong value, or the key in the wrong case) that
                                  Inspector ignores: someone meant to exclude the function */
};

/* How one account/region pair of a live report's scope ended. */
enum il_report_scope_state {
    IL_REPORT_SCOPE_VERIFIED = 0,     /* every call succeeded */
    IL_REPORT_SCOPE_NOT_VERIFIED = 1, /* a call failed after retries: the live cells of its rows are unknown */
    IL_REPORT_SCOPE_SKIPPED = 2,      /* deliberately not examined (an opt-in region that is not enabled) */
};

/** One account/region pair the live state was gathered from (or tried to be). */
struct il_report_scope {
    const char *account;
    const char *region;
    enum il_report_scope_state state;
    const char *reason; /* why not verified / skipped; NULL when verified */
};

/** A report row: the entry plus what the report derived from it. Borrowed from the report. */
struct il_report_row {
    size_t index; /* 1-based position in the ledger */
    struct il_report_entry entry;
    const char *partition; /* from the ARN; "" when the ARN cannot be parsed */
    const char *region;
    const char *account;
    long days_left;      /* expires_at - as_of in days; negative once expired */
    long days_to_review; /* next_review_at - as_of in days */
    long applied_day;    /* days since 1970-01-01 */
    long expires_day;
    long review_day;
    enum il_report_status status;
    const struct il_report_history *history; /* NULL unless --with-history found it */
    const struct il_report_live_row *live;   /* NULL unless live state was attached */
};

struct il_report_count {
    const char *name;
    size_t count;
};

/* The report's look-ahead windows, in days. */
#define IL_REPORT_WINDOW_COUNT 3
extern const int il_report_windows[IL_REPORT_WINDOW_COUNT]; /* 30, 60, 90 */

struct il_report_summary {
    size_t total;
    size_t by_status[IL_REPORT_STATUS_COUNT];
    const struct il_report_count *by_team; /* sorted by name */
    size_t n_teams;
    const struct il_report_count *by_scan_type; /* sorted by name */
    size_t n_scan_types;
    size_t expiring_within[IL_REPORT_WINDOW_COUNT]; /* rows with 0 <= days_left <= window */
};

/** The evidence stamp an auditor ties the report to. */
struct il_report_stamp {
    const char *as_of;
    long as_of_day;
    int warn_days;
    const char *tool_version;
    const char *ledger_path;
    const char *ledger_sha256; /* lower-case hex of the ledger file's bytes; NULL when not computed */
    enum il_report_git_state git_state;
    const char *git_head;        /* HEAD commit of the checkout */
    const char *git_file_commit; /* last commit that changed the ledger file; NULL when never committed */
    int git_dirty;               /* the ledger file differs from HEAD (or is untracked) */
    int history_requested;       /* --with-history */
};

struct il_report_opts {
    const char *as_of; /* YYYY-MM-DD, required */
    int warn_days;     /* expiring-soon threshold; validate's default is 14 */
};

struct il_report;

/** A new empty report. IL_ERR_INVALID for a bad as-of date or negative warn_days. Free with il_report_free(). */
IL_MUST_CHECK enum il_status il_report_new(const struct il_report_opts *opts, struct il_report **out);
void il_report_free(struct il_report *report);

/** Add one entry (copied) and derive its status. IL_ERR_INVALID when a date is not a valid YYYY-MM-DD. */
IL_MUST_CHECK enum il_status il_report_add_entry(struct il_report *report, const struct il_report_entry *entry);

/** Record the ledger's path and the lower-case hex SHA-256 of its bytes (both copied). */
IL_MUST_CHECK enum il_status il_report_set_ledger(struct il_report *report, const char *path, const char *sha256);

struct il_ledger;
/**
 * Add every entry of @p ledger (borrowed) in ledger order, with its line range, and record the ledger's file name and
 * SHA-256. The ledger must have passed schema validation: IL_ERR_INVALID when an entry lacks a valid date.
 */
IL_MUST_CHECK enum il_status il_report_add_ledger(struct il_report *report, const struct il_ledger *ledger);
/** Record the git evidence (strings copied, may be NULL). */
IL_MUST_CHECK enum il_status il_report_set_git(struct il_report *report, enum il_report_git_state state,
                                               const char *head, const char *file_commit, int dirty);
/** Attach the history of row @p index (0-based; copied). */
IL_MUST_CHECK enum il_status il_report_set_history(struct il_report *report, size_t index,
                                                   const struct il_report_history *history);
/** Mark that --with-history was requested (so renderers show the history columns, empty where unknown). */
void il_report_request_history(struct il_report *report);
/** A notice shown in the report (e.g. "not a git checkout: history not available"); copied. */
IL_MUST_CHECK enum il_status il_report_add_notice(struct il_report *report, const char *notice);
/** A problem found when validating the ledger (copied); rendered in a "ledger problems" section. */
IL_MUST_CHECK enum il_status il_report_add_problem(struct il_report *report, const struct il_diag *diag);

/** Live state hook (for `report --live`, filled from `check`): enable the live columns with a scope description. */
IL_MUST_CHECK enum il_status il_report_live_enable(struct il_report *report, const char *scope);
/** Live state of row @p index (0-based; copied). */
IL_MUST_CHECK enum il_status il_report_live_set_row(struct il_report *report, size_t index,
                                                    const struct il_report_live_row *live);
/** An exclusion tag in AWS with no ledger entry (copied). */
IL_MUST_CHECK enum il_status il_report_live_add_unrecorded(struct il_report *report,
                                                           const struct il_report_unrecorded *unrecorded);

/** An account/region pair of the live scope and how it ended (copied); listed in the order added. */
IL_MUST_CHECK enum il_status il_report_live_add_scope(struct il_report *report, const struct il_report_scope *scope);
/**
 * Record what could not be verified (copied; e.g. "account 1, region r: ...: AccessDeniedException"). A live report
 * with any such item is incomplete: renderers say so next to the live state.
 */
IL_MUST_CHECK enum il_status il_report_live_add_unverified(struct il_report *report, const char *what);

/** Compute the summary; call once after the last change and before rendering. */
IL_MUST_CHECK enum il_status il_report_finish(struct il_report *report);

/* ---- reading (all borrowed) ---- */
size_t il_report_row_count(const struct il_report *report);
const struct il_report_row *il_report_row_at(const struct il_report *report, size_t i);
const struct il_report_summary *il_report_summary(const struct il_report *report);
const struct il_report_stamp *il_report_stamp(const struct il_report *report);
size_t il_report_notice_count(const struct il_report *report);
const char *il_report_notice_at(const struct il_report *report, size_t i);
/** Ledger problems (sorted), never NULL. */
const struct il_diags *il_report_problems(const struct il_report *report);
/** Live scope description when live state is attached, else NULL. */
const char *il_report_live_scope(const struct il_report *report);

/** How many of the ledger's entries the live state compared with AWS (drift.h's coverage). */
struct il_report_coverage {
    size_t entries;      /* ledger entries */
    size_t compared;     /* compared with AWS */
    size_t outside;      /* outside the declared scope (--only-account / --only-region) */
    int declared;        /* a partial scope was declared */
    const char *summary; /* "N of M entries compared[; K outside the declared scope]" */
};
/** Record the live coverage (copied; needs il_report_live_enable()). IL_ERR_INVALID / IL_ERR_NOMEM. */
IL_MUST_CHECK enum il_status il_report_live_set_coverage(struct il_report *report,
                                                         const struct il_report_coverage *coverage);
/** The live coverage (borrowed), NULL when none was recorded. */
const struct il_report_coverage *il_report_live_coverage(const struct il_report *report);
size_t il_report_unrecorded_count(const struct il_report *report);
const struct il_report_unrecorded *il_report_unrecorded_at(const struct il_report *report, size_t i);
size_t il_report_scope_count(const struct il_report *report);
const struct il_report_scope *il_report_scope_at(const struct il_report *report, size_t i);
size_t il_report_unverified_count(const struct il_report *report);
const char *il_report_unverified_at(const struct il_report *report, size_t i);
/** "verified", "not-verified", "skipped". */
const char *il_report_scope_state_id(enum il_report_scope_state state);

/** "active", "expiring-soon", "review-overdue", "expired" (stable ids, used in CSV/JSON). */
const char *il_report_status_id(enum il_report_status status);
/** "Active", "Expiring soon", "Review overdue", "Expired". */
const char *il_report_status_label(enum il_report_status status);
/** "yes", "no", "unknown". */
const char *il_report_tri_str(enum il_report_tri tri);

/** Parse "html", "markdown" (or "md"), "csv", "json". */
IL_MUST_CHECK enum il_status il_report_format_parse(const char *name, enum il_report_format *out);

/** Render a finished report, appending to @p out. */
IL_MUST_CHECK enum il_status il_report_render(enum il_report_format format, const struct il_report *report,
                                              struct il_buf *out);
IL_MUST_CHECK enum il_status il_report_render_html(const struct il_report *report, struct il_buf *out);
IL_MUST_CHECK enum il_status il_report_render_markdown(const struct il_report *report, struct il_buf *out);
IL_MUST_CHECK enum il_status il_report_render_csv(const struct il_report *report, struct il_buf *out);
IL_MUST_CHECK enum il_status il_report_render_json(const struct il_report *report, struct il_buf *out);

/* ---- git evidence (src/report/report_git.c): runs git with an argv, never a shell ---- */

/**
 * Fill the report's git stamp for the ledger at @p ledger_path: HEAD, the last commit that changed the file, dirty
 * state. Outside a checkout (or without git) it records that, adds a notice, and returns IL_OK: the report carries on.
 * Errors only for out of memory.
 */
IL_MUST_CHECK enum il_status il_report_git_stamp(struct il_report *report, const char *ledger_path);

/**
 * For every row with a line range, `git blame --porcelain -L start,end -- file` and attach the newest commit.
 * Outside a checkout it adds a notice and returns IL_OK. Errors only for out of memory.
 */
IL_MUST_CHECK enum il_status il_report_git_history(struct il_report *report, const char *ledger_path);

/**
 * Run git with @p argv (argv[0] must be "git"; NULL-terminated) without a shell; stdout is captured into @p out
 * (bounded by its limit), stderr discarded. *exit_code gets git's exit status (-1 if it could not run / was
 * killed). Returns IL_ERR_IO when git could not be started, IL_ERR_LIMIT when output overflowed.
 */
IL_MUST_CHECK enum il_status il_report_git_run(const char *const *argv, struct il_buf *out, int *exit_code);

#endif
