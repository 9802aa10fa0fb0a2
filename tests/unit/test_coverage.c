/* Unit tests: the coverage computation (drift.h, il_coverage_*) — which entries were compared, declared out or not
 * reached — and the not-verified findings and hints it gives the drift rules. */
/* clang-format off: cmocka needs these first, in this order */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* clang-format on */
#include <stdlib.h>
#include <string.h>

#include "il/drift/drift.h"
#include "il/rules.h"

#define ACCT "111111111111"
#define OTHER "222222222222"
#define ARN_A "arn:aws:lambda:us-east-1:" ACCT ":function:alpha"
#define ARN_B "arn:aws:lambda:us-east-1:" OTHER ":function:bravo"
#define ARN_C "arn:aws:lambda:us-east-1:" OTHER ":function:charlie"
#define ARN_D "arn:aws:lambda:eu-west-1:" ACCT ":function:delta"
#define ARN_E "arn:aws-cn:lambda:cn-north-1:" ACCT ":function:echo"
#define ARN_F "arn:aws:lambda:us-east-1:" ACCT ":function:foxtrot"

#define ENTRY(name, arn)                                                                                               \
    "  - target:\n      type: lambda\n      function_name: " name "\n      function_arn: " arn "\n"                    \
    "    scan_type: standard\n    tag:\n      key: InspectorExclusion\n      value: LambdaStandardScanning\n"          \
    "    reason:\n      summary: s\n      ticket: SEC-1\n      compensating_controls: [c]\n"                           \
    "    owner:\n      team: t\n      approved_by: a\n      applied_by: b\n"                                           \
    "    dates:\n      applied_at: 2026-01-01\n      next_review_at: 2026-02-01\n      expires_at: 2027-01-01\n"

static const char *s_text = "version: 1\nexclusions:\n" /* */
    ENTRY("alpha", ARN_A)                               /* caller's account, verified: compared */
    ENTRY("bravo", ARN_B)                               /* another account, no role: unreachable */
    ENTRY("charlie", ARN_C)                             /* the same pair as bravo */
    ENTRY("delta", ARN_D)                               /* eu-west-1: scope failed */
    ENTRY("echo", ARN_E)                                /* another partition */
    ENTRY("foxtrot", ARN_F);                            /* verified scope, never seen */

struct fixture {
    struct il_ledger *ledger;
    struct il_inventory *inv;
    struct il_diags *diags;
    struct il_coverage_opts copts;
    struct il_drift_opts opts;
};

static int s_setup(void **state) {
    struct fixture *f = calloc(1, sizeof(*f));
    f->diags = il_diags_new();
    assert_int_equal(il_ledger_load_data(s_text, strlen(s_text), "ledger.yaml", NULL, &f->ledger, f->diags), IL_OK);
    f->inv = il_inventory_new();
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "eu-west-1", IL_SCOPE_FAILED, "AccessDenied"), IL_OK);
    struct il_inv_tag std[] = {{"InspectorExclusion", "LambdaStandardScanning"}};
    struct il_inv_function fa = {
        .account = ACCT, .region = "us-east-1", .arn = ARN_A, .name = "alpha", .tags = std, .tag_count = 1};
    assert_int_equal(il_inventory_add(f->inv, &fa), IL_OK);
    f->copts = (struct il_coverage_opts){.partition = "aws", .caller_account = ACCT, .roles_available = 1};
    assert_int_equal(il_date_parse_str("2026-11-22", &f->opts.rules.as_of), IL_OK);
    f->opts.coverage = &f->copts;
    il_diags_free(f->diags);
    f->diags = il_diags_new();
    *state = f;
    return 0;
}

static int s_teardown(void **state) {
    struct fixture *f = *state;
    il_ledger_free(f->ledger);
    il_inventory_free(f->inv);
    il_diags_free(f->diags);
    free(f);
    return 0;
}

static void test_states_and_counts(void **state) {
    struct fixture *f = *state;
    struct il_coverage cov;
    assert_int_equal(il_coverage_compute(f->ledger, f->inv, &f->copts, &cov), IL_OK);
    assert_int_equal(cov.total, 6);
    assert_int_equal(cov.states[0], IL_COVERAGE_COMPARED);
    assert_int_equal(cov.states[1], IL_COVERAGE_UNREACHABLE);
    assert_int_equal(cov.states[2], IL_COVERAGE_UNREACHABLE);
    assert_int_equal(cov.states[3], IL_COVERAGE_SCOPE_FAILED);
    assert_int_equal(cov.states[4], IL_COVERAGE_UNREACHABLE);
    assert_int_equal(cov.states[5], IL_COVERAGE_UNCONFIRMED);
    assert_int_equal(cov.compared, 1);
    assert_int_equal(cov.unreachable, 3);
    assert_int_equal(cov.declared_out, 0);
    assert_int_equal(cov.declared, 0);
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_coverage_summary(&cov, &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "1 of 6 entries compared"); /* nothing declared: no "outside" part */
    il_buf_release(&b);
    il_coverage_release(&cov);
    il_coverage_release(&cov); /* released twice: a no-op */
}

static void test_declared_scope(void **state) {
    struct fixture *f = *state;
    const char *accounts[] = {ACCT};
    const char *regions[] = {"us-east-1"};
    f->copts.declared =
        (struct il_scope_decl){.accounts = accounts, .account_count = 1, .regions = regions, .region_count = 1};
    assert_true(il_scope_decl_active(&f->copts.declared));
    assert_true(il_scope_decl_covers(&f->copts.declared, ACCT, "us-east-1"));
    assert_false(il_scope_decl_covers(&f->copts.declared, ACCT, "eu-west-1"));
    assert_false(il_scope_decl_covers(&f->copts.declared, OTHER, "us-east-1"));
    assert_true(il_scope_decl_covers(NULL, OTHER, "us-east-1"));
    struct il_coverage cov;
    assert_int_equal(il_coverage_compute(f->ledger, f->inv, &f->copts, &cov), IL_OK);
    /* bravo, charlie (account), delta and echo (region) are declared out; foxtrot is in scope and unconfirmed */
    assert_int_equal(cov.declared_out, 4);
    assert_int_equal(cov.unreachable, 0);
    assert_int_equal(cov.states[5], IL_COVERAGE_UNCONFIRMED);
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_coverage_summary(&cov, &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "1 of 6 entries compared; 4 outside the declared scope");
    il_buf_release(&b);
    il_coverage_release(&cov);
}

/* Not-verified findings in @p d (the tests pass one list for both of il_drift_check's lists). */
static size_t s_unverified_count(const struct il_diags *d) {
    size_t n = 0;
    for (size_t i = 0; i < il_diags_count(d); i++) {
        n += strcmp(il_diags_get(d, i)->rule, il_rule_id_str(IL_RULE_NOT_VERIFIED)) == 0;
    }
    return n;
}

/* The not-verified findings: one per unreachable pair (bravo and charlie share one), each naming the pair and only
 * what would reach it. */
static void test_findings_and_hints(void **state) {
    struct fixture *f = *state;
    assert_int_equal(il_drift_check(f->ledger, f->inv, &f->opts, f->diags, f->diags), IL_OK);
    int pair = 0, partition = 0, failed = 0, unseen = 0;
    for (size_t i = 0; i < il_diags_count(f->diags); i++) {
        const struct il_diag *d = il_diags_get(f->diags, i);
        if (strcmp(d->rule, "not-verified") != 0) {
            continue;
        }
        if (strstr(d->message, "2 entries in account " OTHER ", region us-east-1") != NULL) {
            pair++;
            assert_null(d->function_arn); /* a group, not one function */
            assert_non_null(strstr(d->message, "is not the caller's account (" ACCT ")"));
            assert_non_null(strstr(d->message, "--role-name"));
            assert_null(strstr(d->message, "--account " OTHER)); /* --account would not reach an entry */
            assert_null(strstr(d->message, "--region"));
            assert_int_equal(d->line, 3 + 20 + 3); /* bravo's function_arn: the pair's first entry */
        } else if (strstr(d->message, "partition aws-cn") != NULL) {
            partition++;
            assert_string_equal(d->function_arn, ARN_E);
            assert_non_null(strstr(d->message, "separate run with aws-cn credentials and --region cn-north-1"));
            assert_null(strstr(d->message, "--role-name"));
        } else if (strstr(d->message, "region eu-west-1 was not verified: AccessDenied") != NULL) {
            failed++;
        } else if (d->function_arn != NULL && strcmp(d->function_arn, ARN_F) == 0) {
            unseen++;
        }
    }
    assert_int_equal(pair, 1);
    assert_int_equal(partition, 1);
    assert_int_equal(failed, 1);
    assert_int_equal(unseen, 1);
    assert_int_equal(s_unverified_count(f->diags), 4);
}

/* apply has no --role-name: the hint is credentials of that account, never an option apply does not have. */
static void test_hint_without_roles(void **state) {
    struct fixture *f = *state;
    f->copts.roles_available = 0;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_coverage_explain(&f->copts, f->inv, il_ledger_entry(f->ledger, 1), &b), IL_OK);
    assert_null(strstr(il_buf_cstr(&b), "--role-name"));
    assert_non_null(strstr(il_buf_cstr(&b), "credentials of account " OTHER));
    assert_non_null(strstr(il_buf_cstr(&b), "--role-arn arn:aws:iam::" OTHER ":role/NAME"));
    assert_non_null(strstr(il_buf_cstr(&b), "--only-account"));
    il_buf_reset(&b);
    /* the caller's account unknown (GetCallerIdentity failed): said, and no account guessed */
    f->copts.caller_account = NULL;
    assert_int_equal(il_coverage_explain(&f->copts, f->inv, il_ledger_entry(f->ledger, 1), &b), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&b), "GetCallerIdentity failed"));
    il_buf_release(&b);
}

/* With per-account roles every ledger account is in the plan; only the other partition stays out of reach. */
static void test_roles_reach_other_accounts(void **state) {
    struct fixture *f = *state;
    f->copts.use_role = 1;
    assert_int_equal(il_inventory_set_scope(f->inv, OTHER, "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    assert_int_equal(il_inventory_mark_not_found(f->inv, OTHER, "us-east-1", ARN_B), IL_OK);
    assert_int_equal(il_inventory_mark_not_found(f->inv, OTHER, "us-east-1", ARN_C), IL_OK);
    struct il_coverage cov;
    assert_int_equal(il_coverage_compute(f->ledger, f->inv, &f->copts, &cov), IL_OK);
    assert_int_equal(cov.states[1], IL_COVERAGE_COMPARED);
    assert_int_equal(cov.states[2], IL_COVERAGE_COMPARED);
    assert_int_equal(cov.unreachable, 1); /* echo, aws-cn */
    il_coverage_release(&cov);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_states_and_counts, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_declared_scope, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_findings_and_hints, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_hint_without_roles, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_roles_reach_other_accounts, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
