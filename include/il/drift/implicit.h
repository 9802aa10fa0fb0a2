/**
 * Implicit exclusions (reason.implicit in the ledger, docs/schema.md): functions Inspector cannot or does not scan
 * without any tag — a customer managed KMS key, no invocation or update in 90 days, an unsupported runtime. With
 * `check --full` (the functions' configuration is known):
 *   unrecorded-implicit-exclusion  a function has a CMK or a runtime past its deprecation date and no implicit entry
 *                                  records it (--implicit-severity, default warning). 90 days idle is not guessed from
 *                                  LastModified (invocations are invisible to Lambda's API): --coverage reports it
 *                                  from Inspector's own SCAN_ELIGIBILITY_EXPIRED (inspector-not-scanned)
 *   implicit-exclusion-unfounded   an active implicit entry whose function no longer has the cause (warning); for
 *                                  idle-90-days: LastModified within the last 90 days (an update restarts scanning)
 * Pure: no AWS calls, no printing.
 */
#ifndef IL_DRIFT_IMPLICIT_H
#define IL_DRIFT_IMPLICIT_H

#include "il/diag.h"
#include "il/drift/inventory.h"
#include "il/drift/runtimes.h"
#include "il/ledger.h"
#include "il/status.h"

struct il_implicit_opts {
    struct il_ledger_rule_opts rules;   /* as_of: the 90 days and which entries are active */
    const struct il_runtimes *runtimes; /* "unsupported": past its deprecation date in the table; borrowed */
    enum il_severity severity;          /* of unrecorded-implicit-exclusion (--implicit-severity) */
};

/** Add the implicit-exclusion findings for every verified function with a known configuration. */
IL_MUST_CHECK enum il_status il_implicit_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                               const struct il_implicit_opts *opts, struct il_diags *diags);

#endif
