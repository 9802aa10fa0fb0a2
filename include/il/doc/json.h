/** JSON text and cJSON trees to struct il_doc. */
#ifndef IL_JSON_H
#define IL_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "il/diag.h"
#include "il/doc/node.h"
#include "il/status.h"

/** Convert a cJSON tree (borrowed) into a new document (caller frees). Positions are 0 (unknown). */
IL_MUST_CHECK enum il_status il_json_to_doc(const cJSON *json, const char *filename, struct il_doc **out);

/** Parse JSON text; on a syntax error add a "json" diagnostic with the line and column and return IL_ERR_PARSE. */
IL_MUST_CHECK enum il_status il_json_load(const char *data, size_t len, const char *filename, struct il_doc **out,
                                          struct il_diags *diags);

#endif
