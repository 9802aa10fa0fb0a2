/* Unit tests: ECS container credentials — the plain-http host allow-list, RELATIVE_URI / FULL_URI precedence and
 * validation, the Authorization token (variable, file re-read each time, CR/LF refused), the credentials document,
 * refusals and retries, and that no reason carries the token, the secret or a response body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/credentials/aws_credentials_remote.h"
#include "scratch_dir.h"
#include "scripted_fetch.h"

#define SECRET "EcsUnitSecret/0000000000000000000000000"
#define TOKEN "EcsSessionTokenUnit0001"
#define AUTH "ecs-unit-auth-token-0001"
#define GOOD_DOC                                                                                                       \
    "{\"AccessKeyId\": \"ASIAECSUNIT00000001\", \"SecretAccessKey\": \"" SECRET "\", \"Token\": \"" TOKEN "\", "       \
    "\"Expiration\": \"2030-01-02T03:04:05Z\", \"RoleArn\": \"arn:aws:iam::1:role/r\"}"

static char s_dir[256];

static int s_setup(void **state) {
    (void)state;
    scratch_dir_make(s_dir, sizeof(s_dir), "il-ecs");
    unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    return 0;
}

static void test_host_allow_list(void **state) {
    (void)state;
    static const char *const allowed[] = {"127.0.0.1",    "127.255.3.9",     "localhost",     "LocalHost",
                                          "::1",          "0:0:0:0:0:0:0:1", "169.254.170.2", "169.254.170.23",
                                          "fd00:ec2::23", "FD00:EC2:0:0::23"};
    static const char *const refused[] = {
        "128.0.0.1",  "126.255.255.255", "169.254.170.3",        "169.254.169.254", "example.com", "127.1",
        "0177.0.0.1", "127.0.0.01",      "::ffff:127.0.0.1",     "fd00:ec2::254",   "localhost.",  "",
        "10.0.0.1",   "fe80::1",         "localhost.example.com"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        if (!il_ecs_host_allowed(allowed[i])) {
            fail_msg("host %s should be allowed", allowed[i]);
        }
    }
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        if (il_ecs_host_allowed(refused[i])) {
            fail_msg("host %s should be refused", refused[i]);
        }
    }
}

static enum il_status s_url(struct il_buf *url, struct il_buf *why) {
    il_buf_reset(why);
    return il_ecs_url(url, why);
}

static void test_url_precedence_and_validation(void **state) {
    (void)state;
    struct il_buf url, why;
    il_buf_init(&url, 4096);
    il_buf_init(&why, 4096);
    assert_int_equal(s_url(&url, &why), IL_ERR_NOTFOUND);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));

    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:8080/creds?x=1", 1);
    assert_int_equal(s_url(&url, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:8080/creds?x=1");
    /* the relative URI wins, on the ECS agent's address */
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc-123", 1);
    assert_int_equal(s_url(&url, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://169.254.170.2/v2/credentials/abc-123");
    static const char *const bad_relative[] = {"v2/creds", "@evil.example.com/x", "/a b", ":80@evil/x"};
    for (size_t i = 0; i < sizeof(bad_relative) / sizeof(bad_relative[0]); i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", bad_relative[i], 1);
        assert_int_equal(s_url(&url, &why), IL_ERR_CREDENTIALS);
        assert_non_null(strstr(il_buf_cstr(&why), "must be a path starting with '/'"));
    }
    char long_path[6000];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    long_path[sizeof(long_path) - 1] = '\0';
    setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", long_path, 1);
    assert_int_equal(s_url(&url, &why), IL_ERR_CREDENTIALS);
    assert_string_equal(il_buf_cstr(&why), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is too long");
    unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

    static const char *const ok_full[] = {"http://localhost/x",
                                          "http://[::1]:51679/creds",
                                          "http://169.254.170.23/v1/credentials",
                                          "http://[fd00:ec2::23]/v1/credentials",
                                          "https://creds.example.com/x",
                                          "https://10.1.2.3:8443/x",
                                          "http://127.0.0.1"};
    for (size_t i = 0; i < sizeof(ok_full) / sizeof(ok_full[0]); i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok_full[i], 1);
        if (s_url(&url, &why) != IL_OK) {
            fail_msg("FULL_URI %s should be accepted: %s", ok_full[i], il_buf_cstr(&why));
        }
    }
    static const char *const refused_full[] = {"http://creds.example.com/x", "http://10.1.2.3/x",
                                               "http://169.254.169.254/latest/", "http://[fe80::1]/x"};
    for (size_t i = 0; i < sizeof(refused_full) / sizeof(refused_full[0]); i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused_full[i], 1);
        assert_int_equal(s_url(&url, &why), IL_ERR_CREDENTIALS);
        assert_non_null(strstr(il_buf_cstr(&why), "plain http to host"));
        assert_non_null(strstr(il_buf_cstr(&why), "use https"));
    }
    static const char *const malformed_full[] = {"ftp://127.0.0.1/x", "127.0.0.1/x",   "http://127.0.0.1@evil.com/",
                                                 "http:///x",         "http://[::1/x", "http://127.0.0.1/a b"};
    for (size_t i = 0; i < sizeof(malformed_full) / sizeof(malformed_full[0]); i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", malformed_full[i], 1);
        assert_int_equal(s_url(&url, &why), IL_ERR_CREDENTIALS);
        assert_non_null(strstr(il_buf_cstr(&why), "is not an http:// or https:// URL"));
    }
    il_buf_release(&url);
    il_buf_release(&why);
}

static const struct sf_reply s_ok[] = {{IL_HTTP_OK, 200, GOOD_DOC}};

static void s_no_secret(const char *why) {
    assert_null(strstr(why, SECRET));
    assert_null(strstr(why, TOKEN));
    assert_null(strstr(why, AUTH));
}

static void test_fetch_token_and_document(void **state) {
    (void)state;
    struct sf_script s;
    struct il_remote_fetcher f = sf_start(&s, s_ok, 1);
    struct il_credentials_provider *p = il_credentials_provider_ecs_new_with(&f);
    assert_non_null(p);
    assert_string_equal(il_credentials_provider_name(p), "ecs");
    struct il_credentials *c = NULL;
    struct il_buf why;
    il_buf_init(&why, 4096);

    /* not configured: nothing is fetched */
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_NOTFOUND);
    assert_int_equal(s.count, 0);

    /* no token: no Authorization header */
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds", 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_int_equal(s.count, 1);
    assert_string_equal(s.requests[0].method, "GET");
    assert_string_equal(s.requests[0].url, "http://127.0.0.1:9/creds");
    assert_null(strstr(s.requests[0].headers, "Authorization"));
    assert_string_equal(il_credentials_access_key_id(c), "ASIAECSUNIT00000001");
    assert_string_equal(il_credentials_session_token(c), TOKEN);
    assert_int_equal(il_credentials_expiration(c), 1893553445); /* 2030-01-02T03:04:05Z */
    assert_string_equal(il_credentials_source(c), "ecs");
    il_credentials_free(c);

    /* the token variable is sent as Authorization */
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH, 1);
    f = sf_start(&s, s_ok, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_non_null(strstr(s.requests[0].headers, "Authorization: " AUTH "\n"));
    il_credentials_free(c);

    /* the token file wins, and is read again on every fetch (EKS rotates it) */
    char path[512];
    assert_true(snprintf(path, sizeof(path), "%s/token", s_dir) < (int)sizeof(path));
    scratch_write(path, "from-file-1");
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path, 1);
    f = sf_start(&s, s_ok, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_non_null(strstr(s.requests[0].headers, "Authorization: from-file-1\n"));
    il_credentials_free(c);
    scratch_write(path, "from-file-2");
    f = sf_start(&s, s_ok, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_non_null(strstr(s.requests[0].headers, "Authorization: from-file-2\n"));
    il_credentials_free(c);

    /* CR/LF would inject headers: refused before anything is sent, the value never quoted */
    scratch_write(path, AUTH "\n");
    f = sf_start(&s, s_ok, 1);
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 0);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE holds a line break"));
    s_no_secret(il_buf_cstr(&why));
    unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH "\r\nX-Injected: 1", 1);
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 0);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_CONTAINER_AUTHORIZATION_TOKEN holds a line break"));
    s_no_secret(il_buf_cstr(&why));
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/il-ecs-token", 1);
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
    (void)f;
    il_buf_release(&why);
    il_credentials_provider_free(p);
}

static void test_refusals_and_retries(void **state) {
    (void)state;
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:9/creds", 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH, 1);
    struct sf_script s;
    struct il_remote_fetcher f = sf_start(&s, NULL, 0);
    struct il_credentials_provider *p = il_credentials_provider_ecs_new_with(&f);
    assert_non_null(p);
    struct il_credentials *c = NULL;
    struct il_buf why;
    il_buf_init(&why, 4096);

    /* a refusal is not retried, names the status and the AWS code, never the rest of the body */
    static const struct sf_reply denied[] = {
        {IL_HTTP_OK, 401, "{\"code\": \"AccessDenied\", \"message\": \"token " AUTH " is wrong\"}"}};
    f = sf_start(&s, denied, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 1);
    assert_non_null(
        strstr(il_buf_cstr(&why), "refused: HTTP 401 AccessDenied (check AWS_CONTAINER_AUTHORIZATION_TOKEN)"));
    assert_non_null(strstr(il_buf_cstr(&why), "http://localhost:9/creds"));
    s_no_secret(il_buf_cstr(&why));

    /* 5xx and transport failures: three attempts (botocore's), then a configured-but-failing error */
    static const struct sf_reply flaky[] = {
        {IL_HTTP_OK, 500, "oops"}, {IL_HTTP_RESET, 0, NULL}, {IL_HTTP_OK, 200, GOOD_DOC}};
    f = sf_start(&s, flaky, 3);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_int_equal(s.count, 3);
    il_credentials_free(c);
    f = sf_start(&s, NULL, 0);
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 3);
    assert_non_null(strstr(il_buf_cstr(&why), "could not be reached: could not connect"));

    /* malformed documents: named, never quoted */
    static const char *const docs[] = {
        "not json " SECRET,
        "[]",
        "{\"AccessKeyId\": \"ASIA1\"}",
        "{\"AccessKeyId\": \"ASIA1\", \"SecretAccessKey\": \"" SECRET "\", \"Expiration\": \"soon\"}",
        "{\"AccessKeyId\": \"ASIA1\", \"SecretAccessKey\": \"" SECRET "\", \"Token\": 7}",
        "{\"AccessKeyId\": \"AS IA1\", \"SecretAccessKey\": \"" SECRET "\"}",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        struct sf_reply one[] = {{IL_HTTP_OK, 200, docs[i]}};
        f = sf_start(&s, one, 1);
        il_buf_reset(&why);
        assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
        assert_null(c);
        assert_non_null(strstr(il_buf_cstr(&why), "the container credentials endpoint http://localhost:9/creds"));
        s_no_secret(il_buf_cstr(&why));
    }
    /* no Token and no Expiration: long-term keys, accepted */
    static const struct sf_reply plain[] = {
        {IL_HTTP_OK, 200, "{\"AccessKeyId\": \"AKIAECS1\", \"SecretAccessKey\": \"" SECRET "\", \"Token\": null}"}};
    f = sf_start(&s, plain, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_null(il_credentials_session_token(c));
    assert_int_equal(il_credentials_expiration(c), 0);
    il_credentials_free(c);
    (void)f;
    il_buf_release(&why);
    il_credentials_provider_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_allow_list),
        cmocka_unit_test_setup(test_url_precedence_and_validation, s_setup),
        cmocka_unit_test_setup(test_fetch_token_and_document, s_setup),
        cmocka_unit_test_setup(test_refusals_and_retries, s_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
