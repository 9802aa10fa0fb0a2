/**
 * Calendar dates (proleptic Gregorian, no time zone): the ledger's applied_at / expires_at / next_review_at.
 *
 * Dates are plain values; nothing here allocates. "Today" is always the UTC calendar day, so a run gives the same
 * answer wherever it happens. An exclusion holds through the whole expires_at day UTC: it is expired iff
 * as_of > expires_at (compare with il_date_to_days()).
 */
#ifndef IL_DATE_H
#define IL_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "il/status.h"

struct il_date {
    int year;  /* 0..9999 */
    int month; /* 1..12 */
    int day;   /* 1..days in that month */
};

/** Buffer size for il_date_format(): "YYYY-MM-DD" plus NUL. */
#define IL_DATE_STRLEN 11

/** 1 when @p year / @p month / @p day name a real calendar day (2026-02-29 does not; 2028-02-29 does). */
int il_date_valid(int year, int month, int day);

/**
 * Parse exactly "YYYY-MM-DD" (RFC 3339 full-date: four-digit year, two-digit month and day, nothing before or after)
 * from the first @p len bytes of @p text (need not be NUL-terminated). Returns IL_ERR_PARSE for anything else,
 * including impossible days such as 2026-02-29 or 2026-04-31; *out is untouched then.
 */
IL_MUST_CHECK enum il_status il_date_parse(const char *text, size_t len, struct il_date *out);

/** Same for a NUL-terminated string; NULL gives IL_ERR_PARSE. */
IL_MUST_CHECK enum il_status il_date_parse_str(const char *text, struct il_date *out);

/** Days since 1970-01-01 (negative before). @p date must be valid. */
int64_t il_date_to_days(const struct il_date *date);

/** The date @p days after 1970-01-01 (the inverse of il_date_to_days()). */
void il_date_from_days(int64_t days, struct il_date *out);

/** Today's date in UTC. IL_ERR_INTERNAL if the clock cannot be read. */
IL_MUST_CHECK enum il_status il_date_today_utc(struct il_date *out);

/** Write "YYYY-MM-DD" (NUL-terminated) into @p out, which holds IL_DATE_STRLEN bytes. */
void il_date_format(const struct il_date *date, char out[IL_DATE_STRLEN]);

/** <0, 0, >0 as @p a is before, equal to, after @p b. */
int il_date_cmp(const struct il_date *a, const struct il_date *b);

#endif
