/* Date helpers private to the report (calendar days since 1970-01-01, UTC). */
#ifndef IL_REPORT_DATE_H
#define IL_REPORT_DATE_H

#include "il/status.h"

/** Parse a calendar-correct "YYYY-MM-DD" into days since 1970-01-01. IL_ERR_INVALID otherwise (NULL included). */
IL_MUST_CHECK enum il_status il_report_date_parse(const char *text, long *days);

#endif
