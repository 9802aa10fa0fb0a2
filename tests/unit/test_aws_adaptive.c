/* Unit tests: the adaptive retry mode's rate limiter (il/aws/adaptive.h) against numbers botocore's own
 * ClientRateLimiter + CubicCalculator + RateClocker + TokenBucket give for the same event sequence (computed with
 * botocore 1.43 on a fake clock), and the token bucket's waits. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "il/aws/adaptive.h"

static void s_near(double got, double want) {
    if (fabs(got - want) > 1e-9) {
        fail_msg("got %.12f, want %.12f", got, want);
    }
}

/* 20 successes at 10/s, one throttle, then successes every 0.25 s: the rates botocore computes. */
static void test_matches_botocore(void **state) {
    (void)state;
    struct il_adaptive *a = NULL;
    assert_int_equal(il_adaptive_new(100.0, &a), IL_OK);
    assert_false(il_adaptive_enabled(a));
    for (int i = 0; i < 20; i++) {
        il_adaptive_on_response(a, 100.0 + i * 0.1, 0);
        assert_int_equal(il_adaptive_wait_ms(a, 100.0 + i * 0.1), 0); /* off until the first throttle */
    }
    assert_false(il_adaptive_enabled(a));
    s_near(il_adaptive_rate(a), 2.7436);
    s_near(il_adaptive_measured_rate(a), 9.984);
    il_adaptive_on_response(a, 102.05, 1);
    assert_true(il_adaptive_enabled(a));
    s_near(il_adaptive_rate(a), 6.99776); /* beta 0.7 of the measured rate */
    s_near(il_adaptive_measured_rate(a), 9.9968);
    for (int i = 1; i <= 40; i++) {
        il_adaptive_on_response(a, 102.05 + i * 0.25, 0);
        if (i == 4) {
            s_near(il_adaptive_rate(a), 8.479744);
            s_near(il_adaptive_measured_rate(a), 4.239872);
        } else if (i == 20) {
            s_near(il_adaptive_rate(a), 8.000001228145);
        } else if (i == 40) {
            s_near(il_adaptive_rate(a), 8.0); /* recovered up to twice the measured 4/s */
        }
    }
    il_adaptive_free(a);
}

/* Once enabled, sends are paced by the bucket; repeated throttles cut the rate down to the 0.5/s floor. */
static void test_paces_and_floors(void **state) {
    (void)state;
    struct il_adaptive *a = NULL;
    assert_int_equal(il_adaptive_new(0.0, &a), IL_OK);
    double t = 0.0;
    for (int i = 0; i < 30; i++, t += 0.05) {
        il_adaptive_on_response(a, t, 1);
    }
    assert_true(il_adaptive_enabled(a));
    s_near(il_adaptive_rate(a), 0.5);
    /* the bucket holds at most one token: one send now, the next after 1 / 0.5 s */
    il_adaptive_take(a, 10.0);
    uint64_t wait = il_adaptive_wait_ms(a, 10.0);
    assert_true(wait > 1900 && wait <= 2001);
    assert_int_equal(il_adaptive_wait_ms(a, 12.001), 0);
    il_adaptive_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_botocore),
        cmocka_unit_test(test_paces_and_floors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
