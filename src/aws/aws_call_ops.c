/* The one table of AWS operations (il/aws/ops.h): wire name, method, IAM action and which policy needs it. */
#include "il/aws/ops.h"

#include <string.h>

#define S_ANY IL_IAM_RESOURCE_ANY
#define S_FN IL_IAM_RESOURCE_FUNCTION
#define S_ROLE IL_IAM_RESOURCE_ROLE

/* In enum order (il_aws_op() indexes it; a unit test checks the order). */
static const struct il_aws_op_info s_ops[IL_AWS_OP_COUNT] = {
    {IL_AWS_OP_STS_GET_CALLER_IDENTITY, IL_AWS_STS, "GetCallerIdentity", "POST", "sts:GetCallerIdentity", 0, S_ANY, 0},
    {IL_AWS_OP_STS_ASSUME_ROLE, IL_AWS_STS, "AssumeRole", "POST", "sts:AssumeRole", IL_IAM_USE_ASSUME_ROLE, S_ROLE, 0},
    {IL_AWS_OP_STS_ASSUME_ROLE_WITH_WEB_IDENTITY, IL_AWS_STS, "AssumeRoleWithWebIdentity", "POST",
     "sts:AssumeRoleWithWebIdentity", 0, S_ROLE, 0},
    {IL_AWS_OP_LAMBDA_LIST_FUNCTIONS, IL_AWS_LAMBDA, "ListFunctions", "GET", "lambda:ListFunctions", IL_IAM_USE_READ,
     S_ANY, 0},
    {IL_AWS_OP_LAMBDA_LIST_TAGS, IL_AWS_LAMBDA, "ListTags", "GET", "lambda:ListTags", IL_IAM_USE_READ, S_FN, 0},
    {IL_AWS_OP_LAMBDA_GET_FUNCTION, IL_AWS_LAMBDA, "GetFunction", "GET", "lambda:GetFunction", IL_IAM_USE_READ, S_FN,
     0},
    {IL_AWS_OP_LAMBDA_TAG_RESOURCE, IL_AWS_LAMBDA, "TagResource", "POST", "lambda:TagResource", IL_IAM_USE_APPLY, S_FN,
     1},
    {IL_AWS_OP_LAMBDA_UNTAG_RESOURCE, IL_AWS_LAMBDA, "UntagResource", "DELETE", "lambda:UntagResource",
     IL_IAM_USE_APPLY, S_FN, 1},
    {IL_AWS_OP_TAGGING_GET_RESOURCES, IL_AWS_TAGGING, "GetResources", "POST", "tag:GetResources", IL_IAM_USE_READ,
     S_ANY, 0},
    {IL_AWS_OP_INSPECTOR2_BATCH_GET_ACCOUNT_STATUS, IL_AWS_INSPECTOR2, "BatchGetAccountStatus", "POST",
     "inspector2:BatchGetAccountStatus", IL_IAM_USE_COVERAGE, S_ANY, 0},
    {IL_AWS_OP_INSPECTOR2_LIST_COVERAGE, IL_AWS_INSPECTOR2, "ListCoverage", "POST", "inspector2:ListCoverage",
     IL_IAM_USE_COVERAGE, S_ANY, 0},
    /* --tags-source inspector: which member accounts the delegated administrator covers */
    {IL_AWS_OP_INSPECTOR2_LIST_MEMBERS, IL_AWS_INSPECTOR2, "ListMembers", "POST", "inspector2:ListMembers",
     IL_IAM_USE_COVERAGE, S_ANY, 0},
    {IL_AWS_OP_ORGANIZATIONS_LIST_ACCOUNTS, IL_AWS_ORGANIZATIONS, "ListAccounts", "POST", "organizations:ListAccounts",
     IL_IAM_USE_ORGANIZATION, S_ANY, 0},
};

const struct il_aws_op_info *il_aws_op(enum il_aws_op op) {
    return (unsigned)op < IL_AWS_OP_COUNT ? &s_ops[op] : NULL;
}

const struct il_aws_op_info *il_aws_op_find(const char *service, const char *operation) {
    if (service == NULL || operation == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < IL_AWS_OP_COUNT; i++) {
        if (strcmp(il_aws_service_name(s_ops[i].service), service) == 0 && strcmp(s_ops[i].operation, operation) == 0) {
            return &s_ops[i];
        }
    }
    return NULL;
}
