/* Unit tests: the Inspector2 and Organizations clients (requests as sent, pages, strict parsing of every member the
 * collection relies on) and the runtime table's three dates. Scripted transport (scripted_transport.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "il/aws/client.h"
#include "il/aws/credentials.h"
#include "il/aws/error.h"
#include "il/aws/inspector2.h"
#include "il/aws/organizations.h"
#include "il/drift/runtimes.h"
#include "scripted_transport.h"

#define RID "x-amzn-RequestId: req-1\n"
#define ACCT "123456789012"
#define FNARN "arn:aws:lambda:us-east-1:123456789012:function:"
#define COV(name, type, code, reason, meta)                                                                            \
    "{\"resourceType\":\"AWS_LAMBDA_FUNCTION\",\"resourceId\":\"" FNARN name "\",\"accountId\":\"" ACCT                \
    "\",\"scanType\":\"" type "\",\"scanStatus\":{\"statusCode\":\"" code "\",\"reason\":\"" reason "\"}" meta "}"

static struct scripted g_s;

struct fixture {
    struct il_credentials_provider *provider;
    struct il_aws_client *client;
};

static const char *s_noenv(void *ctx, const char *name) {
    (void)ctx;
    (void)name;
    return NULL;
}

static void s_setup(struct fixture *f, const struct st_reply *script, size_t n) {
    st_init(&g_s, NULL);
    g_s.script = script;
    g_s.script_len = n;
    struct il_credentials *creds = NULL;
    assert_int_equal(
        il_credentials_new("AKIDINSPECTORTEST01", "secretInspectorTest/0000000000000000001", NULL, 0, &creds), IL_OK);
    f->provider = il_credentials_provider_static_new(creds, "test");
    il_credentials_free(creds);
    assert_non_null(f->provider);
    struct il_aws_client_config cfg = {
        .region = "us-east-1",
        .endpoints = {.getenv_fn = s_noenv},
        .credentials = f->provider,
        .account = ACCT,
        .max_attempts = 1,
        .rate_limit = -1,
        .transport = &g_s.transport,
        .clock = {st_now, &g_s},
        .jitter_seed = 7,
    };
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_aws_client_new(&cfg, &f->client, &why), IL_OK);
    il_buf_release(&why);
}

static void s_teardown(struct fixture *f) {
    il_aws_client_free(f->client);
    il_credentials_provider_free(f->provider);
}

static void s_has(const char *text, const char *needle) {
    if (strstr(text, needle) == NULL) {
        fail_msg("'%s' does not contain '%s'", text, needle);
    }
}

/* ---- ListCoverage ---- */

static void test_coverage_pages_filters_and_tags(void **state) {
    (void)state;
    const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "{\"coveredResources\":[" COV("a", "PACKAGE", "INACTIVE", "EXCLUDED_BY_TAG",
                                       ",\"resourceMetadata\":{\"lambdaFunction\":{\"functionName\":\"a\","
                                       "\"runtime\":\"PYTHON_3_12\",\"functionTags\":{\"InspectorExclusion\":"
                                       "\"LambdaStandardScanning\",\"team\":\"x\"}}}") "],\"nextToken\":\"t2\"}"},
        {IL_HTTP_OK, 200, RID, "{\"coveredResources\":[" COV("b", "CODE", "ACTIVE", "SUCCESSFUL", "") "]}"},
    };
    struct fixture f;
    s_setup(&f, script, 2);
    struct il_inspector_coverage_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_list_coverage(f.client, "PACKAGE", 0, &out, &err), IL_OK);
    assert_int_equal(g_s.count, 2);
    assert_int_equal(out.count, 2);
    assert_string_equal(out.items[0].status_reason, "EXCLUDED_BY_TAG");
    assert_int_equal(out.items[0].tags_known, 1);
    assert_int_equal(out.items[0].tags.count, 2);
    assert_string_equal(il_tag_list_get(&out.items[0].tags, "InspectorExclusion"), "LambdaStandardScanning");
    assert_string_equal(out.items[0].runtime, "PYTHON_3_12");
    assert_int_equal(out.items[1].tags_known, 0);
    assert_string_equal(out.items[1].status_code, "ACTIVE");
    s_has(g_s.requests[0].url, "/coverage/list");
    s_has(g_s.requests[0].body, "\"resourceType\":[{\"comparison\":\"EQUALS\",\"value\":\"AWS_LAMBDA_FUNCTION\"}]");
    s_has(g_s.requests[0].body, "\"scanType\":[{\"comparison\":\"EQUALS\",\"value\":\"PACKAGE\"}]");
    s_has(g_s.requests[1].body, "\"nextToken\":\"t2\"");
    il_inspector_coverage_list_release(&out);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void s_done_count(void *ctx, const struct il_aws_error *err) {
    int *n = ctx;
    *n = err->status == IL_OK ? *n + 1 : -1;
}

static void test_coverage_queued_account_filter(void **state) {
    (void)state;
    const struct st_reply script[] = {{IL_HTTP_OK, 200, RID, "{\"coveredResources\":[]}"}};
    struct fixture f;
    s_setup(&f, script, 1);
    struct il_inspector_coverage_query q = {.account_id = ACCT};
    struct il_inspector_coverage_list out;
    int done = 0;
    assert_int_equal(il_inspector2_list_coverage_start(f.client, &q, &out, s_done_count, &done), IL_OK);
    assert_int_equal(il_aws_client_run(f.client), IL_OK);
    assert_int_equal(done, 1);
    assert_int_equal(out.count, 0);
    s_has(g_s.requests[0].body, "\"accountId\":[{\"comparison\":\"EQUALS\",\"value\":\"" ACCT "\"}]");
    assert_null(strstr(g_s.requests[0].body, "scanType"));
    il_inspector_coverage_list_release(&out);
    s_teardown(&f);
}

static void s_expect_coverage_malformed(const char *item, const char *needle) {
    char body[2048];
    snprintf(body, sizeof(body), "{\"coveredResources\":[%s]}", item);
    const struct st_reply script[] = {{IL_HTTP_OK, 200, RID, body}};
    struct fixture f;
    s_setup(&f, script, 1);
    struct il_inspector_coverage_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_list_coverage(f.client, NULL, 0, &out, &err), IL_ERR_PARSE);
    assert_non_null(err.message);
    s_has(err.message, needle);
    assert_int_equal(out.count, 0);
    il_aws_error_release(&err);
    s_teardown(&f);
}

static void test_coverage_is_strict(void **state) {
    (void)state;
    s_expect_coverage_malformed("\"x\"", "not an object");
    s_expect_coverage_malformed("{\"resourceType\":\"AWS_EC2_INSTANCE\",\"resourceId\":\"i-1\",\"accountId\":\"" ACCT
                                "\",\"scanType\":\"PACKAGE\"}",
                                "only AWS_LAMBDA_FUNCTION");
    s_expect_coverage_malformed("{\"resourceType\":\"AWS_LAMBDA_FUNCTION\",\"resourceId\":\"" FNARN
                                "a\",\"accountId\":\"12345\",\"scanType\":\"PACKAGE\"}",
                                "12-digit account id");
    s_expect_coverage_malformed("{\"resourceType\":\"AWS_LAMBDA_FUNCTION\",\"resourceId\":\"" FNARN
                                "a\",\"accountId\":\"" ACCT "\"}",
                                "'scanType' is missing");
    s_expect_coverage_malformed("{\"resourceType\":\"AWS_LAMBDA_FUNCTION\",\"resourceId\":\"" FNARN
                                "a\",\"accountId\":\"" ACCT "\",\"scanType\":\"PACKAGE\",\"scanStatus\":\"ACTIVE\"}",
                                "'scanStatus' is not an object");
    s_expect_coverage_malformed("{\"resourceType\":\"AWS_LAMBDA_FUNCTION\",\"resourceId\":\"" FNARN
                                "a\",\"accountId\":\"" ACCT
                                "\",\"scanType\":\"PACKAGE\",\"scanStatus\":{\"statusCode\":\"ACTIVE\"}}",
                                "'reason' is missing");
    s_expect_coverage_malformed(
        COV("a", "PACKAGE", "ACTIVE", "SUCCESSFUL", ",\"resourceMetadata\":{\"lambdaFunction\":{\"functionTags\":[]}}"),
        "'functionTags' is not an object");
    s_expect_coverage_malformed(COV("a", "PACKAGE", "ACTIVE", "SUCCESSFUL",
                                    ",\"resourceMetadata\":{\"lambdaFunction\":{\"functionTags\":{\"k\":1}}}"),
                                "non-string value");
    s_expect_coverage_malformed(COV("a", "PACKAGE", "ACTIVE", "SUCCESSFUL", ",\"resourceMetadata\":[]"),
                                "'resourceMetadata' is not an object");
}

/* ---- BatchGetAccountStatus ---- */

static void test_account_status(void **state) {
    (void)state;
    const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "{\"accounts\":[{\"accountId\":\"" ACCT "\",\"state\":{\"status\":\"ENABLED\"},\"resourceState\":{"
         "\"ec2\":{\"status\":\"DISABLED\"},\"ecr\":{\"status\":\"DISABLED\"},\"lambda\":{\"status\":\"ENABLED\"},"
         "\"lambdaCode\":{\"status\":\"DISABLED\"}}}],\"failedAccounts\":[{\"accountId\":\"210987654321\","
         "\"errorCode\":\"ACCESS_DENIED\",\"errorMessage\":\"no\"}]}"},
    };
    struct fixture f;
    s_setup(&f, script, 1);
    const char *const ids[] = {ACCT, "210987654321"};
    struct il_inspector_account_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_batch_get_account_status(f.client, ids, 2, &out, &err), IL_OK);
    assert_int_equal(out.count, 2);
    assert_string_equal(out.items[0].lambda_status, "ENABLED");
    assert_string_equal(out.items[0].lambda_code_status, "DISABLED");
    assert_string_equal(out.items[1].error_code, "ACCESS_DENIED");
    s_has(g_s.requests[0].body, "\"accountIds\":[\"" ACCT "\",\"210987654321\"]");
    il_inspector_account_list_release(&out);
    il_aws_error_release(&err);
    s_teardown(&f);
    const char *many[101];
    for (size_t i = 0; i < 101; i++) {
        many[i] = ACCT;
    }
    s_setup(&f, script, 1);
    assert_int_equal(il_inspector2_batch_get_account_status(f.client, many, 101, &out, NULL), IL_ERR_INVALID);
    assert_int_equal(g_s.count, 0);
    s_teardown(&f);
}

static void test_account_status_is_strict(void **state) {
    (void)state;
    static const char *const bad[][2] = {
        {"{\"accounts\":[{\"accountId\":\"" ACCT "\",\"resourceState\":{}}]}", "'state' is missing"},
        {"{\"accounts\":[{\"accountId\":\"" ACCT "\",\"state\":{\"status\":\"ENABLED\"}}]}",
         "'resourceState' is missing"},
        {"{\"accounts\":[{\"accountId\":\"" ACCT
         "\",\"state\":{\"status\":\"ENABLED\"},\"resourceState\":{\"lambda\":{}}}]}",
         "'status' is missing"},
        {"{\"accounts\":[{\"accountId\":\"" ACCT
         "\",\"state\":{\"status\":\"ENABLED\"},\"resourceState\":{\"lambda\":\"ENABLED\"}}]}",
         "'lambda' is not an object"},
        {"{\"accounts\":[],\"failedAccounts\":[{\"accountId\":\"" ACCT "\"}]}", "'errorCode' is missing"},
        {"{\"accounts\":[7]}", "not an object"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct st_reply script[] = {{IL_HTTP_OK, 200, RID, bad[i][0]}};
        struct fixture f;
        s_setup(&f, script, 1);
        struct il_inspector_account_list out;
        struct il_aws_error err;
        il_aws_error_init(&err);
        assert_int_equal(il_inspector2_batch_get_account_status(f.client, NULL, 0, &out, &err), IL_ERR_PARSE);
        s_has(err.message, bad[i][1]);
        assert_int_equal(out.count, 0);
        il_aws_error_release(&err);
        s_teardown(&f);
    }
}

/* ---- ListMembers ---- */

static void test_members(void **state) {
    (void)state;
    const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "{\"members\":[{\"accountId\":\"" ACCT "\",\"relationshipStatus\":\"ENABLED\",\"delegatedAdminAccountId\":"
         "\"111111111111\"}],\"nextToken\":\"n\"}"},
        {IL_HTTP_OK, 200, RID, "{\"members\":[{\"accountId\":\"222222222222\",\"relationshipStatus\":\"CREATED\"}]}"},
    };
    struct fixture f;
    s_setup(&f, script, 2);
    struct il_inspector_member_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_inspector2_list_members(f.client, 0, &out, &err), IL_OK);
    assert_int_equal(out.count, 2);
    assert_string_equal(out.items[0].delegated_admin_id, "111111111111");
    assert_string_equal(out.items[1].relationship_status, "CREATED");
    assert_null(out.items[1].delegated_admin_id);
    s_has(g_s.requests[0].url, "/members/list");
    s_has(g_s.requests[0].body, "\"onlyAssociated\":false");
    s_has(g_s.requests[1].body, "\"nextToken\":\"n\"");
    il_inspector_member_list_release(&out);
    il_aws_error_release(&err);
    s_teardown(&f);
    static const char *const bad[][2] = {
        {"{\"nextToken\":null}", "'members' is missing"},
        {"{\"members\":[{\"accountId\":\"" ACCT "\"}]}", "'relationshipStatus' is missing"},
        {"{\"members\":[{\"accountId\":\"x\",\"relationshipStatus\":\"ENABLED\"}]}", "12-digit"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct st_reply one[] = {{IL_HTTP_OK, 200, RID, bad[i][0]}};
        s_setup(&f, one, 1);
        il_aws_error_init(&err);
        assert_int_equal(il_inspector2_list_members(f.client, 0, &out, &err), IL_ERR_PARSE);
        s_has(err.message, bad[i][1]);
        il_aws_error_release(&err);
        s_teardown(&f);
    }
}

/* ---- Organizations ListAccounts ---- */

static void test_org_accounts(void **state) {
    (void)state;
    const struct st_reply script[] = {
        {IL_HTTP_OK, 200, RID,
         "{\"Accounts\":[{\"Id\":\"" ACCT "\",\"Name\":\"a\",\"Status\":\"ACTIVE\",\"State\":\"ACTIVE\"}],"
         "\"NextToken\":\"p2\"}"},
        {IL_HTTP_OK, 200, RID,
         "{\"Accounts\":[{\"Id\":\"222222222222\",\"Status\":\"SUSPENDED\"},{\"Id\":\"333333333333\",\"State\":"
         "\"CLOSED\",\"Status\":\"ACTIVE\"}]}"},
    };
    struct fixture f;
    s_setup(&f, script, 2);
    struct il_org_account_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_organizations_list_accounts(f.client, 0, &out, &err), IL_OK);
    assert_int_equal(out.count, 3);
    assert_true(il_org_account_is_active(&out.items[0]));
    assert_false(il_org_account_is_active(&out.items[1]));
    assert_false(il_org_account_is_active(&out.items[2])); /* State wins over the deprecated Status */
    s_has(g_s.requests[0].headers, "X-Amz-Target: AWSOrganizationsV20161128.ListAccounts");
    s_has(g_s.requests[0].headers, "application/x-amz-json-1.1");
    s_has(g_s.requests[0].headers, "/us-east-1/organizations/aws4_request");
    s_has(g_s.requests[0].body, "\"MaxResults\":20");
    s_has(g_s.requests[1].body, "\"NextToken\":\"p2\"");
    il_org_account_list_release(&out);
    il_aws_error_release(&err);
    s_teardown(&f);
    assert_string_equal(il_organizations_region("aws"), "us-east-1");
    assert_string_equal(il_organizations_region("aws-us-gov"), "us-gov-west-1");
    assert_string_equal(il_organizations_region("aws-cn"), "cn-northwest-1");
    assert_null(il_organizations_region("aws-iso"));
    static const char *const bad[][2] = {
        {"{}", "'Accounts' is missing"},
        {"{\"Accounts\":[{\"Id\":\"" ACCT "\"}]}", "neither 'State' nor 'Status'"},
        {"{\"Accounts\":[{\"Id\":\"12\",\"Status\":\"ACTIVE\"}]}", "12-digit"},
        {"{\"Accounts\":[{\"Id\":\"" ACCT "\",\"Status\":1}]}", "'Status' is not a string"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct st_reply one[] = {{IL_HTTP_OK, 200, RID, bad[i][0]}};
        s_setup(&f, one, 1);
        il_aws_error_init(&err);
        assert_int_equal(il_organizations_list_accounts(f.client, 0, &out, &err), IL_ERR_PARSE);
        s_has(err.message, bad[i][1]);
        il_aws_error_release(&err);
        s_teardown(&f);
    }
}

static void test_org_denied_names_the_action(void **state) {
    (void)state;
    const struct st_reply script[] = {
        {IL_HTTP_OK, 400, RID "x-amzn-ErrorType: AccessDeniedException\n",
         "{\"__type\":\"AccessDeniedException\",\"Message\":\"You don't have permissions to access this resource.\"}"},
    };
    struct fixture f;
    s_setup(&f, script, 1);
    struct il_org_account_list out;
    struct il_aws_error err;
    il_aws_error_init(&err);
    assert_int_equal(il_organizations_list_accounts(f.client, 0, &out, &err), IL_ERR_AWS);
    assert_string_equal(err.missing_action, "organizations:ListAccounts");
    il_aws_error_release(&err);
    s_teardown(&f);
}

/* ---- the runtime table ---- */

static const char *s_write(const char *text) {
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/il-test-runtimes-%ld.json", (long)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static void test_runtime_dates(void **state) {
    (void)state;
    struct il_runtimes *rt = NULL;
    struct il_diags *diags = il_diags_new();
    assert_int_equal(il_runtimes_load(NULL, &rt, diags), IL_OK);
    assert_non_null(il_runtimes_table_date(rt));
    const struct il_runtime_dates *d = il_runtimes_dates(rt, "python3.9");
    assert_non_null(d);
    assert_string_equal(d->deprecation, "2025-12-15");
    assert_non_null(d->block_create);
    assert_non_null(d->block_update);
    assert_true(strcmp(d->block_create, d->deprecation) > 0 && strcmp(d->block_update, d->block_create) > 0);
    assert_null(il_runtimes_dates(rt, "cobol85"));
    il_runtimes_free(rt);
    const char *path = s_write("{\"runtimes\":{\"a\":\"2020-01-01\",\"b\":{\"deprecation\":\"2021-01-01\","
                               "\"block_function_create\":null,\"block_function_update\":\"2021-03-01\"}}}");
    assert_int_equal(il_runtimes_load(path, &rt, diags), IL_OK);
    assert_null(il_runtimes_table_date(rt));
    assert_null(il_runtimes_dates(rt, "a")->block_update);
    d = il_runtimes_dates(rt, "b");
    assert_null(d->block_create);
    assert_string_equal(d->block_update, "2021-03-01");
    il_runtimes_free(rt);
    static const char *const bad[] = {
        "{\"runtimes\":{\"b\":{\"block_function_update\":\"2021-03-01\"}}}",
        "{\"runtimes\":{\"b\":{\"deprecation\":\"2021-01-01\",\"blocked\":\"2021-03-01\"}}}",
        "{\"runtimes\":{\"b\":{\"deprecation\":\"2021-13-01\"}}}",
        "{\"runtimes\":{\"b\":{\"deprecation\":\"2021-01-01\",\"block_function_create\":5}}}",
        "{\"table_date\":\"yesterday\",\"runtimes\":{}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        path = s_write(bad[i]);
        assert_int_equal(il_runtimes_load(path, &rt, diags), IL_ERR_PARSE);
        assert_null(rt);
    }
    assert_true(il_diags_count(diags) >= 5);
    remove(path);
    il_diags_free(diags);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage_pages_filters_and_tags),
        cmocka_unit_test(test_coverage_queued_account_filter),
        cmocka_unit_test(test_coverage_is_strict),
        cmocka_unit_test(test_account_status),
        cmocka_unit_test(test_account_status_is_strict),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_org_accounts),
        cmocka_unit_test(test_org_denied_names_the_action),
        cmocka_unit_test(test_runtime_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
