/*
 * Object keywords: required, properties, patternProperties, additionalProperties, propertyNames,
 * min/maxProperties, dependentRequired, dependentSchemas, unevaluatedProperties.
 */
#include <string.h>

#include "schema/schema_internal.h"

/* How many allowed keys an "unknown key" message lists when it has no close suggestion. */
#define IL_KEYS_LIST_MAX 12
/* How many instance keys a "missing required key" message considers as misspellings. */
#define IL_REQUIRED_SUGGEST_MAX 64

static void s_mark(struct il_ann *ann, size_t i) {
    if (ann != NULL && ann->marks != NULL && i < ann->n) {
        ann->marks[i] = 1;
    }
}

size_t il_kw_count_props(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                         struct il_ann *ann) {
    (void)s, (void)ann;
    size_t n = il_node_size(inst);
    int min = kw->kind == IL_KW_MIN_PROPERTIES;
    if (min ? n >= kw->u.count : n <= kw->u.count) {
        return 0;
    }
    return il_sv_fail(c, inst, "must have %s %zu key%s, got %zu", min ? "at least" : "at most", kw->u.count,
                      kw->u.count == 1 ? "" : "s", n);
}

static int s_in_names(const struct il_sref *v, size_t n, const char *k, size_t len) {
    for (size_t i = 0; i < n; i++) {
        if (v[i].len == len && memcmp(v[i].ptr, k, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* @p req / @p nreq: the names of the `required` list (also known keys, never misspellings). */
static size_t s_missing(struct il_sv *c, const struct il_sch *s, const struct il_node *inst, const struct il_sref *name,
                        const struct il_sref *req, size_t nreq) {
    if (c->diags == NULL) {
        return 1;
    }
    /* An instance key one typo away from the missing one is almost certainly the author's intent, unless it is a
     * key the schema knows (`approved_by` is not a misspelling of a missing `applied_by`). */
    const struct il_sch_table *known = s->properties ? s->properties->u.table : NULL;
    struct il_sref cands[IL_REQUIRED_SUGGEST_MAX];
    size_t n = 0;
    for (size_t i = 0; i < il_node_size(inst) && n < IL_REQUIRED_SUGGEST_MAX; i++) {
        cands[n].ptr = il_node_str(il_node_key_at(inst, i), &cands[n].len);
        if ((known == NULL || il_sch_table_find(known, cands[n].ptr, cands[n].len) < 0) &&
            !s_in_names(req, nreq, cands[n].ptr, cands[n].len)) {
            n++;
        }
    }
    long hint = il_suggest(name->ptr, name->len, cands, n);
    if (hint >= 0) {
        return il_sv_fail(c, inst, "is missing required key `%.*s` (is `%.*s` a misspelling of it?)", (int)name->len,
                          name->ptr, (int)cands[hint].len, cands[hint].ptr);
    }
    return il_sv_fail(c, inst, "is missing required key `%.*s`", (int)name->len, name->ptr);
}

size_t il_kw_required(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                      struct il_ann *ann) {
    (void)ann;
    size_t errors = 0;
    for (size_t i = 0; i < kw->u.names.n; i++) {
        const struct il_sref *name = &kw->u.names.v[i];
        if (il_node_getn(inst, name->ptr, name->len) == NULL) {
            errors += s_missing(c, s, inst, name, kw->u.names.v, kw->u.names.n);
            if (c->stop_first) {
                break;
            }
        }
    }
    return errors;
}

/* Forward declarations: the fused `properties` pass handles unknown keys and missing required keys itself. */
static size_t s_unknown_key(struct il_sv *c, const struct il_sch *s, const struct il_node *key);
static int s_matches_pattern(const struct il_sch *s, const char *k, size_t len);

size_t il_kw_properties(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                        struct il_ann *ann) {
    size_t errors = 0;
    const struct il_sch_table *t = kw->u.table;
    uint64_t found = 0;
    size_t n = il_node_size(inst);
    for (size_t i = 0; i < n; i++) {
        const struct il_node *key = il_node_key_at(inst, i);
        size_t len = 0;
        const char *k = il_node_str(key, &len);
        long idx = il_sch_table_find(t, k, len);
        if (idx >= 0) {
            found |= idx < 64 ? (uint64_t)1 << idx : 0;
            il_sv_push_key(c, key);
            errors += il_sv_eval(c, t->schs[idx], il_node_value_at(inst, i), NULL);
            il_sv_pop(c);
            s_mark(ann, i);
        } else if (t->additional != NULL && !s_matches_pattern(s, k, len)) {
            if (t->additional->boolean == 0) {
                errors += s_unknown_key(c, s, key);
            } else {
                il_sv_push_key(c, key);
                errors += il_sv_eval(c, t->additional, il_node_value_at(inst, i), NULL);
                il_sv_pop(c);
            }
            s_mark(ann, i);
        }
        if (errors && c->stop_first) {
            return errors;
        }
    }
    uint64_t missing = t->req_mask & ~found;
    for (size_t i = 0; missing != 0 && i < t->n && i < 64; i++) {
        if (missing & ((uint64_t)1 << i)) {
            errors += s_missing(c, s, inst, &t->names[i], NULL, 0);
            if (c->stop_first) {
                break;
            }
        }
    }
    return errors;
}

size_t il_kw_pattern_properties(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw,
                                const struct il_node *inst, struct il_ann *ann) {
    (void)s;
    size_t errors = 0;
    size_t n = il_node_size(inst);
    for (size_t i = 0; i < n; i++) {
        const struct il_node *key = il_node_key_at(inst, i);
        size_t len = 0;
        const char *k = il_node_str(key, &len);
        for (size_t p = 0; p < kw->u.pats.n; p++) {
            if (!il_regex_search(kw->u.pats.re[p], k, len)) {
                continue;
            }
            il_sv_push_key(c, key);
            errors += il_sv_eval(c, kw->u.pats.schs[p], il_node_value_at(inst, i), NULL);
            il_sv_pop(c);
            s_mark(ann, i);
            if (errors && c->stop_first) {
                return errors;
            }
        }
    }
    return errors;
}

/* "unknown key `expire_at` in `dates`: did you mean `expires_at`?", located at the key. */
static size_t s_unknown_key(struct il_sv *c, const struct il_sch *s, const struct il_node *key) {
    if (c->diags == NULL) {
        return 1;
    }
    struct il_buf where;
    struct il_buf extra;
    il_buf_init(&where, 0);
    il_buf_init(&extra, 0);
    il_sv_subject(c, &where);
    size_t len = 0;
    const char *k = il_node_str(key, &len);
    const struct il_sch_table *t = s->properties ? s->properties->u.table : NULL;
    long hint = t ? il_suggest(k, len, t->names, t->n) : -1;
    if (hint >= 0) {
        il_status_ignore(il_buf_printf(&extra, ": did you mean `%.*s`?", (int)t->names[hint].len, t->names[hint].ptr));
    } else if (t != NULL && t->n > 0) {
        il_status_ignore(il_buf_puts(&extra, "; allowed keys: "));
        for (size_t i = 0; i < t->n && i < IL_KEYS_LIST_MAX; i++) {
            il_status_ignore(il_buf_printf(&extra, "%s`%.*s`", i ? ", " : "", (int)t->names[i].len, t->names[i].ptr));
        }
        if (t->n > IL_KEYS_LIST_MAX) {
            il_status_ignore(il_buf_printf(&extra, " (and %zu more)", t->n - IL_KEYS_LIST_MAX));
        }
    } else if (s->pattern_properties == NULL) {
        il_status_ignore(il_buf_puts(&extra, "; no keys are allowed here"));
    } else {
        il_status_ignore(il_buf_puts(&extra, "; keys must match the `patternProperties` patterns"));
    }
    il_sv_push_key(c, key);
    size_t r = il_sv_fail_raw(c, key, "unknown key `%.*s` in %s%s", (int)(len > 200 ? 200 : len), k,
                              il_buf_cstr(&where), il_buf_cstr(&extra));
    il_sv_pop(c);
    il_buf_release(&where);
    il_buf_release(&extra);
    return r;
}

static int s_matches_pattern(const struct il_sch *s, const char *k, size_t len) {
    const struct il_kw *pp = s->pattern_properties;
    for (size_t p = 0; pp != NULL && p < pp->u.pats.n; p++) {
        if (il_regex_search(pp->u.pats.re[p], k, len)) {
            return 1;
        }
    }
    return 0;
}

size_t il_kw_additional_properties(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw,
                                   const struct il_node *inst, struct il_ann *ann) {
    size_t errors = 0;
    size_t n = il_node_size(inst);
    const struct il_sch_table *t = s->properties ? s->properties->u.table : NULL;
    for (size_t i = 0; i < n; i++) {
        const struct il_node *key = il_node_key_at(inst, i);
        size_t len = 0;
        const char *k = il_node_str(key, &len);
        if ((t != NULL && il_sch_table_find(t, k, len) >= 0) || s_matches_pattern(s, k, len)) {
            continue;
        }
        if (kw->u.sch->boolean == 0) {
            errors += s_unknown_key(c, s, key);
        } else {
            il_sv_push_key(c, key);
            errors += il_sv_eval(c, kw->u.sch, il_node_value_at(inst, i), NULL);
            il_sv_pop(c);
        }
        s_mark(ann, i);
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}

size_t il_kw_property_names(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                            struct il_ann *ann) {
    (void)s, (void)ann;
    size_t errors = 0;
    for (size_t i = 0; i < il_node_size(inst); i++) {
        const struct il_node *key = il_node_key_at(inst, i);
        il_sv_push_key(c, key);
        c->segs[c->nseg - 1].is_name = 1;
        errors += il_sv_eval(c, kw->u.sch, key, NULL);
        il_sv_pop(c);
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}

size_t il_kw_dependent_required(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw,
                                const struct il_node *inst, struct il_ann *ann) {
    (void)s, (void)ann;
    size_t errors = 0;
    const struct il_sch_table *t = kw->u.table;
    for (size_t i = 0; i < t->n; i++) {
        if (il_node_getn(inst, t->names[i].ptr, t->names[i].len) == NULL) {
            continue;
        }
        for (size_t j = 0; j < t->nreqs[i]; j++) {
            const struct il_sref *need = &t->reqs[i][j];
            if (il_node_getn(inst, need->ptr, need->len) != NULL) {
                continue;
            }
            errors += il_sv_fail(c, inst, "has key `%.*s`, which requires key `%.*s` too", (int)t->names[i].len,
                                 t->names[i].ptr, (int)need->len, need->ptr);
            if (c->stop_first) {
                return errors;
            }
        }
    }
    return errors;
}

size_t il_kw_dependent_schemas(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw,
                               const struct il_node *inst, struct il_ann *ann) {
    (void)s;
    size_t errors = 0;
    const struct il_sch_table *t = kw->u.table;
    for (size_t i = 0; i < t->n; i++) {
        if (il_node_getn(inst, t->names[i].ptr, t->names[i].len) == NULL) {
            continue;
        }
        errors += il_sv_eval(c, t->schs[i], inst, ann);
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}

size_t il_kw_unevaluated_properties(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw,
                                    const struct il_node *inst, struct il_ann *ann) {
    size_t errors = 0;
    if (ann == NULL || ann->marks == NULL) {
        return 0; /* empty object: nothing left to evaluate */
    }
    for (size_t i = 0; i < il_node_size(inst) && i < ann->n; i++) {
        if (ann->marks[i]) {
            continue;
        }
        const struct il_node *key = il_node_key_at(inst, i);
        if (kw->u.sch->boolean == 0) {
            errors += s_unknown_key(c, s, key);
        } else {
            il_sv_push_key(c, key);
            errors += il_sv_eval(c, kw->u.sch, il_node_value_at(inst, i), NULL);
            il_sv_pop(c);
        }
        ann->marks[i] = 1;
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}
