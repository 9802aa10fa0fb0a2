/**
 * The AWS operations this tool can call: ONE table binding each operation to its service, wire name, HTTP method
 * and the IAM action that authorises it. Every request is set up from its row (il_aws_call_init takes an
 * enum il_aws_op), access-denied messages name the row's action, and `inspector-ledger iam-policy` prints the
 * policy from the same rows, so the policy names exactly what the code can call (tests/cli/test_iam_policy.sh and
 * tests/integration/test_iam_policy.py prove it). Adding a call means adding a row here.
 *
 * All strings are static.
 */
#ifndef IL_AWS_OPS_H
#define IL_AWS_OPS_H

#include <stddef.h>

#include "il/aws/endpoint.h"
#include "il/buf.h"
#include "il/status.h"

enum il_aws_op {
    IL_AWS_OP_STS_GET_CALLER_IDENTITY = 0,
    IL_AWS_OP_STS_ASSUME_ROLE,
    IL_AWS_OP_STS_ASSUME_ROLE_WITH_WEB_IDENTITY,
    IL_AWS_OP_LAMBDA_LIST_FUNCTIONS,
    IL_AWS_OP_LAMBDA_LIST_TAGS,
    IL_AWS_OP_LAMBDA_GET_FUNCTION,
    IL_AWS_OP_LAMBDA_TAG_RESOURCE,
    IL_AWS_OP_LAMBDA_UNTAG_RESOURCE,
    IL_AWS_OP_TAGGING_GET_RESOURCES,
    IL_AWS_OP_INSPECTOR2_BATCH_GET_ACCOUNT_STATUS,
    IL_AWS_OP_INSPECTOR2_LIST_COVERAGE,
    IL_AWS_OP_INSPECTOR2_LIST_MEMBERS,
    IL_AWS_OP_ORGANIZATIONS_LIST_ACCOUNTS,
    IL_AWS_OP_COUNT,
};

/** Which policy of `iam-policy` needs an operation's action (bits; a row may belong to several). */
enum il_iam_use {
    IL_IAM_USE_READ = 1 << 0,         /* check, report --live, and apply's reading (the default policy) */
    IL_IAM_USE_APPLY = 1 << 1,        /* apply --yes: the tag writes */
    IL_IAM_USE_COVERAGE = 1 << 2,     /* Inspector coverage and account status */
    IL_IAM_USE_ORGANIZATION = 1 << 3, /* the organization's account list */
    IL_IAM_USE_ASSUME_ROLE = 1 << 4,  /* the hub assuming the role in each account (--role-name, --role-arn...) */
};

/** What a policy statement for the action may name as Resource. */
enum il_iam_resource {
    IL_IAM_RESOURCE_ANY = 0,  /* the action has no resource type: "*" */
    IL_IAM_RESOURCE_FUNCTION, /* a Lambda function ARN */
    IL_IAM_RESOURCE_ROLE,     /* an IAM role ARN */
};

struct il_aws_op_info {
    enum il_aws_op op;
    enum il_aws_service service;
    const char *operation;  /* "ListTags": the wire name, in traces and error reports */
    const char *method;     /* "GET" */
    const char *iam_action; /* "lambda:ListTags": named when access is denied */
    unsigned uses;          /* enum il_iam_use bits; 0: AWS authorises it without an IAM permission
                               (GetCallerIdentity; AssumeRoleWithWebIdentity is unsigned, the role's trust decides) */
    enum il_iam_resource resource;
    int tag_keys; /* the request names tag keys: a policy can allow only the exclusion keys (aws:TagKeys) */
};

/** The row of @p op (never NULL for a valid op; NULL out of range). */
const struct il_aws_op_info *il_aws_op(enum il_aws_op op);
/** The row with this service name ("lambda", "tagging", "sts", "inspector2") and operation, or NULL. */
const struct il_aws_op_info *il_aws_op_find(const char *service, const char *operation);

/* ---- the least-privilege policy from the same rows (aws_call_policy.c) ---- */

/** What the policy is for. Borrowed. */
struct il_iam_policy_opts {
    unsigned uses;               /* enum il_iam_use bits; IL_IAM_USE_READ is always included */
    const char *partition;       /* "aws" (default when NULL), "aws-cn", "aws-us-gov" */
    const char *const *accounts; /* function and role ARNs name these accounts; none: any account ("*") */
    size_t account_count;
    const char *role_name;         /* the per-account role: arn:PARTITION:iam::ACCOUNT:role/NAME */
    const char *role_arn_template; /* or a template with "{account}" */
    const char *role_arn;          /* or one fixed role (--role-arn) */
    const char *const *tag_keys;   /* the only tag keys the writes may name (aws:TagKeys); none: no condition */
    size_t tag_key_count;
};

/**
 * The IAM policy document (JSON, 2-space indented, ending in a newline) allowing exactly the IAM actions of the rows
 * whose uses are asked for, one statement per (use, resource kind): "*" where the action has no resource type,
 * function ARNs for Lambda's per-function actions (writes limited to @p opts->tag_keys), role ARNs for AssumeRole.
 * Rows with no IAM permission (uses 0) are left out. Appends to @p out. IL_ERR_INVALID with the reason in @p why: a
 * use no row has, the assume-role use without a role, a bad partition, account or template.
 */
IL_MUST_CHECK enum il_status il_iam_policy_json(const struct il_iam_policy_opts *opts, struct il_buf *out,
                                                struct il_buf *why);

#endif
