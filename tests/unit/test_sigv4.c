/* Unit tests: SigV4 stages beyond AWS's suite (edge cases, errors, the signing-key cache). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_internal.h"
#include "il/aws/sigv4.h"

#define T0 INT64_C(1440938160) /* 20150830T123600Z */

static const struct il_http_header s_host[] = {{"Host", "example.amazonaws.com"}};

static struct il_sigv4_params s_params(void) {
    struct il_sigv4_params p = {.region = "us-east-1", .service = "service", .time = T0, .normalize_path = 1};
    return p;
}

/* Line @p n (0-based) of the canonical request for @p path / @p query, into a static buffer. */
static const char *s_creq_line(const char *path, const char *query, int normalize, int n) {
    static char line[1024];
    struct il_sigv4_request req = {.method = "GET", .path = path, .query = query, .headers = s_host, .header_count = 1};
    struct il_sigv4_params params = s_params();
    params.normalize_path = normalize;
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_sigv4_canonical_request(&req, &params, &out, NULL), IL_OK);
    const char *p = il_buf_cstr(&out);
    for (int i = 0; i < n; i++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    size_t len = strcspn(p, "\n");
    assert_true(len < sizeof(line));
    memcpy(line, p, len);
    line[len] = '\0';
    il_buf_release(&out);
    return line;
}

static void test_canonical_uri(void **state) {
    (void)state;
    assert_string_equal(s_creq_line("", NULL, 1, 1), "/");
    assert_string_equal(s_creq_line("/a/b/../c", NULL, 1, 1), "/a/c");
    assert_string_equal(s_creq_line("/a/b/..", NULL, 1, 1), "/a"); /* botocore's remove_dot_segments */
    assert_string_equal(s_creq_line("/../..", NULL, 1, 1), "/");
    assert_string_equal(s_creq_line("//a//b//", NULL, 1, 1), "/a/b/");
    /* the wire path is encoded once more: AWS's double encoding for every service but S3 */
    assert_string_equal(s_creq_line("/a%20b/%E1%88%B4", NULL, 1, 1), "/a%2520b/%25E1%2588%25B4");
    assert_string_equal(s_creq_line("/2015-03-31/functions/my:fn/tags", NULL, 1, 1),
                        "/2015-03-31/functions/my%3Afn/tags");
    assert_string_equal(s_creq_line("/-_.~AZaz09!*'()", NULL, 1, 1), "/-_.~AZaz09%21%2A%27%28%29");
    /* S3 style: the wire path untouched */
    assert_string_equal(s_creq_line("//a/./b%20c", NULL, 0, 1), "//a/./b%20c");
}

static void test_canonical_query(void **state) {
    (void)state;
    assert_string_equal(s_creq_line("/", NULL, 1, 2), "");
    assert_string_equal(s_creq_line("/", "", 1, 2), "");
    assert_string_equal(s_creq_line("/", "b=2&a=1&a=0", 1, 2), "a=0&a=1&b=2");
    assert_string_equal(s_creq_line("/", "flag", 1, 2), "flag=");
    assert_string_equal(s_creq_line("/", "=v&a=", 1, 2), "=v&a=");
    /* any legal spelling of the same value signs the same */
    assert_string_equal(s_creq_line("/", "a=%7e&b=~&c=%7E&d=%41", 1, 2), "a=~&b=~&c=~&d=A");
    assert_string_equal(s_creq_line("/", "k=a%2fb&k2=a/b", 1, 2), "k=a%2Fb&k2=a%2Fb");
    /* '+' is a literal plus, a stray '%' a literal percent */
    assert_string_equal(s_creq_line("/", "a=b+c&p=%zz&q=%4", 1, 2), "a=b%2Bc&p=%25zz&q=%254");
    /* sorted on the encoded forms, bytewise: upper case before lower case, '%' before letters */
    assert_string_equal(s_creq_line("/", "b=1&B=1&%C3%A9=1&_=1", 1, 2), "%C3%A9=1&B=1&_=1&b=1");
    assert_string_equal(s_creq_line("/", "a=1&&b", 1, 2), "=&a=1&b=");
}

static void test_canonical_headers(void **state) {
    (void)state;
    const struct il_http_header headers[] = {
        {"Host", "example.amazonaws.com"},
        {"User-Agent", "curl/8"},
        {"X-Amz-Date", "19700101T000000Z"},
        {"Authorization", "stale"},
        {"Content-Type", "  a \t b  "},
        {"x-custom", "1"},
        {"X-Custom", "2"},
        {"X-Amz-Security-Token", "stale"},
    };
    struct il_sigv4_request req = {.method = "post", .path = "/", .headers = headers, .header_count = 8};
    struct il_sigv4_params params = s_params();
    params.add_content_sha256 = 1;
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("AKIDEXAMPLE", "secret", "TOKEN", 0, &creds), IL_OK);
    struct il_buf out, names;
    il_buf_init(&out, 0);
    il_buf_init(&names, 0);
    assert_int_equal(il_sigv4_canonical_request_with(&req, &params, creds, &out, &names), IL_OK);
    assert_string_equal(il_buf_cstr(&out),
                        "POST\n/\n\n"
                        "content-type:a b\n"
                        "host:example.amazonaws.com\n"
                        "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                        "x-amz-date:20150830T123600Z\n"
                        "x-amz-security-token:TOKEN\n"
                        "x-custom:1,2\n"
                        "\n"
                        "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom\n"
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_string_equal(il_buf_cstr(&names),
                        "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom");
    /* without a token in the credentials the caller's X-Amz-Security-Token is an ordinary header */
    il_buf_reset(&out);
    il_buf_reset(&names);
    assert_int_equal(il_sigv4_canonical_request(&req, &params, &out, &names), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&out), "x-amz-security-token:stale\n"));
    il_buf_release(&out);
    il_buf_release(&names);
    il_credentials_free(creds);
}

static void test_payload_override_and_body(void **state) {
    (void)state;
    const struct il_http_header headers[] = {{"Host", "h"}, {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"}};
    struct il_sigv4_request req = {
        .method = "PUT", .path = "/", .headers = headers, .header_count = 2, .body = "{}", .body_len = 2};
    struct il_sigv4_params params = s_params();
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_sigv4_canonical_request(&req, &params, &out, NULL), IL_OK);
    const char *last = strrchr(il_buf_cstr(&out), '\n');
    assert_string_equal(last + 1, "UNSIGNED-PAYLOAD");
    il_buf_reset(&out);
    req.header_count = 1;
    assert_int_equal(il_sigv4_canonical_request(&req, &params, &out, NULL), IL_OK);
    last = strrchr(il_buf_cstr(&out), '\n');
    assert_string_equal(last + 1,
                        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"); /* sha256("{}") */
    il_buf_release(&out);
}

static void test_invalid_input(void **state) {
    (void)state;
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("AKIDEXAMPLE", "secret", NULL, 0, &creds), IL_OK);
    const struct il_http_header no_host[] = {{"X-A", "1"}};
    const struct il_http_header bad_name[] = {{"Host", "h"}, {"Bad Name", "1"}};
    const struct il_http_header colon_name[] = {{"Host", "h"}, {"a:b", "1"}};
    struct il_sigv4_request ok = {.method = "GET", .path = "/", .headers = s_host, .header_count = 1};
    struct il_sigv4_request req;
    struct il_sigv4_params params;
    struct il_sigv4_result result;

#define EXPECT_INVALID()                                                                                               \
    do {                                                                                                               \
        assert_int_equal(il_sigv4_sign(&req, &params, creds, &result), IL_ERR_INVALID);                                \
        assert_null(result.authorization);                                                                             \
        assert_null(result.amz_date);                                                                                  \
    } while (0)

    req = ok, params = s_params(), req.headers = no_host;
    EXPECT_INVALID();
    req = ok, req.headers = bad_name, req.header_count = 2;
    EXPECT_INVALID();
    req = ok, req.headers = colon_name, req.header_count = 2;
    EXPECT_INVALID();
    req = ok, req.path = "relative";
    EXPECT_INVALID();
    req = ok, req.method = "";
    EXPECT_INVALID();
    req = ok, req.method = "G T";
    EXPECT_INVALID();
    req = ok, req.body = NULL, req.body_len = 3;
    EXPECT_INVALID();
    req = ok, params.region = "";
    EXPECT_INVALID();
    params = s_params(), params.region = "us/east";
    EXPECT_INVALID();
    params = s_params(), params.service = "a b";
    EXPECT_INVALID();
    params = s_params(), params.service = NULL;
    EXPECT_INVALID();
    params = s_params(), params.time = -1;
    EXPECT_INVALID();
    params = s_params(), params.time = INT64_C(253402300800);
    EXPECT_INVALID();
    params = s_params();
    assert_int_equal(il_sigv4_sign(&req, &params, NULL, &result), IL_ERR_INVALID);
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &result), IL_OK);
    il_sigv4_result_release(&result);
    il_sigv4_result_release(&result); /* release twice is harmless */
    il_sigv4_result_release(NULL);
#undef EXPECT_INVALID
    il_credentials_free(creds);
}

static void test_amz_date(void **state) {
    (void)state;
    char d[17];
    assert_int_equal(il_sigv4_amz_date(0, d), IL_OK);
    assert_string_equal(d, "19700101T000000Z");
    assert_int_equal(il_sigv4_amz_date(T0, d), IL_OK);
    assert_string_equal(d, "20150830T123600Z");
    assert_int_equal(il_sigv4_amz_date(INT64_C(951782400), d), IL_OK); /* leap day 2000 */
    assert_string_equal(d, "20000229T000000Z");
    assert_int_equal(il_sigv4_amz_date(-1, d), IL_ERR_INVALID);
}

static void test_signing_key_cache(void **state) {
    (void)state;
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL, 0, &creds),
                     IL_OK);
    struct il_sigv4_request req = {.method = "GET", .path = "/", .headers = s_host, .header_count = 1};
    struct il_sigv4_params params = s_params();
    struct il_sigv4_result first, again;
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &first), IL_OK);
    assert_int_equal(il_credentials_key_cache_misses(creds), 1);
    params.time += 3600; /* same day: the cached key, and still the right signature */
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &again), IL_OK);
    assert_int_equal(il_credentials_key_cache_misses(creds), 1);
    struct il_credentials *fresh = NULL;
    assert_int_equal(il_credentials_copy(creds, &fresh), IL_OK);
    struct il_sigv4_result uncached;
    assert_int_equal(il_sigv4_sign(&req, &params, fresh, &uncached), IL_OK);
    assert_string_equal(again.authorization, uncached.authorization);
    assert_int_equal(il_credentials_key_cache_misses(fresh), 1);
    il_sigv4_result_release(&again);
    il_sigv4_result_release(&uncached);
    params.time += 86400; /* next day */
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &again), IL_OK);
    assert_int_equal(il_credentials_key_cache_misses(creds), 2);
    il_sigv4_result_release(&again);
    params.service = "lambda";
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &again), IL_OK);
    assert_int_equal(il_credentials_key_cache_misses(creds), 3);
    il_sigv4_result_release(&again);
    /* more scopes than slots: every answer is still right */
    const char *regions[] = {"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"};
    for (size_t i = 0; i < 10; i++) {
        params.region = regions[i];
        assert_int_equal(il_sigv4_sign(&req, &params, creds, &again), IL_OK);
        assert_int_equal(il_sigv4_sign(&req, &params, fresh, &uncached), IL_OK);
        assert_string_equal(again.authorization, uncached.authorization);
        il_sigv4_result_release(&again);
        il_sigv4_result_release(&uncached);
    }
    il_sigv4_result_release(&first);
    il_credentials_free(fresh);
    il_credentials_free(creds);
}

static void test_unsigned_token(void **state) {
    (void)state;
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("AKIDEXAMPLE", "secret", "TOKEN", 0, &creds), IL_OK);
    struct il_sigv4_request req = {.method = "GET", .path = "/", .headers = s_host, .header_count = 1};
    struct il_sigv4_params params = s_params();
    struct il_sigv4_result signed_tok, unsigned_tok;
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &signed_tok), IL_OK);
    params.unsigned_security_token = 1;
    assert_int_equal(il_sigv4_sign(&req, &params, creds, &unsigned_tok), IL_OK);
    assert_non_null(strstr(signed_tok.authorization, "SignedHeaders=host;x-amz-date;x-amz-security-token,"));
    assert_non_null(strstr(unsigned_tok.authorization, "SignedHeaders=host;x-amz-date,"));
    assert_string_equal(signed_tok.security_token, "TOKEN");
    assert_string_equal(unsigned_tok.security_token, "TOKEN");
    il_sigv4_result_release(&signed_tok);
    il_sigv4_result_release(&unsigned_tok);
    il_credentials_free(creds);
}

static void test_sensitive_headers(void **state) {
    (void)state;
    assert_true(il_sigv4_header_is_sensitive("Authorization"));
    assert_true(il_sigv4_header_is_sensitive("x-amz-security-token"));
    assert_true(il_sigv4_header_is_sensitive("X-Amz-Security-Token"));
    assert_true(il_sigv4_header_is_sensitive("X-aws-ec2-metadata-token"));
    assert_false(il_sigv4_header_is_sensitive("X-Amz-Date"));
    assert_false(il_sigv4_header_is_sensitive("Host"));
    assert_false(il_sigv4_header_is_sensitive(NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_uri),     cmocka_unit_test(test_canonical_query),
        cmocka_unit_test(test_canonical_headers), cmocka_unit_test(test_payload_override_and_body),
        cmocka_unit_test(test_invalid_input),     cmocka_unit_test(test_amz_date),
        cmocka_unit_test(test_signing_key_cache), cmocka_unit_test(test_unsigned_token),
        cmocka_unit_test(test_sensitive_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
