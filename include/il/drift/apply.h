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
    const char *arn;     /* borrowed from the inventory */
    const char *account; /* borrowed */
    const char *region;  /* borrowed */
    const char *key;     /* static: the exclusion tag key */
    const char *value;   /* static: the value to set (tag) */
    const char *why;     /* static: "entry active, tag missing", "entry expired", "no ledger entry" */
    unsigned line;       /* the ledger line the change follows from (0 for an unrecorded tag) */
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

#endif
