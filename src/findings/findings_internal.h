/* Shared between the finding writers in src/report/ (not a public interface). Each writer appends to @p out and
 * returns the buffer's status; all arguments are borrowed. */
#ifndef IL_FINDINGS_INTERNAL_H
#define IL_FINDINGS_INTERNAL_H

#include "il/buf.h"
#include "il/diag.h"
#include "il/findings.h"
#include "il/status.h"

IL_MUST_CHECK enum il_status il_findings_text(const struct il_diags *diags, const struct il_findings_opts *opts,
                                              struct il_buf *out);
IL_MUST_CHECK enum il_status il_findings_json(const struct il_diags *diags, const struct il_findings_opts *opts,
                                              struct il_buf *out);
IL_MUST_CHECK enum il_status il_findings_github(const struct il_diags *diags, const struct il_findings_opts *opts,
                                                struct il_buf *out);
IL_MUST_CHECK enum il_status il_findings_sarif(const struct il_diags *diags, const struct il_findings_opts *opts,
                                               struct il_buf *out);
IL_MUST_CHECK enum il_status il_findings_junit(const struct il_diags *diags, const struct il_findings_opts *opts,
                                               struct il_buf *out);
IL_MUST_CHECK enum il_status il_findings_markdown(const struct il_diags *diags, const struct il_findings_opts *opts,
                                                  struct il_buf *out);

/** Whether @p d fails the run at @p opts->fail_on. */
int il_findings_fails(const struct il_diag *d, const struct il_findings_opts *opts);

/** "errors"/"error" etc.: @p n with the plural when n != 1 ("1 error", "2 errors"). */
IL_MUST_CHECK enum il_status il_findings_count(struct il_buf *out, size_t n, const char *singular);

/** The ledger file to point at when a finding has no file of its own ("-" reads stdin: "<stdin>"). Never NULL. */
const char *il_findings_ledger_name(const struct il_findings_opts *opts);

#endif
