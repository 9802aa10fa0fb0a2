/* Unit tests: calendar dates (strict parsing, leap years, day numbers, formatting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "il/date.h"

static int s_parses(const char *text) {
    struct il_date d;
    return il_date_parse_str(text, &d) == IL_OK;
}

static void test_parse_valid(void **state) {
    (void)state;
    struct il_date d = {0, 0, 0};
    assert_int_equal(il_date_parse_str("2026-11-22", &d), IL_OK);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 11);
    assert_int_equal(d.day, 22);
    assert_true(s_parses("0000-01-01"));
    assert_true(s_parses("9999-12-31"));
    assert_true(s_parses("2026-01-31"));
    assert_true(s_parses("2026-04-30"));
    /* only the first len bytes count */
    assert_int_equal(il_date_parse("2026-03-01trailing", 10, &d), IL_OK);
    assert_int_equal(d.month, 3);
}

static void test_parse_leap_years(void **state) {
    (void)state;
    assert_false(s_parses("2026-02-29")); /* not a leap year */
    assert_true(s_parses("2028-02-29"));  /* divisible by 4 */
    assert_false(s_parses("2100-02-29")); /* divisible by 100, not 400 */
    assert_true(s_parses("2000-02-29"));  /* divisible by 400 */
    assert_false(s_parses("2028-02-30"));
    assert_true(s_parses("2026-02-28"));
}

static void test_parse_rejects_malformed(void **state) {
    (void)state;
    const char *bad[] = {
        "",           "2026-1-01",  "2026-01-1",  "26-01-01",    "2026/01/01",  "2026-00-10",           "2026-13-01",
        "2026-01-00", "2026-01-32", "2026-04-31", " 2026-01-01", "2026-01-01 ", "2026-01-01T00:00:00Z", "+026-01-01",
        "2026-0a-01", "2026--1-01", "20260101",   "2026-06-31",  "2026-11-31",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct il_date d = {7, 7, 7};
        assert_int_equal(il_date_parse_str(bad[i], &d), IL_ERR_PARSE);
        assert_int_equal(d.year, 7); /* untouched on failure */
    }
    struct il_date d;
    assert_int_equal(il_date_parse_str(NULL, &d), IL_ERR_PARSE);
    /* an embedded NUL inside the 10 bytes is not a digit */
    assert_int_equal(il_date_parse("2026-01-0\0", 10, &d), IL_ERR_PARSE);
}

static void test_days_known_values(void **state) {
    (void)state;
    struct il_date d;
    assert_int_equal(il_date_parse_str("1970-01-01", &d), IL_OK);
    assert_int_equal(il_date_to_days(&d), 0);
    assert_int_equal(il_date_parse_str("1969-12-31", &d), IL_OK);
    assert_int_equal(il_date_to_days(&d), -1);
    assert_int_equal(il_date_parse_str("2000-03-01", &d), IL_OK);
    assert_int_equal(il_date_to_days(&d), 11017);
    assert_int_equal(il_date_parse_str("2026-11-22", &d), IL_OK);
    assert_int_equal(il_date_to_days(&d), 20779); /* python3: (date(2026,11,22)-date(1970,1,1)).days */
    /* across a leap day */
    struct il_date a, b;
    assert_int_equal(il_date_parse_str("2028-02-28", &a), IL_OK);
    assert_int_equal(il_date_parse_str("2028-03-01", &b), IL_OK);
    assert_int_equal(il_date_to_days(&b) - il_date_to_days(&a), 2);
    assert_int_equal(il_date_parse_str("2027-02-28", &a), IL_OK);
    assert_int_equal(il_date_parse_str("2027-03-01", &b), IL_OK);
    assert_int_equal(il_date_to_days(&b) - il_date_to_days(&a), 1);
}

static void test_days_round_trip(void **state) {
    (void)state;
    /* every day from 1899 to 2101 survives days -> date -> days, and consecutive days are consecutive dates */
    struct il_date start = {1899, 1, 1};
    int64_t first = il_date_to_days(&start);
    struct il_date prev;
    il_date_from_days(first - 1, &prev);
    assert_int_equal(prev.year, 1898);
    assert_int_equal(prev.month, 12);
    assert_int_equal(prev.day, 31);
    for (int64_t n = first; n < first + 74000; n++) {
        struct il_date d;
        il_date_from_days(n, &d);
        assert_true(il_date_valid(d.year, d.month, d.day));
        assert_int_equal(il_date_to_days(&d), n);
        assert_true(il_date_cmp(&prev, &d) < 0);
        prev = d;
    }
}

static void test_format_and_cmp(void **state) {
    (void)state;
    char out[IL_DATE_STRLEN];
    struct il_date d = {2028, 2, 9};
    il_date_format(&d, out);
    assert_string_equal(out, "2028-02-09");
    struct il_date z = {7, 1, 1};
    il_date_format(&z, out);
    assert_string_equal(out, "0007-01-01");
    struct il_date a = {2026, 10, 1}, b = {2026, 10, 2};
    assert_true(il_date_cmp(&a, &b) < 0);
    assert_true(il_date_cmp(&b, &a) > 0);
    assert_int_equal(il_date_cmp(&a, &a), 0);
}

static void test_today_utc(void **state) {
    (void)state;
    struct il_date today;
    assert_int_equal(il_date_today_utc(&today), IL_OK);
    time_t now = time(NULL);
    struct tm tm;
    assert_non_null(gmtime_r(&now, &tm));
    /* compare with libc's own UTC conversion (a midnight race would be a one-in-86400 flake; accept either day) */
    int64_t expect = il_date_to_days(&(struct il_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday});
    int64_t got = il_date_to_days(&today);
    assert_true(got == expect || got == expect + 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_leap_years),
        cmocka_unit_test(test_parse_rejects_malformed),
        cmocka_unit_test(test_days_known_values),
        cmocka_unit_test(test_days_round_trip),
        cmocka_unit_test(test_format_and_cmp),
        cmocka_unit_test(test_today_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
