/**
 * Amazon Inspector (inspector2, rest-json): whether Lambda scanning is on for accounts (BatchGetAccountStatus) and
 * which Lambda functions it covers and why not (ListCoverage, every page). Results are caller-owned.
 */
#ifndef IL_AWS_INSPECTOR2_H
#define IL_AWS_INSPECTOR2_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/aws/error.h"
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

/** BatchGetAccountStatus for @p count account ids (0: the caller's own account). Failed accounts are listed with
 *  error_code set. */
IL_MUST_CHECK enum il_status il_inspector2_batch_get_account_status(struct il_aws_client *client,
                                                                    const char *const *account_ids, size_t count,
                                                                    struct il_inspector_account_list *out,
                                                                    struct il_aws_error *err);

struct il_inspector_coverage {
    char *resource_id;   /* the function ARN */
    char *resource_type; /* "AWS_LAMBDA_FUNCTION" */
    char *account_id;
    char *scan_type;     /* "PACKAGE", "CODE" */
    char *status_code;   /* "ACTIVE" / "INACTIVE" */
    char *status_reason; /* "EXCLUDED_BY_TAG", ... */
};

struct il_inspector_coverage_list {
    struct il_inspector_coverage *items;
    size_t count;
};
void il_inspector_coverage_list_release(struct il_inspector_coverage_list *list);

/** ListCoverage filtered to resourceType AWS_LAMBDA_FUNCTION (and @p scan_type when not NULL), every page
 *  (maxResults 200, nextToken). @p max_items bounds memory (0: 1,000,000). */
IL_MUST_CHECK enum il_status il_inspector2_list_coverage(struct il_aws_client *client, const char *scan_type,
                                                         size_t max_items, struct il_inspector_coverage_list *out,
                                                         struct il_aws_error *err);

#endif
