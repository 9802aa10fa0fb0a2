/* Array keywords: min/maxItems, uniqueItems, prefixItems, items, contains (+min/maxContains), unevaluatedItems. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema_internal.h"

static void s_mark(struct il_ann *ann, size_t i) {
    if (ann != NULL && ann->marks != NULL && i < ann->n) {
        ann->marks[i] = 1;
    }
}

size_t il_kw_count_items(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                         struct il_ann *ann) {
    (void)s, (void)ann;
    size_t n = il_node_size(inst);
    int min = kw->kind == IL_KW_MIN_ITEMS;
    if (min ? n >= kw->u.count : n <= kw->u.count) {
        return 0;
    }
    if (min && kw->u.count == 1) {
        return il_sv_fail(c, inst, "must not be empty");
    }
    return il_sv_fail(c, inst, "must have %s %zu item%s, got %zu", min ? "at least" : "at most", kw->u.count,
                      kw->u.count == 1 ? "" : "s", n);
}

/* A hash consistent with il_node_equal(): 1 and 1.0 hash alike, object member order does not matter. */
static uint64_t s_hash(const struct il_node *v, unsigned depth) {
    uint64_t h = 0x9E3779B97F4A7C15ull * (1 + (uint64_t)il_node_type(v));
    if (depth > IL_SCHEMA_MAX_DEPTH) {
        return h;
    }
    switch (il_node_type(v)) {
    case IL_NODE_NULL: break;
    case IL_NODE_BOOL: h ^= (uint64_t)il_node_bool(v) + 1; break;
    case IL_NODE_NUMBER: {
        double d = il_node_number(v);
        if (d == 0) {
            d = 0; /* -0 == 0 */
        }
        uint64_t bits = 0;
        memcpy(&bits, &d, sizeof(bits) < sizeof(d) ? sizeof(bits) : sizeof(d));
        h ^= bits;
        break;
    }
    case IL_NODE_STRING: {
        size_t len = 0;
        const char *s = il_node_str(v, &len);
        for (size_t i = 0; i < len; i++) {
            h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
        }
        break;
    }
    case IL_NODE_ARRAY:
        for (size_t i = 0; i < il_node_size(v); i++) {
            h = (h ^ s_hash(il_node_at(v, i), depth + 1)) * 1099511628211ULL;
        }
        break;
    case IL_NODE_OBJECT: {
        uint64_t sum = 0;
        for (size_t i = 0; i < il_node_size(v); i++) {
            sum += s_hash(il_node_key_at(v, i), depth + 1) * 31 + s_hash(il_node_value_at(v, i), depth + 1);
        }
        h ^= sum;
        break;
    }
    }
    return h;
}

struct s_hashed {
    uint64_t h;
    size_t i;
};

static int s_cmp_hashed(const void *a, const void *b) {
    const struct s_hashed *x = a;
    const struct s_hashed *y = b;
    if (x->h != y->h) {
        return x->h < y->h ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i;
}

size_t il_kw_unique_items(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                          struct il_ann *ann) {
    (void)s, (void)kw, (void)ann;
    size_t n = il_node_size(inst);
    if (n < 2) {
        return 0;
    }
    /* sort by hash so only items with equal hashes are compared: n log n, not n^2, for long lists */
    struct s_hashed *v = malloc(n * sizeof(*v));
    if (v == NULL) {
        c->status = IL_ERR_NOMEM;
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].h = s_hash(il_node_at(inst, i), 0);
        v[i].i = i;
    }
    qsort(v, n, sizeof(*v), s_cmp_hashed);
    size_t errors = 0;
    for (size_t a = 0; a < n && !(errors && c->stop_first); a++) {
        for (size_t b = a + 1; b < n && v[b].h == v[a].h; b++) {
            if (il_node_equal(il_node_at(inst, v[a].i), il_node_at(inst, v[b].i))) {
                size_t first = v[a].i < v[b].i ? v[a].i : v[b].i;
                size_t second = v[a].i < v[b].i ? v[b].i : v[a].i;
                il_sv_push_index(c, second);
                errors += il_sv_fail(c, il_node_at(inst, second), "repeats item %zu; items must be unique", first);
                il_sv_pop(c);
                break;
            }
        }
    }
    free(v);
    return errors;
}

size_t il_kw_prefix_items(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                          struct il_ann *ann) {
    (void)s;
    size_t errors = 0;
    size_t n = il_node_size(inst);
    for (size_t i = 0; i < n && i < kw->u.list.n; i++) {
        il_sv_push_index(c, i);
        errors += il_sv_eval(c, kw->u.list.v[i], il_node_at(inst, i), NULL);
        il_sv_pop(c);
        s_mark(ann, i);
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}

size_t il_kw_items(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                   struct il_ann *ann) {
    size_t n = il_node_size(inst);
    size_t start = s->prefix_count;
    if (n <= start) {
        return 0;
    }
    if (kw->u.sch->boolean == 0) {
        if (start == 0) {
            return il_sv_fail(c, inst, "must be empty, got %zu item%s", n, n == 1 ? "" : "s");
        }
        return il_sv_fail(c, inst, "must have at most %zu item%s, got %zu", start, start == 1 ? "" : "s", n);
    }
    size_t errors = 0;
    for (size_t i = start; i < n; i++) {
        il_sv_push_index(c, i);
        errors += il_sv_eval(c, kw->u.sch, il_node_at(inst, i), NULL);
        il_sv_pop(c);
        s_mark(ann, i);
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}

size_t il_kw_contains(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                      struct il_ann *ann) {
    size_t n = il_node_size(inst);
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (il_sv_valid(c, kw->u.sch, il_node_at(inst, i), NULL)) {
            found++;
            s_mark(ann, i); /* contains annotates the items it matched */
        }
    }
    if (found < s->min_contains) {
        return il_sv_fail(c, inst, "must contain at least %zu item%s matching the `contains` schema, found %zu",
                          s->min_contains, s->min_contains == 1 ? "" : "s", found);
    }
    if (found > s->max_contains) {
        return il_sv_fail(c, inst, "must contain at most %zu item%s matching the `contains` schema, found %zu",
                          s->max_contains, s->max_contains == 1 ? "" : "s", found);
    }
    return 0;
}

size_t il_kw_unevaluated_items(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw,
                               const struct il_node *inst, struct il_ann *ann) {
    (void)s;
    size_t errors = 0;
    if (ann == NULL || ann->marks == NULL) {
        return 0;
    }
    for (size_t i = 0; i < il_node_size(inst) && i < ann->n; i++) {
        if (ann->marks[i]) {
            continue;
        }
        il_sv_push_index(c, i);
        if (kw->u.sch->boolean == 0) {
            errors += il_sv_fail(c, il_node_at(inst, i), "is not allowed: no schema evaluates this item");
        } else {
            errors += il_sv_eval(c, kw->u.sch, il_node_at(inst, i), NULL);
        }
        il_sv_pop(c);
        ann->marks[i] = 1;
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}
