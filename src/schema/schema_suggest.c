/*
 * "Did you mean": the nearest known key for an unknown one.
 *
 * A misspelt `expires_at` that a schema silently ignored would make an exclusion permanent, so rejecting unknown
 * keys is only half the job: the message should also point at the key the author meant. Distance is
 * Damerau-Levenshtein (optimal string alignment: a swap of two neighbours costs 1), case-insensitive differences
 * cost 1 like any other edit.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema_internal.h"

/* Keys longer than this are not compared (no typo suggestion for megabyte keys, and bounded work). */
#define IL_SUGGEST_MAX_LEN 128

static size_t s_min3(size_t a, size_t b, size_t c) {
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance using three rolling rows of (blen + 1) entries. */
static size_t s_distance(const char *a, size_t alen, const char *b, size_t blen, size_t *rows) {
    size_t *prev2 = rows;
    size_t *prev = rows + (blen + 1);
    size_t *cur = rows + 2 * (blen + 1);
    for (size_t j = 0; j <= blen; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= alen; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = s_min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j]) {
                cur[j] = prev2[j - 2] + 1;
            }
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[blen];
}

long il_suggest(const char *word, size_t len, const struct il_sref *cands, size_t n) {
    if (len == 0 || len > IL_SUGGEST_MAX_LEN || n == 0) {
        return -1;
    }
    size_t *rows = malloc(3 * (IL_SUGGEST_MAX_LEN + 1) * sizeof(*rows));
    if (rows == NULL) {
        return -1;
    }
    /* A suggestion must be closer than a third of the word (at least 1, at most 3 edits): "id" is not a typo of
     * "ttl", but "expire_at" is one of "expires_at". */
    size_t limit = len / 3;
    limit = limit < 1 ? 1 : (limit > 3 ? 3 : limit);
    long best = -1;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t clen = cands[i].len;
        if (clen > IL_SUGGEST_MAX_LEN || (clen > len ? clen - len : len - clen) >= best_d) {
            continue;
        }
        size_t d = s_distance(word, len, cands[i].ptr, clen, rows);
        if (d < best_d) {
            best_d = d;
            best = (long)i;
        }
    }
    free(rows);
    return best;
}
