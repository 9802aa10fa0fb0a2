/**
 * JSON Schema (draft 2020-12) validation over struct il_doc trees, written in C.
 *
 * A compiled schema borrows the document it was compiled from: that document must outlive the il_schema. It is not
 * modified after compilation, so several threads may validate with one schema at once. Supported keywords, formats,
 * regex dialect and limits: docs/schema.md.
 */
#ifndef IL_SCHEMA_H
#define IL_SCHEMA_H

#include <stddef.h>

#include "il/diag.h"
#include "il/doc/node.h"
#include "il/status.h"

struct il_schema;

/**
 * Compile the schema rooted at @p schema_doc's root. Problems in the schema itself (bad keyword value, unresolvable
 * $ref, invalid regex) are added to @p diags with rule "schema-file" and make this return IL_ERR_INVALID.
 * On success *out must be freed with il_schema_free().
 */
IL_MUST_CHECK enum il_status il_schema_compile(const struct il_doc *schema_doc, struct il_schema **out,
                                               struct il_diags *diags);
/**
 * Like il_schema_compile() for the schema at @p root (a node of @p schema_doc, which the schema borrows; NULL: the
 * document's root). @p format_assertion 0 makes `format` an annotation only (the JSON Schema default without the
 * format-assertion vocabulary); il_schema_compile() asserts `date` and `date-time`, which the ledger relies on.
 */
IL_MUST_CHECK enum il_status il_schema_compile_node(const struct il_doc *schema_doc, const struct il_node *root,
                                                    int format_assertion, struct il_schema **out,
                                                    struct il_diags *diags);
/** Free a compiled schema; accepts NULL. */
void il_schema_free(struct il_schema *schema);

/**
 * Validate @p instance (borrowed). Each violation is added to @p diags (may be NULL: then only the count is
 * computed, fastest) with rule "schema", severity error, file = il_doc_filename(instance), the offending node's line
 * and column, a JSON pointer, and a message a person can act on. An unknown key rejected by additionalProperties
 * names the nearest known property ("unknown key `expire_at`: did you mean `expires_at`?").
 * *errors gets the number of violations: 0 exactly when the instance is valid, in both modes; when reporting it equals
 * the number of diagnostics added (a failed anyOf/oneOf reports its most relevant branch, which may be several).
 * Nesting beyond 256 subschema evaluations (a $ref loop, a very deep instance) is one located error, never a crash.
 * Returns IL_OK whether or not the instance is valid; errors only for out-of-memory or internal failures.
 */
IL_MUST_CHECK enum il_status il_schema_validate(const struct il_schema *schema, const struct il_doc *instance,
                                                struct il_diags *diags, size_t *errors);

/** Same, for a subtree (@p node borrowed from a document named @p filename). */
IL_MUST_CHECK enum il_status il_schema_validate_node(const struct il_schema *schema, const struct il_node *node,
                                                     const char *filename, struct il_diags *diags, size_t *errors);

#endif
