/**
 * `--organization` / `--all-accounts`: every account of the AWS organization is in scope. Organizations ListAccounts
 * (organizations:ListAccounts, every page) from the caller — the management account or a delegated administrator —
 * gives the accounts; ACTIVE ones are checked (through --role-name or the inspector source), SUSPENDED and closed ones
 * are notices. An Organizations error is the caller's exit 3: never an empty scope.
 */
#ifndef IL_DRIFT_ORGANIZATION_H
#define IL_DRIFT_ORGANIZATION_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/aws/organizations.h"
#include "il/buf.h"
#include "il/drift/collect.h"
#include "il/drift/inventory.h"
#include "il/status.h"

/** The organization's accounts. Zero-initialise; il_collect_org_release() frees it. */
struct il_collect_org {
    struct il_org_account_list accounts;
    const char **active; /* ids of the ACTIVE accounts (borrowed from accounts) */
    size_t active_count;
    const struct il_org_account **inactive; /* SUSPENDED, PENDING_CLOSURE, CLOSED ... */
    size_t inactive_count;
};
void il_collect_org_release(struct il_collect_org *org);

/**
 * List the accounts with @p root (the run's client; a client for Organizations' home region of @p partition is
 * derived from it). IL_ERR_AWS / IL_ERR_PARSE / ... with the reason (the request, AWS's answer, the missing IAM action)
 * in @p why; IL_ERR_NOTFOUND when the organization lists no account at all (an empty scope is never a pass).
 */
IL_MUST_CHECK enum il_status il_collect_org_list(struct il_aws_client *root, const char *partition,
                                                 struct il_collect_org *org, struct il_buf *why);

/** Take the organization's inactive accounts out of @p plan (the ledger may name them). */
void il_collect_org_drop_inactive(const struct il_collect_org *org, struct il_collect_plan *plan);

/** Record every inactive account's scopes (each plan region) as SKIPPED with the reason: a notice, not a failure. */
IL_MUST_CHECK enum il_status il_collect_org_mark(const struct il_collect_org *org, const struct il_collect_plan *plan,
                                                 struct il_inventory *inv);

#endif
