/*
 * A scripted HTTP transport for unit tests (aws-c-auth's mock function table idea): every request the client starts
 * is recorded, a handler picks the response, and a virtual clock advances only when the client waits, so retry
 * backoff and rate limiting are tested exactly and instantly. Header-only; include in one test file.
 */
#ifndef IL_TEST_SCRIPTED_TRANSPORT_H
#define IL_TEST_SCRIPTED_TRANSPORT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/http.h"

#define ST_MAX_REQUESTS 1024

struct st_request {
    char method[16];
    char url[1024];
    char headers[2048]; /* "Name: value\n" */
    char body[4096];
    uint64_t at_ms; /* virtual time the request started */
};

struct st_reply {
    enum il_http_failure failure;
    int status;
    const char *headers; /* "Name: value\n" lines, may be NULL */
    const char *body;    /* may be NULL */
};

struct scripted;
/** Decide the reply to request number @p n (0-based). */
typedef struct st_reply (*st_handler_fn)(struct scripted *s, size_t n, const struct st_request *req);

struct scripted {
    struct il_http_transport transport;
    uint64_t now;
    uint64_t latency_ms;
    st_handler_fn handler;
    void *user;
    /* a simple sequential script used by st_sequence */
    const struct st_reply *script;
    size_t script_len;
    struct st_request requests[ST_MAX_REQUESTS];
    size_t count;
    void *pending_tokens[ST_MAX_REQUESTS];
    size_t pending_index[ST_MAX_REQUESTS];
    size_t pending;
    size_t max_pending; /* highest concurrency seen */
};

static uint64_t st_now(void *ctx) {
    return ((struct scripted *)ctx)->now;
}

static void st_copy(char *dst, size_t cap, const char *src, size_t len) {
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static enum il_status st_start(struct il_http_transport *t, const struct il_http_request *req, void *token) {
    struct scripted *s = t->impl;
    if (s->count >= ST_MAX_REQUESTS) {
        return IL_ERR_LIMIT;
    }
    struct st_request *r = &s->requests[s->count];
    memset(r, 0, sizeof(*r));
    st_copy(r->method, sizeof(r->method), req->method, strlen(req->method));
    st_copy(r->url, sizeof(r->url), req->url, strlen(req->url));
    size_t off = 0;
    for (size_t i = 0; i < req->header_count; i++) {
        int n = snprintf(r->headers + off, sizeof(r->headers) - off, "%s: %s\n", req->headers[i].name,
                         req->headers[i].value);
        if (n < 0 || (size_t)n >= sizeof(r->headers) - off) {
            break;
        }
        off += (size_t)n;
    }
    if (req->body_len) {
        st_copy(r->body, sizeof(r->body), req->body, req->body_len);
    }
    r->at_ms = s->now;
    s->pending_tokens[s->pending] = token;
    s->pending_index[s->pending] = s->count;
    s->pending++;
    if (s->pending > s->max_pending) {
        s->max_pending = s->pending;
    }
    s->count++;
    return IL_OK;
}

static enum il_status st_poll(struct il_http_transport *t, long timeout_ms, il_http_done_fn done, void *ctx) {
    struct scripted *s = t->impl;
    if (s->pending == 0) {
        s->now += (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
        return IL_OK;
    }
    s->now += s->latency_ms;
    size_t n = s->pending;
    void *tokens[ST_MAX_REQUESTS];
    size_t idx[ST_MAX_REQUESTS];
    memcpy(tokens, s->pending_tokens, n * sizeof(*tokens));
    memcpy(idx, s->pending_index, n * sizeof(*idx));
    s->pending = 0;
    for (size_t i = 0; i < n; i++) {
        struct st_reply reply = s->handler(s, idx[i], &s->requests[idx[i]]);
        struct il_http_response *resp = malloc(sizeof(*resp));
        if (resp == NULL) {
            return IL_ERR_NOMEM;
        }
        il_http_response_init(resp, 1 << 20);
        resp->failure = reply.failure;
        resp->status = reply.failure == IL_HTTP_OK ? reply.status : 0;
        if (reply.failure != IL_HTTP_OK) {
            snprintf(resp->error, sizeof(resp->error), "scripted %s", il_http_failure_str(reply.failure));
        }
        if (reply.headers && il_buf_puts(&resp->headers, reply.headers) != IL_OK) {
            return IL_ERR_NOMEM;
        }
        if (reply.body && il_buf_puts(&resp->body, reply.body) != IL_OK) {
            return IL_ERR_NOMEM;
        }
        resp->elapsed_ms = s->latency_ms;
        done(ctx, tokens[i], resp);
    }
    return IL_OK;
}

static void st_destroy(struct il_http_transport *t) {
    (void)t;
}

static const struct il_http_transport_vtable st_vtable = {"scripted", st_start, st_poll, st_destroy};

static struct st_reply st_sequence(struct scripted *s, size_t n, const struct st_request *req) {
    (void)req;
    if (n < s->script_len) {
        return s->script[n];
    }
    return (struct st_reply){IL_HTTP_OTHER, 0, NULL, NULL};
}

static void st_init(struct scripted *s, st_handler_fn handler) {
    memset(s, 0, sizeof(*s));
    s->transport.vtable = &st_vtable;
    s->transport.impl = s;
    s->handler = handler ? handler : st_sequence;
    s->now = 1000000;
}

#endif
