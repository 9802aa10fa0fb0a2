/*
 * libFuzzer target: the JSON loader, the schema compiler (including the regex compiler) and the validator.
 *
 * Input: a schema and an instance separated by the first NUL byte; without one, the input is validated against
 * itself. Invariants: a compiled schema validates without internal errors; the fast path and the reporting path agree
 * on validity; an invalid instance gets at least one located "schema" diagnostic and a valid one none.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/doc/json.h"
#include "il/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) {
        return 0;
    }
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t slen = nul ? (size_t)(nul - text) : size;
    const char *inst = nul ? nul + 1 : text;
    size_t ilen = nul ? size - slen - 1 : size;

    struct il_diags *diags = il_diags_new();
    struct il_doc *sdoc = NULL;
    struct il_doc *idoc = NULL;
    struct il_schema *schema = NULL;
    if (diags == NULL) {
        return 0;
    }
    if (il_json_load(text, slen, "schema.json", &sdoc, diags) != IL_OK ||
        il_json_load(inst, ilen, "doc.json", &idoc, diags) != IL_OK) {
        goto done;
    }
    enum il_status st = il_schema_compile(sdoc, &schema, diags);
    if ((st == IL_OK) != (schema != NULL)) {
        abort();
    }
    if (st != IL_OK) {
        if (st == IL_ERR_INVALID && il_diags_count(diags) == 0) {
            abort(); /* a rejected schema must say why */
        }
        goto done;
    }
    size_t fast = 0;
    size_t reported = 0;
    size_t before = il_diags_count(diags);
    if (il_schema_validate(schema, idoc, NULL, &fast) != IL_OK ||
        il_schema_validate(schema, idoc, diags, &reported) != IL_OK) {
        abort();
    }
    size_t added = il_diags_count(diags) - before;
    if ((fast == 0) != (reported == 0) || (reported == 0) != (added == 0)) {
        abort();
    }
    for (size_t i = before; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        if (strcmp(d->rule, "schema") != 0 || d->message == NULL || d->message[0] == '\0' || d->pointer == NULL) {
            abort();
        }
    }
done:
    il_schema_free(schema);
    il_doc_free(sdoc);
    il_doc_free(idoc);
    il_diags_free(diags);
    return 0;
}
