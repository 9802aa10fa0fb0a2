/**
 * Amazon Inspector (inspector2, rest-json): whether Lambda scanning is on for accounts (BatchGetAccountStatus), which
 * Lambda functions it covers, with their tags and why not (ListCoverage, every page), and the delegated
 * administrator's member accounts (ListMembers, every page). Results are caller-owned; parsers are strict: a member the
 * model requires that is missing, or any member of the wrong type, is IL_ERR_PARSE naming the request.
 *
 * IAM actions (the access-denied messages name them, aws_error.c): inspector2:BatchGetAccountStatus,
 * inspector2:ListCoverage, inspector2:ListMembers.
 */
#ifndef IL_AWS_INSPECTOR2_H
#define IL_AWS_INSPECTOR2_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/aws/error.h"
#include "il/aws/lambda.h"
#include "il/status.h"

struct il_inspector_account {
    char *account_id;
    char *status;             /* account state: "ENABLED", "DISABLED", ... */
    char *lambda_status;      /* resourceState.lambda.status, NULL when absent */
    char *lambda_code_status; /* resourceState.lambdaCode.status */
    char *error_code;         /* failedAccounts[].errorCode for accounts AWS could not answer for */
    char *error_message;
};

struct il_inspector_account_list {
    struct il_inspector_account *items;
    size_t count;
};
void il_inspector_account_list_release(struct il_inspector_account_list *list);

/** BatchGetAccountStatus for @p count account ids (0: the caller's own account; at most 100). Failed accounts are
 *  listed with error_code set. IL_ERR_INVALID for more than 100 ids. */
IL_MUST_CHECK enum il_status il_inspector2_batch_get_account_status(struct il_aws_client *client,
                                                                    const char *const *account_ids, size_t count,
                                                                    struct il_inspector_account_list *out,
                                                                    struct il_aws_error *err);
/** Queued variant (the *_start contract of lambda.h): @p account_ids are copied into the request at once. */
IL_MUST_CHECK enum il_status il_inspector2_batch_get_account_status_start(struct il_aws_client *client,
                                                                          const char *const *account_ids, size_t count,
                                                                          struct il_inspector_account_list *out,
                                                                          il_aws_complete_fn done, void *ctx);

struct il_inspector_coverage {
    char *resource_id;   /* the function ARN */
    char *resource_type; /* "AWS_LAMBDA_FUNCTION" (anything else is refused) */
    char *account_id;
    char *scan_type;     /* "PACKAGE", "CODE" */
    char *status_code;   /* "ACTIVE" / "INACTIVE"; NULL when Inspector sent no scanStatus */
    char *status_reason; /* "EXCLUDED_BY_TAG", ... */
    char *function_name; /* resourceMetadata.lambdaFunction.functionName, may be NULL */
    char *runtime;       /* resourceMetadata.lambdaFunction.runtime ("PYTHON_3_12"), may be NULL */
    int tags_known;      /* resourceMetadata.lambdaFunction.functionTags was present */
    struct il_tag_list tags;
};

struct il_inspector_coverage_list {
    struct il_inspector_coverage *items;
    size_t count;
};
void il_inspector_coverage_list_release(struct il_inspector_coverage_list *list);

/** What to list: resourceType AWS_LAMBDA_FUNCTION always, and these filters when set (strings borrowed until the call
 *  is done: every page repeats them). */
struct il_inspector_coverage_query {
    const char *account_id; /* accountId EQUALS (NULL: every account the caller sees) */
    const char *scan_type;  /* scanType EQUALS "PACKAGE" / "CODE" (NULL: both) */
    size_t max_items;       /* bound on memory over all pages (0: 1,000,000) */
};

/** ListCoverage filtered to resourceType AWS_LAMBDA_FUNCTION (and @p scan_type when not NULL), every page
 *  (maxResults 200, nextToken). @p max_items bounds memory (0: 1,000,000). */
IL_MUST_CHECK enum il_status il_inspector2_list_coverage(struct il_aws_client *client, const char *scan_type,
                                                         size_t max_items, struct il_inspector_coverage_list *out,
                                                         struct il_aws_error *err);
/** Queued ListCoverage for @p query (borrowed until @p done runs). */
IL_MUST_CHECK enum il_status il_inspector2_list_coverage_start(struct il_aws_client *client,
                                                               const struct il_inspector_coverage_query *query,
                                                               struct il_inspector_coverage_list *out,
                                                               il_aws_complete_fn done, void *ctx);

struct il_inspector_member {
    char *account_id;
    char *relationship_status; /* "ENABLED", "CREATED", "ACCOUNT_SUSPENDED", ... */
    char *delegated_admin_id;  /* may be NULL */
};

struct il_inspector_member_list {
    struct il_inspector_member *items;
    size_t count;
};
void il_inspector_member_list_release(struct il_inspector_member_list *list);

/** ListMembers with onlyAssociated=false (every member, whatever its relationship), every page (maxResults 50).
 *  @p max_items bounds memory (0: 100,000). */
IL_MUST_CHECK enum il_status il_inspector2_list_members(struct il_aws_client *client, size_t max_items,
                                                        struct il_inspector_member_list *out, struct il_aws_error *err);
/** Queued variant. */
IL_MUST_CHECK enum il_status il_inspector2_list_members_start(struct il_aws_client *client, size_t max_items,
                                                              struct il_inspector_member_list *out,
                                                              il_aws_complete_fn done, void *ctx);

#endif
