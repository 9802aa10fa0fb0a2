/*
 * Unit tests: which ledger findings block apply (issue 14 moved the policy out of the CLI). An expired entry is what
 * apply acts on, so `expired` errors never block; every other error does, including a rule id the catalogue does not
 * know; warnings never block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "il/diag.h"
#include "il/drift/apply.h"
#include "il/rules.h"

static struct il_diags *s_diags(void) {
    struct il_diags *d = il_diags_new();
    assert_non_null(d);
    return d;
}

static void test_empty_does_not_block(void **state) {
    (void)state;
    struct il_diags *d = s_diags();
    assert_int_equal(il_apply_blocking_errors(d), 0);
    il_diags_free(d);
}

static void test_expired_does_not_block(void **state) {
    (void)state;
    struct il_diags *d = s_diags();
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, il_rule_id_str(IL_RULE_EXPIRED), "l.yaml", 3, 5, NULL, "expired"),
                     IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, il_rule_id_str(IL_RULE_EXPIRED), "l.yaml", 9, 5, NULL, "expired"),
                     IL_OK);
    assert_int_equal(il_apply_blocking_errors(d), 0);
    il_diags_free(d);
}

static void test_other_errors_block(void **state) {
    (void)state;
    struct il_diags *d = s_diags();
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, il_rule_id_str(IL_RULE_EXPIRED), "l.yaml", 3, 5, NULL, "e"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, il_rule_id_str(IL_RULE_SCHEMA), "l.yaml", 4, 5, NULL, "s"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "no-such-rule", "l.yaml", 5, 5, NULL, "u"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_WARNING, il_rule_id_str(IL_RULE_EXPIRING_SOON), "l.yaml", 6, 5, NULL, "w"),
                     IL_OK);
    assert_int_equal(il_apply_blocking_errors(d), 2);
    il_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_does_not_block),
        cmocka_unit_test(test_expired_does_not_block),
        cmocka_unit_test(test_other_errors_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
