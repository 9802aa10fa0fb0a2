/*
 * Applicators in place: $ref, allOf, anyOf, oneOf, not, if/then/else.
 *
 * anyOf/oneOf failures are the classic source of unreadable validator output (every branch's every error). Here a
 * failure reports only the most relevant branch: branches whose `type` rules the instance out are set aside, and of
 * the rest the one with the fewest errors is re-run with reporting on. When every branch is ruled out by type, one
 * summary line names the types that would have been accepted.
 */
#include <stdint.h>

#include "schema/schema_internal.h"

size_t il_kw_ref(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                 struct il_ann *ann) {
    (void)s;
    return il_sv_eval(c, kw->u.sch, inst, ann);
}

size_t il_kw_all_of(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                    struct il_ann *ann) {
    (void)s;
    size_t errors = 0;
    for (size_t i = 0; i < kw->u.list.n; i++) {
        errors += il_sv_eval(c, kw->u.list.v[i], inst, ann);
        if (errors && c->stop_first) {
            break;
        }
    }
    return errors;
}

static size_t s_report_no_match(struct il_sv *c, const struct il_kw *kw, const struct il_node *inst, const char *name) {
    if (c->diags == NULL) {
        return 1;
    }
    unsigned bits = IL_TBIT(il_node_type(inst)) | (il_node_is_integer(inst) ? IL_T_INTEGER : 0u);
    unsigned wanted = 0;
    size_t best = SIZE_MAX;
    size_t best_i = 0;
    for (size_t i = 0; i < kw->u.list.n; i++) {
        const struct il_sch *b = kw->u.list.v[i];
        if ((b->types & bits) == 0) {
            wanted |= b->types;
            continue;
        }
        size_t n = il_sv_count(c, b, inst);
        if (n < best) {
            best = n;
            best_i = i;
        }
    }
    if (best != SIZE_MAX) {
        size_t n = il_sv_eval(c, kw->u.list.v[best_i], inst, NULL);
        if (n > 0) {
            return n;
        }
        /* the branch only failed in combination (e.g. an unevaluated* sibling): fall back to one line */
    }
    struct il_buf want;
    struct il_buf got;
    il_buf_init(&want, 0);
    il_buf_init(&got, 0);
    il_sv_render_got(&got, inst);
    size_t r;
    if (best == SIZE_MAX && wanted != 0) {
        il_sv_render_types(&want, wanted);
        r = il_sv_fail(c, inst, "must be %s, got %s", il_buf_cstr(&want), il_buf_cstr(&got));
    } else {
        r = il_sv_fail(c, inst, "matches none of the alternatives in `%s`, got %s", name, il_buf_cstr(&got));
    }
    il_buf_release(&want);
    il_buf_release(&got);
    return r;
}

size_t il_kw_any_of(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                    struct il_ann *ann) {
    (void)s;
    int any = 0;
    for (size_t i = 0; i < kw->u.list.n; i++) {
        if (ann == NULL) {
            if (il_sv_valid(c, kw->u.list.v[i], inst, NULL)) {
                return 0;
            }
            continue;
        }
        /* with annotations wanted every passing branch contributes, so no early exit */
        struct il_ann t;
        if (il_ann_init(&t, inst) != IL_OK) {
            c->status = IL_ERR_NOMEM;
            return 1;
        }
        if (il_sv_valid(c, kw->u.list.v[i], inst, &t)) {
            any = 1;
            il_ann_merge(ann, &t);
        }
        il_ann_release(&t);
    }
    return any ? 0 : s_report_no_match(c, kw, inst, "anyOf");
}

size_t il_kw_one_of(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                    struct il_ann *ann) {
    (void)s;
    size_t matched = 0;
    size_t first = 0;
    size_t second = 0;
    struct il_ann keep = {0};
    for (size_t i = 0; i < kw->u.list.n && matched < 2; i++) {
        struct il_ann t = {0};
        if (ann != NULL && il_ann_init(&t, inst) != IL_OK) {
            c->status = IL_ERR_NOMEM;
            il_ann_release(&keep);
            return 1;
        }
        if (il_sv_valid(c, kw->u.list.v[i], inst, ann ? &t : NULL)) {
            if (matched++ == 0) {
                first = i;
                keep = t;
                continue;
            }
            second = i;
        }
        il_ann_release(&t);
    }
    if (matched == 1) {
        il_ann_merge(ann, &keep);
        il_ann_release(&keep);
        return 0;
    }
    il_ann_release(&keep);
    if (matched == 0) {
        return s_report_no_match(c, kw, inst, "oneOf");
    }
    return il_sv_fail(c, inst, "matches alternatives %zu and %zu of `oneOf` but must match exactly one", first, second);
}

size_t il_kw_not(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                 struct il_ann *ann) {
    (void)s, (void)ann;
    if (!il_sv_valid(c, kw->u.sch, inst, NULL)) {
        return 0;
    }
    return il_sv_fail(c, inst, "matches the schema under `not`, which it must not");
}

size_t il_kw_if(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                struct il_ann *ann) {
    (void)s;
    struct il_ann t = {0};
    if (ann != NULL && il_ann_init(&t, inst) != IL_OK) {
        c->status = IL_ERR_NOMEM;
        return 1;
    }
    size_t errors = 0;
    if (il_sv_valid(c, kw->u.cond.if_, inst, ann ? &t : NULL)) {
        il_ann_merge(ann, &t);
        if (kw->u.cond.then_ != NULL) {
            errors = il_sv_eval(c, kw->u.cond.then_, inst, ann);
        }
    } else if (kw->u.cond.else_ != NULL) {
        errors = il_sv_eval(c, kw->u.cond.else_, inst, ann);
    }
    il_ann_release(&t);
    return errors;
}
