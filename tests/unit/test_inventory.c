/* Unit tests: inventory merging, scopes, and the runtime deprecation table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/drift/inventory.h"
#include "il/drift/runtimes.h"

#define ARN "arn:aws:lambda:us-east-1:111111111111:function:billing"

static void test_merge_two_sources(void **state) {
    (void)state;
    struct il_inventory *inv = il_inventory_new();
    assert_non_null(inv);
    /* the tagging API sees only the exclusion key */
    struct il_inv_tag t1[] = {{"InspectorExclusion", "LambdaStandardScanning"}};
    struct il_inv_function a = {
        .account = "111111111111", .region = "us-east-1", .arn = ARN, .tags = t1, .tag_count = 1};
    assert_int_equal(il_inventory_add(inv, &a), IL_OK);
    /* ListFunctions + ListTags see configuration and every tag */
    struct il_inv_tag t2[] = {{"team", "payments"}, {"InspectorExclusion", "LambdaStandardScanning"}};
    struct il_inv_function b = {.account = "111111111111",
                                .region = "us-east-1",
                                .arn = ARN,
                                .name = "billing",
                                .runtime = "python3.9",
                                .kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/k",
                                .tags = t2,
                                .tag_count = 2,
                                .flags = IL_INV_CONFIG_KNOWN | IL_INV_TAGS_COMPLETE};
    assert_int_equal(il_inventory_add(inv, &b), IL_OK);
    assert_int_equal(il_inventory_count(inv), 1);
    const struct il_inv_function *f = il_inventory_find(inv, ARN);
    assert_non_null(f);
    assert_int_equal(f->tag_count, 2);
    assert_string_equal(il_inv_function_tag(f, "team"), "payments");
    assert_string_equal(f->runtime, "python3.9");
    assert_true(f->flags & IL_INV_TAGS_COMPLETE);
    /* a later not-found (eventual consistency) must not erase what another source saw */
    assert_int_equal(il_inventory_mark_not_found(inv, "111111111111", "us-east-1", ARN), IL_OK);
    assert_false(il_inventory_find(inv, ARN)->flags & IL_INV_NOT_FOUND);
    assert_null(il_inventory_find(inv, "arn:aws:lambda:us-east-1:111111111111:function:other"));
    il_inventory_free(inv);
}

static void test_many_functions_indexed(void **state) {
    (void)state;
    struct il_inventory *inv = il_inventory_new();
    char arn[128];
    for (int i = 0; i < 5000; i++) {
        snprintf(arn, sizeof(arn), "arn:aws:lambda:eu-west-1:222222222222:function:f%d", i);
        struct il_inv_function f = {.account = "222222222222", .region = "eu-west-1", .arn = arn};
        assert_int_equal(il_inventory_add(inv, &f), IL_OK);
    }
    assert_int_equal(il_inventory_count(inv), 5000);
    assert_string_equal(il_inventory_find(inv, "arn:aws:lambda:eu-west-1:222222222222:function:f4321")->arn,
                        "arn:aws:lambda:eu-west-1:222222222222:function:f4321");
    il_inventory_free(inv);
}

static void test_failed_scope_is_sticky(void **state) {
    (void)state;
    struct il_inventory *inv = il_inventory_new();
    assert_int_equal(il_inventory_set_scope(inv, "1", "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    assert_int_equal(il_inventory_set_scope(inv, "1", "us-east-1", IL_SCOPE_FAILED, "ListTags: AccessDenied"), IL_OK);
    assert_int_equal(il_inventory_set_scope(inv, "1", "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    const struct il_scope *s = il_inventory_scope(inv, "1", "us-east-1");
    assert_int_equal(s->state, IL_SCOPE_FAILED);
    assert_string_equal(s->reason, "ListTags: AccessDenied");
    assert_null(il_inventory_scope(inv, "1", "eu-west-1"));
    il_inventory_free(inv);
}

static void test_runtime_table(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_runtimes *rt = NULL;
    assert_int_equal(il_runtimes_load(NULL, &rt, d), IL_OK);
    assert_string_equal(il_runtimes_deprecated_on(rt, "python3.7"), "2023-12-04");
    assert_string_equal(il_runtimes_deprecated_on(rt, "nodejs18.x"), "2025-09-01");
    assert_null(il_runtimes_deprecated_on(rt, "cobol85"));
    assert_null(il_runtimes_deprecated_on(rt, NULL));
    il_runtimes_free(rt);

    const char *path = "build/test-runtimes-bad.json";
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"runtimes\": {\"python3.9\": \"2025-13-45\"}}", fp);
    fclose(fp);
    assert_int_equal(il_runtimes_load(path, &rt, d), IL_ERR_PARSE);
    assert_null(rt);
    assert_int_equal(il_diags_count(d), 1);
    assert_non_null(strstr(il_diags_get(d, 0)->message, "python3.9"));
    assert_int_equal(il_runtimes_load("build/does-not-exist.json", &rt, d), IL_ERR_NOTFOUND);
    il_diags_free(d);
    remove(path);
}

/* The one exclusion-tag classifier: each state, per tag and per function. */
static void test_tag_state(void **state) {
    (void)state;
    const struct il_inv_tag exact = {"InspectorExclusion", "LambdaStandardScanning"};
    const struct il_inv_tag value = {"InspectorExclusion", "yes"};
    const struct il_inv_tag lower = {"inspectorexclusion", "LambdaStandardScanning"};
    const struct il_inv_tag code = {"InspectorCodeExclusion", "LambdaCodeScanning"};
    const struct il_inv_tag other = {"team", "payments"};
    assert_int_equal(il_inv_tag_state(&exact, IL_SCAN_STANDARD), IL_TAG_EXACT);
    assert_int_equal(il_inv_tag_state(&value, IL_SCAN_STANDARD), IL_TAG_WRONG_VALUE);
    assert_int_equal(il_inv_tag_state(&lower, IL_SCAN_STANDARD), IL_TAG_WRONG_CASE_KEY);
    assert_int_equal(il_inv_tag_state(&other, IL_SCAN_STANDARD), IL_TAG_ABSENT);
    assert_int_equal(il_inv_tag_state(&exact, IL_SCAN_CODE), IL_TAG_ABSENT); /* another scan type's key */
    assert_int_equal(il_inv_tag_state(&code, IL_SCAN_CODE), IL_TAG_EXACT);
    assert_int_equal(il_inv_tag_state(&exact, IL_SCAN_UNKNOWN), IL_TAG_ABSENT);

    const struct il_inv_tag *which = &other;
    struct il_inv_tag none[] = {other};
    struct il_inv_function fn = {.arn = ARN, .tags = none, .tag_count = 1};
    assert_int_equal(il_inv_function_tag_state(&fn, IL_SCAN_STANDARD, &which), IL_TAG_ABSENT);
    assert_null(which);
    /* a case variant alone */
    struct il_inv_tag variant[] = {other, lower};
    fn.tags = variant;
    fn.tag_count = 2;
    assert_int_equal(il_inv_function_tag_state(&fn, IL_SCAN_STANDARD, &which), IL_TAG_WRONG_CASE_KEY);
    assert_string_equal(which->key, "inspectorexclusion");
    /* the exact key decides over a case variant listed before it, whatever its value */
    struct il_inv_tag both[] = {lower, value};
    fn.tags = both;
    assert_int_equal(il_inv_function_tag_state(&fn, IL_SCAN_STANDARD, &which), IL_TAG_WRONG_VALUE);
    assert_string_equal(which->value, "yes");
    struct il_inv_tag right[] = {lower, exact};
    fn.tags = right;
    assert_int_equal(il_inv_function_tag_state(&fn, IL_SCAN_STANDARD, NULL), IL_TAG_EXACT);
    assert_int_equal(il_inv_function_tag_state(&fn, IL_SCAN_CODE, NULL), IL_TAG_ABSENT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_two_sources),
        cmocka_unit_test(test_many_functions_indexed),
        cmocka_unit_test(test_failed_scope_is_sticky),
        cmocka_unit_test(test_runtime_table),
        cmocka_unit_test(test_tag_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
