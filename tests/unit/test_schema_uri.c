/*
 * Unit tests: $id/$ref resolution (schema_uri.c) against RFC 3986 section 5.
 *
 * Data-driven: tests/data/uri/rfc3986-5.4.tsv holds the RFC's own 5.4 normal and abnormal examples, the 5.2.4
 * remove_dot_segments examples and the schema-identifier cases (empty base, "/.." at the root) that once crashed.
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
#include "il/doc/json.h"
#include "il/mem.h"
#include "il/schema.h"
#include "schema/schema_internal.h"

#define S_TABLE "tests/data/uri/rfc3986-5.4.tsv"

/* The table's notation: "" is the empty string. */
static const char *s_field(const char *f) {
    return strcmp(f, "\"\"") == 0 ? "" : f;
}

static void test_rfc3986_examples(void **state) {
    (void)state;
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(il_read_file(S_TABLE, 0, &data, &len), IL_OK);
    size_t cases = 0;
    size_t failed = 0;
    size_t lineno = 0;
    char *line = data;
    while (line != NULL && *line != '\0') {
        char *nl = strchr(line, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        lineno++;
        if (line[0] != '#' && line[0] != '\0') {
            char *t1 = strchr(line, '\t');
            char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            assert_non_null(t2); /* three fields on every data line */
            *t1 = '\0';
            *t2 = '\0';
            const char *base = s_field(line);
            const char *ref = s_field(t1 + 1);
            const char *want = s_field(t2 + 1);
            char *got = il_uri_resolve(base, ref, strlen(ref));
            assert_non_null(got);
            if (strcmp(got, want) != 0) {
                print_message("%s:%zu: resolve(\"%s\", \"%s\") = \"%s\", want \"%s\"\n", S_TABLE, lineno, base, ref,
                              got, want);
                failed++;
            }
            free(got);
            cases++;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(data);
    assert_int_equal(failed, 0);
    assert_int_equal(cases, 23 + 19 + 2 + 4 + 13); /* RFC 5.4.1, 5.4.2, 5.2.4, ours: none skipped */
}

/* The reference is bounded by its length, not by a NUL: a longer buffer must not leak into the result. */
static void test_reference_length_is_honoured(void **state) {
    (void)state;
    char *got = il_uri_resolve("http://a/b/c/d;p?q", "../gXYZ", 4);
    assert_non_null(got);
    assert_string_equal(got, "http://a/b/g");
    free(got);
}

static void s_compile(const char *text, enum il_status want) {
    struct il_diags *diags = il_diags_new();
    assert_non_null(diags);
    struct il_doc *doc = NULL;
    assert_int_equal(il_json_load(text, strlen(text), "schema.json", &doc, diags), IL_OK);
    struct il_schema *schema = NULL;
    assert_int_equal(il_schema_compile(doc, &schema, diags), want);
    if (want != IL_OK) {
        assert_true(il_diags_count(diags) > 0);
    }
    il_schema_free(schema);
    il_doc_free(doc);
    il_diags_free(diags);
}

/* Issue 13: any $id or $ref starting with "/.." segfaulted the compiler. */
static void test_dot_dot_at_root_compiles(void **state) {
    (void)state;
    s_compile("{\"$id\":\"/../a\"}", IL_OK);
    s_compile("{\"$id\":\"/..\"}", IL_OK);
    s_compile("{\"$ref\":\"/../a\"}", IL_ERR_INVALID); /* unresolvable: a located error, not a crash */
    s_compile("{\"$id\":\"/../a\",\"$defs\":{\"x\":{\"$id\":\"/../b\",\"type\":\"string\"}},\"$ref\":\"/b\"}", IL_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3986_examples),
        cmocka_unit_test(test_reference_length_is_honoured),
        cmocka_unit_test(test_dot_dot_at_root_compiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
