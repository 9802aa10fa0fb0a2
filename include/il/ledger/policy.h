/**
 * The organisation policy: .inspector-ledger.yaml at the repository root (or --policy FILE), validated against the
 * embedded schema/inspector-ledger-policy.schema.json, then typed. Precedence is flag > file > default, and every
 * value remembers where it came from (il_policy_print()).
 *
 * A struct il_policy owns every string it hands out (borrowed until il_policy_free()). Nothing here prints.
 */
#ifndef IL_LEDGER_POLICY_H
#define IL_LEDGER_POLICY_H

#include <stddef.h>

#include "il/buf.h"
#include "il/diag.h"
#include "il/ledger.h"
#include "il/status.h"

/** The conventional policy path, relative to the repository root. */
#define IL_POLICY_DEFAULT_PATH ".inspector-ledger.yaml"
/** Name of the embedded policy schema (il_embedded_get()). */
#define IL_POLICY_SCHEMA_NAME "inspector-ledger-policy.schema.json"

/** Where a value came from: a flag (flag != NULL), a file position (file != NULL), or the default (both NULL). */
struct il_policy_origin {
    const char *flag; /* "--max-days" */
    const char *file; /* ".inspector-ledger.yaml", "origin/main:.inspector-ledger.yaml" */
    unsigned line;
    unsigned column;
};

struct il_policy_approver {
    const char *name;              /* as written in owner.approved_by */
    const char *const *identities; /* e-mail addresses and "@handles" */
    size_t n_identities;
    struct il_policy_origin origin;
};

struct il_policy_budget {
    const char *team;
    long long active;        /* most active exclusions; -1: no bound */
    long long function_days; /* most sum(expires_at - applied_at) over active exclusions; -1: no bound */
    struct il_policy_origin origin;
};

struct il_policy_severity {
    const char *rule;
    int off; /* the rule's findings are dropped */
    enum il_severity severity;
    struct il_policy_origin origin;
};

/** The effective values. All pointers borrowed from the policy. */
struct il_policy_values {
    unsigned warn_days;
    struct il_policy_origin warn_days_from;
    unsigned max_days; /* 0: no bound */
    struct il_policy_origin max_days_from;
    int require_distinct_approver;
    struct il_policy_origin require_distinct_approver_from;
    long max_renewals; /* -1: no bound */
    struct il_policy_origin max_renewals_from;
    const char *ticket_pattern; /* NULL: any ticket */
    struct il_policy_origin ticket_pattern_from;
    const struct il_policy_approver *approvers; /* n_approvers == 0 and approvers_from default: any approver */
    size_t n_approvers;
    struct il_policy_origin approvers_from;
    const struct il_policy_budget *budgets;
    size_t n_budgets;
    const struct il_policy_severity *severities;
    size_t n_severities;
    int implicit_off;
    enum il_severity implicit_severity; /* scan-blind-cmk; default notice */
    struct il_policy_origin implicit_from;
};

struct il_policy;

/** The built-in defaults (warn 14 days, nothing else bounded). *out is freed with il_policy_free(). */
IL_MUST_CHECK enum il_status il_policy_new(struct il_policy **out);
void il_policy_free(struct il_policy *policy);

/**
 * Load a policy from @p data (YAML or JSON, borrowed for the call) named @p name in diagnostics, validate it against
 * the embedded policy schema and type it. Problems are located diagnostics in @p diags (rule "schema" or "yaml" from
 * the engines, "policy-file" for what the schema cannot say: an unknown rule id, a rule that may not be lowered, a
 * ticket_pattern the regex engine rejects). Returns IL_OK with *out set, or IL_ERR_PARSE / IL_ERR_INVALID /
 * IL_ERR_LIMIT with *out NULL.
 */
IL_MUST_CHECK enum il_status il_policy_load_data(const char *data, size_t len, const char *name, struct il_policy **out,
                                                 struct il_diags *diags);
/** Same from a file (at most 1 MiB). IL_ERR_NOTFOUND / IL_ERR_IO (with a "policy-file" diagnostic) when unreadable. */
IL_MUST_CHECK enum il_status il_policy_load_file(const char *path, struct il_policy **out, struct il_diags *diags);

/** The effective values (borrowed). */
const struct il_policy_values *il_policy_values(const struct il_policy *policy);

/* Flags override the file; @p flag is the option's spelling, kept for il_policy_print(). */
void il_policy_set_warn_days(struct il_policy *policy, unsigned days, const char *flag);
void il_policy_set_max_days(struct il_policy *policy, unsigned days, const char *flag);
void il_policy_set_distinct_approver(struct il_policy *policy, int on, const char *flag);
void il_policy_set_max_renewals(struct il_policy *policy, long renewals, const char *flag);

/** Copy warn_days, max_days and require_distinct_approver into @p rules (as_of is left alone). */
void il_policy_rule_opts(const struct il_policy *policy, struct il_ledger_rule_opts *rules);

/** The approver written @p name in approved_by (exact, then ignoring ASCII case), or NULL. */
const struct il_policy_approver *il_policy_approver(const struct il_policy *policy, const char *name);
/** The budget of @p team, or NULL. */
const struct il_policy_budget *il_policy_budget(const struct il_policy *policy, const char *team);
/** 1 when ticket_pattern is unset or @p ticket (a node of a loaded document, borrowed) matches it. */
int il_policy_ticket_ok(const struct il_policy *policy, const struct il_node *ticket, const char *filename);

/**
 * The policy rules over a whole ledger: ticket-format, approver-not-allowed (only when approvers are configured) and
 * budget-exceeded, located at the field they are about. No git needed (il/ledger/gate.h adds the change-aware rules).
 */
IL_MUST_CHECK enum il_status il_policy_check(const struct il_policy *policy, const struct il_ledger *ledger,
                                             const struct il_ledger_rule_opts *rules, struct il_diags *diags);

/** Apply the severity overrides and implicit_exclusion_severity to @p diags in place ("off" drops findings). */
void il_policy_adjust(const struct il_policy *policy, struct il_diags *diags);

/** The effective policy as YAML, each value followed by "# flag --x", "# FILE:LINE:COL" or "# default". */
IL_MUST_CHECK enum il_status il_policy_print(const struct il_policy *policy, struct il_buf *out);

/**
 * Find and load the policy for the ledger at @p ledger_path:
 *  - @p explicit_path (--policy FILE) when given;
 *  - else, with @p base_ref, the policy file as committed at that ref in the ledger's repository (a pull request is
 *    judged by the rules it merges into, not by rules it brings), with a "policy-changed" notice when the working
 *    tree's file differs; the defaults when REF has none;
 *  - else .inspector-ledger.yaml at the root of the ledger's git work tree, if there is one; else the defaults.
 * Problems are located diagnostics; errors as il_policy_load_data(), IL_ERR_NOTFOUND for a missing --policy file.
 */
IL_MUST_CHECK enum il_status il_policy_discover(const char *ledger_path, const char *explicit_path,
                                                const char *base_ref, struct il_policy **out, struct il_diags *diags);

#endif
