/* The --since section's leaf helpers: names, string copies, freeing. They call nothing back, so the report model and
 * the writers can use them without depending on the builder (report_since.c). */
#include <stdlib.h>
#include <string.h>

#include "report/report_since_internal.h"

void il_report_since_free(struct il_report_since *since) {
    struct il_since_build *b = (struct il_since_build *)since;
    if (b == NULL) {
        return;
    }
    for (size_t i = 0; i < b->n_arena; i++) {
        free(b->arena[i]);
    }
    free(b->arena);
    free(b->changes);
    free(b->tags);
    free(b->aging);
    free(b->teams);
    free(b);
}

const char *il_since_kind_str(enum il_since_kind kind) {
    static const char *const names[] = {"added", "removed", "renewed", "changed", "expired"};
    return (unsigned)kind < IL_SINCE_KIND_COUNT ? names[kind] : "unknown";
}

const char *il_since_keep(struct il_since_build *b, const char *s) {
    if (s == NULL || b->failed) {
        return NULL;
    }
    if (b->n_arena == b->cap_arena) {
        size_t cap = b->cap_arena ? b->cap_arena * 2 : 64;
        char **n = realloc(b->arena, cap * sizeof(*n));
        if (n == NULL) {
            b->failed = 1;
            return NULL;
        }
        b->arena = n;
        b->cap_arena = cap;
    }
    char *copy = il_strdup(s);
    if (copy == NULL) {
        b->failed = 1;
        return NULL;
    }
    b->arena[b->n_arena++] = copy;
    return copy;
}
