/** Files compiled into the binary (every .json of schema/ and data/), so the tool works standalone. */
#ifndef IL_EMBEDDED_H
#define IL_EMBEDDED_H

#include <stddef.h>

/** The embedded file named @p name (basename, e.g. "inspector-exclusions.schema.json"), NUL-terminated and
 *  borrowed for the life of the process; NULL if there is none. *len gets its size without the NUL. */
const char *il_embedded_get(const char *name, size_t *len);

#endif
