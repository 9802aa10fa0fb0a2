/**
 * The dated table of Lambda runtime deprecations (embedded data/lambda-runtimes.json, or a file of the same shape:
 * {"runtimes": {"python3.9": "2025-12-15", ...}}).
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
