/* The SDKs' standard retry mode (see the AWS SDKs and Tools reference guide, "Retry behavior"). */
#include "il/aws/retry.h"

#include <string.h>

/* botocore's standard.py and the SDK reference list these codes as throttling errors. */
static const char *const s_throttle_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    NULL,
};

static const char *const s_transient_codes[] = {
    "RequestTimeout",          "RequestTimeoutException",
    "InternalError",           "InternalServerError",
    "InternalFailure",         "ServiceUnavailable",
    "ServiceException",        "InternalServiceException",
    "InternalServerException", NULL,
};

static int s_in(const char *const *list, const char *code) {
    if (code == NULL) {
        return 0;
    }
    for (; *list; list++) {
        if (strcmp(*list, code) == 0) {
            return 1;
        }
    }
    return 0;
}

int il_retry_is_throttle_code(const char *error_code) {
    return s_in(s_throttle_codes, error_code);
}

int il_retry_is_transient_code(const char *error_code) {
    return s_in(s_transient_codes, error_code);
}

enum il_retry_class il_retry_classify(enum il_http_failure failure, int http_status, const char *error_code) {
    switch (failure) {
    case IL_HTTP_OK: break;
    case IL_HTTP_TIMEOUT: return IL_RETRY_TIMEOUT;
    case IL_HTTP_CONNECT:
    case IL_HTTP_RESET:
    case IL_HTTP_TRUNCATED: return IL_RETRY_TRANSIENT;
    /* a certificate will not become valid and a body over the cap will not shrink */
    case IL_HTTP_TOO_LARGE:
    case IL_HTTP_TLS:
    case IL_HTTP_OTHER: return IL_RETRY_NO;
    }
    if (http_status == 429 || il_retry_is_throttle_code(error_code)) {
        return IL_RETRY_THROTTLE;
    }
    if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504 ||
        il_retry_is_transient_code(error_code)) {
        return IL_RETRY_TRANSIENT;
    }
    return IL_RETRY_NO;
}

void il_retry_rng_seed(struct il_retry_rng *rng, uint64_t seed) {
    rng->state = seed ? seed : 0x9E3779B97F4A7C15ull;
}

double il_retry_rng_next(struct il_retry_rng *rng) {
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    /* top 53 bits -> [0, 1) */
    return (double)((x * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t il_retry_backoff_ms(struct il_retry_rng *rng, unsigned retry) {
    double cap = (double)IL_RETRY_MAX_BACKOFF_MS;
    double exp = (double)IL_RETRY_BASE_MS;
    for (unsigned i = 1; i < retry && exp < cap; i++) {
        exp *= 2.0;
    }
    double delay = il_retry_rng_next(rng) * exp;
    return (uint64_t)(delay < cap ? delay : cap);
}

void il_retry_quota_init(struct il_retry_quota *quota) {
    quota->available = quota->capacity = IL_RETRY_QUOTA_INITIAL;
}

unsigned il_retry_quota_acquire(struct il_retry_quota *quota, enum il_retry_class cls) {
    unsigned cost = cls == IL_RETRY_TIMEOUT ? IL_RETRY_TIMEOUT_COST : IL_RETRY_COST;
    if (cls == IL_RETRY_NO || quota->available < cost) {
        return 0;
    }
    quota->available -= cost;
    return cost;
}

void il_retry_quota_release(struct il_retry_quota *quota, unsigned cost) {
    unsigned give = cost ? cost : IL_RETRY_NO_RETRY_INCREMENT;
    quota->available = quota->capacity - quota->available < give ? quota->capacity : quota->available + give;
}
