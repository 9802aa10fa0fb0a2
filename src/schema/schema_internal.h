/*
 * Internals shared by the src/schema/ files: the compiled form of a schema and the validation context.
 *
 * A schema document is compiled once into a graph of struct il_sch (one per subschema; $ref edges point straight at
 * their targets, so recursion is a cycle in the graph). Each il_sch holds a flat array of keywords in evaluation order;
 * validation walks that array and dispatches on the keyword kind through a table, with no string look-ups.
 * All compiled data lives in the il_schema's arena and dies with il_schema_free().
 */
#ifndef IL_SCHEMA_INTERNAL_H
#define IL_SCHEMA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "il/buf.h"
#include "il/schema.h"

/* Nested subschema evaluations (and schema nesting at compile time) beyond this are an error, not a stack overflow. */
#define IL_SCHEMA_MAX_DEPTH 256

/* Instance type bits: 1 << enum il_node_type, plus one for "integer". */
#define IL_T_INTEGER (1u << 6)
#define IL_T_ALL 0x7Fu
#define IL_TBIT(t) (1u << (unsigned)(t))

/* ---- regular expressions (schema_regex.c) ---- */
struct il_regex;
/**
 * Compile an ECMA-262 pattern (@p len bytes of UTF-8). On an unsupported or malformed pattern returns IL_ERR_INVALID
 * and sets *why to a static explanation. *out is freed with il_regex_free().
 */
IL_MUST_CHECK enum il_status il_regex_compile(const char *pattern, size_t len, struct il_regex **out, const char **why);
void il_regex_free(struct il_regex *re);
/** 1 when the pattern matches anywhere in @p s (ECMA-262 `test` semantics, no flags), else 0. Linear time. */
int il_regex_search(const struct il_regex *re, const char *s, size_t len);

/* ---- formats (schema_format.c) ---- */
enum il_schema_format {
    IL_SCHEMA_FORMAT_UNKNOWN = 0, /* annotation only */
    IL_SCHEMA_FORMAT_DATE,
    IL_SCHEMA_FORMAT_DATE_TIME,
};
enum il_schema_format il_schema_format_lookup(const char *name, size_t len);
/** 1 when @p s is a valid instance of @p format (RFC 3339 full-date / date-time), else 0. */
int il_schema_format_check(enum il_schema_format format, const char *s, size_t len);
/** A short human description ("a date (YYYY-MM-DD)"). */
const char *il_schema_format_describe(enum il_schema_format format);

/* ---- did-you-mean (schema_suggest.c) ---- */
struct il_sref {
    const char *ptr;
    size_t len;
};
/** Index of the candidate nearest to @p word (Damerau-Levenshtein) when close enough to be a likely typo, else -1. */
long il_suggest(const char *word, size_t len, const struct il_sref *cands, size_t n);

/* ---- URI references (schema_uri.c) ---- */
/** Resolve @p ref against @p base (RFC 3986 section 5.2). Returns a new string (caller frees) or NULL (no memory). */
char *il_uri_resolve(const char *base, const char *ref, size_t ref_len);
/** Percent-decode @p len bytes into @p out (appended). IL_ERR_INVALID for a malformed escape. */
IL_MUST_CHECK enum il_status il_uri_pct_decode(const char *s, size_t len, struct il_buf *out);

/* ---- compiled schema ---- */
enum il_kw_kind {
    IL_KW_REF,
    IL_KW_TYPE,
    IL_KW_ENUM,
    IL_KW_CONST,
    IL_KW_MINIMUM,
    IL_KW_MAXIMUM,
    IL_KW_EXCLUSIVE_MINIMUM,
    IL_KW_EXCLUSIVE_MAXIMUM,
    IL_KW_MULTIPLE_OF,
    IL_KW_MIN_LENGTH,
    IL_KW_MAX_LENGTH,
    IL_KW_PATTERN,
    IL_KW_FORMAT,
    IL_KW_MIN_ITEMS,
    IL_KW_MAX_ITEMS,
    IL_KW_UNIQUE_ITEMS,
    IL_KW_PREFIX_ITEMS,
    IL_KW_ITEMS,
    IL_KW_CONTAINS,
    IL_KW_MIN_PROPERTIES,
    IL_KW_MAX_PROPERTIES,
    IL_KW_REQUIRED,
    IL_KW_PROPERTIES,
    IL_KW_PATTERN_PROPERTIES,
    IL_KW_ADDITIONAL_PROPERTIES,
    IL_KW_PROPERTY_NAMES,
    IL_KW_DEPENDENT_REQUIRED,
    IL_KW_DEPENDENT_SCHEMAS,
    IL_KW_ALL_OF,
    IL_KW_ANY_OF,
    IL_KW_ONE_OF,
    IL_KW_NOT,
    IL_KW_IF,
    IL_KW_UNEVALUATED_PROPERTIES,
    IL_KW_UNEVALUATED_ITEMS,
    IL_KW__COUNT
};

struct il_sch;

/* A string-keyed table (properties, dependentSchemas, dependentRequired), hashed for large tables. */
struct il_sch_table {
    size_t n;
    struct il_sref *names;
    const struct il_node **keys; /* key nodes in the schema (for messages) */
    struct il_sch **schs;        /* properties, dependentSchemas */
    struct il_sref **reqs;       /* dependentRequired: names required by each key */
    size_t *nreqs;
    uint32_t *hashes; /* hash of each name: a look-up compares bytes only on a hash match */
    uint32_t *index;  /* open addressing, entry index + 1; NULL for small tables */
    size_t index_cap;
    /* `properties` fused with its siblings so an object is walked once (set by the compiler):
     * req_mask: bit i set when names[i] is required; additional: the additionalProperties schema, or NULL. */
    uint64_t req_mask;
    struct il_sch *additional;
};
/** Index of @p name in @p t, or -1. */
long il_sch_table_find(const struct il_sch_table *t, const char *name, size_t len);
uint32_t il_sch_hash(const char *name, size_t len);

struct il_kw {
    uint8_t kind;               /* enum il_kw_kind */
    uint8_t applies;            /* instance types (IL_TBIT) this keyword constrains */
    const struct il_node *node; /* the keyword's value in the schema document */
    union {
        unsigned types;
        double num;
        size_t count;
        const struct il_node *value; /* const; enum (an array) */
        struct il_regex *re;
        enum il_schema_format format;
        struct il_sch *sch; /* $ref, items, contains, not, propertyNames, additionalProperties, unevaluated* */
        struct {
            struct il_sch **v;
            size_t n;
        } list; /* allOf, anyOf, oneOf, prefixItems */
        struct {
            struct il_sref *v;
            size_t n;
        } names; /* required */
        struct il_sch_table *table;
        struct {
            struct il_regex **re;
            struct il_sch **schs;
            const struct il_node **pats;
            size_t n;
        } pats;
        struct {
            struct il_sch *if_;
            struct il_sch *then_;
            struct il_sch *else_;
        } cond;
    } u;
};

struct il_sch {
    const struct il_node *node; /* the schema node (object or boolean) */
    int8_t boolean;             /* -1: object schema; 0: false; 1: true */
    uint8_t needs_ann;          /* has unevaluatedProperties/Items: collect evaluated members/items */
    unsigned types;             /* what "type" allows (IL_T_ALL when absent): used to pick anyOf/oneOf branches */
    struct il_kw *kws;
    size_t nkw;
    /* siblings other keywords consult */
    const struct il_kw *properties;
    const struct il_kw *pattern_properties;
    size_t prefix_count;
    size_t min_contains;
    size_t max_contains;
};

struct il_schema_arena;

struct il_schema {
    const struct il_doc *doc;
    struct il_sch *root;
    int format_assertion;
    struct il_schema_arena *arena;
    struct il_regex **regexes; /* owned, freed with the schema */
    size_t nregex;
    size_t regex_cap;
};

/* ---- validation context (schema_validate.c) ---- */
struct il_seg {
    const char *key; /* NULL: array index */
    size_t len;      /* key length, or the index */
    int is_name;     /* evaluating the key itself (propertyNames) */
};

struct il_sv {
    struct il_diags *diags; /* NULL: do not report (fast path, or a trial evaluation) */
    const char *filename;
    int stop_first; /* stop at the first error (trial evaluations) */
    int format_assertion;
    unsigned depth;
    int depth_exceeded;
    const struct il_node *depth_node; /* where the limit was first hit, and its pointer (reporting mode) */
    char *depth_pointer;
    enum il_status status; /* first internal failure (no memory) */
    size_t nseg;
    struct il_seg segs[IL_SCHEMA_MAX_DEPTH + 4];
};

/* Evaluated object members / array items of one instance (only for unevaluated*). */
struct il_ann {
    uint8_t *marks;
    size_t n;
};

/** Evaluate @p s against @p inst; returns the number of errors (stops at 1 when c->stop_first). */
size_t il_sv_eval(struct il_sv *c, const struct il_sch *s, const struct il_node *inst, struct il_ann *ann);
/** Trial evaluation: no reports, stop at the first error. 1 when valid. */
int il_sv_valid(struct il_sv *c, const struct il_sch *s, const struct il_node *inst, struct il_ann *ann);
/** Count the errors without reporting them. */
size_t il_sv_count(struct il_sv *c, const struct il_sch *s, const struct il_node *inst);

static inline void il_sv_push_key(struct il_sv *c, const struct il_node *key) {
    size_t len = 0;
    const char *k = il_node_str(key, &len);
    c->segs[c->nseg].key = k ? k : "";
    c->segs[c->nseg].len = len;
    c->segs[c->nseg].is_name = 0;
    c->nseg++;
}
static inline void il_sv_push_index(struct il_sv *c, size_t i) {
    c->segs[c->nseg].key = NULL;
    c->segs[c->nseg].len = i;
    c->segs[c->nseg].is_name = 0;
    c->nseg++;
}
static inline void il_sv_pop(struct il_sv *c) {
    c->nseg--;
}

/* ---- reporting (schema_report.c) ---- */
/** Report an error at @p at: the message is "<subject> <fmt...>", subject naming the current instance. Returns 1. */
size_t il_sv_fail(struct il_sv *c, const struct il_node *at, const char *fmt, ...) IL_PRINTF(3, 4);
/** Same without the subject prefix. */
size_t il_sv_fail_raw(struct il_sv *c, const struct il_node *at, const char *fmt, ...) IL_PRINTF(3, 4);
/** The JSON pointer of the current instance (caller frees), or NULL on out of memory. */
char *il_sv_pointer(const struct il_sv *c);
/** Append the subject ("`scan_type`", "`exclusions[3]`", "the document") for the current path. */
void il_sv_subject(const struct il_sv *c, struct il_buf *b);
/** Append a short rendering of a value: strings raw, numbers shortest, containers as compact JSON, truncated. */
void il_sv_render(struct il_buf *b, const struct il_node *v);
/** Append "a string", "an integer or null" for a type mask. */
void il_sv_render_types(struct il_buf *b, unsigned types);
/** Append "string `abc`", "number `5`", "an object" for a value. */
void il_sv_render_got(struct il_buf *b, const struct il_node *v);
/** Append @p d in its shortest round-tripping form. */
void il_sv_render_number(struct il_buf *b, double d);

/* ---- keyword implementations ---- */
typedef size_t (*il_kw_fn)(struct il_sv *c, const struct il_sch *s, const struct il_kw *kw, const struct il_node *inst,
                           struct il_ann *ann);

size_t il_kw_type(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *, struct il_ann *);
size_t il_kw_enum(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *, struct il_ann *);
size_t il_kw_const(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                   struct il_ann *);
size_t il_kw_bound(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                   struct il_ann *);
size_t il_kw_multiple_of(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                         struct il_ann *);
size_t il_kw_length(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                    struct il_ann *);
size_t il_kw_pattern(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                     struct il_ann *);
size_t il_kw_format(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                    struct il_ann *);

size_t il_kw_count_items(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                         struct il_ann *);
size_t il_kw_unique_items(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                          struct il_ann *);
size_t il_kw_prefix_items(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                          struct il_ann *);
size_t il_kw_items(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                   struct il_ann *);
size_t il_kw_contains(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                      struct il_ann *);
size_t il_kw_unevaluated_items(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                               struct il_ann *);

size_t il_kw_count_props(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                         struct il_ann *);
size_t il_kw_required(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                      struct il_ann *);
size_t il_kw_properties(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                        struct il_ann *);
size_t il_kw_pattern_properties(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                                struct il_ann *);
size_t il_kw_additional_properties(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                                   struct il_ann *);
size_t il_kw_property_names(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                            struct il_ann *);
size_t il_kw_dependent_required(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                                struct il_ann *);
size_t il_kw_dependent_schemas(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                               struct il_ann *);
size_t il_kw_unevaluated_properties(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                                    struct il_ann *);

size_t il_kw_ref(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *, struct il_ann *);
size_t il_kw_all_of(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                    struct il_ann *);
size_t il_kw_any_of(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                    struct il_ann *);
size_t il_kw_one_of(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *,
                    struct il_ann *);
size_t il_kw_not(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *, struct il_ann *);
size_t il_kw_if(struct il_sv *, const struct il_sch *, const struct il_kw *, const struct il_node *, struct il_ann *);

/** Annotation helpers: a fresh zeroed set for @p inst (NULL marks when not a container), merge, release. */
IL_MUST_CHECK enum il_status il_ann_init(struct il_ann *a, const struct il_node *inst);
void il_ann_merge(struct il_ann *dst, const struct il_ann *src);
void il_ann_release(struct il_ann *a);

#endif
