/* Unit tests: EC2 instance metadata (IMDSv2) — settings from the environment and the profile (disabled, endpoint,
 * endpoint mode, timeout, attempts), the token-first request sequence and its headers, no IMDSv1 fallback, which
 * failures let the chain go on (not found) and which stop it, and that no reason carries the token or a secret. */
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

#define SECRET "ImdsUnitSecret/000000000000000000000000"
#define TOKEN "ImdsSessionTokenUnit0001"
#define IMDS_TOKEN "AQAEAImdsUnitToken0000000000000000000000000000000000=="
#define DOC                                                                                                            \
    "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-11-22T10:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n"        \
    "  \"AccessKeyId\" : \"ASIAIMDSUNIT0000001\",\n  \"SecretAccessKey\" : \"" SECRET "\",\n  \"Token\" : \"" TOKEN    \
    "\",\n  \"Expiration\" : \"2030-01-02T03:04:05Z\"\n}"

static char s_dir[256];
static char s_config[512];

static int s_setup(void **state) {
    (void)state;
    scratch_dir_make(s_dir, sizeof(s_dir), "il-imds");
    assert_true(snprintf(s_config, sizeof(s_config), "%s/config", s_dir) < (int)sizeof(s_config));
    scratch_write(s_config, "");
    setenv("AWS_CONFIG_FILE", s_config, 1);
    static const char *const vars[] = {
        "AWS_EC2_METADATA_DISABLED",    "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "AWS_METADATA_SERVICE_TIMEOUT", "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        unsetenv(vars[i]);
    }
    return 0;
}

static enum il_status s_settings(struct il_imds_settings *set, struct il_buf *why) {
    il_buf_reset(why);
    return il_imds_settings(set, why);
}

static void test_settings(void **state) {
    (void)state;
    struct il_imds_settings set;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_false(set.disabled);
    assert_string_equal(set.endpoint, "http://169.254.169.254");
    assert_int_equal(set.timeout_ms, 1000);
    assert_int_equal(set.attempts, 1);

    static const char *const off[] = {"true", "TRUE", "True"};
    for (size_t i = 0; i < 3; i++) {
        setenv("AWS_EC2_METADATA_DISABLED", off[i], 1);
        assert_int_equal(s_settings(&set, &why), IL_OK);
        assert_true(set.disabled);
    }
    static const char *const on[] = {"false", "1", "yes", ""};
    for (size_t i = 0; i < 4; i++) {
        setenv("AWS_EC2_METADATA_DISABLED", on[i], 1);
        assert_int_equal(s_settings(&set, &why), IL_OK);
        assert_false(set.disabled);
    }
    unsetenv("AWS_EC2_METADATA_DISABLED");

    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6", 1);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_string_equal(set.endpoint, "http://[fd00:ec2::254]");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv4", 1);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_string_equal(set.endpoint, "http://169.254.169.254");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "dualstack", 1);
    assert_int_equal(s_settings(&set, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6"));

    /* an explicit endpoint wins over the mode; a trailing slash is dropped */
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6", 1);
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8111/", 1);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_string_equal(set.endpoint, "http://127.0.0.1:8111");
    assert_string_equal(set.endpoint_from, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    static const char *const bad_endpoints[] = {"169.254.169.254", "ftp://x/", "http://u@127.0.0.1/",
                                                "http://127.0.0.1/?q=1"};
    for (size_t i = 0; i < 4; i++) {
        setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", bad_endpoints[i], 1);
        assert_int_equal(s_settings(&set, &why), IL_ERR_CREDENTIALS);
        assert_non_null(strstr(il_buf_cstr(&why), "AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http://"));
    }
    unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");

    setenv("AWS_METADATA_SERVICE_TIMEOUT", "5", 1);
    setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3", 1);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_int_equal(set.timeout_ms, 5000);
    assert_int_equal(set.attempts, 3);
    static const char *const bad_numbers[] = {"0", "1.5", "-1", "abc", "301", " 2"};
    for (size_t i = 0; i < 6; i++) {
        setenv("AWS_METADATA_SERVICE_TIMEOUT", bad_numbers[i], 1);
        assert_int_equal(s_settings(&set, &why), IL_ERR_CREDENTIALS);
        assert_non_null(strstr(il_buf_cstr(&why), "AWS_METADATA_SERVICE_TIMEOUT must be a whole number"));
    }
    unsetenv("AWS_METADATA_SERVICE_TIMEOUT");
    setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "11", 1);
    assert_int_equal(s_settings(&set, &why), IL_ERR_CREDENTIALS);
    unsetenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
    il_buf_release(&why);
}

static void test_settings_from_profile(void **state) {
    (void)state;
    struct il_imds_settings set;
    struct il_buf why;
    il_buf_init(&why, 4096);
    scratch_write(s_config, "[default]\nec2_metadata_service_endpoint_mode = IPv6\n"
                            "[profile dev]\nec2_metadata_service_endpoint = http://127.0.0.1:8222\n"
                            "metadata_service_timeout = 4\nmetadata_service_num_attempts = 2\n"
                            "[profile bad]\nec2_metadata_service_endpoint_mode = IPv5\n");
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_string_equal(set.endpoint, "http://[fd00:ec2::254]");
    setenv("AWS_PROFILE", "dev", 1);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_string_equal(set.endpoint, "http://127.0.0.1:8222");
    assert_string_equal(set.endpoint_from, "ec2_metadata_service_endpoint");
    assert_int_equal(set.timeout_ms, 4000);
    assert_int_equal(set.attempts, 2);
    /* the environment beats the profile */
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8333", 1);
    setenv("AWS_METADATA_SERVICE_TIMEOUT", "2", 1);
    assert_int_equal(s_settings(&set, &why), IL_OK);
    assert_string_equal(set.endpoint, "http://127.0.0.1:8333");
    assert_int_equal(set.timeout_ms, 2000);
    unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    unsetenv("AWS_METADATA_SERVICE_TIMEOUT");
    setenv("AWS_PROFILE", "bad", 1);
    assert_int_equal(s_settings(&set, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "ec2_metadata_service_endpoint_mode must be IPv4 or IPv6"));
    /* a malformed config file is an error, named by file:line */
    scratch_write(s_config, "[profile dev\n");
    setenv("AWS_PROFILE", "dev", 1);
    assert_int_equal(s_settings(&set, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), s_config));
    il_buf_release(&why);
}

static void s_no_secret(const char *why) {
    assert_null(strstr(why, SECRET));
    assert_null(strstr(why, TOKEN));
    assert_null(strstr(why, IMDS_TOKEN));
}

struct s_fixture {
    struct sf_script s;
    struct il_credentials_provider *p;
    struct il_buf why;
};

static enum il_status s_get(struct s_fixture *fx, const struct sf_reply *replies, size_t count,
                            struct il_credentials **c) {
    (void)sf_start(&fx->s, replies, count);
    il_buf_reset(&fx->why);
    return il_credentials_provider_get(fx->p, c, &fx->why);
}

static void test_token_first_sequence(void **state) {
    (void)state;
    struct s_fixture fx;
    struct il_remote_fetcher f = sf_start(&fx.s, NULL, 0);
    fx.p = il_credentials_provider_imds_new_with(&f);
    assert_non_null(fx.p);
    assert_string_equal(il_credentials_provider_name(fx.p), "imds");
    il_buf_init(&fx.why, 4096);
    struct il_credentials *c = NULL;
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8111", 1);
    setenv("AWS_METADATA_SERVICE_TIMEOUT", "3", 1);

    static const struct sf_reply ok[] = {
        {IL_HTTP_OK, 200, IMDS_TOKEN}, {IL_HTTP_OK, 200, "InspectorRole\n"}, {IL_HTTP_OK, 200, DOC}};
    assert_int_equal(s_get(&fx, ok, 3, &c), IL_OK);
    assert_int_equal(fx.s.count, 3);
    assert_string_equal(fx.s.requests[0].method, "PUT");
    assert_string_equal(fx.s.requests[0].url, "http://127.0.0.1:8111/latest/api/token");
    assert_string_equal(fx.s.requests[0].headers, "X-aws-ec2-metadata-token-ttl-seconds: 21600\n");
    assert_int_equal(fx.s.requests[0].timeout_ms, 3000);
    assert_string_equal(fx.s.requests[1].method, "GET");
    assert_string_equal(fx.s.requests[1].url, "http://127.0.0.1:8111/latest/meta-data/iam/security-credentials/");
    assert_string_equal(fx.s.requests[1].headers, "X-aws-ec2-metadata-token: " IMDS_TOKEN "\n");
    assert_string_equal(fx.s.requests[2].url,
                        "http://127.0.0.1:8111/latest/meta-data/iam/security-credentials/InspectorRole");
    assert_string_equal(fx.s.requests[2].headers, "X-aws-ec2-metadata-token: " IMDS_TOKEN "\n");
    assert_string_equal(il_credentials_access_key_id(c), "ASIAIMDSUNIT0000001");
    assert_string_equal(il_credentials_session_token(c), TOKEN);
    assert_int_equal(il_credentials_expiration(c), 1893553445);
    assert_string_equal(il_credentials_source(c), "imds");
    il_credentials_free(c);

    /* disabled: nothing is sent */
    setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
    assert_int_equal(s_get(&fx, ok, 3, &c), IL_ERR_NOTFOUND);
    assert_int_equal(fx.s.count, 0);
    assert_string_equal(il_buf_cstr(&fx.why), "disabled by AWS_EC2_METADATA_DISABLED");
    unsetenv("AWS_EC2_METADATA_DISABLED");

    /* a bad setting stops the chain before anything is sent */
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv7", 1);
    assert_int_equal(s_get(&fx, ok, 3, &c), IL_ERR_CREDENTIALS);
    assert_int_equal(fx.s.count, 0);
    unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");

    /* nothing answering: not found (a laptop), with every attempt spent */
    setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3", 1);
    assert_int_equal(s_get(&fx, NULL, 0, &c), IL_ERR_NOTFOUND);
    assert_int_equal(fx.s.count, 3);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "no instance metadata service at http://127.0.0.1:8111"));
    /* a certificate failure is not an absence */
    static const struct sf_reply tls[] = {{IL_HTTP_TLS, 0, NULL}};
    unsetenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
    assert_int_equal(s_get(&fx, tls, 1, &c), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "failed TLS verification"));
    setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3", 1);
    /* a transient failure then success */
    static const struct sf_reply flaky[] = {{IL_HTTP_TIMEOUT, 0, NULL},
                                            {IL_HTTP_OK, 503, ""},
                                            {IL_HTTP_OK, 200, IMDS_TOKEN},
                                            {IL_HTTP_OK, 200, "InspectorRole"},
                                            {IL_HTTP_OK, 200, DOC}};
    assert_int_equal(s_get(&fx, flaky, 5, &c), IL_OK);
    assert_int_equal(fx.s.count, 5);
    il_credentials_free(c);
    unsetenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
    il_buf_release(&fx.why);
    il_credentials_provider_free(fx.p);
}

static void test_failures(void **state) {
    (void)state;
    struct s_fixture fx;
    struct il_remote_fetcher f = sf_start(&fx.s, NULL, 0);
    fx.p = il_credentials_provider_imds_new_with(&f);
    assert_non_null(fx.p);
    il_buf_init(&fx.why, 4096);
    struct il_credentials *c = NULL;
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8111", 1);

    /* the token is refused: an error, and no IMDSv1 request follows */
    static const int refused[] = {403, 404, 405, 400};
    for (size_t i = 0; i < 4; i++) {
        struct sf_reply r[] = {
            {IL_HTTP_OK, refused[i], "Forbidden"}, {IL_HTTP_OK, 200, "InspectorRole"}, {IL_HTTP_OK, 200, DOC}};
        assert_int_equal(s_get(&fx, r, 3, &c), IL_ERR_CREDENTIALS);
        assert_int_equal(fx.s.count, 1);
        assert_non_null(strstr(il_buf_cstr(&fx.why), "refused a session token"));
        assert_non_null(strstr(il_buf_cstr(&fx.why), "IMDSv1 (no token) is never used"));
    }
    /* no role attached: not found, the chain goes on */
    static const struct sf_reply norole[] = {{IL_HTTP_OK, 200, IMDS_TOKEN}, {IL_HTTP_OK, 404, "Not Found"}};
    assert_int_equal(s_get(&fx, norole, 2, &c), IL_ERR_NOTFOUND);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "no IAM role"));
    /* the token is not accepted afterwards */
    static const struct sf_reply unauthorized[] = {{IL_HTTP_OK, 200, IMDS_TOKEN}, {IL_HTTP_OK, 401, "Unauthorized"}};
    assert_int_equal(s_get(&fx, unauthorized, 2, &c), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "failed to list the IAM role: HTTP 401"));
    s_no_secret(il_buf_cstr(&fx.why));
    /* a role name that would change the path */
    static const struct sf_reply badrole[] = {{IL_HTTP_OK, 200, IMDS_TOKEN}, {IL_HTTP_OK, 200, "../../user-data"}};
    assert_int_equal(s_get(&fx, badrole, 2, &c), IL_ERR_CREDENTIALS);
    assert_int_equal(fx.s.count, 2);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "malformed IAM role name"));
    /* an unusable token */
    static const struct sf_reply badtoken[] = {{IL_HTTP_OK, 200, "two words"}};
    assert_int_equal(s_get(&fx, badtoken, 1, &c), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "session token that is empty, too long or not printable"));
    /* IMDS reports a failure in Code */
    static const struct sf_reply code[] = {
        {IL_HTTP_OK, 200, IMDS_TOKEN},
        {IL_HTTP_OK, 200, "InspectorRole"},
        {IL_HTTP_OK, 200, "{\"Code\": \"AssumeRoleUnauthorizedAccess\", \"Message\": \"" SECRET "\"}"}};
    assert_int_equal(s_get(&fx, code, 3, &c), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "Code AssumeRoleUnauthorizedAccess instead of Success"));
    assert_non_null(strstr(il_buf_cstr(&fx.why), "role 'InspectorRole'"));
    s_no_secret(il_buf_cstr(&fx.why));
    /* malformed document; a failing credentials request */
    static const struct sf_reply bad_doc[] = {{IL_HTTP_OK, 200, IMDS_TOKEN},
                                              {IL_HTTP_OK, 200, "InspectorRole"},
                                              {IL_HTTP_OK, 200, "{\"SecretAccessKey\": \"" SECRET "\"}"}};
    assert_int_equal(s_get(&fx, bad_doc, 3, &c), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "without string AccessKeyId and SecretAccessKey"));
    s_no_secret(il_buf_cstr(&fx.why));
    static const struct sf_reply gone[] = {
        {IL_HTTP_OK, 200, IMDS_TOKEN}, {IL_HTTP_OK, 200, "InspectorRole"}, {IL_HTTP_RESET, 0, NULL}};
    assert_int_equal(s_get(&fx, gone, 3, &c), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&fx.why), "failed to give the credentials of role 'InspectorRole'"));
    s_no_secret(il_buf_cstr(&fx.why));
    assert_null(c);
    (void)f;
    il_buf_release(&fx.why);
    il_credentials_provider_free(fx.p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_settings, s_setup),
        cmocka_unit_test_setup(test_settings_from_profile, s_setup),
        cmocka_unit_test_setup(test_token_first_sequence, s_setup),
        cmocka_unit_test_setup(test_failures, s_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
