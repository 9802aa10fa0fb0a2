/* Lambda runtime deprecation table. Dates are kept as validated "YYYY-MM-DD" strings: they order correctly as text. */
#include "il/drift/runtimes.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/embedded.h"

#define IL_RUNTIMES_MAX_BYTES ((size_t)1 << 20)

struct s_entry {
    char *name;
    char date[11];
};

struct il_runtimes {
    struct s_entry *entries;
    size_t count;
};

void il_runtimes_free(struct il_runtimes *rt) {
    if (rt == NULL) {
        return;
    }
    for (size_t i = 0; i < rt->count; i++) {
        free(rt->entries[i].name);
    }
    free(rt->entries);
    free(rt);
}

static int s_is_date(const char *s) {
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return 0;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return 0;
        }
    }
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static enum il_status s_parse(const char *text, size_t len, const char *name, struct il_runtimes *rt,
                              struct il_diags *diags) {
    cJSON *root = cJSON_ParseWithLength(text, len);
    enum il_status st = IL_OK;
    const cJSON *table = cJSON_GetObjectItemCaseSensitive(root, "runtimes");
    if (!cJSON_IsObject(table)) {
        st = il_diags_addf(diags, IL_SEV_ERROR, "runtimes", name, 0, 0, NULL,
                           "runtime table is not a JSON object with a `runtimes` object mapping runtime to date");
        st = st == IL_OK ? IL_ERR_PARSE : st;
        goto cleanup;
    }
    size_t n = (size_t)cJSON_GetArraySize(table);
    rt->entries = calloc(n ? n : 1, sizeof(*rt->entries));
    if (rt->entries == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    const cJSON *item = NULL;
    cJSON_ArrayForEach(item, table) {
        if (!cJSON_IsString(item) || !s_is_date(item->valuestring)) {
            st = il_diags_addf(diags, IL_SEV_ERROR, "runtimes", name, 0, 0, NULL,
                               "runtime `%s` must map to a date YYYY-MM-DD", item->string);
            st = st == IL_OK ? IL_ERR_PARSE : st;
            goto cleanup;
        }
        struct s_entry *e = &rt->entries[rt->count];
        if ((e->name = il_strdup(item->string)) == NULL) {
            st = IL_ERR_NOMEM;
            goto cleanup;
        }
        memcpy(e->date, item->valuestring, 11);
        rt->count++;
    }
cleanup:
    cJSON_Delete(root);
    return st;
}

enum il_status il_runtimes_load(const char *path, struct il_runtimes **out, struct il_diags *diags) {
    *out = NULL;
    struct il_runtimes *rt = calloc(1, sizeof(*rt));
    if (rt == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st;
    if (path == NULL) {
        size_t len = 0;
        const char *text = il_embedded_get("lambda-runtimes.json", &len);
        st = text ? s_parse(text, len, "lambda-runtimes.json (embedded)", rt, diags) : IL_ERR_INTERNAL;
    } else {
        char *text = NULL;
        size_t len = 0;
        st = il_read_file(path, IL_RUNTIMES_MAX_BYTES, &text, &len);
        if (st != IL_OK) {
            enum il_status st2 = il_diags_addf(diags, IL_SEV_ERROR, "runtimes", path, 0, 0, NULL,
                                               "cannot read runtime table: %s", il_status_str(st));
            st = st2 != IL_OK ? st2 : st;
        } else {
            st = s_parse(text, len, path, rt, diags);
        }
        free(text);
    }
    if (st != IL_OK) {
        il_runtimes_free(rt);
        return st;
    }
    *out = rt;
    return IL_OK;
}

const char *il_runtimes_deprecated_on(const struct il_runtimes *rt, const char *runtime) {
    if (runtime == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < rt->count; i++) {
        if (strcmp(rt->entries[i].name, runtime) == 0) {
            return rt->entries[i].date;
        }
    }
    return NULL;
}

int il_runtimes_is_deprecated(const struct il_runtimes *rt, const char *runtime, const struct il_date *as_of,
                              const char **on) {
    const char *date = rt ? il_runtimes_deprecated_on(rt, runtime) : NULL;
    if (on != NULL) {
        *on = date;
    }
    struct il_date dep;
    return date != NULL && il_date_parse_str(date, &dep) == IL_OK && il_date_cmp(as_of, &dep) > 0;
}
