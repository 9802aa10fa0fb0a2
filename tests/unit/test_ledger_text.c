/*
 * Unit tests (issue 13): a NUL in any ledger string is a located error (rule yaml, file:line:col of the string), and
 * "non-empty" means at least one visible character: NUL-only, whitespace-only and Unicode-space-only texts fail with
 * the schema rule's message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/diag.h"
#include "il/ledger.h"

/* One entry; @p summary, @p ticket and @p approver are inserted as YAML double-quoted scalar bodies. */
static char *s_ledger(const char *summary, const char *ticket, const char *approver) {
    static const char fmt[] = "version: 1\n"
                              "exclusions:\n"
                              "  - target:\n"
                              "      type: lambda\n"
                              "      function_name: alpha\n"
                              "      function_arn: arn:aws:lambda:us-east-1:111111111111:function:alpha\n"
                              "    scan_type: standard\n"
                              "    tag:\n"
                              "      key: InspectorExclusion\n"
                              "      value: LambdaStandardScanning\n"
                              "    reason:\n"
                              "      summary: \"%s\"\n" /* line 12, value at column 16 */
                              "      ticket: \"%s\"\n"  /* line 13, column 15 */
                              "      compensating_controls:\n"
                              "        - reviewed by hand\n"
                              "    owner:\n"
                              "      team: platform\n"
                              "      approved_by: \"%s\"\n" /* line 18, column 20 */
                              "      applied_by: deploy-bot@example.com\n"
                              "    dates:\n"
                              "      applied_at: 2026-01-01\n"
                              "      next_review_at: 2026-12-01\n"
                              "      expires_at: 2027-06-01\n";
    size_t n = sizeof(fmt) + strlen(summary) + strlen(ticket) + strlen(approver);
    char *out = malloc(n);
    assert_non_null(out);
    assert_true(snprintf(out, n, fmt, summary, ticket, approver) > 0);
    return out;
}

struct s_result {
    enum il_status st;
    struct il_diags *diags;
    struct il_ledger *ledger;
};

static struct s_result s_load(const char *summary, const char *ticket, const char *approver) {
    char *text = s_ledger(summary, ticket, approver);
    struct s_result r = {.diags = il_diags_new()};
    assert_non_null(r.diags);
    r.st = il_ledger_load_data(text, strlen(text), "ledger.yaml", NULL, &r.ledger, r.diags);
    free(text);
    return r;
}

static void s_release(struct s_result *r) {
    il_ledger_free(r->ledger);
    il_diags_free(r->diags);
}

/* Exactly one error diagnostic of @p rule, at @p line:@p column, whose message contains @p text. */
static void s_expect(const struct s_result *r, const char *rule, unsigned line, unsigned column, const char *text) {
    size_t found = 0;
    for (size_t i = 0; i < il_diags_count(r->diags); i++) {
        const struct il_diag *d = il_diags_get(r->diags, i);
        if (d->severity != IL_SEV_ERROR) {
            continue;
        }
        print_message("%s:%u:%u: %s: %s\n", d->file, d->line, d->column, d->rule, d->message);
        assert_string_equal(d->rule, rule);
        assert_string_equal(d->file, "ledger.yaml");
        assert_int_equal(d->line, line);
        assert_int_equal(d->column, column);
        assert_non_null(strstr(d->message, text));
        found++;
    }
    assert_int_equal(found, 1);
}

static void test_clean_ledger_loads(void **state) {
    (void)state;
    struct s_result r = s_load("vendored code", "SEC-1", "approver@example.com");
    assert_int_equal(r.st, IL_OK);
    assert_int_equal(il_ledger_schema_errors(r.ledger), 0);
    s_release(&r);
}

static void test_nul_is_a_located_error(void **state) {
    (void)state;
    struct s_result r = s_load("vendored code", "SEC-1", "ok\\0evil"); /* text after the NUL would be lost */
    assert_int_equal(r.st, IL_ERR_PARSE);
    assert_null(r.ledger);
    s_expect(&r, "yaml", 18, 20, "NUL character");
    s_release(&r);
    r = s_load("vendored code", "\\x00", "approver@example.com"); /* NUL-only */
    assert_int_equal(r.st, IL_ERR_PARSE);
    s_expect(&r, "yaml", 13, 15, "NUL character");
    s_release(&r);
    r = s_load("a\\u0000", "\\0", "approver@example.com"); /* the first one in the document is named */
    s_expect(&r, "yaml", 12, 16, "NUL character");
    s_release(&r);
}

static void test_nul_in_a_key(void **state) {
    (void)state;
    const char text[] = "version: 1\nexclusions: []\n\"x\\0y\": 1\n";
    struct il_diags *diags = il_diags_new();
    struct il_ledger *ledger = NULL;
    assert_int_equal(il_ledger_load_data(text, sizeof(text) - 1, "ledger.yaml", NULL, &ledger, diags), IL_ERR_PARSE);
    assert_int_equal(il_diags_count(diags), 1);
    assert_int_equal(il_diags_get(diags, 0)->line, 3);
    assert_int_equal(il_diags_get(diags, 0)->column, 1);
    il_diags_free(diags);
}

/* Only-invisible texts fail the schema's text rule, located at the value, with its description as the message. */
static void test_invisible_texts_fail(void **state) {
    (void)state;
    static const char *const invisible[] = {
        "   ",            /* ASCII spaces */
        "\\t\\n",         /* control whitespace */
        "\\u3000\\u00a0", /* ideographic and no-break space */
        "\\u2003\\u2028", /* em space, line separator */
        "\\u200b\\ufeff", /* zero-width space, BOM */
        "\\u0007\\u009f", /* C0 and C1 controls */
    };
    for (size_t i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++) {
        struct s_result r = s_load(invisible[i], "SEC-1", "approver@example.com");
        assert_int_equal(r.st, IL_OK);
        assert_int_equal(il_ledger_schema_errors(r.ledger), 1);
        s_expect(&r, "schema", 12, 16, "at least one visible character");
        s_release(&r);
        r = s_load("vendored code", "SEC-1", invisible[i]);
        assert_int_equal(il_ledger_schema_errors(r.ledger), 1);
        s_expect(&r, "schema", 18, 20, "at least one visible character");
        s_release(&r);
    }
    /* one visible character among spaces is enough */
    struct s_result r = s_load("\\u3000x\\u3000", "\\u00e9", "approver@example.com");
    assert_int_equal(il_ledger_schema_errors(r.ledger), 0);
    s_release(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_ledger_loads),
        cmocka_unit_test(test_nul_is_a_located_error),
        cmocka_unit_test(test_nul_in_a_key),
        cmocka_unit_test(test_invisible_texts_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
