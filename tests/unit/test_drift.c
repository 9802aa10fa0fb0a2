/* Unit tests: every drift rule, triggered and not triggered, over a ledger loaded from text and a built inventory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/drift/drift.h"
#include "il/rules.h"

#define ACCT "111122223333"
#define ARN_A "arn:aws:lambda:us-east-1:" ACCT ":function:alpha"
#define ARN_B "arn:aws:lambda:us-east-1:" ACCT ":function:bravo"
#define ARN_C "arn:aws:lambda:us-east-1:" ACCT ":function:charlie"
#define ARN_D "arn:aws:lambda:eu-west-1:" ACCT ":function:delta"
#define ARN_E "arn:aws:lambda:us-east-1:" ACCT ":function:echo"

#define ENTRY(name, arn, expires)                                                                                      \
    "  - target:\n      type: lambda\n      function_name: " name "\n      function_arn: " arn "\n"                    \
    "    scan_type: standard\n    tag:\n      key: InspectorExclusion\n      value: LambdaStandardScanning\n"          \
    "    reason:\n      summary: s\n      ticket: SEC-1\n      compensating_controls: [c]\n"                           \
    "    owner:\n      team: t\n      approved_by: a\n      applied_by: b\n"                                           \
    "    dates:\n      applied_at: 2026-01-01\n      next_review_at: 2026-02-01\n      expires_at: " expires "\n"

static const char *s_ledger_text = "version: 1\nexclusions:\n" /* line 2 */
    ENTRY("alpha", ARN_A, "2027-01-01")                        /* active, tag applied: clean */
    ENTRY("bravo", ARN_B, "2026-06-01")                        /* expired, tag still applied */
    ENTRY("charlie", ARN_C, "2027-01-01")                      /* active, tag missing */
    ENTRY("delta", ARN_D, "2027-01-01")                        /* eu-west-1: out of scope */
    ENTRY("echo", ARN_E, "2027-01-01");                        /* function does not exist */

struct fixture {
    struct il_ledger *ledger;
    struct il_inventory *inv;
    struct il_runtimes *rt;
    struct il_diags *diags;
    struct il_drift_opts opts;
};

static int s_setup(void **state) {
    struct fixture *f = calloc(1, sizeof(*f));
    f->diags = il_diags_new();
    assert_int_equal(
        il_ledger_load_data(s_ledger_text, strlen(s_ledger_text), "ledger.yaml", NULL, &f->ledger, f->diags), IL_OK);
    assert_int_equal(il_diags_count(f->diags), 0);
    assert_int_equal(il_runtimes_load(NULL, &f->rt, f->diags), IL_OK);
    f->inv = il_inventory_new();
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    struct il_inv_tag std[] = {{"InspectorExclusion", "LambdaStandardScanning"}};
    struct il_inv_function fa = {
        .account = ACCT, .region = "us-east-1", .arn = ARN_A, .name = "alpha", .tags = std, .tag_count = 1};
    struct il_inv_function fb = fa, fc = fa;
    fb.arn = ARN_B;
    fb.name = "bravo";
    fc.arn = ARN_C;
    fc.name = "charlie";
    fc.tag_count = 0;
    assert_int_equal(il_inventory_add(f->inv, &fa), IL_OK);
    assert_int_equal(il_inventory_add(f->inv, &fb), IL_OK);
    assert_int_equal(il_inventory_add(f->inv, &fc), IL_OK);
    assert_int_equal(il_inventory_mark_not_found(f->inv, ACCT, "us-east-1", ARN_E), IL_OK);
    assert_int_equal(il_date_parse_str("2026-11-22", &f->opts.rules.as_of), IL_OK);
    f->opts.rules.warn_days = 14;
    f->opts.runtimes = f->rt;
    *state = f;
    return 0;
}

static int s_teardown(void **state) {
    struct fixture *f = *state;
    il_ledger_free(f->ledger);
    il_inventory_free(f->inv);
    il_runtimes_free(f->rt);
    il_diags_free(f->diags);
    free(f);
    return 0;
}

/* The single finding with @p rule for @p arn, asserting there is exactly one. */
static const struct il_diag *s_one(const struct il_diags *d, const char *rule, const char *arn) {
    const struct il_diag *found = NULL;
    for (size_t i = 0; i < il_diags_count(d); i++) {
        const struct il_diag *x = il_diags_get(d, i);
        if (strcmp(x->rule, rule) == 0 && (arn == NULL || (x->function_arn && strcmp(x->function_arn, arn) == 0))) {
            assert_null(found);
            found = x;
        }
    }
    assert_non_null(found);
    return found;
}

/* Not-verified findings in @p d (the tests pass one list for both of il_drift_check's lists). */
static size_t s_unverified_count(const struct il_diags *d) {
    size_t n = 0;
    for (size_t i = 0; i < il_diags_count(d); i++) {
        n += strcmp(il_diags_get(d, i)->rule, il_rule_id_str(IL_RULE_NOT_VERIFIED)) == 0;
    }
    return n;
}

static void test_entry_rules(void **state) {
    struct fixture *f = *state;
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);
    const struct il_diag *d = s_one(f->diags, "expired-exclusion-applied", ARN_B);
    assert_int_equal(d->severity, IL_SEV_ERROR);
    assert_int_equal(d->line, 3 + 20 + 19); /* bravo's expires_at value (entries are 20 lines from line 3) */
    assert_string_equal(d->account, ACCT);
    d = s_one(f->diags, "exclusion-not-applied", ARN_C);
    assert_int_equal(d->severity, IL_SEV_WARNING);
    assert_int_equal(d->line, 3 + 2 * 20);
    d = s_one(f->diags, "function-not-found", ARN_E);
    assert_int_equal(d->severity, IL_SEV_WARNING);
    /* delta's eu-west-1 was never examined: not compared, so the run fails closed naming the pair and the way in */
    d = s_one(f->diags, "not-verified", ARN_D);
    assert_non_null(strstr(d->message, "1 entry in account " ACCT ", region eu-west-1"));
    assert_non_null(strstr(d->message, "--region eu-west-1"));
    assert_int_equal(d->line, 3 + 3 * 20 + 3); /* at delta's function_arn */
    /* alpha is clean, nothing unrecorded */
    assert_int_equal(il_diags_count(f->diags), 4);
    assert_int_equal(s_unverified_count(f->diags), 1);
}

/* Two lists: the not-verified finding goes to its own list, nothing else does. */
static void test_unverified_own_list(void **state) {
    struct fixture *f = *state;
    struct il_diags *unverified = il_diags_new();
    assert_non_null(unverified);
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, unverified), IL_OK);
    assert_int_equal(il_diags_count(unverified), 1);
    assert_string_equal(il_diags_get(unverified, 0)->rule, "not-verified");
    assert_string_equal(il_diags_get(unverified, 0)->function_arn, ARN_D);
    assert_int_equal(il_diags_count(f->diags), 3);
    assert_int_equal(s_unverified_count(f->diags), 0);
    il_diags_free(unverified);
}

/* Declared out (--only-region us-east-1): delta is a notice, nothing is unverified. */
static void test_declared_out_is_a_notice(void **state) {
    struct fixture *f = *state;
    const char *regions[] = {"us-east-1"};
    struct il_coverage_opts copts = {.declared = {.regions = regions, .region_count = 1}, .partition = "aws"};
    f->opts.coverage = &copts;
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);
    const struct il_diag *d = s_one(f->diags, "not-checked", ARN_D);
    assert_int_equal(d->severity, IL_SEV_NOTICE);
    assert_non_null(strstr(d->message, "outside the declared scope"));
    assert_int_equal(s_unverified_count(f->diags), 0);
}

static void test_unrecorded_and_malformed(void **state) {
    struct fixture *f = *state;
    struct il_inv_tag tags[] = {{"InspectorCodeExclusion", "LambdaCodeScanning"},
                                {"inspectorexclusion", "LambdaStandardScanning"}};
    struct il_inv_function g = {.account = ACCT,
                                .region = "us-east-1",
                                .name = "golf",
                                .tags = tags,
                                .tag_count = 2,
                                .arn = "arn:aws:lambda:us-east-1:" ACCT ":function:golf"};
    assert_int_equal(il_inventory_add(f->inv, &g), IL_OK);
    /* alpha also gets a code-scanning tag the ledger does not record, and a wrong-valued one on charlie */
    struct il_inv_tag code[] = {{"InspectorCodeExclusion", "LambdaCodeScanning"}};
    struct il_inv_function a = {.arn = ARN_A, .tags = code, .tag_count = 1};
    assert_int_equal(il_inventory_add(f->inv, &a), IL_OK);
    struct il_inv_tag wrong[] = {{"InspectorExclusion", "true"}};
    struct il_inv_function c = {.arn = ARN_C, .tags = wrong, .tag_count = 1};
    assert_int_equal(il_inventory_add(f->inv, &c), IL_OK);
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);

    const struct il_diag *d = s_one(f->diags, "unrecorded-exclusion", g.arn);
    assert_int_equal(d->line, 3); /* located at the ledger's `exclusions` so it annotates the pull request */
    assert_string_equal(d->file, "ledger.yaml");
    s_one(f->diags, "unrecorded-exclusion", ARN_A);
    assert_non_null(strstr(s_one(f->diags, "malformed-exclusion-tag", g.arn)->message, "only in case"));
    assert_non_null(strstr(s_one(f->diags, "malformed-exclusion-tag", ARN_C)->message, "`true`"));
    /* charlie's wrong value does not count as applied */
    s_one(f->diags, "exclusion-not-applied", ARN_C);
}

static void test_full_rules(void **state) {
    struct fixture *f = *state;
    struct il_inv_function h = {.account = ACCT,
                                .region = "us-east-1",
                                .name = "hotel",
                                .runtime = "python3.7",
                                .kms_key_arn = "arn:aws:kms:us-east-1:" ACCT ":key/1234",
                                .arn = "arn:aws:lambda:us-east-1:" ACCT ":function:hotel",
                                .flags = IL_INV_CONFIG_KNOWN};
    struct il_inv_function i = {.account = ACCT,
                                .region = "us-east-1",
                                .name = "india",
                                .runtime = "python3.13",
                                .arn = "arn:aws:lambda:us-east-1:" ACCT ":function:india",
                                .flags = IL_INV_CONFIG_KNOWN};
    assert_int_equal(il_inventory_add(f->inv, &h), IL_OK);
    assert_int_equal(il_inventory_add(f->inv, &i), IL_OK);
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);
    size_t before = il_diags_count(f->diags);
    assert_int_equal(before, 4); /* not --full: no configuration rules (delta's not-verified is the fourth) */
    f->opts.full = 1;
    struct il_diags *full = il_diags_new();
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, full, full), IL_OK);
    assert_int_equal(s_one(full, "scan-blind-cmk", h.arn)->severity, IL_SEV_NOTICE);
    assert_int_equal(s_one(full, "deprecated-runtime", h.arn)->severity, IL_SEV_WARNING);
    assert_int_equal(il_diags_count(full), 6); /* india's python3.13 is supported */
    il_diags_free(full);
}

static void test_failed_scope_fails_closed(void **state) {
    struct fixture *f = *state;
    const char *regions[] = {"us-east-1"}; /* delta declared out: only the failed scope is unverified */
    struct il_coverage_opts copts = {.declared = {.regions = regions, .region_count = 1}, .partition = "aws"};
    f->opts.coverage = &copts;
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "us-east-1", IL_SCOPE_FAILED,
                                            "lambda ListTags: AccessDeniedException (needs lambda:ListTags)"),
                     IL_OK);
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);
    const struct il_diag *d = s_one(f->diags, "not-verified", NULL);
    assert_non_null(strstr(d->message, "lambda:ListTags"));
    assert_int_equal(s_unverified_count(f->diags), 1);
    /* entries in the failed scope are not judged on partial data */
    for (size_t k = 0; k < il_diags_count(f->diags); k++) {
        assert_string_not_equal(il_diags_get(f->diags, k)->rule, "exclusion-not-applied");
    }
}

static void test_skipped_scope_entry_fails_closed(void **state) {
    struct fixture *f = *state;
    /* delta's region was skipped (an opt-in region not enabled): the scope gets a notice, and delta — an entry that
     * was not compared — fails the run closed, naming why */
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "eu-west-1", IL_SCOPE_SKIPPED, "opt-in region not enabled"),
                     IL_OK);
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);
    const struct il_diag *d = s_one(f->diags, "not-verified", ARN_D);
    assert_non_null(strstr(d->message, "opt-in region not enabled"));
    size_t scope_notices = 0;
    for (size_t i = 0; i < il_diags_count(f->diags); i++) {
        const struct il_diag *x = il_diags_get(f->diags, i);
        scope_notices += strcmp(x->rule, "not-checked") == 0 && x->function_arn == NULL &&
                         strstr(x->message, "eu-west-1 was skipped: opt-in region not enabled") != NULL;
    }
    assert_int_equal(scope_notices, 1);
    assert_int_equal(s_unverified_count(f->diags), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_entry_rules, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_unverified_own_list, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_unrecorded_and_malformed, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_full_rules, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_failed_scope_fails_closed, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_declared_out_is_a_notice, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_skipped_scope_entry_fails_closed, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
