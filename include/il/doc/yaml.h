/**
 * Loading YAML (and JSON, a subset) into a struct il_doc with libyaml.
 *
 * Plain scalars resolve by the YAML 1.2 core schema: true/false (any case form the core schema allows), null/~/empty,
 * integers (decimal, 0o octal, 0x hex), floats (incl. .inf/.nan); everything else — yes/no/on/off, dates — stays a
 * string. Quoted scalars are always strings. Marks are 1-based.
 *
 * Every failure is one located diagnostic with rule "yaml" added to @p diags (file:line:col), never a crash.
 */
#ifndef IL_YAML_H
#define IL_YAML_H

#include <stddef.h>

#include "il/diag.h"
#include "il/doc/node.h"
#include "il/status.h"

struct il_load_limits {
    size_t max_bytes;   /* file size bound; default 64 MiB */
    unsigned max_depth; /* nesting bound; default 128 */
    size_t max_nodes;   /* total nodes including alias expansions (billion laughs bound); default 16 Mi */
};

/** Fill @p limits with the defaults above. */
void il_load_limits_default(struct il_load_limits *limits);

/**
 * Parse @p len bytes of @p data (need not be NUL-terminated) named @p filename (for diagnostics; copied).
 * Rejects: syntax errors, duplicate keys, non-string keys, more than one document, empty input, invalid UTF-8,
 * nesting over max_depth, alias expansion over max_nodes, input over max_bytes.
 * On success *out is a new document the caller frees with il_doc_free(). On failure *out is NULL, a "yaml"
 * diagnostic explains why, and IL_ERR_PARSE / IL_ERR_LIMIT / IL_ERR_NOMEM is returned.
 * @p limits may be NULL for the defaults.
 * Threads: safe to call from several threads at once. An input of 1 MiB or more may be parsed in two halves when the
 * process may run on two processors, the second half on a thread this call starts and joins before it returns; the
 * document is identical either way.
 */
IL_MUST_CHECK enum il_status il_yaml_load(const char *data, size_t len, const char *filename,
                                          const struct il_load_limits *limits, struct il_doc **out,
                                          struct il_diags *diags);

/** Read @p path ("-" for stdin; bounded by max_bytes) and il_yaml_load() it. IL_ERR_IO/IL_ERR_NOTFOUND when the
 *  file cannot be read (also reported as a "yaml" diagnostic naming the file). */
IL_MUST_CHECK enum il_status il_yaml_load_file(const char *path, const struct il_load_limits *limits,
                                               struct il_doc **out, struct il_diags *diags);

#endif
