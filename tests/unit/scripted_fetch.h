/*
 * A scripted fetch for the ECS and IMDS providers' unit tests: each request is recorded (method, URL, headers) and
 * answered by the next reply of a script; past its end, a transport failure. Header-only; include in one test file.
 */
#ifndef IL_TEST_SCRIPTED_FETCH_H
#define IL_TEST_SCRIPTED_FETCH_H

#include <stdio.h>
#include <string.h>

#include "aws/credentials/aws_credentials_remote.h"

#define SF_MAX 16

struct sf_reply {
    enum il_http_failure failure;
    int status;
    const char *body;
};

struct sf_request {
    char method[8];
    char url[512];
    char headers[1024]; /* "Name: value\n" */
    long timeout_ms;
};

struct sf_script {
    const struct sf_reply *replies;
    size_t reply_count;
    struct sf_request requests[SF_MAX];
    size_t count;
};

static enum il_status sf_fetch(void *ctx, const struct il_http_options *options, const struct il_http_request *request,
                               struct il_http_response *out) {
    struct sf_script *s = ctx;
    (void)options;
    il_http_response_init(out, request->max_response_bytes);
    if (s->count < SF_MAX) {
        struct sf_request *r = &s->requests[s->count];
        (void)snprintf(r->method, sizeof(r->method), "%s", request->method);
        (void)snprintf(r->url, sizeof(r->url), "%s", request->url);
        size_t used = 0;
        for (size_t i = 0; i < request->header_count && used < sizeof(r->headers); i++) {
            int n = snprintf(r->headers + used, sizeof(r->headers) - used, "%s: %s\n", request->headers[i].name,
                             request->headers[i].value);
            used += n > 0 ? (size_t)n : 0;
        }
        r->timeout_ms = request->timeout_ms;
    }
    size_t n = s->count++;
    if (n >= s->reply_count) {
        out->failure = IL_HTTP_CONNECT;
        (void)snprintf(out->error, sizeof(out->error), "script exhausted");
        return IL_OK;
    }
    const struct sf_reply *reply = &s->replies[n];
    out->failure = reply->failure;
    out->status = reply->failure == IL_HTTP_OK ? reply->status : 0;
    if (reply->failure != IL_HTTP_OK) {
        (void)snprintf(out->error, sizeof(out->error), "Failed to connect to the scripted host");
    }
    if (reply->body != NULL && il_buf_puts(&out->body, reply->body) != IL_OK) {
        return IL_ERR_NOMEM;
    }
    return IL_OK;
}

/** Point @p s at @p replies and forget earlier requests; returns the fetcher to construct a provider with. */
static struct il_remote_fetcher sf_start(struct sf_script *s, const struct sf_reply *replies, size_t count) {
    memset(s, 0, sizeof(*s));
    s->replies = replies;
    s->reply_count = count;
    return (struct il_remote_fetcher){.fetch = sf_fetch, .ctx = s};
}

#endif
