/* Compile-time context shared by schema_compile.c (driver, identifiers, $ref) and schema_compile_kw.c (keywords). */
#ifndef IL_SCHEMA_COMPILE_H
#define IL_SCHEMA_COMPILE_H

#include "schema/schema_internal.h"

/* node -> value map keyed by pointer (open addressing). */
struct il_ptrmap {
    const void **keys;
    void **vals;
    size_t cap;
    size_t n;
};

struct il_sc_uri {
    char *uri;
    const struct il_node *node;
};

struct il_sc_pending {
    struct il_kw *kw;
    char *uri; /* resolved, in the arena */
};

struct il_sc {
    struct il_schema *schema;
    struct il_diags *diags;
    const char *filename;
    int failed;
    enum il_status status;     /* first hard failure (no memory) */
    struct il_ptrmap bases;    /* schema object -> base URI (char *) */
    struct il_ptrmap compiled; /* schema node -> struct il_sch * */
    struct il_sc_uri *res;     /* resources ($id and the root) */
    size_t nres, capres;
    struct il_sc_uri *anchors; /* "base#name" */
    size_t nanchors, capanchors;
    struct il_sc_pending *pending; /* $ref keywords to resolve once everything is compiled */
    size_t npending, cappending;
};

/** Zeroed arena memory owned by the schema; NULL (and sc->status set) on out of memory. */
void *il_sc_alloc(struct il_sc *sc, size_t size);
char *il_sc_strdup(struct il_sc *sc, const char *s);
/** Record a problem in the schema itself (rule "schema-file") at @p at; compilation will fail. */
void il_sc_error(struct il_sc *sc, const struct il_node *at, const char *fmt, ...) IL_PRINTF(3, 4);
/** The compiled form of the subschema at @p node (memoized), lexical base URI @p base. NULL on error. */
struct il_sch *il_sc_subschema(struct il_sc *sc, const struct il_node *node, const char *base, unsigned depth);
/** Queue a $ref for resolution. */
void il_sc_add_ref(struct il_sc *sc, struct il_kw *kw, const char *base, const struct il_node *ref);
/** Keep a compiled regex for freeing with the schema. */
void il_sc_own_regex(struct il_sc *sc, struct il_regex *re);
/** Fill @p sch's keyword list from the schema object @p node (schema_compile_kw.c). */
void il_sc_compile_keywords(struct il_sc *sc, struct il_sch *sch, const struct il_node *node, const char *base,
                            unsigned depth);
/** Merge properties/required/additionalProperties into one pass; only once every $ref is resolved (moves keywords). */
void il_sc_fuse(struct il_sch *sch);
/** Is @p name a keyword whose value is one subschema / an array of subschemas / an object of subschemas? */
int il_sc_keyword_shape(const char *name, size_t len);
#define IL_SHAPE_NONE 0
#define IL_SHAPE_ONE 1
#define IL_SHAPE_ARRAY 2
#define IL_SHAPE_MAP 3

void *il_ptrmap_get(const struct il_ptrmap *m, const void *key);
IL_MUST_CHECK enum il_status il_ptrmap_put(struct il_ptrmap *m, const void *key, void *val);
void il_ptrmap_release(struct il_ptrmap *m);

#endif
