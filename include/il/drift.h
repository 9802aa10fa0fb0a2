/**
 * Drift rules: the ledger against what AWS showed (struct il_inventory). Pure: no AWS calls, no printing.
 *
 * Findings (rule ids from the catalogue, include/il/rules.h):
 *   unrecorded-exclusion       exclusion tag on a function, no ledger entry for that function and scan type (error)
 *   expired-exclusion-applied  tag still on the function, the entry has expired (error)
 *   exclusion-not-applied      entry holds, function exists, its tag is not on the function (warning)
 *   function-not-found         entry for a function that GetFunction says does not exist (warning)
 *   malformed-exclusion-tag    an exclusion key in the wrong case, or the right key with the wrong value (warning)
 *   scan-blind-cmk             --full: function encrypted with a customer managed KMS key (notice)
 *   deprecated-runtime         --full: runtime past its deprecation date (warning)
 *   not-checked                entry in an account/region outside the scope (notice)
 *   not-verified               an account/region in scope whose calls failed, or an entry that could not be
 *                              confirmed (error; the caller exits 3)
 */
#ifndef IL_DRIFT_H
#define IL_DRIFT_H

#include "il/diag.h"
#include "il/inventory.h"
#include "il/ledger.h"
#include "il/runtimes.h"
#include "il/status.h"

struct il_drift_opts {
    struct il_ledger_rule_opts rules;   /* as_of and warn_days: an entry is expired iff as_of > expires_at */
    int full;                           /* run scan-blind-cmk and deprecated-runtime over the whole inventory */
    const struct il_runtimes *runtimes; /* required when full; borrowed */
};

/** Compare @p ledger with @p inv and add every drift finding to @p diags. All arguments are borrowed. */
IL_MUST_CHECK enum il_status il_drift_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                            const struct il_drift_opts *opts, struct il_diags *diags);

/** Number of not-verified findings in @p diags (what makes a check exit 3). */
size_t il_drift_unverified_count(const struct il_diags *diags);

#endif
