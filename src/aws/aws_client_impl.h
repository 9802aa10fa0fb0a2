/* Internal: the client and the engine it shares with derived clients (aws_client.c, aws_engine.c). */
#ifndef IL_AWS_CLIENT_IMPL_H
#define IL_AWS_CLIENT_IMPL_H

#include "aws/aws_call.h"
#include "il/aws/adaptive.h"
#include "il/aws/client.h"
#include "il/aws/ratelimit.h"
#include "il/aws/retry.h"

/* Requests for one (service, account, region): FIFO behind one rate limiter. */
struct il_aws_lane {
    char *key;
    struct il_ratelimit *limiter;
    struct il_adaptive *adaptive; /* retry_mode = adaptive: the SDKs' client-side rate limiter; else NULL */
    struct il_aws_call *head;
    struct il_aws_call *tail;
    struct il_aws_lane *next;
};

struct il_aws_engine {
    unsigned refs;
    struct il_http_transport *transport;
    int owns_transport;
    struct il_clock clock;
    int64_t (*wall_time)(void);
    struct il_retry_quota quota;
    struct il_retry_rng rng;
    struct il_aws_lane *lanes;
    struct il_aws_call *sleeping; /* waiting for a backoff to end */
    size_t pending;               /* submitted, not finished */
    size_t in_flight;
    unsigned max_concurrency;
    unsigned max_attempts;
    enum il_aws_retry_mode retry_mode;
    double rate_limit;
    double rate_burst;
    long connect_timeout_ms;
    long request_timeout_ms;
    long call_timeout_ms;
    unsigned max_pages;    /* per logical request */
    long run_timeout_ms;   /* 0: none */
    uint64_t run_deadline; /* UINT64_MAX: none */
    size_t max_response_bytes;
    il_aws_debug_fn debug_fn;
    void *debug_ctx;
    struct il_aws_stats stats;
    /* endpoint overrides, copied, so derived clients can resolve other regions */
    char *endpoint_url;
    char *profile_endpoint_url;
    char *profile_service_endpoint_url[IL_AWS_SERVICE_COUNT];
    int profile_ignore_configured;
    int use_fips;
    int use_dualstack;
    int sts_global;
    il_getenv_fn getenv_fn;
    void *getenv_ctx;
};

struct il_aws_client {
    struct il_aws_engine *engine;
    char *region;
    char *account;
    struct il_credentials_provider *provider; /* borrowed, may be NULL */
    struct il_credentials *creds;             /* cached from the provider, or fixed (derived with creds) */
    int fixed_creds;
    char *base_url[IL_AWS_SERVICE_COUNT];       /* scheme://host[:port] */
    char *host[IL_AWS_SERVICE_COUNT];           /* Host header value */
    char *base_path[IL_AWS_SERVICE_COUNT];      /* "" or "/prefix" from an override URL */
    char *signing_region[IL_AWS_SERVICE_COUNT]; /* the rule set's signingRegion, or NULL: the client's region */
};

/** Credentials to sign with now (refreshed when near expiry). Borrowed from the client. */
IL_MUST_CHECK enum il_status il_aws_client_credentials(struct il_aws_client *client, const struct il_credentials **out,
                                                       struct il_buf *why);
/** Trace one line if --debug is on (printf-style). */
void il_aws_trace(struct il_aws_engine *engine, const char *fmt, ...) IL_PRINTF(2, 3);

#endif
