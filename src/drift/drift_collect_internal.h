/* Internal to the collector (drift_collect.c drives accounts, drift_collect_steps.c drives each account/region scope).
 * Not part of the public API. */
#ifndef IL_DRIFT_COLLECT_INTERNAL_H
#define IL_DRIFT_COLLECT_INTERNAL_H

#include "il/aws/assume_role.h"
#include "il/aws/lambda.h"
#include "il/aws/sts.h"
#include "il/aws/tagging.h"
#include "il/drift/collect.h"

/* Requests in flight per scope for the per-function steps; the client's rate limit and concurrency cap pace them. */
#define IL_COLLECT_WINDOW 32

/* Requests in flight per scope for the per-function steps; the client's rate limit and concurrency cap pace them. */

struct il_collector;
struct il_collect_scope;

/* One request of a per-function step, reused for the next function when it finishes. */
struct il_collect_slot {
    struct il_collect_scope *scope;
    size_t index; /* into scope->work */
    int found;
    int busy; /* a ListTags is in flight (the tags step fills free slots as pages arrive) */
    struct il_lambda_function function;
    struct il_tag_list tags;
};

struct il_collect_scope {
    struct il_collector *c;
    const char *account; /* borrowed from the account */
    const char *region;  /* borrowed from the plan */
    struct il_aws_client *client;
    size_t outstanding;    /* requests of this scope in flight */
    size_t source_pending; /* source calls (GetResources, ListFunctions) not finished */
    int finished;          /* state recorded: nothing more is added */
    struct il_tagged_resource_list tagged[2];
    size_t tagged_count;
    const char **work; /* ARNs of the current per-function step (borrowed from the inventory or the ledger) */
    size_t work_count, work_cap, work_next;
    struct il_collect_slot *slots;
};

struct il_collect_account {
    struct il_collector *c;
    char *id;
    struct il_sts_assumed assumed;
    char *role_arn;                            /* the role assumed in this account, or NULL */
    struct il_credentials_provider *refresher; /* re-assumes the role when its credentials near expiry */
    struct il_collect_scope *scopes;           /* one per plan region */
};

struct il_collector {
    struct il_aws_client *root;
    const struct il_collect_plan *plan;
    const struct il_ledger *ledger;
    const struct il_collect_opts *opts;
    struct il_inventory *inv;
    char *caller_account;
    char *identify_failure; /* why GetCallerIdentity failed, or NULL */
    struct il_collect_account *accounts;
    size_t account_count;
    size_t scopes_total, scopes_done, requests;
    enum il_status fatal;
    struct il_collect_inspector *inspector; /* --tags-source inspector: the per-region jobs */
    /* more source calls per scope (--coverage: il_collect_coverage_start), installed by the driver so the scope
     * steps do not call back into the files that build on them */
    enum il_status (*extra_sources)(struct il_collect_scope *s);
};

/** Report progress through opts->progress. */
void il_collect_progress_emit(struct il_collector *c);
/** Remember the first fatal status (out of memory): the run's result. IL_OK is ignored. */
void il_collect_fatal(struct il_collector *c, enum il_status st);
/** Mark @p s FAILED with @p text as the reason (first failure wins; later ones are ignored). */
void il_collect_scope_fail_text(struct il_collect_scope *s, const char *text);
/** Start collecting one account/region scope with its client (s->client set). */
void il_collect_scope_start(struct il_collect_scope *s);
/** Mark @p s FAILED with AWS's answer @p err as the reason (first failure wins). */
void il_collect_scope_fail(struct il_collect_scope *s, const struct il_aws_error *err);
/** Mark @p s VERIFIED (unless it already failed). */
void il_collect_scope_verified(struct il_collect_scope *s);
/** A source call of @p s queued with source_pending++ and outstanding++ finished (@p err NULL or its error). */
void il_collect_source_done(struct il_collect_scope *s, const struct il_aws_error *err);

/* drift_inspector_collect.c: Inspector's view. */
/** --coverage: queue BatchGetAccountStatus and ListCoverage (filtered to the scope's account) as source calls of
 *  @p s; what they answer goes to opts->coverage_out. */
IL_MUST_CHECK enum il_status il_collect_coverage_start(struct il_collect_scope *s);
/** --tags-source inspector: from the caller's (the delegated administrator's) credentials, per region one ListMembers,
 *  BatchGetAccountStatus for the plan's accounts and one ListCoverage chain; each account's scope is then VERIFIED
 *  from what Inspector showed, or FAILED naming why Inspector does not cover it. */
void il_collect_inspector_start(struct il_collector *c);
/** Free what il_collect_inspector_start() kept. */
void il_collect_inspector_release(struct il_collector *c);

#endif
