/* AWS error shapes (JSON and XML) into struct il_aws_error; IAM action naming for access denials. */
#include "aws/aws_sticky.h"
#include "il/aws/error.h"
#include "il/aws/http.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_xml.h"
#include "il/aws/ops.h"

void il_aws_error_init(struct il_aws_error *err) {
    memset(err, 0, sizeof(*err));
}

void il_aws_error_release(struct il_aws_error *err) {
    if (err == NULL) {
        return;
    }
    free(err->region);
    free(err->account);
    free(err->resource);
    free(err->code);
    free(err->message);
    free(err->request_id);
    free(err->missing_action);
    il_aws_error_init(err);
}

static enum il_status s_dup(char **dst, const char *src) {
    *dst = NULL;
    if (src == NULL) {
        return IL_OK;
    }
    *dst = il_strdup(src);
    return *dst ? IL_OK : IL_ERR_NOMEM;
}

enum il_status il_aws_error_copy(struct il_aws_error *dst, const struct il_aws_error *src) {
    il_aws_error_release(dst);
    dst->status = src->status;
    dst->service = src->service;
    dst->operation = src->operation;
    dst->http_status = src->http_status;
    dst->attempts = src->attempts;
    if (s_dup(&dst->region, src->region) != IL_OK || s_dup(&dst->account, src->account) != IL_OK ||
        s_dup(&dst->resource, src->resource) != IL_OK || s_dup(&dst->code, src->code) != IL_OK ||
        s_dup(&dst->message, src->message) != IL_OK || s_dup(&dst->request_id, src->request_id) != IL_OK ||
        s_dup(&dst->missing_action, src->missing_action) != IL_OK) {
        il_aws_error_release(dst);
        return IL_ERR_NOMEM;
    }
    return IL_OK;
}

/* Keep AWS text bounded and printable-ish: control characters become spaces (writers still escape the rest). */
static char *s_clean(const char *text, size_t len, size_t max) {
    if (len > max) {
        len = max;
    }
    char *s = il_strndup(text, len);
    if (s == NULL) {
        return NULL;
    }
    for (char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            *p = ' ';
        }
    }
    /* AWS has echoed canonical requests (x-amz-security-token line included) in signature errors; the engine also
     * removes the current credentials themselves (it knows them, this parser does not) */
    if (il_aws_scrub_inplace(&s, NULL) != IL_OK) {
        return NULL;
    }
    return s;
}

/* "ns#Code:http://..." -> "Code" */
static char *s_code_from(const char *raw) {
    const char *start = strrchr(raw, '#');
    start = start ? start + 1 : raw;
    size_t len = strcspn(start, ":");
    return len ? s_clean(start, len, IL_AWS_ERROR_MAX_CODE) : NULL;
}

static void s_request_id(struct il_aws_error *err, const struct il_http_response *resp) {
    char id[128];
    if (err->request_id == NULL && (il_http_response_header(resp, "x-amzn-RequestId", id, sizeof(id)) ||
                                    il_http_response_header(resp, "x-amz-request-id", id, sizeof(id)) ||
                                    il_http_response_header(resp, "x-amzn-request-id", id, sizeof(id)))) {
        err->request_id = s_clean(id, strlen(id), sizeof(id));
    }
}

/* "... is not authorized to perform: lambda:ListTags on resource: ..." */
static char *s_action_from_message(const char *message) {
    static const char marker[] = "not authorized to perform: ";
    const char *p = message ? strstr(message, marker) : NULL;
    if (p == NULL) {
        return NULL;
    }
    p += sizeof(marker) - 1;
    size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:*");
    return len && memchr(p, ':', len) ? il_strndup(p, len) : NULL;
}

static enum il_status s_finish(struct il_aws_error *err) {
    if (err->missing_action == NULL &&
        (il_aws_is_access_denied(err->code) ||
         (err->http_status == 403 && err->message && strstr(err->message, "not authorized to perform") != NULL))) {
        char *from_msg = s_action_from_message(err->message);
        if (from_msg) {
            err->missing_action = from_msg;
        } else {
            const char *action = il_aws_iam_action(err->service, err->operation);
            if (action && (err->missing_action = il_strdup(action)) == NULL) {
                return IL_ERR_NOMEM;
            }
        }
    }
    return IL_OK;
}

enum il_status il_aws_error_parse_json(struct il_aws_error *err, const struct il_http_response *resp) {
    err->status = IL_ERR_AWS;
    err->http_status = resp->status;
    free(err->code), err->code = NULL;
    free(err->message), err->message = NULL;
    free(err->request_id), err->request_id = NULL;
    char header[IL_AWS_ERROR_MAX_CODE * 2];
    if (il_http_response_header(resp, "x-amzn-ErrorType", header, sizeof(header)) && header[0]) {
        err->code = s_code_from(header);
    }
    cJSON *json = resp->body.len ? cJSON_ParseWithLength(resp->body.data, resp->body.len) : NULL;
    if (cJSON_IsObject(json)) {
        static const char *const code_keys[] = {"__type", "code", "Code", NULL};
        static const char *const msg_keys[] = {"message", "Message", "errorMessage", NULL};
        for (const char *const *k = code_keys; err->code == NULL && *k; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, *k);
            if (cJSON_IsString(v) && v->valuestring[0]) {
                err->code = s_code_from(v->valuestring);
            }
        }
        for (const char *const *k = msg_keys; err->message == NULL && *k; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, *k);
            if (cJSON_IsString(v)) {
                err->message = s_clean(v->valuestring, strlen(v->valuestring), IL_AWS_ERROR_MAX_MESSAGE);
            }
        }
    }
    cJSON_Delete(json);
    s_request_id(err, resp);
    return s_finish(err);
}

enum il_status il_aws_error_parse_xml(struct il_aws_error *err, const struct il_http_response *resp) {
    err->status = IL_ERR_AWS;
    err->http_status = resp->status;
    free(err->code), err->code = NULL;
    free(err->message), err->message = NULL;
    free(err->request_id), err->request_id = NULL;
    const char *inner = NULL;
    size_t inner_len = 0;
    struct il_buf b;
    il_buf_init(&b, IL_AWS_ERROR_MAX_MESSAGE);
    if (resp->body.len && il_xml_find(resp->body.data, resp->body.len, "Error", &inner, &inner_len)) {
        if (il_xml_text(inner, inner_len, "Code", &b) == IL_OK && b.len) {
            err->code = s_code_from(il_buf_cstr(&b));
        }
        il_buf_reset(&b);
        if (il_xml_text(inner, inner_len, "Message", &b) == IL_OK) {
            err->message = s_clean(il_buf_cstr(&b), b.len, IL_AWS_ERROR_MAX_MESSAGE);
        }
    }
    il_buf_reset(&b);
    if (resp->body.len && il_xml_text(resp->body.data, resp->body.len, "RequestId", &b) == IL_OK && b.len) {
        err->request_id = s_clean(il_buf_cstr(&b), b.len, 128);
    }
    il_buf_release(&b);
    s_request_id(err, resp);
    return s_finish(err);
}

/* The action comes from the one operations table (il/aws/ops.h) the calls are set up from. */
const char *il_aws_iam_action(const char *service, const char *operation) {
    const struct il_aws_op_info *op = il_aws_op_find(service, operation);
    return op ? op->iam_action : NULL;
}

static int s_code_in(const char *code, const char *const *list) {
    if (code == NULL) {
        return 0;
    }
    for (; *list; list++) {
        if (strcmp(code, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

int il_aws_is_access_denied(const char *code) {
    static const char *const codes[] = {"AccessDenied",
                                        "AccessDeniedException",
                                        "UnauthorizedOperation",
                                        "AuthorizationError",
                                        "UnauthorizedException",
                                        "Forbidden",
                                        NULL};
    return s_code_in(code, codes);
}

int il_aws_is_bad_credentials(const char *code) {
    static const char *const codes[] = {"UnrecognizedClientException",
                                        "InvalidSignatureException",
                                        "SignatureDoesNotMatch",
                                        "InvalidClientTokenId",
                                        "ExpiredToken",
                                        "ExpiredTokenException",
                                        "InvalidAccessKeyId",
                                        "IncompleteSignature",
                                        "MissingAuthenticationToken",
                                        "MissingAuthenticationTokenException",
                                        NULL};
    return s_code_in(code, codes);
}

enum il_status il_aws_error_describe(const struct il_aws_error *err, struct il_buf *out) {
    IL_STICKY(
        il_buf_printf(out, "%s %s", err->service ? err->service : "aws", err->operation ? err->operation : "call"));
    if (err->resource) {
        IL_STICKY(il_buf_printf(out, " of '%s'", err->resource));
    }
    if (err->region) {
        IL_STICKY(il_buf_printf(out, " in %s", err->region));
    }
    if (err->account) {
        IL_STICKY(il_buf_printf(out, " (account %s)", err->account));
    }
    IL_STICKY(il_buf_puts(out, ": "));
    if (err->code) {
        IL_STICKY(il_buf_puts(out, err->code));
    } else {
        IL_STICKY(il_buf_puts(out, il_status_str(err->status)));
    }
    const char *sep = " (";
    if (err->http_status) {
        IL_STICKY(il_buf_printf(out, "%sHTTP %d", sep, err->http_status));
        sep = ", ";
    }
    if (err->request_id) {
        IL_STICKY(il_buf_printf(out, "%srequest id %s", sep, err->request_id));
        sep = ", ";
    }
    if (err->attempts > 1) {
        IL_STICKY(il_buf_printf(out, "%safter %u attempts", sep, err->attempts));
        sep = ", ";
    }
    if (sep[0] == ',') {
        IL_STICKY(il_buf_putc(out, ')'));
    }
    if (err->message && err->message[0]) {
        IL_STICKY(il_buf_printf(out, ": %s", err->message));
    }
    if (err->missing_action && strcmp(err->missing_action, "sts:AssumeRole") == 0) {
        /* AWS says the same for both sides of a role assumption: say both, with the usual culprit */
        IL_STICKY(il_buf_puts(out,
                              "; either the credentials lack the IAM permission sts:AssumeRole on the role, or the "
                              "role's trust policy does not trust them (or requires an ExternalId that was not "
                              "given or differs)"));
    } else if (err->missing_action) {
        IL_STICKY(il_buf_printf(out, "; the credentials lack the IAM permission %s", err->missing_action));
    } else if (il_aws_is_bad_credentials(err->code)) {
        IL_STICKY(il_buf_puts(out, "; AWS rejected the credentials (wrong, expired or for another partition)"));
    }
    return il_buf_status(out);
}

void il_aws_error_ref(const struct il_aws_error *err, struct il_aws_ref *ref) {
    memset(ref, 0, sizeof(*ref));
    ref->service = err->service;
    ref->operation = err->operation;
    ref->region = err->region;
    ref->account = err->account;
    ref->http_status = err->http_status;
    ref->error_code = err->code;
    ref->request_id = err->request_id;
}
