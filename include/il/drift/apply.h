/**
 * Planning `apply`: the tag changes that make AWS follow the ledger. Pure: reads the ledger and the inventory, calls
 * nothing, prints nothing. Only account/region scopes that were fully VERIFIED are planned for: a partial view of a
 * scope never leads to a change.
 *
 *   tag     an active entry (not expired on as_of) whose function exists and lacks its exclusion tag
 *   untag   an expired entry whose function still carries the tag (the exclusion really ends at expiry)
 *   untag   with remove_unrecorded: an exclusion tag that no ledger entry records
 */
#ifndef IL_APPLY_H
#define IL_APPLY_H

#include <stddef.h>

#include "il/buf.h"
#include "il/drift/drift.h"
#include "il/drift/inventory.h"
#include "il/ledger.h"
#include "il/status.h"

enum il_apply_kind {
    IL_APPLY_TAG,
    IL_APPLY_UNTAG,
};

struct il_apply_action {
    enum il_apply_kind kind;
    const char *arn;                     /* borrowed from the inventory */
    const char *account;                 /* borrowed */
    const char *region;                  /* borrowed */
    const char *key;                     /* static: the exclusion tag key */
    const char *value;                   /* static: the value to set (tag) */
    const char *why;                     /* static: "entry active, tag missing", "entry expired", "no ledger entry" */
    unsigned line;                       /* the ledger line the change follows from (0 for an unrecorded tag) */
    const struct il_ledger_entry *entry; /* borrowed: the entry the change follows from; NULL for an unrecorded tag */
};

struct il_apply_opts {
    struct il_ledger_rule_opts rules;     /* as_of decides active vs expired */
    int remove_unrecorded;                /* also untag exclusion tags that have no entry */
    const struct il_scope_decl *declared; /* --only-account / --only-region: nothing is planned outside; may be NULL */
    /* The account STS named for the credentials (borrowed); NULL: not known. When set, nothing outside it is planned.
     * Whatever it is, a change is planned only for a function whose own ARN names its verified account/region. */
    const char *caller_account;
};

/**
 * Compute the changes. *actions is a new array (caller frees with free(); NULL when *count is 0); its strings are
 * borrowed from @p ledger and @p inv, which must outlive it.
 */
IL_MUST_CHECK enum il_status il_apply_plan(const struct il_ledger *ledger, const struct il_inventory *inv,
                                           const struct il_apply_opts *opts, struct il_apply_action **actions,
                                           size_t *count);

/* ---- carrying the plan out (drift_apply_exec.c) ---- */

enum il_apply_state {
    IL_APPLY_PLANNED = 0,   /* not carried out (a dry run, or declined) */
    IL_APPLY_DONE,          /* AWS accepted the change */
    IL_APPLY_FAILED,        /* AWS refused it, or it could not be sent */
    IL_APPLY_NOT_ATTEMPTED, /* the run stopped before it (the change log could not be written) */
};

/** "planned", "done", "failed", "not-attempted". */
const char *il_apply_state_str(enum il_apply_state state);

/** What became of one change. Caller-owned: zero-initialise; il_apply_result_release() frees the strings. */
struct il_apply_result {
    enum il_apply_state state;
    char *error_code; /* the AWS error code ("AccessDeniedException") or NULL */
    char *error;      /* one line naming the request and why it failed (raw AWS text: escape to render), or NULL */
    char *request_id; /* AWS's request id of the last attempt, or NULL */
    char time[32];    /* when it finished: RFC 3339 UTC with milliseconds ("2026-12-04T03:40:01.123Z") */
};
void il_apply_result_release(struct il_apply_result *result);

/* ---- the change log (drift_apply_log.c): one JSON object per line, schema/apply-log.schema.json ---- */

/** What every line of a run repeats. Borrowed; NULL strings are written as null. */
struct il_apply_log_info {
    const char *run_id;       /* one id per run, to group its lines */
    const char *tool_version; /* IL_VERSION */
    const char *caller_arn;   /* GetCallerIdentity of the run's credentials */
    const char *caller_account;
    const char *ledger_file;     /* as given on the command line */
    const char *ledger_sha256;   /* of the bytes the plan was computed from */
    const char *git_commit;      /* HEAD of the checkout holding the ledger */
    const char *git_file_commit; /* the last commit that changed the ledger file */
    int git_dirty;               /* 1: the ledger differs from HEAD; 0: clean; -1: not known (no checkout) */
    int assumed_role;            /* 1: the change went through the per-account role (--role-name, ...) */
};

/** The line for one attempted change (a JSON object, then '\n') appended to @p out. */
IL_MUST_CHECK enum il_status il_apply_log_line(const struct il_apply_log_info *info,
                                               const struct il_apply_action *action,
                                               const struct il_apply_result *result, struct il_buf *out);

struct il_apply_log;
/** Open @p path for appending (created 0600 when missing; never truncated). IL_ERR_IO with the reason in @p why. */
IL_MUST_CHECK enum il_status il_apply_log_open(const char *path, struct il_apply_log **out, struct il_buf *why);
/** Append @p line and flush it to disk (fsync) before returning, so a crash loses nothing already written.
 *  IL_ERR_IO with the reason in @p why. */
IL_MUST_CHECK enum il_status il_apply_log_append(struct il_apply_log *log, const struct il_buf *line,
                                                 struct il_buf *why);
/** Close (accepts NULL). IL_ERR_IO when the close failed (@p why says so). */
IL_MUST_CHECK enum il_status il_apply_log_close(struct il_apply_log *log, struct il_buf *why);

/* ---- rendering the plan and its results (drift_apply_render.c) ---- */

enum il_apply_format {
    IL_APPLY_FORMAT_TEXT = 0,
    IL_APPLY_FORMAT_JSON,     /* schema/apply-plan.schema.json */
    IL_APPLY_FORMAT_MARKDOWN, /* a table for a pull-request comment */
};
/** "text", "json", "markdown"; IL_ERR_INVALID otherwise. */
IL_MUST_CHECK enum il_status il_apply_format_parse(const char *name, enum il_apply_format *out);

/** Everything a rendering shows. Borrowed. */
struct il_apply_view {
    const struct il_apply_action *actions;
    size_t count;
    const struct il_apply_result *results; /* NULL: nothing was carried out (every change "planned") */
    const char *mode;                      /* "plan", "apply" or "declined" */
    const char *ledger_file;
    const char *as_of;             /* YYYY-MM-DD */
    const char *scope;             /* one line: accounts, regions (may be NULL) */
    const char *coverage;          /* the entries compared (il_coverage_summary), may be NULL */
    const char *const *unverified; /* what could not be verified: nothing was planned there (raw text) */
    size_t unverified_count;
};

/** One change as a text line (terminal-escaped): "tag      add KEY=VALUE on ARN (why; FILE:LINE)[: done|FAILED]". */
IL_MUST_CHECK enum il_status il_apply_render_line(const struct il_apply_view *view, size_t i, struct il_buf *out);
/** The closing text lines: what was compared, what was not verified, and the count. */
IL_MUST_CHECK enum il_status il_apply_render_summary(const struct il_apply_view *view, struct il_buf *out);
/** The whole view in @p format (text: every line, then the summary). */
IL_MUST_CHECK enum il_status il_apply_render(enum il_apply_format format, const struct il_apply_view *view,
                                             struct il_buf *out);

#endif
