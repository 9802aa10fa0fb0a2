/**
 * `report --since REF`: what changed since an earlier audit and how long exclusions live.
 *
 * Built from the ledger at REF and now (git), the ledger's history (renewals, first appearance), the policy (team
 * budgets) and optionally the change log `apply --log` writes (tags applied and removed). Attached to a report, it
 * is rendered by every report format: HTML (with a small inline SVG chart), Markdown, CSV (extra columns per row) and
 * JSON (`since`, schema/report.schema.json). The object owns every string it holds; a report it is attached to owns
 * it.
 */
#ifndef IL_REPORT_SINCE_H
#define IL_REPORT_SINCE_H

#include <stddef.h>

#include "il/diag.h"
#include "il/ledger.h"
#include "il/ledger/policy.h"
#include "il/report/report.h"
#include "il/status.h"

enum il_since_kind {
    IL_SINCE_ADDED,
    IL_SINCE_REMOVED,
    IL_SINCE_RENEWED,
    IL_SINCE_CHANGED,
    IL_SINCE_EXPIRED, /* expires_at fell between REF's commit day and the as-of date */
};
#define IL_SINCE_KIND_COUNT 5

/** One exclusion that changed since REF. */
struct il_since_change {
    enum il_since_kind kind;
    const char *function_name;
    const char *function_arn;
    const char *scan_type;
    const char *team;
    const char *expires_before; /* at REF; NULL when added */
    const char *expires_now;    /* now; NULL when removed */
};

/** One line of the `apply --log` change log at or after REF's commit time. */
struct il_since_tag {
    const char *time;   /* as written */
    const char *action; /* "add" | "remove" */
    const char *function_arn;
    const char *tag_key;
    const char *tag_value;
    const char *result;      /* e.g. "ok", "failed"; NULL when absent */
    const char *ledger_file; /* NULL when absent */
    unsigned ledger_line;    /* 0 when absent */
};

/** The aging of report row i (same order as il_report_row_at()). */
struct il_since_aging {
    long age_days;             /* as_of - first applied_at seen in the history (or the entry's applied_at) */
    unsigned renewals;         /* times expires_at moved later, through the history up to HEAD */
    long days_left;            /* expires_at - as_of */
    const char *first_applied; /* YYYY-MM-DD */
    const char *change;        /* "added", "renewed", "changed", "untouched" since REF */
};

/** Per owner.team over the current rows. */
struct il_since_team {
    const char *team;
    size_t active;             /* not expired */
    long long budget;          /* the policy's active budget; -1 none */
    long long function_days;   /* sum(expires_at - applied_at) over active rows */
    long long function_budget; /* -1 none */
    size_t overdue_reviews;    /* active rows whose next_review_at has passed */
    double mean_lifetime_days; /* mean over the team's rows of expires_at - first applied_at */
};

struct il_report_since {
    const char *ref;
    const char *commit;   /* what REF resolved to */
    const char *ref_date; /* REF's committer day, YYYY-MM-DD */
    const struct il_since_change *changes;
    size_t n_changes;
    size_t counts[IL_SINCE_KIND_COUNT];
    int tags_given; /* --changes was given (an empty list then means no tag changed) */
    const struct il_since_tag *tags;
    size_t n_tags;
    const struct il_since_aging *aging; /* one per report row */
    size_t n_aging;
    const struct il_since_team *teams; /* sorted by name */
    size_t n_teams;
    size_t revisions;      /* ledger revisions walked for the aging */
    int history_truncated; /* the walk stopped at its bound: renewals and ages may be undercounted */
};

struct il_report_since_opts {
    const char *ledger_path;               /* in a git work tree */
    const char *ref;                       /* --since REF */
    const struct il_ledger_schema *schema; /* borrowed; NULL: embedded */
    const struct il_policy *policy;        /* budgets; NULL: none */
    struct il_ledger_rule_opts rules;      /* as_of, warn_days */
    const char *changes_path;              /* --changes FILE; NULL: none */
    size_t max_revisions;                  /* 0: 1000 */
};

/**
 * Build the since section for @p report (its rows already added from @p ledger, both borrowed) and attach it.
 * IL_ERR_INVALID / IL_ERR_NOTFOUND with a located diagnostic when the ledger is not in a repository, REF does not
 * exist, or the change log is not JSON lines of the expected shape (file:line:col).
 */
IL_MUST_CHECK enum il_status il_report_add_since(struct il_report *report, const struct il_ledger *ledger,
                                                 const struct il_report_since_opts *opts, struct il_diags *diags);

/** The attached section, or NULL (borrowed). */
const struct il_report_since *il_report_get_since(const struct il_report *report);
/** Attach @p since (taken; the report frees it); replaces and frees an earlier one. */
void il_report_set_since(struct il_report *report, struct il_report_since *since);
/** Free a section that was not attached; accepts NULL. */
void il_report_since_free(struct il_report_since *since);

/** "added", "removed", "renewed", "changed", "expired". */
const char *il_since_kind_str(enum il_since_kind kind);

/* ---- rendering (called by the report writers when a section is attached) ---- */
IL_MUST_CHECK enum il_status il_report_since_html(const struct il_report *report, struct il_buf *out);
IL_MUST_CHECK enum il_status il_report_since_markdown(const struct il_report *report, struct il_buf *out);
/** The JSON member `"since": {...}` at the root's indentation, without a leading comma. */
IL_MUST_CHECK enum il_status il_report_since_json(const struct il_report *report, struct il_buf *out);
/** CSV: the extra header cells (each preceded by a comma) and a row's cells; @p row NULL pads a non-row record. */
IL_MUST_CHECK enum il_status il_report_since_csv_header(struct il_buf *out);
IL_MUST_CHECK enum il_status il_report_since_csv_cells(const struct il_report *report, const struct il_report_row *row,
                                                       struct il_buf *out);

#endif
