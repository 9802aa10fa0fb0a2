/* Unit tests: role profiles' configuration rules, decided before any STS call (so no network is needed): the depth
 * cap, cycles (and botocore's self-reference exception), both/neither source settings, mfa_serial, unknown
 * credential_source, a source profile without credentials, duration_seconds bounds, the chain's "assume-role" entry
 * skipping plain profiles, --profile switching the environment off, and the assume-role constructor's ownership. */
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

#include "il/aws/assume_role.h"
#include "il/aws/credentials.h"

#define KEY_ID "AKIDROLEUNIT00000001"
#define SECRET "Zq9ROLEUNITsecretSECRETsecret0000xyz"

static char s_dir[256];
static char s_config[512];

static int s_setup(void **state) {
    (void)state;
    const char *base = getenv("IL_TEST_OUT");
    int n = snprintf(s_dir, sizeof(s_dir), "%s/il-roles-XXXXXX", base && *base ? base : "/tmp");
    assert_true(n > 0 && (size_t)n < sizeof(s_dir));
    if (base && *base) {
        (void)mkdir(base, 0700);
    }
    assert_non_null(mkdtemp(s_dir));
    n = snprintf(s_config, sizeof(s_config), "%s/config", s_dir);
    assert_true(n > 0 && (size_t)n < sizeof(s_config));
    setenv("AWS_CONFIG_FILE", s_config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_DEFAULT_PROFILE");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
    /* nothing here may reach a network: any STS call would go to a closed loopback port and fail */
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
    return 0;
}

static void s_write_config(const char *text) {
    FILE *f = fopen(s_config, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Ask the role entry of the chain for @p profile; returns the status and leaves the reason in @p why. */
static enum il_status s_role(const char *profile, struct il_buf *why) {
    setenv("AWS_PROFILE", profile, 1);
    struct il_credentials_provider *p = il_credentials_provider_profile_role_new(NULL);
    assert_non_null(p);
    assert_string_equal(il_credentials_provider_name(p), "assume-role");
    struct il_credentials *c = NULL;
    il_buf_reset(why);
    enum il_status st = il_credentials_provider_get(p, &c, why);
    assert_null(c);
    il_credentials_provider_free(p);
    assert_null(strstr(il_buf_cstr(why), SECRET));
    return st;
}

static void s_expect(const char *profile, enum il_status want, const char *needle) {
    struct il_buf why;
    il_buf_init(&why, 8192);
    enum il_status st = s_role(profile, &why);
    if (st != want || strstr(il_buf_cstr(&why), needle) == NULL) {
        fail_msg("profile '%s': status %d, reason '%s' (wanted %d with '%s')", profile, (int)st, il_buf_cstr(&why),
                 (int)want, needle);
    }
    il_buf_release(&why);
}

#define ROLE "role_arn = arn:aws:iam::111111111111:role/R\n"
#define KEYS "aws_access_key_id = " KEY_ID "\naws_secret_access_key = " SECRET "\n"

static void test_configuration_errors(void **state) {
    (void)state;
    s_write_config("[profile plain]\n" KEYS "[profile loop1]\n" ROLE "source_profile = loop2\n"
                   "[profile loop2]\n" ROLE "source_profile = loop1\n"
                   "[profile selfnokeys]\n" ROLE "source_profile = selfnokeys\n"
                   "[profile both]\n" ROLE "source_profile = plain\ncredential_source = Environment\n"
                   "[profile neither]\n" ROLE "[profile mfa]\n" ROLE "source_profile = plain\nmfa_serial = arn:x\n"
                   "[profile badsource]\n" ROLE "credential_source = ec2instancemetadata\n"
                   "[profile empty]\nregion = us-east-1\n[profile fromempty]\n" ROLE "source_profile = empty\n"
                   "[profile short]\n" ROLE "source_profile = plain\nduration_seconds = 899\n"
                   "[profile long]\n" ROLE "source_profile = plain\nduration_seconds = 43201\n"
                   "[profile envrole]\n" ROLE "credential_source = Environment\n"
                   "[profile webid]\n" ROLE "web_identity_token_file = /nonexistent\n");
    s_expect("plain", IL_ERR_NOTFOUND, "no role_arn in profile 'plain'");
    s_expect("nosuch", IL_ERR_NOTFOUND, "no role_arn in profile 'nosuch'");
    /* web identity profiles are not assume-role profiles: the profile entry of the chain exchanges their token */
    s_expect("webid", IL_ERR_NOTFOUND, "profile 'webid' exchanges a web identity token for its role");
    s_expect("loop1", IL_ERR_CREDENTIALS, "loops: 'loop1' -> 'loop2' -> 'loop1'");
    s_expect("selfnokeys", IL_ERR_CREDENTIALS, "loops: 'selfnokeys' -> 'selfnokeys'");
    s_expect("both", IL_ERR_CREDENTIALS, "both source_profile and credential_source");
    s_expect("neither", IL_ERR_CREDENTIALS, "neither source_profile nor credential_source");
    s_expect("mfa", IL_ERR_CREDENTIALS, "needs an MFA code");
    s_expect("badsource", IL_ERR_CREDENTIALS, "credential_source 'ec2instancemetadata' is not valid"); /* exact case */
    s_expect("fromempty", IL_ERR_CREDENTIALS, "source_profile 'empty' of profile 'fromempty' has no usable");
    s_expect("short", IL_ERR_CREDENTIALS, "duration_seconds '899'");
    s_expect("long", IL_ERR_CREDENTIALS, "duration_seconds '43201'");
    s_expect("envrole", IL_ERR_CREDENTIALS, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
}

static void test_depth_cap(void **state) {
    (void)state;
    /* p0 -> p1 -> ... -> p9 (keys): ten profiles, more than IL_ASSUME_ROLE_MAX_DEPTH */
    char text[4096];
    size_t len = 0;
    for (int i = 0; i < 9; i++) {
        int n = snprintf(text + len, sizeof(text) - len, "[profile p%d]\n" ROLE "source_profile = p%d\n", i, i + 1);
        assert_true(n > 0 && (size_t)n < sizeof(text) - len);
        len += (size_t)n;
    }
    int n = snprintf(text + len, sizeof(text) - len, "[profile p9]\n" KEYS);
    assert_true(n > 0 && (size_t)n < sizeof(text) - len);
    s_write_config(text);
    s_expect("p0", IL_ERR_CREDENTIALS, "longer than 8 profiles");
    /* seven hops would be within the cap: the walk gets as far as STS, which is unreachable here */
    s_expect("p2", IL_ERR_CREDENTIALS, "sts AssumeRole");
}

static void test_explicit_profile_skips_environment(void **state) {
    (void)state;
    s_write_config("[profile plain]\n" KEYS);
    setenv("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT00001", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value-000000000000", 1);
    setenv("AWS_PROFILE", "plain", 1);
    struct il_credentials_chain_options o = {.explicit_profile = 1};
    struct il_credentials_provider *with = il_credentials_provider_default_new_with(&o);
    struct il_credentials_provider *without = il_credentials_provider_default_new_with(NULL);
    assert_non_null(with);
    assert_non_null(without);
    struct il_credentials *c = NULL;
    assert_int_equal(il_credentials_provider_get(with, &c, NULL), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), KEY_ID);
    il_credentials_free(c);
    assert_int_equal(il_credentials_provider_get(without, &c, NULL), IL_OK);
    assert_string_equal(il_credentials_source(c), "environment");
    il_credentials_free(c);
    il_credentials_provider_free(with);
    il_credentials_provider_free(without);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
}

static void test_assume_role_ownership(void **state) {
    (void)state;
    /* without a role ARN: NULL, and the source is freed (ASan would report a leak otherwise) */
    struct il_assume_role_options none = {0};
    assert_null(il_credentials_provider_assume_role_new_take(il_credentials_provider_env_new(), &none));
    assert_null(il_credentials_provider_assume_role_new_take(il_credentials_provider_env_new(), NULL));
    /* a source with nothing: IL_ERR_CREDENTIALS naming the role, the source's reason kept */
    struct il_assume_role_options o = {.role_arn = "arn:aws:iam::111111111111:role/R", .external_id = "x"};
    struct il_credentials_provider *p =
        il_credentials_provider_assume_role_new_take(il_credentials_provider_env_new(), &o);
    assert_non_null(p);
    assert_string_equal(il_credentials_provider_name(p), "assume-role");
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *c = NULL;
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "no source credentials to assume arn:aws:iam::111111111111:role/R"));
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_ACCESS_KEY_ID"));
    il_buf_release(&why);
    il_credentials_provider_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_configuration_errors, s_setup),
        cmocka_unit_test_setup(test_depth_cap, s_setup),
        cmocka_unit_test_setup(test_explicit_profile_skips_environment, s_setup),
        cmocka_unit_test_setup(test_assume_role_ownership, s_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
