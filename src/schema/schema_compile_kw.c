/*
 * Keyword compilation: checks each keyword's value (a malformed schema is an error, never a silent pass) and turns it
 * into a struct il_kw with everything validation needs pre-computed (type masks, regexes, hashed property tables).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema_compile.h"

/* Tables with more entries than this get a hash index. */
#define IL_TABLE_LINEAR_MAX 8

struct s_ctx {
    struct il_sc *sc;
    struct il_sch *sch;
    const struct il_node *parent; /* the schema object */
    const char *base;
    unsigned depth;
    const char *name; /* keyword being compiled */
};

/* Returns 1 when the keyword becomes an entry of the keyword list, 0 otherwise. */
typedef int (*s_fn)(struct s_ctx *x, struct il_kw *kw, const struct il_node *val);

struct s_entry {
    const char *name;
    int kind; /* enum il_kw_kind, or -1 for keywords that only inform others */
    uint8_t applies;
    int shape; /* IL_SHAPE_*: where subschemas live (for the identifier scan) */
    s_fn fn;
};

#define T_NUM IL_TBIT(IL_NODE_NUMBER)
#define T_STR IL_TBIT(IL_NODE_STRING)
#define T_ARR IL_TBIT(IL_NODE_ARRAY)
#define T_OBJ IL_TBIT(IL_NODE_OBJECT)

static struct il_sch *s_sub(struct s_ctx *x, const struct il_node *val) {
    return il_sc_subschema(x->sc, val, x->base, x->depth + 1);
}

static int s_bad(struct s_ctx *x, const struct il_node *at, const char *expected) {
    il_sc_error(x->sc, at, "`%s` must be %s", x->name, expected);
    return 0;
}

static int s_count_value(struct s_ctx *x, const struct il_node *val, size_t *out) {
    if (!il_node_is_integer(val) || il_node_number(val) < 0) {
        return s_bad(x, val, "a non-negative integer");
    }
    double d = il_node_number(val);
    *out = d >= 1e18 ? SIZE_MAX : (size_t)d;
    return 1;
}

static int s_type_bit(const char *s, size_t len, unsigned *bit) {
    static const struct {
        const char *name;
        unsigned bit;
    } types[] = {{"null", IL_TBIT(IL_NODE_NULL)},
                 {"boolean", IL_TBIT(IL_NODE_BOOL)},
                 {"object", T_OBJ},
                 {"array", T_ARR},
                 {"number", T_NUM},
                 {"string", T_STR},
                 {"integer", IL_T_INTEGER}};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strlen(types[i].name) == len && memcmp(types[i].name, s, len) == 0) {
            *bit = types[i].bit;
            return 1;
        }
    }
    return 0;
}

static int s_type(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    unsigned mask = 0;
    size_t n = il_node_type(val) == IL_NODE_ARRAY ? il_node_size(val) : 1;
    for (size_t i = 0; i < n; i++) {
        const struct il_node *t = il_node_type(val) == IL_NODE_ARRAY ? il_node_at(val, i) : val;
        size_t len = 0;
        const char *s = il_node_str(t, &len);
        unsigned bit = 0;
        if (s == NULL || !s_type_bit(s, len, &bit)) {
            return s_bad(x, t, "a type name (null, boolean, object, array, number, string, integer) or a list of them");
        }
        mask |= bit;
    }
    kw->u.types = mask;
    x->sch->types = mask;
    return 1;
}

static int s_value(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    if (kw->kind == IL_KW_ENUM && il_node_type(val) != IL_NODE_ARRAY) {
        return s_bad(x, val, "an array of allowed values");
    }
    kw->u.value = val;
    return 1;
}

static int s_number(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    if (il_node_type(val) != IL_NODE_NUMBER) {
        return s_bad(x, val, "a number");
    }
    kw->u.num = il_node_number(val);
    if (kw->kind == IL_KW_MULTIPLE_OF && !(kw->u.num > 0)) {
        return s_bad(x, val, "a number greater than 0");
    }
    return 1;
}

static int s_count(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    return s_count_value(x, val, &kw->u.count);
}

static int s_contains_bound(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    (void)kw;
    size_t n = 0;
    if (s_count_value(x, val, &n)) {
        if (strcmp(x->name, "minContains") == 0) {
            x->sch->min_contains = n;
        } else {
            x->sch->max_contains = n;
        }
    }
    return 0;
}

static struct il_regex *s_regex(struct s_ctx *x, const struct il_node *val) {
    size_t len = 0;
    const char *s = il_node_str(val, &len);
    if (s == NULL) {
        s_bad(x, val, "a string holding a regular expression");
        return NULL;
    }
    struct il_regex *re = NULL;
    const char *why = NULL;
    enum il_status st = il_regex_compile(s, len, &re, &why);
    if (st == IL_ERR_NOMEM) {
        x->sc->status = st;
        return NULL;
    }
    if (st != IL_OK) {
        il_sc_error(x->sc, val, "`%s` regular expression `%s` is not supported: %s", x->name, s, why);
        return NULL;
    }
    il_sc_own_regex(x->sc, re);
    return re;
}

static int s_pattern(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    kw->u.re = s_regex(x, val);
    return kw->u.re != NULL;
}

static int s_format(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    size_t len = 0;
    const char *s = il_node_str(val, &len);
    if (s == NULL) {
        return s_bad(x, val, "a string");
    }
    kw->u.format = il_schema_format_lookup(s, len);
    return x->sc->schema->format_assertion && kw->u.format != IL_SCHEMA_FORMAT_UNKNOWN;
}

/* An array of unique strings into @p out / @p n (arena). */
static int s_names(struct s_ctx *x, const struct il_node *val, struct il_sref **out, size_t *n) {
    if (il_node_type(val) != IL_NODE_ARRAY) {
        return s_bad(x, val, "an array of strings");
    }
    *n = il_node_size(val);
    *out = il_sc_alloc(x->sc, (*n ? *n : 1) * sizeof(**out));
    if (*out == NULL) {
        return 0;
    }
    for (size_t i = 0; i < *n; i++) {
        const char *s = il_node_str(il_node_at(val, i), &(*out)[i].len);
        if (s == NULL) {
            return s_bad(x, il_node_at(val, i), "an array of strings");
        }
        (*out)[i].ptr = s;
    }
    return 1;
}

static int s_required(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    return s_names(x, val, &kw->u.names.v, &kw->u.names.n);
}

uint32_t il_sch_hash(const char *s, size_t len) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    }
    return h;
}

long il_sch_table_find(const struct il_sch_table *t, const char *name, size_t len) {
    if (t->index == NULL) {
        /* small table: length and first byte reject almost every candidate before memcmp */
        for (size_t i = 0; i < t->n; i++) {
            if (t->names[i].len == len && (len == 0 || t->names[i].ptr[0] == name[0]) &&
                memcmp(t->names[i].ptr, name, len) == 0) {
                return (long)i;
            }
        }
        return -1;
    }
    uint32_t h = il_sch_hash(name, len);
    size_t mask = t->index_cap - 1;
    for (size_t slot = h & mask; t->index[slot] != 0; slot = (slot + 1) & mask) {
        size_t i = t->index[slot] - 1;
        if (t->hashes[i] == h && t->names[i].len == len && memcmp(t->names[i].ptr, name, len) == 0) {
            return (long)i;
        }
    }
    return -1;
}

/* An object keyed by names: fills names/keys and, for large tables, the hash index. */
static struct il_sch_table *s_table(struct s_ctx *x, const struct il_node *val) {
    if (il_node_type(val) != IL_NODE_OBJECT) {
        s_bad(x, val, "an object");
        return NULL;
    }
    struct il_sc *sc = x->sc;
    size_t n = il_node_size(val);
    size_t m = n ? n : 1;
    struct il_sch_table *t = il_sc_alloc(sc, sizeof(*t));
    if (t == NULL || (t->names = il_sc_alloc(sc, m * sizeof(*t->names))) == NULL ||
        (t->keys = il_sc_alloc(sc, m * sizeof(*t->keys))) == NULL ||
        (t->hashes = il_sc_alloc(sc, m * sizeof(*t->hashes))) == NULL) {
        return NULL;
    }
    t->n = n;
    for (size_t i = 0; i < n; i++) {
        t->keys[i] = il_node_key_at(val, i);
        t->names[i].ptr = il_node_str(t->keys[i], &t->names[i].len);
        t->hashes[i] = il_sch_hash(t->names[i].ptr, t->names[i].len);
    }
    if (n > IL_TABLE_LINEAR_MAX) {
        size_t cap = 16;
        while (cap < n * 2) {
            cap *= 2;
        }
        if ((t->index = il_sc_alloc(sc, cap * sizeof(*t->index))) == NULL) {
            return NULL;
        }
        t->index_cap = cap;
        for (size_t i = 0; i < n; i++) {
            size_t slot = t->hashes[i] & (cap - 1);
            while (t->index[slot] != 0) {
                slot = (slot + 1) & (cap - 1);
            }
            t->index[slot] = (uint32_t)(i + 1);
        }
    }
    return t;
}

static int s_schema_table(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    struct il_sch_table *t = s_table(x, val);
    if (t == NULL || (t->schs = il_sc_alloc(x->sc, (t->n ? t->n : 1) * sizeof(*t->schs))) == NULL) {
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < t->n; i++) {
        ok &= (t->schs[i] = s_sub(x, il_node_value_at(val, i))) != NULL;
    }
    kw->u.table = t;
    if (ok && kw->kind == IL_KW_PROPERTIES) {
        x->sch->properties = kw;
    }
    return ok;
}

static int s_dependent_required(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    struct il_sch_table *t = s_table(x, val);
    size_t m = t && t->n ? t->n : 1;
    if (t == NULL || (t->reqs = il_sc_alloc(x->sc, m * sizeof(*t->reqs))) == NULL ||
        (t->nreqs = il_sc_alloc(x->sc, m * sizeof(*t->nreqs))) == NULL) {
        return 0;
    }
    for (size_t i = 0; i < t->n; i++) {
        if (!s_names(x, il_node_value_at(val, i), &t->reqs[i], &t->nreqs[i])) {
            return 0;
        }
    }
    kw->u.table = t;
    return 1;
}

static int s_pattern_properties(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    if (il_node_type(val) != IL_NODE_OBJECT) {
        return s_bad(x, val, "an object mapping regular expressions to schemas");
    }
    size_t n = il_node_size(val);
    size_t m = n ? n : 1;
    if ((kw->u.pats.re = il_sc_alloc(x->sc, m * sizeof(*kw->u.pats.re))) == NULL ||
        (kw->u.pats.schs = il_sc_alloc(x->sc, m * sizeof(*kw->u.pats.schs))) == NULL ||
        (kw->u.pats.pats = il_sc_alloc(x->sc, m * sizeof(*kw->u.pats.pats))) == NULL) {
        return 0;
    }
    kw->u.pats.n = n;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        kw->u.pats.pats[i] = il_node_key_at(val, i);
        ok &= (kw->u.pats.re[i] = s_regex(x, il_node_key_at(val, i))) != NULL;
        ok &= (kw->u.pats.schs[i] = s_sub(x, il_node_value_at(val, i))) != NULL;
    }
    if (ok) {
        x->sch->pattern_properties = kw;
    }
    return ok;
}

static int s_one(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    if (kw->kind == IL_KW_ITEMS && il_node_type(val) == IL_NODE_ARRAY) {
        return s_bad(x, val, "a schema (draft 2020-12); use `prefixItems` for a list of schemas");
    }
    kw->u.sch = s_sub(x, val);
    if (kw->u.sch != NULL && (kw->kind == IL_KW_UNEVALUATED_ITEMS || kw->kind == IL_KW_UNEVALUATED_PROPERTIES)) {
        x->sch->needs_ann = 1;
    }
    return kw->u.sch != NULL;
}

static int s_list(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    if (il_node_type(val) != IL_NODE_ARRAY || il_node_size(val) == 0) {
        return s_bad(x, val, "a non-empty array of schemas");
    }
    size_t n = il_node_size(val);
    if ((kw->u.list.v = il_sc_alloc(x->sc, n * sizeof(*kw->u.list.v))) == NULL) {
        return 0;
    }
    kw->u.list.n = n;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        ok &= (kw->u.list.v[i] = s_sub(x, il_node_at(val, i))) != NULL;
    }
    if (kw->kind == IL_KW_PREFIX_ITEMS) {
        x->sch->prefix_count = n;
    }
    return ok;
}

static int s_if(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    const struct il_node *then_ = il_node_get(x->parent, "then");
    const struct il_node *else_ = il_node_get(x->parent, "else");
    kw->u.cond.if_ = s_sub(x, val);
    kw->u.cond.then_ = then_ ? s_sub(x, then_) : NULL;
    kw->u.cond.else_ = else_ ? s_sub(x, else_) : NULL;
    return kw->u.cond.if_ != NULL && (then_ == NULL || kw->u.cond.then_) && (else_ == NULL || kw->u.cond.else_);
}

/* then/else without if, $defs: not keywords of the list, but compiled so their mistakes are reported. */
static int s_only_compile(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    (void)kw;
    if (strcmp(x->name, "then") == 0 || strcmp(x->name, "else") == 0) {
        if (il_node_get(x->parent, "if") == NULL) {
            (void)s_sub(x, val);
        }
        return 0;
    }
    if (il_node_type(val) != IL_NODE_OBJECT) {
        return s_bad(x, val, "an object of schemas");
    }
    for (size_t i = 0; i < il_node_size(val); i++) {
        (void)s_sub(x, il_node_value_at(val, i));
    }
    return 0;
}

static int s_ref(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    if (il_node_str(val, NULL) == NULL) {
        return s_bad(x, val, "a string (a URI reference)");
    }
    il_sc_add_ref(x->sc, kw, x->base, val);
    return 1;
}

static int s_unsupported(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    (void)kw;
    il_sc_error(x->sc, val, "`%s` is not supported by this validator; rewrite the schema without it", x->name);
    return 0;
}

static int s_string_only(struct s_ctx *x, struct il_kw *kw, const struct il_node *val) {
    (void)kw;
    if (il_node_str(val, NULL) == NULL) {
        s_bad(x, val, "a string");
    }
    return 0;
}

static const struct s_entry s_entries[] = {
    {"$ref", IL_KW_REF, IL_T_ALL, IL_SHAPE_NONE, s_ref},
    {"type", IL_KW_TYPE, IL_T_ALL, IL_SHAPE_NONE, s_type},
    {"enum", IL_KW_ENUM, IL_T_ALL, IL_SHAPE_NONE, s_value},
    {"const", IL_KW_CONST, IL_T_ALL, IL_SHAPE_NONE, s_value},
    {"minimum", IL_KW_MINIMUM, T_NUM, IL_SHAPE_NONE, s_number},
    {"maximum", IL_KW_MAXIMUM, T_NUM, IL_SHAPE_NONE, s_number},
    {"exclusiveMinimum", IL_KW_EXCLUSIVE_MINIMUM, T_NUM, IL_SHAPE_NONE, s_number},
    {"exclusiveMaximum", IL_KW_EXCLUSIVE_MAXIMUM, T_NUM, IL_SHAPE_NONE, s_number},
    {"multipleOf", IL_KW_MULTIPLE_OF, T_NUM, IL_SHAPE_NONE, s_number},
    {"minLength", IL_KW_MIN_LENGTH, T_STR, IL_SHAPE_NONE, s_count},
    {"maxLength", IL_KW_MAX_LENGTH, T_STR, IL_SHAPE_NONE, s_count},
    {"pattern", IL_KW_PATTERN, T_STR, IL_SHAPE_NONE, s_pattern},
    {"format", IL_KW_FORMAT, T_STR, IL_SHAPE_NONE, s_format},
    {"minItems", IL_KW_MIN_ITEMS, T_ARR, IL_SHAPE_NONE, s_count},
    {"maxItems", IL_KW_MAX_ITEMS, T_ARR, IL_SHAPE_NONE, s_count},
    {"uniqueItems", IL_KW_UNIQUE_ITEMS, T_ARR, IL_SHAPE_NONE, NULL},
    {"prefixItems", IL_KW_PREFIX_ITEMS, T_ARR, IL_SHAPE_ARRAY, s_list},
    {"items", IL_KW_ITEMS, T_ARR, IL_SHAPE_ONE, s_one},
    {"contains", IL_KW_CONTAINS, T_ARR, IL_SHAPE_ONE, s_one},
    {"minContains", -1, 0, IL_SHAPE_NONE, s_contains_bound},
    {"maxContains", -1, 0, IL_SHAPE_NONE, s_contains_bound},
    {"minProperties", IL_KW_MIN_PROPERTIES, T_OBJ, IL_SHAPE_NONE, s_count},
    {"maxProperties", IL_KW_MAX_PROPERTIES, T_OBJ, IL_SHAPE_NONE, s_count},
    {"required", IL_KW_REQUIRED, T_OBJ, IL_SHAPE_NONE, s_required},
    {"properties", IL_KW_PROPERTIES, T_OBJ, IL_SHAPE_MAP, s_schema_table},
    {"patternProperties", IL_KW_PATTERN_PROPERTIES, T_OBJ, IL_SHAPE_MAP, s_pattern_properties},
    {"additionalProperties", IL_KW_ADDITIONAL_PROPERTIES, T_OBJ, IL_SHAPE_ONE, s_one},
    {"propertyNames", IL_KW_PROPERTY_NAMES, T_OBJ, IL_SHAPE_ONE, s_one},
    {"dependentRequired", IL_KW_DEPENDENT_REQUIRED, T_OBJ, IL_SHAPE_NONE, s_dependent_required},
    {"dependentSchemas", IL_KW_DEPENDENT_SCHEMAS, T_OBJ, IL_SHAPE_MAP, s_schema_table},
    {"allOf", IL_KW_ALL_OF, IL_T_ALL, IL_SHAPE_ARRAY, s_list},
    {"anyOf", IL_KW_ANY_OF, IL_T_ALL, IL_SHAPE_ARRAY, s_list},
    {"oneOf", IL_KW_ONE_OF, IL_T_ALL, IL_SHAPE_ARRAY, s_list},
    {"not", IL_KW_NOT, IL_T_ALL, IL_SHAPE_ONE, s_one},
    {"if", IL_KW_IF, IL_T_ALL, IL_SHAPE_ONE, s_if},
    {"then", -1, 0, IL_SHAPE_ONE, s_only_compile},
    {"else", -1, 0, IL_SHAPE_ONE, s_only_compile},
    {"$defs", -1, 0, IL_SHAPE_MAP, s_only_compile},
    {"definitions", -1, 0, IL_SHAPE_MAP, NULL}, /* draft-07 habit: scanned for identifiers, compiled on demand */
    {"unevaluatedProperties", IL_KW_UNEVALUATED_PROPERTIES, T_OBJ, IL_SHAPE_ONE, s_one},
    {"unevaluatedItems", IL_KW_UNEVALUATED_ITEMS, T_ARR, IL_SHAPE_ONE, s_one},
    {"$dynamicRef", -1, 0, IL_SHAPE_NONE, s_unsupported},
    {"$recursiveRef", -1, 0, IL_SHAPE_NONE, s_unsupported},
    {"$id", -1, 0, IL_SHAPE_NONE, s_string_only},
    {"$anchor", -1, 0, IL_SHAPE_NONE, s_string_only},
};

static const struct s_entry *s_lookup(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof(s_entries) / sizeof(s_entries[0]); i++) {
        if (strlen(s_entries[i].name) == len && memcmp(s_entries[i].name, name, len) == 0) {
            return &s_entries[i];
        }
    }
    return NULL;
}

int il_sc_keyword_shape(const char *name, size_t len) {
    const struct s_entry *e = s_lookup(name, len);
    return e ? e->shape : IL_SHAPE_NONE;
}

static int s_unique_items(const struct il_node *val, struct s_ctx *x) {
    if (il_node_type(val) != IL_NODE_BOOL) {
        return s_bad(x, val, "true or false");
    }
    return il_node_bool(val);
}

/* Drop keyword @p k from the list. */
static void s_remove(struct il_sch *sch, const struct il_kw *k) {
    size_t i = (size_t)(k - sch->kws);
    memmove(&sch->kws[i], &sch->kws[i + 1], (sch->nkw - i - 1) * sizeof(*sch->kws));
    sch->nkw--;
}

/*
 * The common object schema {properties, required, additionalProperties} is checked in one walk over the instance's
 * members: `required` becomes a bit mask filled while `properties` looks each member up, and additionalProperties
 * handles the members the same look-up did not find. Only when every required name is a property (<= 64 of them).
 */
void il_sc_fuse(struct il_sch *sch) {
    if (sch->properties == NULL) {
        return;
    }
    struct il_sch_table *t = sch->properties->u.table;
    const struct il_kw *req = NULL;
    const struct il_kw *ap = NULL;
    for (size_t i = 0; i < sch->nkw; i++) {
        req = sch->kws[i].kind == IL_KW_REQUIRED ? &sch->kws[i] : req;
        ap = sch->kws[i].kind == IL_KW_ADDITIONAL_PROPERTIES ? &sch->kws[i] : ap;
    }
    if (req != NULL && t->n <= 64) {
        uint64_t mask = 0;
        size_t j = 0;
        for (; j < req->u.names.n; j++) {
            long idx = il_sch_table_find(t, req->u.names.v[j].ptr, req->u.names.v[j].len);
            if (idx < 0) {
                break;
            }
            mask |= (uint64_t)1 << idx;
        }
        if (j == req->u.names.n) {
            t->req_mask = mask;
            s_remove(sch, req);
        }
    }
    for (size_t i = 0; i < sch->nkw; i++) { /* the removal may have moved it */
        ap = sch->kws[i].kind == IL_KW_ADDITIONAL_PROPERTIES ? &sch->kws[i] : NULL;
        if (ap != NULL) {
            t->additional = ap->u.sch;
            s_remove(sch, ap);
            break;
        }
    }
    /* sch->properties must point into the list again after the moves */
    for (size_t i = 0; i < sch->nkw; i++) {
        if (sch->kws[i].kind == IL_KW_PROPERTIES) {
            sch->properties = &sch->kws[i];
        } else if (sch->kws[i].kind == IL_KW_PATTERN_PROPERTIES) {
            sch->pattern_properties = &sch->kws[i];
        }
    }
}

void il_sc_compile_keywords(struct il_sc *sc, struct il_sch *sch, const struct il_node *node, const char *base,
                            unsigned depth) {
    size_t n = il_node_size(node);
    sch->kws = il_sc_alloc(sc, (n ? n : 1) * sizeof(*sch->kws));
    if (sch->kws == NULL) {
        return;
    }
    struct s_ctx x = {.sc = sc, .sch = sch, .parent = node, .base = base, .depth = depth};
    /* unevaluated* must run after every other keyword of the schema: they read what the others evaluated */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n && sc->status == IL_OK; i++) {
            size_t len = 0;
            const char *name = il_node_str(il_node_key_at(node, i), &len);
            const struct s_entry *e = s_lookup(name, len);
            if (e == NULL) {
                continue; /* unknown keywords are annotations (JSON Schema 2020-12, section 4.3.1) */
            }
            int late = e->kind == IL_KW_UNEVALUATED_ITEMS || e->kind == IL_KW_UNEVALUATED_PROPERTIES;
            if (late != pass) {
                continue;
            }
            const struct il_node *val = il_node_value_at(node, i);
            struct il_kw *kw = &sch->kws[sch->nkw];
            memset(kw, 0, sizeof(*kw));
            kw->kind = (uint8_t)(e->kind < 0 ? 0 : e->kind);
            kw->applies = e->applies;
            kw->node = val;
            x.name = e->name;
            int add = e->kind == IL_KW_UNIQUE_ITEMS ? s_unique_items(val, &x) : (e->fn ? e->fn(&x, kw, val) : 0);
            if (add && e->kind >= 0) {
                sch->nkw++;
            }
        }
    }
}
