/**
 * `report --live`: each ledger entry's live AWS state, from the inventory `check` collects (collect.h). Pure: no AWS
 * calls, no printing. The facts follow the drift rules (drift.h) and so does the fail-closed rule: whatever `check`
 * would report not-verified is listed as unverified, and a fact that was not verified is UNKNOWN — never "no".
 *
 * Flow: il_collect_run() fills the inventory -> il_report_live_annotate() fills the report's live columns, the
 * unrecorded exclusions, the account/region scopes and the unverified items -> the report renderers.
 */
#ifndef IL_LIVE_H
#define IL_LIVE_H

#include <stddef.h>

#include "il/drift/drift.h"
#include "il/drift/inventory.h"
#include "il/drift/runtimes.h"
#include "il/ledger.h"
#include "il/report/report.h"
#include "il/status.h"

struct il_live_opts {
    struct il_ledger_rule_opts rules;   /* as_of decides "deprecated" (and, for the drift rules, "expired") */
    const struct il_runtimes *runtimes; /* the runtime deprecation table; required, borrowed */
    const char *scope;                  /* what was asked, shown in the report (e.g. from il_live_describe_scope) */
    const struct il_coverage_opts *coverage; /* what the run could reach and the declared scope (drift.h); may be
                                                NULL: nothing declared */
};

/**
 * Enable @p report's live state and fill it from @p inv for @p ledger. The report's rows must be the ledger's entries
 * in ledger order (il_report_add_ledger()). Per row: function exists, exclusion tag present, scan-blind (a customer
 * managed KMS key), runtime deprecated (with the runtime and its date); UNKNOWN with a note for every row whose
 * account/region was not verified, not in scope, or whose function was neither listed nor confirmed missing.
 * Unrecorded exclusions: every exclusion-key tag (exact, or the key in another case) on a function with no ledger
 * entry for that scan type, sorted by account, region, ARN and key. *unverified (may be NULL) gets the number of
 * not-verified items — the caller fails closed when it is not 0. All arguments borrowed.
 */
IL_MUST_CHECK enum il_status il_report_live_annotate(struct il_report *report, const struct il_ledger *ledger,
                                                     const struct il_inventory *inv, const struct il_live_opts *opts,
                                                     size_t *unverified);

#endif
