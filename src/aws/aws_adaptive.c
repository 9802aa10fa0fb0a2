/* The adaptive retry mode's rate limiter (il/aws/adaptive.h), step for step as botocore's ClientRateLimiter,
 * CubicCalculator, RateClocker and TokenBucket do it. */
#include "il/aws/adaptive.h"

#include <math.h>
#include <stdlib.h>

struct il_adaptive {
    int enabled;
    /* token bucket (bucket.py) */
    double fill_rate;
    double max_capacity;
    double capacity;
    double last_refill;
    int refilled; /* last_refill is set */
    /* CUBIC (CubicCalculator) */
    double w_max;
    double k;
    double last_fail;
    /* send-rate measurement (RateClocker) */
    double measured;
    double last_bucket;
    double count;
};

static double s_zero_point(double w_max) {
    return cbrt(w_max * (1.0 - IL_ADAPTIVE_BETA) / IL_ADAPTIVE_SCALE);
}

static void s_refill(struct il_adaptive *a, double now) {
    if (!a->refilled) {
        a->last_refill = now;
        a->refilled = 1;
        return;
    }
    double grown = a->capacity + (now - a->last_refill) * a->fill_rate;
    a->capacity = grown < a->max_capacity ? grown : a->max_capacity;
    a->last_refill = now;
}

static void s_set_max_rate(struct il_adaptive *a, double now, double rate) {
    if (rate < IL_ADAPTIVE_MIN_RATE) {
        rate = IL_ADAPTIVE_MIN_RATE;
    }
    s_refill(a, now);
    a->fill_rate = rate;
    a->max_capacity = rate > 1.0 ? rate : 1.0;
    if (a->capacity > a->max_capacity) {
        a->capacity = a->max_capacity;
    }
}

enum il_status il_adaptive_new(double now_s, struct il_adaptive **out) {
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        return IL_ERR_NOMEM;
    }
    struct il_adaptive *a = *out;
    /* botocore: TokenBucket(max_rate=1), CubicCalculator(starting_max_rate=0, start_time=now), RateClocker */
    s_set_max_rate(a, now_s, 1.0);
    a->w_max = 0.0;
    a->k = s_zero_point(0.0);
    a->last_fail = now_s;
    a->last_bucket = floor(now_s);
    return IL_OK;
}

void il_adaptive_free(struct il_adaptive *a) {
    free(a);
}

uint64_t il_adaptive_wait_ms(struct il_adaptive *a, double now_s) {
    if (!a->enabled) {
        return 0;
    }
    s_refill(a, now_s);
    if (a->capacity >= 1.0) {
        return 0;
    }
    double ms = (1.0 - a->capacity) / a->fill_rate * 1000.0;
    return ms < 1.0 ? 1 : (uint64_t)ms + 1;
}

void il_adaptive_take(struct il_adaptive *a, double now_s) {
    if (!a->enabled) {
        return;
    }
    s_refill(a, now_s);
    a->capacity -= 1.0; /* may go below 0 only if the caller sent without waiting; the refill pays it back */
}

/* RateClocker.record: requests per second over 0.5 s buckets, exponentially smoothed. */
static double s_record(struct il_adaptive *a, double now) {
    double scale = 1.0 / IL_ADAPTIVE_BUCKET_S;
    double bucket = floor(now * scale) / scale;
    a->count += 1.0;
    if (bucket > a->last_bucket) {
        double current = a->count / (bucket - a->last_bucket);
        a->measured = current * IL_ADAPTIVE_SMOOTHING + a->measured * (1.0 - IL_ADAPTIVE_SMOOTHING);
        a->count = 0.0;
        a->last_bucket = bucket;
    }
    return a->measured;
}

void il_adaptive_on_response(struct il_adaptive *a, double now_s, int throttled) {
    double measured = s_record(a, now_s);
    double rate;
    if (!throttled) {
        double dt = now_s - a->last_fail - a->k;
        rate = IL_ADAPTIVE_SCALE * dt * dt * dt + a->w_max;
    } else {
        double use = !a->enabled ? measured : (measured < a->fill_rate ? measured : a->fill_rate);
        a->w_max = use;
        a->k = s_zero_point(use);
        a->last_fail = now_s;
        rate = use * IL_ADAPTIVE_BETA;
        a->enabled = 1;
    }
    double cap = 2.0 * measured;
    s_set_max_rate(a, now_s, rate < cap ? rate : cap);
}

int il_adaptive_enabled(const struct il_adaptive *a) {
    return a->enabled;
}

double il_adaptive_rate(const struct il_adaptive *a) {
    return a->fill_rate;
}

double il_adaptive_measured_rate(const struct il_adaptive *a) {
    return a->measured;
}
