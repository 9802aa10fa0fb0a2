/* Unit tests: the scope of a check (regions, accounts, role ARNs) decided from options and the ledger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "il/drift/collect.h"

#define ENTRY(arn)                                                                                                     \
    "  - target:\n      type: lambda\n      function_name: f\n      function_arn: " arn "\n"                           \
    "    scan_type: standard\n    tag:\n      key: InspectorExclusion\n      value: LambdaStandardScanning\n"          \
    "    reason:\n      summary: s\n      ticket: SEC-1\n      compensating_controls: [c]\n"                           \
    "    owner:\n      team: t\n      approved_by: a\n      applied_by: b\n"                                           \
    "    dates:\n      applied_at: 2026-01-01\n      next_review_at: 2026-02-01\n      expires_at: 2027-01-01\n"

static const char *s_text = "version: 1\nexclusions:\n" ENTRY("arn:aws:lambda:eu-west-1:222222222222:function:f")
    ENTRY("arn:aws:lambda:us-east-1:111111111111:function:f") ENTRY("arn:aws:lambda:eu-west-1:111111111111:function:f")
        ENTRY("arn:aws-us-gov:lambda:us-gov-west-1:444444444444:function:f");

static struct il_ledger *s_ledger(void) {
    struct il_diags *d = il_diags_new();
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_load_data(s_text, strlen(s_text), "l.yaml", NULL, &l, d), IL_OK);
    il_diags_free(d);
    return l;
}

static void test_regions_union_and_partition(void **state) {
    (void)state;
    struct il_ledger *l = s_ledger();
    const char *regions[] = {"ap-south-1", "eu-west-1"};
    struct il_collect_opts o = {.regions = regions, .region_count = 2};
    struct il_collect_plan p;
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_collect_plan_build(&o, l, "us-east-1", &p, &why), IL_OK);
    /* --region values + the ledger's regions in the home partition, sorted; the GovCloud entry stays out */
    assert_int_equal(p.region_count, 3);
    assert_string_equal(p.regions[0], "ap-south-1");
    assert_string_equal(p.regions[1], "eu-west-1");
    assert_string_equal(p.regions[2], "us-east-1");
    assert_string_equal(p.partition, "aws");
    assert_false(p.use_role);
    assert_int_equal(p.account_count, 0);
    il_collect_plan_release(&p);

    /* no --region: the home region is checked */
    struct il_collect_opts none = {0};
    assert_int_equal(il_collect_plan_build(&none, NULL, "sa-east-1", &p, &why), IL_OK);
    assert_int_equal(p.region_count, 1);
    assert_string_equal(p.regions[0], "sa-east-1");
    il_collect_plan_release(&p);

    /* --all-regions: the partition's regions, which include opt-in ones */
    struct il_collect_opts all = {.all_regions = 1};
    assert_int_equal(il_collect_plan_build(&all, l, "us-east-1", &p, &why), IL_OK);
    assert_true(p.region_count > 15);
    int has_opt_in = 0;
    for (size_t i = 0; i < p.region_count; i++) {
        has_opt_in |= il_collect_region_is_opt_in(p.regions[i]);
        assert_true(strncmp(p.regions[i], "us-gov", 6) != 0);
    }
    assert_true(has_opt_in);
    il_collect_plan_release(&p);
    il_buf_release(&why);
    il_ledger_free(l);
}

static void test_accounts_and_roles(void **state) {
    (void)state;
    struct il_ledger *l = s_ledger();
    const char *accounts[] = {"333333333333", "111111111111"};
    struct il_collect_opts o = {.accounts = accounts, .account_count = 2, .role_name = "Audit"};
    struct il_collect_plan p;
    struct il_buf why, arn;
    il_buf_init(&why, 0);
    il_buf_init(&arn, 0);
    assert_int_equal(il_collect_plan_build(&o, l, "us-east-1", &p, &why), IL_OK);
    assert_true(p.use_role);
    assert_int_equal(p.account_count, 3); /* 111, 222 from the ledger, 333 given; gov account excluded */
    assert_string_equal(p.accounts[0], "111111111111");
    assert_string_equal(p.accounts[1], "222222222222");
    assert_string_equal(p.accounts[2], "333333333333");
    assert_int_equal(il_collect_role_arn(&o, p.partition, "222222222222", &arn), IL_OK);
    assert_string_equal(il_buf_cstr(&arn), "arn:aws:iam::222222222222:role/Audit");
    il_collect_plan_release(&p);

    struct il_collect_opts t = {.role_arn_template = "arn:aws:iam::{account}:role/x/{account}"};
    il_buf_reset(&arn);
    assert_int_equal(il_collect_role_arn(&t, "aws", "123456789012", &arn), IL_OK);
    assert_string_equal(il_buf_cstr(&arn), "arn:aws:iam::123456789012:role/x/123456789012");
    il_buf_release(&arn);
    il_buf_release(&why);
    il_ledger_free(l);
}

static void s_expect_invalid(const struct il_collect_opts *o, const char *needle) {
    struct il_collect_plan p;
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_collect_plan_build(o, NULL, "us-east-1", &p, &why), IL_ERR_INVALID);
    assert_non_null(strstr(il_buf_cstr(&why), needle));
    il_buf_release(&why);
}

static void test_invalid_options(void **state) {
    (void)state;
    const char *bad_region[] = {"US_EAST_1"};
    const char *gov_region[] = {"us-gov-west-1"};
    const char *bad_account[] = {"12345"};
    const char *good_account[] = {"123456789012"};
    s_expect_invalid(&(struct il_collect_opts){.regions = bad_region, .region_count = 1}, "invalid --region");
    s_expect_invalid(&(struct il_collect_opts){.regions = gov_region, .region_count = 1}, "partition");
    s_expect_invalid(&(struct il_collect_opts){.accounts = bad_account, .account_count = 1, .role_name = "R"},
                     "12-digit");
    s_expect_invalid(&(struct il_collect_opts){.accounts = good_account, .account_count = 1}, "--account needs");
    s_expect_invalid(&(struct il_collect_opts){.role_arn_template = "arn:aws:iam::1:role/R"}, "{account}");
    s_expect_invalid(&(struct il_collect_opts){.role_name = "arn:aws:iam::1:role/R"}, "--role-name");
    s_expect_invalid(&(struct il_collect_opts){.role_name = "R", .role_arn_template = "{account}"}, "not both");
    s_expect_invalid(&(struct il_collect_opts){.external_id = "x"}, "--external-id needs");
    s_expect_invalid(&(struct il_collect_opts){.role_name = "R"}, "no account");
}

static void test_tags_source_and_opt_in(void **state) {
    (void)state;
    enum il_tags_source s;
    assert_int_equal(il_tags_source_parse("lambda", &s), IL_OK);
    assert_int_equal(s, IL_TAGS_SOURCE_LAMBDA);
    assert_int_equal(il_tags_source_parse("tagging", &s), IL_OK);
    assert_int_equal(s, IL_TAGS_SOURCE_TAGGING);
    assert_int_equal(il_tags_source_parse("Lambda", &s), IL_ERR_INVALID);
    assert_true(il_collect_region_is_opt_in("ap-east-1"));
    assert_false(il_collect_region_is_opt_in("us-east-1"));
}

/* A declared partial run: exactly the --only-region regions and (with a role) the --only-account accounts, whatever
 * the ledger names; what contradicts the declaration is refused. */
static void test_declared_scope(void **state) {
    (void)state;
    struct il_ledger *l = s_ledger();
    const char *only_regions[] = {"eu-west-1"};
    const char *only_accounts[] = {"222222222222"};
    struct il_collect_opts o = {.only_regions = only_regions,
                                .only_region_count = 1,
                                .only_accounts = only_accounts,
                                .only_account_count = 1,
                                .role_name = "Audit"};
    struct il_collect_plan p;
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_collect_plan_build(&o, l, "us-east-1", &p, &why), IL_OK);
    assert_int_equal(p.region_count, 1); /* not the home region, not the ledger's us-east-1 */
    assert_string_equal(p.regions[0], "eu-west-1");
    assert_int_equal(p.account_count, 1); /* not the ledger's 111111111111 */
    assert_string_equal(p.accounts[0], "222222222222");
    il_collect_plan_release(&p);
    il_buf_release(&why);
    il_ledger_free(l);

    const char *regions[] = {"us-east-1"};
    struct il_collect_opts r = {
        .only_regions = only_regions, .only_region_count = 1, .regions = regions, .region_count = 1};
    s_expect_invalid(&r, "--region 'us-east-1' is outside the declared --only-region scope");
    struct il_collect_opts all = {.only_regions = only_regions, .only_region_count = 1, .all_regions = 1};
    s_expect_invalid(&all, "--all-regions and --only-region");
    const char *gov[] = {"us-gov-west-1"};
    struct il_collect_opts g = {.only_regions = gov, .only_region_count = 1};
    s_expect_invalid(&g, "partition aws-us-gov");
    const char *bad[] = {"12345"};
    struct il_collect_opts b = {.only_accounts = bad, .only_account_count = 1};
    s_expect_invalid(&b, "invalid --only-account '12345'");
    const char *extra[] = {"333333333333"};
    struct il_collect_opts a = {.only_accounts = only_accounts,
                                .only_account_count = 1,
                                .accounts = extra,
                                .account_count = 1,
                                .role_name = "Audit"};
    s_expect_invalid(&a, "--account '333333333333' is outside the declared --only-account scope");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regions_union_and_partition),
        cmocka_unit_test(test_accounts_and_roles),
        cmocka_unit_test(test_invalid_options),
        cmocka_unit_test(test_tags_source_and_opt_in),
        cmocka_unit_test(test_declared_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
