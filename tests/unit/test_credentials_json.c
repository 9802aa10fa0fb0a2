/* Unit tests: the credentials JSON document as credential_process prints it and the ECS / IMDS endpoints answer it —
 * one reading of AccessKeyId / SecretAccessKey / token / Expiration for both (aws_credentials_json.c), each problem
 * worded by its source, the source's own member (Version, Code) checked first, and no reason quoting a secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "aws/credentials/aws_credentials_process.h"
#include "aws/credentials/aws_credentials_remote.h"

#define SECRET "JsonUnitSecret0000000000000000000000000"

/* One document, checked through both readers: @p body is the members after the source's own ("Version": 1, for
 * credential_process; nothing for the endpoints). @p token names the source's token member. */
struct s_case {
    const char *body;
    enum il_status process_st;
    const char *process_why; /* substring of the reason, NULL when IL_OK */
    enum il_status remote_st;
    const char *remote_why;
};

static const struct s_case s_cases[] = {
    {"\"AccessKeyId\": \"AKIDJSON1\"", IL_ERR_CREDENTIALS,
     "profile 'p': credential_process output lacks string AccessKeyId and SecretAccessKey", IL_ERR_CREDENTIALS,
     "the endpoint answered without string AccessKeyId and SecretAccessKey"},
    {"\"AccessKeyId\": \"\", \"SecretAccessKey\": \"" SECRET "\"", IL_ERR_CREDENTIALS,
     "output lacks string AccessKeyId and SecretAccessKey", IL_ERR_CREDENTIALS,
     "answered without string AccessKeyId and SecretAccessKey"},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": 7", IL_ERR_CREDENTIALS,
     "output lacks string AccessKeyId and SecretAccessKey", IL_ERR_CREDENTIALS,
     "answered without string AccessKeyId and SecretAccessKey"},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET "\", \"SessionToken\": 5", IL_ERR_CREDENTIALS,
     "profile 'p': credential_process SessionToken is not a string", IL_OK, NULL},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET "\", \"Token\": [\"t\"]", IL_OK, NULL,
     IL_ERR_CREDENTIALS, "the endpoint answered a Token that is not a string"},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET "\", \"Expiration\": \"tomorrow\"",
     IL_ERR_CREDENTIALS, "profile 'p': credential_process Expiration is not an ISO 8601 time", IL_ERR_CREDENTIALS,
     "the endpoint answered an Expiration that is not an ISO 8601 UTC time"},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET "\", \"Expiration\": 1893553445",
     IL_ERR_CREDENTIALS, "credential_process Expiration is not an ISO 8601 time", IL_ERR_CREDENTIALS,
     "answered an Expiration that is not an ISO 8601 UTC time"},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET "\\u0001\"", IL_ERR_CREDENTIALS,
     "profile 'p': credential_process printed a key id, secret or token with characters credentials cannot have",
     IL_ERR_CREDENTIALS, "the endpoint answered a key id, secret or token with characters credentials cannot have"},
    {"\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET "\", \"Expiration\": null", IL_OK, NULL, IL_OK,
     NULL},
};

static void s_check(const char *doc, enum il_status got, enum il_status want, const char *want_why,
                    const struct il_credentials *creds, const struct il_buf *why) {
    if (got != want) {
        fail_msg("%s: status %s, wanted %s (%s)", doc, il_status_str(got), il_status_str(want), il_buf_cstr(why));
    }
    if (want == IL_OK) {
        assert_non_null(creds);
        assert_string_equal(il_credentials_access_key_id(creds), "AKIDJSON1");
        return;
    }
    assert_null(creds);
    if (strstr(il_buf_cstr(why), want_why) == NULL) {
        fail_msg("%s: reason '%s' lacks '%s'", doc, il_buf_cstr(why), want_why);
    }
    assert_null(strstr(il_buf_cstr(why), SECRET));
}

static void test_each_problem_in_both_sources(void **state) {
    (void)state;
    struct il_buf doc, why;
    il_buf_init(&doc, 4096);
    il_buf_init(&why, 4096);
    for (size_t i = 0; i < sizeof(s_cases) / sizeof(s_cases[0]); i++) {
        const struct s_case *c = &s_cases[i];
        struct il_credentials *creds = NULL;
        il_buf_reset(&doc);
        il_buf_reset(&why);
        assert_int_equal(il_buf_printf(&doc, "{\"Version\": 1, %s}", c->body), IL_OK);
        enum il_status st =
            il_credential_process_parse("p", il_buf_cstr(&doc), strlen(il_buf_cstr(&doc)), &creds, &why);
        s_check(il_buf_cstr(&doc), st, c->process_st, c->process_why, creds, &why);
        il_credentials_free(creds);

        creds = NULL;
        il_buf_reset(&doc);
        il_buf_reset(&why);
        assert_int_equal(il_buf_printf(&doc, "{%s}", c->body), IL_OK);
        st = il_remote_parse_credentials("the endpoint", il_buf_cstr(&doc), strlen(il_buf_cstr(&doc)), &creds, &why);
        s_check(il_buf_cstr(&doc), st, c->remote_st, c->remote_why, creds, &why);
        il_credentials_free(creds);
    }
    il_buf_release(&doc);
    il_buf_release(&why);
}

/* The source's own member is checked before the shared ones: a wrong Version or Code is reported even when the keys
 * are missing too. */
static void test_source_member_first(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *creds = NULL;
    static const char *const process_docs[] = {"{\"Version\": 2}", "{\"Version\": \"1\", \"AccessKeyId\": \"A\"}",
                                               "{}"};
    for (size_t i = 0; i < 3; i++) {
        il_buf_reset(&why);
        assert_int_equal(il_credential_process_parse("p", process_docs[i], strlen(process_docs[i]), &creds, &why),
                         IL_ERR_CREDENTIALS);
        assert_null(creds);
        assert_string_equal(il_buf_cstr(&why), "profile 'p': credential_process output needs \"Version\": 1");
    }
    static const char *const remote_doc = "{\"Code\": \"AssumeRoleUnauthorizedAccess\"}";
    il_buf_reset(&why);
    assert_int_equal(il_remote_parse_credentials("the endpoint", remote_doc, strlen(remote_doc), &creds, &why),
                     IL_ERR_CREDENTIALS);
    assert_null(creds);
    assert_string_equal(il_buf_cstr(&why),
                        "the endpoint answered Code AssumeRoleUnauthorizedAccess instead of Success");
    static const char *const not_object[] = {"[]", "\"" SECRET "\"", "{", ""};
    for (size_t i = 0; i < 4; i++) {
        il_buf_reset(&why);
        assert_int_equal(il_credential_process_parse("p", not_object[i], strlen(not_object[i]), &creds, &why),
                         IL_ERR_CREDENTIALS);
        assert_string_equal(il_buf_cstr(&why), "profile 'p': credential_process did not print a JSON object");
        il_buf_reset(&why);
        assert_int_equal(
            il_remote_parse_credentials("the endpoint", not_object[i], strlen(not_object[i]), &creds, &why),
            IL_ERR_CREDENTIALS);
        assert_string_equal(il_buf_cstr(&why), "the endpoint did not answer with a JSON object");
    }
    il_buf_release(&why);
}

/* Token and Expiration reach the credentials; an empty or null token is no token. */
static void test_token_and_expiration(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *creds = NULL;
    const char *process = "{\"Version\": 1, \"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET
                          "\", \"SessionToken\": \"tok1\", \"Expiration\": \"2030-01-02T03:04:05Z\"}";
    assert_int_equal(il_credential_process_parse("p", process, strlen(process), &creds, &why), IL_OK);
    assert_string_equal(il_credentials_session_token(creds), "tok1");
    assert_int_equal(il_credentials_expiration(creds), 1893553445);
    il_credentials_free(creds);
    const char *remote =
        "{\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"" SECRET
        "\", \"Token\": \"tok2\", \"SessionToken\": \"ignored\", \"Expiration\": \"2030-01-02T03:04:05Z\"}";
    assert_int_equal(il_remote_parse_credentials("the endpoint", remote, strlen(remote), &creds, &why), IL_OK);
    assert_string_equal(il_credentials_session_token(creds), "tok2");
    assert_int_equal(il_credentials_expiration(creds), 1893553445);
    il_credentials_free(creds);
    static const char *const empty[] = {"\"\"", "null"};
    for (size_t i = 0; i < 2; i++) {
        struct il_buf doc;
        il_buf_init(&doc, 1024);
        assert_int_equal(il_buf_printf(&doc,
                                       "{\"AccessKeyId\": \"AKIDJSON1\", \"SecretAccessKey\": \"s\", \"Token\": %s}",
                                       empty[i]),
                         IL_OK);
        assert_int_equal(il_remote_parse_credentials("e", il_buf_cstr(&doc), strlen(il_buf_cstr(&doc)), &creds, &why),
                         IL_OK);
        assert_null(il_credentials_session_token(creds));
        assert_int_equal(il_credentials_expiration(creds), 0);
        il_credentials_free(creds);
        il_buf_release(&doc);
    }
    il_buf_release(&why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_problem_in_both_sources),
        cmocka_unit_test(test_source_member_first),
        cmocka_unit_test(test_token_and_expiration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
