/* Calendar dates: strict YYYY-MM-DD parsing, day numbers, today in UTC. */
#include "il/date.h"

#include <string.h>
#include <time.h>

static int s_is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int s_days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && s_is_leap(year)) {
        return 29;
    }
    return days[month - 1];
}

int il_date_valid(int year, int month, int day) {
    if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1) {
        return 0;
    }
    return day <= s_days_in_month(year, month);
}

/* Reads exactly @p n ASCII digits; returns -1 on anything else (no sign, no space, no locale digits). */
static int s_digits(const char *text, size_t n) {
    int value = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

enum il_status il_date_parse(const char *text, size_t len, struct il_date *out) {
    if (text == NULL || len != 10 || text[4] != '-' || text[7] != '-') {
        return IL_ERR_PARSE;
    }
    int year = s_digits(text, 4);
    int month = s_digits(text + 5, 2);
    int day = s_digits(text + 8, 2);
    if (year < 0 || month < 0 || day < 0 || !il_date_valid(year, month, day)) {
        return IL_ERR_PARSE;
    }
    out->year = year;
    out->month = month;
    out->day = day;
    return IL_OK;
}

enum il_status il_date_parse_str(const char *text, struct il_date *out) {
    if (text == NULL) {
        return IL_ERR_PARSE;
    }
    return il_date_parse(text, strlen(text), out);
}

/*
 * Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian calendar, no tables, no libc time zone
 * state (timegm/mktime would drag the process's TZ into a pure calculation).
 */
int64_t il_date_to_days(const struct il_date *date) {
    int64_t y = date->year;
    int64_t m = date->month;
    int64_t d = date->day;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void il_date_from_days(int64_t days, struct il_date *out) {
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    out->year = (int)(y + (m <= 2));
    out->month = (int)m;
    out->day = (int)d;
}

enum il_status il_date_today_utc(struct il_date *out) {
    time_t now = time(NULL);
    if (now == (time_t)-1) {
        return IL_ERR_INTERNAL;
    }
    /* floor division so a (theoretical) pre-1970 clock still lands on the right day */
    int64_t secs = (int64_t)now;
    int64_t days = secs / 86400 - (secs % 86400 < 0);
    il_date_from_days(days, out);
    return IL_OK;
}

void il_date_format(const struct il_date *date, char out[IL_DATE_STRLEN]) {
    int fields[3] = {date->year, date->month, date->day};
    int widths[3] = {4, 2, 2};
    size_t pos = 0;
    for (int f = 0; f < 3; f++) {
        int v = fields[f];
        if (v < 0) {
            v = 0;
        }
        for (int i = widths[f] - 1; i >= 0; i--) {
            out[pos + (size_t)i] = (char)('0' + v % 10);
            v /= 10;
        }
        pos += (size_t)widths[f];
        if (f < 2) {
            out[pos++] = '-';
        }
    }
    out[pos] = '\0';
}

int il_date_cmp(const struct il_date *a, const struct il_date *b) {
    if (a->year != b->year) {
        return a->year < b->year ? -1 : 1;
    }
    if (a->month != b->month) {
        return a->month < b->month ? -1 : 1;
    }
    if (a->day != b->day) {
        return a->day < b->day ? -1 : 1;
    }
    return 0;
}
