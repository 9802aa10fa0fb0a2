/* Shared by the finding writers in src/findings/ (not a public interface): the writer type and the helpers of
 * findings_util.c. All arguments are borrowed. */
#ifndef IL_FINDINGS_INTERNAL_H
#define IL_FINDINGS_INTERNAL_H

#include "il/buf.h"
#include "il/crypto.h"
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

/* Length of il_findings_fingerprint()'s hex (sha256). */
#define IL_FINDINGS_FINGERPRINT_LEN IL_SHA256_HEX_LEN

/**
 * A finding's stable identity as lower-case hex into @p hex: sha256 of rule "\n" function ARN "\n" field (the pointer
 * without the entry index); with no ARN, rule and the AWS call it is about (never its request id), or rule "\n" file
 * "\n" pointer "\n" message. Never the line
 * or column, so moving an entry keeps its alerts (SARIF partialFingerprints, Code Quality, ASFF and OCSF ids).
 */
IL_MUST_CHECK enum il_status il_findings_fingerprint(const struct il_diag *d, const struct il_findings_opts *opts,
                                                     char hex[IL_FINDINGS_FINGERPRINT_LEN + 1]);

/* Where a finding belongs in AWS (ASFF, OCSF): copied from the finding, its function ARN, its AWS request or the run's
 * defaults (opts->account, region, partition), in that order; a value that is not well-formed (12 digits; lower-case
 * letters, digits and hyphens) is passed over. A field is "" when none of them knows it (partition: "aws"). */
struct il_findings_where {
    char partition[32];
    char region[32];
    char account[16];
};
void il_findings_where(const struct il_diag *d, const struct il_findings_opts *opts, struct il_findings_where *out);

/** Append at most @p max bytes of @p s to @p out, cut at a code point boundary (AWS field length limits). */
IL_MUST_CHECK enum il_status il_findings_clip(struct il_buf *out, const char *s, size_t max);

/** opts->now, or the clock when it is 0, as RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" into @p out (21 bytes). */
long long il_findings_time(const struct il_findings_opts *opts, char out[21]);

#endif
