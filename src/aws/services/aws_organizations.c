/* AWS Organizations ListAccounts (json 1.1), every page. Strict: an account without a 12-digit Id, or a member of the
 * wrong type, fails the page. */
#include "il/aws/organizations.h"

#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"
#include "aws/services/aws_inspector2_internal.h"

#define S_DEFAULT_MAX 100000u

static void s_account_release(struct il_org_account *a) {
    free(a->id);
    free(a->name);
    free(a->status);
    free(a->state);
    memset(a, 0, sizeof(*a));
}

void il_org_account_list_release(struct il_org_account_list *list) {
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

int il_org_account_is_active(const struct il_org_account *a) {
    const char *s = a->state ? a->state : a->status;
    return s != NULL && strcmp(s, "ACTIVE") == 0;
}

const char *il_organizations_region(const char *partition) {
    static const struct {
        const char *partition, *region;
    } map[] = {{"aws", "us-east-1"}, {"aws-us-gov", "us-gov-west-1"}, {"aws-cn", "cn-northwest-1"}};
    for (size_t i = 0; partition && i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(map[i].partition, partition) == 0) {
            return map[i].region;
        }
    }
    return NULL;
}

struct s_ctx {
    struct il_org_account_list *out;
    size_t cap;
    size_t max;
};

static enum il_status s_body(struct il_aws_call *call, const char *token) {
    struct il_buf *b = &call->body;
    il_buf_reset(b);
    IL_STICKY(il_buf_puts(b, "{\"MaxResults\":20"));
    if (token) {
        IL_STICKY(il_buf_puts(b, ",\"NextToken\":"));
        IL_STICKY(il_aws_json_quote(b, token));
    }
    IL_STICKY(il_buf_putc(b, '}'));
    return il_buf_status(b);
}

static enum il_status s_parse(struct il_aws_call *call, const cJSON *item, void *slot) {
    struct il_org_account *a = slot;
    if (!cJSON_IsObject(item)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: an 'Accounts' item is not an object");
    }
    IL_TRY(il_inspector2_account_id(call, item, "Id", 1, &a->id));
    IL_TRY(il_aws_json_string(call, item, "Name", 0, &a->name));
    IL_TRY(il_aws_json_string(call, item, "Status", 0, &a->status));
    IL_TRY(il_aws_json_string(call, item, "State", 0, &a->state));
    if (a->status == NULL && a->state == NULL) {
        /* without either the account's standing is unknown: never guess "active" or "suspended" */
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: account %s has neither 'State' nor 'Status'",
                                a->id);
    }
    return IL_OK;
}

static void s_release(void *slot) {
    s_account_release(slot);
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
    const struct il_aws_list_page page = {.items_key = "Accounts",
                                          .token_key = "NextToken",
                                          .token_name = "token",
                                          .limit_what = "accounts",
                                          .item_size = sizeof(struct il_org_account),
                                          .max = ctx->max,
                                          .seen = ctx->out->count,
                                          .parse = s_parse,
                                          .release = s_release,
                                          .take = s_take,
                                          .next = s_next};
    return il_aws_list_page(call, &page, resp, more);
}

enum il_status il_organizations_list_accounts(struct il_aws_client *client, size_t max_items,
                                              struct il_org_account_list *out, struct il_aws_error *err) {
    struct il_aws_call call;
    struct s_ctx ctx = {.out = out, .max = max_items ? max_items : S_DEFAULT_MAX};
    memset(out, 0, sizeof(*out));
    enum il_status st = il_aws_call_init(&call, client, IL_AWS_OP_ORGANIZATIONS_LIST_ACCOUNTS);
    if (st == IL_OK) {
        IL_STICKY(il_buf_putc(&call.path, '/'));
        call.content_type = "application/x-amz-json-1.1";
        call.target = "AWSOrganizationsV20161128.ListAccounts";
        call.on_page = s_page;
        call.ctx = &ctx;
        st = il_buf_status(&call.path);
    }
    if (st == IL_OK) {
        st = s_body(&call, NULL);
    }
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_org_account_list_release(out);
    }
    return st;
}
