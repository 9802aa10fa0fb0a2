/* Unit tests: the AWS client engine and service calls over a scripted transport with a virtual clock. */
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
#include "il/aws/inspector2.h"
#include "il/aws/lambda.h"
#include "il/aws/sts.h"
#include "il/aws/tagging.h"
#include "scripted_transport.h"

#define TEST_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY"
#define TEST_TOKEN "FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE"

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
    return 1795000000; /* 2026-11-18, before the assumed credentials expire */
}

static void s_setup(struct fixture *f, st_handler_fn handler, unsigned max_attempts, double rate) {
    st_init(&g_s, handler);
    il_buf_release(&g_trace);
    il_buf_init(&g_trace, 0);
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("AKIDEXAMPLE", TEST_SECRET, TEST_TOKEN, 0, &creds), IL_OK);
    f->provider = il_credentials_provider_static_new(creds, "test");
    il_credentials_free(creds);
    assert_non_null(f->provider);
    struct il_aws_client_config cfg = {
        .region = "us-east-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = f->provider,
        .account = "123456789012",
        .max_attempts = max_attempts,
        .rate_limit = rate,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
        .jitter_seed = 42,
        .debug_fn = s_trace,
        .wall_time = s_wall,
    };
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_aws_client_new(&cfg, &f->client, &why), IL_OK);
    il_buf_release(&why);
}

static void s_teardown(struct fixture *f) {
    il_aws_client_free(f->client);
    il_credentials_provider_free(f->provider);
    /* nothing secret may reach the trace, whatever the test did */
    assert_null(strstr(il_buf_cstr(&g_trace), TEST_SECRET));
    assert_null(strstr(il_buf_cstr(&g_trace), TEST_TOKEN));
    il_buf_release(&g_trace);
}

#define RID "x-amzn-RequestId: req-1\n"
#define THROTTLE                                                                                                       \
    {                                                                                                                  \
        IL_HTTP_OK, 429, RID "x-amzn-ErrorType: TooManyRequestsException\n",                                           \
            "{\"Reason\":\"CallerRateLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate exceeded\"}"                 \
    }
#define TAGS_OK                                                                                                        \
    { IL_HTTP_OK, 200, RID, "{\"Tags\":{\"InspectorExclusion\":\"LambdaStandardScanning\"}}" }
#define ARN "arn:aws:lambda:us-east-1:123456789012:function:fn-1"

static void test_throttle_then_success(void **state) {
    (void)state;
    static const struct st_reply script[] = {THROTTLE, THROTTLE, TAGS_OK};
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 3;
    struct il_tag_list tags;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_OK);
    assert_int_equal(g_s.count, 3);
    assert_int_equal(tags.count, 1);
    assert_string_equal(il_tag_list_get(&tags, "InspectorExclusion"), "LambdaStandardScanning");
    /* ARN percent-encoded in the path, signed, session token sent */
    assert_non_null(strstr(g_s.requests[0].url, "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A"));
    assert_string_equal(g_s.requests[0].method, "GET");
    assert_non_null(strstr(g_s.requests[0].headers, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assert_non_null(strstr(g_s.requests[0].headers, "X-Amz-Security-Token: " TEST_TOKEN));
    assert_non_null(strstr(g_s.requests[0].headers, "Host: lambda.us-east-1.amazonaws.com"));
    /* full-jitter backoff: retry i waits less than 2^(i-1) s */
    assert_true(g_s.requests[1].at_ms - g_s.requests[0].at_ms < 1000);
    assert_true(g_s.requests[2].at_ms - g_s.requests[1].at_ms < 2000);
    struct il_aws_stats st;
    il_aws_client_stats(f.client, &st);
    assert_int_equal(st.attempts, 3);
    assert_int_equal(st.retries, 2);
    assert_int_equal(st.throttled, 2);
    assert_non_null(strstr(il_buf_cstr(&g_trace), "Authorization: REDACTED"));
    assert_non_null(strstr(il_buf_cstr(&g_trace), "X-Amz-Security-Token: REDACTED"));
    il_tag_list_release(&tags);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_retries_exhausted(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 503, RID, "{\"message\":\"slow down\"}"},
        {IL_HTTP_RESET, 0, NULL, NULL},
        {IL_HTTP_OK, 500, RID "x-amzn-ErrorType: ServiceException:http://internal\n", "{\"Message\":\"boom\"}"},
        TAGS_OK,
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 4;
    struct il_tag_list tags;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_ERR_AWS);
    assert_int_equal(g_s.count, 3); /* max attempts, never a 4th */
    assert_int_equal(err.attempts, 3);
    assert_int_equal(err.http_status, 500);
    assert_string_equal(err.code, "ServiceException");
    assert_string_equal(err.message, "boom");
    assert_string_equal(err.request_id, "req-1");
    assert_string_equal(err.resource, ARN);
    assert_int_equal(tags.count, 0);
    struct il_buf d;
    il_buf_init(&d, 0);
    assert_int_equal(il_aws_error_describe(&err, &d), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&d), "lambda ListTags"));
    assert_non_null(strstr(il_buf_cstr(&d), "after 3 attempts"));
    il_buf_release(&d);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_access_denied_not_retried(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 403, RID "x-amzn-ErrorType: AccessDeniedException\n",
         "{\"Message\":\"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:ListFunctions "
         "on resource: *\"}"},
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 1;
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_ERR_AWS);
    assert_int_equal(g_s.count, 1);
    assert_string_equal(err.code, "AccessDeniedException");
    assert_string_equal(err.missing_action, "lambda:ListFunctions");
    assert_string_equal(err.operation, "ListFunctions");
    assert_string_equal(err.region, "us-east-1");
    assert_string_equal(err.account, "123456789012");
    struct il_aws_ref ref;
    il_aws_error_ref(&err, &ref);
    assert_string_equal(ref.service, "lambda");
    assert_int_equal(ref.http_status, 403);
    assert_string_equal(ref.request_id, "req-1");
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* ListFunctions over 3 pages; the handler answers by Marker. */
static struct st_reply s_pages(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)n;
    if (strstr(req->url, "Marker=m2") != NULL) {
        return (struct st_reply){IL_HTTP_OK, 200, RID,
                                 "{\"Functions\":[{\"FunctionName\":\"c\",\"FunctionArn\":\"arn:c\",\"PackageType\":"
                                 "\"Image\"}]}"};
    }
    if (strstr(req->url, "Marker=m%2B1") != NULL) {
        return (struct st_reply){IL_HTTP_OK, 200, RID,
                                 "{\"Functions\":[{\"FunctionName\":\"b\",\"FunctionArn\":\"arn:b\",\"Runtime\":"
                                 "\"python3.12\",\"KMSKeyArn\":\"arn:aws:kms:us-east-1:1:key/k\"}],\"NextMarker\":"
                                 "\"m2\"}"};
    }
    return (struct st_reply){IL_HTTP_OK, 200, RID,
                             "{\"Functions\":[{\"FunctionName\":\"a\",\"FunctionArn\":\"arn:a\",\"Runtime\":"
                             "\"nodejs20.x\",\"LastModified\":\"2026-01-01T00:00:00.000+0000\"}],\"NextMarker\":"
                             "\"m+1\"}"};
}

static void test_list_functions_paginates(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_pages, 3, -1);
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_OK);
    assert_int_equal(g_s.count, 3);
    assert_non_null(strstr(g_s.requests[0].url, "/2015-03-31/functions?MaxItems=50"));
    assert_non_null(strstr(g_s.requests[1].url, "Marker=m%2B1&MaxItems=50"));
    assert_int_equal(list.count, 3);
    assert_string_equal(list.items[0].name, "a");
    assert_string_equal(list.items[0].runtime, "nodejs20.x");
    assert_string_equal(list.items[1].kms_key_arn, "arn:aws:kms:us-east-1:1:key/k");
    assert_null(list.items[0].kms_key_arn);
    assert_string_equal(list.items[2].package_type, "Image");
    assert_null(list.items[2].runtime);
    il_lambda_function_list_release(&list);
    il_aws_error_release(&err);
    s_teardown(&f);
}

struct s_stream {
    char names[8][8];
    size_t count;
    size_t calls;
    size_t fail_on_call;
    enum il_status done_status;
    int done;
};

static enum il_status s_stream_fns(void *ctx, const struct il_lambda_function *fns, size_t count) {
    struct s_stream *st = ctx;
    st->calls++;
    if (st->calls == st->fail_on_call) {
        return IL_ERR_LIMIT;
    }
    for (size_t i = 0; i < count && st->count < 8; i++) {
        snprintf(st->names[st->count++], 8, "%s", fns[i].name);
    }
    return IL_OK;
}

static void s_stream_done(void *ctx, const struct il_aws_error *err) {
    struct s_stream *st = ctx;
    st->done++;
    st->done_status = err->status;
}

static void test_list_functions_stream(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_pages, 3, -1);
    struct s_stream st = {0};
    assert_int_equal(il_lambda_list_functions_stream_start(f.client, 0, s_stream_fns, &st, s_stream_done, &st), IL_OK);
    assert_int_equal(il_aws_client_run(f.client), IL_OK);
    assert_int_equal(st.done, 1);
    assert_int_equal(st.done_status, IL_OK);
    assert_int_equal(st.calls, 3);
    assert_int_equal(st.count, 3);
    assert_string_equal(st.names[0], "a");
    assert_string_equal(st.names[2], "c");
    /* the consumer stops the listing: no further pages are fetched */
    struct s_stream st2 = {.fail_on_call = 2};
    size_t before = g_s.count;
    assert_int_equal(il_lambda_list_functions_stream_start(f.client, 0, s_stream_fns, &st2, s_stream_done, &st2),
                     IL_OK);
    assert_int_equal(il_aws_client_run(f.client), IL_OK);
    assert_int_equal(st2.done, 1);
    assert_int_equal(st2.done_status, IL_ERR_LIMIT);
    assert_int_equal(g_s.count - before, 2);
    s_teardown(&f);
}

static struct st_reply s_loop(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)req;
    (void)n;
    return (struct st_reply){IL_HTTP_OK, 200, RID, "{\"Functions\":[],\"NextMarker\":\"same\"}"};
}

static void test_pagination_loop_is_an_error(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_loop, 3, -1);
    struct il_lambda_function_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_functions(f.client, 0, &list, &err), IL_ERR_LIMIT);
    assert_int_equal(g_s.count, 2); /* the second page repeats the token: stop */
    assert_non_null(strstr(err.message, "pagination token"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_malformed_and_truncated_bodies(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID, "{\"Tags\": {\"a\": "},
        {IL_HTTP_TRUNCATED, 0, NULL, NULL},
        {IL_HTTP_OK, 200, RID, "<html>not json</html>"},
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 3;
    struct il_tag_list tags;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_ERR_PARSE);
    assert_int_equal(g_s.count, 3);
    assert_non_null(strstr(err.message, "malformed response"));
    il_aws_error_release(&err);
    /* a body over the cap is not retried */
    static const struct st_reply big[] = {{IL_HTTP_TOO_LARGE, 0, NULL, NULL}, TAGS_OK};
    st_init(&g_s, NULL);
    g_s.script = big, g_s.script_len = 2;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(f.client, ARN, &tags, &err), IL_ERR_LIMIT);
    assert_int_equal(g_s.count, 1);
    assert_non_null(strstr(err.message, "larger than"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_get_function_not_found(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 404, RID "x-amzn-ErrorType: ResourceNotFoundException\n",
         "{\"Type\":\"User\",\"message\":\"Function not found: arn:x\"}"},
        {IL_HTTP_OK, 200, RID,
         "{\"Configuration\":{\"FunctionName\":\"f\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:"
         "f\",\"Runtime\":\"java21\"},"
         "\"Code\":{\"Location\":\"https://x/?X-Amz-Security-Token=zzz\"},\"Tags\":{\"k\":\"v\"}}"},
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 2;
    struct il_aws_error err;
    il_aws_error_init(&err);
    int found = -1;
    struct il_lambda_function fn;
    struct il_tag_list tags;
    assert_int_equal(il_lambda_get_function(f.client, "arn:x", &found, &fn, &tags, &err), IL_OK);
    assert_int_equal(found, 0);
    assert_int_equal(g_s.count, 1);
    assert_int_equal(il_lambda_get_function(f.client, "f", &found, &fn, &tags, &err), IL_OK);
    assert_int_equal(found, 1);
    assert_string_equal(fn.runtime, "java21");
    assert_string_equal(il_tag_list_get(&tags, "k"), "v");
    assert_null(strstr(il_buf_cstr(&g_trace), "zzz")); /* GetFunction bodies are never traced */
    il_lambda_function_release(&fn);
    il_tag_list_release(&tags);
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* Batch: fn-13 is missing, every third request is throttled once. */
static struct st_reply s_batch(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    if (strstr(req->url, "fn-13") != NULL) {
        return (struct st_reply){IL_HTTP_OK, 404, RID "x-amzn-ErrorType: ResourceNotFoundException\n",
                                 "{\"message\":\"nope\"}"};
    }
    if (n % 3 == 0) {
        return (struct st_reply)THROTTLE;
    }
    return (struct st_reply){IL_HTTP_OK, 200, RID, "{\"Tags\":{\"n\":\"1\"}}"};
}

static void test_list_tags_batch_rate_limited(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_batch, 5, 10.0); /* 10 requests/s */
    g_s.latency_ms = 50;
    enum { N = 40 };
    char names[N][80];
    const char *arns[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "arn:aws:lambda:us-east-1:123456789012:function:fn-%d", i);
        arns[i] = names[i];
    }
    struct il_lambda_tags_result results[N];
    memset(results, 0, sizeof(results));
    uint64_t start = g_s.now;
    assert_int_equal(il_lambda_list_tags_batch(f.client, arns, N, results), IL_OK);
    for (int i = 0; i < N; i++) {
        if (i == 13) {
            assert_int_equal(results[i].error.status, IL_ERR_AWS);
            assert_string_equal(results[i].error.code, "ResourceNotFoundException");
            assert_string_equal(results[i].error.resource, arns[i]);
        } else {
            assert_int_equal(results[i].error.status, IL_OK);
            assert_string_equal(il_tag_list_get(&results[i].tags, "n"), "1");
        }
        il_lambda_tags_result_release(&results[i]);
    }
    /* paced: no 1-second window holds more than 10 starts (burst 1) */
    for (size_t i = 10; i < g_s.count; i++) {
        assert_true(g_s.requests[i].at_ms - g_s.requests[i - 10].at_ms >= 900);
    }
    assert_true(g_s.now - start >= (uint64_t)(g_s.count - 1) * 100 - 50);
    s_teardown(&f);
}

static void test_concurrency_without_limit(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_batch, 5, -1); /* unlimited rate: concurrency is the only bound */
    g_s.latency_ms = 100;
    enum { N = 64 };
    char names[N][80];
    const char *arns[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "arn:aws:lambda:us-east-1:123456789012:function:g-%d", i);
        arns[i] = names[i];
    }
    struct il_lambda_tags_result results[N];
    memset(results, 0, sizeof(results));
    assert_int_equal(il_lambda_list_tags_batch(f.client, arns, N, results), IL_OK);
    for (int i = 0; i < N; i++) {
        assert_int_equal(results[i].error.status, IL_OK);
        il_lambda_tags_result_release(&results[i]);
    }
    assert_int_equal(g_s.max_pending, IL_AWS_DEFAULT_MAX_CONCURRENCY);
    s_teardown(&f);
}

static void test_tag_untag_requests(void **state) {
    (void)state;
    static const struct st_reply script[] = {{IL_HTTP_OK, 204, RID, ""}, {IL_HTTP_OK, 204, RID, ""}};
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 2;
    char key[] = "InspectorExclusion", value[] = "Lambda\"Standard";
    struct il_tag tags[] = {{key, value}};
    const char *keys[] = {"a b", "c"};
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_tag_resource(f.client, ARN, tags, 1, &err), IL_OK);
    assert_int_equal(il_lambda_untag_resource(f.client, ARN, keys, 2, &err), IL_OK);
    assert_string_equal(g_s.requests[0].method, "POST");
    assert_string_equal(g_s.requests[0].body, "{\"Tags\":{\"InspectorExclusion\":\"Lambda\\\"Standard\"}}");
    assert_non_null(strstr(g_s.requests[0].headers, "Content-Type: application/json"));
    assert_string_equal(g_s.requests[1].method, "DELETE");
    assert_non_null(strstr(g_s.requests[1].url, "?tagKeys=a%20b&tagKeys=c"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static struct st_reply s_tagging(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)n;
    if (strstr(req->body, "\"PaginationToken\":\"p2\"") != NULL) {
        return (struct st_reply){IL_HTTP_OK, 200, RID,
                                 "{\"PaginationToken\":\"\",\"ResourceTagMappingList\":[{\"ResourceARN\":\"arn:2\","
                                 "\"Tags\":[{\"Key\":\"InspectorExclusion\",\"Value\":\"x\"}]}]}"};
    }
    return (struct st_reply){IL_HTTP_OK, 200, RID,
                             "{\"PaginationToken\":\"p2\",\"ResourceTagMappingList\":[{\"ResourceARN\":\"arn:1\","
                             "\"Tags\":[]}]}"};
}

static void test_tagging_get_resources(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_tagging, 3, -1);
    const char *values[] = {"LambdaStandardScanning"};
    struct il_tag_filter filter = {"InspectorExclusion", values, 1};
    struct il_tagged_resource_list list;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_tagging_get_resources(f.client, &filter, 1, 0, &list, &err), IL_OK);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[1].arn, "arn:2");
    assert_string_equal(list.items[1].tags.items[0].value, "x");
    assert_int_equal(g_s.count, 2);
    assert_non_null(strstr(g_s.requests[0].headers, "X-Amz-Target: ResourceGroupsTaggingAPI_20170126.GetResources"));
    assert_non_null(strstr(g_s.requests[0].headers, "Content-Type: application/x-amz-json-1.1"));
    assert_non_null(strstr(g_s.requests[0].headers, "Host: tagging.us-east-1.amazonaws.com"));
    assert_string_equal(g_s.requests[0].body,
                        "{\"ResourceTypeFilters\":[\"lambda:function\"],\"ResourcesPerPage\":100,\"TagFilters\":[{"
                        "\"Key\":\"InspectorExclusion\",\"Values\":[\"LambdaStandardScanning\"]}]}");
    il_tagged_resource_list_release(&list);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_sts_assume_role_and_errors(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
         "<AssumedRoleUser><Arn>arn:aws:sts::222222222222:assumed-role/R/s</Arn><AssumedRoleId>A:s</AssumedRoleId>"
         "</AssumedRoleUser><Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>tmp&amp;secretVALUE"
         "</SecretAccessKey><SessionToken>tmpTOKENvalue</SessionToken><Expiration>2026-11-22T12:00:00Z</Expiration>"
         "</Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
         "</AssumeRoleResponse>"},
        {IL_HTTP_OK, 403, NULL,
         "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: x is not authorized to "
         "perform: sts:AssumeRole on resource: arn:aws:iam::333:role/R</Message></Error><RequestId>rid-9</RequestId>"
         "</ErrorResponse>"},
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 2;
    struct il_sts_assume_role_params p = {
        .role_arn = "arn:aws:iam::222222222222:role/R", .session_name = "s", .external_id = "ext&1"};
    struct il_sts_assumed out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_sts_assume_role(f.client, &p, &out, &err), IL_OK);
    assert_string_equal(il_credentials_access_key_id(out.credentials), "ASIATEMP");
    assert_string_equal(il_credentials_secret(out.credentials), "tmp&secretVALUE");
    assert_string_equal(il_credentials_session_token(out.credentials), "tmpTOKENvalue");
    assert_int_equal(out.expiration, 1795348800);
    assert_string_equal(out.assumed_role_arn, "arn:aws:sts::222222222222:assumed-role/R/s");
    assert_string_equal(g_s.requests[0].body, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                                              "222222222222%3Arole%2FR&RoleSessionName=s&ExternalId=ext%261");
    assert_non_null(strstr(g_s.requests[0].headers, "Host: sts.us-east-1.amazonaws.com"));
    il_sts_assumed_release(&out);
    assert_int_equal(il_sts_assume_role(f.client, &p, &out, &err), IL_ERR_AWS);
    assert_string_equal(err.code, "AccessDenied");
    assert_string_equal(err.request_id, "rid-9");
    assert_string_equal(err.missing_action, "sts:AssumeRole");
    assert_null(out.credentials);
    /* STS bodies never reach the trace */
    assert_null(strstr(il_buf_cstr(&g_trace), "tmpTOKENvalue"));
    assert_null(strstr(il_buf_cstr(&g_trace), "secretVALUE"));
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_web_identity_is_unsigned(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAW"
         "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>"
         "2026-11-22T12:00:00.123Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
         "</AssumeRoleWithWebIdentityResponse>"},
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 1;
    struct il_sts_assume_role_params p = {.role_arn = "arn:aws:iam::1:role/G",
                                          .session_name = "gh",
                                          .web_identity_token = "eyJhbGciOiJSUzI1NiJ9.SECRETJWT.sig"};
    struct il_sts_assumed out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_sts_assume_role_with_web_identity(f.client, &p, &out, &err), IL_OK);
    assert_null(strstr(g_s.requests[0].headers, "Authorization"));
    assert_non_null(strstr(g_s.requests[0].body, "WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.SECRETJWT.sig"));
    assert_null(strstr(il_buf_cstr(&g_trace), "SECRETJWT"));
    il_sts_assumed_release(&out);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_inspector2_calls(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "{\"accounts\":[{\"accountId\":\"123456789012\",\"state\":{\"status\":\"ENABLED\"},\"resourceState\":{"
         "\"lambda\":{\"status\":\"ENABLED\"},\"lambdaCode\":{\"status\":\"DISABLED\"}}}],\"failedAccounts\":[{"
         "\"accountId\":\"999999999999\",\"errorCode\":\"ACCESS_DENIED\",\"errorMessage\":\"no\"}]}"},
        {IL_HTTP_OK, 200, RID,
         "{\"nextToken\":\"t1\",\"coveredResources\":[{\"resourceId\":\"arn:f1\",\"resourceType\":"
         "\"AWS_LAMBDA_FUNCTION\",\"accountId\":\"123456789012\",\"scanType\":\"PACKAGE\",\"scanStatus\":{"
         "\"statusCode\":"
         "\"INACTIVE\",\"reason\":\"EXCLUDED_BY_TAG\"}}]}"},
        {IL_HTTP_OK, 200, RID, "{\"coveredResources\":[]}"},
    };
    struct fixture f;
    s_setup(&f, NULL, 3, -1);
    g_s.script = script, g_s.script_len = 3;
    struct il_inspector_account_list accts;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_batch_get_account_status(f.client, NULL, 0, &accts, &err), IL_OK);
    assert_int_equal(accts.count, 2);
    assert_string_equal(accts.items[0].lambda_status, "ENABLED");
    assert_string_equal(accts.items[0].lambda_code_status, "DISABLED");
    assert_string_equal(accts.items[1].error_code, "ACCESS_DENIED");
    il_inspector_account_list_release(&accts);
    struct il_inspector_coverage_list cov;
    assert_int_equal(il_inspector2_list_coverage(f.client, "PACKAGE", 0, &cov, &err), IL_OK);
    assert_int_equal(cov.count, 1);
    assert_string_equal(cov.items[0].status_reason, "EXCLUDED_BY_TAG");
    assert_non_null(strstr(g_s.requests[2].body, "\"nextToken\":\"t1\""));
    assert_non_null(strstr(g_s.requests[1].url, "https://inspector2.us-east-1.amazonaws.com/coverage/list"));
    il_inspector_coverage_list_release(&cov);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_no_credentials_is_clear(void **state) {
    (void)state;
    st_init(&g_s, NULL);
    struct il_credentials_provider *env = il_credentials_provider_env_new();
    assert_non_null(env);
    struct il_aws_client_config cfg = {
        .region = "eu-west-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = env,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
    };
    struct il_aws_client *c = NULL;
    assert_int_equal(il_aws_client_new(&cfg, &c, NULL), IL_OK);
    struct il_sts_identity id;
    struct il_aws_error err;
    il_aws_error_init(&err);
    unsetenv("AWS_ACCESS_KEY_ID");
    assert_int_equal(il_sts_get_caller_identity(c, &id, &err), IL_ERR_CREDENTIALS);
    assert_int_equal(g_s.count, 0);
    assert_non_null(strstr(err.message, "no usable credentials"));
    il_aws_error_release(&err);
    il_aws_client_free(c);
    il_credentials_provider_free(env);
}

/* Answers by host: each region has one function named after it. */
static struct st_reply s_regional(struct scripted *s, size_t n, const struct st_request *req) {
    (void)s;
    (void)n;
    if (strstr(req->url, "/tags/") != NULL) {
        return (struct st_reply){IL_HTTP_OK, 200, RID,
                                 strstr(req->url, "eu-west-1") ? "{\"Tags\":{\"r\":\"eu\"}}"
                                                               : "{\"Tags\":{\"r\":\"us\"}}"};
    }
    if (strstr(req->url, "lambda.eu-west-1") != NULL) {
        return (struct st_reply){IL_HTTP_OK, 200, RID,
                                 "{\"Functions\":[{\"FunctionName\":\"eu\",\"FunctionArn\":"
                                 "\"arn:aws:lambda:eu-west-1:1:function:eu\"}]}"};
    }
    return (struct st_reply){IL_HTTP_OK, 200, RID,
                             "{\"Functions\":[{\"FunctionName\":\"us\",\"FunctionArn\":"
                             "\"arn:aws:lambda:us-east-1:1:function:us\"}]}"};
}

static void s_count_done(void *ctx, const struct il_aws_error *err) {
    int *n = ctx;
    assert_int_equal(err->status, IL_OK);
    (*n)++;
}

static void test_regions_run_together(void **state) {
    (void)state;
    struct fixture f;
    s_setup(&f, s_regional, 3, -1);
    g_s.latency_ms = 100;
    struct il_aws_client *eu = NULL;
    assert_int_equal(il_aws_client_derive(f.client, "eu-west-1", NULL, NULL, &eu, NULL), IL_OK);
    assert_string_equal(il_aws_client_region(eu), "eu-west-1");
    struct il_lambda_function_list us_list, eu_list;
    int done = 0;
    assert_int_equal(il_lambda_list_functions_start(f.client, 0, &us_list, s_count_done, &done), IL_OK);
    assert_int_equal(il_lambda_list_functions_start(eu, 0, &eu_list, s_count_done, &done), IL_OK);
    uint64_t t0 = g_s.now;
    assert_int_equal(il_aws_client_run(f.client), IL_OK);
    assert_int_equal(done, 2);
    assert_int_equal(g_s.max_pending, 2); /* both regions in flight together */
    assert_true(g_s.now - t0 < 200);
    assert_string_equal(us_list.items[0].name, "us");
    assert_string_equal(eu_list.items[0].name, "eu");
    /* ListTags across both regions in one batch */
    struct il_aws_client *clients[] = {f.client, eu};
    const char *arns[] = {us_list.items[0].arn, eu_list.items[0].arn};
    struct il_lambda_tags_result res[2];
    memset(res, 0, sizeof(res));
    assert_int_equal(il_lambda_list_tags_multi(clients, arns, 2, res), IL_OK);
    assert_string_equal(il_tag_list_get(&res[0].tags, "r"), "us");
    assert_string_equal(il_tag_list_get(&res[1].tags, "r"), "eu");
    il_lambda_tags_result_release(&res[0]);
    il_lambda_tags_result_release(&res[1]);
    il_lambda_function_list_release(&us_list);
    il_lambda_function_list_release(&eu_list);
    il_aws_client_free(eu);
    s_teardown(&f);
}

static int g_gets;
static enum il_status s_counting_get(struct il_credentials_provider *p, struct il_credentials **out,
                                     struct il_buf *why) {
    (void)p;
    (void)why;
    g_gets++;
    return il_credentials_new(g_gets == 1 ? "ASIAOLD" : "ASIANEW", TEST_SECRET, TEST_TOKEN, 0, out);
}
static void s_counting_destroy(struct il_credentials_provider *p) {
    (void)p;
}
static const struct il_credentials_provider_vtable s_counting_vtable = {"counting", s_counting_get, s_counting_destroy};

static void test_expired_token_refreshes_once(void **state) {
    (void)state;
    static const struct st_reply script[] = {
        {IL_HTTP_OK, 403, RID "x-amzn-ErrorType: ExpiredTokenException\n", "{\"message\":\"expired\"}"},
        TAGS_OK,
        {IL_HTTP_OK, 403, RID "x-amzn-ErrorType: ExpiredTokenException\n", "{\"message\":\"expired\"}"},
        {IL_HTTP_OK, 403, RID "x-amzn-ErrorType: ExpiredTokenException\n", "{\"message\":\"expired\"}"},
        TAGS_OK,
    };
    st_init(&g_s, NULL);
    g_s.script = script, g_s.script_len = 5;
    g_gets = 0;
    struct il_credentials_provider provider = {&s_counting_vtable, NULL};
    struct il_aws_client_config cfg = {
        .region = "us-east-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = &provider,
        .max_attempts = 3,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
    };
    struct il_aws_client *c = NULL;
    assert_int_equal(il_aws_client_new(&cfg, &c, NULL), IL_OK);
    struct il_tag_list tags;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_lambda_list_tags(c, ARN, &tags, &err), IL_OK);
    assert_int_equal(g_gets, 2);
    assert_int_equal(g_s.count, 2);
    assert_non_null(strstr(g_s.requests[0].headers, "Credential=ASIAOLD/"));
    assert_non_null(strstr(g_s.requests[1].headers, "Credential=ASIANEW/"));
    il_tag_list_release(&tags);
    /* a second expiry in the same request is final: refresh once, not forever */
    assert_int_equal(il_lambda_list_tags(c, ARN, &tags, &err), IL_ERR_AWS);
    assert_string_equal(err.code, "ExpiredTokenException");
    assert_int_equal(g_s.count, 4);
    il_aws_error_release(&err);
    il_aws_client_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_throttle_then_success),
        cmocka_unit_test(test_retries_exhausted),
        cmocka_unit_test(test_access_denied_not_retried),
        cmocka_unit_test(test_list_functions_paginates),
        cmocka_unit_test(test_pagination_loop_is_an_error),
        cmocka_unit_test(test_list_functions_stream),
        cmocka_unit_test(test_malformed_and_truncated_bodies),
        cmocka_unit_test(test_get_function_not_found),
        cmocka_unit_test(test_list_tags_batch_rate_limited),
        cmocka_unit_test(test_concurrency_without_limit),
        cmocka_unit_test(test_tag_untag_requests),
        cmocka_unit_test(test_tagging_get_resources),
        cmocka_unit_test(test_sts_assume_role_and_errors),
        cmocka_unit_test(test_web_identity_is_unsigned),
        cmocka_unit_test(test_inspector2_calls),
        cmocka_unit_test(test_no_credentials_is_clear),
        cmocka_unit_test(test_expired_token_refreshes_once),
        cmocka_unit_test(test_regions_run_together),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
