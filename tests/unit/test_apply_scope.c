/*
 * Unit tests: apply plans changes only for ARNs inside the scope it verified (issue 13). A listing can return ARNs of
 * another account or region, and STS can name another account than the scope's: none of those is ever tagged or
 * untagged, with or without --remove-unrecorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "il/date.h"
#include "il/diag.h"
#include "il/drift/apply.h"
#include "il/drift/inventory.h"
#include "il/ledger.h"

#define S_MAIN "111111111111"
#define S_OTHER "999999999999"
#define S_ARN(region, account, name) "arn:aws:lambda:" region ":" account ":function:" name

static const struct il_inv_tag s_standard = {.key = "InspectorExclusion", .value = "LambdaStandardScanning"};
static const struct il_inv_tag s_code = {.key = "InspectorCodeExclusion", .value = "LambdaCodeScanning"};

struct s_fix {
    struct il_ledger *ledger;
    struct il_diags *diags;
    struct il_inventory *inv;
};

static void s_add(struct il_inventory *inv, const char *account, const char *arn, const struct il_inv_tag *tag) {
    struct il_inv_function fn = {
        .account = account, .region = "us-east-1", .arn = arn, .name = "f", .tags = tag, .tag_count = tag ? 1 : 0};
    assert_int_equal(il_inventory_add(inv, &fn), IL_OK);
}

static int s_setup(void **state) {
    struct s_fix *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->diags = il_diags_new();
    assert_non_null(f->diags);
    assert_int_equal(il_ledger_load_file("tests/data/apply/ledger.yaml", NULL, &f->ledger, f->diags), IL_OK);
    f->inv = il_inventory_new();
    assert_non_null(f->inv);
    assert_int_equal(il_inventory_set_scope(f->inv, S_MAIN, "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    assert_int_equal(il_inventory_set_scope(f->inv, S_OTHER, "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    *state = f;
    return 0;
}

static int s_teardown(void **state) {
    struct s_fix *f = *state;
    il_inventory_free(f->inv);
    il_ledger_free(f->ledger);
    il_diags_free(f->diags);
    free(f);
    return 0;
}

static size_t s_plan(struct s_fix *f, const char *caller, struct il_apply_action **actions) {
    struct il_apply_opts o = {.remove_unrecorded = 1, .caller_account = caller};
    assert_int_equal(il_ledger_rule_opts_default(&o.rules), IL_OK);
    assert_int_equal(il_date_parse_str("2026-11-22", &o.rules.as_of), IL_OK);
    size_t n = 0;
    assert_int_equal(il_apply_plan(f->ledger, f->inv, &o, actions, &n), IL_OK);
    return n;
}

static int s_planned(const struct il_apply_action *a, size_t n, const char *arn) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].arn, arn) == 0) {
            return 1;
        }
    }
    return 0;
}

/* What the scope 111111111111/us-east-1 listing returned, ARNs of other accounts and regions included. */
static void test_only_arns_of_the_scope(void **state) {
    struct s_fix *f = *state;
    s_add(f->inv, S_MAIN, S_ARN("us-east-1", S_MAIN, "alpha"), NULL);             /* entry active, tag missing */
    s_add(f->inv, S_MAIN, S_ARN("us-east-1", S_MAIN, "charlie"), &s_code);        /* unrecorded, in scope */
    s_add(f->inv, S_MAIN, S_ARN("us-east-1", S_OTHER, "ghost"), &s_standard);     /* another account's ARN */
    s_add(f->inv, S_MAIN, S_ARN("eu-west-1", S_MAIN, "west"), &s_standard);       /* another region's ARN */
    s_add(f->inv, S_MAIN, S_ARN("us-east-1", S_MAIN, "alpha:live"), &s_standard); /* qualified: not a function ARN */
    s_add(f->inv, S_MAIN, "arn:aws:s3:us-east-1:111111111111:function:x", &s_standard);
    s_add(f->inv, S_MAIN, "not-an-arn", &s_standard);
    s_add(f->inv, S_MAIN, "arn:aws:lambda:us-east-1:111111111111:function:", &s_standard); /* no name */
    struct il_apply_action *a = NULL;
    size_t n = s_plan(f, S_MAIN, &a);
    assert_true(s_planned(a, n, S_ARN("us-east-1", S_MAIN, "alpha")));
    assert_true(s_planned(a, n, S_ARN("us-east-1", S_MAIN, "charlie")));
    assert_false(s_planned(a, n, S_ARN("us-east-1", S_OTHER, "ghost")));
    assert_false(s_planned(a, n, S_ARN("eu-west-1", S_MAIN, "west")));
    assert_false(s_planned(a, n, "not-an-arn"));
    assert_false(s_planned(a, n, "arn:aws:lambda:us-east-1:111111111111:function:"));
    assert_false(s_planned(a, n, S_ARN("us-east-1", S_MAIN, "alpha:live")));
    assert_false(s_planned(a, n, "arn:aws:s3:us-east-1:111111111111:function:x"));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(a[i].account, S_MAIN);
        assert_string_equal(a[i].region, "us-east-1");
    }
    free(a);
}

/* A ledger entry's ARN found in the inventory under another scope's account is not acted on either. */
static void test_entry_arn_listed_by_another_scope(void **state) {
    struct s_fix *f = *state;
    s_add(f->inv, S_OTHER, S_ARN("us-east-1", S_MAIN, "alpha"), NULL);
    struct il_apply_action *a = NULL;
    size_t n = s_plan(f, NULL, &a);
    assert_int_equal(n, 0);
    free(a);
}

/* STS named another account than the scope's: nothing is planned at all. */
static void test_sts_names_another_account(void **state) {
    struct s_fix *f = *state;
    s_add(f->inv, S_MAIN, S_ARN("us-east-1", S_MAIN, "alpha"), NULL);
    s_add(f->inv, S_MAIN, S_ARN("us-east-1", S_MAIN, "charlie"), &s_code);
    struct il_apply_action *a = NULL;
    assert_int_equal(s_plan(f, "222222222222", &a), 0);
    free(a);
    assert_int_equal(s_plan(f, S_MAIN, &a), 2); /* the same inventory with the right account: both planned */
    free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_only_arns_of_the_scope, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_entry_arn_listed_by_another_scope, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_sts_names_another_account, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
