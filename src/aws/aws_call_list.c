/* The page envelope the paginated JSON list operations share (Lambda ListFunctions, tagging GetResources, Inspector2
 * ListCoverage): one place decides the item bound, the cleanup of a half-parsed page and the token-loop check, so a
 * fix to any of them reaches every service. The item types and next-request encodings stay in the service files. */
#include <stdlib.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"

enum il_status il_aws_list_page(struct il_aws_call *call, const struct il_aws_list_page *page,
                                const struct il_http_response *resp, int *more) {
    cJSON *json = NULL;
    char *token = NULL;
    char *items = NULL;
    size_t n = 0;
    *more = 0;
    enum il_status st = il_aws_call_json(call, resp, &json);
    if (st != IL_OK) {
        return st;
    }
    const cJSON *list = NULL;
    size_t total = 0;
    if ((st = il_aws_json_array(call, json, page->items_key, &list, &total)) != IL_OK ||
        (st = il_aws_json_string(call, json, page->token_key, 0, &token)) != IL_OK) {
        goto cleanup;
    }
    if (total > page->max || page->seen > page->max - total) {
        st = il_aws_call_fail(call, IL_ERR_LIMIT, "more than %zu %s", page->max, page->limit_what);
        goto cleanup;
    }
    if (total && (items = calloc(total, page->item_size)) == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, (cJSON_IsArray(list) ? list : NULL)) {
        /* counted before parsing, so that cleanup releases what a failed parse left half-filled */
        n++;
        if (!cJSON_IsObject(item)) {
            st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: item %zu of '%s' is not an object", n,
                                  page->items_key);
            goto cleanup;
        }
        if ((st = page->parse(call, item, items + (n - 1) * page->item_size)) != IL_OK) {
            goto cleanup;
        }
    }
    if ((st = page->take(call, items, &n)) != IL_OK) {
        goto cleanup;
    }
    /* Some APIs (tagging) end with an empty string token rather than none. */
    if (token && token[0]) {
        if ((st = il_aws_call_token(call, token)) != IL_OK) {
            goto cleanup;
        }
        if ((st = page->next(call, token)) != IL_OK) {
            IL_STICKY(il_aws_call_fail(call, IL_ERR_LIMIT, "pagination %s too long", page->token_name));
            goto cleanup;
        }
        *more = 1;
    }
cleanup:
    for (size_t i = 0; i < n; i++) {
        page->release(items + i * page->item_size);
    }
    free(items);
    free(token);
    cJSON_Delete(json);
    return st;
}
