/* Unit tests: the retry modes inside the engine over a scripted transport with a virtual clock — adaptive paces a
 * lane after throttling (standard does not), legacy retries without the retry quota. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "il/aws/client.h"
#include "il/aws/lambda.h"
#include "il/aws/settings.h"
#include "scripted_transport.h"

#define RID "x-amzn-RequestId: req-1\n"

static struct scripted g_s;
static struct il_buf g_trace;

static const char *s_noenv(void *ctx, const char *name) {
    (void)ctx;
    (void)name;
    return NULL;
}

static void s_trace(void *ctx, const char *line) {
    (void)ctx;
    assert_int_equal(il_buf_puts(&g_trace, line), IL_OK);
    assert_int_equal(il_buf_putc(&g_trace, '\n'), IL_OK);
}

static int64_t s_wall(void) {
    return 1795000000;
}

/* requests 10..19 are throttled (a burst the service pushes back on), the rest succeed */
static struct st_reply s_burst(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)req;
    if (n >= 10 && n < 20) {
        return (struct st_reply){IL_HTTP_OK, 429, RID "x-amzn-ErrorType: TooManyRequestsException\n",
                                 "{\"message\":\"Rate exceeded\"}"};
    }
    return (struct st_reply){IL_HTTP_OK, 200, RID, "{\"Tags\":{\"n\":\"1\"}}"};
}

/* Run a batch of 60 ListTags in @p mode with no fixed rate limit; the virtual time it took. */
static uint64_t s_run(enum il_aws_retry_mode mode, unsigned max_attempts) {
    st_init(&g_s, s_burst);
    g_s.latency_ms = 20;
    il_buf_release(&g_trace);
    il_buf_init(&g_trace, 0);
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("AKIDEXAMPLE", "secret-for-tests-only", NULL, 0, &creds), IL_OK);
    struct il_credentials_provider *provider = il_credentials_provider_static_new(creds, "test");
    il_credentials_free(creds);
    struct il_aws_settings settings = {.retry_mode = mode, .max_attempts = max_attempts};
    struct il_aws_client_config cfg = {
        .region = "us-east-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = provider,
        .account = "123456789012",
        .rate_limit = -1,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
        .jitter_seed = 7,
        .debug_fn = s_trace,
        .wall_time = s_wall,
        .settings = &settings,
    };
    struct il_aws_client *client = NULL;
    assert_int_equal(il_aws_client_new(&cfg, &client, NULL), IL_OK);
    assert_int_equal(il_aws_client_max_attempts(client), max_attempts);
    enum { N = 60 };
    char names[N][80];
    const char *arns[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "arn:aws:lambda:us-east-1:123456789012:function:fn-%d", i);
        arns[i] = names[i];
    }
    struct il_lambda_tags_result results[N];
    memset(results, 0, sizeof(results));
    uint64_t start = g_s.now;
    assert_int_equal(il_lambda_list_tags_batch(client, arns, N, results), IL_OK);
    for (int i = 0; i < N; i++) {
        assert_int_equal(results[i].error.status, IL_OK); /* every throttled request got through on a retry */
        il_lambda_tags_result_release(&results[i]);
    }
    il_aws_client_free(client);
    il_credentials_provider_free(provider);
    return g_s.now - start;
}

static void test_adaptive_paces_after_throttling(void **state) {
    (void)state;
    uint64_t standard_ms = s_run(IL_RETRY_MODE_STANDARD, 3);
    assert_null(strstr(il_buf_cstr(&g_trace), "[aws] adaptive"));
    uint64_t adaptive_ms = s_run(IL_RETRY_MODE_ADAPTIVE, 3);
    assert_non_null(
        strstr(il_buf_cstr(&g_trace), "[aws] adaptive lambda|123456789012|us-east-1: throttled, send rate now"));
    /* after the burst the lane's sends are cut to the 0.5/s floor (2 s apart), then the CUBIC curve brings the rate
     * back: the last sends are close together again */
    size_t n = g_s.count;
    assert_true(n >= 70);
    uint64_t widest = 0;
    for (size_t i = 1; i < n; i++) {
        uint64_t gap = g_s.requests[i].at_ms - g_s.requests[i - 1].at_ms;
        widest = gap > widest ? gap : widest;
    }
    assert_true(widest >= 1900);
    assert_true(g_s.requests[n - 1].at_ms - g_s.requests[n - 2].at_ms < 100);
    assert_true(adaptive_ms > standard_ms + 5000);
    il_buf_release(&g_trace);
}

static void test_legacy_has_no_quota(void **state) {
    (void)state;
    s_run(IL_RETRY_MODE_LEGACY, 5);
    /* retries happen, and the quota is never charged (it stays at its initial 500) */
    assert_non_null(strstr(il_buf_cstr(&g_trace), "[aws] retry lambda.ListTags"));
    assert_non_null(strstr(il_buf_cstr(&g_trace), "(quota 500)"));
    assert_null(strstr(il_buf_cstr(&g_trace), "(quota 495)"));
    s_run(IL_RETRY_MODE_STANDARD, 3);
    assert_non_null(strstr(il_buf_cstr(&g_trace), "(quota 495)"));
    il_buf_release(&g_trace);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adaptive_paces_after_throttling),
        cmocka_unit_test(test_legacy_has_no_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
