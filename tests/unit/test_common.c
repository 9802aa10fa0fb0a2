/* Unit tests: bounded buffer, diagnostics collection, document tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/diag.h"
#include "il/doc/node.h"

static void test_buf_limit_is_enforced(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 8);
    assert_int_equal(il_buf_puts(&b, "12345678"), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "12345678");
    assert_int_equal(il_buf_putc(&b, '9'), IL_ERR_LIMIT);
    /* once failed, later appends keep failing so one check at the end suffices */
    assert_int_equal(il_buf_puts(&b, ""), IL_ERR_LIMIT);
    assert_int_equal(il_buf_status(&b), IL_ERR_LIMIT);
    il_buf_release(&b);
}

static void test_buf_printf(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_buf_printf(&b, "%s:%u:%u", "f.yaml", 3u, 7u), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "f.yaml:3:7");
    char *s = il_buf_take(&b);
    assert_string_equal(s, "f.yaml:3:7");
    free(s);
    assert_string_equal(il_buf_cstr(&b), "");
    il_buf_release(&b);
}

/* il_buf_say: appends like printf, accepts NULL, and a reason over the bound only marks the buffer. */
static void test_buf_say(void **state) {
    (void)state;
    il_buf_say(NULL, "nobody asked %d", 1);
    struct il_buf b;
    il_buf_init(&b, 12);
    il_buf_say(&b, "%s %d", "why:", 42);
    assert_string_equal(il_buf_cstr(&b), "why: 42");
    assert_int_equal(il_buf_status(&b), IL_OK);
    il_buf_say(&b, "%s", " and much more");
    assert_int_equal(il_buf_status(&b), IL_ERR_LIMIT);
    assert_int_equal(strncmp(il_buf_cstr(&b), "why: 42", 7), 0);
    il_buf_release(&b);
}

static void test_diags_sort_and_count(void **state) {
    (void)state;
    struct il_diags *d = il_diags_new();
    assert_non_null(d);
    assert_int_equal(il_diags_addf(d, IL_SEV_WARNING, "expiring-soon", "a.yaml", 9, 5, NULL, "w %d", 1), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "expired", "a.yaml", 9, 5, "arn:x", "e"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_NOTICE, "not-checked", NULL, 0, 0, NULL, "n"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "schema", "a.yaml", 2, 1, NULL, "s"), IL_OK);
    il_diags_sort(d);
    assert_string_equal(il_diags_get(d, 0)->rule, "schema");
    assert_string_equal(il_diags_get(d, 1)->rule, "expired"); /* same place: errors first */
    assert_string_equal(il_diags_get(d, 1)->function_arn, "arn:x");
    assert_string_equal(il_diags_get(d, 2)->message, "w 1");
    assert_null(il_diags_get(d, 3)->file); /* no file: last */
    assert_int_equal(il_diags_count_at_least(d, IL_SEV_WARNING), 3);
    assert_int_equal(il_diags_count_severity(d, IL_SEV_ERROR), 2);
    il_diags_free(d);
}

static void test_node_object_duplicate_and_hash(void **state) {
    (void)state;
    struct il_doc *doc = il_doc_new("x.yaml");
    struct il_node *obj = il_node_new_object(doc, 1, 1);
    char key[32];
    for (int i = 0; i < 200; i++) {
        int n = snprintf(key, sizeof(key), "k%d", i);
        struct il_node *k = il_node_new_string(doc, key, (size_t)n, (unsigned)i + 1, 1);
        struct il_node *v = il_node_new_number(doc, i, 1, (unsigned)i + 1, 5);
        assert_int_equal(il_node_object_put(doc, obj, k, v), IL_OK);
    }
    struct il_node *dup = il_node_new_string(doc, "k150", 4, 300, 1);
    assert_int_equal(il_node_object_put(doc, obj, dup, il_node_new_null(doc, 300, 7)), IL_ERR_INVALID);
    assert_int_equal(il_node_size(obj), 200);
    assert_true(il_node_number(il_node_get(obj, "k150")) == 150.0);
    assert_int_equal(il_node_line(il_node_key_at(obj, 3)), 4);
    assert_null(il_node_get(obj, "missing"));
    il_doc_free(doc);
}

static void test_node_equal(void **state) {
    (void)state;
    struct il_doc *doc = il_doc_new(NULL);
    struct il_node *a = il_node_new_object(doc, 1, 1), *b = il_node_new_object(doc, 1, 1);
    assert_int_equal(
        il_node_object_put(doc, a, il_node_new_string(doc, "x", 1, 1, 1), il_node_new_number(doc, 1.0, 1, 1, 1)),
        IL_OK);
    assert_int_equal(il_node_object_put(doc, a, il_node_new_string(doc, "y", 1, 1, 1), il_node_new_null(doc, 1, 1)),
                     IL_OK);
    assert_int_equal(il_node_object_put(doc, b, il_node_new_string(doc, "y", 1, 1, 1), il_node_new_null(doc, 1, 1)),
                     IL_OK);
    assert_false(il_node_equal(a, b));
    assert_int_equal(
        il_node_object_put(doc, b, il_node_new_string(doc, "x", 1, 1, 1), il_node_new_number(doc, 1, 1, 1, 1)), IL_OK);
    assert_true(il_node_equal(a, b));
    il_doc_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_limit_is_enforced),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_buf_say),
        cmocka_unit_test(test_diags_sort_and_count),
        cmocka_unit_test(test_node_object_duplicate_and_hash),
        cmocka_unit_test(test_node_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
