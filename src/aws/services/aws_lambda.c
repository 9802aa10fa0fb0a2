/* Lambda: ListFunctions, ListTags, GetFunction, TagResource, UntagResource, one call at a time; the calls are prepared
 * here for the batched (aws_lambda_batch.c) and queued (aws_lambda_async.c) variants too. */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_client_impl.h"
#include "aws/aws_sticky.h"
#include "aws/services/aws_lambda_internal.h"
#include "il/aws/lambda.h"

#define S_PAGE_SIZE "50"
#define S_DEFAULT_MAX_FUNCTIONS 1000000u

void il_lambda_function_release(struct il_lambda_function *fn) {
    if (fn == NULL) {
        return;
    }
    free(fn->name);
    free(fn->arn);
    free(fn->runtime);
    free(fn->kms_key_arn);
    free(fn->package_type);
    free(fn->last_modified);
    memset(fn, 0, sizeof(*fn));
}

void il_lambda_function_list_release(struct il_lambda_function_list *list) {
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        il_lambda_function_release(&list->items[i]);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static enum il_status s_parse_function(struct il_aws_call *call, const cJSON *obj, struct il_lambda_function *fn) {
    memset(fn, 0, sizeof(*fn));
    enum il_status st = IL_ERR_PARSE;
    if (!cJSON_IsObject(obj)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: a function is not an object");
    }
    if ((st = il_aws_json_string(call, obj, "FunctionName", 1, &fn->name)) != IL_OK ||
        (st = il_aws_json_string(call, obj, "FunctionArn", 1, &fn->arn)) != IL_OK ||
        (st = il_aws_json_string(call, obj, "Runtime", 0, &fn->runtime)) != IL_OK ||
        (st = il_aws_json_string(call, obj, "KMSKeyArn", 0, &fn->kms_key_arn)) != IL_OK ||
        (st = il_aws_json_string(call, obj, "PackageType", 0, &fn->package_type)) != IL_OK ||
        (st = il_aws_json_string(call, obj, "LastModified", 0, &fn->last_modified)) != IL_OK) {
        il_lambda_function_release(fn);
        return st;
    }
    return IL_OK;
}

/* ---- ListFunctions ---- */

static enum il_status s_list_parse(struct il_aws_call *call, const cJSON *item, void *slot) {
    return s_parse_function(call, item, slot);
}

static void s_list_release(void *slot) {
    il_lambda_function_release(slot);
}

static enum il_status s_list_take(struct il_aws_call *call, void *page, size_t *n) {
    struct il_lambda_list_ctx *ctx = call->ctx;
    enum il_status st;
    if (ctx->on_functions) {
        /* the page is lent to the consumer, then released by the caller: memory stays at one page */
        if (*n && (st = ctx->on_functions(ctx->fn_ctx, page, *n)) != IL_OK) {
            return il_aws_call_fail(call, st == IL_ERR_PARSE ? IL_ERR_INVALID : st,
                                    "the consumer of the function list failed: %s", il_status_str(st));
        }
        ctx->seen += *n;
        return IL_OK;
    }
    void *all = NULL;
    IL_TRY(il_aws_page_append(ctx->out->items, &ctx->out->count, &ctx->cap, page, *n, sizeof(*ctx->out->items), &all));
    ctx->out->items = all;
    ctx->seen += *n;
    *n = 0; /* moved */
    return IL_OK;
}

static enum il_status s_list_next(struct il_aws_call *call, const char *marker) {
    il_buf_reset(&call->query);
    IL_STICKY(il_buf_puts(&call->query, "Marker="));
    IL_STICKY(il_aws_uri_encode(&call->query, marker));
    IL_STICKY(il_buf_puts(&call->query, "&MaxItems=" S_PAGE_SIZE));
    return il_buf_status(&call->query);
}

static enum il_status s_list_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    const struct il_lambda_list_ctx *ctx = call->ctx;
    const struct il_aws_list_page page = {.items_key = "Functions",
                                          .token_key = "NextMarker",
                                          .token_name = "marker",
                                          .limit_what = "functions: raise the limit or narrow the scope",
                                          .item_size = sizeof(struct il_lambda_function),
                                          .max = ctx->max,
                                          .seen = ctx->seen,
                                          .parse = s_list_parse,
                                          .release = s_list_release,
                                          .take = s_list_take,
                                          .next = s_list_next};
    return il_aws_list_page(call, &page, resp, more);
}

enum il_status il_lambda_list_init(struct il_aws_call *call, struct il_aws_client *client,
                                   struct il_lambda_list_ctx *ctx) {
    if (ctx->max == 0) {
        ctx->max = S_DEFAULT_MAX_FUNCTIONS;
    }
    IL_TRY(il_aws_call_init(call, client, IL_AWS_OP_LAMBDA_LIST_FUNCTIONS));
    IL_STICKY(il_buf_puts(&call->path, "/2015-03-31/functions")); /* requestUri of the 2015-03-31 model */
    IL_STICKY(il_buf_puts(&call->query, "MaxItems=" S_PAGE_SIZE));
    call->on_page = s_list_page;
    call->ctx = ctx;
    return il_buf_status(&call->query);
}

enum il_status il_lambda_list_functions(struct il_aws_client *client, size_t max_functions,
                                        struct il_lambda_function_list *out, struct il_aws_error *err) {
    struct il_aws_call call;
    struct il_lambda_list_ctx ctx = {.out = out, .max = max_functions};
    memset(out, 0, sizeof(*out));
    enum il_status st = il_lambda_list_init(&call, client, &ctx);
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_lambda_function_list_release(out);
    }
    return st;
}

/* ---- ListTags ---- */

static enum il_status s_tags_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    cJSON *json = NULL;
    *more = 0;
    const cJSON *tags = NULL;
    IL_TRY(il_aws_call_json(call, resp, &json));
    enum il_status st = il_aws_json_member(call, json, "Tags", &tags);
    if (st == IL_OK) {
        st = il_aws_json_tag_map(call, tags, call->ctx);
    }
    cJSON_Delete(json);
    return st;
}

enum il_status il_lambda_tags_init(struct il_aws_call *call, struct il_aws_client *client, const char *arn,
                                   struct il_tag_list *out) {
    IL_TRY(il_aws_call_init(call, client, IL_AWS_OP_LAMBDA_LIST_TAGS));
    IL_STICKY(il_buf_puts(&call->path, "/2017-03-31/tags/"));
    IL_STICKY(il_aws_uri_encode(&call->path, arn));
    call->on_page = s_tags_page;
    call->ctx = out;
    IL_TRY(il_buf_status(&call->path));
    return il_aws_call_set_resource(call, arn);
}

enum il_status il_lambda_list_tags(struct il_aws_client *client, const char *arn, struct il_tag_list *out,
                                   struct il_aws_error *err) {
    struct il_aws_call call;
    memset(out, 0, sizeof(*out));
    enum il_status st = il_lambda_tags_init(&call, client, arn, out);
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_tag_list_release(out);
    }
    return st;
}

void il_lambda_tags_result_release(struct il_lambda_tags_result *result) {
    if (result == NULL) {
        return;
    }
    il_tag_list_release(&result->tags);
    il_aws_error_release(&result->error);
}

/* ---- GetFunction ---- */

/* The function a GetFunction request names (call->error.resource: a name, a partial "account:function:name" or an
 * ARN, maybe qualified): its name, and the "arn:...:function:name" prefix when an ARN was asked for. */
static int s_arn_field(const char *arn, int field, const char **start, size_t *len) {
    const char *p = arn;
    for (int i = 0; i < field; i++) {
        p = strchr(p, ':');
        if (p == NULL) {
            return 0;
        }
        p++;
    }
    *start = p;
    *len = strcspn(p, ":");
    return 1;
}

/* An answer describing another function than the one asked for (a confused proxy, a hostile endpoint) would make a
 * missing function count as existing: the name, and for an ARN request its account and region, must match, and the
 * answer's account must be the client's. */
static enum il_status s_same_function(struct il_aws_call *call, const struct il_lambda_function *fn) {
    const char *asked = call->error.resource ? call->error.resource : "";
    const char *fn_marker = strstr(asked, "function:");
    const char *name = fn_marker ? fn_marker + strlen("function:") : asked;
    size_t name_len = strcspn(name, ":");
    const char *got_acct = NULL, *got_region = NULL, *got_name = NULL;
    size_t acct_len = 0, region_len = 0, got_name_len = 0;
    int ok = strlen(fn->name) == name_len && strncmp(fn->name, name, name_len) == 0 &&
             strncmp(fn->arn, "arn:", 4) == 0 && s_arn_field(fn->arn, 3, &got_region, &region_len) &&
             s_arn_field(fn->arn, 4, &got_acct, &acct_len) && s_arn_field(fn->arn, 6, &got_name, &got_name_len) &&
             got_name_len == name_len && strncmp(got_name, name, name_len) == 0;
    const char *account = call->client->account;
    if (ok && account[0] && (acct_len != strlen(account) || strncmp(got_acct, account, acct_len) != 0)) {
        ok = 0;
    }
    if (ok && strncmp(asked, "arn:", 4) == 0) {
        const char *a = NULL, *r = NULL;
        size_t al = 0, rl = 0;
        ok = s_arn_field(asked, 4, &a, &al) && s_arn_field(asked, 3, &r, &rl) && al == acct_len &&
             strncmp(a, got_acct, al) == 0 && rl == region_len && strncmp(r, got_region, rl) == 0;
    }
    if (!ok) {
        return il_aws_call_fail(call, IL_ERR_PARSE,
                                "malformed response: the answer describes function '%s' (%s), not the one asked for",
                                fn->name, fn->arn);
    }
    return IL_OK;
}

static enum il_status s_get_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    struct il_lambda_get_ctx *ctx = call->ctx;
    cJSON *json = NULL;
    struct il_lambda_function fn;
    struct il_tag_list tags = {0};
    *more = 0;
    const cJSON *config = NULL;
    IL_TRY(il_aws_call_json(call, resp, &json));
    enum il_status st = il_aws_json_member(call, json, "Configuration", &config);
    if (st != IL_OK) {
        cJSON_Delete(json);
        return st;
    }
    st = s_parse_function(call, config, &fn);
    if (st == IL_OK && (st = s_same_function(call, &fn)) != IL_OK) {
        il_lambda_function_release(&fn);
    } else if (st == IL_OK &&
               (st = il_aws_json_tag_map(call, cJSON_GetObjectItemCaseSensitive(json, "Tags"), &tags)) != IL_OK) {
        il_lambda_function_release(&fn);
    }
    cJSON_Delete(json);
    IL_TRY(st);
    *ctx->found = 1;
    if (ctx->fn) {
        il_lambda_function_release(ctx->fn);
        *ctx->fn = fn;
    } else {
        il_lambda_function_release(&fn);
    }
    if (ctx->tags) {
        il_tag_list_release(ctx->tags);
        *ctx->tags = tags;
    } else {
        il_tag_list_release(&tags);
    }
    return IL_OK;
}

static int s_get_not_found(struct il_aws_call *call) {
    struct il_lambda_get_ctx *ctx = call->ctx;
    if (call->error.status == IL_ERR_AWS && call->error.http_status == 404 && call->error.code &&
        strcmp(call->error.code, "ResourceNotFoundException") == 0) {
        *ctx->found = 0;
        return 1;
    }
    return 0;
}

enum il_status il_lambda_get_init(struct il_aws_call *call, struct il_aws_client *client, const char *name,
                                  struct il_lambda_get_ctx *ctx) {
    IL_TRY(il_aws_call_init(call, client, IL_AWS_OP_LAMBDA_GET_FUNCTION));
    IL_STICKY(il_buf_puts(&call->path, "/2015-03-31/functions/"));
    IL_STICKY(il_aws_uri_encode(&call->path, name));
    call->on_page = s_get_page;
    call->on_error = s_get_not_found;
    call->ctx = ctx;
    call->sensitive = 1; /* Code.Location is a presigned URL carrying a session token */
    IL_TRY(il_buf_status(&call->path));
    return il_aws_call_set_resource(call, name);
}

enum il_status il_lambda_get_function(struct il_aws_client *client, const char *name_or_arn, int *found,
                                      struct il_lambda_function *out, struct il_tag_list *tags,
                                      struct il_aws_error *err) {
    struct il_aws_call call;
    struct il_lambda_get_ctx ctx = {.found = found, .fn = out, .tags = tags};
    *found = 0;
    if (out) {
        memset(out, 0, sizeof(*out));
    }
    if (tags) {
        memset(tags, 0, sizeof(*tags));
    }
    enum il_status st = il_lambda_get_init(&call, client, name_or_arn, &ctx);
    if (st == IL_OK) {
        st = il_aws_call_run(&call);
    }
    st = il_aws_call_finish(&call, st, err);
    if (st != IL_OK) {
        il_lambda_function_release(out);
        il_tag_list_release(tags);
        *found = 0;
    }
    return st;
}

void il_lambda_get_result_release(struct il_lambda_get_result *result) {
    if (result == NULL) {
        return;
    }
    il_lambda_function_release(&result->function);
    il_aws_error_release(&result->error);
    result->found = 0;
}

/* ---- TagResource / UntagResource ---- */

enum il_status il_lambda_tag_resource(struct il_aws_client *client, const char *arn, const struct il_tag *tags,
                                      size_t count, struct il_aws_error *err) {
    struct il_aws_call call;
    enum il_status st = il_aws_call_init(&call, client, IL_AWS_OP_LAMBDA_TAG_RESOURCE);
    if (st == IL_OK) {
        IL_STICKY(il_buf_puts(&call.path, "/2017-03-31/tags/"));
        IL_STICKY(il_aws_uri_encode(&call.path, arn));
        IL_STICKY(il_buf_puts(&call.body, "{\"Tags\":{"));
        for (size_t i = 0; i < count; i++) {
            IL_STICKY(il_buf_puts(&call.body, i ? "," : ""));
            IL_STICKY(il_aws_json_quote(&call.body, tags[i].key));
            IL_STICKY(il_buf_putc(&call.body, ':'));
            IL_STICKY(il_aws_json_quote(&call.body, tags[i].value));
        }
        IL_STICKY(il_buf_puts(&call.body, "}}"));
        call.content_type = "application/json";
        st = il_buf_status(&call.path) != IL_OK ? il_buf_status(&call.path) : il_buf_status(&call.body);
    }
    if (st == IL_OK && (st = il_aws_call_set_resource(&call, arn)) == IL_OK) {
        st = il_aws_call_run(&call);
    }
    return il_aws_call_finish(&call, st, err);
}

enum il_status il_lambda_untag_resource(struct il_aws_client *client, const char *arn, const char *const *keys,
                                        size_t count, struct il_aws_error *err) {
    struct il_aws_call call;
    enum il_status st = il_aws_call_init(&call, client, IL_AWS_OP_LAMBDA_UNTAG_RESOURCE);
    if (st == IL_OK) {
        IL_STICKY(il_buf_puts(&call.path, "/2017-03-31/tags/"));
        IL_STICKY(il_aws_uri_encode(&call.path, arn));
        for (size_t i = 0; i < count; i++) {
            IL_STICKY(il_buf_puts(&call.query, i ? "&tagKeys=" : "tagKeys="));
            IL_STICKY(il_aws_uri_encode(&call.query, keys[i]));
        }
        st = il_buf_status(&call.path) != IL_OK ? il_buf_status(&call.path) : il_buf_status(&call.query);
    }
    if (st == IL_OK && (st = il_aws_call_set_resource(&call, arn)) == IL_OK) {
        st = il_aws_call_run(&call);
    }
    return il_aws_call_finish(&call, st, err);
}
