/* Unit tests: IAM Identity Center (SSO) profiles — both config forms and their refusals by name, the token cache
 * file's name (botocore's sha1 rule), parsing it with located errors, expiry, the portal endpoint's precedence, and
 * the GetRoleCredentials exchange over a scripted fetch (request shape, retries, refusals, no secret in a reason). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_sso.h"
#include "il/aws/settings.h"
#include "scratch_dir.h"
#include "scripted_fetch.h"

#define TOKEN "aoaAAAAAGSSOaccessTOKENforTESTS0001"
#define SECRET "sso/Role+SECRET+forTESTSonly0000000000"
#define SESSION "IQoSSOroleSESSIONtoken0001"
#define NOW 1796342400 /* 2026-12-04T00:00:00Z */

static const char *s_config = "[profile dev]\n"
                              "sso_session = corp\n"
                              "sso_account_id = 111111111111\n"
                              "sso_role_name = AuditRead\n"
                              "[sso-session corp]\n"
                              "sso_start_url = https://corp.awsapps.com/start\n"
                              "sso_region = eu-west-1\n"
                              "sso_registration_scopes = sso:account:access\n"
                              "[profile legacy]\n"
                              "sso_start_url = https://d-abc123.awsapps.com/start\n"
                              "sso_region = us-east-2\n"
                              "sso_account_id = 222222222222\n"
                              "sso_role_name = Ops\n"
                              "[profile same]\n"
                              "sso_session = corp\n"
                              "sso_region = eu-west-1\n"
                              "sso_account_id = 111111111111\n"
                              "sso_role_name = AuditRead\n"
                              "[profile differs]\n"
                              "sso_session = corp\n"
                              "sso_start_url = https://other.awsapps.com/start\n"
                              "sso_account_id = 111111111111\n"
                              "sso_role_name = AuditRead\n"
                              "[profile nosession]\n"
                              "sso_session = gone\n"
                              "sso_account_id = 111111111111\n"
                              "sso_role_name = AuditRead\n"
                              "[profile bare]\n"
                              "sso_account_id = 111111111111\n"
                              "[profile badregion]\n"
                              "sso_start_url = https://x/start\n"
                              "sso_region = eu-west-1/../evil\n"
                              "sso_account_id = 111111111111\n"
                              "sso_role_name = R\n"
                              "[profile badaccount]\n"
                              "sso_start_url = https://x/start\n"
                              "sso_region = eu-west-1\n"
                              "sso_account_id = 1111\n"
                              "sso_role_name = R\n"
                              "[profile tokenonly]\n"
                              "sso_session = corp\n";

static struct il_profile_files s_files(void) {
    struct il_profile_files f;
    memset(&f, 0, sizeof(f));
    struct il_buf why;
    il_buf_init(&why, 1024);
    assert_int_equal(il_ini_parse(s_config, strlen(s_config), "config", &f.config, &why), IL_OK);
    il_buf_release(&why);
    return f;
}

static void s_clear_env(void) {
    const char *vars[] = {"AWS_ENDPOINT_URL_SSO",  "AWS_ENDPOINT_URL",           "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                          "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_PROFILE"};
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        unsetenv(vars[i]);
    }
}

static void test_config_forms(void **state) {
    (void)state;
    s_clear_env();
    struct il_profile_files f = s_files();
    struct il_sso_config c;
    struct il_buf why;
    il_buf_init(&why, 4096);
    assert_true(il_sso_profile_uses_sso(&f, "dev"));
    assert_true(il_sso_profile_uses_sso(&f, "bare"));
    assert_false(il_sso_profile_uses_sso(&f, "tokenonly")); /* botocore: no account / role, no SSO credentials */

    assert_int_equal(il_sso_config_resolve(&f, "dev", &c, &why), IL_OK);
    assert_string_equal(c.session, "corp");
    assert_string_equal(c.start_url, "https://corp.awsapps.com/start");
    assert_string_equal(c.region, "eu-west-1");
    assert_string_equal(c.account_id, "111111111111");
    assert_string_equal(c.role_name, "AuditRead");

    assert_int_equal(il_sso_config_resolve(&f, "legacy", &c, &why), IL_OK);
    assert_null(c.session);
    assert_string_equal(c.start_url, "https://d-abc123.awsapps.com/start");
    assert_string_equal(c.region, "us-east-2");
    /* the same value in profile and session is fine; a different one is refused, naming the key */
    assert_int_equal(il_sso_config_resolve(&f, "same", &c, &why), IL_OK);

    static const struct {
        const char *profile;
        const char *want;
    } refused[] = {
        {"differs", "profile 'differs': sso_start_url differs between the profile and [sso-session corp]"},
        {"nosession", "sso_session 'gone' has no [sso-session gone] section"},
        {"bare", "missing required configuration: sso_start_url, sso_region, sso_role_name"},
        {"badregion", "sso_region 'eu-west-1/../evil' is not a region name"},
        {"badaccount", "sso_account_id '1111' is not a 12-digit AWS account id"},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        il_buf_reset(&why);
        assert_int_equal(il_sso_config_resolve(&f, refused[i].profile, &c, &why), IL_ERR_CREDENTIALS);
        if (strstr(il_buf_cstr(&why), refused[i].want) == NULL) {
            fail_msg("%s: got '%s'", refused[i].profile, il_buf_cstr(&why));
        }
    }
    il_buf_release(&why);
    il_profile_files_release(&f);
}

static void test_cache_path(void **state) {
    (void)state;
    struct il_buf path, why;
    il_buf_init(&path, 4096);
    il_buf_init(&why, 1024);
    /* botocore's SSOTokenLoader: sha1 hex of the session name, else of the start URL */
    struct il_sso_config c = {.profile = "p", .session = "my-sso", .start_url = "https://ignored/start"};
    assert_int_equal(il_sso_cache_path(&c, "/c", &path, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&path), "/c/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
    c.session = NULL;
    c.start_url = "https://d-abc123.awsapps.com/start";
    assert_int_equal(il_sso_cache_path(&c, "/c", &path, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&path), "/c/40a89917e3175433e361b710a9d43528d7f1890a.json");
    setenv("HOME", "/home/someone", 1);
    assert_int_equal(il_sso_cache_path(&c, NULL, &path, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&path),
                        "/home/someone/.aws/sso/cache/40a89917e3175433e361b710a9d43528d7f1890a.json");
    il_buf_release(&path);
    il_buf_release(&why);
}

static void test_token_parse(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 4096);
    char *token = NULL;
    int64_t exp = 0;
    static const struct {
        const char *expires;
        int64_t want;
    } forms[] = {
        {"2026-12-04T01:00:00Z", NOW + 3600},
        {"2026-12-04T01:00:00UTC", NOW + 3600}, /* what older AWS CLI v2 releases wrote */
        {"2026-12-04T01:00:00.123Z", NOW + 3600},
        {"2026-12-04T01:00:00+00:00", NOW + 3600},
    };
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        char doc[512];
        (void)snprintf(doc, sizeof(doc),
                       "{\"startUrl\": \"https://corp.awsapps.com/start\", \"region\": \"eu-west-1\", "
                       "\"accessToken\": \"" TOKEN "\", \"expiresAt\": \"%s\", \"refreshToken\": \"r\"}",
                       forms[i].expires);
        assert_int_equal(il_sso_token_parse(doc, strlen(doc), "c.json", &token, &exp, &why), IL_OK);
        assert_string_equal(token, TOKEN);
        assert_int_equal(exp, forms[i].want);
        free(token);
        token = NULL;
    }
    static const struct {
        const char *doc;
        const char *want;
    } bad[] = {
        {"{\"accessToken\": \"" TOKEN "\",\n  \"expiresAt\": }",
         "c.json:2:16: the SSO token cache file is not valid JSON"},
        {"[1]", "c.json:1:1: the SSO token cache file is not a JSON object"},
        {"{\"expiresAt\": \"2026-12-04T01:00:00Z\"}", "c.json:1:1: the SSO token cache file has no accessToken"},
        {"{\"accessToken\": 7, \"expiresAt\": \"2026-12-04T01:00:00Z\"}", "c.json:1:17: "},
        {"{\"accessToken\": \"" TOKEN "\"}", "has no expiresAt"},
        {"{\"accessToken\": \"" TOKEN "\",\n \"expiresAt\": \"tomorrow\"}",
         "c.json:2:15: the SSO token cache file has an expiresAt that is not an ISO 8601 UTC time"},
        {"{\"accessToken\": \"a\\nb\", \"expiresAt\": \"2026-12-04T01:00:00Z\"}", "accessToken holds control"},
        {"{\"accessToken\": \"" TOKEN "\", \"accessToken\": \"x\", \"expiresAt\": \"2026-12-04T01:00:00Z\"}",
         "duplicate key"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        il_buf_reset(&why);
        assert_int_equal(il_sso_token_parse(bad[i].doc, strlen(bad[i].doc), "c.json", &token, &exp, &why),
                         IL_ERR_CREDENTIALS);
        assert_null(token);
        if (strstr(il_buf_cstr(&why), bad[i].want) == NULL) {
            fail_msg("case %zu: got '%s'", i, il_buf_cstr(&why));
        }
        assert_null(strstr(il_buf_cstr(&why), TOKEN));
    }
    il_buf_release(&why);
}

static void test_endpoint(void **state) {
    (void)state;
    s_clear_env();
    struct il_buf url, why;
    il_buf_init(&url, 1024);
    il_buf_init(&why, 1024);
    const char *from = NULL;
    struct il_sso_config c = {.profile = "dev", .region = "eu-west-1"};
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "https://portal.sso.eu-west-1.amazonaws.com");
    c.region = "cn-north-1";
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "https://portal.sso.cn-north-1.amazonaws.com.cn");
    assert_string_equal(from, "endpoint rule set");
    /* FIPS and dual-stack hostnames are the sso rule set's (GovCloud's FIPS portal is the plain one) */
    const struct {
        const char *region, *fips, *dual, *want;
    } rules[] = {
        {"us-east-1", "true", NULL, "https://portal.sso-fips.us-east-1.amazonaws.com"},
        {"us-gov-west-1", "true", NULL, "https://portal.sso.us-gov-west-1.amazonaws.com"},
        {"eu-west-1", NULL, "true", "https://portal.sso.eu-west-1.api.aws"},
        {"us-east-1", "true", "true", "https://portal.sso-fips.us-east-1.api.aws"},
        {"eu-west-1", "false", NULL, "https://portal.sso.eu-west-1.amazonaws.com"},
    };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        s_clear_env();
        if (rules[i].fips) {
            setenv("AWS_USE_FIPS_ENDPOINT", rules[i].fips, 1);
        }
        if (rules[i].dual) {
            setenv("AWS_USE_DUALSTACK_ENDPOINT", rules[i].dual, 1);
        }
        c.region = rules[i].region;
        assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
        assert_string_equal(il_buf_cstr(&url), rules[i].want);
    }
    /* FIPS with a configured endpoint: the rule set's error, never a silent pick */
    setenv("AWS_USE_FIPS_ENDPOINT", "true", 1);
    setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:1", 1);
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "FIPS and custom endpoint are not supported"));
    assert_non_null(strstr(il_buf_cstr(&why), "profile 'dev'"));
    s_clear_env();
    il_buf_reset(&why);
    c.region = "us-gov-west-1";
    /* configured endpoints: the service's variable, the global one, the profile's endpoint_url */
    c.profile_endpoint_url = "http://127.0.0.1:3/";
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:3");
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:2", 1);
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(from, "AWS_ENDPOINT_URL");
    setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:1//", 1);
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:1");
    assert_string_equal(from, "AWS_ENDPOINT_URL_SSO");
    c.services_endpoint_url = "http://127.0.0.1:4";
    unsetenv("AWS_ENDPOINT_URL_SSO");
    unsetenv("AWS_ENDPOINT_URL");
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:4"); /* the services section before endpoint_url */
    c.profile_ignore_configured = "true";
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "https://portal.sso.us-gov-west-1.amazonaws.com");
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1); /* the environment's switch wins */
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:4");
    c.profile_ignore_configured = NULL;
    setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:1", 1);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE", 1);
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "https://portal.sso.us-gov-west-1.amazonaws.com");
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    setenv("AWS_ENDPOINT_URL_SSO", "ftp://x", 1);
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "AWS_ENDPOINT_URL_SSO: 'ftp://x' is not an http:// or https:// URL"));
    s_clear_env();
    /* with the run's settings, the portal follows them: the services section, FIPS and dual-stack from the profile */
    struct il_aws_settings s;
    memset(&s, 0, sizeof(s));
    char svc_url[] = "http://127.0.0.1:5/", prof_url[] = "http://127.0.0.1:6";
    s.service_endpoint_url[IL_AWS_SSO].value = svc_url;
    s.endpoint_url.value = prof_url;
    c.settings = &s;
    c.services_endpoint_url = NULL; /* not read with settings */
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:5");
    assert_string_equal(from, "profile services endpoint_url");
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7", 1); /* botocore: the services section before AWS_ENDPOINT_URL */
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:5");
    setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:8", 1);
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "http://127.0.0.1:8");
    s_clear_env();
    s.ignore_configured = 1;
    s.use_fips = 1;
    s.use_dualstack = 1;
    c.region = "eu-central-1";
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "https://portal.sso-fips.eu-central-1.api.aws");
    setenv("AWS_USE_FIPS_ENDPOINT", "false", 1); /* the settings decided already: the variable is not re-read */
    assert_int_equal(il_sso_endpoint(&c, &url, &from, &why), IL_OK);
    assert_string_equal(il_buf_cstr(&url), "https://portal.sso-fips.eu-central-1.api.aws");
    s_clear_env();
    il_buf_release(&url);
    il_buf_release(&why);
}

#define GOOD_ANSWER                                                                                                    \
    "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO0000000000001\", \"secretAccessKey\": \"" SECRET "\", "          \
    "\"sessionToken\": \"" SESSION "\", \"expiration\": 1796346000000}}"

static char s_dir[256];

static void s_cache(const char *expires) {
    char path[512], doc[512];
    (void)snprintf(path, sizeof(path), "%s/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", s_dir); /* sha1("corp") */
    (void)snprintf(doc, sizeof(doc), "{\"accessToken\": \"" TOKEN "\", \"expiresAt\": \"%s\"}", expires);
    scratch_write(path, doc);
}

static enum il_status s_fetch(struct sf_script *s, const struct sf_reply *replies, size_t n,
                              struct il_credentials **out, struct il_buf *why) {
    static const struct il_sso_config c = {.profile = "dev",
                                           .session = "corp",
                                           .start_url = "https://corp.awsapps.com/start",
                                           .region = "eu-west-1",
                                           .account_id = "111111111111",
                                           .role_name = "Audit Read+"};
    struct il_remote_fetcher fetcher = sf_start(s, replies, n);
    const struct il_sso_fetch_options o = {.cache_dir = s_dir, .now = NOW, .fetcher = &fetcher};
    il_buf_reset(why);
    enum il_status st = il_sso_fetch(&c, &o, out, why);
    const char *secrets[] = {TOKEN, SECRET, SESSION};
    for (size_t i = 0; i < 3; i++) {
        assert_null(strstr(il_buf_cstr(why), secrets[i]));
    }
    return st;
}

static void test_fetch(void **state) {
    (void)state;
    s_clear_env();
    setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:1", 1);
    scratch_dir_make(s_dir, sizeof(s_dir), "il-sso");
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct sf_script s;
    struct il_credentials *creds = NULL;

    /* no cache file: no request, a login hint */
    assert_int_equal(s_fetch(&s, NULL, 0, &creds, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 0);
    assert_non_null(strstr(il_buf_cstr(&why), "no SSO token cached for sso-session 'corp'"));
    assert_non_null(strstr(il_buf_cstr(&why), "run `aws sso login --profile dev`"));

    /* expired (also exactly at expiry): no request */
    s_cache("2026-12-03T23:59:59Z");
    assert_int_equal(s_fetch(&s, NULL, 0, &creds, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 0);
    assert_non_null(strstr(il_buf_cstr(&why), "expired at 2026-12-03T23:59:59Z"));
    s_cache("2026-12-04T00:00:00Z");
    assert_int_equal(s_fetch(&s, NULL, 0, &creds, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "run `aws sso login --profile dev`"));

    /* valid: the request's shape, the credentials and their expiry (epoch ms) */
    s_cache("2026-12-04T08:00:00Z");
    static const struct sf_reply ok[] = {{IL_HTTP_OK, 200, GOOD_ANSWER}};
    assert_int_equal(s_fetch(&s, ok, 1, &creds, &why), IL_OK);
    assert_int_equal(s.count, 1);
    assert_string_equal(s.requests[0].method, "GET");
    assert_string_equal(s.requests[0].url,
                        "http://127.0.0.1:1/federation/credentials?role_name=Audit%20Read%2B&account_id=111111111111");
    assert_non_null(strstr(s.requests[0].headers, "x-amz-sso_bearer_token: " TOKEN "\n"));
    assert_string_equal(il_credentials_access_key_id(creds), "ASIASSO0000000000001");
    assert_string_equal(il_credentials_secret(creds), SECRET);
    assert_string_equal(il_credentials_session_token(creds), SESSION);
    assert_int_equal(il_credentials_expiration(creds), 1796346000);
    assert_string_equal(il_credentials_source(creds), "profile:dev (sso)");
    il_credentials_free(creds);
    creds = NULL;

    /* throttling and 5xx are retried (3 attempts), then reported */
    static const struct sf_reply flaky[] = {
        {IL_HTTP_OK, 503, ""}, {IL_HTTP_OK, 429, ""}, {IL_HTTP_OK, 200, GOOD_ANSWER}};
    assert_int_equal(s_fetch(&s, flaky, 3, &creds, &why), IL_OK);
    assert_int_equal(s.count, 3);
    il_credentials_free(creds);
    creds = NULL;
    static const struct sf_reply down[] = {{IL_HTTP_OK, 500, ""}, {IL_HTTP_OK, 500, ""}, {IL_HTTP_OK, 500, ""}};
    assert_int_equal(s_fetch(&s, down, 3, &creds, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 3);
    assert_non_null(strstr(il_buf_cstr(&why), "HTTP 500"));

    /* refusals: 401 asks for a login, 403 names the assignment; never retried */
    static const struct sf_reply unauthorized[] = {
        {IL_HTTP_OK, 401,
         "{\"__type\": \"UnauthorizedException\", \"message\": \"Session token not found or invalid\"}"}};
    assert_int_equal(s_fetch(&s, unauthorized, 1, &creds, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 1);
    assert_non_null(strstr(il_buf_cstr(&why), "HTTP 401 UnauthorizedException"));
    assert_non_null(strstr(il_buf_cstr(&why), "run `aws sso login --profile dev`"));
    static const struct sf_reply forbidden[] = {{IL_HTTP_OK, 403, "{\"message\": \"No access\"}"}};
    assert_int_equal(s_fetch(&s, forbidden, 1, &creds, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "HTTP 403 (is the permission set 'Audit Read+' assigned"));

    /* malformed answers: never quoted */
    static const struct sf_reply odd[] = {
        {IL_HTTP_OK, 200, "{\"roleCredentials\": {\"accessKeyId\": \"A\", \"secretAccessKey\": \"" SECRET "\"}}"}};
    assert_int_equal(s_fetch(&s, odd, 1, &creds, &why), IL_ERR_CREDENTIALS);
    assert_non_null(strstr(il_buf_cstr(&why), "lacks roleCredentials"));
    static const struct sf_reply junk[] = {{IL_HTTP_OK, 200, "<html>" SECRET}};
    assert_int_equal(s_fetch(&s, junk, 1, &creds, &why), IL_ERR_CREDENTIALS);
    assert_null(creds);
    /* a cache file past the bound is not read whole */
    char path[512];
    (void)snprintf(path, sizeof(path), "%s/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", s_dir);
    char *big = malloc(IL_SSO_CACHE_MAX_BYTES + 2);
    assert_non_null(big);
    memset(big, ' ', IL_SSO_CACHE_MAX_BYTES + 1);
    big[IL_SSO_CACHE_MAX_BYTES + 1] = '\0';
    scratch_write(path, big);
    free(big);
    assert_int_equal(s_fetch(&s, ok, 1, &creds, &why), IL_ERR_CREDENTIALS);
    assert_int_equal(s.count, 0);
    assert_non_null(strstr(il_buf_cstr(&why), "over 64 KiB"));
    s_clear_env();
    il_buf_release(&why);
}

/* Through the profile provider: the hook in il_profile_plain, and a session-only profile refused by name. */
static void test_profile_provider(void **state) {
    (void)state;
    s_clear_env();
    char dir[256], config[512];
    scratch_dir_make(dir, sizeof(dir), "il-sso-home");
    (void)snprintf(config, sizeof(config), "%s/config", dir);
    scratch_write(config, s_config);
    setenv("HOME", dir, 1);
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_credentials *creds = NULL;
    static const struct {
        const char *profile;
        const char *want;
    } cases[] = {
        {"dev", "no SSO token cached for sso-session 'corp'"},
        {"legacy", "no SSO token cached for sso_start_url 'https://d-abc123.awsapps.com/start'"},
        {"tokenonly", "profile 'tokenonly' sets sso_session but neither sso_account_id nor sso_role_name"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        setenv("AWS_PROFILE", cases[i].profile, 1);
        struct il_credentials_provider *p = il_credentials_provider_profile_new();
        assert_non_null(p);
        il_buf_reset(&why);
        assert_int_equal(il_credentials_provider_get(p, &creds, &why), IL_ERR_CREDENTIALS);
        il_credentials_provider_free(p);
        if (strstr(il_buf_cstr(&why), cases[i].want) == NULL) {
            fail_msg("%s: got '%s'", cases[i].profile, il_buf_cstr(&why));
        }
    }
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    il_buf_release(&why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_forms), cmocka_unit_test(test_cache_path), cmocka_unit_test(test_token_parse),
        cmocka_unit_test(test_endpoint),     cmocka_unit_test(test_fetch),      cmocka_unit_test(test_profile_provider),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
