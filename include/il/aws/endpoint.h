/**
 * AWS endpoints: partitions (from the embedded partitions.json), service URLs, region resolution and the SDKs'
 * endpoint overrides (--endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, profile endpoint_url,
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS).
 *
 * Environment variables are read through an optional getenv hook so tests can resolve without touching the process
 * environment. Profile values (issue 6 parses the shared config file) are passed in as plain strings.
 */
#ifndef IL_AWS_ENDPOINT_H
#define IL_AWS_ENDPOINT_H

#include <stddef.h>

#include "il/buf.h"
#include "il/status.h"

/** The services this tool calls. */
enum il_aws_service {
    IL_AWS_LAMBDA = 0,
    IL_AWS_TAGGING,
    IL_AWS_STS,
    IL_AWS_INSPECTOR2,
    IL_AWS_ORGANIZATIONS, /* global: ListAccounts signed for the partition's home region (us-east-1 in aws) */
    IL_AWS_SSO,           /* the IAM Identity Center portal (GetRoleCredentials): portal.sso.<region>... */
    IL_AWS_SERVICE_COUNT,
};

/** The services an il_aws_client resolves endpoints for when it is created (the ones it calls). */
#define IL_AWS_CLIENT_SERVICE_COUNT (IL_AWS_ORGANIZATIONS + 1)

/** Short name used in diagnostics and as the SigV4 signing name: "lambda", "tagging", "sts", "inspector2". Static. */
const char *il_aws_service_name(enum il_aws_service service);
/** The SDK service id as used in AWS_ENDPOINT_URL_<ID>: "LAMBDA", "RESOURCE_GROUPS_TAGGING_API", "STS",
 *  "INSPECTOR2". Static. */
const char *il_aws_service_env_id(enum il_aws_service service);

/** The service id as a `[services NAME]` key: "lambda", "resource_groups_tagging_api", "sts", "inspector2",
 *  "organizations", "sso". Static. */
const char *il_aws_service_config_id(enum il_aws_service service);

/** getenv-like hook: returns a borrowed value or NULL. */
typedef const char *(*il_getenv_fn)(void *ctx, const char *name);

/** Partition facts for one region (strings borrowed from static storage or the embedded table: never freed). */
struct il_aws_partition {
    char id[32];         /* "aws", "aws-cn", "aws-us-gov" */
    char dns_suffix[64]; /* "amazonaws.com", "amazonaws.com.cn" */
};

/**
 * Find the partition of @p region: an explicit region listed in partitions.json, else the first partition whose
 * regionRegex matches, else "aws" (as the SDKs do). IL_ERR_INVALID for an empty or malformed region name
 * (only [a-z0-9-] allowed, at most 63 characters).
 */
IL_MUST_CHECK enum il_status il_aws_partition_for_region(const char *region, struct il_aws_partition *out);

/**
 * The regions of partition @p partition_id listed in partitions.json, excluding the pseudo regions "*-global".
 * *regions is a new NULL-terminated array of new strings; free with il_aws_strv_free(). IL_ERR_NOTFOUND for an
 * unknown partition.
 */
IL_MUST_CHECK enum il_status il_aws_partition_regions(const char *partition_id, char ***regions, size_t *count);
/** Free a NULL-terminated string array; accepts NULL. */
void il_aws_strv_free(char **strv);

/** Inputs to endpoint resolution. All strings borrowed; any may be NULL. */
struct il_aws_endpoint_config {
    const char *endpoint_url; /* --endpoint-url: every service, beats everything */
    il_getenv_fn getenv_fn;   /* NULL: the process environment */
    void *getenv_ctx;
    const char *profile_endpoint_url;                               /* profile `endpoint_url` */
    const char *profile_service_endpoint_url[IL_AWS_SERVICE_COUNT]; /* profile `services` section, per service */
    int profile_ignore_configured; /* profile `ignore_configured_endpoint_urls = true` (the variable, when set,
                                      decides instead) */
    int use_fips;                  /* use_fips_endpoint: the rule set's FIPS endpoint, or its error */
    int use_dualstack;             /* use_dualstack_endpoint */
    int sts_global;                /* sts_regional_endpoints = legacy: STS's global endpoint where the rule says */
};

/**
 * The base URL for @p service in @p region, without a trailing slash, as botocore resolves it. The configured URL:
 * --endpoint-url; then, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (when set; else the profile setting) is true,
 * AWS_ENDPOINT_URL_<SERVICE>, the profile's services-section endpoint_url, AWS_ENDPOINT_URL, the profile's
 * endpoint_url. That URL (or none) then goes through the service's endpoint rule set with the region and the FIPS,
 * dual-stack and STS-global flags, so FIPS/dual-stack hostnames are the rule set's, and a combination it refuses
 * (FIPS with a custom endpoint, FIPS in a partition without it) is IL_ERR_INVALID naming the service and region.
 * An override must be an http:// or https:// URL without query or fragment (IL_ERR_INVALID, reason appended to
 * @p why naming the variable). *url_out is new (caller frees). *source_out (may be NULL) gets a static description
 * of where the URL came from ("AWS_ENDPOINT_URL_LAMBDA", "endpoint rule set").
 */
IL_MUST_CHECK enum il_status il_aws_endpoint_resolve(const struct il_aws_endpoint_config *config,
                                                     enum il_aws_service service, const char *region, char **url_out,
                                                     const char **source_out, struct il_buf *why);

/** il_aws_endpoint_resolve(), also giving the rule's SigV4 signing region when it names one (STS's global endpoint
 *  signs for us-east-1): *signing_region_out new or NULL (may itself be NULL). */
IL_MUST_CHECK enum il_status il_aws_endpoint_resolve_ex(const struct il_aws_endpoint_config *config,
                                                        enum il_aws_service service, const char *region, char **url_out,
                                                        char **signing_region_out, const char **source_out,
                                                        struct il_buf *why);

/**
 * The region to use: @p cli_region (--region), AWS_REGION, AWS_DEFAULT_REGION, @p profile_region, in that order
 * (empty values are skipped). *out is new (caller frees). IL_ERR_NOTFOUND with a reason in @p why when none is set;
 * IL_ERR_INVALID when the chosen value is not a region name.
 */
IL_MUST_CHECK enum il_status il_aws_region_resolve(const char *cli_region, const char *profile_region,
                                                   il_getenv_fn getenv_fn, void *getenv_ctx, char **out,
                                                   struct il_buf *why);

/** Whether @p text is a plausible region name ([a-z0-9-], 1..63 chars). */
int il_aws_region_is_valid(const char *text);

#endif
