/* Unit tests: the rule catalogue is indexed by enum il_rule_id, holds each id once, and fills in all documentation
 * fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */

#include <cmocka.h>

#include <string.h>

#include "il/rules.h"

/* Every row of the catalogue is its enum value's row and is found by its own id. The ids and default severities the
 * issues define are pinned by docs/rules.md, which tests/cli/test_rules_doc.sh diffs with the catalogue, so no list
 * of them is kept here. */
static void test_every_issue_rule_is_catalogued(void **state) {
    (void)state;
    size_t count = 0;
    const struct il_rule_info *rules = il_rules_all(&count);
    assert_int_equal(count, IL_RULE_COUNT);
    for (size_t i = 0; i < count; i++) {
        const struct il_rule_info *r = &rules[i];
        assert_int_equal(r->rule, i);
        assert_ptr_equal(il_rule_info(r->rule), r);
        assert_string_equal(il_rule_id_str(r->rule), r->id);
        assert_ptr_equal(il_rule_find(r->id), r);
        assert_true(r->severity == IL_SEV_NOTICE || r->severity == IL_SEV_WARNING || r->severity == IL_SEV_ERROR);
    }
    assert_null(il_rule_info(IL_RULE_COUNT));
    assert_string_equal(il_rule_id_str(IL_RULE_COUNT), "unknown");
}

static void test_ids_unique_and_documented(void **state) {
    (void)state;
    size_t count = 0;
    const struct il_rule_info *rules = il_rules_all(&count);
    for (size_t i = 0; i < count; i++) {
        const struct il_rule_info *r = &rules[i];
        assert_non_null(r->id);
        assert_true(strlen(r->id) > 0);
        /* ids are lower-case kebab: they appear in SARIF, JSON, file names and command lines */
        assert_true(strspn(r->id, "abcdefghijklmnopqrstuvwxyz-") == strlen(r->id));
        assert_true(r->id[0] != '-' && r->id[strlen(r->id) - 1] != '-');
        const char *texts[] = {r->short_desc, r->full_desc, r->help, r->category};
        for (size_t t = 0; t < 4; t++) {
            assert_non_null(texts[t]);
            assert_true(strlen(texts[t]) > 0);
        }
        /* a one-liner with no full stop; the paragraph longer than the one-liner */
        assert_true(r->short_desc[strlen(r->short_desc) - 1] != '.');
        assert_true(strlen(r->full_desc) > strlen(r->short_desc));
        for (size_t j = i + 1; j < count; j++) {
            assert_string_not_equal(r->id, rules[j].id);
        }
        assert_ptr_equal(il_rule_find(r->id), r);
    }
}

static void test_unknown_ids(void **state) {
    (void)state;
    assert_null(il_rule_find(NULL));
    assert_null(il_rule_find(""));
    assert_null(il_rule_find("Expired"));
    assert_null(il_rule_find("expire"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_issue_rule_is_catalogued),
        cmocka_unit_test(test_ids_unique_and_documented),
        cmocka_unit_test(test_unknown_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
