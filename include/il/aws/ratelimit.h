/**
 * Client-side rate limiting: a token bucket per (service, account, region), so a scan stays under the control-plane
 * quota instead of running into throttles. Time comes from a clock the caller passes (CLOCK_MONOTONIC in production,
 * a virtual clock in tests).
 */
#ifndef IL_AWS_RATELIMIT_H
#define IL_AWS_RATELIMIT_H

#include <stdint.h>

#include "il/status.h"

/** A monotonic millisecond clock. */
struct il_clock {
    uint64_t (*now_ms)(void *ctx);
    void *ctx;
};
/** CLOCK_MONOTONIC in milliseconds. */
uint64_t il_clock_monotonic_ms(void *ctx);
/** Read @p clock (a zeroed clock means CLOCK_MONOTONIC). */
uint64_t il_clock_now(const struct il_clock *clock);

struct il_ratelimit;

/** A bucket refilling @p rate tokens per second up to @p burst (>= 1). rate <= 0: unlimited. Caller frees. */
IL_MUST_CHECK enum il_status il_ratelimit_new(double rate, double burst, uint64_t now_ms, struct il_ratelimit **out);
void il_ratelimit_free(struct il_ratelimit *rl);
/** Take one token at @p now_ms: returns 1 if taken; else 0 and *wait_ms (may be NULL) gets the time until one is
 *  available (at least 1). */
int il_ratelimit_try_take(struct il_ratelimit *rl, uint64_t now_ms, uint64_t *wait_ms);
double il_ratelimit_rate(const struct il_ratelimit *rl);

#endif
