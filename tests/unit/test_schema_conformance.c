/*
 * JSON-Schema-Test-Suite conformance (draft 2020-12): every case of every top-level file, plus the asserted formats
 * optional/format/date.json and date-time.json.
 *
 * Each case is validated twice: in the fast counting mode (no diagnostics) and in the reporting mode, and both must
 * agree with the suite; an invalid instance must also produce at least one diagnostic. Skips are a fixed list below,
 * each with its reason, and every skipped case is printed. A missing suite folder is a skip (exit 77) naming
 * IL_SHARED_DIR, or a failure with IL_REQUIRE_SHARED=1 (tests/unit/shared_suite.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/doc/json.h"
#include "il/doc/node.h"
#include "il/schema.h"
#include "shared_suite.h"

struct skip {
    const char *file;  /* file name relative to draft2020-12/ */
    const char *group; /* group description, NULL: the whole file */
    const char *test;  /* test description, NULL: the whole group */
    const char *reason;
};

#define R_REMOTE "needs a document other than the schema itself (remote or metaschema); only local refs by design"
#define R_DYNAMIC "$dynamicRef/$dynamicAnchor dynamic scope is not implemented (rejected at compile time)"
#define R_UPROP "\\p{...} Unicode property escapes are rejected at schema compile time (no Unicode tables; fail closed)"
#define R_VOCAB "custom metaschemas with $vocabulary are not processed"

static const struct skip s_skips[] = {
    {"dynamicRef.json", NULL, NULL, R_DYNAMIC},
    {"refRemote.json", NULL, NULL, R_REMOTE},
    {"vocabulary.json", NULL, NULL, R_VOCAB},
    {"defs.json", "validate definition against metaschema", NULL, R_REMOTE},
    {"ref.json", "remote ref, containing refs itself", NULL, R_REMOTE},
    {"pattern.json", "pattern with Unicode property escape requires unicode mode", NULL, R_UPROP},
    {"optional/ecmascript-regex.json", "patterns always use unicode semantics with pattern", NULL, R_UPROP},
    {"optional/ecmascript-regex.json", "pattern with non-ASCII digits", NULL, R_UPROP},
    {"optional/ecmascript-regex.json", "patterns always use unicode semantics with patternProperties", NULL, R_UPROP},
    {"optional/ecmascript-regex.json", "patternProperties with non-ASCII digits", NULL, R_UPROP},
    {"patternProperties.json", "patternProperties with Unicode property escape", NULL, R_UPROP},
    {"unevaluatedItems.json", "unevaluatedItems with $dynamicRef", NULL, R_DYNAMIC},
    {"unevaluatedProperties.json", "unevaluatedProperties with $dynamicRef", NULL, R_DYNAMIC},
};

struct totals {
    size_t passed, failed, skipped;
};

static const struct skip *s_find_skip(const char *file, const char *group, const char *test) {
    for (size_t i = 0; i < sizeof(s_skips) / sizeof(s_skips[0]); i++) {
        const struct skip *s = &s_skips[i];
        if (s->reason == NULL || strcmp(s->file, file) != 0) {
            continue;
        }
        if (s->group == NULL || (group != NULL && strcmp(s->group, group) == 0 &&
                                 (s->test == NULL || (test != NULL && strcmp(s->test, test) == 0)))) {
            return s;
        }
    }
    return NULL;
}

static void s_print_diags(const struct il_diags *d) {
    for (size_t i = 0; i < il_diags_count(d); i++) {
        const struct il_diag *g = il_diags_get(d, i);
        printf("      %s:%u:%u: %s [%s] %s\n", g->file ? g->file : "-", g->line, g->column, g->rule,
               g->pointer ? g->pointer : "", g->message);
    }
}

static const char *s_str(const struct il_node *obj, const char *key) {
    const struct il_node *v = il_node_get(obj, key);
    const char *s = v ? il_node_str(v, NULL) : NULL;
    return s ? s : "?";
}

/* One test: returns 1 when both modes agree with the suite. */
static int s_run_test(const struct il_schema *schema, const struct il_node *test, const char *file, const char *group) {
    const struct il_node *data = il_node_get(test, "data");
    const struct il_node *valid = il_node_get(test, "valid");
    const char *desc = s_str(test, "description");
    if (data == NULL || valid == NULL || il_node_type(valid) != IL_NODE_BOOL) {
        printf("  FAIL %s / %s / %s: unreadable test case\n", file, group, desc);
        return 0;
    }
    int expect = il_node_bool(valid);
    size_t fast = 0;
    size_t reported = 0;
    struct il_diags *diags = il_diags_new();
    int ok = diags != NULL && il_schema_validate_node(schema, data, file, NULL, &fast) == IL_OK &&
             il_schema_validate_node(schema, data, file, diags, &reported) == IL_OK;
    ok = ok && (fast == 0) == expect && (reported == 0) == expect && (il_diags_count(diags) == 0) == expect;
    if (!ok) {
        printf("  FAIL %s / %s / %s: expected %s, fast mode %zu error(s), reporting mode %zu error(s)\n", file, group,
               desc, expect ? "valid" : "invalid", fast, reported);
        s_print_diags(diags);
    }
    il_diags_free(diags);
    return ok;
}

static void s_run_group(const struct il_doc *doc, const struct il_node *g, const char *file, int format_assertion,
                        struct totals *t) {
    const char *group = s_str(g, "description");
    const struct il_node *tests = il_node_get(g, "tests");
    const struct il_node *schema_node = il_node_get(g, "schema");
    int pending = 1; /* compile lazily: a fully skipped group is never compiled */
    struct il_schema *schema = NULL;
    struct il_diags *cdiags = il_diags_new();
    assert_non_null(cdiags);
    for (size_t i = 0; tests != NULL && i < il_node_size(tests); i++) {
        const struct il_node *test = il_node_at(tests, i);
        const char *tdesc = s_str(test, "description");
        const struct skip *sk = s_find_skip(file, group, tdesc);
        if (sk != NULL) {
            printf("  SKIP %s / %s / %s: %s\n", file, group, tdesc, sk->reason);
            t->skipped++;
            continue;
        }
        if (pending) {
            pending = 0;
            if (schema_node == NULL ||
                il_schema_compile_node(doc, schema_node, format_assertion, &schema, cdiags) != IL_OK) {
                printf("  FAIL %s / %s: schema did not compile\n", file, group);
                s_print_diags(cdiags);
            }
        }
        if (schema != NULL && s_run_test(schema, test, file, group)) {
            t->passed++;
        } else {
            t->failed++;
        }
    }
    il_schema_free(schema);
    il_diags_free(cdiags);
}

/* Load a suite file with the project's JSON loader (cJSON underneath; strings decoded from the text, so "\u0000" in
 * test data survives) into a document tree. */
static struct il_doc *s_load(const char *dir, const char *file) {
    struct il_buf path;
    il_buf_init(&path, 0);
    assert_int_equal(il_buf_printf(&path, "%s/%s", dir, file), IL_OK);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(il_read_file(il_buf_cstr(&path), 16u << 20, &text, &len), IL_OK);
    struct il_doc *doc = NULL;
    struct il_diags *d = il_diags_new();
    assert_non_null(d);
    if (il_json_load(text, len, file, &doc, d) != IL_OK) {
        s_print_diags(d);
    }
    il_diags_free(d);
    free(text);
    il_buf_release(&path);
    return doc;
}

static void s_run_file(const char *dir, const char *file, int format_assertion, struct totals *t) {
    struct il_doc *doc = s_load(dir, file);
    if (doc == NULL) {
        printf("  FAIL %s: not loadable\n", file);
        t->failed++;
        return;
    }
    const struct il_node *groups = il_doc_root(doc);
    for (size_t i = 0; i < il_node_size(groups); i++) {
        s_run_group(doc, il_node_at(groups, i), file, format_assertion, t);
    }
    il_doc_free(doc);
}

static size_t s_count_cases(const char *dir, const char *file) {
    struct il_doc *doc = s_load(dir, file);
    assert_non_null(doc);
    size_t n = 0;
    const struct il_node *groups = il_doc_root(doc);
    for (size_t i = 0; i < il_node_size(groups); i++) {
        const struct il_node *tests = il_node_get(il_node_at(groups, i), "tests");
        n += tests ? il_node_size(tests) : 0;
    }
    il_doc_free(doc);
    return n;
}

static int s_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_conformance(void **state) {
    (void)state;
    const char *shared = getenv("IL_SHARED_DIR");
    struct il_buf dir;
    il_buf_init(&dir, 0);
    assert_int_equal(il_buf_printf(&dir, "%s/json-schema-test-suite/tests/draft2020-12", shared ? shared : "../shared"),
                     IL_OK);
    DIR *d = opendir(il_buf_cstr(&dir));
    if (d == NULL) {
        printf("schema conformance: suite folder %s is missing\n", il_buf_cstr(&dir));
        fail();
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            names[n++] = il_strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), s_cmp_str);
    assert_true(n >= 40); /* the suite has ~46 top-level files: a truncated copy must not pass quietly */
    struct totals t = {0};
    for (size_t i = 0; i < n; i++) {
        const struct skip *sk = s_find_skip(names[i], NULL, NULL);
        if (sk != NULL && sk->group == NULL) {
            size_t n_cases = s_count_cases(il_buf_cstr(&dir), names[i]);
            printf("  SKIP %s (whole file, %zu cases): %s\n", names[i], n_cases, sk->reason);
            t.skipped += n_cases; /* counted so the summary is honest */
        } else {
            s_run_file(il_buf_cstr(&dir), names[i], 0, &t);
        }
        free(names[i]);
    }
    /* Beyond what the issue asks: optional files about the regex dialect, numbers and identifiers. (Not run:
     * dependencies-compatibility.json tests the pre-2019 `dependencies` keyword, format-assertion.json and
     * cross-draft.json need metaschemas, the other optional/format files test formats we treat as
     * annotations.) */
    static const char *const extras[] = {
        "optional/ecmascript-regex.json",
        "optional/non-bmp-regex.json",
        "optional/bignum.json",
        "optional/float-overflow.json",
        "optional/id.json",
        "optional/anchor.json",
        "optional/unknownKeyword.json",
        "optional/refOfUnknownKeyword.json",
        "optional/no-schema.json",
    };
    for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
        s_run_file(il_buf_cstr(&dir), extras[i], 0, &t);
    }
    s_run_file(il_buf_cstr(&dir), "optional/format/date.json", 1, &t);
    s_run_file(il_buf_cstr(&dir), "optional/format/date-time.json", 1, &t);
    printf("schema conformance: %zu passed, %zu failed, %zu skipped\n", t.passed, t.failed, t.skipped);
    il_buf_release(&dir);
    assert_int_equal(t.failed, 0);
    assert_true(t.passed > 1300);
}

int main(void) {
    struct il_buf dir;
    il_buf_init(&dir, 0);
    if (il_buf_printf(&dir, "%s/json-schema-test-suite/tests/draft2020-12", shared_suite_root()) != IL_OK) {
        return 1;
    }
    shared_suite_require(il_buf_cstr(&dir), "JSON-Schema-Test-Suite",
                         "https://github.com/json-schema-org/JSON-Schema-Test-Suite, "
                         "checked out as json-schema-test-suite/");
    il_buf_release(&dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conformance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
