/* Inspector2: BatchGetAccountStatus and ListCoverage (Lambda functions), one-shot and queued. Parsers are strict: a
 * member the model requires that is missing, or a member of the wrong type, fails the page (IL_ERR_PARSE). */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"
#include "aws/services/aws_inspector2_internal.h"
#include "il/aws/inspector2.h"

#define S_DEFAULT_MAX 1000000u
#define S_MAX_ACCOUNT_IDS 100u /* AccountIdSet's max in the model */

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
    free(c->function_name);
    free(c->runtime);
    il_tag_list_release(&c->tags);
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

enum il_status il_inspector2_object(struct il_aws_call *call, const cJSON *obj, const char *key, int required,
                                    const cJSON **out) {
    *out = NULL;
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    if (v == NULL || cJSON_IsNull(v)) {
        return required ? il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is missing", key) : IL_OK;
    }
    if (!cJSON_IsObject(v)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is not an object", key);
    }
    *out = v;
    return IL_OK;
}

enum il_status il_inspector2_account_id(struct il_aws_call *call, const cJSON *obj, const char *key, int required,
                                        char **out) {
    IL_TRY(il_aws_json_string(call, obj, key, required, out));
    if (*out == NULL) {
        return IL_OK;
    }
    size_t n = strlen(*out);
    int ok = n == 12;
    for (size_t i = 0; ok && i < n; i++) {
        ok = (*out)[i] >= '0' && (*out)[i] <= '9';
    }
    if (!ok) {
        free(*out);
        *out = NULL;
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is not a 12-digit account id", key);
    }
    return IL_OK;
}

/* ---- BatchGetAccountStatus ---- */

/* One State object's "status" (required by the model when the State is present). */
static enum il_status s_state(struct il_aws_call *call, const cJSON *parent, const char *key, int required,
                              char **out) {
    const cJSON *state = NULL;
    *out = NULL;
    IL_TRY(il_inspector2_object(call, parent, key, required, &state));
    return state ? il_aws_json_string(call, state, "status", 1, out) : IL_OK;
}

static enum il_status s_status_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    struct il_inspector_account_list *out = call->ctx;
    struct il_inspector_account_list tmp = {0};
    cJSON *json = NULL;
    const cJSON *accounts = NULL, *failed = NULL;
    size_t n_ok = 0, n_failed = 0;
    *more = 0;
    IL_TRY(il_aws_call_json(call, resp, &json));
    enum il_status st = il_aws_json_array(call, json, "accounts", &accounts, &n_ok);
    if (st == IL_OK) {
        st = il_aws_json_array(call, json, "failedAccounts", &failed, &n_failed);
    }
    if (st == IL_OK && accounts == NULL) {
        st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: 'accounts' is missing");
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    if (n_ok + n_failed && (tmp.items = calloc(n_ok + n_failed, sizeof(*tmp.items))) == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, accounts) {
        struct il_inspector_account *x = &tmp.items[tmp.count++];
        const cJSON *rs = NULL;
        if (!cJSON_IsObject(a)) {
            st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: an 'accounts' item is not an object");
            goto cleanup;
        }
        if ((st = il_inspector2_account_id(call, a, "accountId", 1, &x->account_id)) != IL_OK ||
            (st = s_state(call, a, "state", 1, &x->status)) != IL_OK ||
            (st = il_inspector2_object(call, a, "resourceState", 1, &rs)) != IL_OK ||
            (st = s_state(call, rs, "lambda", 0, &x->lambda_status)) != IL_OK ||
            (st = s_state(call, rs, "lambdaCode", 0, &x->lambda_code_status)) != IL_OK) {
            goto cleanup;
        }
    }
    cJSON_ArrayForEach(a, failed) {
        struct il_inspector_account *x = &tmp.items[tmp.count++];
        if (!cJSON_IsObject(a)) {
            st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: a 'failedAccounts' item is not an object");
            goto cleanup;
        }
        if ((st = il_inspector2_account_id(call, a, "accountId", 1, &x->account_id)) != IL_OK ||
            (st = il_aws_json_string(call, a, "status", 0, &x->status)) != IL_OK ||
            (st = il_aws_json_string(call, a, "errorCode", 1, &x->error_code)) != IL_OK ||
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

static enum il_status s_status_init(struct il_aws_call *call, struct il_aws_client *client,
                                    const char *const *account_ids, size_t count,
                                    struct il_inspector_account_list *out) {
    memset(out, 0, sizeof(*out));
    IL_TRY(il_aws_call_init(call, client, IL_AWS_OP_INSPECTOR2_BATCH_GET_ACCOUNT_STATUS));
    IL_STICKY(il_buf_puts(&call->path, "/status/batch/get"));
    call->content_type = "application/json";
    IL_STICKY(il_buf_putc(&call->body, '{'));
    if (count) {
        IL_STICKY(il_buf_puts(&call->body, "\"accountIds\":["));
        for (size_t i = 0; i < count; i++) {
            IL_STICKY(il_buf_puts(&call->body, i ? "," : ""));
            IL_STICKY(il_aws_json_quote(&call->body, account_ids[i]));
        }
        IL_STICKY(il_buf_putc(&call->body, ']'));
    }
    IL_STICKY(il_buf_putc(&call->body, '}'));
    call->on_page = s_status_page;
    call->ctx = out;
    return il_buf_status(&call->body) == IL_OK ? il_buf_status(&call->path) : il_buf_status(&call->body);
}

enum il_status il_inspector2_batch_get_account_status(struct il_aws_client *client, const char *const *account_ids,
                                                      size_t count, struct il_inspector_account_list *out,
                                                      struct il_aws_error *err) {
    if (count > S_MAX_ACCOUNT_IDS) {
        memset(out, 0, sizeof(*out));
        return IL_ERR_INVALID;
    }
    struct il_aws_call call;
    enum il_status st = s_status_init(&call, client, account_ids, count, out);
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_inspector_account_list_release(out);
    }
    return st;
}

struct s_status_async {
    struct il_aws_call call; /* first member: the engine hands back &async->call */
    struct il_inspector_account_list *out;
    il_aws_complete_fn done;
    void *done_ctx;
};

static void s_status_async_done(struct il_aws_call *call) {
    struct s_status_async *a = (struct s_status_async *)call;
    if (call->error.status != IL_OK) {
        il_inspector_account_list_release(a->out);
    }
    a->done(a->done_ctx, &call->error);
    il_aws_call_release(call);
    free(a);
}

enum il_status il_inspector2_batch_get_account_status_start(struct il_aws_client *client,
                                                            const char *const *account_ids, size_t count,
                                                            struct il_inspector_account_list *out,
                                                            il_aws_complete_fn done, void *ctx) {
    if (count > S_MAX_ACCOUNT_IDS) {
        return IL_ERR_INVALID;
    }
    struct s_status_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    a->out = out;
    a->done = done;
    a->done_ctx = ctx;
    enum il_status st = s_status_init(&a->call, client, account_ids, count, out);
    a->call.on_done = s_status_async_done;
    return il_aws_call_submit_owned(&a->call, st);
}

/* ---- ListCoverage ---- */

struct s_cov_ctx {
    struct il_inspector_coverage_list *out;
    size_t cap;
    size_t max;
    const char *scan_type;
    const char *account_id;
};

static enum il_status s_filter(struct il_buf *b, const char *key, const char *value) {
    IL_STICKY(il_buf_printf(b, ",\"%s\":[{\"comparison\":\"EQUALS\",\"value\":", key));
    IL_STICKY(il_aws_json_quote(b, value));
    IL_STICKY(il_buf_puts(b, "}]"));
    return il_buf_status(b);
}

static enum il_status s_cov_body(struct il_aws_call *call, const struct s_cov_ctx *ctx, const char *token) {
    struct il_buf *b = &call->body;
    il_buf_reset(b);
    IL_STICKY(il_buf_puts(b, "{\"maxResults\":200,\"filterCriteria\":{\"resourceType\":[{\"comparison\":\"EQUALS\","
                             "\"value\":\"AWS_LAMBDA_FUNCTION\"}]"));
    if (ctx->scan_type) {
        IL_STICKY(s_filter(b, "scanType", ctx->scan_type));
    }
    if (ctx->account_id) {
        IL_STICKY(s_filter(b, "accountId", ctx->account_id));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    if (token) {
        IL_STICKY(il_buf_puts(b, ",\"nextToken\":"));
        IL_STICKY(il_aws_json_quote(b, token));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    return il_buf_status(b);
}

static enum il_status s_cov_metadata(struct il_aws_call *call, const cJSON *r, struct il_inspector_coverage *c) {
    const cJSON *meta = NULL, *fn = NULL;
    IL_TRY(il_inspector2_object(call, r, "resourceMetadata", 0, &meta));
    IL_TRY(il_inspector2_object(call, meta, "lambdaFunction", 0, &fn));
    if (fn == NULL) {
        return IL_OK;
    }
    IL_TRY(il_aws_json_string(call, fn, "functionName", 0, &c->function_name));
    IL_TRY(il_aws_json_string(call, fn, "runtime", 0, &c->runtime));
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(fn, "functionTags");
    if (tags != NULL && !cJSON_IsNull(tags)) {
        if (!cJSON_IsObject(tags)) {
            return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: 'functionTags' is not an object");
        }
        IL_TRY(il_aws_json_tag_map(call, tags, &c->tags));
        c->tags_known = 1;
    }
    return IL_OK;
}

static enum il_status s_cov_parse(struct il_aws_call *call, const cJSON *r, void *slot) {
    struct il_inspector_coverage *c = slot;
    const cJSON *ss = NULL;
    if (!cJSON_IsObject(r)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: a 'coveredResources' item is not an object");
    }
    IL_TRY(il_aws_json_string(call, r, "resourceId", 1, &c->resource_id));
    IL_TRY(il_aws_json_string(call, r, "resourceType", 1, &c->resource_type));
    IL_TRY(il_inspector2_account_id(call, r, "accountId", 1, &c->account_id));
    IL_TRY(il_aws_json_string(call, r, "scanType", 1, &c->scan_type));
    IL_TRY(il_inspector2_object(call, r, "scanStatus", 0, &ss));
    if (ss != NULL) {
        IL_TRY(il_aws_json_string(call, ss, "statusCode", 1, &c->status_code));
        IL_TRY(il_aws_json_string(call, ss, "reason", 1, &c->status_reason));
    }
    /* the request filtered on it: anything else means the answer is not the one asked for */
    if (strcmp(c->resource_type, "AWS_LAMBDA_FUNCTION") != 0) {
        return il_aws_call_fail(call, IL_ERR_PARSE,
                                "malformed response: resourceType '%s' where only "
                                "AWS_LAMBDA_FUNCTION was asked for",
                                c->resource_type);
    }
    return s_cov_metadata(call, r, c);
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

static enum il_status s_cov_init(struct il_aws_call *call, struct il_aws_client *client, struct s_cov_ctx *ctx) {
    memset(ctx->out, 0, sizeof(*ctx->out));
    IL_TRY(il_aws_call_init(call, client, IL_AWS_OP_INSPECTOR2_LIST_COVERAGE));
    IL_STICKY(il_buf_puts(&call->path, "/coverage/list"));
    call->content_type = "application/json";
    call->on_page = s_cov_page;
    call->ctx = ctx;
    IL_TRY(il_buf_status(&call->path));
    return s_cov_body(call, ctx, NULL);
}

enum il_status il_inspector2_list_coverage(struct il_aws_client *client, const char *scan_type, size_t max_items,
                                           struct il_inspector_coverage_list *out, struct il_aws_error *err) {
    struct il_aws_call call;
    struct s_cov_ctx ctx = {.out = out, .max = max_items ? max_items : S_DEFAULT_MAX, .scan_type = scan_type};
    enum il_status st = s_cov_init(&call, client, &ctx);
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_inspector_coverage_list_release(out);
    }
    return st;
}

struct s_cov_async {
    struct il_aws_call call; /* first member */
    struct s_cov_ctx ctx;
    il_aws_complete_fn done;
    void *done_ctx;
};

static void s_cov_async_done(struct il_aws_call *call) {
    struct s_cov_async *a = (struct s_cov_async *)call;
    if (call->error.status != IL_OK) {
        il_inspector_coverage_list_release(a->ctx.out);
    }
    a->done(a->done_ctx, &call->error);
    il_aws_call_release(call);
    free(a);
}

enum il_status il_inspector2_list_coverage_start(struct il_aws_client *client,
                                                 const struct il_inspector_coverage_query *query,
                                                 struct il_inspector_coverage_list *out, il_aws_complete_fn done,
                                                 void *ctx) {
    struct s_cov_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    a->ctx = (struct s_cov_ctx){.out = out,
                                .max = query->max_items ? query->max_items : S_DEFAULT_MAX,
                                .scan_type = query->scan_type,
                                .account_id = query->account_id};
    a->done = done;
    a->done_ctx = ctx;
    enum il_status st = s_cov_init(&a->call, client, &a->ctx);
    a->call.on_done = s_cov_async_done;
    return il_aws_call_submit_owned(&a->call, st);
}
