/**
 * The pull-request-aware gate: the ledger at a base ref against the working tree, through git (run with an argv,
 * never a shell), and the rules only a change can break — self-approval, approvals missing from the pull request's
 * reviews, too many renewals, renewals that keep the old approval — plus the demotion of problems the change did not
 * introduce. Also the pieces `report --since` reuses: the ledger at a ref, the classification, the history walk.
 *
 * Every object here is opaque with new/free (or load/free); what it hands back is borrowed until it is freed.
 */
#ifndef IL_LEDGER_GATE_H
#define IL_LEDGER_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "il/diag.h"
#include "il/ledger.h"
#include "il/ledger/policy.h"
#include "il/status.h"

/* ---- the ledger at a ref ---- */

/**
 * Load the ledger file @p ledger_path (a path in a git work tree) as committed at @p ref (`git show REF:./FILE`),
 * checked against @p schema (borrowed; NULL: embedded). *out is NULL with IL_OK when the ref exists but holds no such
 * file (every entry is then added). Errors, each with a located diagnostic in @p diags (rule "gate-not-verified"):
 * IL_ERR_INVALID when the ledger is not in a git work tree (or git cannot be run), IL_ERR_NOTFOUND when @p ref does
 * not name a commit. The base's own schema problems are not reported (they are not this change's).
 */
IL_MUST_CHECK enum il_status il_ledger_load_at(const char *ledger_path, const char *ref,
                                               const struct il_ledger_schema *schema, struct il_ledger **out,
                                               struct il_diags *diags);

/**
 * Resolve @p ref for the ledger at @p ledger_path: its commit id (into @p commit, 65 bytes) and committer time (Unix
 * seconds). Errors as il_ledger_load_at().
 */
IL_MUST_CHECK enum il_status il_ledger_ref_time(const char *ledger_path, const char *ref, char commit[65],
                                                long long *time, struct il_diags *diags);

/* ---- classification ---- */

enum il_change_kind {
    IL_CHANGE_UNTOUCHED = 0, /* the same entry, value for value */
    IL_CHANGE_ADDED,         /* no entry for (function ARN, scan type) at the base */
    IL_CHANGE_RENEWED,       /* expires_at moved later */
    IL_CHANGE_CHANGED,       /* anything else differs */
    IL_CHANGE_REMOVED,       /* only at the base */
};

struct il_change {
    enum il_change_kind kind;
    const struct il_ledger_entry *entry; /* in the new ledger; NULL when removed */
    const struct il_ledger_entry *base;  /* in the base ledger; NULL when added */
};

struct il_ledger_changes;

/**
 * Classify every entry of @p head against @p base (NULL: an empty base) by (unqualified function ARN, scan type).
 * Both ledgers are borrowed and must outlive the result. Order: head's entries in ledger order, then the removed
 * ones in base order.
 */
IL_MUST_CHECK enum il_status il_ledger_compare(const struct il_ledger *base, const struct il_ledger *head,
                                               struct il_ledger_changes **out);
void il_ledger_changes_free(struct il_ledger_changes *changes);
size_t il_ledger_changes_count(const struct il_ledger_changes *changes);
const struct il_change *il_ledger_change_at(const struct il_ledger_changes *changes, size_t i);
/** The change of head entry @p index (0-based), or NULL. */
const struct il_change *il_ledger_change_of(const struct il_ledger_changes *changes, size_t index);
/** "untouched", "added", "renewed", "changed", "removed". */
const char *il_change_kind_str(enum il_change_kind kind);

/* ---- history ---- */

/** What the history of one (function ARN, scan type) shows. */
struct il_history_stat {
    unsigned renewals;          /* times expires_at moved later between consecutive revisions */
    int64_t first_applied_days; /* applied_at of the first revision holding it (days since 1970); -1 unknown */
    long long first_time;       /* committer time (Unix) of that revision; 0 unknown */
};

struct il_ledger_history;

/**
 * Walk the revisions of @p ledger_path reachable from @p rev (oldest first, at most @p max_revisions of them) and
 * tally each exclusion (each revision is read as YAML into the model, without the schema pass: only keys and dates
 * are needed, and a revision that does not load is skipped). *out is always set on IL_OK; il_ledger_history_truncated()
 * tells when the bound cut the walk. Errors as il_ledger_load_at() (rule "gate-not-verified").
 */
IL_MUST_CHECK enum il_status il_ledger_history_load(const char *ledger_path, const char *rev, size_t max_revisions,
                                                    struct il_ledger_history **out, struct il_diags *diags);
void il_ledger_history_free(struct il_ledger_history *history);
/** The tally of @p arn (unqualified) and @p scan_type, or NULL when no revision held it. */
const struct il_history_stat *il_ledger_history_get(const struct il_ledger_history *history, const char *arn,
                                                    enum il_scan_type scan_type);
int il_ledger_history_truncated(const struct il_ledger_history *history);
/** Revisions walked. */
size_t il_ledger_history_revisions(const struct il_ledger_history *history);

/* ---- the pull request's reviews ---- */

struct il_reviews;

/**
 * Load a reviews file (at most 16 MiB): GitHub's "list reviews for a pull request" array (user.login, state,
 * submitted_at; a login counts as approving when its latest APPROVED / CHANGES_REQUESTED / DISMISSED review is
 * APPROVED) or GitLab's merge request approvals object (approved_by[].user.username). Which one is detected from the
 * shape; several GitHub arrays back to back (gh api --paginate) are read as one list. A file that is neither is a
 * located error (rule "gate-not-verified") and IL_ERR_PARSE / IL_ERR_INVALID.
 */
IL_MUST_CHECK enum il_status il_reviews_load_file(const char *path, struct il_reviews **out, struct il_diags *diags);
IL_MUST_CHECK enum il_status il_reviews_load_data(const char *data, size_t len, const char *name,
                                                  struct il_reviews **out, struct il_diags *diags);
void il_reviews_free(struct il_reviews *reviews);
/** "github" or "gitlab". */
const char *il_reviews_forge(const struct il_reviews *reviews);
/** 1 when @p login (without "@"; ASCII case ignored) approved. */
int il_reviews_approved(const struct il_reviews *reviews, const char *login);
/** Logins that approved. */
size_t il_reviews_count(const struct il_reviews *reviews);

/* ---- the gate ---- */

struct il_gate_opts {
    const char *ledger_path;               /* the working tree's ledger */
    const char *base_ref;                  /* REF of --base */
    const struct il_ledger_schema *schema; /* borrowed; NULL: embedded */
    const struct il_policy *policy;        /* borrowed; required */
    const struct il_reviews *reviews;      /* borrowed; NULL: not checked against the forge (a notice says so) */
    struct il_ledger_rule_opts rules;      /* as_of and the rule options in force */
    size_t max_revisions;                  /* history bound for renewals; 0: 1000 */
};

struct il_gate_summary {
    size_t added, renewed, changed, removed, untouched;
    size_t demoted;      /* findings lowered to notices as pre-existing */
    size_t not_verified; /* gate-not-verified findings: the caller exits 3 */
};

/**
 * Run the gate for @p ledger (the working tree's, borrowed; its findings from il_ledger_check_rules() and
 * il_policy_check() already in @p diags): load the base, classify, add the change rules' findings, and lower to
 * notices the findings of untouched entries that the same rule also raised at the base (expired excepted).
 * IL_ERR_INVALID / IL_ERR_NOTFOUND as il_ledger_load_at() (a located diagnostic says why: not a repository, no such
 * ref); everything git could not answer after that is a "gate-not-verified" finding, not an error return.
 */
IL_MUST_CHECK enum il_status il_gate_check(const struct il_gate_opts *opts, const struct il_ledger *ledger,
                                           struct il_diags *diags, struct il_gate_summary *summary);

#endif
