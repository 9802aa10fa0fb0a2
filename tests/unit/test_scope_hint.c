/* The not-checked hint names only what would bring an account/region pair into scope (il_inventory_scope_hint). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "il/buf.h"
#include "il/inventory.h"

static void s_expect(const struct il_inventory *inv, const char *account, const char *region, const char *want) {
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_inventory_scope_hint(inv, account, region, &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), want);
    il_buf_release(&b);
}

static void test_hint_names_only_what_is_missing(void **state) {
    (void)state;
    struct il_inventory *inv = il_inventory_new();
    assert_non_null(inv);
    assert_int_equal(il_inventory_set_scope(inv, "111111111111", "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    assert_int_equal(il_inventory_set_scope(inv, "111111111111", "eu-west-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    /* us-east-1 is already scanned: only the account is out, so no --region */
    s_expect(inv, "222222222222", "us-east-1", "add --account 222222222222 with --role-name");
    /* the account is scanned: only the region is out */
    s_expect(inv, "111111111111", "ap-south-1", "add --region ap-south-1");
    /* neither */
    s_expect(inv, "333333333333", "sa-east-1", "add --region sa-east-1 and --account 333333333333 with --role-name");
    il_inventory_free(inv);
}

static void test_hint_with_nothing_in_scope(void **state) {
    (void)state;
    s_expect(NULL, "222222222222", "us-east-1", "add --region us-east-1 and --account 222222222222 with --role-name");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hint_names_only_what_is_missing),
        cmocka_unit_test(test_hint_with_nothing_in_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
