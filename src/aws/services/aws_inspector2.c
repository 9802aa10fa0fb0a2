/* Inspector2: BatchGetAccountStatus and ListCoverage (Lambda functions). */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"
#include "il/aws/inspector2.h"

#define S_DEFAULT_MAX 1000000u

static void s_account_release(struct il_inspector_account *a) {
    free(a->account_id);
    free(a->status);
    free(a->lambda_status);
    free(a->lambda_code_status);
    free(a->error_code);
    free(a->error_message);
    memset(a, 0, sizeof(*a));
}

void il_inspector_account_list_release(struct il_inspector_account_list *list) {
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        s_account_release(&list->items[i]);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static void s_coverage_release(struct il_inspector_coverage *c) {
    free(c->resource_id);
    free(c->resource_type);
    free(c->account_id);
    free(c->scan_type);
    free(c->status_code);
    free(c->status_reason);
    memset(c, 0, sizeof(*c));
}

void il_inspector_coverage_list_release(struct il_inspector_coverage_list *list) {
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        s_coverage_release(&list->items[i]);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static const cJSON *s_obj(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsObject(v) ? v : NULL;
}

static enum il_status s_status_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    struct il_inspector_account_list *out = call->ctx;
    struct il_inspector_account_list tmp = {0};
    cJSON *json = NULL;
    *more = 0;
    IL_TRY(il_aws_call_json(call, resp, &json));
    const cJSON *accounts = NULL;
    const cJSON *failed = cJSON_GetObjectItemCaseSensitive(json, "failedAccounts");
    enum il_status st = il_aws_json_member(call, json, "accounts", &accounts);
    if (st != IL_OK) {
        goto cleanup;
    }
    if ((accounts && !cJSON_IsArray(accounts)) || (failed && !cJSON_IsArray(failed) && !cJSON_IsNull(failed))) {
        st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: 'accounts' or 'failedAccounts' not arrays");
        goto cleanup;
    }
    size_t total = (size_t)cJSON_GetArraySize(accounts) + (size_t)cJSON_GetArraySize(failed);
    if (total && (tmp.items = calloc(total, sizeof(*tmp.items))) == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, accounts) {
        struct il_inspector_account *x = &tmp.items[tmp.count++];
        const cJSON *rs = s_obj(a, "resourceState");
        if ((st = il_aws_json_string(call, a, "accountId", 1, &x->account_id)) != IL_OK ||
            (st = il_aws_json_string(call, s_obj(a, "state"), "status", 0, &x->status)) != IL_OK ||
            (st = il_aws_json_string(call, s_obj(rs, "lambda"), "status", 0, &x->lambda_status)) != IL_OK ||
            (st = il_aws_json_string(call, s_obj(rs, "lambdaCode"), "status", 0, &x->lambda_code_status)) != IL_OK) {
            goto cleanup;
        }
    }
    cJSON_ArrayForEach(a, failed) {
        struct il_inspector_account *x = &tmp.items[tmp.count++];
        if ((st = il_aws_json_string(call, a, "accountId", 1, &x->account_id)) != IL_OK ||
            (st = il_aws_json_string(call, a, "status", 0, &x->status)) != IL_OK ||
            (st = il_aws_json_string(call, a, "errorCode", 0, &x->error_code)) != IL_OK ||
            (st = il_aws_json_string(call, a, "errorMessage", 0, &x->error_message)) != IL_OK) {
            goto cleanup;
        }
    }
    il_inspector_account_list_release(out);
    *out = tmp;
    tmp.items = NULL;
    tmp.count = 0;
cleanup:
    il_inspector_account_list_release(&tmp);
    cJSON_Delete(json);
    return st;
}

enum il_status il_inspector2_batch_get_account_status(struct il_aws_client *client, const char *const *account_ids,
                                                      size_t count, struct il_inspector_account_list *out,
                                                      struct il_aws_error *err) {
    struct il_aws_call call;
    memset(out, 0, sizeof(*out));
    enum il_status st = il_aws_call_init(&call, client, IL_AWS_OP_INSPECTOR2_BATCH_GET_ACCOUNT_STATUS);
    if (st == IL_OK) {
        IL_STICKY(il_buf_puts(&call.path, "/status/batch/get"));
        call.content_type = "application/json";
        IL_STICKY(il_buf_putc(&call.body, '{'));
        if (count) {
            IL_STICKY(il_buf_puts(&call.body, "\"accountIds\":["));
            for (size_t i = 0; i < count; i++) {
                IL_STICKY(il_buf_puts(&call.body, i ? "," : ""));
                IL_STICKY(il_aws_json_quote(&call.body, account_ids[i]));
            }
            IL_STICKY(il_buf_putc(&call.body, ']'));
        }
        IL_STICKY(il_buf_putc(&call.body, '}'));
        call.on_page = s_status_page;
        call.ctx = out;
        st = il_buf_status(&call.body);
    }
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_inspector_account_list_release(out);
    }
    return st;
}

struct s_cov_ctx {
    struct il_inspector_coverage_list *out;
    size_t cap;
    size_t max;
    const char *scan_type;
};

static enum il_status s_cov_body(struct il_aws_call *call, const struct s_cov_ctx *ctx, const char *token) {
    struct il_buf *b = &call->body;
    il_buf_reset(b);
    IL_STICKY(il_buf_puts(b, "{\"maxResults\":200,\"filterCriteria\":{\"resourceType\":[{\"comparison\":\"EQUALS\","
                             "\"value\":\"AWS_LAMBDA_FUNCTION\"}]"));
    if (ctx->scan_type) {
        IL_STICKY(il_buf_puts(b, ",\"scanType\":[{\"comparison\":\"EQUALS\",\"value\":"));
        IL_STICKY(il_aws_json_quote(b, ctx->scan_type));
        IL_STICKY(il_buf_puts(b, "}]"));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    if (token) {
        IL_STICKY(il_buf_puts(b, ",\"nextToken\":"));
        IL_STICKY(il_aws_json_quote(b, token));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    return il_buf_status(b);
}

static enum il_status s_cov_parse(struct il_aws_call *call, const cJSON *r, void *slot) {
    struct il_inspector_coverage *c = slot;
    const cJSON *ss = s_obj(r, "scanStatus");
    enum il_status st;
    if ((st = il_aws_json_string(call, r, "resourceId", 1, &c->resource_id)) != IL_OK ||
        (st = il_aws_json_string(call, r, "resourceType", 0, &c->resource_type)) != IL_OK ||
        (st = il_aws_json_string(call, r, "accountId", 0, &c->account_id)) != IL_OK ||
        (st = il_aws_json_string(call, r, "scanType", 0, &c->scan_type)) != IL_OK ||
        (st = il_aws_json_string(call, ss, "statusCode", 0, &c->status_code)) != IL_OK ||
        (st = il_aws_json_string(call, ss, "reason", 0, &c->status_reason)) != IL_OK) {
        return st;
    }
    return IL_OK;
}

static void s_cov_release(void *slot) {
    s_coverage_release(slot);
}

static enum il_status s_cov_take(struct il_aws_call *call, void *page, size_t *n) {
    struct s_cov_ctx *ctx = call->ctx;
    void *all = NULL;
    IL_TRY(il_aws_page_append(ctx->out->items, &ctx->out->count, &ctx->cap, page, *n, sizeof(*ctx->out->items), &all));
    ctx->out->items = all;
    *n = 0; /* moved */
    return IL_OK;
}

static enum il_status s_cov_next(struct il_aws_call *call, const char *token) {
    return s_cov_body(call, call->ctx, token);
}

static enum il_status s_cov_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    const struct s_cov_ctx *ctx = call->ctx;
    const struct il_aws_list_page page = {.items_key = "coveredResources",
                                          .token_key = "nextToken",
                                          .token_name = "token",
                                          .limit_what = "covered resources",
                                          .item_size = sizeof(struct il_inspector_coverage),
                                          .max = ctx->max,
                                          .seen = ctx->out->count,
                                          .parse = s_cov_parse,
                                          .release = s_cov_release,
                                          .take = s_cov_take,
                                          .next = s_cov_next};
    return il_aws_list_page(call, &page, resp, more);
}

enum il_status il_inspector2_list_coverage(struct il_aws_client *client, const char *scan_type, size_t max_items,
                                           struct il_inspector_coverage_list *out, struct il_aws_error *err) {
    struct il_aws_call call;
    struct s_cov_ctx ctx = {.out = out, .max = max_items ? max_items : S_DEFAULT_MAX, .scan_type = scan_type};
    memset(out, 0, sizeof(*out));
    enum il_status st = il_aws_call_init(&call, client, IL_AWS_OP_INSPECTOR2_LIST_COVERAGE);
    if (st == IL_OK) {
        IL_STICKY(il_buf_puts(&call.path, "/coverage/list"));
        call.content_type = "application/json";
        call.on_page = s_cov_page;
        call.ctx = &ctx;
        st = s_cov_body(&call, &ctx, NULL);
    }
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_inspector_coverage_list_release(out);
    }
    return st;
}
