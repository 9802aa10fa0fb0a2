/* Unit tests: the run's AWS settings (il/aws/settings.h) — every setting from the profile, the environment and the
 * flag, their precedence, the `[services]` sections, and each refusal naming the setting and where it came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "il/aws/client.h"
#include "il/aws/settings.h"
#include "scratch_dir.h"

static char s_dir[512];
static char s_config[600];
static char s_creds[600];

/* A fake environment: NULL-terminated name/value pairs (AWS_CONFIG_FILE and the credentials path are the process's,
 * set in s_files). */
static const char *s_env(void *ctx, const char *name) {
    const char *const *kv = ctx;
    for (; kv && kv[0]; kv += 2) {
        if (strcmp(kv[0], name) == 0) {
            return kv[1];
        }
    }
    return NULL;
}

static void s_files(const char *config, const char *creds) {
    if (s_dir[0] == '\0') {
        scratch_dir_make(s_dir, sizeof(s_dir), "il-settings");
    }
    snprintf(s_config, sizeof(s_config), "%s/config", s_dir);
    snprintf(s_creds, sizeof(s_creds), "%s/credentials", s_dir);
    scratch_write(s_config, config);
    scratch_write(s_creds, creds ? creds : "");
    setenv("AWS_CONFIG_FILE", s_config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", s_creds, 1);
}

static enum il_status s_load(const char *profile, const char *const *env, struct il_aws_settings *s,
                             struct il_buf *why) {
    struct il_aws_settings_flags flags = {.profile = profile, .getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)env};
    il_buf_reset(why);
    return il_aws_settings_load(&flags, s, why);
}

static const char *const s_noenv[] = {NULL};

static const char *s_config_text = "[default]\n"
                                   "region = eu-west-1\n"
                                   "\n"
                                   "[profile full]\n"
                                   "region = us-gov-west-1\n"
                                   "endpoint_url = https://vpce-1.example.internal\n"
                                   "services = vpc\n"
                                   "max_attempts = 7\n"
                                   "retry_mode = adaptive\n"
                                   "ca_bundle = /dev/null\n"
                                   "use_fips_endpoint = true\n"
                                   "use_dualstack_endpoint = TRUE\n"
                                   "sts_regional_endpoints = legacy\n"
                                   "ignore_configured_endpoint_urls = false\n"
                                   "\n"
                                   "[services vpc]\n"
                                   "lambda =\n"
                                   "  endpoint_url = https://vpce-lambda.example.internal\n"
                                   "resource_groups_tagging_api =\n"
                                   "  endpoint_url = https://vpce-tagging.example.internal\n"
                                   "sts =\n"
                                   "  endpoint_url = https://vpce-sts.example.internal\n"
                                   "inspector2 =\n"
                                   "  endpoint_url = https://vpce-inspector2.example.internal\n"
                                   "organizations =\n"
                                   "  endpoint_url = https://vpce-org.example.internal\n"
                                   "sso =\n"
                                   "  endpoint_url = https://vpce-sso.example.internal\n"
                                   "\n"
                                   "[profile nosvc]\n"
                                   "services = missing\n"
                                   "\n"
                                   "[profile legacy]\n"
                                   "retry_mode = legacy\n";

static void test_defaults(void **state) {
    (void)state;
    s_files("[profile other]\nregion = us-east-2\n[default]\nregion =\nendpoint_url =\n", NULL);
    struct il_aws_settings s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_int_equal(s_load(NULL, s_noenv, &s, &why), IL_OK);
    assert_string_equal(s.profile, "default");
    assert_string_equal(s.profile_source, "default");
    assert_null(s.region.value); /* empty values are unset */
    assert_null(s.endpoint_url.value);
    assert_int_equal(s.retry_mode, IL_RETRY_MODE_STANDARD);
    assert_int_equal(s.max_attempts, 3);
    assert_string_equal(s.max_attempts_source, "default");
    assert_false(s.use_fips);
    assert_false(s.use_dualstack);
    assert_false(s.sts_global);
    assert_null(s.ca_bundle.value);
    il_aws_settings_release(&s);
    il_buf_release(&why);
}

static void test_profile_values(void **state) {
    (void)state;
    s_files(s_config_text, NULL);
    struct il_aws_settings s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_int_equal(s_load("full", s_noenv, &s, &why), IL_OK);
    assert_string_equal(s.profile_source, "--profile");
    assert_string_equal(s.region.value, "us-gov-west-1");
    assert_non_null(strstr(s.region.source, "profile full ("));
    assert_non_null(strstr(s.region.source, "config:5)"));
    assert_string_equal(s.endpoint_url.value, "https://vpce-1.example.internal");
    assert_string_equal(s.service_endpoint_url[IL_AWS_LAMBDA].value, "https://vpce-lambda.example.internal");
    assert_string_equal(s.service_endpoint_url[IL_AWS_TAGGING].value, "https://vpce-tagging.example.internal");
    assert_string_equal(s.service_endpoint_url[IL_AWS_STS].value, "https://vpce-sts.example.internal");
    assert_string_equal(s.service_endpoint_url[IL_AWS_INSPECTOR2].value, "https://vpce-inspector2.example.internal");
    assert_string_equal(s.service_endpoint_url[IL_AWS_ORGANIZATIONS].value, "https://vpce-org.example.internal");
    assert_string_equal(s.service_endpoint_url[IL_AWS_SSO].value, "https://vpce-sso.example.internal");
    assert_non_null(strstr(s.service_endpoint_url[IL_AWS_SSO].source, "[services vpc] sso ("));
    assert_int_equal(s.max_attempts, 7);
    assert_int_equal(s.retry_mode, IL_RETRY_MODE_ADAPTIVE);
    assert_string_equal(s.ca_bundle.value, "/dev/null");
    assert_true(s.use_fips);
    assert_true(s.use_dualstack);
    assert_true(s.sts_global);
    assert_false(s.ignore_configured);
    il_aws_settings_release(&s);

    /* [default] for the implicit profile; legacy mode's default attempts are 5 */
    assert_int_equal(s_load(NULL, s_noenv, &s, &why), IL_OK);
    assert_string_equal(s.region.value, "eu-west-1");
    il_aws_settings_release(&s);
    assert_int_equal(s_load("legacy", s_noenv, &s, &why), IL_OK);
    assert_int_equal(s.retry_mode, IL_RETRY_MODE_LEGACY);
    assert_int_equal(s.max_attempts, 5);
    il_aws_settings_release(&s);
    il_buf_release(&why);
}

/* flag > environment > profile > default, for each setting with a variable */
static void test_precedence(void **state) {
    (void)state;
    s_files(s_config_text, "[full]\nregion = ap-south-1\n");
    struct il_aws_settings s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    static const char *const env[] = {"AWS_PROFILE",
                                      "legacy",
                                      "AWS_RETRY_MODE",
                                      "standard",
                                      "AWS_MAX_ATTEMPTS",
                                      "2",
                                      "AWS_USE_FIPS_ENDPOINT",
                                      "false",
                                      "AWS_USE_DUALSTACK_ENDPOINT",
                                      "false",
                                      "AWS_STS_REGIONAL_ENDPOINTS",
                                      "regional",
                                      "AWS_CA_BUNDLE",
                                      "/dev/zero",
                                      "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                      "true",
                                      NULL};
    /* --profile beats AWS_PROFILE */
    assert_int_equal(s_load("full", env, &s, &why), IL_OK);
    assert_string_equal(s.profile, "full");
    /* the credentials file's value beats the config file's, as botocore merges them */
    assert_string_equal(s.region.value, "ap-south-1");
    assert_int_equal(s.retry_mode, IL_RETRY_MODE_STANDARD);
    assert_string_equal(s.retry_mode_source, "AWS_RETRY_MODE");
    assert_int_equal(s.max_attempts, 2);
    assert_string_equal(s.max_attempts_source, "AWS_MAX_ATTEMPTS");
    assert_false(s.use_fips);
    assert_string_equal(s.use_fips_source, "AWS_USE_FIPS_ENDPOINT");
    assert_false(s.use_dualstack);
    assert_false(s.sts_global);
    assert_string_equal(s.ca_bundle.value, "/dev/zero");
    assert_true(s.ignore_configured);
    il_aws_settings_release(&s);
    /* AWS_PROFILE without the flag; --max-attempts beats AWS_MAX_ATTEMPTS */
    struct il_aws_settings_flags flags = {.max_attempts = 9, .getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)env};
    assert_int_equal(il_aws_settings_load(&flags, &s, &why), IL_OK);
    assert_string_equal(s.profile, "legacy");
    assert_string_equal(s.profile_source, "AWS_PROFILE");
    assert_int_equal(s.max_attempts, 9);
    assert_string_equal(s.max_attempts_source, "--max-attempts");
    il_aws_settings_release(&s);
    static const char *const dflt[] = {"AWS_DEFAULT_PROFILE", "full", NULL};
    assert_int_equal(s_load(NULL, dflt, &s, &why), IL_OK);
    assert_string_equal(s.profile, "full");
    assert_string_equal(s.profile_source, "AWS_DEFAULT_PROFILE");
    il_aws_settings_release(&s);
    il_buf_release(&why);
}

static void s_refused(const char *profile, const char *const *env, enum il_status want, const char *const *needles) {
    struct il_aws_settings s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_int_equal(s_load(profile, env, &s, &why), want);
    for (; *needles; needles++) {
        if (strstr(il_buf_cstr(&why), *needles) == NULL) {
            fail_msg("'%s' not in '%s'", *needles, il_buf_cstr(&why));
        }
    }
    il_aws_settings_release(&s);
    il_buf_release(&why);
}

static void test_refusals(void **state) {
    (void)state;
    s_files("[profile bad]\nmax_attempts = x\n"
            "[profile badmode]\n\nretry_mode = fast\n"
            "[profile badbool]\nuse_fips_endpoint = 1\n"
            "[profile badsts]\nsts_regional_endpoints = global\n"
            "[profile badregion]\nregion = us-east-1.evil.com\n"
            "[profile badca]\nca_bundle = /nonexistent/ca.pem\n"
            "[profile zero]\nmax_attempts = 0\n"
            "[profile nosvc]\nservices = missing\n",
            "[keys]\naws_access_key_id = AKIDEXAMPLE\n");
    s_refused("bad", s_noenv, IL_ERR_INVALID,
              (const char *const[]){"max_attempts", "'x'", "profile bad (", ":2)", NULL});
    s_refused("badmode", s_noenv, IL_ERR_INVALID,
              (const char *const[]){"retry_mode", "'fast'", "config:5)", "legacy, standard or adaptive", NULL});
    s_refused("badbool", s_noenv, IL_ERR_INVALID,
              (const char *const[]){"use_fips_endpoint", "'1'", "true or false", NULL});
    s_refused("badsts", s_noenv, IL_ERR_INVALID,
              (const char *const[]){"sts_regional_endpoints", "'global'", "legacy or regional", NULL});
    s_refused("badregion", s_noenv, IL_ERR_INVALID, (const char *const[]){"region", "us-east-1.evil.com", NULL});
    s_refused("badca", s_noenv, IL_ERR_INVALID, (const char *const[]){"ca_bundle", "/nonexistent/ca.pem", NULL});
    s_refused("zero", s_noenv, IL_ERR_INVALID, (const char *const[]){"max_attempts", "'0'", NULL});
    s_refused("nosvc", s_noenv, IL_ERR_NOTFOUND, (const char *const[]){"[services missing]", "profile nosvc", NULL});
    static const char *const bogus[] = {"AWS_RETRY_MODE", "bogus", NULL};
    s_refused(NULL, bogus, IL_ERR_INVALID, (const char *const[]){"retry_mode", "'bogus'", "from AWS_RETRY_MODE", NULL});
    static const char *const attempts[] = {"AWS_MAX_ATTEMPTS", "21", NULL};
    s_refused(NULL, attempts, IL_ERR_INVALID, (const char *const[]){"max_attempts", "AWS_MAX_ATTEMPTS", NULL});
    static const char *const dual[] = {"AWS_USE_DUALSTACK_ENDPOINT", "yes", NULL};
    s_refused(NULL, dual, IL_ERR_INVALID,
              (const char *const[]){"use_dualstack_endpoint", "AWS_USE_DUALSTACK_ENDPOINT", NULL});
    static const char *const ign[] = {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "on", NULL};
    s_refused(NULL, ign, IL_ERR_INVALID, (const char *const[]){"ignore_configured_endpoint_urls", NULL});
    /* a named profile in neither file, even with key variables set */
    static const char *const keys[] = {
        "AWS_PROFILE", "nosuch", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "x", NULL};
    s_refused(NULL, keys, IL_ERR_INVALID,
              (const char *const[]){"the config profile (nosuch) could not be found", "named by AWS_PROFILE", NULL});
    s_refused("nosuch", s_noenv, IL_ERR_INVALID, (const char *const[]){"(nosuch)", "named by --profile", NULL});
    static const char *const dflt[] = {"AWS_DEFAULT_PROFILE", "nosuch", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", NULL};
    s_refused(NULL, dflt, IL_ERR_INVALID, (const char *const[]){"(nosuch)", "named by AWS_DEFAULT_PROFILE", NULL});
    /* a profile only in the credentials file exists */
    struct il_aws_settings s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_int_equal(s_load("keys", s_noenv, &s, &why), IL_OK);
    il_aws_settings_release(&s);
    /* a malformed file is a parse error with file:line */
    s_files("[profile broken\nregion = x\n", NULL);
    assert_int_equal(s_load(NULL, s_noenv, &s, &why), IL_ERR_PARSE);
    assert_non_null(strstr(il_buf_cstr(&why), "config:1:1"));
    il_aws_settings_release(&s);
    il_buf_release(&why);
}

/* The settings reach endpoint resolution in botocore's order. */
static void test_endpoints(void **state) {
    (void)state;
    s_files(s_config_text, NULL);
    struct il_aws_settings s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_int_equal(s_load("full", s_noenv, &s, &why), IL_OK);
    struct il_aws_endpoint_config cfg = {.getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)s_noenv};
    il_aws_settings_endpoints(&s, &cfg);
    cfg.use_fips = cfg.use_dualstack = 0; /* a custom endpoint with FIPS is the rule set's error (below) */
    char *url = NULL;
    const char *source = NULL;
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_LAMBDA, "us-gov-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "https://vpce-lambda.example.internal");
    assert_string_equal(source, "profile services endpoint_url");
    free(url);
    /* the service's variable beats the services section, which beats AWS_ENDPOINT_URL */
    static const char *const env[] = {"AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:1", "AWS_ENDPOINT_URL",
                                      "http://127.0.0.1:2", NULL};
    cfg.getenv_ctx = (void *)(uintptr_t)env;
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_LAMBDA, "us-gov-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "http://127.0.0.1:1");
    free(url);
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_STS, "us-gov-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "https://vpce-sts.example.internal");
    free(url);
    cfg.profile_service_endpoint_url[IL_AWS_STS] = NULL;
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_STS, "us-gov-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "http://127.0.0.1:2");
    assert_string_equal(source, "AWS_ENDPOINT_URL");
    free(url);
    /* FIPS with a configured endpoint: the rule set's error, naming the service and region */
    cfg.use_fips = 1;
    il_buf_reset(&why);
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_STS, "us-gov-west-1", &url, &source, &why), IL_ERR_INVALID);
    assert_null(url);
    assert_non_null(strstr(il_buf_cstr(&why), "no sts endpoint for region us-gov-west-1 with FIPS"));
    assert_non_null(strstr(il_buf_cstr(&why), "FIPS and custom endpoint are not supported"));
    /* FIPS without one: the rule set's FIPS host (GovCloud STS keeps its plain name) */
    struct il_aws_endpoint_config fips = {.getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)s_noenv, .use_fips = 1};
    assert_int_equal(il_aws_endpoint_resolve(&fips, IL_AWS_STS, "us-gov-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "https://sts.us-gov-west-1.amazonaws.com");
    free(url);
    assert_int_equal(il_aws_endpoint_resolve(&fips, IL_AWS_LAMBDA, "us-gov-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "https://lambda-fips.us-gov-west-1.amazonaws.com");
    assert_string_equal(source, "endpoint rule set");
    free(url);
    fips.use_dualstack = 1;
    assert_int_equal(il_aws_endpoint_resolve(&fips, IL_AWS_INSPECTOR2, "eu-west-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "https://inspector2-fips.eu-west-1.api.aws");
    free(url);
    assert_int_equal(il_aws_endpoint_resolve(&fips, IL_AWS_SSO, "cn-north-1", &url, &source, &why), IL_OK);
    assert_string_equal(url, "https://portal.sso-fips.cn-north-1.api.amazonwebservices.com.cn");
    free(url);
    /* sts_regional_endpoints = legacy: the global endpoint, signed for us-east-1 */
    struct il_aws_endpoint_config glob = {
        .getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)s_noenv, .sts_global = 1};
    char *signing = NULL;
    assert_int_equal(il_aws_endpoint_resolve_ex(&glob, IL_AWS_STS, "eu-west-1", &url, &signing, &source, &why), IL_OK);
    assert_string_equal(url, "https://sts.amazonaws.com");
    assert_string_equal(signing, "us-east-1");
    free(url);
    free(signing);
    assert_int_equal(il_aws_endpoint_resolve_ex(&glob, IL_AWS_STS, "eu-south-1", &url, &signing, &source, &why), IL_OK);
    assert_string_equal(url, "https://sts.eu-south-1.amazonaws.com");
    free(url);
    free(signing);
    il_aws_settings_release(&s);
    il_buf_release(&why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults), cmocka_unit_test(test_profile_values), cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_refusals), cmocka_unit_test(test_endpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
