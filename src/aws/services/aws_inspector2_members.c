/* Inspector2 ListMembers: the delegated administrator's member accounts and their relationship, every page. */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"
#include "aws/services/aws_inspector2_internal.h"
#include "il/aws/inspector2.h"

#define S_DEFAULT_MAX 100000u

static void s_member_release(struct il_inspector_member *m) {
    free(m->account_id);
    free(m->relationship_status);
    free(m->delegated_admin_id);
    memset(m, 0, sizeof(*m));
}

void il_inspector_member_list_release(struct il_inspector_member_list *list) {
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        s_member_release(&list->items[i]);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

struct s_ctx {
    struct il_inspector_member_list *out;
    size_t cap;
    size_t max;
};

static enum il_status s_body(struct il_aws_call *call, const char *token) {
    struct il_buf *b = &call->body;
    il_buf_reset(b);
    /* every member, whatever its relationship: the plan names the ones the administrator does not cover */
    IL_STICKY(il_buf_puts(b, "{\"onlyAssociated\":false,\"maxResults\":50"));
    if (token) {
        IL_STICKY(il_buf_puts(b, ",\"nextToken\":"));
        IL_STICKY(il_aws_json_quote(b, token));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    return il_buf_status(b);
}

static enum il_status s_parse(struct il_aws_call *call, const cJSON *item, void *slot) {
    struct il_inspector_member *m = slot;
    if (!cJSON_IsObject(item)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: a 'members' item is not an object");
    }
    /* the model marks nothing required; a member without an account id or a relationship says nothing usable */
    IL_TRY(il_inspector2_account_id(call, item, "accountId", 1, &m->account_id));
    IL_TRY(il_aws_json_string(call, item, "relationshipStatus", 1, &m->relationship_status));
    return il_inspector2_account_id(call, item, "delegatedAdminAccountId", 0, &m->delegated_admin_id);
}

static void s_release(void *slot) {
    s_member_release(slot);
}

static enum il_status s_take(struct il_aws_call *call, void *page, size_t *n) {
    struct s_ctx *ctx = call->ctx;
    void *all = NULL;
    IL_TRY(il_aws_page_append(ctx->out->items, &ctx->out->count, &ctx->cap, page, *n, sizeof(*ctx->out->items), &all));
    ctx->out->items = all;
    *n = 0;
    return IL_OK;
}

static enum il_status s_next(struct il_aws_call *call, const char *token) {
    return s_body(call, token);
}

static enum il_status s_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    const struct s_ctx *ctx = call->ctx;
    const struct il_aws_list_page page = {.items_key = "members",
                                          .token_key = "nextToken",
                                          .token_name = "token",
                                          .limit_what = "member accounts",
                                          .item_size = sizeof(struct il_inspector_member),
                                          .max = ctx->max,
                                          .seen = ctx->out->count,
                                          .parse = s_parse,
                                          .release = s_release,
                                          .take = s_take,
                                          .next = s_next};
    return il_aws_list_page(call, &page, resp, more);
}

static enum il_status s_init(struct il_aws_call *call, struct il_aws_client *client, struct s_ctx *ctx) {
    memset(ctx->out, 0, sizeof(*ctx->out));
    IL_TRY(il_aws_call_init(call, client, IL_AWS_OP_INSPECTOR2_LIST_MEMBERS));
    IL_STICKY(il_buf_puts(&call->path, "/members/list"));
    call->content_type = "application/json";
    call->on_page = s_page;
    call->ctx = ctx;
    IL_TRY(il_buf_status(&call->path));
    return s_body(call, NULL);
}

enum il_status il_inspector2_list_members(struct il_aws_client *client, size_t max_items,
                                          struct il_inspector_member_list *out, struct il_aws_error *err) {
    struct il_aws_call call;
    struct s_ctx ctx = {.out = out, .max = max_items ? max_items : S_DEFAULT_MAX};
    enum il_status st = s_init(&call, client, &ctx);
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_inspector_member_list_release(out);
    }
    return st;
}

struct s_async {
    struct il_aws_call call; /* first member */
    struct s_ctx ctx;
    il_aws_complete_fn done;
    void *done_ctx;
};

static void s_async_done(struct il_aws_call *call) {
    struct s_async *a = (struct s_async *)call;
    if (call->error.status != IL_OK) {
        il_inspector_member_list_release(a->ctx.out);
    }
    a->done(a->done_ctx, &call->error);
    il_aws_call_release(call);
    free(a);
}

enum il_status il_inspector2_list_members_start(struct il_aws_client *client, size_t max_items,
                                                struct il_inspector_member_list *out, il_aws_complete_fn done,
                                                void *ctx) {
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    a->ctx = (struct s_ctx){.out = out, .max = max_items ? max_items : S_DEFAULT_MAX};
    a->done = done;
    a->done_ctx = ctx;
    enum il_status st = s_init(&a->call, client, &a->ctx);
    a->call.on_done = s_async_done;
    return il_aws_call_submit_owned(&a->call, st);
}
