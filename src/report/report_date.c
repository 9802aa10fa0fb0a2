/* Calendar arithmetic for the report: days between the as-of date and an entry's dates. */
#include "report/report_date.h"

#include <string.h>

static int s_leap(long y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static long s_days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

enum il_status il_report_date_parse(const char *text, long *days) {
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (text == NULL || strlen(text) != 10 || text[4] != '-' || text[7] != '-') {
        return IL_ERR_INVALID;
    }
    unsigned v[8];
    static const int pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; i++) {
        char c = text[pos[i]];
        if (c < '0' || c > '9') {
            return IL_ERR_INVALID;
        }
        v[i] = (unsigned)(c - '0');
    }
    long y = (long)(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3]);
    unsigned m = v[4] * 10 + v[5];
    unsigned d = v[6] * 10 + v[7];
    if (m < 1 || m > 12 || d < 1) {
        return IL_ERR_INVALID;
    }
    unsigned max = mdays[m - 1] + (m == 2 && s_leap(y) ? 1u : 0u);
    if (d > max) {
        return IL_ERR_INVALID;
    }
    *days = s_days_from_civil(y, m, d);
    return IL_OK;
}
