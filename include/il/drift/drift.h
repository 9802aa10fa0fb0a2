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
 *   not-checked                entries outside the declared scope (--only-account / --only-region), or a
 *                              region skipped with no entry in it (notice)
 *   not-verified               an account/region in scope whose calls failed, an entry that could not be
 *                              confirmed, or entries in an account/region this run cannot reach (error; the
 *                              caller exits 3)
 */
#ifndef IL_DRIFT_H
#define IL_DRIFT_H

#include <stddef.h>

#include "il/buf.h"
#include "il/diag.h"
#include "il/drift/collect.h"
#include "il/drift/inventory.h"
#include "il/drift/runtimes.h"
#include "il/ledger.h"
#include "il/status.h"

/* --- coverage: which entries were compared with AWS. The one home of that decision: check's findings, the live
 * report's rows and apply's plan all read it, so no command can pass over an entry another would fail on. --- */

/** A deliberately partial run (--only-account / --only-region, repeatable): borrowed arrays. All zero: the whole
 *  ledger is in scope. */
struct il_scope_decl {
    const char *const *accounts;
    size_t account_count;
    const char *const *regions;
    size_t region_count;
};

/** Whether @p decl declares a partial run. */
int il_scope_decl_active(const struct il_scope_decl *decl);
/** Whether @p account / @p region is inside @p decl (always, when nothing is declared). */
int il_scope_decl_covers(const struct il_scope_decl *decl, const char *account, const char *region);

/** How one ledger entry ended. */
enum il_coverage_state {
    IL_COVERAGE_COMPARED = 0, /* its account/region was verified and the function listed or confirmed missing */
    IL_COVERAGE_DECLARED_OUT, /* outside --only-account / --only-region: not compared, on purpose */
    IL_COVERAGE_SCOPE_FAILED, /* its account/region was examined but a call failed (the scope says why) */
    IL_COVERAGE_UNCONFIRMED,  /* its scope was verified but the function was neither listed nor confirmed missing */
    IL_COVERAGE_UNREACHABLE,  /* its account/region was not examined (or was skipped): this run cannot see it */
    IL_COVERAGE_INVALID,      /* the ARN or scan type is not valid: validate reports it (the run fails with 1) */
};

/** What the run could reach, for the coverage and its "how to reach it" hints. Borrowed. */
struct il_coverage_opts {
    struct il_scope_decl declared;
    const char *partition;      /* the run's partition ("aws", "aws-cn", "aws-us-gov") */
    const char *caller_account; /* GetCallerIdentity's account; NULL when unknown */
    int use_role;               /* per-account roles (--role-name / --role-arn-template) are in use */
    int roles_available;        /* the command has --role-name (check, report --live); apply has not */
};

/** Fill @p out from a run's options and plan (the declared scope, partition, per-account roles) and the caller's
 *  account (may be NULL); @p roles_available as in struct il_coverage_opts. Borrows from its arguments. */
void il_coverage_opts_for(const struct il_collect_opts *opts, const struct il_collect_plan *plan, const char *caller,
                          int roles_available, struct il_coverage_opts *out);

/** Per entry (ledger order) and in total. Caller-owned: il_coverage_release(). */
struct il_coverage {
    enum il_coverage_state *states;
    size_t total;        /* ledger entries */
    size_t compared;     /* IL_COVERAGE_COMPARED */
    size_t declared_out; /* IL_COVERAGE_DECLARED_OUT */
    size_t unreachable;  /* IL_COVERAGE_UNREACHABLE: each makes the run fail closed */
    int declared;        /* a partial scope was declared */
};

/** Decide every entry's coverage from @p inv. IL_ERR_NOMEM. All arguments borrowed; release @p cov. */
IL_MUST_CHECK enum il_status il_coverage_compute(const struct il_ledger *ledger, const struct il_inventory *inv,
                                                 const struct il_coverage_opts *opts, struct il_coverage *cov);
void il_coverage_release(struct il_coverage *cov);

/** "N of M entries compared" and, when a scope was declared, "; K outside the declared scope". Appends. */
IL_MUST_CHECK enum il_status il_coverage_summary(const struct il_coverage *cov, struct il_buf *out);

/**
 * Why the UNREACHABLE entry @p e was not compared and what would bring its account/region into scope (only what
 * would: a role for another account, a separate run for another partition), ending with how to declare a partial run
 * instead. @p inv gives a skipped scope's reason. Appends to @p out.
 */
IL_MUST_CHECK enum il_status il_coverage_explain(const struct il_coverage_opts *opts, const struct il_inventory *inv,
                                                 const struct il_ledger_entry *e, struct il_buf *out);

struct il_drift_opts {
    struct il_ledger_rule_opts rules;        /* as_of and warn_days: an entry is expired iff as_of > expires_at */
    int full;                                /* run scan-blind-cmk and deprecated-runtime over the whole inventory */
    const struct il_runtimes *runtimes;      /* required when full; borrowed */
    const struct il_coverage_opts *coverage; /* what the run could reach (hints, declared scope); NULL: nothing
                                                declared, hints without the caller's account */
};

/**
 * Compare @p ledger with @p inv. What could not be verified (rule not-verified: what makes a check exit 3) goes to
 * @p unverified, every other drift finding to @p findings, each list in the order found; they may be the same list.
 * All arguments are borrowed.
 */
IL_MUST_CHECK enum il_status il_drift_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                            const struct il_drift_opts *opts, struct il_diags *findings,
                                            struct il_diags *unverified);

#endif
