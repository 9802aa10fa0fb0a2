/**
 * The rule catalogue: every finding's stable id, default severity and documentation. Writers (SARIF rules, README
 * table) read it; rules and drift checks reference ids from it. Entries are static and borrowed.
 */
#ifndef IL_RULES_H
#define IL_RULES_H

#include <stddef.h>

#include "il/diag.h"

struct il_rule_info {
    const char *id;            /* "expired" */
    enum il_severity severity; /* default severity */
    const char *short_desc;    /* one line */
    const char *full_desc;     /* a paragraph */
    const char *help;          /* what to do about it */
    const char *category;      /* "ledger", "policy", "drift", "inventory", "scope" or "inspector": SARIF tags, docs */
};

/** The rule with id @p id, or NULL. */
const struct il_rule_info *il_rule_find(const char *id);
/** All rules, in catalogue order; *count gets how many. */
const struct il_rule_info *il_rules_all(size_t *count);

#endif
