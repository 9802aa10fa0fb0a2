/*
 * libFuzzer target: the credentials JSON document (aws_credentials_json.c) that credential_process prints and the
 * ECS / IMDS endpoints (and the SSO cache) answer. Byte 0 picks the token member ("Token" or "SessionToken"); the rest
 * is the document.
 *
 * Invariants: accepted credentials carry a non-empty key id and secret; a refusal names a problem; deleting the
 * document's secrets never crashes.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_internal.h"
#include "il/aws/credentials.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 65536) {
        return 0;
    }
    const char *member = (data[0] & 1) ? "SessionToken" : "Token";
    cJSON *root = cJSON_ParseWithLength((const char *)data + 1, size - 1);
    if (root == NULL) {
        return 0;
    }
    struct il_credentials *creds = NULL;
    enum il_credentials_json_problem problem = IL_CREDENTIALS_JSON_OK;
    enum il_status st = il_credentials_from_json(root, member, &creds, &problem);
    if ((st == IL_OK) != (creds != NULL)) {
        abort();
    }
    if (st == IL_ERR_CREDENTIALS && problem == IL_CREDENTIALS_JSON_OK) {
        abort(); /* every refusal names what was wrong */
    }
    if (st == IL_OK && problem != IL_CREDENTIALS_JSON_OK) {
        abort();
    }
    il_credentials_free(creds);
    il_credentials_json_delete(root, member);
    return 0;
}
