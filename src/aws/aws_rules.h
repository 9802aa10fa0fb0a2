/**
 * Private to src/aws: an evaluator for the Smithy endpoint rule sets the SDKs ship (endpoint-rule-set-1.json, embedded
 * from data/endpoint-rules-<service>.json) with the partitions table (data/partitions.json). It implements what the
 * rule sets of the services this tool calls use: the functions isSet, not, booleanEquals, stringEquals, getAttr and
 * aws.partition, `assign`, tree/endpoint/error rules and "{Var}" / "{Var#attr}" templates — so FIPS, dual-stack and
 * the STS global endpoint resolve to the hostnames the rule sets say, and an unsupported combination is the rule
 * set's own error. An unknown function is an error (never a guess).
 */
#ifndef IL_AWS_RULES_H
#define IL_AWS_RULES_H

#include "il/buf.h"
#include "il/status.h"

/** The rule-set parameters (the SDK built-ins). Strings borrowed; NULL: unset. */
struct il_rules_params {
    const char *region;      /* AWS::Region */
    const char *endpoint;    /* SDK::Endpoint (a configured endpoint URL) */
    int use_fips;            /* AWS::UseFIPS */
    int use_dualstack;       /* AWS::UseDualStack */
    int use_global_endpoint; /* AWS::STS::UseGlobalEndpoint (sts_regional_endpoints = legacy) */
};

/**
 * Evaluate the rule set embedded as @p ruleset ("endpoint-rules-sts.json"). On IL_OK *url_out is the endpoint URL
 * (new) and *signing_region_out (new, may come back NULL) the authSchemes signingRegion when the rule names one.
 * An error rule: IL_ERR_INVALID with the rule set's message appended to @p why. A malformed or unsupported rule
 * set: IL_ERR_INTERNAL with a reason.
 */
IL_MUST_CHECK enum il_status il_rules_resolve(const char *ruleset, const struct il_rules_params *params, char **url_out,
                                              char **signing_region_out, struct il_buf *why);

/** The partitions.json entry of @p region (explicit region, else regionRegex, else "aws"), borrowed from a
 *  process-lifetime parse; NULL for an invalid region name. Implemented in aws_endpoint.c. */
const struct cJSON *il_aws_partition_json(const char *region);

#endif
