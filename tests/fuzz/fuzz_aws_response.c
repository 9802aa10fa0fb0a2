/*
 * libFuzzer target: AWS responses (success bodies of every operation, JSON and XML error bodies) through the real
 * client and parsers, over an in-memory transport that answers every request with the fuzz input. Byte 0 picks the
 * operation, byte 1 the HTTP status class; the rest is the body. One attempt per request, so no sleeping.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/client.h"
#include "il/aws/inspector2.h"
#include "il/aws/lambda.h"
#include "il/aws/sts.h"
#include "il/aws/tagging.h"

struct s_fuzz {
    struct il_http_transport transport;
    const uint8_t *body;
    size_t len;
    int status;
    void *pending[64];
    size_t npending;
    uint64_t now;
};

static uint64_t s_now(void *ctx) {
    return ((struct s_fuzz *)ctx)->now;
}

static enum il_status s_start(struct il_http_transport *t, const struct il_http_request *req, void *token) {
    struct s_fuzz *f = t->impl;
    (void)req;
    if (f->npending == 64) {
        return IL_ERR_LIMIT;
    }
    f->pending[f->npending++] = token;
    return IL_OK;
}

static enum il_status s_poll(struct il_http_transport *t, long timeout_ms, il_http_done_fn done, void *ctx) {
    struct s_fuzz *f = t->impl;
    f->now += (uint64_t)(timeout_ms > 0 ? timeout_ms : 1);
    size_t n = f->npending;
    void *tokens[64];
    memcpy(tokens, f->pending, n * sizeof(*tokens));
    f->npending = 0;
    for (size_t i = 0; i < n; i++) {
        struct il_http_response *resp = malloc(sizeof(*resp));
        if (resp == NULL) {
            return IL_ERR_NOMEM;
        }
        il_http_response_init(resp, 1 << 20);
        resp->status = f->status;
        if (il_buf_puts(&resp->headers, "x-amzn-RequestId: fuzz\nx-amzn-ErrorType: Fuzz:x\n") != IL_OK ||
            il_buf_append(&resp->body, f->body, f->len) != IL_OK) {
            il_http_response_release(resp);
            free(resp);
            return IL_ERR_NOMEM;
        }
        done(ctx, tokens[i], resp);
    }
    return IL_OK;
}

static void s_destroy(struct il_http_transport *t) {
    (void)t;
}

static const struct il_http_transport_vtable s_vtable = {"fuzz", s_start, s_poll, s_destroy};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const int statuses[] = {200, 200, 400, 403, 404, 429, 500, 503};
    if (size < 2) {
        return 0;
    }
    struct s_fuzz f = {
        .transport = {&s_vtable, NULL}, .body = data + 2, .len = size - 2, .status = statuses[data[1] % 8], .now = 1};
    f.transport.impl = &f;
    struct il_credentials *creds = NULL;
    if (il_credentials_new("AKIDFUZZ", "fuzzsecret", "fuzztoken", 0, &creds) != IL_OK) {
        return 0;
    }
    struct il_credentials_provider *provider = il_credentials_provider_static_new(creds, "fuzz");
    il_credentials_free(creds);
    struct il_aws_client_config cfg = {.region = "us-east-1",
                                       .credentials = provider,
                                       .max_attempts = 1,
                                       .rate_limit = -1,
                                       .transport = &f.transport,
                                       .clock = {s_now, &f}};
    struct il_aws_client *c = NULL;
    if (provider == NULL || il_aws_client_new(&cfg, &c, NULL) != IL_OK) {
        il_credentials_provider_free(provider);
        return 0;
    }
    struct il_aws_error err;
    il_aws_error_init(&err);
    switch (data[0] % 9) {
    case 0: {
        struct il_lambda_function_list l;
        if (il_lambda_list_functions(c, 1000, &l, &err) == IL_OK) {
            il_lambda_function_list_release(&l);
        }
        break;
    }
    case 1: {
        const char *arns[] = {"arn:a", "arn:b", "arn:c"};
        struct il_lambda_tags_result r[3];
        memset(r, 0, sizeof(r));
        if (il_lambda_list_tags_batch(c, arns, 3, r) == IL_OK) {
            for (int i = 0; i < 3; i++) {
                il_lambda_tags_result_release(&r[i]);
            }
        }
        break;
    }
    case 2: {
        int found = 0;
        struct il_lambda_function fn;
        struct il_tag_list tags;
        if (il_lambda_get_function(c, "f", &found, &fn, &tags, &err) == IL_OK) {
            il_lambda_function_release(&fn);
            il_tag_list_release(&tags);
        }
        break;
    }
    case 3: {
        struct il_tagged_resource_list l;
        struct il_tag_filter flt = {"InspectorExclusion", NULL, 0};
        if (il_tagging_get_resources(c, &flt, 1, 1000, &l, &err) == IL_OK) {
            il_tagged_resource_list_release(&l);
        }
        break;
    }
    case 4: {
        struct il_sts_identity id;
        if (il_sts_get_caller_identity(c, &id, &err) == IL_OK) {
            il_sts_identity_release(&id);
        }
        break;
    }
    case 5:
    case 6: {
        struct il_sts_assume_role_params p = {
            .role_arn = "arn:aws:iam::1:role/r", .session_name = "s", .web_identity_token = "tok"};
        struct il_sts_assumed out;
        enum il_status st = data[0] % 9 == 5 ? il_sts_assume_role(c, &p, &out, &err)
                                             : il_sts_assume_role_with_web_identity(c, &p, &out, &err);
        if (st == IL_OK) {
            il_sts_assumed_release(&out);
        }
        break;
    }
    case 7: {
        struct il_inspector_account_list l;
        if (il_inspector2_batch_get_account_status(c, NULL, 0, &l, &err) == IL_OK) {
            il_inspector_account_list_release(&l);
        }
        break;
    }
    default: {
        struct il_inspector_coverage_list l;
        if (il_inspector2_list_coverage(c, NULL, 1000, &l, &err) == IL_OK) {
            il_inspector_coverage_list_release(&l);
        }
        break;
    }
    }
    struct il_buf d;
    il_buf_init(&d, 0);
    if (il_aws_error_describe(&err, &d) != IL_OK) {
        d.len = 0;
    }
    il_buf_release(&d);
    il_aws_error_release(&err);
    il_aws_client_free(c);
    il_credentials_provider_free(provider);
    return 0;
}
