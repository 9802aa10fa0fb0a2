/**
 * The dated table of Lambda runtime deprecations (embedded data/lambda-runtimes.json, or a file of the same shape:
 * {"table_date": "2026-06-02", "runtimes": {"python3.9": {"deprecation": "2025-12-15", "block_function_create":
 * "2027-02-01", "block_function_update": "2027-03-03"}, "nodejs": "2016-10-31", ...}} — a bare date is the
 * deprecation date alone).
 */
#ifndef IL_RUNTIMES_H
#define IL_RUNTIMES_H

#include "il/date.h"
#include "il/diag.h"
#include "il/status.h"

struct il_runtimes;

/**
 * Load the table from @p path, or the embedded one when @p path is NULL. A malformed file is reported in @p diags
 * (rule "runtimes", naming the file and entry) and returns IL_ERR_PARSE / IL_ERR_IO. *out is freed with
 * il_runtimes_free().
 */
IL_MUST_CHECK enum il_status il_runtimes_load(const char *path, struct il_runtimes **out, struct il_diags *diags);
void il_runtimes_free(struct il_runtimes *rt);

/** AWS's three dates of one runtime (YYYY-MM-DD, borrowed from the table; NULL: not scheduled). */
struct il_runtime_dates {
    const char *deprecation;  /* never NULL */
    const char *block_create; /* Lambda refuses CreateFunction with this runtime from this day */
    const char *block_update; /* ... and UpdateFunctionCode / UpdateFunctionConfiguration */
};
/** The dates of @p runtime (borrowed until the next call for another runtime or il_runtimes_free()), or NULL when the
 *  runtime is not in the table. */
const struct il_runtime_dates *il_runtimes_dates(const struct il_runtimes *rt, const char *runtime);
/** The day the table was taken from AWS's documentation (`table_date`), or NULL when the file gives none. */
const char *il_runtimes_table_date(const struct il_runtimes *rt);

/** Deprecation date (YYYY-MM-DD, borrowed) of @p runtime, or NULL when the runtime is not in the table. */
const char *il_runtimes_deprecated_on(const struct il_runtimes *rt, const char *runtime);

/**
 * Whether @p runtime is past its deprecation date on @p as_of (deprecated from the day after the table's date, the
 * rule `check --full` and `report --live` share). *on (may be NULL) gets the date (borrowed) whenever the runtime is in
 * the table, deprecated yet or not, else NULL.
 */
int il_runtimes_is_deprecated(const struct il_runtimes *rt, const char *runtime, const struct il_date *as_of,
                              const char **on);

#endif
