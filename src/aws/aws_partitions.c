/* The partitions table (embedded partitions.json): which partition a region is in, its DNS suffix, its regions.
 * A leaf under both the endpoint resolver and the rule-set evaluator (aws.partition()), so neither calls the other
 * for it. */
#include "aws/aws_sticky.h"
#include "il/aws/endpoint.h"

#include <cjson/cJSON.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_rules.h"
#include "il/embedded.h"

int il_aws_region_is_valid(const char *text) {
    if (text == NULL || text[0] == '\0') {
        return 0;
    }
    size_t n = 0;
    for (const char *p = text; *p; p++, n++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-') || n >= 63) {
            return 0;
        }
    }
    return 1;
}

/* Parsed once per process and kept (reachable from this static, so never reported as a leak): every client resolves
 * four endpoints, and --all-regions creates a client per region. */
static const cJSON *s_load_partitions(void) {
    static cJSON *s_root;
    if (s_root == NULL) {
        size_t len = 0;
        const char *text = il_embedded_get("partitions.json", &len);
        s_root = text ? cJSON_ParseWithLength(text, len) : NULL;
    }
    return s_root;
}

/* partitions.json regexes are ECMAScript ("^us\-gov\-\w+\-\d+$"); translate the few escapes used into POSIX ERE so
 * no regex library beyond libc is needed. Unknown escapes fail (and the partition is skipped) rather than guess. */
static int s_regex_matches(const char *ecma, const char *text) {
    struct il_buf ere;
    il_buf_init(&ere, 1024);
    for (const char *p = ecma; *p; p++) {
        if (*p != '\\') {
            IL_STICKY(il_buf_putc(&ere, *p));
            continue;
        }
        p++;
        switch (*p) {
        case '-': IL_STICKY(il_buf_putc(&ere, '-')); break;
        case 'w': IL_STICKY(il_buf_puts(&ere, "[A-Za-z0-9_]")); break;
        case 'd': IL_STICKY(il_buf_puts(&ere, "[0-9]")); break;
        default: il_buf_release(&ere); return 0;
        }
    }
    int matched = 0;
    regex_t re;
    if (il_buf_status(&ere) == IL_OK && regcomp(&re, il_buf_cstr(&ere), REG_EXTENDED | REG_NOSUB) == 0) {
        matched = regexec(&re, text, 0, NULL, 0) == 0;
        regfree(&re);
    }
    il_buf_release(&ere);
    return matched;
}

static enum il_status s_fill_partition(const cJSON *partition, struct il_aws_partition *out) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(partition, "id");
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(partition, "outputs");
    const cJSON *dns = cJSON_GetObjectItemCaseSensitive(outputs, "dnsSuffix");
    if (!cJSON_IsString(id) || !cJSON_IsString(dns) || strlen(id->valuestring) >= sizeof(out->id) ||
        strlen(dns->valuestring) >= sizeof(out->dns_suffix)) {
        return IL_ERR_INTERNAL;
    }
    memcpy(out->id, id->valuestring, strlen(id->valuestring) + 1);
    memcpy(out->dns_suffix, dns->valuestring, strlen(dns->valuestring) + 1);
    return IL_OK;
}

const cJSON *il_aws_partition_json(const char *region) {
    const cJSON *root = il_aws_region_is_valid(region) ? s_load_partitions() : NULL;
    if (root == NULL) {
        return NULL;
    }
    const cJSON *parts = cJSON_GetObjectItemCaseSensitive(root, "partitions");
    const cJSON *found = NULL;
    const cJSON *part;
    /* An explicitly listed region wins over any regex, as in the SDKs' partition resolver. */
    cJSON_ArrayForEach(part, parts) {
        if (cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(part, "regions"), region) != NULL) {
            found = part;
            break;
        }
    }
    if (found == NULL) {
        cJSON_ArrayForEach(part, parts) {
            const cJSON *rx = cJSON_GetObjectItemCaseSensitive(part, "regionRegex");
            if (cJSON_IsString(rx) && s_regex_matches(rx->valuestring, region)) {
                found = part;
                break;
            }
        }
    }
    if (found == NULL) {
        cJSON_ArrayForEach(part, parts) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(part, "id");
            if (cJSON_IsString(id) && strcmp(id->valuestring, "aws") == 0) {
                found = part;
                break;
            }
        }
    }
    return found;
}

enum il_status il_aws_partition_for_region(const char *region, struct il_aws_partition *out) {
    if (!il_aws_region_is_valid(region)) {
        return IL_ERR_INVALID;
    }
    const cJSON *found = il_aws_partition_json(region);
    return found ? s_fill_partition(found, out) : IL_ERR_INTERNAL;
}

void il_aws_strv_free(char **strv) {
    if (strv == NULL) {
        return;
    }
    for (char **p = strv; *p; p++) {
        free(*p);
    }
    free(strv);
}

enum il_status il_aws_partition_regions(const char *partition_id, char ***regions, size_t *count) {
    enum il_status st = IL_ERR_NOTFOUND;
    char **list = NULL;
    size_t n = 0;
    *regions = NULL;
    *count = 0;
    const cJSON *root = s_load_partitions();
    if (root == NULL) {
        return IL_ERR_INTERNAL;
    }
    const cJSON *part;
    cJSON_ArrayForEach(part, cJSON_GetObjectItemCaseSensitive(root, "partitions")) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(part, "id");
        if (!cJSON_IsString(id) || strcmp(id->valuestring, partition_id) != 0) {
            continue;
        }
        const cJSON *regs = cJSON_GetObjectItemCaseSensitive(part, "regions");
        list = calloc((size_t)cJSON_GetArraySize(regs) + 1, sizeof(*list));
        if (list == NULL) {
            st = IL_ERR_NOMEM;
            goto cleanup;
        }
        const cJSON *reg;
        cJSON_ArrayForEach(reg, regs) {
            size_t len = strlen(reg->string);
            /* "aws-global" style names are endpoint aliases, not places functions live. */
            if (len >= 7 && strcmp(reg->string + len - 7, "-global") == 0) {
                continue;
            }
            list[n] = il_strdup(reg->string);
            if (list[n] == NULL) {
                st = IL_ERR_NOMEM;
                goto cleanup;
            }
            n++;
        }
        st = IL_OK;
        break;
    }
cleanup:
    if (st != IL_OK) {
        il_aws_strv_free(list);
        return st;
    }
    *regions = list;
    *count = n;
    return IL_OK;
}
