/**
 * The rule catalogue: every finding's stable id, default severity and documentation. Writers (SARIF rules, README
 * table) read it; rules and drift checks name rules by enum il_rule_id and take the id string from it. Entries are
 * static and borrowed.
 */
#ifndef IL_RULES_H
#define IL_RULES_H

#include <stddef.h>

#include "il/diag.h"

/** Every rule, in catalogue order (the value is the row's index). Code names rules by these, never by string. */
enum il_rule_id {
    IL_RULE_YAML,
    IL_RULE_SCHEMA,
    IL_RULE_SCHEMA_FILE,
    IL_RULE_EXPIRED,
    IL_RULE_EXPIRING_SOON,
    IL_RULE_REVIEW_OVERDUE,
    IL_RULE_DATE_ORDER,
    IL_RULE_WINDOW_TOO_LONG,
    IL_RULE_DUPLICATE_ENTRY,
    IL_RULE_NAME_ARN_MISMATCH,
    IL_RULE_TAG_SCAN_TYPE_MISMATCH,
    IL_RULE_QUALIFIED_ARN,
    IL_RULE_DISTINCT_APPROVER,
    IL_RULE_POLICY_FILE,
    IL_RULE_POLICY_CHANGED,
    IL_RULE_TICKET_FORMAT,
    IL_RULE_APPROVER_NOT_ALLOWED,
    IL_RULE_BUDGET_EXCEEDED,
    IL_RULE_SELF_APPROVAL,
    IL_RULE_APPROVAL_NOT_REVIEWED,
    IL_RULE_APPROVALS_NOT_VERIFIED,
    IL_RULE_TOO_MANY_RENEWALS,
    IL_RULE_RENEWAL_UNCHANGED_APPROVAL,
    IL_RULE_PRE_EXISTING,
    IL_RULE_GATE_NOT_VERIFIED,
    IL_RULE_UNRECORDED_EXCLUSION,
    IL_RULE_EXPIRED_EXCLUSION_APPLIED,
    IL_RULE_EXCLUSION_NOT_APPLIED,
    IL_RULE_FUNCTION_NOT_FOUND,
    IL_RULE_SCAN_BLIND_CMK,
    IL_RULE_DEPRECATED_RUNTIME,
    IL_RULE_MALFORMED_EXCLUSION_TAG,
    IL_RULE_NOT_CHECKED,
    IL_RULE_NOT_VERIFIED,
    IL_RULE_RUNTIME_DEADLINE,
    IL_RULE_UNRECORDED_IMPLICIT_EXCLUSION,
    IL_RULE_IMPLICIT_EXCLUSION_UNFOUNDED,
    IL_RULE_SCANNING_DISABLED,
    IL_RULE_INSPECTOR_UNRECORDED_EXCLUSION,
    IL_RULE_INSPECTOR_STILL_SCANNED,
    IL_RULE_INSPECTOR_NOT_SCANNED,
    IL_RULE_INSPECTOR_CONFIRMED,
    IL_RULE_COUNT /* not a rule */
};

struct il_rule_info {
    enum il_rule_id rule;      /* IL_RULE_EXPIRED */
    const char *id;            /* "expired" */
    enum il_severity severity; /* default severity */
    const char *short_desc;    /* one line */
    const char *full_desc;     /* a paragraph */
    const char *help;          /* what to do about it */
    const char
        *category; /* "ledger", "policy", "gate", "drift", "inventory", "scope" or "inspector": SARIF tags, docs */
};

/** The catalogue row of @p rule (borrowed), or NULL when @p rule is not an enum il_rule_id. */
const struct il_rule_info *il_rule_info(enum il_rule_id rule);
/** The stable id of @p rule ("expired"), the string findings carry; "unknown" when out of range. */
const char *il_rule_id_str(enum il_rule_id rule);
/** The rule with id @p id, or NULL. */
const struct il_rule_info *il_rule_find(const char *id);
/** All rules, in catalogue order; *count gets how many. */
const struct il_rule_info *il_rules_all(size_t *count);

#endif
