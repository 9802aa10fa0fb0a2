/* Resource Groups Tagging API: GetResources for Lambda functions, every page. */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"
#include "il/aws/tagging.h"

#define S_DEFAULT_MAX 1000000u

void il_tagged_resource_list_release(struct il_tagged_resource_list *list) {
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].arn);
        il_tag_list_release(&list->items[i].tags);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

struct s_ctx {
    struct il_tagged_resource_list *out;
    size_t cap;
    size_t max;
    const struct il_tag_filter *filters;
    size_t filter_count;
};

static enum il_status s_body(struct il_aws_call *call, const struct s_ctx *ctx, const char *token) {
    struct il_buf *b = &call->body;
    il_buf_reset(b);
    IL_STICKY(il_buf_puts(b, "{\"ResourceTypeFilters\":[\"lambda:function\"],\"ResourcesPerPage\":100"));
    if (ctx->filter_count) {
        IL_STICKY(il_buf_puts(b, ",\"TagFilters\":["));
        for (size_t i = 0; i < ctx->filter_count; i++) {
            IL_STICKY(il_buf_puts(b, i ? ",{\"Key\":" : "{\"Key\":"));
            IL_STICKY(il_aws_json_quote(b, ctx->filters[i].key));
            if (ctx->filters[i].value_count) {
                IL_STICKY(il_buf_puts(b, ",\"Values\":["));
                for (size_t j = 0; j < ctx->filters[i].value_count; j++) {
                    IL_STICKY(il_buf_puts(b, j ? "," : ""));
                    IL_STICKY(il_aws_json_quote(b, ctx->filters[i].values[j]));
                }
                IL_STICKY(il_buf_putc(b, ']'));
            }
            IL_STICKY(il_buf_putc(b, '}'));
        }
        IL_STICKY(il_buf_putc(b, ']'));
    }
    if (token) {
        IL_STICKY(il_buf_puts(b, ",\"PaginationToken\":"));
        IL_STICKY(il_aws_json_quote(b, token));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    return il_buf_status(b);
}

static enum il_status s_parse(struct il_aws_call *call, const cJSON *item, void *slot) {
    struct il_tagged_resource *r = slot;
    if (!cJSON_IsObject(item)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: a resource mapping is not an object");
    }
    IL_TRY(il_aws_json_string(call, item, "ResourceARN", 1, &r->arn));
    return il_aws_json_tag_array(call, cJSON_GetObjectItemCaseSensitive(item, "Tags"), &r->tags);
}

static void s_release(void *slot) {
    struct il_tagged_resource *r = slot;
    free(r->arn);
    il_tag_list_release(&r->tags);
}

static enum il_status s_take(struct il_aws_call *call, void *page, size_t *n) {
    struct s_ctx *ctx = call->ctx;
    void *all = NULL;
    IL_TRY(il_aws_page_append(ctx->out->items, &ctx->out->count, &ctx->cap, page, *n, sizeof(*ctx->out->items), &all));
    ctx->out->items = all;
    *n = 0; /* moved */
    return IL_OK;
}

static enum il_status s_next(struct il_aws_call *call, const char *token) {
    return s_body(call, call->ctx, token);
}

static enum il_status s_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    const struct s_ctx *ctx = call->ctx;
    const struct il_aws_list_page page = {.items_key = "ResourceTagMappingList",
                                          .token_key = "PaginationToken",
                                          .token_name = "token",
                                          .limit_what = "tagged resources",
                                          .item_size = sizeof(struct il_tagged_resource),
                                          .max = ctx->max,
                                          .seen = ctx->out->count,
                                          .parse = s_parse,
                                          .release = s_release,
                                          .take = s_take,
                                          .next = s_next};
    return il_aws_list_page(call, &page, resp, more);
}

enum il_status il_tagging_get_resources(struct il_aws_client *client, const struct il_tag_filter *filters,
                                        size_t filter_count, size_t max_resources, struct il_tagged_resource_list *out,
                                        struct il_aws_error *err) {
    struct il_aws_call call;
    struct s_ctx ctx = {.out = out,
                        .max = max_resources ? max_resources : S_DEFAULT_MAX,
                        .filters = filters,
                        .filter_count = filter_count};
    memset(out, 0, sizeof(*out));
    enum il_status st = il_aws_call_init(&call, client, IL_AWS_OP_TAGGING_GET_RESOURCES);
    if (st == IL_OK) {
        IL_STICKY(il_buf_putc(&call.path, '/'));
        call.content_type = "application/x-amz-json-1.1";
        call.target = "ResourceGroupsTaggingAPI_20170126.GetResources";
        call.on_page = s_page;
        call.ctx = &ctx;
        if (filter_count > 50) {
            st = il_aws_call_fail(&call, IL_ERR_INVALID, "at most 50 tag filters per request (got %zu)", filter_count);
        } else {
            st = s_body(&call, &ctx, NULL);
        }
    }
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_tagged_resource_list_release(out);
    }
    return st;
}

/* ---- queued variant ---- */

struct s_async {
    struct il_aws_call call; /* first member: the engine hands back &async->call */
    struct s_ctx ctx;
    il_aws_complete_fn done;
    void *done_ctx;
};

static void s_async_done(struct il_aws_call *call) {
    struct s_async *a = (struct s_async *)call;
    if (call->error.status != IL_OK) {
        il_tagged_resource_list_release(a->ctx.out);
    }
    a->done(a->done_ctx, &call->error);
    il_aws_call_release(call);
    free(a);
}

enum il_status il_tagging_get_resources_start(struct il_aws_client *client, const struct il_tag_filter *filters,
                                              size_t filter_count, size_t max_resources,
                                              struct il_tagged_resource_list *out, il_aws_complete_fn done, void *ctx) {
    if (filter_count > 50) {
        return IL_ERR_INVALID;
    }
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    memset(out, 0, sizeof(*out));
    a->ctx = (struct s_ctx){.out = out,
                            .max = max_resources ? max_resources : S_DEFAULT_MAX,
                            .filters = filters,
                            .filter_count = filter_count};
    a->done = done;
    a->done_ctx = ctx;
    enum il_status st = il_aws_call_init(&a->call, client, IL_AWS_OP_TAGGING_GET_RESOURCES);
    if (st == IL_OK) {
        IL_STICKY(il_buf_putc(&a->call.path, '/'));
        a->call.content_type = "application/x-amz-json-1.1";
        a->call.target = "ResourceGroupsTaggingAPI_20170126.GetResources";
        a->call.on_page = s_page;
        a->call.on_done = s_async_done;
        a->call.ctx = &a->ctx;
        st = s_body(&a->call, &a->ctx, NULL);
    }
    return il_aws_call_submit_owned(&a->call, st);
}
