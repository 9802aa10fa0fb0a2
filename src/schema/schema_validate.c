/*
 * Validation core: evaluate a compiled subschema against an instance node through a keyword dispatch table.
 *
 * Three modes share one code path: reporting (diags set: every violation becomes a located diagnostic), counting
 * (diags NULL: the public fast path, no strings built) and trial (stop at the first error: anyOf branches, `not`,
 * `if`, `contains`). Recursion is bounded by IL_SCHEMA_MAX_DEPTH so a `$ref` loop that makes no progress, or a very
 * deep instance, becomes an error instead of a stack overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema_internal.h"

#define IL_STR_(x) #x
#define IL_STR(x) IL_STR_(x)

static const il_kw_fn s_dispatch[IL_KW__COUNT] = {
    [IL_KW_REF] = il_kw_ref,
    [IL_KW_TYPE] = il_kw_type,
    [IL_KW_ENUM] = il_kw_enum,
    [IL_KW_CONST] = il_kw_const,
    [IL_KW_MINIMUM] = il_kw_bound,
    [IL_KW_MAXIMUM] = il_kw_bound,
    [IL_KW_EXCLUSIVE_MINIMUM] = il_kw_bound,
    [IL_KW_EXCLUSIVE_MAXIMUM] = il_kw_bound,
    [IL_KW_MULTIPLE_OF] = il_kw_multiple_of,
    [IL_KW_MIN_LENGTH] = il_kw_length,
    [IL_KW_MAX_LENGTH] = il_kw_length,
    [IL_KW_PATTERN] = il_kw_pattern,
    [IL_KW_FORMAT] = il_kw_format,
    [IL_KW_MIN_ITEMS] = il_kw_count_items,
    [IL_KW_MAX_ITEMS] = il_kw_count_items,
    [IL_KW_UNIQUE_ITEMS] = il_kw_unique_items,
    [IL_KW_PREFIX_ITEMS] = il_kw_prefix_items,
    [IL_KW_ITEMS] = il_kw_items,
    [IL_KW_CONTAINS] = il_kw_contains,
    [IL_KW_MIN_PROPERTIES] = il_kw_count_props,
    [IL_KW_MAX_PROPERTIES] = il_kw_count_props,
    [IL_KW_REQUIRED] = il_kw_required,
    [IL_KW_PROPERTIES] = il_kw_properties,
    [IL_KW_PATTERN_PROPERTIES] = il_kw_pattern_properties,
    [IL_KW_ADDITIONAL_PROPERTIES] = il_kw_additional_properties,
    [IL_KW_PROPERTY_NAMES] = il_kw_property_names,
    [IL_KW_DEPENDENT_REQUIRED] = il_kw_dependent_required,
    [IL_KW_DEPENDENT_SCHEMAS] = il_kw_dependent_schemas,
    [IL_KW_ALL_OF] = il_kw_all_of,
    [IL_KW_ANY_OF] = il_kw_any_of,
    [IL_KW_ONE_OF] = il_kw_one_of,
    [IL_KW_NOT] = il_kw_not,
    [IL_KW_IF] = il_kw_if,
    [IL_KW_UNEVALUATED_PROPERTIES] = il_kw_unevaluated_properties,
    [IL_KW_UNEVALUATED_ITEMS] = il_kw_unevaluated_items,
};

enum il_status il_ann_init(struct il_ann *a, const struct il_node *inst) {
    enum il_node_type t = il_node_type(inst);
    a->n = t == IL_NODE_OBJECT || t == IL_NODE_ARRAY ? il_node_size(inst) : 0;
    a->marks = NULL;
    if (a->n > 0 && (a->marks = calloc(a->n, 1)) == NULL) {
        a->n = 0;
        return IL_ERR_NOMEM;
    }
    return IL_OK;
}

void il_ann_merge(struct il_ann *dst, const struct il_ann *src) {
    if (dst == NULL || dst->marks == NULL || src->marks == NULL) {
        return;
    }
    size_t n = dst->n < src->n ? dst->n : src->n;
    for (size_t i = 0; i < n; i++) {
        dst->marks[i] |= src->marks[i];
    }
}

void il_ann_release(struct il_ann *a) {
    free(a->marks);
    a->marks = NULL;
    a->n = 0;
}

size_t il_sv_eval(struct il_sv *c, const struct il_sch *s, const struct il_node *inst, struct il_ann *ann) {
    /* A schema that is only a $ref ({"$ref": "#/$defs/text"}) is its target: skip the extra level. Bounded, because
     * {"$ref": "#"} at the root refers to itself; the depth limit below handles what is left. */
    for (int hops = 0; hops < 8 && s->nkw == 1 && s->kws[0].kind == IL_KW_REF && !s->needs_ann; hops++) {
        s = s->kws[0].u.sch;
    }
    if (s->boolean == 1) {
        return 0; /* `true` accepts but produces no annotations: it does not "evaluate" members for unevaluated* */
    }
    if (s->boolean == 0) {
        return c->diags ? il_sv_fail(c, inst, "is not allowed here") : 1;
    }
    if (c->depth >= IL_SCHEMA_MAX_DEPTH) {
        if (!c->depth_exceeded) {
            c->depth_exceeded = 1;
            c->depth_node = inst;
            c->depth_pointer = il_sv_pointer(c); /* NULL on no memory: reported without a pointer */
        }
        return 1;
    }
    c->depth++;
    unsigned tbit = IL_TBIT(il_node_type(inst));
    struct il_ann own = {0};
    struct il_ann *a = ann;
    if (s->needs_ann) {
        if (il_ann_init(&own, inst) != IL_OK) {
            c->status = IL_ERR_NOMEM;
        }
        a = &own;
    }
    size_t errors = 0;
    for (size_t i = 0; i < s->nkw; i++) {
        const struct il_kw *kw = &s->kws[i];
        if ((kw->applies & tbit) == 0) {
            continue;
        }
        errors += s_dispatch[kw->kind](c, s, kw, inst, a);
        if (errors != 0 && c->stop_first) {
            break;
        }
    }
    if (a == &own) {
        if (errors == 0) {
            il_ann_merge(ann, &own);
        }
        il_ann_release(&own);
    }
    c->depth--;
    return errors;
}

int il_sv_valid(struct il_sv *c, const struct il_sch *s, const struct il_node *inst, struct il_ann *ann) {
    struct il_diags *diags = c->diags;
    int stop = c->stop_first;
    c->diags = NULL;
    c->stop_first = 1;
    size_t e = il_sv_eval(c, s, inst, ann);
    c->diags = diags;
    c->stop_first = stop;
    return e == 0;
}

size_t il_sv_count(struct il_sv *c, const struct il_sch *s, const struct il_node *inst) {
    struct il_diags *diags = c->diags;
    int stop = c->stop_first;
    c->diags = NULL;
    c->stop_first = 0;
    size_t e = il_sv_eval(c, s, inst, NULL);
    c->diags = diags;
    c->stop_first = stop;
    return e;
}

enum il_status il_schema_validate_node(const struct il_schema *schema, const struct il_node *node, const char *filename,
                                       struct il_diags *diags, size_t *errors) {
    *errors = 0;
    if (schema == NULL || node == NULL) {
        return IL_ERR_INVALID;
    }
    struct il_sv *c = calloc(1, sizeof(*c)); /* the path stack is a few kB: keep it off the caller's stack */
    if (c == NULL) {
        return IL_ERR_NOMEM;
    }
    c->diags = diags;
    c->filename = filename;
    c->format_assertion = schema->format_assertion;
    size_t n = il_sv_eval(c, schema->root, node, NULL);
    enum il_status st = c->status;
    if (c->depth_exceeded) {
        /* Fail closed: whatever the branches decided, a part of the instance could not be checked. The limit's own
         * "errors" carry no diagnostic; this one stands for them. */
        n = n > 0 ? n : 1;
        if (diags != NULL && st == IL_OK) {
            struct il_diag d = {
                .severity = IL_SEV_ERROR,
                .rule = "schema",
                .file = filename,
                .line = il_node_line(c->depth_node),
                .column = il_node_column(c->depth_node),
                .pointer = c->depth_pointer,
                .message = "validation needed more than " IL_STR(
                    IL_SCHEMA_MAX_DEPTH) " nested schema evaluations "
                                         "here; the instance is nested too deeply or the schema has a `$ref` loop",
            };
            st = il_diags_add(diags, &d);
        }
    }
    free(c->depth_pointer);
    free(c);
    *errors = n;
    return st;
}

enum il_status il_schema_validate(const struct il_schema *schema, const struct il_doc *instance, struct il_diags *diags,
                                  size_t *errors) {
    *errors = 0;
    if (instance == NULL || il_doc_root(instance) == NULL) {
        return IL_ERR_INVALID;
    }
    return il_schema_validate_node(schema, il_doc_root(instance), il_doc_filename(instance), diags, errors);
}
