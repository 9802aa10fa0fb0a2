/* Calls as the service files build them: setup, pagination-token loop detection, JSON body parsing, URI encoding.
 * The engine that runs them is aws_engine.c; recording a failure is aws_call_fail.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_client_impl.h"
#include "aws/aws_sticky.h"
#include "il/hash.h"

enum il_status il_aws_call_init(struct il_aws_call *call, struct il_aws_client *client, enum il_aws_op op) {
    memset(call, 0, sizeof(*call));
    const struct il_aws_op_info *info = il_aws_op(op);
    if (info == NULL) {
        return IL_ERR_INTERNAL;
    }
    call->client = client;
    call->op = op;
    call->service = info->service;
    call->operation = info->operation;
    call->method = info->method;
    il_buf_init(&call->path, 8192);
    il_buf_init(&call->query, 64 * 1024);
    il_buf_init(&call->body, 1 << 20);
    il_aws_error_init(&call->error);
    call->error.service = il_aws_service_name(info->service);
    call->error.operation = info->operation;
    call->error.region = il_strdup(client->region);
    call->error.account = client->account[0] ? il_strdup(client->account) : NULL;
    return call->error.region && (client->account[0] == '\0' || call->error.account) ? IL_OK : IL_ERR_NOMEM;
}

void il_aws_call_release(struct il_aws_call *call) {
    if (call == NULL) {
        return;
    }
    il_buf_release(&call->path);
    il_buf_release(&call->query);
    /* request bodies may hold a web identity token */
    if (call->body.data) {
        memset(call->body.data, 0, call->body.cap);
    }
    il_buf_release(&call->body);
    il_aws_error_release(&call->error);
    free(call->tokens_seen);
    call->tokens_seen = NULL;
}

enum il_status il_aws_call_set_resource(struct il_aws_call *call, const char *resource) {
    free(call->error.resource);
    call->error.resource = resource ? il_strdup(resource) : NULL;
    return resource == NULL || call->error.resource ? IL_OK : IL_ERR_NOMEM;
}

enum il_status il_aws_call_token(struct il_aws_call *call, const char *token) {
    uint64_t h = il_hash_str(token); /* a 64-bit fingerprint per token keeps memory flat */
    for (size_t i = 0; i < call->tokens_count; i++) {
        if (call->tokens_seen[i] == h) {
            return il_aws_call_fail(call, IL_ERR_LIMIT,
                                    "AWS returned a pagination token it had already returned (page %zu): stopping "
                                    "instead of looping",
                                    call->tokens_count + 1);
        }
    }
    if (call->tokens_count == call->tokens_cap) {
        size_t cap = call->tokens_cap ? call->tokens_cap * 2 : 16;
        uint64_t *n = realloc(call->tokens_seen, cap * sizeof(*n));
        if (n == NULL) {
            return IL_ERR_NOMEM;
        }
        call->tokens_seen = n;
        call->tokens_cap = cap;
    }
    call->tokens_seen[call->tokens_count++] = h;
    return IL_OK;
}

enum il_status il_aws_call_json(struct il_aws_call *call, const struct il_http_response *resp, cJSON **out) {
    *out = NULL;
    const char *end = NULL;
    cJSON *json = resp->body.len ? cJSON_ParseWithLengthOpts(resp->body.data, resp->body.len, &end, 0) : NULL;
    if (!cJSON_IsObject(json)) {
        cJSON_Delete(json);
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: the body is not a JSON object (%zu bytes)",
                                resp->body.len);
    }
    /* cJSON stops after the first value: anything but whitespace after it is a second document or garbage */
    size_t used = (size_t)(end - resp->body.data);
    while (used < resp->body.len && strchr(" \t\r\n", resp->body.data[used]) != NULL && resp->body.data[used]) {
        used++;
    }
    if (used != resp->body.len) {
        cJSON_Delete(json);
        return il_aws_call_fail(call, IL_ERR_PARSE,
                                "malformed response: %zu unexpected bytes after the JSON object (at byte %zu)",
                                resp->body.len - used, used);
    }
    *out = json;
    return IL_OK;
}

enum il_status il_aws_uri_encode(struct il_buf *out, const char *text) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.' || *p == '~') {
            IL_STICKY(il_buf_putc(out, (char)*p));
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            IL_STICKY(il_buf_append(out, e, 3));
        }
    }
    return il_buf_status(out);
}

enum il_status il_aws_call_submit_owned(struct il_aws_call *call, enum il_status st) {
    if (st == IL_OK) {
        st = il_aws_call_submit(call);
    }
    if (st != IL_OK) {
        il_aws_call_release(call);
        free(call); /* the block starts with the call */
    }
    return st;
}

enum il_status il_aws_call_finish(struct il_aws_call *call, enum il_status st, struct il_aws_error *err) {
    if (err && il_aws_error_copy(err, &call->error) != IL_OK && st == IL_OK) {
        st = IL_ERR_NOMEM;
    }
    il_aws_call_release(call);
    return st;
}

enum il_status il_aws_page_append(void *items, size_t *count, size_t *cap, const void *page, size_t n, size_t size,
                                  void **out) {
    *out = items;
    if (n > SIZE_MAX - *count) {
        return IL_ERR_NOMEM;
    }
    if (*count + n > *cap) {
        size_t room = *cap ? *cap : 64;
        while (room < *count + n) {
            if (room > SIZE_MAX / 2) {
                return IL_ERR_NOMEM;
            }
            room *= 2;
        }
        if (room > SIZE_MAX / size) {
            return IL_ERR_NOMEM;
        }
        void *grown = realloc(items, room * size);
        if (grown == NULL) {
            return IL_ERR_NOMEM;
        }
        *out = grown;
        *cap = room;
    }
    if (n) {
        memcpy((char *)*out + *count * size, page, n * size);
    }
    *count += n;
    return IL_OK;
}
