/* Shared by the finding writers in src/findings/ (not a public interface): the writer type and the helpers of
 * findings_util.c. All arguments are borrowed. */
#ifndef IL_FINDINGS_INTERNAL_H
#define IL_FINDINGS_INTERNAL_H

#include "il/buf.h"
#include "il/diag.h"
#include "il/findings.h"
#include "il/status.h"

/* A writer (findings_<name>.c): appends @p diags rendered in its format to @p out and returns the buffer's status. Each
 * writer declares itself with this type before its definition, so the compiler checks it against the table's
 * (findings_format.c, where its row is). */
typedef enum il_status il_findings_writer_fn(const struct il_diags *diags, const struct il_findings_opts *opts,
                                             struct il_buf *out);

/** Whether @p d fails the run at @p opts->fail_on. */
int il_findings_fails(const struct il_diag *d, const struct il_findings_opts *opts);

/** "errors"/"error" etc.: @p n with the plural when n != 1 ("1 error", "2 errors"). */
IL_MUST_CHECK enum il_status il_findings_count(struct il_buf *out, size_t n, const char *singular);

/** The ledger file to point at when a finding has no file of its own ("-" reads stdin: "<stdin>"). Never NULL. */
const char *il_findings_ledger_name(const struct il_findings_opts *opts);

#endif
