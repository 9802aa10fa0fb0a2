/**
 * Credentials from assumed IAM roles: the assume-role provider (STS AssumeRole signed with the credentials of a
 * source provider), the shared-config `role_arn` profiles built on it, and the default chain with the settings that
 * tell providers how to reach STS (--endpoint-url, --debug) and whether an explicit --profile switches the
 * environment off (the AWS CLI's rule).
 *
 * Providers here follow credentials.h: callers obtain credentials only through il_credentials_provider_get(); the
 * credentials they return carry the STS Expiration, so a client asks again before they expire (client.h).
 */
#ifndef IL_AWS_ASSUME_ROLE_H
#define IL_AWS_ASSUME_ROLE_H

#include "il/aws/client.h"
#include "il/aws/credentials.h"

/** Longest chain of profiles (role_arn -> source_profile -> ...) followed; botocore has no limit, a cycle aside. */
#define IL_ASSUME_ROLE_MAX_DEPTH 8

/** How a provider reaches STS for AssumeRole / AssumeRoleWithWebIdentity. Strings are copied when a provider is
 *  created; every field may be NULL / zero. */
struct il_aws_settings;

struct il_sts_settings {
    const char *region;       /* NULL: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, else us-east-1 */
    const char *endpoint_url; /* NULL: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's endpoint_url, else
                                 the regional STS endpoint */
    il_aws_debug_fn debug_fn; /* trace the provider's STS requests (redacted like every trace); NULL: none */
    void *debug_ctx;
    const char *profile_region;             /* set by the profile providers from the selected profile; callers: NULL */
    const char *profile_endpoint_url;       /* likewise, the profile's `endpoint_url` */
    const struct il_aws_settings *settings; /* borrowed, may be NULL: the run's shared-config settings (FIPS,
                                               dual-stack, sts_regional_endpoints, services, retry, ca_bundle) */
};

struct il_assume_role_options {
    const char *role_arn;     /* required */
    const char *external_id;  /* NULL: none */
    const char *session_name; /* NULL: "inspector-ledger-<unix time>" at each AssumeRole */
    int duration_seconds;     /* 0: STS's default (1 hour) */
    const char *source_name;  /* the credentials' source (il_credentials_source); NULL:
                                 "assume-role (source: <the source credentials' source>)" */
    struct il_sts_settings sts;
};

/**
 * A provider that assumes @p options->role_arn with the credentials of @p source (taken: freed with this provider,
 * also when creation fails). Each get() is one STS AssumeRole; the source's credentials are kept while they are not
 * within IL_CREDENTIALS_REFRESH_MARGIN_S of expiring (so a credential_process or an inner role is not asked for every
 * refresh), and asked again once when STS says they expired. A source with no credentials, or an STS refusal:
 * IL_ERR_CREDENTIALS with the reason (role ARN, AWS error code and message; never a credential). Named
 * "assume-role". NULL when out of memory or without a role ARN.
 */
struct il_credentials_provider *
il_credentials_provider_assume_role_new_take(struct il_credentials_provider *source,
                                             const struct il_assume_role_options *options);

/** A provider answering with a copy of what @p client (borrowed: it must outlive the provider) would sign with now,
 *  refreshed by the client's own rules; the copy keeps its source name. For re-assuming a role from a run's current
 *  credentials (check's per-account roles). Named "client". NULL when out of memory or @p client is NULL. */
struct il_credentials_provider *il_credentials_provider_client_new(struct il_aws_client *client);

/** An assume-role provider (as il_credentials_provider_assume_role_new_take) whose source is
 *  il_credentials_provider_client_new(@p client) and whose STS calls go where @p client sends them (same region,
 *  endpoint and --debug trace); @p options->sts is ignored. @p client is borrowed and must outlive the provider. */
struct il_credentials_provider *
il_credentials_provider_assume_role_from_client_new(struct il_aws_client *client,
                                                    const struct il_assume_role_options *options);

/**
 * The selected profile's role, as botocore's AssumeRoleProvider: `role_arn` with either `source_profile` (followed
 * through further role profiles, at most IL_ASSUME_ROLE_MAX_DEPTH deep; a source profile with static keys is used
 * for its keys even when it also sets role_arn; a cycle is an error) or `credential_source` (Environment,
 * Ec2InstanceMetadata, EcsContainer), plus `external_id`, `duration_seconds`, `role_session_name`. A profile without
 * role_arn (or with web_identity_token_file): IL_ERR_NOTFOUND. Both or neither source setting, `mfa_serial`, an
 * unknown credential_source, a missing source profile, a cycle: IL_ERR_CREDENTIALS. Credentials' source:
 * "profile:NAME (assume-role)". Named "assume-role". @p sts may be NULL. Caller frees; NULL when out of memory.
 */
struct il_credentials_provider *il_credentials_provider_profile_role_new(const struct il_sts_settings *sts);

/** The web identity provider (credentials.h) with STS settings (--endpoint-url, --debug, region). */
struct il_credentials_provider *il_credentials_provider_web_identity_new_with(const struct il_sts_settings *sts);

/** The shared-files provider (credentials.h) with STS settings for the role profiles it resolves. */
struct il_credentials_provider *il_credentials_provider_profile_new_with(const struct il_sts_settings *sts);

struct il_credentials_chain_options {
    int explicit_profile;       /* --profile was given: skip the environment provider, as the AWS CLI does */
    struct il_sts_settings sts; /* for the providers that call STS */
};

/** The default chain in botocore's order: environment (unless @p options->explicit_profile), the profile's role
 *  (il_credentials_provider_profile_role_new), web identity, the profile's static keys / credential_process, then
 *  container and instance credentials where available. @p options may be NULL. Caller frees; NULL when out of
 *  memory. */
struct il_credentials_provider *
il_credentials_provider_default_new_with(const struct il_credentials_chain_options *options);

#endif
