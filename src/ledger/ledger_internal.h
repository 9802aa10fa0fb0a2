/* Shared between the ledger_*.c files only: not part of the public interface. */
#ifndef IL_LEDGER_INTERNAL_H
#define IL_LEDGER_INTERNAL_H

#include <stddef.h>

#include "il/ledger.h"

/** Lower-case hex SHA-256 of @p len bytes into @p out (65 bytes with the NUL). IL_ERR_CRYPTO if libcrypto fails. */
IL_MUST_CHECK enum il_status il_ledger_sha256_hex(const char *data, size_t len, char out[65]);

/** il_ledger_from_doc(), with the SHA-256 of @p bytes computed only when @p digest is non-zero (il_ledger_sha256()
 *  is then NULL): the digest costs as much as the schema pass and only reports show it. */
IL_MUST_CHECK enum il_status il_ledger_from_doc_digest(struct il_doc *doc, const char *bytes, size_t len, int digest,
                                                       struct il_ledger **out);

/** 1 when @p field holds exactly @p text (length-aware: an inner NUL never makes "code\0x" equal "code"). */
int il_ledger_str_eq(const struct il_ledger_str *field, const char *text);

/** Record the schema's verdict on a freshly built ledger. */
void il_ledger_set_schema_errors(struct il_ledger *ledger, size_t errors);
/** Count one schema violation against entry @p index (ignored when out of range). */
void il_ledger_count_entry_error(struct il_ledger *ledger, size_t index);

#endif
