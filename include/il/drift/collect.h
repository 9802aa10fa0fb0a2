/**
 * Collecting the live inventory for `check`: which accounts and regions are in scope, and what AWS shows there.
 *
 * Flow: il_collect_plan_build() decides the scope (pure: no AWS calls) -> il_collect_run() asks AWS, concurrently for
 * every account and region, and fills a struct il_inventory -> the drift rules (drift.h) compare it with the ledger.
 *
 * Fail closed: every call that still fails after the client's retries marks its account/region scope FAILED with a
 * reason naming the operation, the error code and, for an access denial, the missing IAM action. Nothing here
 * prints; progress is reported through a callback.
 */
#ifndef IL_COLLECT_H
#define IL_COLLECT_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/buf.h"
#include "il/drift/inventory.h"
#include "il/drift/scan_coverage.h"
#include "il/ledger.h"
#include "il/status.h"

/** Where the exclusion tags come from (--tags-source). */
enum il_tags_source {
    IL_TAGS_SOURCE_TAGGING = 0, /* Resource Groups Tagging API GetResources, filtered on each exclusion key */
    IL_TAGS_SOURCE_LAMBDA,      /* ListFunctions, then ListTags for every function (authoritative) */
    IL_TAGS_SOURCE_INSPECTOR,   /* the delegated administrator's Inspector2 ListCoverage: every member's functions,
                                   tags and scan status, no role per account */
};

/** Parse "tagging" / "lambda" / "inspector"; IL_ERR_INVALID otherwise. */
IL_MUST_CHECK enum il_status il_tags_source_parse(const char *name, enum il_tags_source *out);
/** "tagging", "lambda" or "inspector". */
const char *il_tags_source_str(enum il_tags_source source);

/** What the collection has done so far (for a progress line). */
struct il_collect_progress {
    size_t scopes_total; /* account/region pairs in scope (0 until the accounts are known) */
    size_t scopes_done;  /* verified, failed or skipped */
    size_t functions;    /* functions in the inventory */
    size_t requests;     /* AWS requests finished */
};
typedef void (*il_collect_progress_fn)(void *ctx, const struct il_collect_progress *progress);

/** Options; every pointer is borrowed for the call. Zero-initialise and set what is given. */
struct il_collect_opts {
    const char *const *regions; /* --region, repeatable */
    size_t region_count;
    int all_regions;             /* --all-regions: every region of the home region's partition */
    const char *const *accounts; /* --account, repeatable (needs a role) */
    size_t account_count;
    const char *role_name;         /* --role-name NAME: arn:PARTITION:iam::ACCOUNT:role/NAME in every account */
    const char *role_arn_template; /* --role-arn-template with "{account}" */
    const char *external_id;       /* --external-id for AssumeRole */
    /* --only-account / --only-region (repeatable): a declared partial run. Only these accounts (with a role) and
     * regions are examined; entries outside them are counted "outside the declared scope" instead of failing the
     * run (drift.h, il_coverage_compute). */
    const char *const *only_accounts;
    size_t only_account_count;
    const char *const *only_regions;
    size_t only_region_count;
    enum il_tags_source tags_source;
    int full;          /* --full: the whole ListFunctions inventory (runtime, KMS key) as well */
    int scan_coverage; /* --coverage: Inspector's account status and coverage per scope (into coverage_out) */
    struct il_scan_cov *scan_cov_out; /* borrowed; required with coverage or the inspector source */
    const char *const *org_accounts;  /* --organization: the ACTIVE accounts ListAccounts gave (borrowed) */
    size_t org_account_count;
    const char *profile_region; /* the selected profile's `region` (il/aws/settings.h), after AWS_REGION */
    il_collect_progress_fn progress;
    void *progress_ctx;
};

/** The scope: regions and, with a role, accounts. Caller-owned; il_collect_plan_release() frees it. */
struct il_collect_plan {
    char partition[32]; /* "aws", "aws-cn", "aws-us-gov": the home region's */
    char **regions;     /* sorted, unique */
    size_t region_count;
    char **accounts; /* with a role: the ledger's accounts and --account, sorted, unique; else none (the
                        caller's account is learnt from GetCallerIdentity) */
    size_t account_count;
    int use_role;
};

/**
 * Decide the scope from @p opts, the ledger (may be NULL) and @p home_region (the resolved region the client uses).
 * Regions: --region values (or @p home_region when none is given), every region the ledger's ARNs name in the home
 * partition, and with --all-regions the partition's regions; with --only-region exactly those regions. Accounts (with
 * a role): the ledger's and --account, or exactly --only-account. IL_ERR_INVALID with a reason in @p why for a bad
 * --region / --account / --only-* value, a --region or --account outside the declared scope, --all-regions with
 * --only-region, a template without "{account}", or --account without a role.
 */
IL_MUST_CHECK enum il_status il_collect_plan_build(const struct il_collect_opts *opts, const struct il_ledger *ledger,
                                                   const char *home_region, struct il_collect_plan *plan,
                                                   struct il_buf *why);
void il_collect_plan_release(struct il_collect_plan *plan);

/**
 * The home region (STS calls, the partition): AWS_REGION, AWS_DEFAULT_REGION, else the first --region, else the first
 * region @p ledger (may be NULL) names. Not --region first: a region given to be checked may be one that rejects the
 * credentials (an opt-in region), and the caller's identity must still be learnt somewhere that answers. *out is new
 * (caller frees). IL_ERR_NOTFOUND / IL_ERR_INVALID with the reason in @p why (reset first: only the reason for the
 * answer is kept).
 */
IL_MUST_CHECK enum il_status il_collect_home_region(const struct il_collect_opts *opts, const struct il_ledger *ledger,
                                                    char **out, struct il_buf *why);

/** The role ARN to assume in @p account: the template with "{account}" replaced, else
 *  arn:PARTITION:iam::ACCOUNT:role/ROLE_NAME. Appends to @p out. */
IL_MUST_CHECK enum il_status il_collect_role_arn(const struct il_collect_opts *opts, const char *partition,
                                                 const char *account, struct il_buf *out);

/**
 * A one-line description of the scope for people (the live report's "scope"): the accounts (with a role: which one;
 * else @p caller_account, may be NULL when GetCallerIdentity failed), the regions, and the tag source. Appends to
 * @p out. Strings in it (the role name, the template) come from the command line.
 */
IL_MUST_CHECK enum il_status il_collect_plan_describe(const struct il_collect_plan *plan,
                                                      const struct il_collect_opts *opts, const char *caller_account,
                                                      struct il_buf *out);

/** Whether @p region is an opt-in region (launched after March 2019: disabled until an account enables it). */
int il_collect_region_is_opt_in(const char *region);

/** Who ran the check (GetCallerIdentity), filled by il_collect_run(); strings owned, free with
 *  il_collect_identity_release(). Empty when the call failed. */
struct il_collect_identity {
    char *account;
    char *arn;
};
void il_collect_identity_release(struct il_collect_identity *identity);

/**
 * Collect the inventory for @p plan with @p client (the root client: home region, default credentials), adding every
 * function seen and every scope's state to @p inv. Each scope ends VERIFIED, FAILED (with a reason) or SKIPPED (with a
 * reason: an opt-in region that is not enabled, under --all-regions). Returns IL_OK when the collection ran, whatever
 * AWS answered; IL_ERR_NOMEM / IL_ERR_INTERNAL only when it could not (then @p inv is incomplete and must not be
 * used for a verdict). @p identity may be NULL.
 */
IL_MUST_CHECK enum il_status il_collect_run(struct il_aws_client *client, const struct il_collect_plan *plan,
                                            const struct il_ledger *ledger, const struct il_collect_opts *opts,
                                            struct il_inventory *inv, struct il_collect_identity *identity);

#endif
