/**
 * The AWS settings of a run, read as the AWS CLI v2 / botocore read them from the command line, the environment and
 * the selected profile of the shared config (AWS_CONFIG_FILE, ~/.aws/config) and credentials files, in the CLI's
 * precedence: flag > environment > profile > default. Every value remembers where it came from ("AWS_RETRY_MODE",
 * "profile dev (/home/u/.aws/config:7)", "default") for --debug and for the refusal of a bad value.
 *
 * Settings: the profile itself (a named profile that exists in neither file is refused: "the config profile (P) could
 * not be found", even when key variables are set), region, endpoint_url, services (the `[services NAME]` section's
 * per-service endpoint_url), ignore_configured_endpoint_urls, max_attempts, retry_mode, ca_bundle,
 * use_fips_endpoint, use_dualstack_endpoint, sts_regional_endpoints.
 */
#ifndef IL_AWS_SETTINGS_H
#define IL_AWS_SETTINGS_H

#include "il/aws/endpoint.h"
#include "il/buf.h"
#include "il/status.h"

enum il_aws_retry_mode {
    IL_RETRY_MODE_STANDARD = 0, /* the AWS CLI v2 default */
    IL_RETRY_MODE_LEGACY,
    IL_RETRY_MODE_ADAPTIVE, /* standard + the client-side rate limiter (il/aws/adaptive.h) */
};

/** "standard", "legacy", "adaptive". Static. */
const char *il_aws_retry_mode_name(enum il_aws_retry_mode mode);
/** The default max_attempts of @p mode: 5 for legacy, 3 for standard and adaptive (botocore's). */
unsigned il_aws_retry_mode_default_attempts(enum il_aws_retry_mode mode);

/** One string setting: both NULL when unset. Owned by the settings. */
struct il_aws_setting {
    char *value;
    char *source;
};

/** The resolved settings. Fill with il_aws_settings_load(), release with il_aws_settings_release(). */
struct il_aws_settings {
    char *profile;                      /* the selected profile ("default" unless named) */
    char *profile_source;               /* "--profile", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "default" */
    char *config_path;                  /* the shared config file read (may be NULL without HOME) */
    struct il_aws_setting region;       /* profile `region` (AWS_REGION / AWS_DEFAULT_REGION are the resolver's) */
    struct il_aws_setting endpoint_url; /* profile `endpoint_url` */
    struct il_aws_setting services;     /* profile `services` (the section name) */
    struct il_aws_setting service_endpoint_url[IL_AWS_SERVICE_COUNT]; /* `[services NAME]` <id>.endpoint_url */
    int ignore_configured;
    char *ignore_configured_source;
    unsigned max_attempts; /* the flag, AWS_MAX_ATTEMPTS, profile, else the mode's default */
    char *max_attempts_source;
    enum il_aws_retry_mode retry_mode;
    char *retry_mode_source;
    struct il_aws_setting ca_bundle; /* AWS_CA_BUNDLE, profile `ca_bundle` */
    int use_fips;
    char *use_fips_source;
    int use_dualstack;
    char *use_dualstack_source;
    int sts_global; /* sts_regional_endpoints = legacy (the CLI v2 default is regional) */
    char *sts_regional_source;
};

/** Command-line values (borrowed; NULL / 0: not given) and the environment hook (NULL: the process environment). */
struct il_aws_settings_flags {
    const char *profile;   /* --profile */
    unsigned max_attempts; /* --max-attempts */
    il_getenv_fn getenv_fn;
    void *getenv_ctx;
};

/**
 * Resolve every setting. @p out is zeroed first and must be released whatever the result. Refusals, each with a
 * reason in @p why naming the setting, the value and where it came from:
 * IL_ERR_INVALID for a named profile in neither file (a configuration error, exit 2, naming --profile,
 * AWS_PROFILE or AWS_DEFAULT_PROFILE);
 * IL_ERR_NOTFOUND for a `services` section that does not exist;
 * IL_ERR_INVALID for a bad value (retry_mode not legacy/standard/adaptive, max_attempts not 1..20, a boolean not
 * true/false, sts_regional_endpoints not legacy/regional, an invalid region, an unreadable ca_bundle);
 * IL_ERR_PARSE for a malformed config or credentials file (file:line:col); IL_ERR_NOMEM.
 */
IL_MUST_CHECK enum il_status il_aws_settings_load(const struct il_aws_settings_flags *flags,
                                                  struct il_aws_settings *out, struct il_buf *why);
void il_aws_settings_release(struct il_aws_settings *s);

/** Copy the endpoint-related settings into @p cfg (strings borrowed from @p s; cfg's endpoint_url and getenv hook
 *  are left as they are). */
void il_aws_settings_endpoints(const struct il_aws_settings *s, struct il_aws_endpoint_config *cfg);

/** Call @p line once per setting in use, "[aws] config: retry_mode = adaptive (from AWS_RETRY_MODE)". */
void il_aws_settings_trace(const struct il_aws_settings *s, void (*line)(void *ctx, const char *text), void *ctx);

#endif
