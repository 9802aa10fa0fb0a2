/**
 * The AWS client: one object that check, apply and report --live hold for a run. It resolves endpoints, signs every
 * attempt (SigV4), paces requests per (service, account, region) with a token bucket, retries the SDKs' "standard"
 * way, and runs many requests concurrently over one HTTP transport.
 *
 * Service calls (lambda.h, tagging.h, sts.h, inspector2.h) are synchronous from the caller's view; batch calls
 * (e.g. ListTags for 5,000 ARNs) run their requests concurrently under the rate limit. A client derived with
 * il_aws_client_derive() (another region, or assumed-role credentials) shares the parent's transport, rate limiters
 * and retry quota, so work for several regions/accounts can also be queued and run together (il_aws_client_run).
 *
 * Not thread-safe: one thread drives a client family.
 */
#ifndef IL_AWS_CLIENT_H
#define IL_AWS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "il/aws/credentials.h"
#include "il/aws/endpoint.h"
#include "il/aws/error.h"
#include "il/aws/http.h"
#include "il/aws/ratelimit.h"
#include "il/aws/settings.h"
#include "il/buf.h"
#include "il/status.h"

/** Receives one line of --debug trace (no trailing newline). Lines never contain a credential: Authorization,
 *  X-Amz-Security-Token and every other credential-bearing value are REDACTED, STS bodies are never included. */
typedef void (*il_aws_debug_fn)(void *ctx, const char *line);

#define IL_AWS_DEFAULT_RATE_LIMIT 15.0
#define IL_AWS_DEFAULT_MAX_CONCURRENCY 16u
#define IL_AWS_DEFAULT_MAX_RESPONSE ((size_t)16 << 20)

struct il_aws_client_config {
    const char *region;                          /* required: already resolved (il_aws_region_resolve) */
    struct il_aws_endpoint_config endpoints;     /* overrides; its getenv hook is also used for AWS_MAX_ATTEMPTS and
                                                    AWS_CA_BUNDLE */
    struct il_credentials_provider *credentials; /* borrowed, must outlive the client; asked lazily and again when
                                                    the credentials are within 5 minutes of expiring */
    const char *account;                         /* for the rate-limit key and diagnostics; may be NULL (then "") */
    unsigned max_attempts;                       /* 0: AWS_MAX_ATTEMPTS, else 3 */
    double rate_limit;                           /* Lambda requests/s per account+region; 0: 15; < 0: unlimited */
    double rate_burst;         /* bucket size; 0: 1 (smooth pacing, never more than rate_limit in any second) */
    unsigned max_concurrency;  /* requests in flight; 0: 16 */
    long connect_timeout_ms;   /* 0: 10 s */
    long request_timeout_ms;   /* one attempt; 0: 60 s */
    long call_timeout_ms;      /* one logical request incl. retries and backoff; 0: 300 s */
    size_t max_response_bytes; /* 0: 16 MiB */
    const char *ca_bundle;     /* NULL: AWS_CA_BUNDLE, else system store */
    il_aws_debug_fn debug_fn;  /* NULL: no trace */
    void *debug_ctx;
    struct il_http_transport *transport;    /* NULL: libcurl. Borrowed otherwise (tests' scripted transport). */
    struct il_clock clock;                  /* zeroed: CLOCK_MONOTONIC */
    uint64_t jitter_seed;                   /* 0: seeded from the clock and pid */
    const struct il_aws_settings *settings; /* borrowed, may be NULL: the shared-config settings of the run
                                               (il/aws/settings.h) — endpoints, FIPS/dual-stack, STS global, retry
                                               mode, max_attempts and ca_bundle when the fields above leave them
                                               unset. NULL: AWS_MAX_ATTEMPTS / AWS_CA_BUNDLE only, standard mode. */
    int64_t (*wall_time)(void);             /* Unix seconds for signing; NULL: time() */
    unsigned max_pages;                     /* pages per listing (one logical request); 0: IL_AWS_DEFAULT_MAX_PAGES */
    long run_timeout_ms;                    /* the client's whole run, from il_aws_client_new(); 0: none */
};

#define IL_AWS_DEFAULT_MAX_PAGES 10000u

struct il_aws_client;

/** Counters for tests, benchmarks and --debug. */
struct il_aws_stats {
    uint64_t attempts;  /* HTTP attempts started */
    uint64_t retries;   /* attempts that were retries */
    uint64_t throttled; /* attempts answered with a throttling error */
    uint64_t failures;  /* logical requests that ended in an error */
    uint64_t pages;     /* successful responses */
};

/** Create a client. On failure *out is NULL and a reason is appended to @p why (may be NULL). Free with
 *  il_aws_client_free(). */
IL_MUST_CHECK enum il_status il_aws_client_new(const struct il_aws_client_config *config, struct il_aws_client **out,
                                               struct il_buf *why);
/**
 * A client for another region and/or other credentials sharing @p parent's transport, limiters, quota and stats.
 * @p region NULL: the parent's. @p creds NULL: the parent's provider; else copied (e.g. AssumeRole results).
 * @p account NULL: the parent's. The parent must outlive the derived client.
 */
IL_MUST_CHECK enum il_status il_aws_client_derive(struct il_aws_client *parent, const char *region,
                                                  const struct il_credentials *creds, const char *account,
                                                  struct il_aws_client **out, struct il_buf *why);
/**
 * il_aws_client_derive() with @p creds (copied) to start with, renewed from @p provider (borrowed: it must outlive the
 * client) when they come within IL_CREDENTIALS_REFRESH_MARGIN_S of expiring or AWS answers ExpiredToken — for
 * credentials obtained elsewhere that must last a long run, e.g. a per-account assumed role. IL_ERR_INVALID without
 * @p creds or @p provider.
 */
IL_MUST_CHECK enum il_status il_aws_client_derive_refreshable(struct il_aws_client *parent, const char *region,
                                                              const struct il_credentials *creds,
                                                              struct il_credentials_provider *provider,
                                                              const char *account, struct il_aws_client **out,
                                                              struct il_buf *why);
/** Free; accepts NULL. Requests still queued are abandoned. */
void il_aws_client_free(struct il_aws_client *client);

const char *il_aws_client_region(const struct il_aws_client *client);
const char *il_aws_client_account(const struct il_aws_client *client);
/** Set the account used for rate-limit keys and diagnostics (e.g. after GetCallerIdentity). Copied. */
IL_MUST_CHECK enum il_status il_aws_client_set_account(struct il_aws_client *client, const char *account);
unsigned il_aws_client_max_attempts(const struct il_aws_client *client);
void il_aws_client_stats(const struct il_aws_client *client, struct il_aws_stats *out);

/**
 * Completion of a queued request (the *_start service functions). Called exactly once, from inside
 * il_aws_client_run(), with the request's outcome: err->status IL_OK on success (the caller's output is filled), else
 * the error (the output has been released). @p err is borrowed for the duration of the call. The callback may queue
 * more requests on the same client family (they run in the same il_aws_client_run()); it must not call
 * il_aws_client_run() itself.
 */
typedef void (*il_aws_complete_fn)(void *ctx, const struct il_aws_error *err);

/** Run every request queued on this client family until all are finished (the *_start service functions queue). */
IL_MUST_CHECK enum il_status il_aws_client_run(struct il_aws_client *client);

/** Parse a --max-attempts / AWS_MAX_ATTEMPTS value (1..20). */
IL_MUST_CHECK enum il_status il_aws_parse_max_attempts(const char *text, unsigned *out);
/** Parse a --rate-limit value (requests per second, > 0 and <= 10000, decimals allowed). */
IL_MUST_CHECK enum il_status il_aws_parse_rate_limit(const char *text, double *out);
/** Parse a --max-pages value (pages per listing, 1..10,000,000). */
IL_MUST_CHECK enum il_status il_aws_parse_max_pages(const char *text, unsigned *out);
/** Parse a --timeout value (whole seconds for the whole run, 0..604800; 0: none) into milliseconds. */
IL_MUST_CHECK enum il_status il_aws_parse_timeout(const char *text, long *out_ms);

/* What the CLI passes when --timeout is not given: an hour, far above any real scan, so a hung endpoint still ends. */
#define IL_AWS_DEFAULT_RUN_TIMEOUT_S 3600L

#endif
