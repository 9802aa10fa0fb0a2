/* Minimal, bounded XML scanning for the small, fixed STS responses: find an element, decode its text. No DTDs, no
 * entity expansion beyond the five predefined entities and numeric references, no recursion. Internal. */
#ifndef IL_AWS_XML_H
#define IL_AWS_XML_H

#include <stddef.h>

#include "il/buf.h"
#include "il/status.h"

/** Find the first element <name> (attributes allowed) inside [xml, xml+len) and its content up to the matching
 *  </name>. Returns 1 and sets *inner and *inner_len when found. Rejects input containing "<!DOCTYPE" or "<!ENTITY". */
int il_xml_find(const char *xml, size_t len, const char *name, const char **inner, size_t *inner_len);
/** Find <name> and append its decoded text to @p out. IL_ERR_NOTFOUND when absent, IL_ERR_PARSE when the text holds
 *  markup or a bad entity, IL_ERR_LIMIT when @p out's limit is hit. */
IL_MUST_CHECK enum il_status il_xml_text(const char *xml, size_t len, const char *name, struct il_buf *out);
/** Whether the document contains a DTD (refused). */
int il_xml_has_dtd(const char *xml, size_t len);

#endif
