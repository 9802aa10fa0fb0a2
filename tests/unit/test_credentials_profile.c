/* Unit tests: the shared config INI parser, profile selection, static keys, credential_process (success, failing
 * script, malformed JSON, too much output) and that no reason carries a secret. */
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

#include "aws/credentials/aws_credentials_process.h"
#include "aws/credentials/aws_ini.h"
#include "il/aws/credentials.h"
#include "scratch_dir.h"

#define KEY_ID "AKIDPROFILE000000001"
#define SECRET "Zq9PROFILEsecretSECRETsecret0000xyz"
#define TOKEN "IQoPROFILEtokenTOKENtoken"

static char s_dir[256];

static void s_path(char *out, size_t cap, const char *name) {
    int n = snprintf(out, cap, "%s/%s", s_dir, name);
    assert_true(n > 0 && (size_t)n < cap);
}

static void s_write(const char *name, const char *text, mode_t mode) {
    char path[512];
    s_path(path, sizeof(path), name);
    scratch_write(path, text);
    assert_int_equal(chmod(path, mode), 0);
}

static int s_setup(void **state) {
    (void)state;
    scratch_dir_make(s_dir, sizeof(s_dir), "il-profile");
    char config[512], creds[512];
    s_path(config, sizeof(config), "config");
    s_path(creds, sizeof(creds), "credentials");
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_DEFAULT_PROFILE");
    return 0;
}

static enum il_status s_get(const char *profile, struct il_credentials **out, struct il_buf *why) {
    if (profile) {
        setenv("AWS_PROFILE", profile, 1);
    } else {
        unsetenv("AWS_PROFILE");
    }
    struct il_credentials_provider *p = il_credentials_provider_profile_new();
    assert_non_null(p);
    il_buf_reset(why);
    enum il_status st = il_credentials_provider_get(p, out, why);
    il_credentials_provider_free(p);
    assert_null(strstr(il_buf_cstr(why), SECRET));
    assert_null(strstr(il_buf_cstr(why), TOKEN));
    return st;
}

static void test_ini_parse(void **state) {
    (void)state;
    const char *text = "# comment\n; another\n[default]\nregion = eu-west-1\n  nested = skipped\n"
                       "[profile dev]\nAWS_Access_Key_ID=AKID1\nkey = first\nkey = second = with equals  \n"
                       "s3 =\n  max_concurrent_requests = 10\nempty =\n";
    struct il_ini *ini = NULL;
    struct il_buf why;
    il_buf_init(&why, 1024);
    assert_int_equal(il_ini_parse(text, strlen(text), "cfg", &ini, &why), IL_OK);
    assert_string_equal(il_ini_get(ini, "default", "region"), "eu-west-1");
    assert_null(il_ini_get(ini, "default", "nested"));
    assert_string_equal(il_ini_get(ini, "profile dev", "aws_access_key_id"), "AKID1");
    assert_string_equal(il_ini_get(ini, "profile dev", "key"), "second = with equals");
    assert_string_equal(il_ini_get(ini, "profile dev", "empty"), "");
    assert_null(il_ini_get(ini, "profile dev", "max_concurrent_requests"));
    assert_true(il_ini_has_section(ini, "profile dev"));
    assert_false(il_ini_has_section(ini, "dev"));
    il_ini_free(ini);

    const char *bad[] = {"[default\nx = 1\n", "x = 1\n", "[a]\njust words\n", "[a]\n= v\n"};
    const char *where[] = {"cfg:1:1", "cfg:1:1", "cfg:2:1", "cfg:2:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        il_buf_reset(&why);
        assert_int_equal(il_ini_parse(bad[i], strlen(bad[i]), "cfg", &ini, &why), IL_ERR_PARSE);
        assert_null(ini);
        assert_non_null(strstr(il_buf_cstr(&why), where[i]));
    }
    /* a malformed line holding a secret is never quoted */
    il_buf_reset(&why);
    const char *leaky = "[a]\n" SECRET "\n";
    assert_int_equal(il_ini_parse(leaky, strlen(leaky), "cfg", &ini, &why), IL_ERR_PARSE);
    assert_null(strstr(il_buf_cstr(&why), SECRET));
    const char nul[] = "[a]\nx = 1\0\n";
    assert_int_equal(il_ini_parse(nul, sizeof(nul) - 1, "cfg", &ini, &why), IL_ERR_PARSE);
    il_buf_release(&why);
}

static void test_static_and_selection(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *c = NULL;

    /* no files at all: not found, the chain goes on */
    assert_int_equal(s_get(NULL, &c, &why), IL_ERR_NOTFOUND);
    assert_null(c);

    s_write("credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = " SECRET "\n"
            "[dev]\naws_access_key_id = " KEY_ID "\naws_secret_access_key = " SECRET "\n"
            "aws_session_token = " TOKEN "\n[half]\naws_access_key_id = AKIDHALF\n",
            0600);
    s_write("config",
            "[default]\nregion = us-east-1\n[profile cfgkeys]\naws_access_key_id = AKIDCONFIG\n"
            "aws_secret_access_key = " SECRET "\n[profile empty]\nregion = eu-west-1\n",
            0600);
    assert_int_equal(s_get(NULL, &c, &why), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), "AKIDDEFAULT");
    assert_string_equal(il_credentials_source(c), "profile");
    il_credentials_free(c);

    assert_int_equal(s_get("dev", &c, &why), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), KEY_ID);
    assert_string_equal(il_credentials_secret(c), SECRET);
    assert_string_equal(il_credentials_session_token(c), TOKEN);
    il_credentials_free(c);

    assert_int_equal(s_get("cfgkeys", &c, &why), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), "AKIDCONFIG");
    il_credentials_free(c);

    setenv("AWS_DEFAULT_PROFILE", "cfgkeys", 1); /* legacy name, used when AWS_PROFILE is unset */
    assert_int_equal(s_get(NULL, &c, &why), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), "AKIDCONFIG");
    il_credentials_free(c);
    unsetenv("AWS_DEFAULT_PROFILE");

    assert_int_equal(s_get("half", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "aws_secret_access_key"));
    assert_int_equal(s_get("empty", &c, &why), IL_ERR_NOTFOUND);
    /* a named profile that does not exist stops the chain (the AWS CLI: "could not be found") */
    assert_int_equal(s_get("nosuch", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "'nosuch' (selected by AWS_PROFILE) not found"));
    /* "dev" is [dev] in credentials but must be [profile dev] in config: [dev] in config is not the profile */
    s_write("credentials", "", 0600);
    s_write("config", "[dev]\naws_access_key_id = AKIDX\naws_secret_access_key = " SECRET "\n", 0600);
    assert_int_equal(s_get("dev", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "'dev' (selected by AWS_PROFILE) not found"));
    il_buf_release(&why);
}

static void test_credential_process(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *c = NULL;
    char cfg[2048];
    char ok[512], fail[512], bad[512], big[512];
    s_path(ok, sizeof(ok), "ok.sh");
    s_path(fail, sizeof(fail), "fail.sh");
    s_path(bad, sizeof(bad), "bad.sh");
    s_path(big, sizeof(big), "big.sh");
    s_write("ok.sh",
            "#!/bin/sh\n[ \"$1\" = arg ] || exit 9\nprintf '{\"Version\": 1, \"AccessKeyId\": \"" KEY_ID
            "\", \"SecretAccessKey\": \"" SECRET "\", \"SessionToken\": \"" TOKEN
            "\", \"Expiration\": \"2099-01-02T03:04:05Z\"}'\n",
            0700);
    s_write("fail.sh",
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"x\", \"SecretAccessKey\": \"" SECRET "\"}'\nexit 4\n",
            0700);
    s_write("bad.sh",
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"" KEY_ID "\", \"SecretAccessKey\": \"" SECRET "\"'\n",
            0700);
    s_write("big.sh", "#!/bin/sh\nhead -c 200000 /dev/zero | tr '\\0' 'a'\n", 0700);
    int n = snprintf(cfg, sizeof(cfg),
                     "[profile ok]\ncredential_process = %s arg\n[profile fail]\ncredential_process = %s\n"
                     "[profile bad]\ncredential_process = %s\n[profile big]\ncredential_process = %s\n"
                     "[profile v2]\ncredential_process = echo '{\"Version\": 2, \"AccessKeyId\": \"a\", "
                     "\"SecretAccessKey\": \"b\"}'\n"
                     "[profile missing]\ncredential_process = /nonexistent/credential-helper\n",
                     ok, fail, bad, big);
    assert_true(n > 0 && (size_t)n < sizeof(cfg));
    s_write("config", cfg, 0600);
    s_write("credentials", "", 0600);

    assert_int_equal(s_get("ok", &c, &why), IL_OK);
    assert_string_equal(il_credentials_access_key_id(c), KEY_ID);
    assert_string_equal(il_credentials_secret(c), SECRET);
    assert_string_equal(il_credentials_session_token(c), TOKEN);
    assert_int_equal(il_credentials_expiration(c), 4071006245);
    assert_string_equal(il_credentials_source(c), "credential_process");
    il_credentials_free(c);

    assert_int_equal(s_get("fail", &c, &why), IL_ERR_CREDENTIALS);
    assert_null(c);
    assert_non_null(strstr(il_buf_cstr(&why), "profile 'fail'"));
    assert_non_null(strstr(il_buf_cstr(&why), "exit status 4"));

    assert_int_equal(s_get("bad", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "profile 'bad'"));
    assert_non_null(strstr(il_buf_cstr(&why), "JSON"));

    assert_int_equal(s_get("big", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "more than"));

    assert_int_equal(s_get("v2", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "Version"));

    assert_int_equal(s_get("missing", &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "exit status 127"));
    il_buf_release(&why);
}

static void test_process_json(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 1024);
    struct il_credentials *c = NULL;
    const char *cases[] = {
        "",
        "[]",
        "{\"Version\": 1}",
        "{\"Version\": 1, \"AccessKeyId\": 5, \"SecretAccessKey\": \"s\"}",
        "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"s\", \"Expiration\": \"tomorrow\"}",
        "{\"Version\": 1, \"AccessKeyId\": \"a b\", \"SecretAccessKey\": \"s\"}",
        "{\"Version\": \"1\", \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"s\"}",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        il_buf_reset(&why);
        assert_int_equal(il_credential_process_parse("p", cases[i], strlen(cases[i]), &c, &why), IL_ERR_CREDENTIALS);
        assert_null(c);
        assert_non_null(strstr(il_buf_cstr(&why), "profile 'p'"));
    }
    const char *good = "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"s\", \"SessionToken\": null}";
    assert_int_equal(il_credential_process_parse("p", good, strlen(good), &c, &why), IL_OK);
    assert_null(il_credentials_session_token(c));
    assert_int_equal(il_credentials_expiration(c), 0);
    il_credentials_free(c);
    il_buf_release(&why);
}

static void test_default_chain_order(void **state) {
    (void)state;
    /* the profile answers only when environment and web identity have nothing; the reason lists all three */
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
    s_write("config", "", 0600);
    s_write("credentials", "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = " SECRET "\n", 0600);
    unsetenv("AWS_PROFILE");
    struct il_credentials_provider *chain = il_credentials_provider_default_new();
    assert_non_null(chain);
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *c = NULL;
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_OK);
    assert_string_equal(il_credentials_source(c), "profile");
    il_credentials_free(c);
    setenv("AWS_ACCESS_KEY_ID", KEY_ID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_OK);
    assert_string_equal(il_credentials_source(c), "environment");
    il_credentials_free(c);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    s_write("credentials", "", 0600);
    assert_int_equal(il_credentials_provider_get(chain, &c, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "environment: "));
    assert_non_null(strstr(il_buf_cstr(&why), "web-identity: "));
    assert_non_null(strstr(il_buf_cstr(&why), "profile: "));
    il_credentials_provider_free(chain);
    il_buf_release(&why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ini_parse),
        cmocka_unit_test_setup(test_static_and_selection, s_setup),
        cmocka_unit_test_setup(test_credential_process, s_setup),
        cmocka_unit_test(test_process_json),
        cmocka_unit_test_setup(test_default_chain_order, s_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
