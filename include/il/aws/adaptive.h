/**
 * The SDKs' "adaptive" retry mode's client-side rate limiter (botocore retries/adaptive.py, bucket.py,
 * throttling.py; the AWS SDKs and Tools reference guide, "Retry behavior"): off until the first throttling answer;
 * then a token bucket whose fill rate follows CUBIC — cut to beta (0.7) of the measured send rate on each throttle,
 * growing back along scale * (t - K)^3 + W_max on success, never above twice the measured rate and never below
 * 0.5 requests/s.
 *
 * Pure state and arithmetic on a caller-given clock (seconds), so it is unit-testable and can be shared by any queue
 * (the engine's lanes today; the fixed-rate limiter in ratelimit.h could feed it the same events).
 */
#ifndef IL_AWS_ADAPTIVE_H
#define IL_AWS_ADAPTIVE_H

#include <stdint.h>

#include "il/status.h"

#define IL_ADAPTIVE_BETA 0.7
#define IL_ADAPTIVE_SCALE 0.4
#define IL_ADAPTIVE_SMOOTHING 0.8
#define IL_ADAPTIVE_BUCKET_S 0.5
#define IL_ADAPTIVE_MIN_RATE 0.5

struct il_adaptive;

/** A limiter created at @p now_s (not yet limiting). Caller frees with il_adaptive_free(). */
IL_MUST_CHECK enum il_status il_adaptive_new(double now_s, struct il_adaptive **out);
void il_adaptive_free(struct il_adaptive *a);

/** 0 when a request may be sent at @p now_s (a token is there, or the limiter is not enabled yet); else the
 *  milliseconds until one is (at least 1). Takes nothing. */
uint64_t il_adaptive_wait_ms(struct il_adaptive *a, double now_s);
/** A request is sent at @p now_s: take its token (when enabled). */
void il_adaptive_take(struct il_adaptive *a, double now_s);
/** An answer arrived at @p now_s; @p throttled when it was a throttling error (il_retry_classify's THROTTLE). */
void il_adaptive_on_response(struct il_adaptive *a, double now_s, int throttled);

/** Whether the bucket limits sends (after the first throttle). */
int il_adaptive_enabled(const struct il_adaptive *a);
/** The bucket's fill rate, requests per second. */
double il_adaptive_rate(const struct il_adaptive *a);
/** The smoothed measured send rate, requests per second. */
double il_adaptive_measured_rate(const struct il_adaptive *a);

#endif
