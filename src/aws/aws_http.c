/* The libcurl transport: one multi handle (its connection cache is shared by every transfer, so connections are
 * reused), a pool of reset easy handles, bounded response bodies. The only file that calls libcurl, always through
 * the table aws_curl_lib.c loads on first use (so commands that make no request never load libcurl). */
#include "il/aws/http.h"

#include "aws/aws_curl_lib.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define S_MAX_HEADER_BYTES (64 * 1024)

struct s_xfer {
    CURL *easy;
    struct curl_slist *headers;
    void *token;
    char *body;
    struct il_http_response *resp;
    size_t max_body;
    int too_large;
    uint64_t started_ms;
    char errbuf[CURL_ERROR_SIZE];
    struct s_xfer *prev, *next; /* in-flight list, so destroy can free abandoned transfers */
};

struct s_curl {
    const struct il_curl_lib *api; /* loaded libcurl; process-wide, borrowed */
    CURLM *multi;
    char *ca_bundle;
    CURL **idle; /* reset easy handles ready for reuse */
    size_t idle_count;
    size_t idle_cap;
    struct s_xfer *active;
};

static uint64_t s_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *il_http_failure_str(enum il_http_failure failure) {
    switch (failure) {
    case IL_HTTP_OK: return "ok";
    case IL_HTTP_CONNECT: return "could not connect";
    case IL_HTTP_TIMEOUT: return "timed out";
    case IL_HTTP_RESET: return "connection reset";
    case IL_HTTP_TRUNCATED: return "truncated response body";
    case IL_HTTP_TOO_LARGE: return "response body too large";
    case IL_HTTP_TLS: return "tls failure";
    case IL_HTTP_OTHER: return "transport failure";
    }
    return "transport failure";
}

void il_http_response_init(struct il_http_response *resp, size_t max_body) {
    memset(resp, 0, sizeof(*resp));
    il_buf_init(&resp->headers, S_MAX_HEADER_BYTES);
    il_buf_init(&resp->body, max_body ? max_body : (size_t)16 << 20);
}

void il_http_response_release(struct il_http_response *resp) {
    if (resp == NULL) {
        return;
    }
    il_buf_release(&resp->headers);
    il_buf_release(&resp->body);
}

int il_http_response_header(const struct il_http_response *resp, const char *name, char *out, size_t out_size) {
    size_t name_len = strlen(name);
    const char *p = il_buf_cstr(&resp->headers);
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t line_len = eol ? (size_t)(eol - p) : strlen(p);
        if (line_len > name_len && p[name_len] == ':' && strncasecmp(p, name, name_len) == 0) {
            const char *v = p + name_len + 1;
            const char *end = p + line_len;
            while (v < end && (*v == ' ' || *v == '\t')) {
                v++;
            }
            while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
                end--;
            }
            if (out_size > 0) {
                size_t n = (size_t)(end - v) < out_size - 1 ? (size_t)(end - v) : out_size - 1;
                memcpy(out, v, n);
                out[n] = '\0';
            }
            return 1;
        }
        p += line_len + (eol ? 1 : 0);
    }
    if (out_size > 0) {
        out[0] = '\0';
    }
    return 0;
}

static size_t s_on_body(char *data, size_t size, size_t nmemb, void *userp) {
    struct s_xfer *x = userp;
    size_t n = size * nmemb;
    if (il_buf_append(&x->resp->body, data, n) != IL_OK) {
        x->too_large = 1; /* returning short makes curl stop with CURLE_WRITE_ERROR */
        return 0;
    }
    return n;
}

static size_t s_on_header(char *data, size_t size, size_t nmemb, void *userp) {
    struct s_xfer *x = userp;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        il_buf_reset(&x->resp->headers); /* a new status line (after 100 Continue): keep only the last block */
        return n;
    }
    if (n <= 2) {
        return n;
    }
    size_t len = n;
    while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n')) {
        len--;
    }
    /* An announced body over the cap fails at once instead of after downloading it. */
    if (len > 15 && strncasecmp(data, "content-length:", 15) == 0) {
        char num[32];
        size_t vlen = len - 15 < sizeof(num) - 1 ? len - 15 : sizeof(num) - 1;
        memcpy(num, data + 15, vlen);
        num[vlen] = '\0';
        char *end = NULL;
        unsigned long long cl = strtoull(num, &end, 10);
        if (end != num && cl > x->max_body) {
            x->too_large = 1;
            return 0;
        }
    }
    if (il_buf_append(&x->resp->headers, data, len) != IL_OK || il_buf_putc(&x->resp->headers, '\n') != IL_OK) {
        /* header block over its bound: stop rather than grow */
        return 0;
    }
    return n;
}

static enum il_http_failure s_map_error(CURLcode code, int too_large) {
    if (too_large) {
        return IL_HTTP_TOO_LARGE;
    }
    switch (code) {
    case CURLE_OK: return IL_HTTP_OK;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return IL_HTTP_CONNECT;
    case CURLE_OPERATION_TIMEDOUT: return IL_HTTP_TIMEOUT;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return IL_HTTP_RESET;
    case CURLE_PARTIAL_FILE: return IL_HTTP_TRUNCATED;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE: return IL_HTTP_TLS;
    default: return IL_HTTP_OTHER;
    }
}

static CURL *s_take_easy(struct s_curl *c) {
    if (c->idle_count > 0) {
        CURL *e = c->idle[--c->idle_count];
        c->api->easy_reset(e);
        return e;
    }
    return c->api->easy_init();
}

static void s_give_easy(struct s_curl *c, CURL *e) {
    if (c->idle_count == c->idle_cap) {
        size_t cap = c->idle_cap ? c->idle_cap * 2 : 16;
        CURL **n = realloc(c->idle, cap * sizeof(*n));
        if (n == NULL) {
            c->api->easy_cleanup(e);
            return;
        }
        c->idle = n;
        c->idle_cap = cap;
    }
    c->idle[c->idle_count++] = e;
}

static void s_unlink(struct s_curl *c, struct s_xfer *x) {
    if (x->prev) {
        x->prev->next = x->next;
    } else if (c->active == x) {
        c->active = x->next;
    }
    if (x->next) {
        x->next->prev = x->prev;
    }
    x->prev = x->next = NULL;
}

static void s_xfer_free(struct s_curl *c, struct s_xfer *x) {
    if (x == NULL) {
        return;
    }
    if (x->easy) {
        s_give_easy(c, x->easy);
    }
    c->api->slist_free_all(x->headers);
    free(x->body);
    if (x->resp) {
        il_http_response_release(x->resp);
        free(x->resp);
    }
    free(x);
}

/* curl_easy_setopt is variadic: every value below already has the type its option takes (long, pointer, curl_off_t) */
#define S_SETOPT(c, easy, opt, val)                                                                                    \
    do {                                                                                                               \
        if ((c)->api->easy_setopt((easy), (opt), (val)) != CURLE_OK) {                                                 \
            goto cleanup;                                                                                              \
        }                                                                                                              \
    } while (0)

static enum il_status s_start(struct il_http_transport *t, const struct il_http_request *req, void *token) {
    struct s_curl *c = t->impl;
    enum il_status st = IL_ERR_NOMEM;
    struct s_xfer *x = calloc(1, sizeof(*x));
    if (x == NULL) {
        return IL_ERR_NOMEM;
    }
    x->token = token;
    x->max_body = req->max_response_bytes ? req->max_response_bytes : (size_t)16 << 20;
    x->resp = malloc(sizeof(*x->resp));
    x->easy = s_take_easy(c);
    if (x->resp == NULL || x->easy == NULL) {
        goto cleanup;
    }
    il_http_response_init(x->resp, x->max_body);
    struct il_buf line;
    il_buf_init(&line, 64 * 1024);
    for (size_t i = 0; i < req->header_count; i++) {
        il_buf_reset(&line);
        if (il_buf_printf(&line, "%s: %s", req->headers[i].name, req->headers[i].value) != IL_OK) {
            il_buf_release(&line);
            goto cleanup;
        }
        struct curl_slist *n = c->api->slist_append(x->headers, il_buf_cstr(&line));
        if (n == NULL) {
            il_buf_release(&line);
            goto cleanup;
        }
        x->headers = n;
    }
    il_buf_release(&line);
    /* no "Expect: 100-continue" round trip, and no Accept header nobody signed */
    struct curl_slist *n1 = c->api->slist_append(x->headers, "Expect:");
    if (n1 == NULL) {
        goto cleanup;
    }
    x->headers = n1;
    st = IL_ERR_INTERNAL;
    S_SETOPT(c, x->easy, CURLOPT_URL, req->url);
    S_SETOPT(c, x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    S_SETOPT(c, x->easy, CURLOPT_NOSIGNAL, 1L);
    S_SETOPT(c, x->easy, CURLOPT_FOLLOWLOCATION, 0L);
    S_SETOPT(c, x->easy, CURLOPT_HTTPHEADER, x->headers);
    S_SETOPT(c, x->easy, CURLOPT_WRITEFUNCTION, s_on_body);
    S_SETOPT(c, x->easy, CURLOPT_WRITEDATA, x);
    S_SETOPT(c, x->easy, CURLOPT_HEADERFUNCTION, s_on_header);
    S_SETOPT(c, x->easy, CURLOPT_HEADERDATA, x);
    S_SETOPT(c, x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
    S_SETOPT(c, x->easy, CURLOPT_PRIVATE, x);
    S_SETOPT(c, x->easy, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 10000L);
    S_SETOPT(c, x->easy, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 60000L);
    S_SETOPT(c, x->easy, CURLOPT_USERAGENT, "inspector-ledger/" IL_VERSION);
    if (c->ca_bundle) {
        S_SETOPT(c, x->easy, CURLOPT_CAINFO, c->ca_bundle);
    }
    if (strcmp(req->method, "GET") == 0) {
        S_SETOPT(c, x->easy, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(req->method, "POST") == 0 || req->body_len > 0) {
        x->body = malloc(req->body_len + 1);
        if (x->body == NULL) {
            st = IL_ERR_NOMEM;
            goto cleanup;
        }
        if (req->body_len) {
            memcpy(x->body, req->body, req->body_len);
        }
        S_SETOPT(c, x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        S_SETOPT(c, x->easy, CURLOPT_POSTFIELDS, x->body);
        if (strcmp(req->method, "POST") != 0) {
            S_SETOPT(c, x->easy, CURLOPT_CUSTOMREQUEST, req->method);
        }
    } else {
        S_SETOPT(c, x->easy, CURLOPT_CUSTOMREQUEST, req->method);
    }
    x->started_ms = s_now_ms();
    if (c->api->multi_add_handle(c->multi, x->easy) != CURLM_OK) {
        goto cleanup;
    }
    x->next = c->active;
    if (c->active) {
        c->active->prev = x;
    }
    c->active = x;
    return IL_OK;
cleanup:
    s_xfer_free(c, x);
    return st;
}

static enum il_status s_poll(struct il_http_transport *t, long timeout_ms, il_http_done_fn done, void *ctx) {
    struct s_curl *c = t->impl;
    int running = 0;
    if (c->api->multi_perform(c->multi, &running) != CURLM_OK) {
        return IL_ERR_NETWORK;
    }
    /* Wait only while a transfer is still running and none has finished: a finished one (its message queued) is
     * handed back at once, and with nothing running the caller's timeout is a timer (a backoff, a rate-limit slot)
     * that libcurl has no socket for, so the wait is the caller's own. */
    size_t active = 0;
    for (const struct s_xfer *x = c->active; x; x = x->next) {
        active++;
    }
    int finished = (size_t)running < active;
    if (timeout_ms > 0 && !finished) {
        if (c->api->multi_poll(c->multi, NULL, 0, (int)timeout_ms, NULL) != CURLM_OK) {
            return IL_ERR_NETWORK;
        }
        if (c->api->multi_perform(c->multi, &running) != CURLM_OK) {
            return IL_ERR_NETWORK;
        }
    }
    CURLMsg *msg;
    int left = 0;
    while ((msg = c->api->multi_info_read(c->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE) {
            continue;
        }
        CURL *easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        struct s_xfer *x = NULL;
        (void)c->api->easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
        (void)c->api->multi_remove_handle(c->multi, easy);
        if (x == NULL) {
            c->api->easy_cleanup(easy);
            continue;
        }
        s_unlink(c, x);
        struct il_http_response *resp = x->resp;
        x->resp = NULL;
        long status = 0;
        (void)c->api->easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        resp->failure = s_map_error(code, x->too_large);
        resp->status = resp->failure == IL_HTTP_OK ? (int)status : 0;
        resp->elapsed_ms = s_now_ms() - x->started_ms;
        if (resp->failure != IL_HTTP_OK) {
            /* curl's text names host and port only: never headers or bodies */
            const char *text = x->errbuf[0] ? x->errbuf : c->api->easy_strerror(code);
            size_t n = strnlen(text, sizeof(resp->error) - 1);
            memcpy(resp->error, text, n);
            resp->error[n] = '\0';
            il_buf_reset(&resp->body);
        }
        void *token = x->token;
        s_xfer_free(c, x);
        done(ctx, token, resp);
    }
    return IL_OK;
}

static void s_destroy(struct il_http_transport *t) {
    struct s_curl *c = t->impl;
    if (c == NULL) {
        return;
    }
    /* Abandoned transfers (an aborted run) are removed and freed; their tokens are the caller's. */
    while (c->active) {
        struct s_xfer *x = c->active;
        s_unlink(c, x);
        (void)c->api->multi_remove_handle(c->multi, x->easy);
        s_xfer_free(c, x);
    }
    for (size_t i = 0; i < c->idle_count; i++) {
        c->api->easy_cleanup(c->idle[i]);
    }
    free(c->idle);
    c->api->multi_cleanup(c->multi);
    free(c->ca_bundle);
    free(c);
    t->impl = NULL;
}

static const struct il_http_transport_vtable s_curl_vtable = {
    .name = "libcurl",
    .start = s_start,
    .poll = s_poll,
    .destroy = s_destroy,
};

enum il_status il_http_curl_new(const struct il_http_options *options, struct il_http_transport **out,
                                struct il_buf *why) {
    *out = NULL;
    const struct il_curl_lib *api = NULL;
    IL_TRY(il_curl_lib_get(&api, why));
    struct il_http_transport *t = calloc(1, sizeof(*t));
    struct s_curl *c = calloc(1, sizeof(*c));
    if (t == NULL || c == NULL) {
        free(t);
        free(c);
        return IL_ERR_NOMEM;
    }
    t->vtable = &s_curl_vtable;
    t->impl = c;
    c->api = api;
    c->multi = c->api->multi_init();
    if (c->multi == NULL) {
        il_http_transport_free(t);
        return IL_ERR_NOMEM;
    }
    long max_conn = options && options->max_connections ? (long)options->max_connections : 16L;
    (void)c->api->multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_conn);
    (void)c->api->multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, max_conn);
    (void)c->api->multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, max_conn);
    if (options && options->ca_bundle && options->ca_bundle[0]) {
        c->ca_bundle = il_strdup(options->ca_bundle);
        if (c->ca_bundle == NULL) {
            il_http_transport_free(t);
            return IL_ERR_NOMEM;
        }
    }
    *out = t;
    return IL_OK;
}

void il_http_transport_free(struct il_http_transport *transport) {
    if (transport == NULL) {
        return;
    }
    if (transport->vtable && transport->vtable->destroy) {
        transport->vtable->destroy(transport);
    }
    free(transport);
}

struct s_fetch {
    struct il_http_response *out;
    int done;
};

static void s_fetch_done(void *ctx, void *token, struct il_http_response *resp) {
    struct s_fetch *f = ctx;
    (void)token;
    il_http_response_release(f->out);
    *f->out = *resp; /* move: the buffers now belong to the caller's struct */
    free(resp);
    f->done = 1;
}

enum il_status il_http_fetch(const struct il_http_options *options, const struct il_http_request *request,
                             struct il_http_response *out) {
    il_http_response_init(out, request->max_response_bytes);
    struct il_http_transport *t = NULL;
    struct il_buf why;
    il_buf_init(&why, 1024);
    enum il_status st = il_http_curl_new(options, &t, &why);
    if (st != IL_OK) {
        /* not started; the reason (libcurl missing) goes where callers look for transport text */
        out->failure = IL_HTTP_OTHER;
        size_t n = strnlen(il_buf_cstr(&why), sizeof(out->error) - 1);
        memcpy(out->error, il_buf_cstr(&why), n);
        out->error[n] = '\0';
        il_buf_release(&why);
        return st;
    }
    il_buf_release(&why);
    struct s_fetch f = {.out = out, .done = 0};
    st = t->vtable->start(t, request, &f);
    /* curl enforces the request's own timeouts, so this loop ends */
    while (st == IL_OK && !f.done) {
        st = t->vtable->poll(t, 100, s_fetch_done, &f);
    }
    il_http_transport_free(t);
    return st;
}
