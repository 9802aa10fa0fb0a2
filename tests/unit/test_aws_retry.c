/* Unit tests: standard-mode retry decisions, backoff bounds, retry quota, the token-bucket rate limiter, and the
 * --max-attempts / --rate-limit parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "il/aws/client.h"
#include "il/aws/ratelimit.h"
#include "il/aws/retry.h"

static void test_classify(void **state) {
    (void)state;
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 429, NULL), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 400, "ThrottlingException"), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 400, "Throttling"), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 429, "TooManyRequestsException"), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 503, "RequestLimitExceeded"), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 400, "ProvisionedThroughputExceededException"), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 400, "ThrottledException"), IL_RETRY_THROTTLE);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 500, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 502, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 503, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 504, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 400, "RequestTimeout"), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_CONNECT, 0, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_RESET, 0, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_TRUNCATED, 0, NULL), IL_RETRY_TRANSIENT);
    assert_int_equal(il_retry_classify(IL_HTTP_TIMEOUT, 0, NULL), IL_RETRY_TIMEOUT);
    /* never retried: client errors, TLS, oversized bodies */
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 200, NULL), IL_RETRY_NO);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 403, "AccessDeniedException"), IL_RETRY_NO);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 404, "ResourceNotFoundException"), IL_RETRY_NO);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 400, "InvalidSignatureException"), IL_RETRY_NO);
    assert_int_equal(il_retry_classify(IL_HTTP_OK, 501, NULL), IL_RETRY_NO);
    assert_int_equal(il_retry_classify(IL_HTTP_TLS, 0, NULL), IL_RETRY_NO);
    assert_int_equal(il_retry_classify(IL_HTTP_TOO_LARGE, 0, NULL), IL_RETRY_NO);
}

static void test_backoff_bounds_and_jitter(void **state) {
    (void)state;
    struct il_retry_rng rng;
    il_retry_rng_seed(&rng, 7);
    for (unsigned retry = 1; retry <= 12; retry++) {
        uint64_t cap = 1000ull << (retry - 1);
        if (cap > IL_RETRY_MAX_BACKOFF_MS) {
            cap = IL_RETRY_MAX_BACKOFF_MS;
        }
        uint64_t lo = UINT64_MAX, hi = 0;
        for (int i = 0; i < 2000; i++) {
            uint64_t d = il_retry_backoff_ms(&rng, retry);
            assert_true(d <= cap);
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        /* full jitter: spread over [0, cap) */
        assert_true(lo < cap / 10 + 1);
        assert_true(hi > cap - cap / 10);
    }
    /* seeded: reproducible */
    struct il_retry_rng a, b;
    il_retry_rng_seed(&a, 99);
    il_retry_rng_seed(&b, 99);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(il_retry_backoff_ms(&a, 3), il_retry_backoff_ms(&b, 3));
    }
    for (int i = 0; i < 10000; i++) {
        double r = il_retry_rng_next(&a);
        assert_true(r >= 0.0 && r < 1.0);
    }
}

static void test_retry_quota(void **state) {
    (void)state;
    struct il_retry_quota q;
    il_retry_quota_init(&q);
    assert_int_equal(q.available, 500);
    assert_int_equal(il_retry_quota_acquire(&q, IL_RETRY_THROTTLE), 5);
    assert_int_equal(il_retry_quota_acquire(&q, IL_RETRY_TIMEOUT), 10);
    assert_int_equal(q.available, 485);
    il_retry_quota_release(&q, 5);
    assert_int_equal(q.available, 490);
    il_retry_quota_release(&q, 0); /* success without retry: +1 */
    assert_int_equal(q.available, 491);
    unsigned n = 0;
    while (il_retry_quota_acquire(&q, IL_RETRY_TRANSIENT) > 0) {
        n++;
    }
    assert_int_equal(n, 98); /* 491 / 5 */
    assert_int_equal(il_retry_quota_acquire(&q, IL_RETRY_TRANSIENT), 0);
    for (int i = 0; i < 1000; i++) {
        il_retry_quota_release(&q, 0);
    }
    assert_int_equal(q.available, 500); /* never above capacity */
    assert_int_equal(il_retry_quota_acquire(&q, IL_RETRY_NO), 0);
}

static void test_ratelimit(void **state) {
    (void)state;
    struct il_ratelimit *rl = NULL;
    assert_int_equal(il_ratelimit_new(15.0, 1.0, 1000, &rl), IL_OK);
    uint64_t now = 1000, wait = 0;
    unsigned taken = 0;
    /* simulate 10 s, trying every millisecond: exactly 15/s (+1 initial token) */
    for (; now < 11000; now++) {
        if (il_ratelimit_try_take(rl, now, &wait)) {
            taken++;
        } else {
            assert_true(wait >= 1 && wait <= 67);
        }
    }
    assert_true(taken >= 150 && taken <= 151);
    il_ratelimit_free(rl);
    /* burst 5 then paced */
    assert_int_equal(il_ratelimit_new(2.0, 5.0, 0, &rl), IL_OK);
    for (int i = 0; i < 5; i++) {
        assert_true(il_ratelimit_try_take(rl, 0, NULL));
    }
    assert_false(il_ratelimit_try_take(rl, 0, &wait));
    assert_true(wait >= 500 && wait <= 501);
    assert_false(il_ratelimit_try_take(rl, 499, NULL));
    assert_true(il_ratelimit_try_take(rl, 500, NULL));
    il_ratelimit_free(rl);
    /* unlimited */
    assert_int_equal(il_ratelimit_new(-1, 1, 0, &rl), IL_OK);
    for (int i = 0; i < 1000; i++) {
        assert_true(il_ratelimit_try_take(rl, 0, NULL));
    }
    il_ratelimit_free(rl);
    assert_true(il_clock_now(NULL) > 0);
}

static void test_option_parsers(void **state) {
    (void)state;
    unsigned n = 0;
    double r = 0;
    assert_int_equal(il_aws_parse_max_attempts("5", &n), IL_OK);
    assert_int_equal(n, 5);
    assert_int_equal(il_aws_parse_max_attempts("0", &n), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_max_attempts("21", &n), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_max_attempts("3x", &n), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_max_attempts("-1", &n), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_max_attempts("", &n), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_rate_limit("15", &r), IL_OK);
    assert_true(r == 15.0);
    assert_int_equal(il_aws_parse_rate_limit("0.5", &r), IL_OK);
    assert_int_equal(il_aws_parse_rate_limit("0", &r), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_rate_limit("nan", &r), IL_ERR_INVALID);
    assert_int_equal(il_aws_parse_rate_limit("1e9", &r), IL_ERR_INVALID);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),       cmocka_unit_test(test_backoff_bounds_and_jitter),
        cmocka_unit_test(test_retry_quota),    cmocka_unit_test(test_ratelimit),
        cmocka_unit_test(test_option_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
