/* Lambda runtime deprecation table: per runtime AWS's deprecation, block-function-create and block-function-update
 * dates. Dates are kept as validated "YYYY-MM-DD" strings: they order correctly as text. */
#include "il/drift/runtimes.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/embedded.h"

#define IL_RUNTIMES_MAX_BYTES ((size_t)1 << 20)

struct s_entry {
    char *name;
    char date[11];   /* deprecation */
    char create[11]; /* block function create; "" when not scheduled */
    char update[11]; /* block function update; "" when not scheduled */
    struct il_runtime_dates pub;
};

struct il_runtimes {
    struct s_entry *entries;
    size_t count;
    char table_date[11]; /* "" when the file gives none */
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

/* One date member of a runtime's object: absent or null leaves @p out "" (not scheduled). */
static int s_date_member(const cJSON *obj, const char *key, int required, char out[11]) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    out[0] = '\0';
    if (v == NULL || cJSON_IsNull(v)) {
        return !required;
    }
    if (!cJSON_IsString(v) || !s_is_date(v->valuestring)) {
        return 0;
    }
    memcpy(out, v->valuestring, 11);
    return 1;
}

/* "python3.9": "2025-12-15" (the deprecation date alone), or
 * "python3.9": {"deprecation": D, "block_function_create": D|null, "block_function_update": D|null}. */
static enum il_status s_entry(const cJSON *item, const char *name, struct s_entry *e, struct il_diags *diags) {
    int ok = 1;
    if (cJSON_IsString(item)) {
        ok = s_is_date(item->valuestring);
        if (ok) {
            memcpy(e->date, item->valuestring, 11);
        }
    } else if (cJSON_IsObject(item)) {
        const cJSON *m;
        cJSON_ArrayForEach(m, item) {
            ok = ok && (strcmp(m->string, "deprecation") == 0 || strcmp(m->string, "block_function_create") == 0 ||
                        strcmp(m->string, "block_function_update") == 0);
        }
        ok = ok && s_date_member(item, "deprecation", 1, e->date) &&
             s_date_member(item, "block_function_create", 0, e->create) &&
             s_date_member(item, "block_function_update", 0, e->update);
    } else {
        ok = 0;
    }
    if (!ok) {
        enum il_status st = il_diags_addf(diags, IL_SEV_ERROR, "runtimes", name, 0, 0, NULL,
                                          "runtime `%s` must map to a date YYYY-MM-DD, or to an object with "
                                          "`deprecation` and optional `block_function_create` / "
                                          "`block_function_update` dates (null: not scheduled)",
                                          item->string);
        return st == IL_OK ? IL_ERR_PARSE : st;
    }
    return IL_OK;
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
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(root, "table_date");
    if (td != NULL && (!cJSON_IsString(td) || !s_is_date(td->valuestring))) {
        st = il_diags_addf(diags, IL_SEV_ERROR, "runtimes", name, 0, 0, NULL, "`table_date` must be a date YYYY-MM-DD");
        st = st == IL_OK ? IL_ERR_PARSE : st;
        goto cleanup;
    }
    if (td != NULL) {
        memcpy(rt->table_date, td->valuestring, 11);
    }
    const cJSON *item = NULL;
    cJSON_ArrayForEach(item, table) {
        struct s_entry *e = &rt->entries[rt->count];
        if ((st = s_entry(item, name, e, diags)) != IL_OK) {
            goto cleanup;
        }
        if ((e->name = il_strdup(item->string)) == NULL) {
            st = IL_ERR_NOMEM;
            goto cleanup;
        }
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

const struct il_runtime_dates *il_runtimes_dates(const struct il_runtimes *rt, const char *runtime) {
    for (size_t i = 0; rt != NULL && runtime != NULL && i < rt->count; i++) {
        struct s_entry *e = &rt->entries[i];
        if (strcmp(e->name, runtime) == 0) {
            e->pub = (struct il_runtime_dates){.deprecation = e->date,
                                               .block_create = e->create[0] ? e->create : NULL,
                                               .block_update = e->update[0] ? e->update : NULL};
            return &e->pub;
        }
    }
    return NULL;
}

const char *il_runtimes_table_date(const struct il_runtimes *rt) {
    return rt != NULL && rt->table_date[0] ? rt->table_date : NULL;
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
