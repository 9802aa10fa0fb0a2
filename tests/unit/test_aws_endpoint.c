/* Unit tests: partitions, service URLs in aws / aws-cn / aws-us-gov, every endpoint override, region resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "il/aws/endpoint.h"

/* A fake environment: NULL-terminated name/value pairs. */
static const char *s_env(void *ctx, const char *name) {
    const char *const *kv = ctx;
    for (; kv && kv[0]; kv += 2) {
        if (strcmp(kv[0], name) == 0) {
            return kv[1];
        }
    }
    return NULL;
}

static char *s_url(const char *const *env, enum il_aws_service svc, const char *region) {
    struct il_aws_endpoint_config cfg = {.getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)env};
    char *url = NULL;
    assert_int_equal(il_aws_endpoint_resolve(&cfg, svc, region, &url, NULL, NULL), IL_OK);
    return url;
}

static void s_expect(const char *const *env, enum il_aws_service svc, const char *region, const char *want) {
    char *url = s_url(env, svc, region);
    assert_string_equal(url, want);
    free(url);
}

static void test_partitions(void **state) {
    (void)state;
    struct il_aws_partition p;
    assert_int_equal(il_aws_partition_for_region("us-east-1", &p), IL_OK);
    assert_string_equal(p.id, "aws");
    assert_string_equal(p.dns_suffix, "amazonaws.com");
    assert_int_equal(il_aws_partition_for_region("cn-northwest-1", &p), IL_OK);
    assert_string_equal(p.id, "aws-cn");
    assert_string_equal(p.dns_suffix, "amazonaws.com.cn");
    assert_int_equal(il_aws_partition_for_region("us-gov-west-1", &p), IL_OK);
    assert_string_equal(p.id, "aws-us-gov");
    /* not listed, but matches a partition's regionRegex */
    assert_int_equal(il_aws_partition_for_region("us-gov-north-7", &p), IL_OK);
    assert_string_equal(p.id, "aws-us-gov");
    assert_int_equal(il_aws_partition_for_region("cn-south-9", &p), IL_OK);
    assert_string_equal(p.id, "aws-cn");
    assert_int_equal(il_aws_partition_for_region("eu-central-9", &p), IL_OK);
    assert_string_equal(p.id, "aws");
    /* unknown shapes fall back to aws, as the SDKs do */
    assert_int_equal(il_aws_partition_for_region("local", &p), IL_OK);
    assert_string_equal(p.id, "aws");
    assert_int_equal(il_aws_partition_for_region("US-EAST-1", &p), IL_ERR_INVALID);
    assert_int_equal(il_aws_partition_for_region("", &p), IL_ERR_INVALID);
    assert_int_equal(il_aws_partition_for_region("us-east-1.evil.com", &p), IL_ERR_INVALID);
}

static void test_partition_regions(void **state) {
    (void)state;
    char **regions = NULL;
    size_t n = 0;
    assert_int_equal(il_aws_partition_regions("aws-cn", &regions, &n), IL_OK);
    assert_int_equal(n, 2); /* aws-cn-global is an alias, not a region */
    assert_string_equal(regions[0], "cn-north-1");
    assert_null(regions[2]);
    il_aws_strv_free(regions);
    assert_int_equal(il_aws_partition_regions("aws", &regions, &n), IL_OK);
    assert_true(n > 25);
    int has_use1 = 0;
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(regions[i], "global"));
        has_use1 |= strcmp(regions[i], "us-east-1") == 0;
    }
    assert_true(has_use1);
    il_aws_strv_free(regions);
    assert_int_equal(il_aws_partition_regions("aws-nowhere", &regions, &n), IL_ERR_NOTFOUND);
}

static void test_default_urls(void **state) {
    (void)state;
    static const char *const none[] = {NULL};
    s_expect(none, IL_AWS_LAMBDA, "us-east-1", "https://lambda.us-east-1.amazonaws.com");
    s_expect(none, IL_AWS_TAGGING, "eu-west-1", "https://tagging.eu-west-1.amazonaws.com");
    s_expect(none, IL_AWS_STS, "ap-southeast-2", "https://sts.ap-southeast-2.amazonaws.com");
    s_expect(none, IL_AWS_INSPECTOR2, "us-west-2", "https://inspector2.us-west-2.amazonaws.com");
    s_expect(none, IL_AWS_LAMBDA, "cn-north-1", "https://lambda.cn-north-1.amazonaws.com.cn");
    s_expect(none, IL_AWS_STS, "cn-northwest-1", "https://sts.cn-northwest-1.amazonaws.com.cn");
    s_expect(none, IL_AWS_TAGGING, "cn-north-1", "https://tagging.cn-north-1.amazonaws.com.cn");
    s_expect(none, IL_AWS_INSPECTOR2, "cn-north-1", "https://inspector2.cn-north-1.amazonaws.com.cn");
    s_expect(none, IL_AWS_LAMBDA, "us-gov-west-1", "https://lambda.us-gov-west-1.amazonaws.com");
    s_expect(none, IL_AWS_STS, "us-gov-east-1", "https://sts.us-gov-east-1.amazonaws.com");
    s_expect(none, IL_AWS_TAGGING, "us-gov-west-1", "https://tagging.us-gov-west-1.amazonaws.com");
    s_expect(none, IL_AWS_INSPECTOR2, "us-gov-east-1", "https://inspector2.us-gov-east-1.amazonaws.com");
}

static void test_override_order(void **state) {
    (void)state;
    static const char *const svc_env[] = {"AWS_ENDPOINT_URL_LAMBDA",
                                          "http://127.0.0.1:1/",
                                          "AWS_ENDPOINT_URL",
                                          "http://127.0.0.1:2",
                                          "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API",
                                          "http://127.0.0.1:3",
                                          "AWS_ENDPOINT_URL_STS",
                                          "https://sts.example:8443",
                                          "AWS_ENDPOINT_URL_INSPECTOR2",
                                          "http://localhost:5/prefix",
                                          NULL};
    /* the service-specific variable beats AWS_ENDPOINT_URL; a trailing slash is dropped */
    s_expect(svc_env, IL_AWS_LAMBDA, "us-east-1", "http://127.0.0.1:1");
    {
        struct il_aws_endpoint_config c = {.getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)svc_env};
        char *u = NULL;
        const char *src = NULL;
        assert_int_equal(il_aws_endpoint_resolve(&c, IL_AWS_TAGGING, "us-east-1", &u, &src, NULL), IL_OK);
        assert_string_equal(src, "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API");
        free(u);
    }
    s_expect(svc_env, IL_AWS_TAGGING, "us-east-1", "http://127.0.0.1:3");
    s_expect(svc_env, IL_AWS_STS, "us-east-1", "https://sts.example:8443");
    s_expect(svc_env, IL_AWS_INSPECTOR2, "us-east-1", "http://localhost:5/prefix");
    static const char *const global_env[] = {"AWS_ENDPOINT_URL", "http://127.0.0.1:2", NULL};
    s_expect(global_env, IL_AWS_LAMBDA, "us-east-1", "http://127.0.0.1:2");
    s_expect(global_env, IL_AWS_STS, "cn-north-1", "http://127.0.0.1:2");
    /* ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true */
    static const char *const ignored[] = {"AWS_ENDPOINT_URL",
                                          "http://127.0.0.1:2",
                                          "AWS_ENDPOINT_URL_LAMBDA",
                                          "http://127.0.0.1:1",
                                          "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                          "true",
                                          NULL};
    s_expect(ignored, IL_AWS_LAMBDA, "us-east-1", "https://lambda.us-east-1.amazonaws.com");

    /* --endpoint-url beats everything, even the ignore switch */
    struct il_aws_endpoint_config cfg = {
        .endpoint_url = "http://127.0.0.1:9", .getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)ignored};
    char *url = NULL;
    const char *source = NULL;
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_TAGGING, "us-east-1", &url, &source, NULL), IL_OK);
    assert_string_equal(url, "http://127.0.0.1:9");
    assert_string_equal(source, "--endpoint-url");
    free(url);

    /* profile settings come after the environment */
    static const char *const none[] = {NULL};
    struct il_aws_endpoint_config prof = {
        .getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)none, .profile_endpoint_url = "http://127.0.0.1:7"};
    prof.profile_service_endpoint_url[IL_AWS_STS] = "http://127.0.0.1:8";
    assert_int_equal(il_aws_endpoint_resolve(&prof, IL_AWS_STS, "us-east-1", &url, &source, NULL), IL_OK);
    assert_string_equal(url, "http://127.0.0.1:8");
    free(url);
    assert_int_equal(il_aws_endpoint_resolve(&prof, IL_AWS_LAMBDA, "us-east-1", &url, &source, NULL), IL_OK);
    assert_string_equal(url, "http://127.0.0.1:7");
    assert_string_equal(source, "profile endpoint_url");
    free(url);
    prof.getenv_ctx = (void *)(uintptr_t)global_env;
    assert_int_equal(il_aws_endpoint_resolve(&prof, IL_AWS_LAMBDA, "us-east-1", &url, &source, NULL), IL_OK);
    assert_string_equal(url, "http://127.0.0.1:2");
    free(url);
    prof.getenv_ctx = (void *)(uintptr_t)none;
    prof.profile_ignore_configured = 1;
    assert_int_equal(il_aws_endpoint_resolve(&prof, IL_AWS_LAMBDA, "us-east-1", &url, &source, NULL), IL_OK);
    assert_string_equal(url, "https://lambda.us-east-1.amazonaws.com");
    free(url);
}

static void test_bad_overrides(void **state) {
    (void)state;
    static const char *const bad[][3] = {
        {"AWS_ENDPOINT_URL_LAMBDA", "ftp://x", NULL},
        {"AWS_ENDPOINT_URL_LAMBDA", "127.0.0.1:5000", NULL},
        {"AWS_ENDPOINT_URL", "http://", NULL},
        {"AWS_ENDPOINT_URL", "http://h/?a=b", NULL},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct il_aws_endpoint_config cfg = {.getenv_fn = s_env, .getenv_ctx = (void *)(uintptr_t)bad[i]};
        char *url = NULL;
        struct il_buf why;
        il_buf_init(&why, 0);
        assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_LAMBDA, "us-east-1", &url, NULL, &why), IL_ERR_INVALID);
        assert_null(url);
        assert_non_null(strstr(il_buf_cstr(&why), bad[i][0]));
        il_buf_release(&why);
    }
    struct il_aws_endpoint_config cfg = {.getenv_fn = s_env, .getenv_ctx = NULL};
    char *url = NULL;
    assert_int_equal(il_aws_endpoint_resolve(&cfg, IL_AWS_LAMBDA, "bad region", &url, NULL, NULL), IL_ERR_INVALID);
}

static void test_region_resolution(void **state) {
    (void)state;
    static const char *const both[] = {"AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-west-2", NULL};
    static const char *const dflt[] = {"AWS_DEFAULT_REGION", "eu-west-2", NULL};
    static const char *const empty[] = {"AWS_REGION", "", NULL};
    static const char *const bad[] = {"AWS_REGION", "eu west", NULL};
    char *r = NULL;
    assert_int_equal(il_aws_region_resolve("us-east-2", "ap-south-1", s_env, (void *)(uintptr_t)both, &r, NULL), IL_OK);
    assert_string_equal(r, "us-east-2");
    free(r);
    assert_int_equal(il_aws_region_resolve(NULL, "ap-south-1", s_env, (void *)(uintptr_t)both, &r, NULL), IL_OK);
    assert_string_equal(r, "eu-west-1");
    free(r);
    assert_int_equal(il_aws_region_resolve(NULL, "ap-south-1", s_env, (void *)(uintptr_t)dflt, &r, NULL), IL_OK);
    assert_string_equal(r, "eu-west-2");
    free(r);
    assert_int_equal(il_aws_region_resolve(NULL, "ap-south-1", s_env, (void *)(uintptr_t)empty, &r, NULL), IL_OK);
    assert_string_equal(r, "ap-south-1");
    free(r);
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_aws_region_resolve(NULL, NULL, s_env, (void *)(uintptr_t)empty, &r, &why), IL_ERR_NOTFOUND);
    assert_non_null(strstr(il_buf_cstr(&why), "--region"));
    il_buf_reset(&why);
    assert_int_equal(il_aws_region_resolve(NULL, NULL, s_env, (void *)(uintptr_t)bad, &r, &why), IL_ERR_INVALID);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_REGION"));
    il_buf_release(&why);
}

static void test_service_ids(void **state) {
    (void)state;
    assert_string_equal(il_aws_service_env_id(IL_AWS_TAGGING), "RESOURCE_GROUPS_TAGGING_API");
    assert_string_equal(il_aws_service_env_id(IL_AWS_INSPECTOR2), "INSPECTOR2");
    assert_string_equal(il_aws_service_name(IL_AWS_TAGGING), "tagging");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partitions),    cmocka_unit_test(test_partition_regions),
        cmocka_unit_test(test_default_urls),  cmocka_unit_test(test_override_order),
        cmocka_unit_test(test_bad_overrides), cmocka_unit_test(test_region_resolution),
        cmocka_unit_test(test_service_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
