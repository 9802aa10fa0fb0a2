/*
 * Unit tests: loading a ledger end to end through the library (bytes -> YAML -> schema -> model), the schema loader
 * (embedded, --schema file, bad files), and --schema-only. Runs from the repository root (ctest sets it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/ledger.h"

#define EXAMPLE "ledger-example/security/inspector-exclusions.yaml"

static const char s_two[] = "version: 1\n"                                                           /* 1 */
                            "exclusions:\n"                                                          /* 2 */
                            "  - target:\n"                                                          /* 3 */
                            "      type: lambda\n"                                                   /* 4 */
                            "      function_name: a\n"                                               /* 5 */
                            "      function_arn: arn:aws:lambda:eu-west-1:111122223333:function:a\n" /* 6 */
                            "    scan_type: standard\n"                                              /* 7 */
                            "    tag: {key: InspectorExclusion, value: LambdaStandardScanning}\n"    /* 8 */
                            "    reason: {summary: s, ticket: t, compensating_controls: [c]}\n"      /* 9 */
                            "    owner: {team: x, approved_by: y, applied_by: z}\n"                  /* 10 */
                            "    dates: {applied_at: 2026-01-01, next_review_at: 2026-06-01, expires_at: 2026-12-31}\n"
                            "  # trailing comment\n"                                                 /* 12 */
                            "\n"                                                                     /* 13 */
                            "  - target:\n"                                                          /* 14 */
                            "      type: lambda\n"                                                   /* 15 */
                            "      function_name: b\n"                                               /* 16 */
                            "      function_arn: arn:aws:lambda:eu-west-1:111122223333:function:b\n" /* 17 */
                            "    scan_type: code\n"                                                  /* 18 */
                            "    tag: {key: InspectorCodeExclusion, value: LambdaCodeScanning}\n"    /* 19 */
                            "    reason: {summary: s, ticket: '', compensating_controls: []}\n"      /* 20 */
                            "    owner: {team: x, approved_by: y, applied_by: z, extra: 1}\n"        /* 21 */
                            "    dates: {applied_at: 2026-01-01, next_review_at: 2026-06-01, expires_at: 2026-02-29}\n";

static void test_load_example_is_valid(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_load_file(EXAMPLE, NULL, &l, d), IL_OK);
    assert_non_null(l);
    assert_int_equal(il_diags_count(d), 0);
    assert_int_equal(il_ledger_schema_errors(l), 0);
    assert_int_equal(il_ledger_entry_count(l), 6);
    assert_string_equal(il_ledger_filename(l), EXAMPLE);
    assert_int_equal(strlen(il_ledger_sha256(l)), 64);
    int partitions = 0;
    for (size_t i = 0; i < il_ledger_entry_count(l); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(l, i);
        assert_true(e->arn.valid);
        assert_true(e->expires_at.valid && e->applied_at.valid && e->next_review_at.valid);
        assert_true(e->compensating_control_count >= 1);
        assert_true(e->end_line > e->line);
        partitions |= strcmp(e->arn.partition, "aws-us-gov") == 0 ? 1 : strcmp(e->arn.partition, "aws-cn") == 0 ? 2 : 0;
    }
    assert_int_equal(partitions, 3);
    /* clean under every rule today and for months to come */
    struct il_ledger_rule_opts o;
    assert_int_equal(il_ledger_rule_opts_default(&o), IL_OK);
    assert_int_equal(il_date_parse_str("2027-02-15", &o.as_of), IL_OK);
    o.max_days = 365;
    o.require_distinct_approver = 1;
    assert_int_equal(il_ledger_check_rules(l, &o, d), IL_OK);
    assert_int_equal(il_diags_count(d), 0);
    il_ledger_free(l);
    il_diags_free(d);
}

static void test_load_data_attributes_schema_errors(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_load_data(s_two, strlen(s_two), "two.yaml", NULL, &l, d), IL_OK);
    assert_int_equal(il_ledger_entry_count(l), 2);
    const struct il_ledger_entry *a = il_ledger_entry(l, 0), *b = il_ledger_entry(l, 1);
    assert_int_equal(a->schema_errors, 0);
    assert_true(b->schema_errors >= 4); /* empty ticket, empty controls, unknown key, impossible date */
    assert_int_equal(il_ledger_schema_errors(l), b->schema_errors);
    assert_int_equal(a->line, 3);
    assert_int_equal(a->end_line, 11); /* the comment and blank line belong to nobody */
    assert_int_equal(b->line, 14);
    assert_int_equal(b->end_line, 22);
    assert_int_equal(a->function_arn.line, 6);
    assert_int_equal(a->function_arn.column, 21);
    assert_false(b->expires_at.valid);
    assert_true(b->expires_at.text.value != NULL);
    /* every schema finding is located in the file and carries its entry's ARN */
    for (size_t i = 0; i < il_diags_count(d); i++) {
        const struct il_diag *x = il_diags_get(d, i);
        assert_string_equal(x->rule, "schema");
        assert_string_equal(x->file, "two.yaml");
        assert_true(x->line >= 14 && x->line <= 22);
        assert_string_equal(x->function_arn, "arn:aws:lambda:eu-west-1:111122223333:function:b");
    }
    /* the rules do not repeat what the schema said about the bad date */
    size_t before = il_diags_count(d);
    struct il_ledger_rule_opts o;
    assert_int_equal(il_ledger_rule_opts_default(&o), IL_OK);
    assert_int_equal(il_date_parse_str("2026-03-01", &o.as_of), IL_OK);
    assert_int_equal(il_ledger_check_rules(l, &o, d), IL_OK);
    assert_int_equal(il_diags_count(d), before);
    il_ledger_free(l);
    il_diags_free(d);
}

static void test_load_yaml_error_is_located(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_ledger *l = NULL;
    const char bad[] = "version: 1\nexclusions:\n  - a: 1\n   b: 2\n";
    enum il_status st = il_ledger_load_data(bad, strlen(bad), "bad.yaml", NULL, &l, d);
    assert_true(st == IL_ERR_PARSE || st == IL_ERR_LIMIT);
    assert_null(l);
    assert_int_equal(il_diags_count(d), 1);
    assert_string_equal(il_diags_get(d, 0)->rule, "yaml");
    assert_true(il_diags_get(d, 0)->line >= 3);
    il_diags_free(d);
}

static void test_load_file_errors_and_source(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_load_file("no/such/ledger.yaml", NULL, &l, d), IL_ERR_NOTFOUND);
    assert_null(l);
    assert_int_equal(il_diags_count(d), 1);
    assert_non_null(strstr(il_diags_get(d, 0)->message, "no/such/ledger.yaml"));
    il_diags_free(d);

    /* source_out hands over the bytes, and a tiny size limit turns into a located finding */
    d = il_diags_new();
    char *src = NULL;
    size_t len = 0;
    struct il_load_limits lim;
    il_load_limits_default(&lim);
    struct il_ledger_load_opts lo = {.limits = &lim, .source_out = &src, .source_len_out = &len};
    assert_int_equal(il_ledger_load_file(EXAMPLE, &lo, &l, d), IL_OK);
    assert_non_null(src);
    assert_true(len > 1000);
    assert_non_null(strstr(src, "exclusions:"));
    free(src);
    il_ledger_free(l);
    lim.max_bytes = 100;
    assert_int_equal(il_ledger_load_file(EXAMPLE, &lo, &l, d), IL_ERR_LIMIT);
    assert_null(l);
    assert_string_equal(il_diags_get(d, 0)->rule, "yaml");
    il_diags_free(d);
}

static void test_schema_load(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_ledger_schema *s = NULL;
    assert_int_equal(il_ledger_schema_load(NULL, &s, d), IL_OK);
    assert_non_null(il_ledger_schema_get(s));
    il_ledger_schema_free(s);
    assert_int_equal(il_ledger_schema_load("tests/data/org-strict.schema.yaml", &s, d), IL_OK);
    il_ledger_schema_free(s);
    assert_int_equal(il_diags_count(d), 0);

    s = NULL;
    assert_int_equal(il_ledger_schema_load("tests/data/none.json", &s, d), IL_ERR_NOTFOUND);
    assert_null(s);
    assert_string_equal(il_diags_get(d, 0)->rule, "schema-file");
    assert_int_equal(il_ledger_schema_load("-", &s, d), IL_ERR_INVALID);
    assert_int_equal(il_diags_count(d), 2);
    il_ledger_schema_free(NULL);
    il_diags_free(d);
}

static void test_org_schema_and_schema_only(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    struct il_ledger_schema *s = NULL;
    assert_int_equal(il_ledger_schema_load("tests/data/org-strict.schema.json", &s, d), IL_OK);
    size_t errors = 99;
    assert_int_equal(il_ledger_schema_check_file(s, EXAMPLE, d, &errors), IL_OK);
    assert_int_equal(errors, 0);
    assert_int_equal(il_ledger_schema_check_file(s, "tests/data/ledger-jira-ticket.yaml", d, &errors), IL_OK);
    assert_int_equal(errors, 1);
    assert_int_equal(il_diags_get(d, 0)->line, 16);
    assert_int_equal(il_diags_get(d, 0)->column, 15);
    assert_int_equal(il_ledger_schema_check_file(s, "tests/data/none.yaml", d, &errors), IL_ERR_NOTFOUND);

    struct il_ledger *l = NULL;
    struct il_ledger_load_opts lo = {.schema = s};
    struct il_diags *d2 = il_diags_new();
    assert_int_equal(il_ledger_load_file("tests/data/ledger-jira-ticket.yaml", &lo, &l, d2), IL_OK);
    assert_int_equal(il_ledger_schema_errors(l), 1);
    assert_int_equal(il_ledger_entry(l, 0)->schema_errors, 1);
    il_ledger_free(l);
    il_diags_free(d2);
    il_ledger_schema_free(s);
    il_diags_free(d);
}

/* The (ARN, scan type) index: hit, miss, a qualified ARN, another scan type, duplicates, invalid entries, size. */
static void test_find(void **state) {
    (void)state;
    static const char text[] = "version: 1\n"
                               "exclusions:\n"
                               "  - target:\n"
                               "      function_arn: arn:aws:lambda:us-east-1:111111111111:function:a\n"
                               "    scan_type: standard\n"
                               "  - target:\n"
                               "      function_arn: arn:aws:lambda:us-east-1:111111111111:function:a\n"
                               "    scan_type: standard\n"
                               "  - target:\n"
                               "      function_arn: arn:aws:lambda:us-east-1:111111111111:function:b:prod\n"
                               "    scan_type: code\n"
                               "  - target:\n"
                               "      function_arn: not-an-arn\n"
                               "    scan_type: standard\n"
                               "  - target:\n"
                               "      function_arn: arn:aws:lambda:us-east-1:111111111111:function:c\n"
                               "    scan_type: sometimes\n";
    struct il_diags *d = il_diags_new();
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_load_data(text, strlen(text), "find.yaml", NULL, &l, d), IL_OK);
    const char *a = "arn:aws:lambda:us-east-1:111111111111:function:a";
    const struct il_ledger_entry *e = il_ledger_find(l, a, IL_SCAN_STANDARD);
    assert_non_null(e);
    assert_int_equal(e->index, 0); /* of two duplicates, the first speaks for the function */
    assert_null(il_ledger_find(l, a, IL_SCAN_CODE));
    assert_null(il_ledger_find(l, "arn:aws:lambda:us-east-1:111111111111:function:z", IL_SCAN_STANDARD));
    /* a qualified entry is found by its function's ARN; a qualified ARN finds nothing */
    e = il_ledger_find(l, "arn:aws:lambda:us-east-1:111111111111:function:b", IL_SCAN_CODE);
    assert_non_null(e);
    assert_int_equal(e->index, 2);
    assert_null(il_ledger_find(l, "arn:aws:lambda:us-east-1:111111111111:function:b:prod", IL_SCAN_CODE));
    /* invalid ARN or scan type: never indexed */
    assert_null(il_ledger_find(l, "not-an-arn", IL_SCAN_STANDARD));
    assert_null(il_ledger_find(l, "arn:aws:lambda:us-east-1:111111111111:function:c", IL_SCAN_UNKNOWN));
    assert_null(il_ledger_find(l, NULL, IL_SCAN_STANDARD));
    assert_null(il_ledger_find(NULL, a, IL_SCAN_STANDARD));
    il_ledger_free(l);

    /* many entries: every one found through the table (growth, probing) */
    struct il_buf big;
    il_buf_init(&big, 0);
    assert_int_equal(il_buf_puts(&big, "version: 1\nexclusions:\n"), IL_OK);
    for (int i = 0; i < 3000; i++) {
        assert_int_equal(il_buf_printf(&big,
                                       "  - target:\n      function_arn: arn:aws:lambda:eu-west-1:222222222222:"
                                       "function:f%d\n    scan_type: %s\n",
                                       i / 2, i % 2 ? "code" : "standard"),
                         IL_OK);
    }
    assert_int_equal(il_ledger_load_data(big.data, big.len, "big.yaml", NULL, &l, d), IL_OK);
    char arn[96];
    for (int i = 0; i < 3000; i++) {
        snprintf(arn, sizeof(arn), "arn:aws:lambda:eu-west-1:222222222222:function:f%d", i / 2);
        e = il_ledger_find(l, arn, i % 2 ? IL_SCAN_CODE : IL_SCAN_STANDARD);
        assert_non_null(e);
        assert_int_equal(e->index, (size_t)i);
    }
    assert_null(il_ledger_find(l, "arn:aws:lambda:eu-west-1:222222222222:function:f1500", IL_SCAN_STANDARD));
    il_ledger_free(l);
    il_buf_release(&big);
    il_diags_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_example_is_valid),
        cmocka_unit_test(test_load_data_attributes_schema_errors),
        cmocka_unit_test(test_load_yaml_error_is_located),
        cmocka_unit_test(test_load_file_errors_and_source),
        cmocka_unit_test(test_schema_load),
        cmocka_unit_test(test_org_schema_and_schema_only),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
