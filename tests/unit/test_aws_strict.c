/* Unit tests: strict AWS answers (one JSON document, Content-Length honoured, list and token members typed, GetFunction
 * matched to the request), AWS text scrubbed of credentials, bounded pages and run time, attempts counted per page.
 * Scripted transport with a virtual clock (scripted_transport.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/client.h"
#include "il/aws/credentials.h"
#include "il/aws/error.h"
#include "il/aws/http.h"
#include "il/aws/inspector2.h"
#include "il/aws/lambda.h"
#include "il/aws/sts.h"
#include "il/aws/tagging.h"
#include "scripted_transport.h"

#define TEST_AKID "AKIDSTRICTEXAMPLE01"
#define TEST_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzSTRICTKEY"
#define TEST_TOKEN "FwoGZXIvYXdzSTRICT/SESSION+TOKEN=VALUE"
#define TEST_TOKEN_ENC "FwoGZXIvYXdzSTRICT%2FSESSION%2BTOKEN%3DVALUE"
#define RID "x-amzn-RequestId: req-1\n"
#define ARN "arn:aws:lambda:us-east-1:123456789012:function:fn-1"
#define FN(name)                                                                                                       \
    "{\"FunctionName\":\"" name "\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:" name "\"}"

static struct scripted g_s;
static struct il_buf g_trace;

struct fixture {
    struct il_credentials_provider *provider;
    struct il_aws_client *client;
};

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

static void s_setup_with(struct fixture *f, st_handler_fn handler, unsigned max_pages, long run_timeout_ms) {
    st_init(&g_s, handler);
    il_buf_release(&g_trace);
    il_buf_init(&g_trace, 0);
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new(TEST_AKID, TEST_SECRET, TEST_TOKEN, 0, &creds), IL_OK);
    f->provider = il_credentials_provider_static_new(creds, "test");
    il_credentials_free(creds);
    assert_non_null(f->provider);
    struct il_aws_client_config cfg = {
        .region = "us-east-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = f->provider,
        .account = "123456789012",
        .max_attempts = 3,
        .rate_limit = -1,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
        .jitter_seed = 42,
        .debug_fn = s_trace,
        .wall_time = s_wall,
        .max_pages = max_pages,
        .run_timeout_ms = run_timeout_ms,
    };
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_aws_client_new(&cfg, &f->client, &why), IL_OK);
    il_buf_release(&why);
}

static void s_setup(struct fixture *f, st_handler_fn handler) {
    s_setup_with(f, handler, 0, 0);
}

static void s_assert_no_secret(const char *text) {
    assert_null(strstr(text, TEST_SECRET));
    assert_null(strstr(text, TEST_TOKEN));
    assert_null(strstr(text, TEST_TOKEN_ENC));
}

static void s_teardown(struct fixture *f) {
    il_aws_client_free(f->client);
    il_credentials_provider_free(f->provider);
    s_assert_no_secret(il_buf_cstr(&g_trace));
    il_buf_release(&g_trace);
}

/* Every reply of @p script is given up to three times (the default attempts), so a malformed answer is seen to be
 * retried and then to fail the call. */
static enum il_status s_list_tags_thrice(const struct st_reply *bad, struct il_aws_error *err) {
    const struct st_reply script[] = {*bad, *bad, *bad};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 3;
    struct il_tag_list tags = {0};
    il_aws_error_init(err);
    enum il_status st = il_lambda_list_tags(f.client, ARN, &tags, err);
    assert_int_equal(g_s.count, st == IL_OK ? 1 : 3);
    il_tag_list_release(&tags);
    s_teardown(&f);
    return st;
}

/* One ListFunctions page answered with @p body (three times); the call must fail as malformed after 3 attempts. */
static void s_expect_list_malformed(const char *body, const char *headers, const char *needle) {
    const struct st_reply bad = {IL_HTTP_OK, 200, headers ? headers : RID, body};
    const struct st_reply script[] = {bad, bad, bad};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 3;
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_ERR_PARSE);
    assert_int_equal(g_s.count, 3); /* retried like a truncated body */
    assert_int_equal(err.attempts, 3);
    assert_non_null(err.message);
    if (strstr(err.message, needle) == NULL) {
        fail_msg("'%s' does not say '%s'", err.message, needle);
    }
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_empty_object_is_malformed(void **state) {
    (void)state;
    s_expect_list_malformed("{}", NULL, "'Functions' is missing");
    struct il_aws_error err;
    const struct st_reply empty = {IL_HTTP_OK, 200, RID, "{}"};
    assert_int_equal(s_list_tags_thrice(&empty, &err), IL_ERR_PARSE);
    assert_non_null(strstr(err.message, "'Tags' is missing"));
    il_aws_error_release(&err);
}

static void test_null_list_member_is_malformed(void **state) {
    (void)state;
    s_expect_list_malformed("{\"Functions\":null}", NULL, "'Functions' is missing");
    s_expect_list_malformed("{\"Functions\":{}}", NULL, "'Functions' is not an array");
    s_expect_list_malformed("{\"Functions\":[null]}", NULL, "item 1 of 'Functions' is not an object");
    s_expect_list_malformed("{\"Functions\":[" FN("a") ",7]}", NULL, "item 2 of 'Functions' is not an object");
    struct il_aws_error err;
    const struct st_reply null_tags = {IL_HTTP_OK, 200, RID, "{\"Tags\":null}"};
    assert_int_equal(s_list_tags_thrice(&null_tags, &err), IL_ERR_PARSE);
    il_aws_error_release(&err);
}

static void test_two_documents_are_malformed(void **state) {
    (void)state;
    s_expect_list_malformed("{\"Functions\":[]}{\"Functions\":[" FN("a") "]}", NULL, "unexpected bytes after");
    s_expect_list_malformed("{\"Functions\":[]} x", NULL, "unexpected bytes after");
    struct il_aws_error err;
    const struct st_reply two = {IL_HTTP_OK, 200, RID, "{\"Tags\":{}}{\"Tags\":{\"k\":\"v\"}}"};
    assert_int_equal(s_list_tags_thrice(&two, &err), IL_ERR_PARSE);
    il_aws_error_release(&err);
    /* trailing whitespace is one document */
    const struct st_reply ws = {IL_HTTP_OK, 200, RID, "{\"Tags\":{}}\r\n \t"};
    assert_int_equal(s_list_tags_thrice(&ws, &err), IL_OK);
    il_aws_error_release(&err);
}

static void test_short_body_vs_content_length(void **state) {
    (void)state;
    /* parses fine, but Content-Length says more was coming */
    s_expect_list_malformed("{\"Functions\":[]}", RID "Content-Length: 400\n", "truncated response");
    s_expect_list_malformed("{\"Functions\":[]}", RID "Content-Length: 3\n", "truncated response");
    s_expect_list_malformed("{\"Functions\":[]}", RID "Content-Length: 16x\n", "truncated response");
    struct il_aws_error err;
    const struct st_reply exact = {IL_HTTP_OK, 200, RID "Content-Length: 11\n", "{\"Tags\":{}}"};
    assert_int_equal(s_list_tags_thrice(&exact, &err), IL_OK);
    il_aws_error_release(&err);
}

static void test_wrong_token_type_is_malformed(void **state) {
    (void)state;
    s_expect_list_malformed("{\"Functions\":[],\"NextMarker\":5}", NULL, "'NextMarker' is not a string");
    s_expect_list_malformed("{\"Functions\":[],\"NextMarker\":{}}", NULL, "'NextMarker' is not a string");
    s_expect_list_malformed("{\"Functions\":[],\"NextMarker\":[\"a\"]}", NULL, "'NextMarker' is not a string");
}

static void test_other_list_calls_are_strict(void **state) {
    (void)state;
    const struct st_reply bad[] = {
        {IL_HTTP_OK, 200, RID, "{\"PaginationToken\":\"\"}"},
        {IL_HTTP_OK, 200, RID, "{\"ResourceTagMappingList\":[],\"PaginationToken\":false}"},
        {IL_HTTP_OK, 200, RID, "{\"ResourceTagMappingList\":[null]}"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct st_reply script[] = {bad[i], bad[i], bad[i]};
        struct fixture f;
        s_setup(&f, NULL);
        g_s.script = script, g_s.script_len = 3;
        struct il_tagged_resource_list out;
        struct il_aws_error err;
        il_aws_error_init(&err);
        assert_int_equal(il_tagging_get_resources(f.client, NULL, 0, 0, &out, &err), IL_ERR_PARSE);
        assert_int_equal(g_s.count, 3);
        il_aws_error_release(&err);
        s_teardown(&f);
    }
    const struct st_reply cov = {IL_HTTP_OK, 200, RID, "{\"nextToken\":null}"};
    const struct st_reply script[] = {cov, cov, cov};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 3;
    struct il_inspector_coverage_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_list_coverage(f.client, NULL, 0, &out, &err), IL_ERR_PARSE);
    assert_non_null(strstr(err.message, "'coveredResources' is missing"));
    il_aws_error_release(&err);
    s_teardown(&f);
    /* BatchGetAccountStatus: 'accounts' is required in the model too */
    const struct st_reply status = {IL_HTTP_OK, 200, RID, "{\"failedAccounts\":[]}"};
    const struct st_reply script2[] = {status, status, status};
    s_setup(&f, NULL);
    g_s.script = script2, g_s.script_len = 3;
    const char *const ids[] = {"123456789012"};
    struct il_inspector_account_list accounts;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_batch_get_account_status(f.client, ids, 1, &accounts, &err), IL_ERR_PARSE);
    assert_non_null(strstr(err.message, "'accounts' is missing"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void s_expect_get(const char *asked, const char *body, enum il_status want) {
    const struct st_reply r = {IL_HTTP_OK, 200, RID, body};
    const struct st_reply script[] = {r, r, r};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 3;
    struct il_aws_error err;
    il_aws_error_init(&err);
    int found = -1;
    struct il_lambda_function fn;
    struct il_tag_list tags;
    memset(&fn, 0, sizeof(fn));
    memset(&tags, 0, sizeof(tags));
    enum il_status st = il_lambda_get_function(f.client, asked, &found, &fn, &tags, &err);
    if (st != want) {
        fail_msg("GetFunction '%s': got %s, want %s (%s)", asked, il_status_str(st), il_status_str(want),
                 err.message ? err.message : "");
    }
    if (want == IL_OK) {
        assert_int_equal(found, 1);
        il_lambda_function_release(&fn);
        il_tag_list_release(&tags);
    } else {
        assert_int_not_equal(found, 1);
        assert_non_null(strstr(err.message, "not the one asked for"));
    }
    il_aws_error_release(&err);
    s_teardown(&f);
}

#define GET(name, acct, region)                                                                                        \
    "{\"Configuration\":{\"FunctionName\":\"" name "\",\"FunctionArn\":\"arn:aws:lambda:" region ":" acct              \
    ":function:" name "\"},\"Tags\":{}}"

static void test_get_function_for_another_function(void **state) {
    (void)state;
    s_expect_get("fn-1", GET("fn-1", "123456789012", "us-east-1"), IL_OK);
    s_expect_get(ARN, GET("fn-1", "123456789012", "us-east-1"), IL_OK);
    s_expect_get(ARN ":3", GET("fn-1", "123456789012", "us-east-1"), IL_OK);
    s_expect_get("123456789012:function:fn-1", GET("fn-1", "123456789012", "us-east-1"), IL_OK);
    s_expect_get("fn-1", GET("fn-2", "123456789012", "us-east-1"), IL_ERR_PARSE);
    s_expect_get(ARN, GET("fn-10", "123456789012", "us-east-1"), IL_ERR_PARSE);
    s_expect_get(ARN, GET("fn-1", "999999999999", "us-east-1"), IL_ERR_PARSE);
    s_expect_get("fn-1", GET("fn-1", "999999999999", "us-east-1"), IL_ERR_PARSE);
    s_expect_get(ARN, GET("fn-1", "123456789012", "eu-west-1"), IL_ERR_PARSE);
    s_expect_get("fn-1",
                 "{\"Configuration\":{\"FunctionName\":\"fn-1\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:"
                 "123456789012:function:fn-2\"}}",
                 IL_ERR_PARSE);
    /* no Configuration at all is not "found" either */
    const struct st_reply r = {IL_HTTP_OK, 200, RID, "{\"Tags\":{}}"};
    const struct st_reply script[] = {r, r, r};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 3;
    struct il_aws_error err;
    il_aws_error_init(&err);
    int found = -1;
    assert_int_equal(il_lambda_get_function(f.client, "fn-1", &found, NULL, NULL, &err), IL_ERR_PARSE);
    assert_int_not_equal(found, 1);
    il_aws_error_release(&err);
    s_teardown(&f);
}

#define STS_ID(acct)                                                                                                   \
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"         \
    "<Arn>arn:aws:iam::" acct ":user/ci</Arn><UserId>AIDA</UserId><Account>" acct "</Account>"                         \
    "</GetCallerIdentityResult></GetCallerIdentityResponse>"

static void test_sts_doubled_answer(void **state) {
    (void)state;
    const struct st_reply ok = {IL_HTTP_OK, 200, RID, STS_ID("123456789012")};
    const struct st_reply two = {IL_HTTP_OK, 200, RID, STS_ID("123456789012") STS_ID("999999999999")};
    const struct st_reply script[] = {ok, two, two, two};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 4;
    struct il_sts_identity id = {0};
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_sts_get_caller_identity(f.client, &id, &err), IL_OK);
    assert_string_equal(id.account, "123456789012");
    il_sts_identity_release(&id);
    il_aws_error_release(&err);
    il_aws_error_init(&err);
    assert_int_equal(il_sts_get_caller_identity(f.client, &id, &err), IL_ERR_PARSE);
    assert_non_null(strstr(err.message, "more than one <GetCallerIdentityResult>"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* Our own messages quote AWS's answers (here a function name): they are scrubbed like AWS's text. */
static void test_quoted_answer_is_scrubbed(void **state) {
    (void)state;
    const struct st_reply r = {IL_HTTP_OK, 200, RID,
                               "{\"Configuration\":{\"FunctionName\":\"" TEST_TOKEN
                               "\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:x\"}}"};
    const struct st_reply script[] = {r, r, r};
    struct fixture f;
    s_setup(&f, NULL);
    g_s.script = script, g_s.script_len = 3;
    struct il_aws_error err;
    il_aws_error_init(&err);
    int found = -1;
    assert_int_equal(il_lambda_get_function(f.client, "fn-1", &found, NULL, NULL, &err), IL_ERR_PARSE);
    assert_non_null(strstr(err.message, "describes function 'REDACTED'"));
    s_assert_no_secret(err.message);
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* ---- secrets ---- */

static void test_scrub_rules(void **state) {
    (void)state;
    const char *const secrets[] = {TEST_SECRET, TEST_TOKEN, TEST_AKID, "abc", NULL};
    static const char *const cases[][2] = {
        {"x-amz-security-token:" TEST_TOKEN "\nhost:x", "x-amz-security-token:REDACTED\nhost:x"},
        {"X-Amz-Security-Token: zzzSECRETzzz next", "X-Amz-Security-Token: REDACTED next"},
        {"?X-Amz-Signature=deadbeef&X-Amz-Credential=AKID%2F2026&a=b",
         "?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&a=b"},
        {"Authorization: AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=0123abcd",
         "Authorization: REDACTED Credential=REDACTED, SignedHeaders=host, Signature=REDACTED"},
        {"key " TEST_SECRET " and " TEST_AKID, "key REDACTED and REDACTED"},
        {"The request signature we calculated does not match the signature you provided.",
         "The request signature we calculated does not match the signature you provided."},
        {"abc is too short to be a secret", "abc is too short to be a secret"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct il_buf b;
        il_buf_init(&b, 0);
        assert_int_equal(il_aws_scrub(cases[i][0], secrets, &b), IL_OK);
        assert_string_equal(il_buf_cstr(&b), cases[i][1]);
        il_buf_release(&b);
    }
}

/* The canonical request, session token line included, echoed in a signature error (as AWS services have done). */
#define ECHO_BODY                                                                                                      \
    "{\"message\":\"The request signature we calculated does not match the signature you provided.\\n\\nThe "          \
    "Canonical String for this request should have been\\n'GET\\n/2017-03-31/tags/x\\n\\nhost:lambda\\n"               \
    "x-amz-security-token:" TEST_TOKEN                                                                                 \
    "\\n\\nhost;x-amz-security-token\\ne3b0'\\nquery X-Amz-Security-Token=" TEST_TOKEN_ENC " secret " TEST_SECRET      \
    "\"}"

static void test_signature_error_echo_is_scrubbed(void **state) {
    (void)state;
    const struct st_reply echo = {IL_HTTP_OK, 403,
                                  RID "x-amzn-ErrorType: InvalidSignatureException:" TEST_TOKEN "\n"
                                      "x-amzn-Echo: " TEST_TOKEN "\n",
                                  ECHO_BODY};
    struct il_aws_error err;
    struct fixture f;
    s_setup(&f, NULL);
    const struct st_reply script[] = {echo};
    g_s.script = script, g_s.script_len = 1;
    struct il_tag_list tags = {0};
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_ERR_AWS);
    assert_string_equal(err.code, "InvalidSignatureException");
    assert_non_null(strstr(err.message, "x-amz-security-token:REDACTED"));
    s_assert_no_secret(err.message);
    struct il_buf d;
    il_buf_init(&d, 0);
    assert_int_equal(il_aws_error_describe(&err, &d), IL_OK);
    s_assert_no_secret(il_buf_cstr(&d));
    assert_null(strstr(il_buf_cstr(&d), TEST_AKID));
    il_buf_release(&d);
    /* --debug showed the error body and the headers: scrubbed too (s_teardown greps the trace) */
    assert_non_null(strstr(il_buf_cstr(&g_trace), "x-amzn-Echo: REDACTED"));
    assert_non_null(strstr(il_buf_cstr(&g_trace), "InvalidSignatureException"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* ---- bounded pages and time ---- */

static size_t g_fresh;
static struct st_reply s_fresh_tokens(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)req;
    static char body[128];
    snprintf(body, sizeof(body), "{\"Functions\":[],\"NextMarker\":\"t%zu\"}", n);
    g_fresh++;
    return (struct st_reply){IL_HTTP_OK, 200, RID, body};
}

static void test_max_pages_ends_fresh_tokens(void **state) {
    (void)state;
    struct fixture f;
    g_fresh = 0;
    s_setup_with(&f, s_fresh_tokens, 25, 0);
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_ERR_LIMIT);
    assert_int_equal(g_s.count, 25);
    assert_non_null(strstr(err.message, "--max-pages 25"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_default_max_pages(void **state) {
    (void)state;
    struct fixture f;
    s_setup_with(&f, s_fresh_tokens, 0, 0);
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    /* the scripted transport records at most ST_MAX_REQUESTS: the default bound is far above, so it fails first;
       what matters is that the bound exists (IL_AWS_DEFAULT_MAX_PAGES) and the listing does not succeed */
    assert_int_not_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_OK);
    assert_true(IL_AWS_DEFAULT_MAX_PAGES >= 1000);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_run_timeout_ends_listing(void **state) {
    (void)state;
    struct fixture f;
    s_setup_with(&f, s_fresh_tokens, 0, 5000);
    g_s.latency_ms = 100; /* each page takes 100 virtual ms: the 5 s bound ends it near page 50 */
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_ERR_LIMIT);
    assert_true(g_s.count >= 45 && g_s.count <= 51);
    assert_non_null(strstr(err.message, "--timeout 5 s"));
    il_aws_error_release(&err);
    /* a call queued after the deadline is not sent at all */
    size_t before = g_s.count;
    struct il_tag_list tags = {0};
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_ERR_LIMIT);
    assert_int_equal(g_s.count, before);
    assert_non_null(strstr(err.message, "before it was sent"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_run_timeout_stops_retries(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 503, RID, "{\"message\":\"slow down\"}"},
        {IL_HTTP_OK, 503, RID, "{\"message\":\"slow down\"}"},
        {IL_HTTP_OK, 200, RID, "{\"Tags\":{}}"},
    };
    struct fixture f;
    s_setup_with(&f, NULL, 0, 1);
    g_s.script = script, g_s.script_len = 3;
    struct il_tag_list tags = {0};
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_ERR_LIMIT);
    assert_int_equal(g_s.count, 1);
    assert_non_null(strstr(err.message, "run timeout"));
    assert_non_null(strstr(err.message, "slow down"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* ---- attempts per page ---- */

static struct st_reply s_flaky_pages(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)req;
    /* pages 1-3 each fail once before they succeed; page 4 fails three times */
    static const char *const ok[] = {
        "{\"Functions\":[],\"NextMarker\":\"p2\"}",
        "{\"Functions\":[],\"NextMarker\":\"p3\"}",
        "{\"Functions\":[],\"NextMarker\":\"p4\"}",
    };
    if (n < 6) {
        if (n % 2 == 0) {
            return (struct st_reply){IL_HTTP_OK, 503, RID, "{\"message\":\"busy\"}"};
        }
        return (struct st_reply){IL_HTTP_OK, 200, RID, ok[n / 2]};
    }
    return (struct st_reply){IL_HTTP_OK, 503, RID, "{\"message\":\"busy\"}"};
}

static void test_attempts_counted_per_page(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_flaky_pages);
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_ERR_AWS);
    assert_int_equal(g_s.count, 9);
    assert_int_equal(err.attempts, 3); /* the failing page's attempts, not the listing's 9 */
    struct il_buf d;
    il_buf_init(&d, 0);
    assert_int_equal(il_aws_error_describe(&err, &d), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&d), "after 3 attempts"));
    il_buf_release(&d);
    il_aws_error_release(&err);
    s_teardown(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_object_is_malformed),
        cmocka_unit_test(test_null_list_member_is_malformed),
        cmocka_unit_test(test_two_documents_are_malformed),
        cmocka_unit_test(test_short_body_vs_content_length),
        cmocka_unit_test(test_wrong_token_type_is_malformed),
        cmocka_unit_test(test_other_list_calls_are_strict),
        cmocka_unit_test(test_get_function_for_another_function),
        cmocka_unit_test(test_sts_doubled_answer),
        cmocka_unit_test(test_quoted_answer_is_scrubbed),
        cmocka_unit_test(test_scrub_rules),
        cmocka_unit_test(test_signature_error_echo_is_scrubbed),
        cmocka_unit_test(test_max_pages_ends_fresh_tokens),
        cmocka_unit_test(test_default_max_pages),
        cmocka_unit_test(test_run_timeout_ends_listing),
        cmocka_unit_test(test_run_timeout_stops_retries),
        cmocka_unit_test(test_attempts_counted_per_page),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    il_buf_release(&g_trace);
    return rc;
}
