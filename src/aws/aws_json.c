/* Small JSON helpers for the service files: typed field extraction and tag lists. */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"

#define S_MAX_TAGS 10000 /* Lambda allows 50 per function; the bound only stops a hostile response */

enum il_status il_aws_json_string(struct il_aws_call *call, const cJSON *obj, const char *key, int required,
                                  char **out) {
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL || cJSON_IsNull(v)) {
        if (required) {
            return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is missing", key);
        }
        return IL_OK;
    }
    if (!cJSON_IsString(v)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is not a string", key);
    }
    *out = il_strdup(v->valuestring);
    return *out ? IL_OK : IL_ERR_NOMEM;
}

void il_tag_list_release(struct il_tag_list *tags) {
    if (tags == NULL) {
        return;
    }
    for (size_t i = 0; i < tags->count; i++) {
        free(tags->items[i].key);
        free(tags->items[i].value);
    }
    free(tags->items);
    tags->items = NULL;
    tags->count = 0;
}

const char *il_tag_list_get(const struct il_tag_list *tags, const char *key) {
    for (size_t i = 0; i < tags->count; i++) {
        if (strcmp(tags->items[i].key, key) == 0) {
            return tags->items[i].value;
        }
    }
    return NULL;
}

static enum il_status s_tags_alloc(struct il_aws_call *call, int n, struct il_tag_list *tmp) {
    memset(tmp, 0, sizeof(*tmp));
    if (n > S_MAX_TAGS) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: %d tags", n);
    }
    if (n > 0 && (tmp->items = calloc((size_t)n, sizeof(*tmp->items))) == NULL) {
        return IL_ERR_NOMEM;
    }
    return IL_OK;
}

static enum il_status s_tags_add(struct il_tag_list *tmp, const char *key, const char *value) {
    struct il_tag *t = &tmp->items[tmp->count];
    t->key = il_strdup(key);
    t->value = il_strdup(value);
    tmp->count++;
    return t->key && t->value ? IL_OK : IL_ERR_NOMEM;
}

enum il_status il_aws_json_tag_map(struct il_aws_call *call, const cJSON *map, struct il_tag_list *out) {
    struct il_tag_list tmp;
    if (map != NULL && !cJSON_IsNull(map) && !cJSON_IsObject(map)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: 'Tags' is not an object");
    }
    IL_TRY(s_tags_alloc(call, cJSON_IsObject(map) ? cJSON_GetArraySize(map) : 0, &tmp));
    enum il_status st = IL_OK;
    const cJSON *item;
    cJSON_ArrayForEach(item, (cJSON_IsObject(map) ? map : NULL)) {
        if (!cJSON_IsString(item)) {
            st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: tag '%s' has a non-string value",
                                  item->string);
            break;
        }
        if ((st = s_tags_add(&tmp, item->string, item->valuestring)) != IL_OK) {
            break;
        }
    }
    if (st != IL_OK) {
        il_tag_list_release(&tmp);
        return st;
    }
    il_tag_list_release(out);
    *out = tmp;
    return IL_OK;
}

/* Members AWS always sends in practice although its models (../shared/aws-models/<service>/service-2.json) mark no
 * output member required, except BatchGetAccountStatus.accounts. A list call whose list is missing would otherwise
 * read as an empty, final page. One table per service; docs/aws-client.md shows the same tables. */
struct s_present {
    const char *operation;
    const char *member;
};
static const struct s_present s_lambda_present[] = {
    {"ListFunctions", "Functions"}, /* [] on an empty account */
    {"ListTags", "Tags"},           /* {} for an untagged function */
    {"GetFunction", "Configuration"},
    {NULL, NULL},
};
static const struct s_present s_tagging_present[] = {
    {"GetResources", "ResourceTagMappingList"}, /* [] on the last page too */
    {NULL, NULL},
};
static const struct s_present s_inspector2_present[] = {
    {"ListCoverage", "coveredResources"},
    {"BatchGetAccountStatus", "accounts"}, /* required in the model */
    {"ListMembers", "members"},
    {NULL, NULL},
};
static const struct s_present s_organizations_present[] = {
    {"ListAccounts", "Accounts"},
    {NULL, NULL},
};
/* STS answers in XML: its parser (aws_sts.c) requires GetCallerIdentity's Account and Arn itself. */

int il_aws_json_always_present(enum il_aws_service service, const char *operation, const char *member) {
    const struct s_present *t = service == IL_AWS_LAMBDA          ? s_lambda_present
                                : service == IL_AWS_TAGGING       ? s_tagging_present
                                : service == IL_AWS_INSPECTOR2    ? s_inspector2_present
                                : service == IL_AWS_ORGANIZATIONS ? s_organizations_present
                                                                  : NULL;
    for (; t && t->operation; t++) {
        if (strcmp(t->operation, operation) == 0 && strcmp(t->member, member) == 0) {
            return 1;
        }
    }
    return 0;
}

enum il_status il_aws_json_member(struct il_aws_call *call, const cJSON *obj, const char *key, const cJSON **out) {
    *out = cJSON_GetObjectItemCaseSensitive(obj, key);
    if ((*out == NULL || cJSON_IsNull(*out)) && il_aws_json_always_present(call->service, call->operation, key)) {
        *out = NULL;
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is missing (AWS always sends it)", key);
    }
    if (cJSON_IsNull(*out)) {
        *out = NULL;
    }
    return IL_OK;
}

enum il_status il_aws_json_array(struct il_aws_call *call, const cJSON *obj, const char *key, const cJSON **out,
                                 size_t *count) {
    const cJSON *item = NULL;
    *out = NULL;
    *count = 0;
    IL_TRY(il_aws_json_member(call, obj, key, &item));
    if (item == NULL) {
        return IL_OK;
    }
    if (!cJSON_IsArray(item)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: '%s' is not an array", key);
    }
    *out = item;
    *count = (size_t)cJSON_GetArraySize(item);
    return IL_OK;
}

enum il_status il_aws_json_tag_array(struct il_aws_call *call, const cJSON *arr, struct il_tag_list *out) {
    struct il_tag_list tmp;
    if (arr != NULL && !cJSON_IsNull(arr) && !cJSON_IsArray(arr)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: 'Tags' is not an array");
    }
    IL_TRY(s_tags_alloc(call, cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0, &tmp));
    enum il_status st = IL_OK;
    const cJSON *item;
    cJSON_ArrayForEach(item, (cJSON_IsArray(arr) ? arr : NULL)) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(item, "Key");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "Value");
        if (!cJSON_IsString(k) || (v != NULL && !cJSON_IsString(v))) {
            st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: a tag lacks a string Key/Value");
            break;
        }
        if ((st = s_tags_add(&tmp, k->valuestring, v ? v->valuestring : "")) != IL_OK) {
            break;
        }
    }
    if (st != IL_OK) {
        il_tag_list_release(&tmp);
        return st;
    }
    il_tag_list_release(out);
    *out = tmp;
    return IL_OK;
}

enum il_status il_aws_json_quote(struct il_buf *out, const char *text) {
    static const char hex[] = "0123456789abcdef";
    IL_STICKY(il_buf_putc(out, '"'));
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') {
            IL_STICKY(il_buf_putc(out, '\\'));
            IL_STICKY(il_buf_putc(out, (char)*p));
        } else if (*p < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            IL_STICKY(il_buf_append(out, e, 6));
        } else {
            IL_STICKY(il_buf_putc(out, (char)*p));
        }
    }
    return il_buf_putc(out, '"');
}
