/* Unit tests: the rule catalogue holds every rule id the issues define, each once, with the severity they specify and
 * all documentation fields filled in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */

#include <cmocka.h>

#include <string.h>

#include "il/rules.h"

static const struct {
    const char *id;
    enum il_severity severity;
} s_expected[] = {
    {"yaml", IL_SEV_ERROR},
    {"schema", IL_SEV_ERROR},
    {"schema-file", IL_SEV_ERROR}, /* a problem in the schema itself (--schema), from the schema and ledger modules */
    {"expired", IL_SEV_ERROR},
    {"expiring-soon", IL_SEV_WARNING},
    {"review-overdue", IL_SEV_WARNING},
    {"date-order", IL_SEV_ERROR},
    {"window-too-long", IL_SEV_ERROR},
    {"duplicate-entry", IL_SEV_ERROR},
    {"name-arn-mismatch", IL_SEV_ERROR},
    {"tag-scan-type-mismatch", IL_SEV_ERROR},
    {"qualified-arn", IL_SEV_ERROR},
    {"distinct-approver", IL_SEV_ERROR},
    {"policy-file", IL_SEV_ERROR}, /* issue 19: the organisation policy and the pull-request gate */
    {"policy-changed", IL_SEV_NOTICE},
    {"ticket-format", IL_SEV_ERROR},
    {"approver-not-allowed", IL_SEV_ERROR},
    {"budget-exceeded", IL_SEV_ERROR},
    {"self-approval", IL_SEV_ERROR},
    {"approval-not-reviewed", IL_SEV_ERROR},
    {"approvals-not-verified", IL_SEV_NOTICE},
    {"too-many-renewals", IL_SEV_ERROR},
    {"renewal-unchanged-approval", IL_SEV_WARNING},
    {"pre-existing", IL_SEV_NOTICE},
    {"gate-not-verified", IL_SEV_ERROR},
    {"unrecorded-exclusion", IL_SEV_ERROR},
    {"expired-exclusion-applied", IL_SEV_ERROR},
    {"exclusion-not-applied", IL_SEV_WARNING},
    {"function-not-found", IL_SEV_WARNING},
    {"scan-blind-cmk", IL_SEV_NOTICE},
    {"deprecated-runtime", IL_SEV_WARNING},
    {"malformed-exclusion-tag", IL_SEV_WARNING},
    {"not-checked", IL_SEV_NOTICE},
    {"not-verified", IL_SEV_ERROR},
    {"runtime-deadline", IL_SEV_WARNING},
    {"unrecorded-implicit-exclusion", IL_SEV_WARNING},
    {"implicit-exclusion-unfounded", IL_SEV_WARNING},
    {"scanning-disabled", IL_SEV_ERROR},
    {"inspector-unrecorded-exclusion", IL_SEV_ERROR},
    {"inspector-still-scanned", IL_SEV_ERROR},
    {"inspector-not-scanned", IL_SEV_WARNING},
    {"inspector-confirmed", IL_SEV_NOTICE},
};

static void test_every_issue_rule_is_catalogued(void **state) {
    (void)state;
    size_t count = 0;
    il_rules_all(&count);
    assert_int_equal(count, sizeof(s_expected) / sizeof(s_expected[0]));
    for (size_t i = 0; i < count; i++) {
        const struct il_rule_info *r = il_rule_find(s_expected[i].id);
        if (r == NULL) {
            fail_msg("rule %s is missing from the catalogue", s_expected[i].id);
        }
        assert_string_equal(r->id, s_expected[i].id);
        assert_int_equal(r->severity, s_expected[i].severity);
    }
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
