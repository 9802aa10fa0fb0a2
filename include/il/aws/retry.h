/**
 * The AWS SDKs' "standard" retry mode: which failures are retried, capped exponential backoff with full jitter, and
 * the client-wide retry quota (token bucket) that stops retry storms when a service is really down.
 *
 * Pure functions and caller-owned structs: no clock, no I/O, so every decision is unit-testable.
 */
#ifndef IL_AWS_RETRY_H
#define IL_AWS_RETRY_H

#include <stdint.h>

#include "il/aws/http.h"

enum il_retry_class {
    IL_RETRY_NO = 0,    /* success, or an error that retrying cannot fix */
    IL_RETRY_THROTTLE,  /* 429, ThrottlingException, TooManyRequestsException, RequestLimitExceeded ... */
    IL_RETRY_TRANSIENT, /* 500/502/503/504, connection failures, truncated or malformed bodies */
    IL_RETRY_TIMEOUT,   /* attempt timed out (costs more quota) */
};

#define IL_RETRY_DEFAULT_MAX_ATTEMPTS 3u
#define IL_RETRY_MAX_BACKOFF_MS 20000u /* MAX_BACKOFF: 20 s */
#define IL_RETRY_BASE_MS 1000u         /* b * r^i with b in [0,1) seconds, r = 2 */
#define IL_RETRY_QUOTA_INITIAL 500u
#define IL_RETRY_COST 5u
#define IL_RETRY_TIMEOUT_COST 10u
#define IL_RETRY_NO_RETRY_INCREMENT 1u

/** Whether @p error_code (already stripped of namespace) is one of the SDKs' throttling codes. */
int il_retry_is_throttle_code(const char *error_code);
/** Whether @p error_code is one of the SDKs' transient codes (RequestTimeout, InternalError, ...). */
int il_retry_is_transient_code(const char *error_code);

/** Classify one attempt: transport @p failure, HTTP @p http_status and the parsed @p error_code (may be NULL). */
enum il_retry_class il_retry_classify(enum il_http_failure failure, int http_status, const char *error_code);

/** Deterministic RNG for jitter (xorshift64*); seed 0 is replaced by a fixed non-zero constant. */
struct il_retry_rng {
    uint64_t state;
};
void il_retry_rng_seed(struct il_retry_rng *rng, uint64_t seed);
/** Uniform double in [0, 1). */
double il_retry_rng_next(struct il_retry_rng *rng);

/** Delay before retry number @p retry (1 for the first retry): min(b * 2^(retry-1) s, 20 s), b uniform in [0,1). */
uint64_t il_retry_backoff_ms(struct il_retry_rng *rng, unsigned retry);

/** The retry quota shared by one client's requests. */
struct il_retry_quota {
    unsigned available;
    unsigned capacity;
};
void il_retry_quota_init(struct il_retry_quota *quota);
/** Take the cost of retrying an attempt of class @p cls; returns the cost taken, or 0 when the quota is exhausted
 *  (the caller must then stop retrying). */
unsigned il_retry_quota_acquire(struct il_retry_quota *quota, enum il_retry_class cls);
/** A request succeeded: give back @p cost (what its last retry took) or, with no retry, the small increment. */
void il_retry_quota_release(struct il_retry_quota *quota, unsigned cost);

#endif
