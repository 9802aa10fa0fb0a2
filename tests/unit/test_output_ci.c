/* Unit tests: the CI-platform writers (codequality, asff, ocsf) on crafted diagnostics: AWS field limits cut on a code
 * point, a finding whose account nobody knows refused rather than dropped, the run's defaults used when a finding names
 * no account, and a fixed clock. Whole real runs are checked against the formats' schemas in
 * tests/integration/test_ci_formats.py. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "il/findings.h"

static enum il_findings_format s_format(const char *name) {
    enum il_findings_format f = IL_FINDINGS_TEXT;
    assert_int_equal(il_findings_format_parse(name, IL_FINDINGS_FOR_CHECK, &f), IL_OK);
    return f;
}

/* One finding with a 3000 x "é" message (6000 bytes) about a function in the GovCloud partition. */
static struct il_diags *s_long_diags(char **message) {
    size_t n = 3000;
    char *m = malloc(2 * n + 1);
    assert_non_null(m);
    for (size_t i = 0; i < n; i++) {
        m[2 * i] = (char)0xc3;
        m[2 * i + 1] = (char)0xa9;
    }
    m[2 * n] = '\0';
    struct il_diags *diags = il_diags_new();
    assert_non_null(diags);
    struct il_diag d = {.severity = IL_SEV_WARNING,
                        .rule = "expiring-soon",
                        .file = "security/inspector-exclusions.yaml",
                        .line = 7,
                        .column = 3,
                        .function_arn = "arn:aws-us-gov:lambda:us-gov-west-1:777788889999:function:pdf",
                        .message = m};
    assert_int_equal(il_diags_add(diags, &d), IL_OK);
    *message = m;
    return diags;
}

static cJSON *s_render_json(enum il_findings_format f, const struct il_diags *diags, const struct il_findings_opts *o) {
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_write(f, diags, o, &out), IL_OK);
    cJSON *doc = cJSON_Parse(il_buf_cstr(&out));
    il_buf_release(&out);
    assert_non_null(doc);
    assert_true(cJSON_IsArray(doc));
    return doc;
}

static const char *s_str(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* Whole UTF-8: no cut inside a two-byte "é". */
static void s_assert_whole_e(const char *s, size_t max) {
    size_t len = strlen(s);
    assert_true(len <= max);
    assert_true(len >= max - 64);
    const char *e = strstr(s, "\xc3\xa9");
    assert_non_null(e);
    for (const char *p = e; *p != '\0' && *p != ' ' && *p != '('; p += 2) {
        assert_int_equal((unsigned char)p[0], 0xc3);
        assert_int_equal((unsigned char)p[1], 0xa9);
    }
}

static void test_asff_limits_and_fields(void **state) {
    (void)state;
    char *m = NULL;
    struct il_diags *diags = s_long_diags(&m);
    struct il_findings_opts o = {
        .command = "check", .ledger_file = "security/inspector-exclusions.yaml", .now = 1800000000};
    cJSON *doc = s_render_json(s_format("asff"), diags, &o);
    assert_int_equal(cJSON_GetArraySize(doc), 1);
    const cJSON *f = cJSON_GetArrayItem(doc, 0);
    s_assert_whole_e(s_str(f, "Title"), 256);
    s_assert_whole_e(s_str(f, "Description"), 1024);
    assert_string_equal(s_str(f, "AwsAccountId"), "777788889999");
    assert_string_equal(s_str(f, "ProductArn"), "arn:aws-us-gov:securityhub:us-gov-west-1:777788889999:product/"
                                                "777788889999/default");
    assert_string_equal(s_str(f, "CreatedAt"), "2027-01-15T08:00:00Z");
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(f, "Severity");
    assert_string_equal(s_str(sev, "Label"), "MEDIUM");
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f, "Resources"), 0);
    assert_string_equal(s_str(res, "Type"), "AwsLambdaFunction");
    assert_string_equal(s_str(res, "Partition"), "aws-us-gov");
    cJSON_Delete(doc);
    il_diags_free(diags);
    free(m);
}

static void test_asff_unknown_account_refused(void **state) {
    (void)state;
    struct il_diags *diags = il_diags_new();
    assert_non_null(diags);
    assert_int_equal(il_diags_addf(diags, IL_SEV_ERROR, "schema", "x.yaml", 1, 1, NULL, "%s", "bad"), IL_OK);
    struct il_findings_opts o = {.command = "check", .ledger_file = "x.yaml"};
    struct il_buf out;
    il_buf_init(&out, 0);
    /* nobody knows the account: Security Hub would reject it, so the writer fails instead of dropping it */
    assert_int_equal(il_findings_write(s_format("asff"), diags, &o, &out), IL_ERR_INVALID);
    il_buf_release(&out);
    /* with the caller's account and the home region it is an account-level finding */
    o.account = "111122223333";
    o.region = "eu-west-1";
    cJSON *doc = s_render_json(s_format("asff"), diags, &o);
    const cJSON *f = cJSON_GetArrayItem(doc, 0);
    assert_string_equal(s_str(f, "AwsAccountId"), "111122223333");
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(f, "Resources"), 0);
    assert_string_equal(s_str(res, "Type"), "AwsAccount");
    assert_string_equal(s_str(res, "Id"), "AWS::::Account:111122223333");
    cJSON_Delete(doc);
    il_diags_free(diags);
}

static void test_ocsf_fields(void **state) {
    (void)state;
    char *m = NULL;
    struct il_diags *diags = s_long_diags(&m);
    struct il_findings_opts o = {
        .command = "check", .ledger_file = "security/inspector-exclusions.yaml", .now = 1800000000};
    cJSON *doc = s_render_json(s_format("ocsf"), diags, &o);
    const cJSON *e = cJSON_GetArrayItem(doc, 0);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e, "class_uid")->valueint, 2004);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e, "type_uid")->valueint, 200401);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(e, "severity_id")->valueint, 3);
    assert_true(cJSON_GetObjectItemCaseSensitive(e, "time")->valuedouble == 1800000000000.0);
    assert_string_equal(s_str(e, "message"), m); /* OCSF has no length limit: the message is whole */
    const cJSON *cloud = cJSON_GetObjectItemCaseSensitive(e, "cloud");
    assert_string_equal(s_str(cJSON_GetObjectItemCaseSensitive(cloud, "account"), "uid"), "777788889999");
    assert_string_equal(s_str(cloud, "region"), "us-gov-west-1");
    cJSON_Delete(doc);
    il_diags_free(diags);
    free(m);
}

static void test_codequality_unverified_blocker(void **state) {
    (void)state;
    struct il_diags *diags = il_diags_new(), *unv = il_diags_new();
    assert_non_null(diags);
    assert_non_null(unv);
    assert_int_equal(il_diags_addf(unv, IL_SEV_ERROR, "not-verified", NULL, 0, 0, NULL, "%s", "could not list"), IL_OK);
    struct il_findings_opts o = {.command = "check", .ledger_file = "/abs/ledger.yaml", .unverified = unv};
    cJSON *doc = s_render_json(s_format("codequality"), diags, &o);
    assert_int_equal(cJSON_GetArraySize(doc), 1);
    const cJSON *i = cJSON_GetArrayItem(doc, 0);
    assert_string_equal(s_str(i, "severity"), "blocker");
    assert_string_equal(s_str(i, "check_name"), "not-verified");
    cJSON_Delete(doc);
    il_diags_free(diags);
    il_diags_free(unv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asff_limits_and_fields),
        cmocka_unit_test(test_asff_unknown_account_refused),
        cmocka_unit_test(test_ocsf_fields),
        cmocka_unit_test(test_codequality_unverified_blocker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
