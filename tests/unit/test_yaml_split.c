/* Unit tests: loading a large ledger in two halves (src/doc/doc_yaml_split.c). The property under test: whenever
 * a split load is accepted, its document is identical (positions included) to the whole-input load, and the whole
 * load succeeds; every cut the join cannot prove is refused. Checked at every line start of the bundled ledgers and
 * of inputs built to defeat the cut. */
#define _GNU_SOURCE /* sched_setaffinity: pin the test to one processor */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above first */

#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc_yaml_internal.h"
#include "il/buf.h"
#include "il/doc/yaml.h"

/* Split at @p at; when accepted, the whole load must succeed and be identical. Returns 1 when accepted. */
static int s_split_agrees(const char *data, size_t len, const struct il_load_limits *limits, size_t at) {
    struct il_load_limits defaults;
    il_load_limits_default(&defaults);
    if (limits == NULL) {
        limits = &defaults;
    }
    struct il_doc *split = NULL;
    int accepted = il_yaml_load_split(data, len, "t.yaml", limits, at, &split);
    if (!accepted) {
        assert_null(split);
        return 0;
    }
    assert_non_null(split);
    struct il_diags *diags = il_diags_new();
    struct il_doc *whole = NULL;
    assert_non_null(diags);
    enum il_status st = il_yaml_load(data, len, "t.yaml", limits, &whole, diags);
    if (st != IL_OK) {
        fail_msg("split at byte %zu accepted a document the whole load rejects: %s", at,
                 il_diags_count(diags) ? il_diags_get(diags, 0)->message : il_status_str(st));
    }
    if (!il_node_identical(il_doc_root(whole), il_doc_root(split))) {
        fail_msg("split at byte %zu gives a different document", at);
    }
    il_doc_free(whole);
    il_doc_free(split);
    il_diags_free(diags);
    return 1;
}

/* Try every line start; returns how many cuts were accepted. */
static size_t s_every_cut(const char *data, size_t len, const struct il_load_limits *limits) {
    size_t accepted = 0;
    for (size_t at = 1; at < len; at++) {
        if (data[at - 1] == '\n') {
            accepted += (size_t)s_split_agrees(data, len, limits, at);
        }
    }
    return accepted;
}

static size_t s_every_cut_text(const char *text) {
    return s_every_cut(text, strlen(text), NULL);
}

/* The cut at the first occurrence of @p marker (a line start) is refused. */
static void s_refused_at(const char *text, const char *marker) {
    const char *p = strstr(text, marker);
    assert_non_null(p);
    struct il_load_limits limits;
    il_load_limits_default(&limits);
    struct il_doc *doc = NULL;
    assert_int_equal(il_yaml_load_split(text, strlen(text), "t.yaml", &limits, (size_t)(p - text), &doc), 0);
    assert_null(doc);
}

static void test_bundled_ledgers(void **state) {
    (void)state;
    static const char *const files[] = {
        "ledger-example/security/inspector-exclusions.yaml",
        "ledger-example/invalid/duplicate-entry.yaml",
        "ledger-example/invalid/expired.yaml",
        "ledger-example/invalid/schema.yaml",
        "ledger-example/invalid/unknown-key.yaml",
        "ledger-example/invalid/yaml.yaml",
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(il_read_file(files[i], 1u << 20, &data, &len), IL_OK);
        size_t accepted = s_every_cut(data, len, NULL);
        if (i == 0) {
            assert_true(accepted >= 3); /* the valid example splits between each pair of its entries */
        }
        free(data);
    }
}

static void test_accepted_shapes(void **state) {
    (void)state;
    /* indented and indentless sequences, CRLF, comments, block scalars (also keeping trailing lines), anchors used
     * within a half, a document start marker, nested sequences */
    assert_int_equal(s_every_cut_text("version: 1\nexclusions:\n  - a: 1\n  - b: 2\n  - c: 3\n"), 2);
    assert_int_equal(s_every_cut_text("exclusions:\n- a: 1\n- b: 2\n"), 1);
    assert_int_equal(s_every_cut_text("v: 1\r\nexclusions:\r\n  - a: 1\r\n  - b: 2\r\n"), 1);
    assert_int_equal(s_every_cut_text("---\nexclusions:\n  # one\n  - a: |+\n      x\n\n  - b: >\n      y\n  - c\n"),
                     2);
    assert_true(s_every_cut_text("exclusions:\n  - &x {a: 1}\n  - b: *x\n  - &y c\n  - *y\n") >= 1);
    assert_int_equal(s_every_cut_text("exclusions:\n  - - 1\n    - 2\n  - - 3\n"), 1);
}

static void test_refused_shapes(void **state) {
    (void)state;
    /* an explicit document end: what follows is a second document */
    s_refused_at("exclusions:\n  - a\n...\n  - b\n", "  - b");
    /* the root's last value is an alias to the sequence, not the sequence */
    s_refused_at("x: &a\n  - 1\ny: *a\n  - 2\n", "  - 2");
    /* a flow sequence at the entries' column */
    s_refused_at("exclusions:\n  [a, b]\n  - c\n", "  - c");
    /* a block scalar at the root swallows the line */
    s_refused_at("notes: |\n  text\n  - fake\n", "  - fake");
    /* a key after the sequence, in the second half */
    s_refused_at("exclusions:\n  - a\n  - b\nversion: 1\n", "  - b");
    /* an alias to an anchor of the first half */
    s_refused_at("exclusions:\n  - &x a\n  - *x\n", "  - *x");
    /* a %TAG directive would change what the second half's tags mean */
    s_refused_at("%TAG !e! tag:example.com,2000:\n---\nexclusions:\n  - a\n  - b\n", "  - b");
    /* a lone CR is a line break to libyaml: the line count of the first half would be off */
    s_refused_at("a: 1\rexclusions:\n  - a\n  - b\n", "  - b");
    /* inside a multi-line quoted scalar */
    s_refused_at("exclusions:\n  - \"one\n  - two\"\n", "  - two");
    /* the cut is not at a line start */
    struct il_load_limits limits;
    il_load_limits_default(&limits);
    struct il_doc *doc = NULL;
    const char *text = "exclusions:\n  - a\n  - b\n";
    assert_int_equal(il_yaml_load_split(text, strlen(text), "t.yaml", &limits, 13, &doc), 0);
    /* every one of these still agrees with the whole load at every other cut */
    s_every_cut_text("exclusions:\n  - a\n...\n  - b\n");
    s_every_cut_text("x: &a\n  - 1\ny: *a\n  - 2\n");
    s_every_cut_text("exclusions:\n  - \"one\n  - two\"\n  - three\n");
}

static void test_limits_hold_for_the_sum(void **state) {
    (void)state;
    const char *text = "exclusions:\n  - [1, 2, 3]\n  - [4, 5, 6]\n";
    struct il_load_limits limits;
    il_load_limits_default(&limits);
    /* 11 nodes in all: each half fits in 8, the whole does not */
    limits.max_nodes = 8;
    const char *cut = strstr(text, "  - [4");
    struct il_doc *doc = NULL;
    assert_int_equal(il_yaml_load_split(text, strlen(text), "t.yaml", &limits, (size_t)(cut - text), &doc), 0);
    limits.max_nodes = 11;
    assert_int_equal(s_split_agrees(text, strlen(text), &limits, (size_t)(cut - text)), 1);
    /* depth: the root mapping, the sequence, an entry = 3 levels */
    limits.max_depth = 2;
    assert_int_equal(il_yaml_load_split(text, strlen(text), "t.yaml", &limits, (size_t)(cut - text), &doc), 0);
    limits.max_depth = 3;
    assert_int_equal(s_split_agrees(text, strlen(text), &limits, (size_t)(cut - text)), 1);
    /* the second half is one level shallower than the whole: its own bound is lowered to match */
    const char *deep = "exclusions:\n  - [1]\n  - [[2]]\n";
    cut = strstr(deep, "  - [[");
    assert_int_equal(il_yaml_load_split(deep, strlen(deep), "t.yaml", &limits, (size_t)(cut - deep), &doc), 0);
    limits.max_depth = 4;
    assert_int_equal(s_split_agrees(deep, strlen(deep), &limits, (size_t)(cut - deep)), 1);
}

/* Lines of the second half are numbered from the file's start, and a large input takes the split path by itself. */
static void test_large_input_positions(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_buf_append(&b, "version: 1\nexclusions:\n", 23), IL_OK);
    size_t entries = 0;
    while (b.len < 3u * 1024 * 1024) {
        assert_int_equal(il_buf_printf(&b, "  - name: entry-%zu\n    note: \"%zu\"\n", entries, entries), IL_OK);
        entries++;
    }
    const char *data = il_buf_cstr(&b);
    size_t len = b.len;
    size_t at = il_yaml_split_point(data, len);
    cpu_set_t all;
    assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
    if (CPU_COUNT(&all) >= 2) {
        assert_true(at > len / 2 && at < len);
        /* pinned to one processor the halves would only take turns (and cost more): no split */
        cpu_set_t one;
        CPU_ZERO(&one);
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (CPU_ISSET(cpu, &all)) {
                CPU_SET(cpu, &one);
                break;
            }
        }
        assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
        assert_int_equal(il_yaml_split_point(data, len), 0);
        assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
    } else {
        assert_int_equal(at, 0);
        char mark[64];
        snprintf(mark, sizeof(mark), "\n  - name: entry-%zu\n", entries / 2);
        at = (size_t)(strstr(data, mark) - data) + 1;
    }
    assert_int_equal(s_split_agrees(data, len, NULL, at), 1);
    struct il_doc *doc = NULL;
    struct il_diags *diags = il_diags_new();
    assert_int_equal(il_yaml_load(data, len, "big.yaml", NULL, &doc, diags), IL_OK);
    const struct il_node *list = il_node_get(il_doc_root(doc), "exclusions");
    assert_int_equal(il_node_size(list), entries);
    const struct il_node *last = il_node_at(list, entries - 1);
    assert_int_equal(il_node_line(last), 3 + 2 * (entries - 1)); /* "name" of entry k is on line 3 + 2k */
    assert_int_equal(il_node_column(last), 5);
    il_doc_free(doc);
    il_diags_free(diags);
    il_buf_release(&b);
    /* small inputs are never split */
    assert_int_equal(il_yaml_split_point("exclusions:\n  - a\n  - b\n", 24), 0);
}

/* The comparison the property rests on must itself tell documents apart: positions, member order, values. */
static struct il_doc *s_load(const char *text) {
    struct il_doc *doc = NULL;
    assert_int_equal(il_yaml_load(text, strlen(text), "t.yaml", NULL, &doc, NULL), IL_OK);
    return doc;
}

static void test_identical_is_strict(void **state) {
    (void)state;
    static const char *const base = "a: [1, x]\nb: {c: 2}\n";
    static const char *const others[] = {
        "a:  [1, x]\nb: {c: 2}\n",  /* a column differs */
        "\na: [1, x]\nb: {c: 2}\n", /* every line differs */
        "b: {c: 2}\na: [1, x]\n",   /* member order */
        "a: [1, y]\nb: {c: 2}\n",   /* a value */
        "a: [1.0, x]\nb: {c: 2}\n", /* the same number, written as a float */
    };
    struct il_doc *a = s_load(base), *same = s_load(base);
    assert_true(il_node_identical(il_doc_root(a), il_doc_root(same)));
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        struct il_doc *b = s_load(others[i]);
        assert_false(il_node_identical(il_doc_root(a), il_doc_root(b)));
        /* JSON Schema equality ignores positions, order and 1 vs 1.0: only the changed value tells these apart */
        assert_int_equal(il_node_equal(il_doc_root(a), il_doc_root(b)), i != 3);
        il_doc_free(b);
    }
    il_doc_free(a);
    il_doc_free(same);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_is_strict),     cmocka_unit_test(test_bundled_ledgers),
        cmocka_unit_test(test_accepted_shapes),         cmocka_unit_test(test_refused_shapes),
        cmocka_unit_test(test_limits_hold_for_the_sum), cmocka_unit_test(test_large_input_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
