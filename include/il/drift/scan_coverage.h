/**
 * What Amazon Inspector itself says, next to the inventory: per account and region whether Lambda standard and code
 * scanning are enabled (BatchGetAccountStatus), and per function and scan type whether Inspector scans it and why
 * not (ListCoverage). Filled by the collector with `--coverage` or `--tags-source inspector`, read by the coverage
 * rules (il_scan_cov_check()) and the live report.
 *
 * All strings are copied on add and owned by the store; returned pointers are borrowed until il_scan_cov_free().
 */
#ifndef IL_DRIFT_SCAN_COVERAGE_H
#define IL_DRIFT_SCAN_COVERAGE_H

#include <stddef.h>

#include "il/diag.h"
#include "il/drift/inventory.h"
#include "il/ledger.h"
#include "il/status.h"

/** Inspector's state for one account and region. */
struct il_scan_cov_status {
    const char *account;
    const char *region;
    const char *account_status; /* state.status: "ENABLED", "DISABLED", ... (never NULL) */
    const char *lambda;         /* resourceState.lambda.status, NULL when Inspector did not say */
    const char *lambda_code;    /* resourceState.lambdaCode.status */
};

/** Inspector's coverage of one function for one scan type. */
struct il_scan_cov_entry {
    const char *account;
    const char *region;
    const char *arn;             /* unqualified function ARN */
    enum il_scan_type scan_type; /* PACKAGE -> IL_SCAN_STANDARD, CODE -> IL_SCAN_CODE */
    int scanned;                 /* statusCode ACTIVE */
    const char *reason;          /* scanStatus.reason ("EXCLUDED_BY_TAG", ...); "" when Inspector gave none */
};

struct il_scan_cov;

/** New, empty store (NULL on out of memory); il_scan_cov_free() accepts NULL. */
struct il_scan_cov *il_scan_cov_new(void);
void il_scan_cov_free(struct il_scan_cov *cov);

/** Record Inspector's state for @p account / @p region (a later record replaces an earlier one). */
IL_MUST_CHECK enum il_status il_scan_cov_set_status(struct il_scan_cov *cov, const struct il_scan_cov_status *status);
/** Add one coverage record (copied). A repeat of the same ARN and scan type replaces the earlier one. */
IL_MUST_CHECK enum il_status il_scan_cov_add(struct il_scan_cov *cov, const struct il_scan_cov_entry *entry);

/** Inspector's state for @p account / @p region, or NULL when it was not asked. */
const struct il_scan_cov_status *il_scan_cov_status(const struct il_scan_cov *cov, const char *account,
                                                    const char *region);
/** The coverage record of @p arn (unqualified) for @p type, or NULL. */
const struct il_scan_cov_entry *il_scan_cov_find(const struct il_scan_cov *cov, const char *arn,
                                                 enum il_scan_type type);
size_t il_scan_cov_count(const struct il_scan_cov *cov);
const struct il_scan_cov_entry *il_scan_cov_at(const struct il_scan_cov *cov, size_t i);

/** "ENABLED" (and only that) counts as on. */
int il_scan_cov_scanning_on(const struct il_scan_cov_status *status, enum il_scan_type type);
/** Inspector's scan status reason in words ("the function is encrypted with a customer managed KMS key that
 *  Inspector may not use"); the reason itself for one this table does not know. Static or @p reason. */
const char *il_scan_cov_reason_text(const char *reason);

/** Options of the coverage rules. */
struct il_scan_cov_opts {
    struct il_ledger_rule_opts rules; /* as_of: which entries are active */
    enum il_severity not_scanned;     /* severity of inspector-not-scanned (default IL_SEV_WARNING) */
};

/**
 * Compare the ledger with Inspector's coverage in every VERIFIED scope of @p inv that has a status record:
 *   scanning-disabled        Lambda standard / code scanning (or Inspector) not enabled (error, per scan type)
 *   inspector-unrecorded     Inspector reports the function EXCLUDED_BY_TAG, no ledger entry (error)
 *   inspector-still-scanned  an active ledger entry whose function Inspector still scans for that type (error)
 *   inspector-not-scanned    Inspector does not scan the function for another reason, named (opts->not_scanned)
 *   inspector-confirmed      the ledger records the exclusion and Inspector agrees (notice: shown with -v)
 * All arguments are borrowed; findings are added to @p diags.
 */
IL_MUST_CHECK enum il_status il_scan_cov_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                               const struct il_scan_cov *cov, const struct il_scan_cov_opts *opts,
                                               struct il_diags *diags);

#endif
