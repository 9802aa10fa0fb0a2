/*
 * Unit tests for the JSON loader and the schema validator's diagnostics: exact locations, pointers and messages,
 * did-you-mean, depth limits, schema-file errors, and the regex engine (DFA and Pike VM must agree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "il/buf.h"
#include "il/doc/json.h"
#include "il/schema.h"
#include "schema/schema_internal.h"
#include "schema/schema_regex.h"

/* ---- helpers ---- */

static struct il_doc *s_json(const char *text, const char *name) {
    struct il_doc *doc = NULL;
    struct il_diags *d = il_diags_new();
    assert_non_null(d);
    enum il_status st = il_json_load(text, strlen(text), name, &doc, d);
    if (st != IL_OK) {
        for (size_t i = 0; i < il_diags_count(d); i++) {
            printf("%s\n", il_diags_get(d, i)->message);
        }
    }
    assert_int_equal(st, IL_OK);
    il_diags_free(d);
    return doc;
}

struct run {
    struct il_doc *sdoc, *idoc;
    struct il_schema *schema;
    struct il_diags *diags;
    size_t errors;
};

static void s_run(struct run *r, const char *schema, const char *instance) {
    memset(r, 0, sizeof(*r));
    r->sdoc = s_json(schema, "schema.json");
    r->idoc = s_json(instance, "doc.json");
    r->diags = il_diags_new();
    assert_int_equal(il_schema_compile(r->sdoc, &r->schema, r->diags), IL_OK);
    size_t fast = 0;
    assert_int_equal(il_schema_validate(r->schema, r->idoc, NULL, &fast), IL_OK);
    assert_int_equal(il_schema_validate(r->schema, r->idoc, r->diags, &r->errors), IL_OK);
    /* the fast path and the reporting path must agree */
    assert_int_equal(fast, r->errors);
    il_diags_sort(r->diags);
    if (getenv("IL_TEST_VERBOSE") != NULL) {
        for (size_t i = 0; i < il_diags_count(r->diags); i++) {
            const struct il_diag *d = il_diags_get(r->diags, i);
            printf("  %u:%u %s [%s]\n", d->line, d->column, d->message, d->pointer);
        }
    }
}

static void s_done(struct run *r) {
    il_schema_free(r->schema);
    il_doc_free(r->sdoc);
    il_doc_free(r->idoc);
    il_diags_free(r->diags);
}

static const struct il_diag *s_find(const struct run *r, const char *needle) {
    for (size_t i = 0; i < il_diags_count(r->diags); i++) {
        const struct il_diag *d = il_diags_get(r->diags, i);
        if (strstr(d->message, needle) != NULL) {
            return d;
        }
    }
    for (size_t i = 0; i < il_diags_count(r->diags); i++) {
        printf("  have: %u:%u %s [%s]\n", il_diags_get(r->diags, i)->line, il_diags_get(r->diags, i)->column,
               il_diags_get(r->diags, i)->message, il_diags_get(r->diags, i)->pointer);
    }
    fail_msg("no diagnostic contains \"%s\"", needle);
    return NULL;
}

static void s_expect(const struct run *r, const char *message, unsigned line, unsigned col, const char *pointer) {
    const struct il_diag *d = NULL;
    for (size_t i = 0; i < il_diags_count(r->diags) && d == NULL; i++) {
        const struct il_diag *g = il_diags_get(r->diags, i);
        d = strcmp(g->message, message) == 0 && strcmp(g->pointer, pointer) == 0 ? g : NULL;
    }
    if (d == NULL) {
        d = s_find(r, message); /* prints what there is, then fails */
    }
    assert_string_equal(d->message, message);
    assert_string_equal(d->rule, "schema");
    assert_int_equal(d->severity, IL_SEV_ERROR);
    assert_string_equal(d->file, "doc.json");
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, col);
    assert_string_equal(d->pointer, pointer);
}

/* ---- JSON loader ---- */

static void test_json_positions(void **state) {
    (void)state;
    struct il_doc *doc = s_json("{\n  \"a\": [1, 2.0,\n        \"x\\u00e9\\u0000y\"],\n  \"b\": null\n}", "p.json");
    const struct il_node *root = il_doc_root(doc);
    assert_int_equal(il_node_line(root), 1);
    assert_int_equal(il_node_column(root), 1);
    const struct il_node *a = il_node_get(root, "a");
    assert_int_equal(il_node_line(a), 2);
    assert_int_equal(il_node_column(a), 8);
    assert_int_equal(il_node_line(il_node_key_at(root, 1)), 4);
    assert_int_equal(il_node_column(il_node_key_at(root, 1)), 3);
    assert_true(il_node_is_integer(il_node_at(a, 1))); /* 2.0 is an integer for JSON Schema */
    const struct il_node *s = il_node_at(a, 2);
    assert_int_equal(il_node_line(s), 3);
    assert_int_equal(il_node_column(s), 9);
    size_t len = 0;
    const char *str = il_node_str(s, &len);
    assert_int_equal(len, 5); /* x, two bytes of e-acute, NUL, y: the NUL does not truncate */
    assert_memory_equal(str, "x\xc3\xa9\0y", 5);
    il_doc_free(doc);
}

static void s_json_error(const char *text, const char *needle, unsigned line, unsigned col) {
    struct il_doc *doc = NULL;
    struct il_diags *d = il_diags_new();
    assert_int_equal(il_json_load(text, strlen(text), "bad.json", &doc, d), IL_ERR_PARSE);
    assert_null(doc);
    assert_int_equal(il_diags_count(d), 1);
    const struct il_diag *g = il_diags_get(d, 0);
    assert_string_equal(g->rule, "json");
    assert_non_null(strstr(g->message, needle));
    assert_int_equal(g->line, line);
    assert_int_equal(g->column, col);
    il_diags_free(d);
}

static void test_json_errors(void **state) {
    (void)state;
    s_json_error("{\n  \"a\": 1,\n  \"b\" 2\n}", "syntax error", 3, 7);
    s_json_error("{\"a\": 1}\n  x", "syntax error", 2, 3);
    s_json_error("", "empty", 1, 1);
    s_json_error("{\"k\": 1,\n \"k\": 2}", "duplicate key", 2, 2);
    s_json_error("[\"\xff\"]", "UTF-8", 1, 2);
    s_json_error("[\"\\ud800\"]", "syntax error", 1, 3); /* cJSON itself rejects a lone surrogate */
}

/* ---- diagnostics ---- */

static const char *s_ledger_schema =
    "{\"type\":\"object\",\"required\":[\"version\",\"exclusions\"],\"additionalProperties\":false,\n"
    " \"properties\":{\"version\":{\"const\":1},\n"
    "  \"exclusions\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/entry\"}}},\n"
    " \"$defs\":{\"date\":{\"type\":\"string\",\"format\":\"date\"},\n"
    "  \"text\":{\"type\":\"string\",\"minLength\":1},\n"
    "  "
    "\"entry\":{\"type\":\"object\",\"required\":[\"scan_type\",\"dates\",\"ticket\"],\"additionalProperties\":false,\n"
    "   \"properties\":{\"scan_type\":{\"enum\":[\"standard\",\"code\"]},\n"
    "    \"ticket\":{\"$ref\":\"#/$defs/text\",\"pattern\":\"^SEC-[0-9]+$\"},\n"
    "    \"dates\":{\"type\":\"object\",\"required\":[\"applied_at\",\"expires_at\"],\"additionalProperties\":false,\n"
    "     \"properties\":{\"applied_at\":{\"$ref\":\"#/$defs/date\"},\"expires_at\":{\"$ref\":\"#/$defs/date\"}}}}}}}";

static void test_valid_document(void **state) {
    (void)state;
    struct run r;
    s_run(&r, s_ledger_schema,
          "{\"version\":1,\"exclusions\":[{\"scan_type\":\"code\",\"ticket\":\"SEC-1\",\n"
          "\"dates\":{\"applied_at\":\"2028-02-29\",\"expires_at\":\"2028-03-01\"}}]}");
    assert_int_equal(r.errors, 0);
    assert_int_equal(il_diags_count(r.diags), 0);
    s_done(&r);
}

static void test_ledger_diagnostics(void **state) {
    (void)state;
    struct run r;
    s_run(&r, s_ledger_schema,
          "{\"version\": 2,\n"
          " \"exclusions\": [\n"
          "  {\"scan_type\": \"standrad\",\n"
          "   \"ticket\": \"\",\n"
          "   \"dates\": {\"applied_at\": \"2026-02-29\",\n"
          "             \"expire_at\": \"2027-01-01\"}},\n"
          "  {\"scan_type\": 7, \"ticket\": \"JIRA-9\", \"dates\": {}, \"extra\": true}]}");
    s_expect(&r, "`version` must be `1`, got number `2`", 1, 13, "/version");
    s_expect(&r, "`scan_type` must be one of `standard`, `code`, got string `standrad`; did you mean `standard`?", 3,
             17, "/exclusions/0/scan_type");
    s_expect(&r, "`ticket` must not be empty", 4, 14, "/exclusions/0/ticket");
    s_expect(&r, "`ticket` must match the pattern `^SEC-[0-9]+$`, got ``", 4, 14, "/exclusions/0/ticket");
    s_expect(&r, "`applied_at` must be a calendar date (YYYY-MM-DD), got `2026-02-29`", 5, 28,
             "/exclusions/0/dates/applied_at");
    /* the unknown key is located at the key itself and names the key that was meant */
    s_expect(&r, "unknown key `expire_at` in `dates`: did you mean `expires_at`?", 6, 14,
             "/exclusions/0/dates/expire_at");
    /* the missing key is located at the object and suggests the misspelling */
    s_expect(&r, "`dates` is missing required key `expires_at` (is `expire_at` a misspelling of it?)", 5, 13,
             "/exclusions/0/dates");
    s_expect(&r, "`scan_type` must be one of `standard`, `code`, got number `7`", 7, 17, "/exclusions/1/scan_type");
    s_expect(&r, "`ticket` must match the pattern `^SEC-[0-9]+$`, got `JIRA-9`", 7, 30, "/exclusions/1/ticket");
    s_expect(&r, "`dates` is missing required key `applied_at`", 7, 49, "/exclusions/1/dates");
    s_expect(&r, "`dates` is missing required key `expires_at`", 7, 49, "/exclusions/1/dates");
    s_expect(&r, "unknown key `extra` in `exclusions[1]`; allowed keys: `scan_type`, `ticket`, `dates`", 7, 53,
             "/exclusions/1/extra");
    assert_int_equal(r.errors, 12);
    assert_int_equal(il_diags_count(r.diags), 12);
    s_done(&r);
}

static void test_pattern_message_and_suggestions(void **state) {
    (void)state;
    struct run r;
    s_run(&r,
          "{\"properties\":{\"summary\":{\"$ref\":\"#/$defs/text\"}},\"required\":[\"approved_by\",\"applied_by\"],\n"
          "\"$defs\":{\"text\":{\"description\":\"A non-blank string. Used for prose.\",\"pattern\":\"[^ \\t]\"}}}",
          "{\"summary\": \" \\t \", \"approved_by\": \"a\"}");
    /* the pattern is shown as written in JSON (one line), the description says what was meant */
    s_expect(&r, "`summary` must match the pattern `[^ \\t]`, got ` \t `: a non-blank string", 1, 13, "/summary");
    /* `approved_by` is a key of its own, not a misspelling of the missing `applied_by` */
    s_expect(&r, "the document is missing required key `applied_by`", 1, 1, "");
    s_done(&r);
}

static void test_root_and_types(void **state) {
    (void)state;
    struct run r;
    s_run(&r, s_ledger_schema, "[1]");
    s_expect(&r, "the document must be an object, got an array", 1, 1, "");
    s_done(&r);
    s_run(&r, "{\"type\":[\"integer\",\"null\"],\"maximum\":3}", "2.5");
    s_expect(&r, "the document must be an integer or null, got number `2.5`", 1, 1, "");
    s_done(&r);
    s_run(&r, "{\"items\":{\"exclusiveMaximum\":3,\"multipleOf\":2}}", "[3, 5]");
    s_expect(&r, "`[0]` must be less than 3, got 3", 1, 2, "/0");
    s_expect(&r, "`[0]` must be a multiple of 2, got 3", 1, 2, "/0");
    s_expect(&r, "`[1]` must be less than 3, got 5", 1, 5, "/1");
    s_done(&r);
}

static void test_arrays_and_dependencies(void **state) {
    (void)state;
    struct run r;
    s_run(&r,
          "{\"properties\":{\"tags\":{\"uniqueItems\":true,\"maxItems\":3,\"contains\":{\"const\":\"x\"}},\n"
          "\"list\":{\"prefixItems\":[{\"type\":\"string\"}],\"items\":false}},\n"
          "\"dependentRequired\":{\"tags\":[\"owner\"]}}",
          "{\"tags\": [\"a\", \"b\", \"a\", \"c\"], \"list\": [\"s\", 1]}");
    s_expect(&r, "`tags[2]` repeats item 0; items must be unique", 1, 21, "/tags/2");
    s_expect(&r, "`tags` must have at most 3 items, got 4", 1, 10, "/tags");
    s_expect(&r, "`tags` must contain at least 1 item matching the `contains` schema, found 0", 1, 10, "/tags");
    s_expect(&r, "`list` must have at most 1 item, got 2", 1, 40, "/list");
    s_expect(&r, "the document has key `tags`, which requires key `owner` too", 1, 1, "");
    assert_int_equal(r.errors, 5);
    s_done(&r);
}

static void test_any_of_reports_one_branch(void **state) {
    (void)state;
    struct run r;
    /* the string branch is ruled out by type, so only the object branch's own problem is reported */
    s_run(&r,
          "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"object\",\"required\":[\"arn\"],"
          "\"properties\":{\"arn\":{\"type\":\"string\"}}}]}",
          "{\"arn\": 5}");
    assert_int_equal(il_diags_count(r.diags), 1);
    s_expect(&r, "`arn` must be a string, got number `5`", 1, 9, "/arn");
    s_done(&r);
    /* every branch ruled out by type: one summary line */
    s_run(&r, "{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"boolean\"}]}", "5");
    assert_int_equal(il_diags_count(r.diags), 1);
    s_expect(&r, "the document must be a string or a boolean, got number `5`", 1, 1, "");
    s_done(&r);
    s_run(&r, "{\"oneOf\":[{\"minimum\":1},{\"maximum\":9}],\"not\":{\"const\":5}}", "5");
    s_expect(&r, "the document matches alternatives 0 and 1 of `oneOf` but must match exactly one", 1, 1, "");
    s_expect(&r, "the document matches the schema under `not`, which it must not", 1, 1, "");
    s_done(&r);
}

static void test_property_names_and_unevaluated(void **state) {
    (void)state;
    struct run r;
    s_run(&r,
          "{\"propertyNames\":{\"pattern\":\"^[a-z_]+$\"},\"properties\":{\"a\":true},"
          "\"allOf\":[{\"properties\":{\"b\":true}}],\"unevaluatedProperties\":false}",
          "{\"a\": 1, \"b\": 2, \"Bad\": 3}");
    s_expect(&r, "key `Bad` must match the pattern `^[a-z_]+$`, got `Bad`", 1, 18, "/Bad");
    s_expect(&r, "unknown key `Bad` in the document; allowed keys: `a`", 1, 18, "/Bad");
    assert_int_equal(r.errors, 2);
    s_done(&r);
}

static void test_depth_limits(void **state) {
    (void)state;
    struct run r;
    /* a $ref loop that makes no progress on the instance */
    s_run(&r,
          "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\",\"type\":\"integer\"}},"
          "\"$ref\":\"#/$defs/a\"}",
          "1");
    assert_int_equal(r.errors, 1);
    assert_int_equal(il_diags_count(r.diags), 1);
    assert_non_null(strstr(il_diags_get(r.diags, 0)->message, "more than 256 nested schema evaluations"));
    assert_string_equal(il_diags_get(r.diags, 0)->pointer, "");
    s_done(&r);
    /* a deep instance against a recursive schema */
    struct il_buf deep;
    il_buf_init(&deep, 0);
    for (int i = 0; i < 400; i++) {
        assert_int_equal(il_buf_putc(&deep, '['), IL_OK);
    }
    for (int i = 0; i < 400; i++) {
        assert_int_equal(il_buf_putc(&deep, ']'), IL_OK);
    }
    s_run(&r, "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}", il_buf_cstr(&deep));
    assert_true(r.errors >= 1);
    const struct il_diag *d = s_find(&r, "nested schema evaluations");
    /* located where the limit was hit: deep inside the instance */
    assert_int_equal(d->column, 257);
    assert_int_equal(strncmp(d->pointer, "/0/0/0/0/", 9), 0);
    s_done(&r);
    /* the same depth inside `not` still fails closed */
    s_run(&r, "{\"not\":{\"$ref\":\"#/$defs/x\"},\"$defs\":{\"x\":{\"items\":{\"$ref\":\"#/$defs/x\"}}}}",
          il_buf_cstr(&deep));
    assert_true(r.errors >= 1);
    s_done(&r);
    il_buf_release(&deep);
}

static void s_bad_schema(const char *schema, const char *needle, unsigned line, unsigned col) {
    struct il_doc *doc = s_json(schema, "bad.schema.json");
    struct il_diags *d = il_diags_new();
    struct il_schema *s = NULL;
    assert_int_equal(il_schema_compile(doc, &s, d), IL_ERR_INVALID);
    assert_null(s);
    assert_true(il_diags_count(d) >= 1);
    const struct il_diag *g = il_diags_get(d, 0);
    if (strstr(g->message, needle) == NULL) {
        fail_msg("\"%s\" does not contain \"%s\"", g->message, needle);
    }
    assert_string_equal(g->rule, "schema-file");
    assert_string_equal(g->file, "bad.schema.json");
    assert_int_equal(g->line, line);
    assert_int_equal(g->column, col);
    il_diags_free(d);
    il_doc_free(doc);
}

static void test_bad_schemas(void **state) {
    (void)state;
    s_bad_schema("{\"type\": \"strnig\"}", "`type` must be a type name", 1, 10);
    s_bad_schema("{\"properties\": {\"a\": {\"pattern\": \"(?=x)\"}}}", "lookahead assertions are not supported", 1,
                 34);
    s_bad_schema("{\"pattern\": \"\\\\p{L}\"}", "Unicode property escapes", 1, 13);
    s_bad_schema("{\"pattern\": \"(a\"}", "missing ')'", 1, 13);
    s_bad_schema("{\"pattern\": \"a{3,1}\"}", "out of order", 1, 13);
    s_bad_schema("{\"pattern\": \"(a)\\\\1\"}", "backreferences", 1, 13);
    s_bad_schema("{\n \"$ref\": \"#/$defs/nope\"}", "points to nothing", 2, 10);
    s_bad_schema("{\"$ref\": \"https://example.com/s.json\"}", "only references within this schema document", 1, 10);
    s_bad_schema("{\"minLength\": -1}", "`minLength` must be a non-negative integer", 1, 15);
    s_bad_schema("{\"multipleOf\": 0}", "greater than 0", 1, 16);
    s_bad_schema("{\"items\": [{}]}", "use `prefixItems`", 1, 11);
    s_bad_schema("{\"$dynamicRef\": \"#x\"}", "`$dynamicRef` is not supported", 1, 17);
    s_bad_schema("{\"anyOf\": []}", "non-empty array of schemas", 1, 11);
    s_bad_schema("{\"properties\": {\"a\": 5}}", "a schema must be an object or a boolean", 1, 22);
    s_bad_schema("{\"required\": [\"a\", 1]}", "an array of strings", 1, 20);
}

static void test_format_annotation_mode(void **state) {
    (void)state;
    struct il_doc *s = s_json("{\"format\": \"date\"}", "s.json");
    struct il_doc *i = s_json("\"2026-13-01\"", "i.json");
    struct il_schema *asserting = NULL;
    struct il_schema *annotating = NULL;
    assert_int_equal(il_schema_compile(s, &asserting, NULL), IL_OK);
    assert_int_equal(il_schema_compile_node(s, NULL, 0, &annotating, NULL), IL_OK);
    size_t e = 0;
    assert_int_equal(il_schema_validate(asserting, i, NULL, &e), IL_OK);
    assert_int_equal(e, 1);
    assert_int_equal(il_schema_validate(annotating, i, NULL, &e), IL_OK);
    assert_int_equal(e, 0);
    il_schema_free(asserting);
    il_schema_free(annotating);
    il_doc_free(s);
    il_doc_free(i);
}

/* ---- building blocks ---- */

static void test_formats(void **state) {
    (void)state;
    assert_true(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "2028-02-29", 10));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "2026-02-29", 10));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "1900-02-29", 10));
    assert_true(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "2000-02-29", 10));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "2026-04-31", 10));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "2026-1-01", 9));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE, "2026-01-01\n", 11));
    assert_true(il_schema_format_check(IL_SCHEMA_FORMAT_DATE_TIME, "2026-01-01T00:00:00Z", 20));
    assert_true(il_schema_format_check(IL_SCHEMA_FORMAT_DATE_TIME, "2026-12-31T15:59:60-08:00", 25));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE_TIME, "2026-12-31T23:59:60+01:00", 25));
    assert_false(il_schema_format_check(IL_SCHEMA_FORMAT_DATE_TIME, "2026-01-01 00:00:00Z", 20));
}

static void test_suggest(void **state) {
    (void)state;
    const struct il_sref keys[] = {{"applied_at", 10}, {"expires_at", 10}, {"next_review_at", 14}};
    assert_int_equal(il_suggest("expire_at", 9, keys, 3), 1);
    assert_int_equal(il_suggest("expiers_at", 10, keys, 3), 1); /* transposition costs one edit */
    assert_int_equal(il_suggest("Applied_At", 10, keys, 3), 0);
    assert_int_equal(il_suggest("owner", 5, keys, 3), -1);
    const struct il_sref short_keys[] = {{"ttl", 3}};
    assert_int_equal(il_suggest("id", 2, short_keys, 1), -1);
}

static void test_uri(void **state) {
    (void)state;
    static const char *const cases[][3] = {
        {"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
        {"http://a/b/c/d;p?q", "../g", "http://a/b/g"},
        {"http://a/b/c/d;p?q", "/./g", "http://a/g"},
        {"http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
        {"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
        {"urn:uuid:1234", "#/$defs/x", "urn:uuid:1234#/$defs/x"},
        {"", "#foo", "#foo"},
        {"http://x/y/", "z.json", "http://x/y/z.json"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *r = il_uri_resolve(cases[i][0], cases[i][1], strlen(cases[i][1]));
        assert_non_null(r);
        assert_string_equal(r, cases[i][2]);
        free(r);
    }
}

/* The DFA (ASCII) and the Pike VM (non-ASCII subjects) must agree: each pattern is tried on an ASCII subject and on
 * the same subject with a non-ASCII suffix or prefix where that cannot change the answer. */
static int s_match(const char *pattern, const char *subject) {
    struct il_regex *re = NULL;
    const char *why = NULL;
    if (il_regex_compile(pattern, strlen(pattern), &re, &why) != IL_OK) {
        fail_msg("pattern %s: %s", pattern, why);
    }
    int r = il_regex_search(re, subject, strlen(subject));
    il_regex_free(re);
    return r;
}

static void test_regex(void **state) {
    (void)state;
    static const struct {
        const char *pattern, *subject;
        int match;
    } cases[] = {
        {"^[a-zA-Z0-9_-]{1,64}$", "orders-api", 1},
        {"^[a-zA-Z0-9_-]{1,64}$", "orders api", 0},
        {"^[a-zA-Z0-9_-]{1,64}$", "", 0},
        {"^[a-z]{2,3}$", "abcd", 0},
        {"^[a-z]{2,3}$", "ab", 1},
        {"^\\d{12}$", "111122223333", 1},
        {"^\\d{12}$", "11112222333", 0},
        {"\\s", "no-space", 0},
        {"\\S", " \t", 0},
        {"^\\w+$", "snake_case1", 1},
        {"^\\W$", "_", 0},
        {"colou?r", "the color red", 1},
        {"^(?:ab|cd)+$", "abcdab", 1},
        {"^(?:ab|cd)+$", "abca", 0},
        {"^(?<year>\\d{4})-\\d\\d$", "2026-02", 1},
        {"a.c", "a\nc", 0},
        {"a.c", "a-c", 1},
        {"^$", "", 1},
        {"x$", "x\n", 0},
        {"^a*?b", "aaab", 1},
        {"\\bfoo\\b", "a foo b", 1},
        {"\\bfoo\\b", "afoob", 0},
        {"\\Bfoo", "afoo", 1},
        {"[\\d-z]", "-", 1},
        {"^[^\\x41-\\x5a]$", "A", 0},
        {"^\\u00e9$", "\xc3\xa9", 1},
        {"^.$", "\xc3\xa9", 1},                      /* one code point, not two bytes */
        {"^.$", "\xf0\x9f\x98\x80", 1},              /* astral code point */
        {"^\\ud83d\\ude00$", "\xf0\x9f\x98\x80", 1}, /* surrogate pair escape */
        {"^[\\u00e0-\\u00ff]+$", "\xc3\xa9\xc3\xa0", 1},
        {"a{2}", "caab", 1},
        {"{", "{", 1},
        {"a]", "a]", 1},
        {"^SEC-[0-9]+$", "SEC-12", 1},
        {"^SEC-[0-9]+$", "SEC-12\xc3\xa9", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = s_match(cases[i].pattern, cases[i].subject);
        if (got != cases[i].match) {
            fail_msg("/%s/ on \"%s\": got %d", cases[i].pattern, cases[i].subject, got);
        }
    }
}

static void test_regex_linear_time(void **state) {
    (void)state;
    /* catastrophic for a backtracking engine: must finish in well under a second here */
    struct il_buf s;
    il_buf_init(&s, 0);
    for (int i = 0; i < 20000; i++) {
        assert_int_equal(il_buf_putc(&s, 'a'), IL_OK);
    }
    assert_int_equal(il_buf_puts(&s, "!\xc3\xa9"), IL_OK); /* non-ASCII: forces the Pike VM */
    clock_t t0 = clock();
    assert_int_equal(s_match("^(a+)+$", il_buf_cstr(&s)), 0);
    assert_int_equal(s_match("^(a|aa)*$", il_buf_cstr(&s)), 0);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    il_buf_release(&s);
    struct il_regex *re = NULL;
    const char *why = NULL;
    /* repetition counts that would expand into a huge program are refused, not allocated */
    assert_int_equal(il_regex_compile("(a{1000}){1000}", 15, &re, &why), IL_ERR_INVALID);
    assert_non_null(strstr(why, "too large"));
}

/* Random patterns and subjects over a small alphabet: the DFA, when it decides, must agree with the Pike VM. */
static unsigned s_rand(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7FFF;
}

static void s_random_pattern(unsigned *seed, struct il_buf *b, int depth) {
    static const char *const atoms[] = {"a", "b", ".", "[ab]", "[^a]", "\\d", "1", "c?", "(?:ab)", "x"};
    static const char *const quants[] = {"", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?"};
    int n = 1 + (int)(s_rand(seed) % 4);
    for (int i = 0; i < n; i++) {
        unsigned k = s_rand(seed) % 14;
        if (k < 10) {
            assert_int_equal(il_buf_puts(b, atoms[k]), IL_OK);
        } else if (k < 12 && depth < 3) {
            assert_int_equal(il_buf_putc(b, '('), IL_OK);
            s_random_pattern(seed, b, depth + 1);
            assert_int_equal(il_buf_putc(b, '|'), IL_OK);
            s_random_pattern(seed, b, depth + 1);
            assert_int_equal(il_buf_putc(b, ')'), IL_OK);
        } else {
            assert_int_equal(il_buf_puts(b, k == 12 ? "^" : "$"), IL_OK);
            continue; /* an assertion takes no quantifier */
        }
        assert_int_equal(il_buf_puts(b, quants[s_rand(seed) % 10]), IL_OK);
    }
}

static void test_regex_dfa_matches_pike(void **state) {
    (void)state;
    unsigned seed = 20261122u;
    size_t decided = 0;
    for (int round = 0; round < 1500; round++) {
        struct il_buf pat;
        il_buf_init(&pat, 0);
        s_random_pattern(&seed, &pat, 0);
        struct il_regex *re = NULL;
        const char *why = NULL;
        if (il_regex_compile(pat.data, pat.len, &re, &why) != IL_OK) { /* e.g. "c?*": nothing to repeat */
            assert_non_null(why);
            il_buf_release(&pat);
            continue;
        }
        for (int k = 0; k < 20; k++) {
            char subject[12];
            size_t len = s_rand(&seed) % sizeof(subject);
            for (size_t i = 0; i < len; i++) {
                subject[i] = "ab1xc"[s_rand(&seed) % 5];
            }
            int dfa = il_re_dfa_run(re, (const unsigned char *)subject, len);
            int pike = il_re_pike(re, (const unsigned char *)subject, len);
            if (dfa >= 0) {
                decided++;
                if (dfa != pike) {
                    fail_msg("/%s/ on \"%.*s\": DFA %d, Pike VM %d", pat.data, (int)len, subject, dfa, pike);
                }
            }
        }
        il_regex_free(re);
        il_buf_release(&pat);
    }
    assert_true(decided > 20000); /* the DFA really ran (most subjects are non-empty ASCII) */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_positions),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_valid_document),
        cmocka_unit_test(test_ledger_diagnostics),
        cmocka_unit_test(test_pattern_message_and_suggestions),
        cmocka_unit_test(test_root_and_types),
        cmocka_unit_test(test_arrays_and_dependencies),
        cmocka_unit_test(test_any_of_reports_one_branch),
        cmocka_unit_test(test_property_names_and_unevaluated),
        cmocka_unit_test(test_depth_limits),
        cmocka_unit_test(test_bad_schemas),
        cmocka_unit_test(test_format_annotation_mode),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_uri),
        cmocka_unit_test(test_regex),
        cmocka_unit_test(test_regex_linear_time),
        cmocka_unit_test(test_regex_dfa_matches_pike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
