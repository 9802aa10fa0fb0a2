/*
 * il_sign: sign request descriptions read as JSON from standard input, for the botocore differential test.
 *
 * Input: one object, or an array of them:
 *   {"method": "GET", "path": "/wire%20path", "query": "a=1&b", "headers": [["Host", "h"], ...],
 *    "body": "text", "region": "us-east-1", "service": "lambda", "time": 1440938160,
 *    "access_key": "AKID...", "secret_key": "...", "token": null, "add_content_sha256": false}
 * Output: for each, an object {"canonical_request", "string_to_sign", "authorization", "security_token",
 * "amz_date"} (or {"error": "<status>"}), as one array when the input was an array.
 * The output holds the session token (inside the canonical request): test data only.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/sigv4.h"

#define MAX_HEADERS 64

static const char *s_str(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static int s_bool(const cJSON *obj, const char *key) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static cJSON *s_error(enum il_status status) {
    cJSON *out = cJSON_CreateObject();
    if (out != NULL && cJSON_AddStringToObject(out, "error", il_status_str(status)) == NULL) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

static cJSON *s_sign_one(const cJSON *in) {
    enum il_status status = IL_OK;
    struct il_http_header headers[MAX_HEADERS];
    size_t header_count = 0;
    struct il_credentials *creds = NULL;
    struct il_sigv4_result result = {0};
    struct il_buf creq, sts;
    il_buf_init(&creq, 0);
    il_buf_init(&sts, 0);
    cJSON *out = NULL;

    const cJSON *hdrs = cJSON_GetObjectItemCaseSensitive(in, "headers");
    const cJSON *pair = NULL;
    cJSON_ArrayForEach(pair, hdrs) {
        const cJSON *name = cJSON_GetArrayItem(pair, 0), *value = cJSON_GetArrayItem(pair, 1);
        if (header_count == MAX_HEADERS || !cJSON_IsString(name) || !cJSON_IsString(value)) {
            status = IL_ERR_INVALID;
            goto cleanup;
        }
        headers[header_count].name = name->valuestring;
        headers[header_count].value = value->valuestring;
        header_count++;
    }
    const char *body = s_str(in, "body");
    const cJSON *time = cJSON_GetObjectItemCaseSensitive(in, "time");
    struct il_sigv4_request request = {
        .method = s_str(in, "method"),
        .path = s_str(in, "path"),
        .query = s_str(in, "query"),
        .headers = headers,
        .header_count = header_count,
        .body = body,
        .body_len = body ? strlen(body) : 0,
    };
    struct il_sigv4_params params = {
        .region = s_str(in, "region"),
        .service = s_str(in, "service"),
        .time = cJSON_IsNumber(time) ? (int64_t)time->valuedouble : -1,
        .add_content_sha256 = s_bool(in, "add_content_sha256"),
        .normalize_path = !s_bool(in, "s3"),
    };
    if ((status = il_credentials_new(s_str(in, "access_key"), s_str(in, "secret_key"), s_str(in, "token"), 0,
                                     &creds)) != IL_OK ||
        (status = il_sigv4_canonical_request_with(&request, &params, creds, &creq, NULL)) != IL_OK ||
        (status = il_sigv4_string_to_sign(il_buf_cstr(&creq), &params, &sts)) != IL_OK ||
        (status = il_sigv4_sign(&request, &params, creds, &result)) != IL_OK) {
        goto cleanup;
    }
    out = cJSON_CreateObject();
    if (out == NULL || cJSON_AddStringToObject(out, "canonical_request", il_buf_cstr(&creq)) == NULL ||
        cJSON_AddStringToObject(out, "string_to_sign", il_buf_cstr(&sts)) == NULL ||
        cJSON_AddStringToObject(out, "authorization", result.authorization) == NULL ||
        cJSON_AddStringToObject(out, "amz_date", result.amz_date) == NULL ||
        cJSON_AddStringToObject(out, "content_sha256", result.content_sha256) == NULL ||
        (result.security_token ? cJSON_AddStringToObject(out, "security_token", result.security_token)
                               : cJSON_AddNullToObject(out, "security_token")) == NULL) {
        cJSON_Delete(out);
        out = NULL;
        status = IL_ERR_NOMEM;
    }
cleanup:
    il_sigv4_result_release(&result);
    il_credentials_free(creds);
    il_buf_release(&creq);
    il_buf_release(&sts);
    return status == IL_OK ? out : s_error(status);
}

int main(void) {
    char *text = NULL;
    size_t len = 0;
    enum il_status status = il_read_file("-", (size_t)64 << 20, &text, &len);
    if (status != IL_OK) {
        fprintf(stderr, "il_sign: cannot read standard input: %s\n", il_status_str(status));
        return 2;
    }
    cJSON *in = cJSON_ParseWithLength(text, len);
    free(text);
    if (in == NULL) {
        fprintf(stderr, "il_sign: standard input is not JSON\n");
        return 2;
    }
    cJSON *out = NULL;
    if (cJSON_IsArray(in)) {
        out = cJSON_CreateArray();
        const cJSON *item = NULL;
        cJSON_ArrayForEach(item, in) {
            cJSON *one = s_sign_one(item);
            if (out == NULL || one == NULL || !cJSON_AddItemToArray(out, one)) {
                cJSON_Delete(one);
                cJSON_Delete(out);
                out = NULL;
                break;
            }
        }
    } else {
        out = s_sign_one(in);
    }
    cJSON_Delete(in);
    char *printed = out ? cJSON_PrintUnformatted(out) : NULL;
    cJSON_Delete(out);
    if (printed == NULL) {
        fprintf(stderr, "il_sign: out of memory\n");
        return 2;
    }
    puts(printed);
    free(printed);
    return 0;
}
