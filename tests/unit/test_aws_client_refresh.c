/* Unit tests: a derived client whose credentials came from elsewhere (a per-account assumed role) renews them from
 * its provider 300 s before they expire and once on ExpiredToken (il_aws_client_derive_refreshable), and the provider
 * over a client's own credentials (il_credentials_provider_client_new). Scripted transport: no sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/assume_role.h"
#include "il/aws/client.h"
#include "il/aws/lambda.h"
#include "scripted_transport.h"

#define NOW 1795000000LL
#define SECRET "refreshTestSecretValue000000000000000000"
#define RID "x-amzn-RequestId: req-1\n"
#define TAGS_OK                                                                                                        \
    { IL_HTTP_OK, 200, RID, "{\"Tags\":{}}" }
#define EXPIRED                                                                                                        \
    { IL_HTTP_OK, 403, RID "x-amzn-ErrorType: ExpiredTokenException\n", "{\"message\":\"expired\"}" }
#define ARN "arn:aws:lambda:us-east-1:123456789012:function:fn-1"

static struct scripted g_s;
static int g_renewals;

static int64_t s_wall(void) {
    return NOW;
}

static const char *s_noenv(void *ctx, const char *name) {
    (void)ctx;
    (void)name;
    return NULL;
}

/* The renewing provider: counts its calls, answers ASIARENEWED valid for an hour. */
static enum il_status s_renew_get(struct il_credentials_provider *p, struct il_credentials **out, struct il_buf *why) {
    (void)p;
    (void)why;
    g_renewals++;
    return il_credentials_new("ASIARENEWED", SECRET, "token-renewed", NOW + 3600, out);
}

static const struct il_credentials_provider_vtable s_renew_vtable = {"renewer", s_renew_get, NULL};

static struct il_aws_client *s_parent(struct il_credentials_provider *provider) {
    struct il_aws_client_config cfg = {
        .region = "us-east-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = provider,
        .max_attempts = 3,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
        .wall_time = s_wall,
    };
    struct il_aws_client *c = NULL;
    assert_int_equal(il_aws_client_new(&cfg, &c, NULL), IL_OK);
    return c;
}

static struct il_credentials_provider *s_static(const char *id, int64_t expiration, const char *name) {
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new(id, SECRET, "token", expiration, &creds), IL_OK);
    struct il_credentials_provider *p = il_credentials_provider_static_new(creds, name);
    il_credentials_free(creds);
    assert_non_null(p);
    return p;
}

/* Sign one ListTags through @p c; returns the status. */
static enum il_status s_list_tags(struct il_aws_client *c) {
    struct il_tag_list tags;
    struct il_aws_error err;
    il_aws_error_init(&err);
    enum il_status st = il_lambda_list_tags(c, ARN, &tags, &err);
    if (st == IL_OK) {
        il_tag_list_release(&tags);
    }
    il_aws_error_release(&err);
    return st;
}

static void s_derive(struct il_aws_client *parent, const char *id, int64_t expiration,
                     struct il_credentials_provider *renewer, struct il_aws_client **out) {
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new(id, SECRET, "token", expiration, &creds), IL_OK);
    assert_int_equal(il_aws_client_derive_refreshable(parent, "eu-west-1", creds, renewer, "222222222222", out, NULL),
                     IL_OK);
    il_credentials_free(creds);
}

static void test_renewed_before_expiry(void **state) {
    (void)state;
    static const struct st_reply script[] = {TAGS_OK, TAGS_OK, TAGS_OK};
    st_init(&g_s, NULL);
    g_s.script = script, g_s.script_len = 3;
    g_renewals = 0;
    struct il_credentials_provider *root = s_static("AKIDPARENT", 0, "parent");
    struct il_credentials_provider renewer = {&s_renew_vtable, NULL};
    struct il_aws_client *parent = s_parent(root);
    struct il_aws_client *fresh = NULL, *stale = NULL;
    /* an hour left: used as given, the provider is not asked */
    s_derive(parent, "ASIAFRESH", NOW + 3600, &renewer, &fresh);
    assert_int_equal(s_list_tags(fresh), IL_OK);
    assert_int_equal(g_renewals, 0);
    assert_non_null(strstr(g_s.requests[0].headers, "Credential=ASIAFRESH/"));
    /* 299 s left (inside the 300 s margin): renewed before the request is signed */
    s_derive(parent, "ASIASTALE", NOW + IL_CREDENTIALS_REFRESH_MARGIN_S - 1, &renewer, &stale);
    assert_int_equal(s_list_tags(stale), IL_OK);
    assert_int_equal(g_renewals, 1);
    assert_non_null(strstr(g_s.requests[1].headers, "Credential=ASIARENEWED/"));
    /* and kept: the next request needs no renewal */
    assert_int_equal(s_list_tags(stale), IL_OK);
    assert_int_equal(g_renewals, 1);
    il_aws_client_free(stale);
    il_aws_client_free(fresh);
    il_aws_client_free(parent);
    il_credentials_provider_free(root);
}

static void test_expired_token_renews_once(void **state) {
    (void)state;
    static const struct st_reply script[] = {EXPIRED, TAGS_OK};
    st_init(&g_s, NULL);
    g_s.script = script, g_s.script_len = 2;
    g_renewals = 0;
    struct il_credentials_provider *root = s_static("AKIDPARENT", 0, "parent");
    struct il_credentials_provider renewer = {&s_renew_vtable, NULL};
    struct il_aws_client *parent = s_parent(root);
    struct il_aws_client *c = NULL;
    s_derive(parent, "ASIAREVOKED", NOW + 3600, &renewer, &c);
    assert_int_equal(s_list_tags(c), IL_OK);
    assert_int_equal(g_renewals, 1);
    assert_int_equal(g_s.count, 2);
    assert_non_null(strstr(g_s.requests[0].headers, "Credential=ASIAREVOKED/"));
    assert_non_null(strstr(g_s.requests[1].headers, "Credential=ASIARENEWED/"));
    il_aws_client_free(c);
    il_aws_client_free(parent);
    il_credentials_provider_free(root);
}

static void test_client_provider_and_arguments(void **state) {
    (void)state;
    st_init(&g_s, NULL);
    struct il_credentials_provider *root = s_static("AKIDPARENT", 0, "parent");
    struct il_aws_client *parent = s_parent(root);
    struct il_credentials_provider *p = il_credentials_provider_client_new(parent);
    assert_non_null(p);
    assert_string_equal(il_credentials_provider_name(p), "client");
    struct il_credentials *got = NULL;
    assert_int_equal(il_credentials_provider_get(p, &got, NULL), IL_OK);
    assert_string_equal(il_credentials_access_key_id(got), "AKIDPARENT");
    assert_string_equal(il_credentials_source(got), "parent"); /* the source the client got them from */
    il_credentials_free(got);
    il_credentials_provider_free(p);
    assert_null(il_credentials_provider_client_new(NULL));
    /* the refreshable derive needs both the credentials and the provider */
    struct il_aws_client *c = NULL;
    struct il_credentials *creds = NULL;
    assert_int_equal(il_credentials_new("ASIAX", SECRET, NULL, NOW + 3600, &creds), IL_OK);
    assert_int_equal(il_aws_client_derive_refreshable(parent, NULL, creds, NULL, NULL, &c, NULL), IL_ERR_INVALID);
    assert_null(c);
    assert_int_equal(il_aws_client_derive_refreshable(parent, NULL, NULL, root, NULL, &c, NULL), IL_ERR_INVALID);
    il_credentials_free(creds);
    /* an assume-role provider over the client: created without a network call, freed cleanly */
    struct il_assume_role_options o = {.role_arn = "arn:aws:iam::222222222222:role/R"};
    p = il_credentials_provider_assume_role_from_client_new(parent, &o);
    assert_non_null(p);
    assert_string_equal(il_credentials_provider_name(p), "assume-role");
    il_credentials_provider_free(p);
    assert_int_equal(g_s.count, 0);
    il_aws_client_free(parent);
    il_credentials_provider_free(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renewed_before_expiry),
        cmocka_unit_test(test_expired_token_renews_once),
        cmocka_unit_test(test_client_provider_and_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
