/* Endpoints: partitions.json lookups, service URLs, the SDKs' override order, region resolution. */
#include "aws/aws_sticky.h"
#include "il/aws/endpoint.h"

#include <cjson/cJSON.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/aws_rules.h"
#include "il/embedded.h"

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

int il_aws_region_is_valid(const char *text) {
    if (text == NULL || text[0] == '\0') {
        return 0;
    }
    size_t n = 0;
    for (const char *p = text; *p; p++, n++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-') || n >= 63) {
            return 0;
        }
    }
    return 1;
}

/* Parsed once per process and kept (reachable from this static, so never reported as a leak): every client resolves
 * four endpoints, and --all-regions creates a client per region. */
static const cJSON *s_load_partitions(void) {
    static cJSON *s_root;
    if (s_root == NULL) {
        size_t len = 0;
        const char *text = il_embedded_get("partitions.json", &len);
        s_root = text ? cJSON_ParseWithLength(text, len) : NULL;
    }
    return s_root;
}

/* partitions.json regexes are ECMAScript ("^us\-gov\-\w+\-\d+$"); translate the few escapes used into POSIX ERE so
 * no regex library beyond libc is needed. Unknown escapes fail (and the partition is skipped) rather than guess. */
static int s_regex_matches(const char *ecma, const char *text) {
    struct il_buf ere;
    il_buf_init(&ere, 1024);
    for (const char *p = ecma; *p; p++) {
        if (*p != '\\') {
            IL_STICKY(il_buf_putc(&ere, *p));
            continue;
        }
        p++;
        switch (*p) {
        case '-': IL_STICKY(il_buf_putc(&ere, '-')); break;
        case 'w': IL_STICKY(il_buf_puts(&ere, "[A-Za-z0-9_]")); break;
        case 'd': IL_STICKY(il_buf_puts(&ere, "[0-9]")); break;
        default: il_buf_release(&ere); return 0;
        }
    }
    int matched = 0;
    regex_t re;
    if (il_buf_status(&ere) == IL_OK && regcomp(&re, il_buf_cstr(&ere), REG_EXTENDED | REG_NOSUB) == 0) {
        matched = regexec(&re, text, 0, NULL, 0) == 0;
        regfree(&re);
    }
    il_buf_release(&ere);
    return matched;
}

static enum il_status s_fill_partition(const cJSON *partition, struct il_aws_partition *out) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(partition, "id");
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(partition, "outputs");
    const cJSON *dns = cJSON_GetObjectItemCaseSensitive(outputs, "dnsSuffix");
    if (!cJSON_IsString(id) || !cJSON_IsString(dns) || strlen(id->valuestring) >= sizeof(out->id) ||
        strlen(dns->valuestring) >= sizeof(out->dns_suffix)) {
        return IL_ERR_INTERNAL;
    }
    memcpy(out->id, id->valuestring, strlen(id->valuestring) + 1);
    memcpy(out->dns_suffix, dns->valuestring, strlen(dns->valuestring) + 1);
    return IL_OK;
}

const cJSON *il_aws_partition_json(const char *region) {
    const cJSON *root = il_aws_region_is_valid(region) ? s_load_partitions() : NULL;
    if (root == NULL) {
        return NULL;
    }
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(root, "partitions");
    const cJSON *found = NULL;
    const cJSON *part;
    /* An explicitly listed region wins over any regex, as in the SDKs' partition resolver. */
    cJSON_ArrayForEach(part, parts) {
        if (cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(part, "regions"), region) != NULL) {
            found = part;
            break;
        }
    }
    if (found == NULL) {
        cJSON_ArrayForEach(part, parts) {
            const cJSON *rx = cJSON_GetObjectItemCaseSensitive(part, "regionRegex");
            if (cJSON_IsString(rx) && s_regex_matches(rx->valuestring, region)) {
                found = part;
                break;
            }
        }
    }
    if (found == NULL) {
        cJSON_ArrayForEach(part, parts) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(part, "id");
            if (cJSON_IsString(id) && strcmp(id->valuestring, "aws") == 0) {
                found = part;
                break;
            }
        }
    }
    return found;
}

enum il_status il_aws_partition_for_region(const char *region, struct il_aws_partition *out) {
    if (!il_aws_region_is_valid(region)) {
        return IL_ERR_INVALID;
    }
    const cJSON *found = il_aws_partition_json(region);
    return found ? s_fill_partition(found, out) : IL_ERR_INTERNAL;
}

void il_aws_strv_free(char **strv) {
    if (strv == NULL) {
        return;
    }
    for (char **p = strv; *p; p++) {
        free(*p);
    }
    free(strv);
}

enum il_status il_aws_partition_regions(const char *partition_id, char ***regions, size_t *count) {
    enum il_status st = IL_ERR_NOTFOUND;
    char **list = NULL;
    size_t n = 0;
    *regions = NULL;
    *count = 0;
    const cJSON *root = s_load_partitions();
    if (root == NULL) {
        return IL_ERR_INTERNAL;
    }
    const cJSON *part;
    cJSON_ArrayForEach(part, cJSON_GetObjectItemCaseSensitive(root, "partitions")) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(part, "id");
        if (!cJSON_IsString(id) || strcmp(id->valuestring, partition_id) != 0) {
            continue;
        }
        const cJSON *regs = cJSON_GetObjectItemCaseSensitive(part, "regions");
        list = calloc((size_t)cJSON_GetArraySize(regs) + 1, sizeof(*list));
        if (list == NULL) {
            st = IL_ERR_NOMEM;
            goto cleanup;
        }
        const cJSON *reg;
        cJSON_ArrayForEach(reg, regs) {
            size_t len = strlen(reg->string);
            /* "aws-global" style names are endpoint aliases, not places functions live. */
            if (len >= 7 && strcmp(reg->string + len - 7, "-global") == 0) {
                continue;
            }
            list[n] = il_strdup(reg->string);
            if (list[n] == NULL) {
                st = IL_ERR_NOMEM;
                goto cleanup;
            }
            n++;
        }
        st = IL_OK;
        break;
    }
cleanup:
    if (st != IL_OK) {
        il_aws_strv_free(list);
        return st;
    }
    *regions = list;
    *count = n;
    return IL_OK;
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
