#include "il/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"

struct il_diags {
    struct il_diag *items;
    size_t count;
    size_t cap;
};

struct il_diags *il_diags_new(void) {
    return calloc(1, sizeof(struct il_diags));
}

static void s_diag_release(struct il_diag *d) {
    il_free_const(d->rule);
    il_free_const(d->file);
    il_free_const(d->pointer);
    il_free_const(d->function_arn);
    il_free_const(d->account);
    il_free_const(d->region);
    il_free_const(d->aws.service);
    il_free_const(d->aws.operation);
    il_free_const(d->aws.region);
    il_free_const(d->aws.account);
    il_free_const(d->aws.error_code);
    il_free_const(d->aws.request_id);
    il_free_const(d->message);
    memset(d, 0, sizeof(*d));
}

void il_diags_free(struct il_diags *diags) {
    if (diags == NULL) {
        return;
    }
    for (size_t i = 0; i < diags->count; i++) {
        s_diag_release(&diags->items[i]);
    }
    free(diags->items);
    free(diags);
}

/* Copy one optional string; sets *failed when a non-NULL source could not be copied. */
static const char *s_copy(const char *s, int *failed) {
    if (s == NULL) {
        return NULL;
    }
    char *out = il_strdup(s);
    if (out == NULL) {
        *failed = 1;
    }
    return out;
}

enum il_status il_diags_add(struct il_diags *diags, const struct il_diag *diag) {
    if (diags->count == diags->cap) {
        size_t cap = diags->cap ? diags->cap * 2 : 16;
        struct il_diag *items = realloc(diags->items, cap * sizeof(*items));
        if (items == NULL) {
            return IL_ERR_NOMEM;
        }
        diags->items = items;
        diags->cap = cap;
    }
    int failed = 0;
    struct il_diag copy = *diag;
    copy.rule = s_copy(diag->rule, &failed);
    copy.file = s_copy(diag->file, &failed);
    copy.pointer = s_copy(diag->pointer, &failed);
    copy.function_arn = s_copy(diag->function_arn, &failed);
    copy.account = s_copy(diag->account, &failed);
    copy.region = s_copy(diag->region, &failed);
    copy.aws.service = s_copy(diag->aws.service, &failed);
    copy.aws.operation = s_copy(diag->aws.operation, &failed);
    copy.aws.region = s_copy(diag->aws.region, &failed);
    copy.aws.account = s_copy(diag->aws.account, &failed);
    copy.aws.error_code = s_copy(diag->aws.error_code, &failed);
    copy.aws.request_id = s_copy(diag->aws.request_id, &failed);
    copy.message = s_copy(diag->message ? diag->message : "", &failed);
    if (failed) {
        s_diag_release(&copy);
        return IL_ERR_NOMEM;
    }
    diags->items[diags->count++] = copy;
    return IL_OK;
}

enum il_status il_diags_addf(struct il_diags *diags, enum il_severity severity, const char *rule, const char *file,
                             unsigned line, unsigned column, const char *function_arn, const char *fmt, ...) {
    struct il_buf msg;
    il_buf_init(&msg, 0);
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (st == IL_OK) {
        struct il_diag d = {
            .severity = severity,
            .rule = rule,
            .file = file,
            .line = line,
            .column = column,
            .function_arn = function_arn,
            .message = il_buf_cstr(&msg),
        };
        st = il_diags_add(diags, &d);
    }
    il_buf_release(&msg);
    return st;
}

size_t il_diags_count(const struct il_diags *diags) {
    return diags ? diags->count : 0;
}

const struct il_diag *il_diags_get(const struct il_diags *diags, size_t i) {
    return i < diags->count ? &diags->items[i] : NULL;
}

size_t il_diags_count_at_least(const struct il_diags *diags, enum il_severity severity) {
    size_t n = 0;
    for (size_t i = 0; diags && i < diags->count; i++) {
        n += diags->items[i].severity >= severity;
    }
    return n;
}

size_t il_diags_count_severity(const struct il_diags *diags, enum il_severity severity) {
    size_t n = 0;
    for (size_t i = 0; diags && i < diags->count; i++) {
        n += diags->items[i].severity == severity;
    }
    return n;
}

static int s_strcmp_null_last(const char *a, const char *b) {
    if (a == NULL || b == NULL) {
        return (a == NULL) - (b == NULL);
    }
    return strcmp(a, b);
}

static int s_compare(const struct il_diag *a, const struct il_diag *b) {
    int c = s_strcmp_null_last(a->file, b->file);
    if (c) {
        return c;
    }
    if (a->line != b->line) {
        return a->line < b->line ? -1 : 1;
    }
    if (a->column != b->column) {
        return a->column < b->column ? -1 : 1;
    }
    if (a->severity != b->severity) {
        return a->severity > b->severity ? -1 : 1;
    }
    c = s_strcmp_null_last(a->rule, b->rule);
    if (c) {
        return c;
    }
    return s_strcmp_null_last(a->function_arn, b->function_arn);
}

void il_diags_sort(struct il_diags *diags) {
    /* Insertion-merge is overkill here; a stable bottom-up merge sort keeps equal findings in emission order. */
    size_t n = diags->count;
    if (n < 2) {
        return;
    }
    struct il_diag *tmp = malloc(n * sizeof(*tmp));
    if (tmp == NULL) {
        return; /* unsorted output is still complete output */
    }
    struct il_diag *src = diags->items, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                dst[k++] = s_compare(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        struct il_diag *t = src;
        src = dst;
        dst = t;
    }
    if (src != diags->items) {
        memcpy(diags->items, src, n * sizeof(*src));
    }
    free(tmp);
}

enum il_status il_diags_move(struct il_diags *dst, struct il_diags *src) {
    if (src->count == 0) {
        return IL_OK;
    }
    size_t need = dst->count + src->count;
    if (need > dst->cap) {
        struct il_diag *items = realloc(dst->items, need * sizeof(*items));
        if (items == NULL) {
            return IL_ERR_NOMEM;
        }
        dst->items = items;
        dst->cap = need;
    }
    memcpy(dst->items + dst->count, src->items, src->count * sizeof(*src->items));
    dst->count = need;
    src->count = 0;
    return IL_OK;
}

const char *il_severity_str(enum il_severity severity) {
    switch (severity) {
    case IL_SEV_ERROR: return "error";
    case IL_SEV_WARNING: return "warning";
    case IL_SEV_NOTICE: return "notice";
    }
    return "error";
}

enum il_status il_severity_parse(const char *text, enum il_severity *out) {
    if (strcmp(text, "error") == 0) {
        *out = IL_SEV_ERROR;
    } else if (strcmp(text, "warning") == 0) {
        *out = IL_SEV_WARNING;
    } else if (strcmp(text, "notice") == 0) {
        *out = IL_SEV_NOTICE;
    } else {
        return IL_ERR_INVALID;
    }
    return IL_OK;
}

void il_diags_set_severity(struct il_diags *diags, size_t i, enum il_severity severity) {
    if (diags != NULL && i < diags->count) {
        diags->items[i].severity = severity;
    }
}

void il_diags_drop_if(struct il_diags *diags, int (*drop)(const struct il_diag *d, void *arg), void *arg) {
    size_t kept = 0;
    for (size_t i = 0; diags != NULL && i < diags->count; i++) {
        if (drop(&diags->items[i], arg)) {
            s_diag_release(&diags->items[i]);
        } else {
            diags->items[kept++] = diags->items[i];
        }
    }
    if (diags != NULL) {
        diags->count = kept;
    }
}
