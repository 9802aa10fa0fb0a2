/* What the ECS and IMDS credential providers share: their one-field provider object, the swappable fetch, wiping
 * responses, describing a failed exchange without its body, the credentials JSON document, and splitting a URL to
 * check its host. */
#include "aws/credentials/aws_credentials_remote.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws/credentials/aws_credentials_internal.h"
#include "il/crypto.h"

const char *il_remote_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

struct il_credentials_provider *il_remote_provider_new(const struct il_credentials_provider_vtable *vtable,
                                                       const struct il_remote_fetcher *fetcher) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    struct il_remote_fetcher *impl = calloc(1, sizeof(*impl));
    if (provider == NULL || impl == NULL) {
        free(provider);
        free(impl);
        return NULL;
    }
    if (fetcher != NULL) {
        *impl = *fetcher;
    }
    provider->vtable = vtable;
    provider->impl = impl;
    return provider;
}

void il_remote_provider_destroy(struct il_credentials_provider *provider) {
    free(provider->impl);
    provider->impl = NULL;
}

enum il_status il_remote_fetch(const struct il_remote_fetcher *fetcher, const struct il_http_request *request,
                               struct il_http_response *out) {
    struct il_http_options options = {.max_connections = 1, .ca_bundle = il_remote_env("AWS_CA_BUNDLE")};
    if (fetcher != NULL && fetcher->fetch != NULL) {
        return fetcher->fetch(fetcher->ctx, &options, request, out);
    }
    return il_http_fetch(&options, request, out);
}

void il_remote_response_wipe(struct il_http_response *resp) {
    if (resp == NULL) {
        return;
    }
    if (resp->body.data != NULL && resp->body.cap > 0) {
        il_crypto_cleanse(resp->body.data, resp->body.cap);
    }
    il_http_response_release(resp);
}

/* An AWS error code is an identifier ("AccessDenied"); anything else in a body is not repeated. */
static int s_is_code(const char *s) {
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_')) {
            return 0;
        }
    }
    return n > 0 && n <= 64;
}

void il_remote_describe(const struct il_http_response *resp, struct il_buf *why) {
    if (resp->failure != IL_HTTP_OK) {
        /* the transport's text names host and port only */
        il_buf_say(why, "%s%s%s%s", il_http_failure_str(resp->failure), resp->error[0] ? " (" : "", resp->error,
                   resp->error[0] ? ")" : "");
        return;
    }
    il_buf_say(why, "HTTP %d", resp->status);
    cJSON *root = cJSON_ParseWithLength(resp->body.data ? resp->body.data : "", resp->body.len);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
    if (code == NULL) {
        code = cJSON_GetObjectItemCaseSensitive(root, "Code");
    }
    if (cJSON_IsString(code) && s_is_code(code->valuestring)) {
        il_buf_say(why, " %s", code->valuestring);
    }
    cJSON_Delete(root);
}

enum il_status il_remote_parse_credentials(const char *what, const char *text, size_t len, struct il_credentials **out,
                                           struct il_buf *why) {
    *out = NULL;
    enum il_status st = IL_ERR_CREDENTIALS;
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(root)) {
        il_buf_say(why, "%s did not answer with a JSON object", what);
        goto cleanup;
    }
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "Code");
    if (code != NULL && !(cJSON_IsString(code) && strcmp(code->valuestring, "Success") == 0)) {
        /* IMDS says why it has no credentials in Code ("AssumeRoleUnauthorizedAccess") */
        il_buf_say(why, "%s answered Code %s instead of Success", what,
                   cJSON_IsString(code) && s_is_code(code->valuestring) ? code->valuestring : "(not an identifier)");
        goto cleanup;
    }
    enum il_credentials_json_problem problem = IL_CREDENTIALS_JSON_OK;
    st = il_credentials_from_json(root, "Token", out, &problem);
    switch (problem) {
    case IL_CREDENTIALS_JSON_OK: break;
    case IL_CREDENTIALS_JSON_NO_KEYS:
        il_buf_say(why, "%s answered without string AccessKeyId and SecretAccessKey", what);
        break;
    case IL_CREDENTIALS_JSON_BAD_TOKEN: il_buf_say(why, "%s answered a Token that is not a string", what); break;
    case IL_CREDENTIALS_JSON_BAD_EXPIRATION:
        il_buf_say(why, "%s answered an Expiration that is not an ISO 8601 UTC time", what);
        break;
    case IL_CREDENTIALS_JSON_BAD_CHARACTERS:
        il_buf_say(why, "%s answered a key id, secret or token with characters credentials cannot have", what);
        break;
    }
cleanup:
    il_credentials_json_delete(root, "Token");
    return st;
}

enum il_status il_remote_url_host(const char *url, int *https, char *host, size_t host_size) {
    *https = 0;
    if (host_size > 0) {
        host[0] = '\0';
    }
    for (const char *p = url; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            return IL_ERR_INVALID;
        }
    }
    const char *rest;
    if (strncmp(url, "http://", 7) == 0) {
        rest = url + 7;
    } else if (strncmp(url, "https://", 8) == 0) {
        rest = url + 8;
        *https = 1;
    } else {
        return IL_ERR_INVALID;
    }
    size_t authority = strcspn(rest, "/?#");
    if (memchr(rest, '@', authority) != NULL) {
        return IL_ERR_INVALID; /* "http://169.254.170.2@elsewhere/" would reach elsewhere */
    }
    const char *start = rest;
    size_t n;
    if (*rest == '[') {
        const char *close = memchr(rest, ']', authority);
        if (close == NULL) {
            return IL_ERR_INVALID;
        }
        start = rest + 1;
        n = (size_t)(close - start);
        const char *after = close + 1;
        if (after != rest + authority && *after != ':') {
            return IL_ERR_INVALID;
        }
    } else {
        n = strcspn(rest, ":/?#");
        if (n > authority) {
            n = authority;
        }
    }
    if (n == 0 || n >= host_size) {
        return IL_ERR_INVALID;
    }
    memcpy(host, start, n);
    host[n] = '\0';
    return IL_OK;
}
