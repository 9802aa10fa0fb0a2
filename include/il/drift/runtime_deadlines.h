/**
 * `check --full`: AWS's three dates per Lambda runtime (il/runtimes.h) against every function the inventory knows the
 * configuration of — a warning --warn-days before the deprecation, the block on function create and the block on
 * function update (rule runtime-deadline), and once updates are blocked, that the function can no longer be patched.
 * Pure: no AWS calls, no printing.
 */
#ifndef IL_DRIFT_RUNTIME_DEADLINES_H
#define IL_DRIFT_RUNTIME_DEADLINES_H

#include "il/diag.h"
#include "il/drift/inventory.h"
#include "il/drift/runtimes.h"
#include "il/ledger.h"
#include "il/status.h"

/** Add a runtime-deadline finding per function and upcoming (within rules->warn_days of rules->as_of) or passed
 *  update-block date to @p diags, placed at @p ledger's `exclusions`. All arguments borrowed. */
IL_MUST_CHECK enum il_status il_runtime_deadlines_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                                        const struct il_runtimes *runtimes,
                                                        const struct il_ledger_rule_opts *rules,
                                                        struct il_diags *diags);

#endif
