/* The client object: configuration, endpoints per service, credentials caching, derived clients. */
#include "aws/aws_client_impl.h"
#include "aws/aws_sticky.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *s_getenv(const struct il_aws_engine *eng, const char *name) {
    const char *v = eng->getenv_fn ? eng->getenv_fn(eng->getenv_ctx, name) : getenv(name);
    return v && v[0] ? v : NULL;
}

static void s_engine_unref(struct il_aws_engine *eng) {
    if (eng == NULL || --eng->refs > 0) {
        return;
    }
    if (eng->owns_transport) {
        il_http_transport_free(eng->transport);
    }
    for (struct il_aws_lane *l = eng->lanes, *next; l; l = next) {
        next = l->next;
        il_ratelimit_free(l->limiter);
        il_adaptive_free(l->adaptive);
        free(l->key);
        free(l);
    }
    free(eng->endpoint_url);
    free(eng->profile_endpoint_url);
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        free(eng->profile_service_endpoint_url[i]);
    }
    free(eng);
}

static enum il_status s_dup_opt(char **dst, const char *src) {
    *dst = NULL;
    if (src == NULL || src[0] == '\0') {
        return IL_OK;
    }
    *dst = il_strdup(src);
    return *dst ? IL_OK : IL_ERR_NOMEM;
}

static enum il_status s_engine_new(const struct il_aws_client_config *cfg, struct il_aws_engine **out,
                                   struct il_buf *why) {
    enum il_status st = IL_ERR_NOMEM;
    struct il_aws_engine *eng = calloc(1, sizeof(*eng));
    if (eng == NULL) {
        return IL_ERR_NOMEM;
    }
    eng->refs = 1;
    eng->clock = cfg->clock;
    eng->wall_time = cfg->wall_time;
    eng->getenv_fn = cfg->endpoints.getenv_fn;
    eng->getenv_ctx = cfg->endpoints.getenv_ctx;
    struct il_aws_endpoint_config ec = cfg->endpoints;
    if (cfg->settings) {
        il_aws_settings_endpoints(cfg->settings, &ec);
        eng->retry_mode = cfg->settings->retry_mode;
    }
    eng->profile_ignore_configured = ec.profile_ignore_configured;
    eng->use_fips = ec.use_fips;
    eng->use_dualstack = ec.use_dualstack;
    eng->sts_global = ec.sts_global;
    if (s_dup_opt(&eng->endpoint_url, ec.endpoint_url) != IL_OK ||
        s_dup_opt(&eng->profile_endpoint_url, ec.profile_endpoint_url) != IL_OK) {
        goto cleanup;
    }
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        if (s_dup_opt(&eng->profile_service_endpoint_url[i], ec.profile_service_endpoint_url[i]) != IL_OK) {
            goto cleanup;
        }
    }
    eng->max_attempts = cfg->max_attempts;
    if (eng->max_attempts == 0 && cfg->settings) {
        eng->max_attempts = cfg->settings->max_attempts; /* AWS_MAX_ATTEMPTS, the profile, or the mode's default */
    }
    if (eng->max_attempts == 0) {
        const char *env = s_getenv(eng, "AWS_MAX_ATTEMPTS");
        eng->max_attempts = IL_RETRY_DEFAULT_MAX_ATTEMPTS;
        if (env && il_aws_parse_max_attempts(env, &eng->max_attempts) != IL_OK) {
            st = IL_ERR_INVALID;
            if (why) {
                IL_STICKY(il_buf_printf(why, "AWS_MAX_ATTEMPTS: '%s' is not a number of attempts from 1 to 20", env));
            }
            goto cleanup;
        }
    }
    eng->rate_limit = cfg->rate_limit == 0 ? IL_AWS_DEFAULT_RATE_LIMIT : cfg->rate_limit;
    eng->rate_burst = cfg->rate_burst > 0 ? cfg->rate_burst : 1.0;
    eng->max_concurrency = cfg->max_concurrency ? cfg->max_concurrency : IL_AWS_DEFAULT_MAX_CONCURRENCY;
    eng->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
    eng->request_timeout_ms = cfg->request_timeout_ms > 0 ? cfg->request_timeout_ms : 60000;
    eng->call_timeout_ms = cfg->call_timeout_ms > 0 ? cfg->call_timeout_ms : 300000;
    eng->max_pages = cfg->max_pages ? cfg->max_pages : IL_AWS_DEFAULT_MAX_PAGES;
    eng->run_timeout_ms = cfg->run_timeout_ms > 0 ? cfg->run_timeout_ms : 0;
    eng->run_deadline = eng->run_timeout_ms ? il_clock_now(&eng->clock) + (uint64_t)eng->run_timeout_ms : UINT64_MAX;
    eng->max_response_bytes = cfg->max_response_bytes ? cfg->max_response_bytes : IL_AWS_DEFAULT_MAX_RESPONSE;
    eng->debug_fn = cfg->debug_fn;
    eng->debug_ctx = cfg->debug_ctx;
    il_retry_quota_init(&eng->quota);
    uint64_t seed = cfg->jitter_seed;
    if (seed == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
    }
    il_retry_rng_seed(&eng->rng, seed);
    if (cfg->transport) {
        eng->transport = cfg->transport;
    } else {
        const char *ca = cfg->ca_bundle;
        if (ca == NULL) {
            ca = cfg->settings ? cfg->settings->ca_bundle.value : s_getenv(eng, "AWS_CA_BUNDLE");
        }
        struct il_http_options opts = {.max_connections = eng->max_concurrency, .ca_bundle = ca};
        st = il_http_curl_new(&opts, &eng->transport, why);
        if (st != IL_OK) {
            goto cleanup;
        }
        eng->owns_transport = 1;
    }
    *out = eng;
    return IL_OK;
cleanup:
    s_engine_unref(eng);
    return st;
}

/* Split "scheme://host[:port][/prefix]" into the base URL, Host header and path prefix once, at creation. */
static enum il_status s_set_endpoint(struct il_aws_client *c, enum il_aws_service svc, const char *url) {
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    size_t host_len = strcspn(host, "/");
    c->base_url[svc] = il_strndup(url, (size_t)(host - url) + host_len);
    c->base_path[svc] = il_strdup(host + host_len);
    /* the default port is implied: send and sign Host without it, as the SDKs do */
    size_t sign_len = host_len;
    if (strncmp(url, "https://", 8) == 0 && host_len > 4 && memcmp(host + host_len - 4, ":443", 4) == 0) {
        sign_len -= 4;
    } else if (strncmp(url, "http://", 7) == 0 && host_len > 3 && memcmp(host + host_len - 3, ":80", 3) == 0) {
        sign_len -= 3;
    }
    c->host[svc] = il_strndup(host, sign_len);
    return c->base_url[svc] && c->base_path[svc] && c->host[svc] ? IL_OK : IL_ERR_NOMEM;
}

static enum il_status s_client_new(struct il_aws_engine *eng, const char *region, const char *account,
                                   struct il_aws_client **out, struct il_buf *why) {
    enum il_status st = IL_ERR_NOMEM;
    struct il_aws_client *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return IL_ERR_NOMEM;
    }
    c->engine = eng;
    eng->refs++;
    if (!il_aws_region_is_valid(region)) {
        st = IL_ERR_INVALID;
        if (why) {
            IL_STICKY(il_buf_printf(why, "'%s' is not a valid region name", region ? region : ""));
        }
        goto cleanup;
    }
    c->region = il_strdup(region);
    c->account = il_strdup(account ? account : "");
    if (c->region == NULL || c->account == NULL) {
        goto cleanup;
    }
    struct il_aws_endpoint_config ec = {
        .endpoint_url = eng->endpoint_url,
        .getenv_fn = eng->getenv_fn,
        .getenv_ctx = eng->getenv_ctx,
        .profile_endpoint_url = eng->profile_endpoint_url,
        .profile_ignore_configured = eng->profile_ignore_configured,
        .use_fips = eng->use_fips,
        .use_dualstack = eng->use_dualstack,
        .sts_global = eng->sts_global,
    };
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        ec.profile_service_endpoint_url[i] = eng->profile_service_endpoint_url[i];
    }
    for (int i = 0; i < IL_AWS_CLIENT_SERVICE_COUNT; i++) {
        char *url = NULL;
        const char *source = NULL;
        st = il_aws_endpoint_resolve_ex(&ec, (enum il_aws_service)i, region, &url, &c->signing_region[i], &source, why);
        if (st != IL_OK) {
            goto cleanup;
        }
        il_aws_trace(eng, "[aws] endpoint %s %s: %s (from %s%s%s%s%s)", il_aws_service_name((enum il_aws_service)i),
                     region, url, source, eng->use_fips ? ", FIPS" : "", eng->use_dualstack ? ", dual-stack" : "",
                     c->signing_region[i] ? ", signed for " : "", c->signing_region[i] ? c->signing_region[i] : "");
        st = s_set_endpoint(c, (enum il_aws_service)i, url);
        free(url);
        if (st != IL_OK) {
            goto cleanup;
        }
    }
    *out = c;
    return IL_OK;
cleanup:
    il_aws_client_free(c);
    return st;
}

enum il_status il_aws_client_new(const struct il_aws_client_config *config, struct il_aws_client **out,
                                 struct il_buf *why) {
    *out = NULL;
    struct il_aws_engine *eng = NULL;
    IL_TRY(s_engine_new(config, &eng, why));
    struct il_aws_client *c = NULL;
    enum il_status st = s_client_new(eng, config->region, config->account, &c, why);
    s_engine_unref(eng); /* the client holds its own reference */
    if (st != IL_OK) {
        return st;
    }
    c->provider = config->credentials;
    *out = c;
    return IL_OK;
}

enum il_status il_aws_client_derive(struct il_aws_client *parent, const char *region,
                                    const struct il_credentials *creds, const char *account, struct il_aws_client **out,
                                    struct il_buf *why) {
    *out = NULL;
    struct il_aws_client *c = NULL;
    IL_TRY(
        s_client_new(parent->engine, region ? region : parent->region, account ? account : parent->account, &c, why));
    if (creds) {
        enum il_status st = il_credentials_copy(creds, &c->creds);
        if (st != IL_OK) {
            il_aws_client_free(c);
            return st;
        }
        c->fixed_creds = 1;
        il_aws_trace(parent->engine, "[aws] client %p uses fixed credentials %p", (void *)c, (void *)c->creds);
    } else {
        c->provider = parent->provider;
        if (parent->creds && il_credentials_copy(parent->creds, &c->creds) != IL_OK) {
            il_aws_client_free(c);
            return IL_ERR_NOMEM;
        }
        c->fixed_creds = parent->fixed_creds;
    }
    *out = c;
    return IL_OK;
}

enum il_status il_aws_client_derive_refreshable(struct il_aws_client *parent, const char *region,
                                                const struct il_credentials *creds,
                                                struct il_credentials_provider *provider, const char *account,
                                                struct il_aws_client **out, struct il_buf *why) {
    *out = NULL;
    if (creds == NULL || provider == NULL) {
        return IL_ERR_INVALID;
    }
    IL_TRY(il_aws_client_derive(parent, region, creds, account, out, why));
    /* the same start, but no longer fixed: near expiry (or on ExpiredToken) the client asks @p provider */
    (*out)->fixed_creds = 0;
    (*out)->provider = provider;
    il_aws_trace(parent->engine, "[aws] client %p: credentials %p are refreshed from provider '%s'", (void *)*out,
                 (void *)(*out)->creds, il_credentials_provider_name(provider));
    return IL_OK;
}

void il_aws_client_free(struct il_aws_client *client) {
    if (client == NULL) {
        return;
    }
    il_credentials_free(client->creds);
    for (int i = 0; i < IL_AWS_SERVICE_COUNT; i++) {
        free(client->base_url[i]);
        free(client->host[i]);
        free(client->base_path[i]);
        free(client->signing_region[i]);
    }
    free(client->region);
    free(client->account);
    s_engine_unref(client->engine);
    free(client);
}

const char *il_aws_client_region(const struct il_aws_client *client) {
    return client->region;
}

const char *il_aws_client_account(const struct il_aws_client *client) {
    return client->account;
}

enum il_status il_aws_client_set_account(struct il_aws_client *client, const char *account) {
    char *copy = il_strdup(account ? account : "");
    if (copy == NULL) {
        return IL_ERR_NOMEM;
    }
    free(client->account);
    client->account = copy;
    return IL_OK;
}

unsigned il_aws_client_max_attempts(const struct il_aws_client *client) {
    return client->engine->max_attempts;
}

void il_aws_client_stats(const struct il_aws_client *client, struct il_aws_stats *out) {
    *out = client->engine->stats;
}

enum il_status il_aws_client_run(struct il_aws_client *client) {
    return il_aws_engine_run(client->engine);
}
