/**
 * AWS Organizations (json 1.1, `AWSOrganizationsV20161128.*`): every account of the organization (ListAccounts, every
 * page), from the management account or a delegated administrator. Organizations is a global service: the client
 * must be one for the partition's home region (il_organizations_region()), which the requests are signed for.
 * Results are caller-owned. IAM action: organizations:ListAccounts (named in access-denied messages, aws_error.c).
 */
#ifndef IL_AWS_ORGANIZATIONS_H
#define IL_AWS_ORGANIZATIONS_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/aws/error.h"
#include "il/status.h"

struct il_org_account {
    char *id;     /* 12 digits */
    char *name;   /* may be NULL */
    char *status; /* "ACTIVE", "SUSPENDED", "PENDING_CLOSURE"; may be NULL when only State is sent */
    char *state;  /* "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED", "PENDING_ACTIVATION"; may be NULL */
};

struct il_org_account_list {
    struct il_org_account *items;
    size_t count;
};
void il_org_account_list_release(struct il_org_account_list *list);

/** Whether @p a is active: State ACTIVE when sent (Status is deprecated by AWS), else Status ACTIVE. */
int il_org_account_is_active(const struct il_org_account *a);

/** The region Organizations requests are signed for in @p partition ("aws" -> us-east-1, "aws-us-gov" ->
 *  us-gov-west-1, "aws-cn" -> cn-northwest-1); NULL for a partition without Organizations. Static. */
const char *il_organizations_region(const char *partition);

/** ListAccounts, every page (MaxResults 20, NextToken). @p max_items bounds memory (0: 100,000). */
IL_MUST_CHECK enum il_status il_organizations_list_accounts(struct il_aws_client *client, size_t max_items,
                                                            struct il_org_account_list *out, struct il_aws_error *err);

#endif
