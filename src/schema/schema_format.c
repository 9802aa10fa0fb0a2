/*
 * Asserted formats: RFC 3339 `full-date` ("date") and `date-time`.
 *
 * Calendar-correct (2026-02-29 is not a date, 2028-02-29 is); ASCII digits only; a leap second (:60) is accepted
 * only where one can occur, i.e. when the time converted to UTC is 23:59:60, as the JSON-Schema-Test-Suite expects.
 */
#include <string.h>

#include "schema/schema_internal.h"

enum il_schema_format il_schema_format_lookup(const char *name, size_t len) {
    if (len == 4 && memcmp(name, "date", 4) == 0) {
        return IL_SCHEMA_FORMAT_DATE;
    }
    if (len == 9 && memcmp(name, "date-time", 9) == 0) {
        return IL_SCHEMA_FORMAT_DATE_TIME;
    }
    return IL_SCHEMA_FORMAT_UNKNOWN;
}

const char *il_schema_format_describe(enum il_schema_format format) {
    switch (format) {
    case IL_SCHEMA_FORMAT_DATE: return "a calendar date (YYYY-MM-DD)";
    case IL_SCHEMA_FORMAT_DATE_TIME: return "an RFC 3339 date-time (YYYY-MM-DDThh:mm:ssZ)";
    case IL_SCHEMA_FORMAT_UNKNOWN: break;
    }
    return "a valid value";
}

/* Read exactly @p n ASCII digits at s[*i]. -1 when they are not there. */
static int s_digits(const char *s, size_t len, size_t *i, size_t n) {
    int v = 0;
    if (len - *i < n) {
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        char c = s[*i + k];
        if (c < '0' || c > '9') {
            return -1;
        }
        v = v * 10 + (c - '0');
    }
    *i += n;
    return v;
}

static int s_char(const char *s, size_t len, size_t *i, char c) {
    if (*i < len && s[*i] == c) {
        (*i)++;
        return 1;
    }
    return 0;
}

static int s_days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
        return 29;
    }
    return days[month - 1];
}

static int s_full_date(const char *s, size_t len, size_t *i) {
    int y = s_digits(s, len, i, 4);
    if (y < 0 || !s_char(s, len, i, '-')) {
        return 0;
    }
    int m = s_digits(s, len, i, 2);
    if (m < 1 || m > 12 || !s_char(s, len, i, '-')) {
        return 0;
    }
    int d = s_digits(s, len, i, 2);
    return d >= 1 && d <= s_days_in_month(y, m);
}

static int s_full_time(const char *s, size_t len, size_t *i) {
    int h = s_digits(s, len, i, 2);
    if (h < 0 || h > 23 || !s_char(s, len, i, ':')) {
        return 0;
    }
    int mi = s_digits(s, len, i, 2);
    if (mi < 0 || mi > 59 || !s_char(s, len, i, ':')) {
        return 0;
    }
    int sec = s_digits(s, len, i, 2);
    if (sec < 0 || sec > 60) {
        return 0;
    }
    if (s_char(s, len, i, '.')) {
        size_t start = *i;
        while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
            (*i)++;
        }
        if (*i == start) {
            return 0;
        }
    }
    int off = 0; /* minutes east of UTC */
    if (*i < len && (s[*i] == 'Z' || s[*i] == 'z')) {
        (*i)++;
    } else if (*i < len && (s[*i] == '+' || s[*i] == '-')) {
        int sign = s[*i] == '-' ? -1 : 1;
        (*i)++;
        int oh = s_digits(s, len, i, 2);
        if (oh < 0 || oh > 23 || !s_char(s, len, i, ':')) {
            return 0;
        }
        int om = s_digits(s, len, i, 2);
        if (om < 0 || om > 59) {
            return 0;
        }
        off = sign * (oh * 60 + om);
    } else {
        return 0;
    }
    if (sec == 60) {
        /* a leap second is inserted at 23:59:60 UTC only */
        int utc = ((h * 60 + mi - off) % 1440 + 1440) % 1440;
        if (utc != 23 * 60 + 59) {
            return 0;
        }
    }
    return 1;
}

int il_schema_format_check(enum il_schema_format format, const char *s, size_t len) {
    size_t i = 0;
    switch (format) {
    case IL_SCHEMA_FORMAT_DATE: return s_full_date(s, len, &i) && i == len;
    case IL_SCHEMA_FORMAT_DATE_TIME:
        if (!s_full_date(s, len, &i)) {
            return 0;
        }
        if (i >= len || (s[i] != 'T' && s[i] != 't')) {
            return 0;
        }
        i++;
        return s_full_time(s, len, &i) && i == len;
    case IL_SCHEMA_FORMAT_UNKNOWN: break;
    }
    return 1;
}
