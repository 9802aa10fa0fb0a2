/*
 * Unit tests: the regex DFA construction is bounded by work, not only by states (issue 13: fuzz_schema found a
 * pattern, a hundred `.` before a class, whose construction took seconds, > 10 s under the sanitizers). Such a
 * pattern is left to the Pike VM and still matches correctly; the embedded ledger schema's patterns keep their DFA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "il/embedded.h"
#include "schema/schema_internal.h"
#include "schema/schema_regex.h"

static struct il_regex *s_compile(const char *pattern) {
    struct il_regex *re = NULL;
    const char *why = NULL;
    assert_int_equal(il_regex_compile(pattern, strlen(pattern), &re, &why), IL_OK);
    return re;
}

static void test_hostile_pattern_falls_back_to_the_vm(void **state) {
    (void)state;
    char pattern[256];
    size_t n = 0;
    for (int i = 0; i < 94; i++) {
        pattern[n++] = '.';
    }
    const char tail[] = "W.......\\d{8}-(0[1-9]|0[1-9]|[i1m2])";
    memcpy(pattern + n, tail, sizeof(tail));
    struct il_regex *re = s_compile(pattern);
    assert_null(re->dfa); /* over the work budget: no DFA */
    /* the VM still answers: 94 characters, W, 7, eight digits, -, 01 */
    char subject[256];
    memset(subject, 'a', 94);
    memcpy(subject + 94, "Wbbbbbbb12345678-01", 20);
    assert_int_equal(il_regex_search(re, subject, strlen(subject)), 1);
    subject[94] = 'X';
    assert_int_equal(il_regex_search(re, subject, strlen(subject)), 0);
    il_regex_free(re);
}

/* Every "pattern" of the embedded ledger schema still gets a DFA (the fast path the bench relies on). */
static void test_ledger_patterns_keep_their_dfa(void **state) {
    (void)state;
    size_t len = 0;
    const char *schema = il_embedded_get("inspector-exclusions.schema.json", &len);
    assert_non_null(schema);
    size_t found = 0;
    const char *p = schema;
    const char *end = schema + len;
    while ((p = strstr(p, "\"pattern\": \"")) != NULL && p < end) {
        p += strlen("\"pattern\": \"");
        char pattern[512];
        size_t n = 0;
        while (p < end && *p != '"' && n + 1 < sizeof(pattern)) {
            if (*p == '\\' && p + 1 < end) {
                p++; /* JSON escape: \\ -> \ ("\\u0000" stays the regex escape \u0000) */
            }
            pattern[n++] = *p++;
        }
        pattern[n] = '\0';
        struct il_regex *re = s_compile(pattern);
        if (re->dfa == NULL && strstr(pattern, "\\b") == NULL) {
            print_message("no DFA for %s\n", pattern);
            fail();
        }
        il_regex_free(re);
        found++;
    }
    assert_true(found >= 3);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_pattern_falls_back_to_the_vm),
        cmocka_unit_test(test_ledger_patterns_keep_their_dfa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
