/* The request engine: per-(service, account, region) lanes behind token buckets, a concurrency limit, SigV4 on every
 * attempt, the standard retry mode with its quota, pagination hand-off, and the --debug trace. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws_client_impl.h"
#include "aws/aws_engine_bounds.h"
#include "aws/aws_sticky.h"
#include "il/aws/sigv4.h"

/* ---- lanes ---- */

static double s_now_s(const struct il_aws_engine *eng) {
    return (double)il_clock_now(&eng->clock) / 1000.0;
}

static enum il_status s_lane_for(struct il_aws_engine *eng, struct il_aws_call *call, struct il_aws_lane **out) {
    struct il_buf key;
    il_buf_init(&key, 512);
    IL_STICKY(il_buf_printf(&key, "%s|%s|%s", il_aws_service_name(call->service), call->client->account,
                            call->client->region));
    IL_TRY(il_buf_status(&key));
    for (struct il_aws_lane *l = eng->lanes; l; l = l->next) {
        if (strcmp(l->key, il_buf_cstr(&key)) == 0) {
            il_buf_release(&key);
            *out = l;
            return IL_OK;
        }
    }
    struct il_aws_lane *lane = calloc(1, sizeof(*lane));
    /* Lambda's control plane shares one per-account, per-region quota across the calls we make; the others are
     * called a handful of times per scan and rely on retries alone. */
    double rate = call->service == IL_AWS_LAMBDA ? eng->rate_limit : -1.0;
    if (lane == NULL || il_ratelimit_new(rate, eng->rate_burst, il_clock_now(&eng->clock), &lane->limiter) != IL_OK) {
        free(lane);
        il_buf_release(&key);
        return IL_ERR_NOMEM;
    }
    lane->key = il_buf_take(&key);
    il_buf_release(&key);
    if (lane->key == NULL ||
        (eng->retry_mode == IL_RETRY_MODE_ADAPTIVE && il_adaptive_new(s_now_s(eng), &lane->adaptive) != IL_OK)) {
        il_ratelimit_free(lane->limiter);
        free(lane->key);
        free(lane);
        return IL_ERR_NOMEM;
    }
    lane->next = eng->lanes;
    eng->lanes = lane;
    il_aws_trace(eng, "[aws] rate limit %s: %s", lane->key, rate > 0 ? "on" : "off");
    *out = lane;
    return IL_OK;
}

static enum il_status s_enqueue(struct il_aws_engine *eng, struct il_aws_call *call) {
    struct il_aws_lane *lane = NULL;
    IL_TRY(s_lane_for(eng, call, &lane));
    call->next = NULL;
    if (lane->tail) {
        lane->tail->next = call;
    } else {
        lane->head = call;
    }
    lane->tail = call;
    return IL_OK;
}

/* A fresh UUIDv4-shaped id per logical request (page), as the SDKs send in amz-sdk-invocation-id. */
static void s_new_invocation(struct il_aws_engine *eng, struct il_aws_call *call) {
    static const char hex[] = "0123456789abcdef";
    uint64_t a = (uint64_t)(il_retry_rng_next(&eng->rng) * 18446744073709551615.0);
    uint64_t b = (uint64_t)(il_retry_rng_next(&eng->rng) * 18446744073709551615.0);
    char *o = call->invocation_id;
    for (int i = 0, n = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            o[i] = '-';
            continue;
        }
        uint64_t src = n < 16 ? a >> (4 * n) : b >> (4 * (n - 16));
        o[i] = i == 14 ? '4' : hex[src & 15];
        n++;
    }
    o[36] = '\0';
}

enum il_status il_aws_call_submit(struct il_aws_call *call) {
    struct il_aws_engine *eng = call->client->engine;
    call->finished = 0;
    call->attempt = 0;
    call->pages = 0;
    call->error.attempts = 0;
    s_new_invocation(eng, call);
    call->error.status = IL_OK;
    call->deadline = il_clock_now(&eng->clock) + (uint64_t)eng->call_timeout_ms;
    IL_TRY(s_enqueue(eng, call));
    eng->pending++;
    return IL_OK;
}

enum il_status il_aws_call_run(struct il_aws_call *call) {
    IL_TRY(il_aws_call_submit(call));
    IL_TRY(il_aws_engine_run(call->client->engine));
    return call->error.status;
}

/* ---- finishing ---- */

static void s_finish(struct il_aws_engine *eng, struct il_aws_call *call) {
    if (call->error.status != IL_OK && call->on_error && call->on_error(call)) {
        call->error.status = IL_OK;
    }
    if (call->error.status != IL_OK) {
        eng->stats.failures++;
        if (eng->debug_fn) {
            struct il_buf d;
            il_buf_init(&d, 4096);
            IL_STICKY(il_aws_error_describe(&call->error, &d));
            il_aws_trace(eng, "[aws] failed: %s", il_buf_cstr(&d));
            il_buf_release(&d);
        }
    }
    call->finished = 1;
    eng->pending--;
    if (call->on_done) {
        call->on_done(call); /* may free the call or submit more work */
    }
}

static void s_set_error_message(struct il_aws_call *call, const char *msg) {
    free(call->error.message);
    call->error.message = il_strdup(msg);
    free(call->error.code);
    call->error.code = NULL;
    free(call->error.request_id);
    call->error.request_id = NULL;
    call->error.http_status = 0;
}

/* ---- scrubbing AWS text ---- */

/* Every string AWS sent that the error keeps (code, message, request id) loses the current credentials. */
static enum il_status s_scrub_error(struct il_aws_call *call) {
    const struct il_credentials *creds = call->client->creds;
    enum il_status st = il_credentials_scrub_inplace(creds, &call->error.code);
    if (st == IL_OK) {
        st = il_credentials_scrub_inplace(creds, &call->error.message);
    }
    if (st == IL_OK) {
        st = il_credentials_scrub_inplace(creds, &call->error.request_id);
    }
    return st;
}

/* ---- starting an attempt ---- */

static void s_trace_request(struct il_aws_engine *eng, const struct il_aws_call *call, const char *url,
                            const struct il_http_header *headers, size_t count) {
    struct il_buf u;
    il_buf_init(&u, 16384);
    IL_STICKY(il_http_redact_url(url, &u));
    il_aws_trace(eng, "[aws] -> %s.%s attempt %u/%u: %s %s", il_aws_service_name(call->service), call->operation,
                 call->attempt, eng->max_attempts, call->method, il_buf_cstr(&u));
    il_buf_release(&u);
    for (size_t i = 0; i < count; i++) {
        il_aws_trace(eng, "[aws]    %s: %s", headers[i].name,
                     il_http_header_is_secret(headers[i].name) ? "REDACTED" : headers[i].value);
    }
    if (!call->sensitive && call->body.len) {
        il_aws_trace(eng, "[aws]    body (%zu bytes): %.*s", call->body.len,
                     (int)(call->body.len > 1024 ? 1024 : call->body.len), call->body.data);
    } else if (call->body.len) {
        il_aws_trace(eng, "[aws]    body (%zu bytes): not shown (may hold credentials)", call->body.len);
    }
}

static enum il_status s_start_attempt(struct il_aws_engine *eng, struct il_aws_call *call) {
    struct il_aws_client *c = call->client;
    enum il_status st;
    struct il_buf why, path, url;
    struct il_sigv4_result sig;
    memset(&sig, 0, sizeof(sig));
    il_buf_init(&why, 2048);
    il_buf_init(&path, 16384);
    il_buf_init(&url, 32768);
    const struct il_credentials *creds = NULL;
    st = call->anonymous ? IL_OK : il_aws_client_credentials(c, &creds, &why);
    if (st != IL_OK) {
        IL_STICKY(il_aws_call_fail(call, st, "no usable credentials: %s", il_buf_cstr(&why)));
        goto cleanup;
    }
    IL_STICKY(il_buf_printf(&path, "%s%s", c->base_path[call->service], il_buf_cstr(&call->path)));
    IL_STICKY(il_buf_printf(&url, "%s%s%s%s", c->base_url[call->service], il_buf_cstr(&path),
                            call->query.len ? "?" : "", il_buf_cstr(&call->query)));
    if ((st = il_buf_status(&path)) != IL_OK || (st = il_buf_status(&url)) != IL_OK) {
        IL_STICKY(il_aws_call_fail(call, st, "request too large to build"));
        goto cleanup;
    }
    struct il_http_header headers[10];
    size_t n = 0;
    char sdk_request[48];
    snprintf(sdk_request, sizeof(sdk_request), "attempt=%u; max=%u", call->attempt + 1, eng->max_attempts);
    headers[n++] = (struct il_http_header){"Host", c->host[call->service]};
    headers[n++] = (struct il_http_header){"amz-sdk-invocation-id", call->invocation_id};
    headers[n++] = (struct il_http_header){"amz-sdk-request", sdk_request};
    if (call->content_type) {
        headers[n++] = (struct il_http_header){"Content-Type", call->content_type};
    }
    if (call->target) {
        headers[n++] = (struct il_http_header){"X-Amz-Target", call->target};
    }
    struct il_sigv4_request sreq = {
        .method = call->method,
        .path = il_buf_cstr(&path),
        .query = call->query.len ? il_buf_cstr(&call->query) : NULL,
        .headers = headers,
        .header_count = n,
        .body = call->body.data ? call->body.data : "",
        .body_len = call->body.len,
    };
    struct il_sigv4_params params = {
        .region = c->signing_region[call->service] ? c->signing_region[call->service] : c->region,
        .service = il_aws_service_name(call->service),
        .time = eng->wall_time ? eng->wall_time() : (int64_t)time(NULL),
        .add_content_sha256 = 0,
        .normalize_path = 1,
    };
    if (!call->anonymous) {
        st = il_sigv4_sign(&sreq, &params, creds, &sig);
        if (st != IL_OK) {
            IL_STICKY(il_aws_call_fail(call, st, "could not sign the request: %s", il_status_str(st)));
            goto cleanup;
        }
        headers[n++] = (struct il_http_header){"X-Amz-Date", sig.amz_date};
        if (sig.security_token) {
            headers[n++] = (struct il_http_header){"X-Amz-Security-Token", sig.security_token};
        }
        headers[n++] = (struct il_http_header){"Authorization", sig.authorization};
    }
    struct il_http_request req = {
        .method = call->method,
        .url = il_buf_cstr(&url),
        .headers = headers,
        .header_count = n,
        .body = call->body.data,
        .body_len = call->body.len,
        .connect_timeout_ms = il_aws_engine_cap_to_run(eng, eng->connect_timeout_ms),
        .timeout_ms = il_aws_engine_cap_to_run(eng, eng->request_timeout_ms),
        .max_response_bytes = eng->max_response_bytes,
    };
    call->attempt++;
    call->error.attempts++;
    if (eng->debug_fn) {
        s_trace_request(eng, call, req.url, headers, n);
    }
    st = eng->transport->vtable->start(eng->transport, &req, call);
    if (st != IL_OK) {
        IL_STICKY(il_aws_call_fail(call, IL_ERR_NETWORK, "could not start the request: %s", il_status_str(st)));
        goto cleanup;
    }
    eng->in_flight++;
    eng->stats.attempts++;
    if (call->attempt > 1) {
        eng->stats.retries++;
    }
cleanup:
    il_sigv4_result_release(&sig);
    il_buf_release(&why);
    il_buf_release(&path);
    il_buf_release(&url);
    return st;
}

/* ---- completing an attempt ---- */

static void s_trace_scrubbed(struct il_aws_engine *eng, const struct il_credentials *s, const char *prefix,
                             const char *text, size_t len) {
    char *copy = il_strndup(text, len);
    struct il_buf b;
    il_buf_init(&b, len + 64 * 1024);
    if (copy && il_credentials_scrub(s, copy, &b) == IL_OK) {
        il_aws_trace(eng, "%s%s", prefix, il_buf_cstr(&b));
    } else {
        il_aws_trace(eng, "%s(not shown: out of memory)", prefix);
    }
    il_buf_release(&b);
    free(copy);
}

static void s_trace_response_with(struct il_aws_engine *eng, const struct il_aws_call *call,
                                  const struct il_http_response *resp, const struct il_credentials *s) {
    char rid[128] = "";
    if (!il_http_response_header(resp, "x-amzn-RequestId", rid, sizeof(rid))) {
        IL_STICKY(il_http_response_header(resp, "x-amz-request-id", rid, sizeof(rid)));
    }
    if (resp->failure != IL_HTTP_OK) {
        il_aws_trace(eng, "[aws] <- %s.%s attempt %u: %s (%s) after %llu ms", il_aws_service_name(call->service),
                     call->operation, call->attempt, il_http_failure_str(resp->failure), resp->error,
                     (unsigned long long)resp->elapsed_ms);
        return;
    }
    struct il_buf rid_clean;
    il_buf_init(&rid_clean, 1024);
    IL_STICKY(il_credentials_scrub(s, rid, &rid_clean));
    il_aws_trace(eng, "[aws] <- %s.%s attempt %u: HTTP %d in %llu ms, request id %s, %zu bytes",
                 il_aws_service_name(call->service), call->operation, call->attempt, resp->status,
                 (unsigned long long)resp->elapsed_ms, rid_clean.len ? il_buf_cstr(&rid_clean) : "-", resp->body.len);
    il_buf_release(&rid_clean);
    const char *p = il_buf_cstr(&resp->headers);
    while (*p) {
        size_t len = strcspn(p, "\n");
        size_t name_len = strcspn(p, ":");
        char name[128];
        if (name_len < len && name_len < sizeof(name)) {
            memcpy(name, p, name_len);
            name[name_len] = '\0';
            if (il_http_header_is_secret(name)) {
                il_aws_trace(eng, "[aws]    %s: REDACTED", name);
            } else {
                s_trace_scrubbed(eng, s, "[aws]    ", p, len);
            }
        }
        p += len + (p[len] ? 1 : 0);
    }
    /* Only error bodies are shown, and never for services whose answers carry credentials (STS) or presigned URLs. */
    if ((resp->status < 200 || resp->status > 299) && !call->sensitive && resp->body.len) {
        s_trace_scrubbed(eng, s, "[aws]    body: ", resp->body.data, resp->body.len > 2048 ? 2048 : resp->body.len);
    }
}

/* adaptive mode: every answer (and transport failure) feeds the lane's CUBIC rate; throttles cut it */
static void s_adaptive_record(struct il_aws_engine *eng, struct il_aws_call *call, enum il_retry_class cls) {
    struct il_aws_lane *lane = NULL;
    if (eng->retry_mode != IL_RETRY_MODE_ADAPTIVE || s_lane_for(eng, call, &lane) != IL_OK || !lane->adaptive) {
        return;
    }
    int was = il_adaptive_enabled(lane->adaptive);
    il_adaptive_on_response(lane->adaptive, s_now_s(eng), cls == IL_RETRY_THROTTLE);
    if (cls == IL_RETRY_THROTTLE || was != il_adaptive_enabled(lane->adaptive)) {
        il_aws_trace(eng, "[aws] adaptive %s: throttled, send rate now %.2f/s (measured %.2f/s)", lane->key,
                     il_adaptive_rate(lane->adaptive), il_adaptive_measured_rate(lane->adaptive));
    }
}

static void s_trace_response(struct il_aws_engine *eng, const struct il_aws_call *call,
                             const struct il_http_response *resp) {
    s_trace_response_with(eng, call, resp, call->client->creds);
}

static int s_retry(struct il_aws_engine *eng, struct il_aws_call *call, enum il_retry_class cls) {
    if (cls == IL_RETRY_NO || call->attempt >= eng->max_attempts) {
        return 0;
    }
    uint64_t now = il_clock_now(&eng->clock);
    uint64_t delay = il_retry_backoff_ms(&eng->rng, call->attempt);
    if (now + delay >= call->deadline) {
        il_aws_trace(eng, "[aws] not retrying %s.%s: the call deadline would pass", il_aws_service_name(call->service),
                     call->operation);
        return 0;
    }
    if (now + delay >= eng->run_deadline) {
        il_aws_engine_run_timeout(eng, call, "before a retry");
        return 0;
    }
    /* legacy mode has no retry quota (botocore's legacy handler); standard and adaptive do */
    unsigned cost = eng->retry_mode == IL_RETRY_MODE_LEGACY ? 0 : il_retry_quota_acquire(&eng->quota, cls);
    if (cost == 0 && eng->retry_mode != IL_RETRY_MODE_LEGACY) {
        il_aws_trace(eng, "[aws] not retrying %s.%s: retry quota exhausted", il_aws_service_name(call->service),
                     call->operation);
        return 0;
    }
    call->retry_cost = cost;
    call->ready_at = now + delay;
    call->next = eng->sleeping;
    eng->sleeping = call;
    il_aws_trace(eng, "[aws] retry %s.%s in %llu ms after %s (quota %u)", il_aws_service_name(call->service),
                 call->operation, (unsigned long long)delay,
                 call->error.code ? call->error.code : (call->error.message ? call->error.message : "error"),
                 eng->quota.available);
    return 1;
}

/* AWS says the (temporary) credentials expired although we thought them fresh (clock skew, revoked session): drop
 * the cached ones so the provider is asked again, and send once more at once. Only for provider-backed clients:
 * fixed credentials (an assumed role) cannot be refreshed here. */
static int s_expired_refresh(struct il_aws_engine *eng, struct il_aws_call *call) {
    struct il_aws_client *c = call->client;
    const char *code = call->error.code;
    if (code == NULL || (strcmp(code, "ExpiredToken") != 0 && strcmp(code, "ExpiredTokenException") != 0 &&
                         strcmp(code, "RequestExpired") != 0)) {
        return 0;
    }
    if (c->fixed_creds || c->provider == NULL || call->refreshed || call->attempt >= eng->max_attempts) {
        return 0;
    }
    call->refreshed = 1;
    il_credentials_free(c->creds);
    c->creds = NULL;
    il_aws_trace(eng, "[aws] %s.%s: credentials expired, asking the provider again", il_aws_service_name(call->service),
                 call->operation);
    if (s_enqueue(eng, call) != IL_OK) {
        return 0;
    }
    return 1;
}

static enum il_status s_parse_error(struct il_aws_call *call, const struct il_http_response *resp) {
    return call->xml_errors ? il_aws_error_parse_xml(&call->error, resp) : il_aws_error_parse_json(&call->error, resp);
}

static void s_on_done(void *ctx, void *token, struct il_http_response *resp) {
    struct il_aws_engine *eng = ctx;
    struct il_aws_call *call = token;
    enum il_retry_class cls = IL_RETRY_NO;
    eng->in_flight--;
    if (eng->debug_fn) {
        s_trace_response(eng, call, resp);
    }
    if (resp->failure != IL_HTTP_OK) {
        char msg[300];
        snprintf(msg, sizeof(msg), "%s: %s", il_http_failure_str(resp->failure), resp->error);
        s_set_error_message(call, msg);
        call->error.status = resp->failure == IL_HTTP_TOO_LARGE ? IL_ERR_LIMIT : IL_ERR_NETWORK;
        if (resp->failure == IL_HTTP_TOO_LARGE) {
            free(call->error.message);
            call->error.message = NULL;
            IL_STICKY(il_aws_call_fail(call, IL_ERR_LIMIT, "the response body is larger than the %zu-byte limit",
                                       eng->max_response_bytes));
        }
        cls = il_retry_classify(resp->failure, 0, NULL);
    } else if (resp->status >= 200 && resp->status <= 299) {
        int more = 0;
        char rid[128];
        free(call->error.request_id);
        call->error.request_id = NULL;
        if (il_http_response_header(resp, "x-amzn-RequestId", rid, sizeof(rid)) ||
            il_http_response_header(resp, "x-amz-request-id", rid, sizeof(rid))) {
            call->error.request_id = il_strdup(rid);
            IL_STICKY(il_credentials_scrub_inplace(call->client->creds, &call->error.request_id));
        }
        call->error.http_status = resp->status;
        enum il_status st = il_aws_body_complete(call, resp);
        if (st == IL_OK) {
            st = call->on_page ? call->on_page(call, resp, &more) : IL_OK;
        }
        if (st == IL_OK) {
            s_adaptive_record(eng, call, IL_RETRY_NO);
            eng->stats.pages++;
            il_retry_quota_release(&eng->quota, call->retry_cost);
            call->retry_cost = 0;
            call->error.status = IL_OK;
            call->pages++;
            if (more && call->pages >= eng->max_pages) {
                IL_STICKY(il_aws_call_fail(call, IL_ERR_LIMIT,
                                           "cut short after %u pages (--max-pages %u): AWS still returned a next-page "
                                           "token, so the listing is incomplete",
                                           call->pages, eng->max_pages));
                more = 0;
            } else if (more && il_clock_now(&eng->clock) >= eng->run_deadline) {
                il_aws_engine_run_timeout(eng, call, "between pages");
                more = 0;
            }
            if (more) {
                call->attempt = 0;
                call->error.attempts = 0; /* "after N attempts" counts the page that failed, not the listing */
                s_new_invocation(eng, call);
                call->deadline = il_clock_now(&eng->clock) + (uint64_t)eng->call_timeout_ms;
                if (s_enqueue(eng, call) == IL_OK) {
                    goto done;
                }
                IL_STICKY(il_aws_call_fail(call, IL_ERR_NOMEM, "out of memory queueing the next page"));
            }
            s_finish(eng, call);
            goto done;
        }
        if (call->error.status == IL_OK) {
            call->error.status = st;
        }
        /* A malformed or truncated 200 is what a dropped connection looks like without Content-Length: retry. */
        cls = st == IL_ERR_PARSE ? IL_RETRY_TRANSIENT : IL_RETRY_NO;
    } else {
        if (s_parse_error(call, resp) != IL_OK || s_scrub_error(call) != IL_OK) {
            call->error.status = IL_ERR_NOMEM;
        } else {
            cls = il_retry_classify(IL_HTTP_OK, resp->status, call->error.code);
            if (cls == IL_RETRY_THROTTLE) {
                eng->stats.throttled++;
            }
            if (s_expired_refresh(eng, call)) {
                goto done;
            }
        }
    }
    s_adaptive_record(eng, call, cls);
    if (!s_retry(eng, call, cls)) {
        s_finish(eng, call);
    }
done:
    il_http_response_release(resp);
    free(resp);
}

/* ---- the loop ---- */

static void s_wake_sleepers(struct il_aws_engine *eng, uint64_t now, uint64_t *next_wake) {
    struct il_aws_call **pp = &eng->sleeping;
    while (*pp) {
        struct il_aws_call *call = *pp;
        if (call->ready_at <= now) {
            *pp = call->next;
            if (s_enqueue(eng, call) != IL_OK) {
                IL_STICKY(il_aws_call_fail(call, IL_ERR_NOMEM, "out of memory queueing a retry"));
                s_finish(eng, call);
            }
            continue;
        }
        if (call->ready_at < *next_wake) {
            *next_wake = call->ready_at;
        }
        pp = &call->next;
    }
}

static void s_dispatch(struct il_aws_engine *eng, uint64_t now, uint64_t *next_wake) {
    for (struct il_aws_lane *lane = eng->lanes; lane; lane = lane->next) {
        while (lane->head && eng->in_flight < eng->max_concurrency) {
            struct il_aws_call *call = lane->head;
            if (now >= eng->run_deadline) {
                lane->head = call->next;
                if (lane->head == NULL) {
                    lane->tail = NULL;
                }
                il_aws_engine_run_timeout(eng, call, "before it was sent");
                s_finish(eng, call);
                continue;
            }
            if (now >= call->deadline) {
                lane->head = call->next;
                if (lane->head == NULL) {
                    lane->tail = NULL;
                }
                IL_STICKY(il_aws_call_fail(call, IL_ERR_NETWORK, "timed out waiting to be sent (call timeout %ld ms)",
                                           eng->call_timeout_ms));
                s_finish(eng, call);
                continue;
            }
            uint64_t wait = lane->adaptive ? il_adaptive_wait_ms(lane->adaptive, (double)now / 1000.0) : 0;
            if (wait > 0 || !il_ratelimit_try_take(lane->limiter, now, &wait)) {
                if (now + wait < *next_wake) {
                    *next_wake = now + wait;
                }
                break;
            }
            if (lane->adaptive) {
                il_adaptive_take(lane->adaptive, (double)now / 1000.0);
            }
            lane->head = call->next;
            if (lane->head == NULL) {
                lane->tail = NULL;
            }
            call->next = NULL;
            if (s_start_attempt(eng, call) != IL_OK) {
                s_finish(eng, call);
            }
        }
    }
}

/* The transport failed as a whole: finish every call still waiting (in-flight ones stay with the transport). */
static void s_abort_queued(struct il_aws_engine *eng, enum il_status st) {
    while (eng->sleeping) {
        struct il_aws_call *call = eng->sleeping;
        eng->sleeping = call->next;
        IL_STICKY(il_aws_call_fail(call, st, "the HTTP transport failed: %s", il_status_str(st)));
        s_finish(eng, call);
    }
    for (struct il_aws_lane *lane = eng->lanes; lane; lane = lane->next) {
        while (lane->head) {
            struct il_aws_call *call = lane->head;
            lane->head = call->next;
            if (lane->head == NULL) {
                lane->tail = NULL;
            }
            IL_STICKY(il_aws_call_fail(call, st, "the HTTP transport failed: %s", il_status_str(st)));
            s_finish(eng, call);
        }
    }
}

enum il_status il_aws_engine_run(struct il_aws_engine *eng) {
    while (eng->pending > 0) {
        uint64_t now = il_clock_now(&eng->clock);
        uint64_t next_wake = UINT64_MAX;
        s_wake_sleepers(eng, now, &next_wake);
        s_dispatch(eng, now, &next_wake);
        if (eng->pending == 0) {
            break;
        }
        long timeout = 1000;
        if ((eng->in_flight > 0 || next_wake != UINT64_MAX) && next_wake > eng->run_deadline) {
            next_wake = eng->run_deadline; /* queued calls fail at the deadline, not a second later */
        }
        if (next_wake != UINT64_MAX) {
            timeout = next_wake <= now ? 0 : (long)(next_wake - now > 1000 ? 1000 : next_wake - now);
        }
        if (eng->in_flight == 0 && next_wake == UINT64_MAX) {
            /* Nothing in flight, nothing sleeping, nothing dispatchable: only a concurrency of 0 gets here. */
            return IL_ERR_INTERNAL;
        }
        enum il_status st = eng->transport->vtable->poll(eng->transport, timeout, s_on_done, eng);
        if (st != IL_OK) {
            s_abort_queued(eng, st);
            return st;
        }
    }
    return IL_OK;
}
