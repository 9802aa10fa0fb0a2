/*
 * Unit tests: il_ledger_open(), the schema -> load -> rules sequence every command starts with. Each step's failure is
 * named, the ledger is kept when it loaded, schema problems go to their own list when asked, and the options that
 * differ between commands (no rules, no rules on a schema-invalid ledger, --schema-only) do what they say. Runs from
 * the repository root (ctest sets it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "il/ledger.h"

#define EXAMPLE "ledger-example/security/inspector-exclusions.yaml"
#define EXPIRED "ledger-example/invalid/expired.yaml"

static void s_rules(struct il_ledger_rule_opts *r) {
    assert_int_equal(il_ledger_rule_opts_default(r), IL_OK);
    assert_int_equal(il_date_parse_str("2027-02-25", &r->as_of), IL_OK);
}

static size_t s_count_rule(const struct il_diags *d, const char *rule) {
    size_t n = 0;
    for (size_t i = 0; i < il_diags_count(d); i++) {
        n += strcmp(il_diags_get(d, i)->rule, rule) == 0;
    }
    return n;
}

static void test_open_runs_every_step(void **state) {
    (void)state;
    struct il_ledger_rule_opts rules;
    s_rules(&rules);
    struct il_diags *diags = il_diags_new();
    struct il_ledger *ledger = NULL;
    enum il_ledger_open_step step = IL_LEDGER_OPEN_SCHEMA;
    struct il_ledger_open_opts o = {.ledger_path = EXPIRED, .rules = &rules};
    assert_int_equal(il_ledger_open(&o, &ledger, diags, &step), IL_OK);
    assert_int_equal(step, IL_LEDGER_OPEN_DONE);
    assert_non_null(ledger);
    assert_non_null(il_ledger_sha256(ledger)); /* the digest is computed unless skip_digest */
    assert_int_equal(s_count_rule(diags, "expired"), 1);
    il_ledger_free(ledger);
    il_diags_free(diags);

    /* no rules: the same ledger loads without the expired finding; skip_digest is passed through */
    diags = il_diags_new();
    o.rules = NULL;
    o.skip_digest = 1;
    assert_int_equal(il_ledger_open(&o, &ledger, diags, &step), IL_OK);
    assert_non_null(ledger);
    assert_null(il_ledger_sha256(ledger));
    assert_int_equal(s_count_rule(diags, "expired"), 0);
    il_ledger_free(ledger);
    il_diags_free(diags);
}

static void test_open_names_the_failed_step(void **state) {
    (void)state;
    struct il_ledger_rule_opts rules;
    s_rules(&rules);
    struct il_diags *diags = il_diags_new();
    struct il_diags *schema_diags = il_diags_new();
    struct il_ledger *ledger = NULL;
    enum il_ledger_open_step step = IL_LEDGER_OPEN_DONE;
    struct il_ledger_open_opts o = {.schema_path = "tests/data/no-such.schema.json",
                                    .ledger_path = EXAMPLE,
                                    .rules = &rules,
                                    .schema_diags = schema_diags};
    assert_int_not_equal(il_ledger_open(&o, &ledger, diags, &step), IL_OK);
    assert_int_equal(step, IL_LEDGER_OPEN_SCHEMA);
    assert_null(ledger);
    assert_true(il_diags_count(schema_diags) > 0); /* the schema's problem went to its own list */
    assert_int_equal(il_diags_count(diags), 0);

    o.schema_path = NULL;
    o.ledger_path = "tests/data/no-such-ledger.yaml";
    assert_int_equal(il_ledger_open(&o, &ledger, diags, &step), IL_ERR_NOTFOUND);
    assert_int_equal(step, IL_LEDGER_OPEN_LOAD);
    assert_null(ledger);

    o.ledger_path = "ledger-example/invalid/yaml.yaml";
    enum il_status st = il_ledger_open(&o, &ledger, diags, &step);
    assert_true(st == IL_ERR_PARSE || st == IL_ERR_LIMIT);
    assert_int_equal(step, IL_LEDGER_OPEN_LOAD);
    assert_null(ledger);
    assert_true(s_count_rule(diags, "yaml") > 0);
    il_diags_free(diags);
    il_diags_free(schema_diags);
}

static void test_open_rules_need_schema(void **state) {
    (void)state;
    struct il_ledger_rule_opts rules;
    s_rules(&rules);
    assert_int_equal(il_date_parse_str("2099-01-01", &rules.as_of), IL_OK); /* its entry has expired by then */
    struct il_ledger *ledger = NULL;
    enum il_ledger_open_step step;
    struct il_ledger_open_opts o = {.ledger_path = "ledger-example/invalid/schema.yaml", .rules = &rules};
    struct il_diags *with = il_diags_new();
    assert_int_equal(il_ledger_open(&o, &ledger, with, &step), IL_OK);
    assert_true(il_ledger_schema_errors(ledger) > 0);
    assert_int_equal(s_count_rule(with, "expired"), 1); /* validate and check run the rules anyway */
    il_ledger_free(ledger);

    o.rules_need_schema = 1; /* report: a ledger the schema rejects gets no rules */
    struct il_diags *without = il_diags_new();
    assert_int_equal(il_ledger_open(&o, &ledger, without, &step), IL_OK);
    assert_int_equal(step, IL_LEDGER_OPEN_DONE);
    assert_true(il_ledger_schema_errors(ledger) > 0);
    assert_int_equal(il_diags_count(without), s_count_rule(without, "schema"));
    assert_int_equal(s_count_rule(without, "expired"), 0);
    il_ledger_free(ledger);
    il_diags_free(with);
    il_diags_free(without);
}

static void test_open_schema_only(void **state) {
    (void)state;
    struct il_ledger *ledger = NULL;
    enum il_ledger_open_step step;
    size_t errors = 99;
    struct il_ledger_open_opts o = {.ledger_path = EXAMPLE, .schema_only = 1, .schema_errors = &errors};
    struct il_diags *diags = il_diags_new();
    assert_int_equal(il_ledger_open(&o, &ledger, diags, &step), IL_OK);
    assert_null(ledger); /* no model with --schema-only */
    assert_int_equal(errors, 0);
    o.ledger_path = "ledger-example/invalid/schema.yaml";
    assert_int_equal(il_ledger_open(&o, &ledger, diags, &step), IL_OK);
    assert_true(errors > 0);
    assert_int_equal(errors, s_count_rule(diags, "schema"));
    il_diags_free(diags);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_runs_every_step),
        cmocka_unit_test(test_open_names_the_failed_step),
        cmocka_unit_test(test_open_rules_need_schema),
        cmocka_unit_test(test_open_schema_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
