/*
 * libFuzzer target: $id/$ref resolution. The input is up to four NUL-separated strings: a base, a reference and two
 * more identifiers. il_uri_resolve() (schema_uri.c) is called directly on them, then a schema that uses them as
 * $id and $ref in nested subschemas is compiled and an instance validated, so the resolver is reached the way a
 * schema file reaches it.
 *
 * Invariants: resolution never fails for a bounded input and returns a NUL-terminated string; resolving is
 * deterministic; a compiled schema validates without an internal error, a refused one says why.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/diag.h"
#include "il/doc/json.h"
#include "il/schema.h"
#include "schema/schema_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void s_check_resolve(const char *base, const char *ref, size_t len) {
    char *a = il_uri_resolve(base, ref, len);
    char *b = il_uri_resolve(base, ref, len);
    if (a == NULL || b == NULL || strcmp(a, b) != 0) {
        abort();
    }
    /* the result resolved again as a reference with no base must not crash either */
    char *c = il_uri_resolve("", a, strlen(a));
    if (c == NULL) {
        abort();
    }
    free(a);
    free(b);
    free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 8192) {
        return 0;
    }
    char *copy = malloc(size + 1);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *part[4] = {"", "", "", ""};
    size_t plen[4] = {0, 0, 0, 0};
    size_t n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < 4; i++) {
        if (i == size || copy[i] == '\0') {
            part[n] = copy + start;
            plen[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    s_check_resolve(part[0], part[1], plen[1]);
    s_check_resolve(part[1], part[0], plen[0]);
    s_check_resolve(part[2], part[3], plen[3]);

    /* {"$id": p0, "$defs": {"a": {"$id": p1, "type": "string"}, "b": {"$ref": p2}}, "$ref": p3} */
    cJSON *root = cJSON_CreateObject();
    cJSON *defs = cJSON_AddObjectToObject(root, "$defs");
    cJSON *a = cJSON_AddObjectToObject(defs, "a");
    cJSON *b = cJSON_AddObjectToObject(defs, "b");
    if (root == NULL || defs == NULL || a == NULL || b == NULL || !cJSON_AddStringToObject(root, "$id", part[0]) ||
        !cJSON_AddStringToObject(a, "$id", part[1]) || !cJSON_AddStringToObject(a, "type", "string") ||
        !cJSON_AddStringToObject(b, "$ref", part[2]) || !cJSON_AddStringToObject(root, "$ref", part[3])) {
        cJSON_Delete(root);
        free(copy);
        return 0;
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    struct il_diags *diags = il_diags_new();
    struct il_doc *sdoc = NULL;
    struct il_doc *idoc = NULL;
    struct il_schema *schema = NULL;
    if (text == NULL || diags == NULL) {
        goto done;
    }
    if (il_json_load(text, strlen(text), "schema.json", &sdoc, diags) != IL_OK ||
        il_json_load("\"x\"", 3, "doc.json", &idoc, diags) != IL_OK) {
        goto done; /* cJSON wrote what il_json_load refuses (invalid UTF-8): fine, nothing to compile */
    }
    enum il_status st = il_schema_compile(sdoc, &schema, diags);
    if ((st == IL_OK) != (schema != NULL)) {
        abort();
    }
    if (st == IL_ERR_INVALID && il_diags_count(diags) == 0) {
        abort();
    }
    if (st == IL_OK) {
        size_t fast = 0;
        size_t reported = 0;
        if (il_schema_validate(schema, idoc, NULL, &fast) != IL_OK ||
            il_schema_validate(schema, idoc, diags, &reported) != IL_OK || (fast == 0) != (reported == 0)) {
            abort();
        }
    }
done:
    il_schema_free(schema);
    il_doc_free(sdoc);
    il_doc_free(idoc);
    il_diags_free(diags);
    free(text);
    free(copy);
    return 0;
}
