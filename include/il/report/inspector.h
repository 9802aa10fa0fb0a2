/**
 * `report --live --coverage` (and `--tags-source inspector`): what Inspector itself says about each ledger entry,
 * added to the row's live note in every report format — "confirmed by Inspector", "Inspector still scans it", or
 * "scanning disabled here". Pure: no AWS calls, no printing.
 */
#ifndef IL_REPORT_INSPECTOR_H
#define IL_REPORT_INSPECTOR_H

#include "il/drift/inventory.h"
#include "il/drift/scan_coverage.h"
#include "il/ledger.h"
#include "il/report/report.h"
#include "il/status.h"

/** For every row of @p report (ledger order, live state enabled) whose account/region @p inv verified, append
 *  Inspector's verdict from @p cov to the live note. All arguments borrowed. */
IL_MUST_CHECK enum il_status il_report_inspector_annotate(struct il_report *report, const struct il_ledger *ledger,
                                                          const struct il_inventory *inv, const struct il_scan_cov *cov,
                                                          const struct il_ledger_rule_opts *rules);

#endif
