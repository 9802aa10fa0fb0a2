/*
 * Unit tests for the governance pieces that need no git repository: the policy loader (values, origins, located
 * errors, what may not be lowered), flags over the file, severity overrides, the reviews parser (GitHub's latest
 * deciding review, GitLab's approvals, gh's pages, located errors) and the change classification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/ledger.h"
#include "il/ledger/gate.h"
#include "il/ledger/policy.h"

static struct il_policy *s_policy(const char *text, struct il_diags *diags, enum il_status want) {
    struct il_policy *p = NULL;
    assert_int_equal(il_policy_load_data(text, strlen(text), "p.yaml", &p, diags), want);
    return p;
}

static const struct il_diag *s_find(const struct il_diags *d, const char *rule) {
    for (size_t i = 0; i < il_diags_count(d); i++) {
        if (strcmp(il_diags_get(d, i)->rule, rule) == 0) {
            return il_diags_get(d, i);
        }
    }
    return NULL;
}

static void test_policy_values_and_origins(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_policy *p = s_policy("version: 1\n"
                                   "approvers:\n"
                                   "  security-reviewer: [bob@example.com, \"@bob\"]\n"
                                   "ticket_pattern: \"^SEC-[0-9]+$\"\n"
                                   "max_days: 180\n"
                                   "max_renewals: 2\n"
                                   "budgets:\n"
                                   "  platform: 5\n"
                                   "  payments: {function_days: 300}\n"
                                   "severity: {review-overdue: error, expiring-soon: off}\n"
                                   "implicit_exclusion_severity: warning\n",
                                   d, IL_OK);
    assert_int_equal(il_diags_count(d), 0);
    const struct il_policy_values *v = il_policy_values(p);
    assert_int_equal(v->warn_days, 14);
    assert_null(v->warn_days_from.file);
    assert_int_equal(v->max_days, 180);
    assert_string_equal(v->max_days_from.file, "p.yaml");
    assert_int_equal(v->max_days_from.line, 5);
    assert_int_equal(v->max_days_from.column, 11);
    assert_int_equal(v->max_renewals, 2);
    assert_int_equal(v->n_approvers, 1);
    assert_int_equal(v->approvers[0].n_identities, 2);
    assert_string_equal(v->approvers[0].identities[1], "@bob");
    assert_non_null(il_policy_approver(p, "Security-Reviewer")); /* ASCII case ignored */
    assert_null(il_policy_approver(p, "mallory"));
    const struct il_policy_budget *b = il_policy_budget(p, "payments");
    assert_non_null(b);
    assert_int_equal(b->active, -1);
    assert_int_equal(b->function_days, 300);
    assert_int_equal(il_policy_budget(p, "platform")->active, 5);
    assert_int_equal(v->implicit_severity, IL_SEV_WARNING);

    /* a flag overrides the file and says so */
    il_policy_set_max_days(p, 90, "--max-days");
    assert_int_equal(il_policy_values(p)->max_days, 90);
    assert_string_equal(il_policy_values(p)->max_days_from.flag, "--max-days");
    struct il_ledger_rule_opts rules;
    assert_int_equal(il_ledger_rule_opts_default(&rules), IL_OK);
    il_policy_rule_opts(p, &rules);
    assert_int_equal(rules.max_days, 90);

    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_policy_print(p, &out), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&out), "max_days: 90  # flag --max-days\n"));
    assert_non_null(strstr(il_buf_cstr(&out), "max_renewals: 2  # p.yaml:6:15\n"));
    assert_non_null(strstr(il_buf_cstr(&out), "warn_days: 14  # default\n"));
    assert_non_null(strstr(il_buf_cstr(&out), "\"expiring-soon\": off  # p.yaml:10:35\n"));
    il_buf_release(&out);

    /* overrides: raised, dropped, untouched; a finding already lowered is left where it is */
    struct il_diags *f = il_diags_new();
    assert_int_equal(il_diags_addf(f, IL_SEV_WARNING, "review-overdue", "l", 1, 1, NULL, "x"), IL_OK);
    assert_int_equal(il_diags_addf(f, IL_SEV_WARNING, "expiring-soon", "l", 2, 1, NULL, "x"), IL_OK);
    assert_int_equal(il_diags_addf(f, IL_SEV_NOTICE, "review-overdue", "l", 3, 1, NULL, "old"), IL_OK);
    assert_int_equal(il_diags_addf(f, IL_SEV_NOTICE, "scan-blind-cmk", "l", 4, 1, NULL, "x"), IL_OK);
    il_policy_adjust(p, f);
    assert_int_equal(il_diags_count(f), 3);
    assert_int_equal(il_diags_get(f, 0)->severity, IL_SEV_ERROR);
    assert_int_equal(il_diags_get(f, 1)->severity, IL_SEV_NOTICE);
    assert_int_equal(il_diags_get(f, 2)->severity, IL_SEV_WARNING); /* implicit_exclusion_severity */
    il_diags_free(f);
    il_policy_free(p);
    il_diags_free(d);
}

static void test_policy_errors_located(void **state) {
    (void)state;
    static const struct {
        const char *text;
        const char *rule;
        unsigned line, column;
        const char *says;
    } cases[] = {
        {"max_dayz: 3\n", "schema", 1, 1, "did you mean `max_days`"},
        {"warn_days: 1.5\n", "schema", 1, 12, "integer"},
        {"approvers:\n  x: []\n", "schema", 2, 6, "must not be empty"},
        {"ticket_pattern: \"(\"\n", "policy-file", 1, 17, "ticket_pattern"},
        {"severity:\n  no-such-rule: error\n", "policy-file", 2, 3, "unknown rule"},
        {"severity:\n  schema: off\n", "policy-file", 2, 3, "cannot be lowered"},
        {"severity:\n  gate-not-verified: notice\n", "policy-file", 2, 3, "cannot be lowered"},
        {"- a list\n", "schema", 1, 1, "object"},
        {"a: [\n", "yaml", 2, 1, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct il_diags *d = il_diags_new();
        struct il_policy *p = NULL;
        enum il_status st = il_policy_load_data(cases[i].text, strlen(cases[i].text), "p.yaml", &p, d);
        assert_int_not_equal(st, IL_OK);
        assert_null(p);
        const struct il_diag *g = s_find(d, cases[i].rule);
        if (g == NULL) {
            fail_msg("case %zu: no %s diagnostic", i, cases[i].rule);
        }
        assert_string_equal(g->file, "p.yaml");
        if (g->line != cases[i].line || g->column != cases[i].column || strstr(g->message, cases[i].says) == NULL) {
            fail_msg("case %zu: %u:%u %s", i, g->line, g->column, g->message);
        }
        il_diags_free(d);
    }
    /* raising a protected rule is fine */
    struct il_diags *d = il_diags_new();
    il_policy_free(s_policy("severity: {expired: error}\n", d, IL_OK));
    il_diags_free(d);
}

static struct il_reviews *s_reviews(const char *json, enum il_status want, struct il_diags *d) {
    struct il_reviews *r = NULL;
    assert_int_equal(il_reviews_load_data(json, strlen(json), "r.json", &r, d), want);
    return r;
}

static void test_reviews(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_reviews *r = s_reviews(
        "[{\"user\":{\"login\":\"bob\"},\"state\":\"APPROVED\",\"submitted_at\":\"2026-11-30T10:00:00Z\"},"
        "{\"user\":{\"login\":\"carol\"},\"state\":\"APPROVED\",\"submitted_at\":\"2026-11-30T10:00:00Z\"},"
        "{\"user\":{\"login\":\"carol\"},\"state\":\"COMMENTED\",\"submitted_at\":\"2026-11-30T12:00:00Z\"},"
        "{\"user\":{\"login\":\"BOB\"},\"state\":\"DISMISSED\",\"submitted_at\":\"2026-11-30T11:00:00Z\"},"
        "{\"user\":{\"login\":\"dave\"},\"state\":\"CHANGES_REQUESTED\",\"submitted_at\":\"2026-11-30T13:00:00Z\"},"
        "{\"user\":{\"login\":\"dave\"},\"state\":\"APPROVED\",\"submitted_at\":\"2026-11-30T09:00:00Z\"},"
        "{\"user\":null,\"state\":\"APPROVED\"}]",
        IL_OK, d);
    assert_string_equal(il_reviews_forge(r), "github");
    assert_false(il_reviews_approved(r, "bob"));   /* dismissed later */
    assert_true(il_reviews_approved(r, "@Carol")); /* a comment does not withdraw an approval */
    assert_false(il_reviews_approved(r, "dave"));  /* the later CHANGES_REQUESTED wins, whatever the array order */
    assert_int_equal(il_reviews_count(r), 1);
    il_reviews_free(r);
    r = s_reviews("{\"approved\":true,\"approved_by\":[{\"user\":{\"username\":\"erin\"}}]}", IL_OK, d);
    assert_string_equal(il_reviews_forge(r), "gitlab");
    assert_true(il_reviews_approved(r, "@erin"));
    assert_false(il_reviews_approved(r, "bob"));
    il_reviews_free(r);
    assert_int_equal(il_diags_count(d), 0);

    /* gh api --paginate: one array per page, back to back; a later page's review wins by submitted_at */
    r = s_reviews("[{\"user\":{\"login\":\"bob\"},\"state\":\"APPROVED\",\"submitted_at\":\"2026-11-30T10:00:00Z\","
                  "\"body\":\"a ] \\\" [ in text\"}]\n"
                  "[{\"user\":{\"login\":\"carol\"},\"state\":\"APPROVED\"},"
                  "{\"user\":{\"login\":\"bob\"},\"state\":\"DISMISSED\",\"submitted_at\":\"2026-11-30T11:00:00Z\"}]",
                  IL_OK, d);
    assert_false(il_reviews_approved(r, "bob"));
    assert_true(il_reviews_approved(r, "carol"));
    il_reviews_free(r);
    assert_int_equal(il_diags_count(d), 0);
    assert_null(s_reviews("[]\n[{\"user\":{\"login\":\"x\"}}]", IL_ERR_INVALID, d)); /* page 2's error ... */
    assert_int_equal(il_diags_get(d, 0)->line, 2);                                   /* ... at its own line */
    assert_null(s_reviews("[] junk", IL_ERR_PARSE, d));                  /* text between pages is not skipped */
    assert_null(s_reviews("{\"approved_by\":[]}[]", IL_ERR_INVALID, d)); /* a GitLab object then a GitHub page */
    assert_null(s_reviews("[{\"user\":{\"login\":\"x\"}},\n 3]", IL_ERR_INVALID, d));
    assert_int_equal(il_diags_get(d, il_diags_count(d) - 1)->line, 1);
    assert_null(s_reviews("{\"approved_by\": {}}", IL_ERR_INVALID, d));
    assert_null(s_reviews("{\"message\":\"Bad credentials\"}", IL_ERR_INVALID, d));
    assert_null(s_reviews("[{", IL_ERR_PARSE, d));
    il_diags_free(d);
}

static struct il_ledger *s_ledger(const char *yaml) {
    struct il_ledger *l = NULL;
    struct il_diags *d = il_diags_new();
    assert_int_equal(il_ledger_load_data(yaml, strlen(yaml), "l.yaml", NULL, &l, d), IL_OK);
    il_diags_free(d);
    return l;
}

#define S_ENTRY(NAME, EXPIRES, TICKET)                                                                                 \
    "  - target: {type: lambda, function_name: " NAME ", function_arn: 'arn:aws:lambda:us-east-1:111122223333:"        \
    "function:" NAME                                                                                                   \
    "'}\n    scan_type: standard\n    tag: {key: InspectorExclusion, value: LambdaStandardScanning}\n"                 \
    "    reason: {summary: s, ticket: " TICKET ", compensating_controls: [c]}\n"                                       \
    "    owner: {team: t, approved_by: a, applied_by: b}\n"                                                            \
    "    dates: {applied_at: 2026-01-01, next_review_at: 2026-02-01, expires_at: " EXPIRES "}\n"

static void test_compare(void **state) {
    (void)state;
    struct il_ledger *base = s_ledger("version: 1\nexclusions:\n" S_ENTRY("a", "2026-03-01", "T-1") S_ENTRY(
        "b", "2026-03-01", "T-1") S_ENTRY("c", "2026-03-01", "T-1") S_ENTRY("d", "2026-03-01", "T-1"));
    /* a untouched (reindented and reordered keys would still be), b renewed, c changed, d removed, e added */
    struct il_ledger *head = s_ledger("version: 1\nexclusions:\n" S_ENTRY("a", "2026-03-01", "T-1") S_ENTRY(
        "b", "2026-04-01", "T-1") S_ENTRY("c", "2026-02-15", "T-2") S_ENTRY("e", "2026-03-01", "T-1"));
    struct il_ledger_changes *c = NULL;
    assert_int_equal(il_ledger_compare(base, head, &c), IL_OK);
    assert_int_equal(il_ledger_changes_count(c), 5);
    assert_int_equal(il_ledger_change_of(c, 0)->kind, IL_CHANGE_UNTOUCHED);
    assert_int_equal(il_ledger_change_of(c, 1)->kind, IL_CHANGE_RENEWED);
    assert_int_equal(il_ledger_change_of(c, 2)->kind, IL_CHANGE_CHANGED);
    assert_int_equal(il_ledger_change_of(c, 3)->kind, IL_CHANGE_ADDED);
    assert_int_equal(il_ledger_change_at(c, 4)->kind, IL_CHANGE_REMOVED);
    assert_string_equal(il_ledger_change_at(c, 4)->base->function_name.value, "d");
    assert_null(il_ledger_change_of(c, 4));
    il_ledger_changes_free(c);
    assert_int_equal(il_ledger_compare(NULL, head, &c), IL_OK); /* no base: all added */
    assert_int_equal(il_ledger_change_of(c, 0)->kind, IL_CHANGE_ADDED);
    il_ledger_changes_free(c);
    il_ledger_free(base);
    il_ledger_free(head);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_values_and_origins),
        cmocka_unit_test(test_policy_errors_located),
        cmocka_unit_test(test_reviews),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
