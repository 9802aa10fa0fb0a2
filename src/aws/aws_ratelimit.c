/* Token bucket on a monotonic clock. Tokens are fractional so 15/s paces one request every 66.7 ms. */
#include "il/aws/ratelimit.h"

#include <stdlib.h>
#include <time.h>

struct il_ratelimit {
    double rate; /* tokens per second; <= 0 unlimited */
    double burst;
    double tokens;
    uint64_t last_ms;
};

uint64_t il_clock_monotonic_ms(void *ctx) {
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t il_clock_now(const struct il_clock *clock) {
    return clock && clock->now_ms ? clock->now_ms(clock->ctx) : il_clock_monotonic_ms(NULL);
}

enum il_status il_ratelimit_new(double rate, double burst, uint64_t now_ms, struct il_ratelimit **out) {
    *out = NULL;
    struct il_ratelimit *rl = calloc(1, sizeof(*rl));
    if (rl == NULL) {
        return IL_ERR_NOMEM;
    }
    rl->rate = rate;
    rl->burst = burst < 1.0 ? 1.0 : burst;
    rl->tokens = rl->burst;
    rl->last_ms = now_ms;
    *out = rl;
    return IL_OK;
}

void il_ratelimit_free(struct il_ratelimit *rl) {
    free(rl);
}

double il_ratelimit_rate(const struct il_ratelimit *rl) {
    return rl->rate;
}

int il_ratelimit_try_take(struct il_ratelimit *rl, uint64_t now_ms, uint64_t *wait_ms) {
    if (rl->rate <= 0) {
        return 1;
    }
    if (now_ms > rl->last_ms) {
        rl->tokens += (double)(now_ms - rl->last_ms) * rl->rate / 1000.0;
        if (rl->tokens > rl->burst) {
            rl->tokens = rl->burst;
        }
        rl->last_ms = now_ms;
    }
    if (rl->tokens >= 1.0) {
        rl->tokens -= 1.0;
        return 1;
    }
    if (wait_ms) {
        double ms = (1.0 - rl->tokens) * 1000.0 / rl->rate;
        *wait_ms = ms < 1.0 ? 1 : (uint64_t)ms + 1;
    }
    return 0;
}
