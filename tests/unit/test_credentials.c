/* Unit tests: the credentials type, the environment/static/chain providers, and that nothing formats a secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/credentials.h"
#include "il/aws/sigv4.h"

/* Distinctive values so a leak anywhere is unmistakable. */
#define KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "Zq9SECRETsecretSECRETsecretSECRET0000xyz"
#define TOKEN "IQoTOKENtokenTOKENtokenTOKEN//////////wEaCXVz"

static void s_clear_env(void) {
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_SECURITY_TOKEN");
}

static void s_assert_no_secret(const char *text) {
    assert_null(strstr(text, SECRET));
    assert_null(strstr(text, TOKEN));
    assert_null(strstr(text, "SECRETsecret")); /* nor a fragment of it */
    assert_null(strstr(text, "TOKENtoken"));
}

static void test_new_validates_and_copies(void **state) {
    (void)state;
    struct il_credentials *c = NULL;
    assert_int_equal(il_credentials_new("", SECRET, NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new(NULL, SECRET, NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new("AKID EX", SECRET, NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new("AKID/EX", SECRET, NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new("AKID,EX", SECRET, NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new(KEY_ID, "", NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new(KEY_ID, NULL, NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new(KEY_ID, "a\nb", NULL, 0, &c), IL_ERR_INVALID);
    assert_int_equal(il_credentials_new(KEY_ID, SECRET, "tok\r\nX-Injected: 1", 0, &c), IL_ERR_INVALID);
    assert_null(c);

    char id[] = KEY_ID, secret[] = SECRET, token[] = TOKEN;
    assert_int_equal(il_credentials_new(id, secret, token, 1700000000, &c), IL_OK);
    memset(id, 'x', sizeof(id) - 1); /* the object holds copies */
    memset(secret, 'x', sizeof(secret) - 1);
    memset(token, 'x', sizeof(token) - 1);
    assert_string_equal(il_credentials_access_key_id(c), KEY_ID);
    assert_string_equal(il_credentials_secret(c), SECRET);
    assert_string_equal(il_credentials_session_token(c), TOKEN);
    assert_int_equal(il_credentials_expiration(c), 1700000000);
    assert_string_equal(il_credentials_source(c), "unknown");

    struct il_credentials *copy = NULL;
    assert_int_equal(il_credentials_set_source(c, "profile"), IL_OK);
    assert_int_equal(il_credentials_copy(c, &copy), IL_OK);
    il_credentials_free(c);
    assert_string_equal(il_credentials_secret(copy), SECRET);
    assert_string_equal(il_credentials_source(copy), "profile");
    il_credentials_free(copy);

    assert_int_equal(il_credentials_new(KEY_ID, SECRET, "", 0, &c), IL_OK); /* "" is no token */
    assert_null(il_credentials_session_token(c));
    il_credentials_free(c);
    il_credentials_free(NULL);
}

static void test_env_provider(void **state) {
    (void)state;
    struct il_credentials_provider *p = il_credentials_provider_env_new();
    assert_non_null(p);
    assert_string_equal(il_credentials_provider_name(p), "environment");
    struct il_credentials *c = NULL;
    struct il_buf why;
    il_buf_init(&why, 0);

    s_clear_env();
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_NOTFOUND);
    assert_null(c);
    assert_string_equal(il_buf_cstr(&why), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");

    il_buf_reset(&why);
    setenv("AWS_ACCESS_KEY_ID", "", 1); /* empty is unset, as in botocore */
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_NOTFOUND);
    assert_string_equal(il_buf_cstr(&why), "AWS_ACCESS_KEY_ID is not set (AWS_SECRET_ACCESS_KEY is)");

    il_buf_reset(&why);
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_null(c);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_SECRET_ACCESS_KEY is not"));
    assert_null(strstr(il_buf_cstr(&why), KEY_ID));

    il_buf_reset(&why);
    setenv("AWS_SECRET_ACCESS_KEY", "bad\001secret", 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_ERR_CREDENTIALS);
    assert_null(strstr(il_buf_cstr(&why), "bad"));

    il_buf_reset(&why);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), KEY_ID);
    assert_string_equal(il_credentials_secret(c), SECRET);
    assert_null(il_credentials_session_token(c));
    assert_string_equal(il_credentials_source(c), "environment");
    il_credentials_free(c);

    setenv("AWS_SECURITY_TOKEN", "legacy", 1);
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_string_equal(il_credentials_session_token(c), "legacy");
    il_credentials_free(c);
    setenv("AWS_SESSION_TOKEN", TOKEN, 1); /* the current name wins */
    assert_int_equal(il_credentials_provider_get(p, &c, &why), IL_OK);
    assert_string_equal(il_credentials_session_token(c), TOKEN);
    il_credentials_free(c);

    s_clear_env();
    il_buf_release(&why);
    il_credentials_provider_free(p);
    il_credentials_provider_free(NULL);
}

static void test_chain(void **state) {
    (void)state;
    s_clear_env();
    struct il_credentials *c = NULL, *fixed = NULL;
    struct il_buf why;
    il_buf_init(&why, 0);

    struct il_credentials_provider *empty = il_credentials_provider_chain_new();
    assert_int_equal(il_credentials_provider_get(empty, &c, &why), IL_ERR_CREDENTIALS);
    assert_string_equal(il_buf_cstr(&why), "no credential sources are configured");
    il_credentials_provider_free(empty);

    assert_int_equal(il_credentials_new(KEY_ID, SECRET, TOKEN, 0, &fixed), IL_OK);
    assert_int_equal(il_credentials_set_source(fixed, "ignored"), IL_OK);
    struct il_credentials_provider *chain = il_credentials_provider_chain_new();
    assert_int_equal(il_credentials_provider_chain_add_take(chain, il_credentials_provider_env_new()), IL_OK);
    assert_int_equal(il_credentials_provider_chain_add_take(chain, il_credentials_provider_static_new(fixed, "role")),
                     IL_OK);
    assert_int_equal(il_credentials_provider_chain_add_take(chain, NULL), IL_ERR_INVALID);
    il_credentials_free(fixed);

    /* environment has nothing: the chain goes on to the next source, which names itself */
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_OK);
    assert_string_equal(il_credentials_source(c), "role");
    assert_string_equal(il_credentials_secret(c), SECRET);
    il_credentials_free(c);

    /* environment is half set: the chain stops there and says why */
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_ERR_CREDENTIALS);
    assert_null(c);
    assert_string_equal(il_buf_cstr(&why),
                        "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both or neither");

    /* environment complete: it answers first */
    setenv("AWS_SECRET_ACCESS_KEY", "other-secret", 1);
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_OK);
    assert_string_equal(il_credentials_source(c), "environment");
    assert_string_equal(il_credentials_secret(c), "other-secret");
    il_credentials_free(c);
    il_credentials_provider_free(chain);

    /* nothing anywhere: every source tried is listed */
    s_clear_env();
    chain = il_credentials_provider_chain_new();
    assert_int_equal(il_credentials_provider_chain_add_take(chain, il_credentials_provider_env_new()), IL_OK);
    assert_int_equal(il_credentials_provider_chain_add_take(chain, il_credentials_provider_env_new()), IL_OK);
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_ERR_CREDENTIALS);
    assert_string_equal(il_buf_cstr(&why), "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; "
                                           "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    il_credentials_provider_free(chain);

    /* the default chain finds the environment */
    struct il_credentials_provider *def = il_credentials_provider_default_new();
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(def, &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "environment: "));
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    assert_int_equal(il_credentials_provider_get(def, &c, NULL), IL_OK);
    assert_string_equal(il_credentials_source(c), "environment");
    il_credentials_free(c);
    il_credentials_provider_free(def);
    s_clear_env();

    /* a provider without a get function is refused, not called */
    struct il_credentials_provider broken = {0};
    il_buf_reset(&why);
    assert_int_equal(il_credentials_provider_get(&broken, &c, &why), IL_ERR_CREDENTIALS);
    assert_string_equal(il_buf_cstr(&why), "no credentials provider");
    il_buf_release(&why);
}

static void test_describe(void **state) {
    (void)state;
    struct il_credentials *c = NULL;
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_credentials_new(KEY_ID, SECRET, TOKEN, 1763807700, &c), IL_OK);
    assert_int_equal(il_credentials_set_source(c, "environment"), IL_OK);
    assert_int_equal(il_credentials_describe(c, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "credentials from environment: access key id ****MPLE, temporary "
                                           "(session token), expires 2025-11-22T10:35:00Z");
    assert_null(strstr(il_buf_cstr(&out), KEY_ID));
    s_assert_no_secret(il_buf_cstr(&out));
    il_credentials_free(c);

    il_buf_reset(&out);
    assert_int_equal(il_credentials_new("AKIDSHORT", SECRET, NULL, 0, &c), IL_OK);
    assert_int_equal(il_credentials_describe(c, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "credentials from unknown: access key id ****, long-term");
    il_credentials_free(c);
    il_buf_release(&out);
}

/* Every text the layer hands out, for every way of building and using credentials: none holds the secret; only
 * result.security_token (the header value the HTTP layer must send) holds the token. */
static void test_no_api_formats_the_secret(void **state) {
    (void)state;
    s_clear_env();
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    setenv("AWS_SESSION_TOKEN", TOKEN, 1);
    struct il_buf all;
    il_buf_init(&all, 0);
    struct il_credentials_provider *def = il_credentials_provider_default_new();
    struct il_credentials *c = NULL;
    assert_int_equal(il_credentials_provider_get(def, &c, &all), IL_OK);
    assert_int_equal(il_credentials_describe(c, &all), IL_OK);
    assert_int_equal(il_buf_puts(&all, il_credentials_source(c)), IL_OK);
    assert_int_equal(il_buf_puts(&all, il_credentials_provider_name(def)), IL_OK);

    const struct il_http_header headers[] = {{"Host", "lambda.us-east-1.amazonaws.com"}};
    struct il_sigv4_request req = {.method = "GET",
                                   .path = "/2015-03-31/functions/",
                                   .query = "MaxItems=50",
                                   .headers = headers,
                                   .header_count = 1};
    struct il_sigv4_params params = {
        .region = "us-east-1", .service = "lambda", .time = 1763807700, .normalize_path = 1, .add_content_sha256 = 1};
    struct il_sigv4_result result;
    assert_int_equal(il_sigv4_sign(&req, &params, c, &result), IL_OK);
    assert_string_equal(result.security_token, TOKEN);
    assert_int_equal(il_buf_printf(&all, "%s %s %s", result.authorization, result.amz_date, result.content_sha256),
                     IL_OK);
    assert_int_equal(il_sigv4_canonical_request(&req, &params, &all, &all), IL_OK);
    assert_int_equal(il_sigv4_string_to_sign("x", &params, &all), IL_OK);
    il_sigv4_result_release(&result);
    il_credentials_free(c);

    /* failures too: a partial environment, and every status string */
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_int_equal(il_credentials_provider_get(def, &c, &all), IL_ERR_CREDENTIALS);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET "\n", 1);
    assert_int_equal(il_credentials_provider_get(def, &c, &all), IL_ERR_CREDENTIALS);
    for (int s = IL_OK; s <= IL_ERR_INTERNAL; s++) {
        assert_int_equal(il_buf_puts(&all, il_status_str((enum il_status)s)), IL_OK);
    }
    s_assert_no_secret(il_buf_cstr(&all));
    assert_null(strstr(il_buf_cstr(&all), KEY_ID "\n")); /* the key id only inside Authorization's Credential= */
    il_buf_release(&all);
    il_credentials_provider_free(def);
    s_clear_env();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_validates_and_copies),
        cmocka_unit_test(test_env_provider),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_no_api_formats_the_secret),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
