/* Endpoints: service URLs, the SDKs' override order, region resolution (the partitions table is aws_partitions.c). */
#include "aws/aws_sticky.h"
#include "il/aws/endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/aws_rules.h"

struct s_service_info {
    const char *name;      /* diagnostics + signing name */
    const char *config_id; /* serviceId lower-cased, spaces to underscores: the `[services]` key */
    const char *env_id;    /* serviceId upper-cased, spaces to underscores */
    const char *env_var;   /* AWS_ENDPOINT_URL_<env_id> */
    const char *ruleset;   /* embedded data/endpoint-rules-<model>.json */
};

static const struct s_service_info s_services[IL_AWS_SERVICE_COUNT] = {
    [IL_AWS_LAMBDA] = {"lambda", "lambda", "LAMBDA", "AWS_ENDPOINT_URL_LAMBDA", "endpoint-rules-lambda.json"},
    [IL_AWS_TAGGING] = {"tagging", "resource_groups_tagging_api", "RESOURCE_GROUPS_TAGGING_API",
                        "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", "endpoint-rules-resourcegroupstaggingapi.json"},
    [IL_AWS_STS] = {"sts", "sts", "STS", "AWS_ENDPOINT_URL_STS", "endpoint-rules-sts.json"},
    [IL_AWS_INSPECTOR2] = {"inspector2", "inspector2", "INSPECTOR2", "AWS_ENDPOINT_URL_INSPECTOR2",
                           "endpoint-rules-inspector2.json"},
    [IL_AWS_ORGANIZATIONS] = {"organizations", "organizations", "ORGANIZATIONS", "AWS_ENDPOINT_URL_ORGANIZATIONS",
                              "endpoint-rules-organizations.json"},
    [IL_AWS_SSO] = {"sso", "sso", "SSO", "AWS_ENDPOINT_URL_SSO", "endpoint-rules-sso.json"},
};

const char *il_aws_service_config_id(enum il_aws_service service) {
    return (unsigned)service < IL_AWS_SERVICE_COUNT ? s_services[service].config_id : "unknown";
}

const char *il_aws_service_name(enum il_aws_service service) {
    return (unsigned)service < IL_AWS_SERVICE_COUNT ? s_services[service].name : "unknown";
}

const char *il_aws_service_env_id(enum il_aws_service service) {
    return (unsigned)service < IL_AWS_SERVICE_COUNT ? s_services[service].env_id : "UNKNOWN";
}

static const char *s_getenv(const struct il_aws_endpoint_config *config, const char *name) {
    const char *v = config && config->getenv_fn ? config->getenv_fn(config->getenv_ctx, name) : getenv(name);
    return v && v[0] ? v : NULL;
}

/* botocore's ensure_boolean: only "true", in any case (the settings layer refuses anything but true/false) */
static int s_truthy(const char *v) {
    return v && strcasecmp(v, "true") == 0;
}

/* An override must be an absolute http(s) URL with a host and nothing after the path: a query or fragment there would
 * silently change every signed request. */
static enum il_status s_check_url(const char *url, const char *source, struct il_buf *why) {
    const char *rest = NULL;
    if (strncmp(url, "https://", 8) == 0) {
        rest = url + 8;
    } else if (strncmp(url, "http://", 7) == 0) {
        rest = url + 7;
    }
    if (rest == NULL || rest[0] == '\0' || rest[0] == '/' || strpbrk(url, "?# \t\r\n") != NULL) {
        if (why) {
            IL_STICKY(il_buf_printf(why, "%s: '%s' is not an http:// or https:// URL with a host (and no query)",
                                    source, url));
        }
        return IL_ERR_INVALID;
    }
    return IL_OK;
}

static enum il_status s_dup_url(const char *url, char **out) {
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/') {
        len--;
    }
    *out = il_strndup(url, len);
    return *out ? IL_OK : IL_ERR_NOMEM;
}

/* Where a configured endpoint URL comes from, botocore's order (configprovider.py, ConfiguredEndpointProvider):
 * the service's variable, the profile's services section, AWS_ENDPOINT_URL, the profile's endpoint_url — all of them
 * skipped when ignore_configured_endpoint_urls is true (the variable, when set, decides over the profile). */
static const char *s_configured(const struct il_aws_endpoint_config *config, enum il_aws_service service,
                                const char **source) {
    const char *ignore = s_getenv(config, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    if (ignore ? s_truthy(ignore) : (config && config->profile_ignore_configured)) {
        return NULL;
    }
    const char *url;
    if ((url = s_getenv(config, s_services[service].env_var)) != NULL) {
        *source = s_services[service].env_var;
    } else if (config && (url = config->profile_service_endpoint_url[service]) != NULL && url[0]) {
        *source = "profile services endpoint_url";
    } else if ((url = s_getenv(config, "AWS_ENDPOINT_URL")) != NULL) {
        *source = "AWS_ENDPOINT_URL";
    } else if (config && (url = config->profile_endpoint_url) != NULL && url[0]) {
        *source = "profile endpoint_url";
    } else {
        url = NULL;
    }
    return url;
}

enum il_status il_aws_endpoint_resolve_ex(const struct il_aws_endpoint_config *config, enum il_aws_service service,
                                          const char *region, char **url_out, char **signing_region_out,
                                          const char **source_out, struct il_buf *why) {
    *url_out = NULL;
    if (signing_region_out) {
        *signing_region_out = NULL;
    }
    if ((unsigned)service >= IL_AWS_SERVICE_COUNT) {
        return IL_ERR_INVALID;
    }
    const char *source = NULL;
    const char *url = NULL;
    if (config && config->endpoint_url && config->endpoint_url[0]) {
        url = config->endpoint_url;
        source = "--endpoint-url";
    } else {
        url = s_configured(config, service, &source);
    }
    if (url != NULL) {
        IL_TRY(s_check_url(url, source, why));
    }
    if (url == NULL && !il_aws_region_is_valid(region)) {
        il_buf_say(why, "'%s' is not a valid region name", region ? region : "");
        return IL_ERR_INVALID;
    }
    /* The rule set decides even with a configured URL: FIPS or dual-stack with a custom endpoint is its error. */
    char *trimmed = NULL;
    if (url != NULL) {
        IL_TRY(s_dup_url(url, &trimmed));
    }
    struct il_rules_params params = {
        .region = region && region[0] ? region : NULL,
        .endpoint = trimmed,
        .use_fips = config && config->use_fips,
        .use_dualstack = config && config->use_dualstack,
        .use_global_endpoint = service == IL_AWS_STS && config && config->sts_global,
    };
    char *signing = NULL;
    struct il_buf reason;
    il_buf_init(&reason, 1024);
    enum il_status st = il_rules_resolve(s_services[service].ruleset, &params, url_out, &signing, &reason);
    free(trimmed);
    if (st != IL_OK) {
        il_buf_say(why, "no %s endpoint for region %s%s%s%s: %s", s_services[service].name, region ? region : "(none)",
                   params.use_fips ? " with FIPS" : "", params.use_dualstack ? " with dual-stack" : "",
                   url ? " and a configured endpoint URL" : "", il_buf_cstr(&reason));
        il_buf_release(&reason);
        return st;
    }
    il_buf_release(&reason);
    if (signing_region_out) {
        *signing_region_out = signing;
    } else {
        free(signing);
    }
    if (source_out) {
        *source_out = source ? source : "endpoint rule set";
    }
    return IL_OK;
}

enum il_status il_aws_endpoint_resolve(const struct il_aws_endpoint_config *config, enum il_aws_service service,
                                       const char *region, char **url_out, const char **source_out,
                                       struct il_buf *why) {
    return il_aws_endpoint_resolve_ex(config, service, region, url_out, NULL, source_out, why);
}

enum il_status il_aws_region_resolve(const char *cli_region, const char *profile_region, il_getenv_fn getenv_fn,
                                     void *getenv_ctx, char **out, struct il_buf *why) {
    struct il_aws_endpoint_config env = {.getenv_fn = getenv_fn, .getenv_ctx = getenv_ctx};
    const char *region = NULL;
    const char *source = NULL;
    *out = NULL;
    if (cli_region && cli_region[0]) {
        region = cli_region, source = "--region";
    } else if ((region = s_getenv(&env, "AWS_REGION")) != NULL) {
        source = "AWS_REGION";
    } else if ((region = s_getenv(&env, "AWS_DEFAULT_REGION")) != NULL) {
        source = "AWS_DEFAULT_REGION";
    } else if (profile_region && profile_region[0]) {
        region = profile_region, source = "profile region";
    }
    if (region == NULL) {
        if (why) {
            IL_STICKY(il_buf_puts(why,
                                  "no region: pass --region or set AWS_REGION, AWS_DEFAULT_REGION or the profile's "
                                  "region"));
        }
        return IL_ERR_NOTFOUND;
    }
    if (!il_aws_region_is_valid(region)) {
        if (why) {
            IL_STICKY(il_buf_printf(why, "%s: '%s' is not a valid region name", source, region));
        }
        return IL_ERR_INVALID;
    }
    *out = il_strdup(region);
    return *out ? IL_OK : IL_ERR_NOMEM;
}
