/* The bounds on a run the engine enforces (aws_engine_bounds.c): --max-pages / --timeout parsing, the run deadline,
 * and the Content-Length check of a 2xx body. Internal. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_client_impl.h"
#include "aws/aws_engine_bounds.h"
#include "aws/aws_sticky.h"

/* ---- bounds (--max-pages, --timeout) ---- */

static enum il_status s_parse_whole(const char *text, unsigned long long lo, unsigned long long hi,
                                    unsigned long long *out) {
    char *end = NULL;
    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return IL_ERR_INVALID;
    }
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) {
        return IL_ERR_INVALID;
    }
    *out = v;
    return IL_OK;
}

enum il_status il_aws_parse_max_pages(const char *text, unsigned *out) {
    unsigned long long v = 0;
    IL_TRY(s_parse_whole(text, 1, 10000000, &v));
    *out = (unsigned)v;
    return IL_OK;
}

enum il_status il_aws_parse_timeout(const char *text, long *out_ms) {
    unsigned long long v = 0;
    IL_TRY(s_parse_whole(text, 0, 604800, &v));
    *out_ms = (long)v * 1000L;
    return IL_OK;
}

/* An attempt never outlives the run's --timeout. */
long il_aws_engine_cap_to_run(struct il_aws_engine *eng, long ms) {
    if (eng->run_deadline == UINT64_MAX) {
        return ms;
    }
    uint64_t now = il_clock_now(&eng->clock);
    uint64_t left = eng->run_deadline > now ? eng->run_deadline - now : 1;
    return left < (uint64_t)ms ? (long)(left ? left : 1) : ms;
}

/* --timeout passed: the call fails naming the bound and what it was doing; AWS's last answer stays in the text. */
void il_aws_engine_run_timeout(struct il_aws_engine *eng, struct il_aws_call *call, const char *when) {
    struct il_buf last;
    il_buf_init(&last, IL_AWS_ERROR_MAX_MESSAGE);
    if (call->error.status != IL_OK) {
        IL_STICKY(il_buf_printf(&last, "; the last attempt ended in %s%s%s",
                                call->error.code ? call->error.code : il_status_str(call->error.status),
                                call->error.message ? ": " : "", call->error.message ? call->error.message : ""));
    }
    IL_STICKY(il_aws_call_fail(call, IL_ERR_LIMIT,
                               "cut short %s after %u page(s): the run timeout (--timeout %ld s) passed%s", when,
                               call->pages, eng->run_timeout_ms / 1000, il_buf_cstr(&last)));
    il_buf_release(&last);
}

/* curl ends a transfer at Content-Length, but not every transport is curl (a proxy, a scripted table): a 2xx body
 * whose length differs from the one announced is a truncated answer, retried like a malformed one. */
enum il_status il_aws_body_complete(struct il_aws_call *call, const struct il_http_response *resp) {
    char value[32];
    if (strcmp(call->method, "HEAD") == 0 || !il_http_response_header(resp, "Content-Length", value, sizeof(value))) {
        return IL_OK;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long want = strtoull(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || value[0] == '-' || want != (unsigned long long)resp->body.len) {
        return il_aws_call_fail(call, IL_ERR_PARSE,
                                "truncated response: %zu body bytes where Content-Length announced '%s'",
                                resp->body.len, value);
    }
    return IL_OK;
}
