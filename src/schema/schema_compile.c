/*
 * Schema compilation driver: identifiers, base URIs and $ref resolution.
 *
 * 1. A scan walks the schema document once, following only keywords whose values are subschemas (so an `$id` inside
 *    an `enum` or `const` value is data, not an identifier), and records each subschema's base URI, every `$id`
 *    resource and every `$anchor`.
 * 2. Subschemas are compiled from the root, memoized by node, so each is compiled once however often it is referenced.
 * 3. `$ref`s are queued and resolved afterwards in a loop (not by recursion), pointing each at its compiled target:
 *    a recursive schema becomes a cycle in the graph and a long chain of references cannot exhaust the stack.
 * Only references into this document resolve: nothing is ever fetched (no network, no files).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "schema/schema_compile.h"

#define IL_ARENA_BLOCK ((size_t)16 * 1024)

struct il_schema_arena {
    struct il_schema_arena *next;
    size_t used, cap;
    max_align_t data[];
};

void *il_sc_alloc(struct il_sc *sc, size_t size) {
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    struct il_schema_arena *a = sc->schema->arena;
    if (a == NULL || a->cap - a->used < size) {
        size_t cap = size > IL_ARENA_BLOCK ? size : IL_ARENA_BLOCK;
        struct il_schema_arena *b = malloc(sizeof(*b) + cap);
        if (b == NULL) {
            sc->status = IL_ERR_NOMEM;
            return NULL;
        }
        b->used = 0;
        b->cap = cap;
        b->next = a;
        sc->schema->arena = a = b;
    }
    void *p = (char *)a->data + a->used;
    a->used += size;
    memset(p, 0, size);
    return p;
}

char *il_sc_strdup(struct il_sc *sc, const char *s) {
    size_t len = strlen(s);
    char *p = il_sc_alloc(sc, len + 1);
    if (p != NULL) {
        memcpy(p, s, len + 1);
    }
    return p;
}

void il_sc_error(struct il_sc *sc, const struct il_node *at, const char *fmt, ...) {
    sc->failed = 1;
    if (sc->diags == NULL) {
        return;
    }
    struct il_buf msg;
    il_buf_init(&msg, 4096);
    va_list ap;
    va_start(ap, fmt);
    il_status_ignore(il_buf_vprintf(&msg, fmt, ap));
    va_end(ap);
    enum il_status st = il_diags_addf(sc->diags, IL_SEV_ERROR, "schema-file", sc->filename, at ? il_node_line(at) : 0,
                                      at ? il_node_column(at) : 0, NULL, "%s", il_buf_cstr(&msg));
    if (st != IL_OK && sc->status == IL_OK) {
        sc->status = st;
    }
    il_buf_release(&msg);
}

void il_sc_own_regex(struct il_sc *sc, struct il_regex *re) {
    struct il_schema *s = sc->schema;
    if (s->nregex == s->regex_cap) {
        size_t cap = s->regex_cap ? s->regex_cap * 2 : 8;
        struct il_regex **v = realloc(s->regexes, cap * sizeof(*v));
        if (v == NULL) {
            il_regex_free(re);
            sc->status = IL_ERR_NOMEM;
            return;
        }
        s->regexes = v;
        s->regex_cap = cap;
    }
    s->regexes[s->nregex++] = re;
}

/* ---- pointer map ---- */

static size_t s_ptr_hash(const void *p) {
    uintptr_t v = (uintptr_t)p;
    v ^= v >> 17;
    v *= 0x9E3779B97F4A7C15ull;
    return (size_t)(v ^ (v >> 29));
}

void *il_ptrmap_get(const struct il_ptrmap *m, const void *key) {
    if (m->cap == 0) {
        return NULL;
    }
    size_t mask = m->cap - 1;
    for (size_t i = s_ptr_hash(key) & mask; m->keys[i] != NULL; i = (i + 1) & mask) {
        if (m->keys[i] == key) {
            return m->vals[i];
        }
    }
    return NULL;
}

enum il_status il_ptrmap_put(struct il_ptrmap *m, const void *key, void *val) {
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct il_ptrmap g = {.keys = calloc(cap, sizeof(void *)), .vals = calloc(cap, sizeof(void *)), .cap = cap};
        if (g.keys == NULL || g.vals == NULL) {
            il_ptrmap_release(&g);
            return IL_ERR_NOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->keys[i] != NULL) {
                enum il_status st = il_ptrmap_put(&g, m->keys[i], m->vals[i]);
                (void)st; /* cannot fail: g has room */
            }
        }
        il_ptrmap_release(m);
        *m = g;
    }
    size_t mask = m->cap - 1;
    size_t i = s_ptr_hash(key) & mask;
    while (m->keys[i] != NULL && m->keys[i] != key) {
        i = (i + 1) & mask;
    }
    if (m->keys[i] == NULL) {
        m->n++;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    return IL_OK;
}

void il_ptrmap_release(struct il_ptrmap *m) {
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

/* ---- identifiers ---- */

static void s_add_uri(struct il_sc *sc, struct il_sc_uri **v, size_t *n, size_t *cap, const char *uri,
                      const struct il_node *node) {
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*v)[i].uri, uri) == 0) {
            if ((*v)[i].node != node) {
                il_sc_error(sc, node, "identifier `%s` is defined twice; each `$id`/`$anchor` must be unique", uri);
            }
            return;
        }
    }
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        struct il_sc_uri *nv = realloc(*v, c * sizeof(*nv));
        if (nv == NULL) {
            sc->status = IL_ERR_NOMEM;
            return;
        }
        *v = nv;
        *cap = c;
    }
    char *copy = il_sc_strdup(sc, uri);
    if (copy == NULL) {
        return;
    }
    (*v)[*n].uri = copy;
    (*v)[*n].node = node;
    (*n)++;
}

static const struct il_node *s_find_uri(const struct il_sc_uri *v, size_t n, const char *uri, size_t len) {
    for (size_t i = 0; i < n; i++) {
        if (strlen(v[i].uri) == len && memcmp(v[i].uri, uri, len) == 0) {
            return v[i].node;
        }
    }
    return NULL;
}

/* Resolve @p ref against @p base into the arena, dropping an empty fragment ("x#" names the same as "x"). */
static char *s_resolve(struct il_sc *sc, const char *base, const char *ref, size_t len) {
    char *abs = il_uri_resolve(base, ref, len);
    if (abs == NULL) {
        sc->status = IL_ERR_NOMEM;
        return NULL;
    }
    size_t n = strlen(abs);
    if (n > 0 && abs[n - 1] == '#') {
        abs[n - 1] = '\0';
    }
    char *out = il_sc_strdup(sc, abs);
    free(abs);
    return out;
}

static void s_scan(struct il_sc *sc, const struct il_node *node, const char *base, unsigned depth) {
    if (il_node_type(node) != IL_NODE_OBJECT || sc->status != IL_OK) {
        return;
    }
    if (depth > IL_SCHEMA_MAX_DEPTH) {
        il_sc_error(sc, node, "schema nested deeper than %d levels", IL_SCHEMA_MAX_DEPTH);
        return;
    }
    const struct il_node *id = il_node_get(node, "$id");
    size_t len = 0;
    const char *s = id ? il_node_str(id, &len) : NULL;
    if (s != NULL) {
        char *abs = s_resolve(sc, base, s, len);
        if (abs == NULL) {
            return;
        }
        if (strchr(abs, '#') != NULL) {
            il_sc_error(sc, id, "`$id` `%s` must not contain a fragment; use `$anchor` to name a subschema", s);
        } else {
            base = abs;
            s_add_uri(sc, &sc->res, &sc->nres, &sc->capres, base, node);
        }
    }
    /* the map stores const char *; round-trip through a union to keep -Wcast-qual quiet */
    union {
        const char *c;
        void *v;
    } u = {.c = base};
    if (il_ptrmap_put(&sc->bases, node, u.v) != IL_OK) {
        sc->status = IL_ERR_NOMEM;
        return;
    }
    static const char *const anchor_keys[] = {"$anchor", "$dynamicAnchor"};
    for (size_t k = 0; k < 2; k++) {
        const struct il_node *a = il_node_get(node, anchor_keys[k]);
        const char *name = a ? il_node_str(a, &len) : NULL;
        if (name != NULL) {
            struct il_buf full;
            il_buf_init(&full, 0);
            il_status_ignore(il_buf_printf(&full, "%s#", base));
            il_status_ignore(il_buf_append(&full, name, len));
            if (il_buf_status(&full) != IL_OK) {
                sc->status = IL_ERR_NOMEM;
            } else {
                s_add_uri(sc, &sc->anchors, &sc->nanchors, &sc->capanchors, il_buf_cstr(&full), node);
            }
            il_buf_release(&full);
        }
    }
    for (size_t i = 0; i < il_node_size(node); i++) {
        const struct il_node *key = il_node_key_at(node, i);
        const struct il_node *val = il_node_value_at(node, i);
        size_t klen = 0;
        const char *k = il_node_str(key, &klen);
        switch (il_sc_keyword_shape(k, klen)) {
        case IL_SHAPE_ONE: s_scan(sc, val, base, depth + 1); break;
        case IL_SHAPE_ARRAY: /* a value of the wrong kind is reported when the keyword is compiled */
            for (size_t j = 0; il_node_type(val) == IL_NODE_ARRAY && j < il_node_size(val); j++) {
                s_scan(sc, il_node_at(val, j), base, depth + 1);
            }
            break;
        case IL_SHAPE_MAP:
            for (size_t j = 0; il_node_type(val) == IL_NODE_OBJECT && j < il_node_size(val); j++) {
                s_scan(sc, il_node_value_at(val, j), base, depth + 1);
            }
            break;
        default: break;
        }
    }
}

/* ---- compiling ---- */

struct il_sch *il_sc_subschema(struct il_sc *sc, const struct il_node *node, const char *base, unsigned depth) {
    struct il_sch *sch = il_ptrmap_get(&sc->compiled, node);
    if (sch != NULL) {
        return sch;
    }
    enum il_node_type t = il_node_type(node);
    if (t != IL_NODE_OBJECT && t != IL_NODE_BOOL) {
        il_sc_error(sc, node, "a schema must be an object or a boolean, got %s", il_node_type_name(t));
        return NULL;
    }
    if (depth > IL_SCHEMA_MAX_DEPTH) {
        il_sc_error(sc, node, "schema nested deeper than %d levels", IL_SCHEMA_MAX_DEPTH);
        return NULL;
    }
    sch = il_sc_alloc(sc, sizeof(*sch));
    if (sch == NULL) {
        return NULL;
    }
    sch->node = node;
    sch->types = IL_T_ALL;
    sch->max_contains = SIZE_MAX;
    sch->min_contains = 1;
    if (il_ptrmap_put(&sc->compiled, node, sch) != IL_OK) {
        sc->status = IL_ERR_NOMEM;
        return NULL;
    }
    if (t == IL_NODE_BOOL) {
        sch->boolean = (int8_t)il_node_bool(node);
        sch->types = sch->boolean ? IL_T_ALL : 0;
        return sch;
    }
    sch->boolean = -1;
    union {
        const char *c;
        void *v;
    } u = {.v = il_ptrmap_get(&sc->bases, node)};
    il_sc_compile_keywords(sc, sch, node, u.c ? u.c : base, depth);
    return sch;
}

void il_sc_add_ref(struct il_sc *sc, struct il_kw *kw, const char *base, const struct il_node *ref) {
    size_t len = 0;
    const char *s = il_node_str(ref, &len);
    char *uri = s_resolve(sc, base, s, len);
    if (uri == NULL) {
        return;
    }
    if (sc->npending == sc->cappending) {
        size_t cap = sc->cappending ? sc->cappending * 2 : 16;
        struct il_sc_pending *v = realloc(sc->pending, cap * sizeof(*v));
        if (v == NULL) {
            sc->status = IL_ERR_NOMEM;
            return;
        }
        sc->pending = v;
        sc->cappending = cap;
    }
    sc->pending[sc->npending].kw = kw;
    sc->pending[sc->npending].uri = uri;
    sc->npending++;
}

/* Walk a JSON pointer (already percent-decoded) from @p node. NULL when a token does not exist. */
static const struct il_node *s_pointer(const struct il_node *node, const char *ptr, size_t len) {
    size_t i = 0;
    struct il_buf tok;
    il_buf_init(&tok, 0);
    while (node != NULL && i < len) {
        if (ptr[i] != '/') {
            node = NULL;
            break;
        }
        i++;
        il_buf_reset(&tok);
        while (i < len && ptr[i] != '/') {
            if (ptr[i] == '~' && i + 1 < len && (ptr[i + 1] == '0' || ptr[i + 1] == '1')) {
                il_status_ignore(il_buf_putc(&tok, ptr[i + 1] == '0' ? '~' : '/'));
                i += 2;
            } else {
                il_status_ignore(il_buf_putc(&tok, ptr[i++]));
            }
        }
        if (il_buf_status(&tok) != IL_OK) {
            node = NULL;
            break;
        }
        if (il_node_type(node) == IL_NODE_OBJECT) {
            node = il_node_getn(node, il_buf_cstr(&tok), tok.len);
        } else if (il_node_type(node) == IL_NODE_ARRAY) {
            const char *t = il_buf_cstr(&tok);
            char *end = NULL;
            unsigned long long idx = strtoull(t, &end, 10);
            int ok = tok.len > 0 && end == t + tok.len && t[0] >= '0' && t[0] <= '9' && (t[0] != '0' || tok.len == 1);
            node = ok ? il_node_at(node, (size_t)idx) : NULL;
        } else {
            node = NULL;
        }
    }
    il_buf_release(&tok);
    return node;
}

static void s_resolve_ref(struct il_sc *sc, struct il_sc_pending *p) {
    const char *uri = p->uri;
    const char *hash = strchr(uri, '#');
    size_t res_len = hash ? (size_t)(hash - uri) : strlen(uri);
    const struct il_node *res = s_find_uri(sc->res, sc->nres, uri, res_len);
    const struct il_node *target = NULL;
    const char *ref_text = il_node_str(p->kw->node, NULL);
    if (res == NULL) {
        il_sc_error(sc, p->kw->node,
                    "cannot resolve `$ref` `%s`: only references within this schema document are supported", ref_text);
        return;
    }
    if (hash == NULL) {
        target = res;
    } else if (hash[1] == '/' || hash[1] == '\0') {
        struct il_buf dec;
        il_buf_init(&dec, 0);
        if (il_uri_pct_decode(hash + 1, strlen(hash + 1), &dec) != IL_OK) {
            il_buf_release(&dec);
            il_sc_error(sc, p->kw->node, "`$ref` `%s` has a malformed %%-escape", ref_text);
            return;
        }
        target = s_pointer(res, il_buf_cstr(&dec), dec.len);
        il_buf_release(&dec);
    } else {
        target = s_find_uri(sc->anchors, sc->nanchors, uri, strlen(uri));
    }
    if (target == NULL) {
        il_sc_error(sc, p->kw->node, "`$ref` `%s` points to nothing in this schema document", ref_text);
        return;
    }
    union {
        const char *c;
        void *v;
    } u = {.v = il_ptrmap_get(&sc->bases, target)};
    if (u.c == NULL) {
        /* a target reached by pointer into a place the scan did not visit: its base is the resource's */
        u.v = il_ptrmap_get(&sc->bases, res);
    }
    p->kw->u.sch = il_sc_subschema(sc, target, u.c ? u.c : "", 0);
}

static void s_free_sc(struct il_sc *sc) {
    il_ptrmap_release(&sc->bases);
    il_ptrmap_release(&sc->compiled);
    free(sc->res);
    free(sc->anchors);
    free(sc->pending);
}

enum il_status il_schema_compile_node(const struct il_doc *schema_doc, const struct il_node *root, int format_assertion,
                                      struct il_schema **out, struct il_diags *diags) {
    *out = NULL;
    if (root == NULL && schema_doc != NULL) {
        root = il_doc_root(schema_doc);
    }
    if (root == NULL) {
        return IL_ERR_INVALID;
    }
    struct il_schema *schema = calloc(1, sizeof(*schema));
    if (schema == NULL) {
        return IL_ERR_NOMEM;
    }
    schema->doc = schema_doc;
    schema->format_assertion = format_assertion;
    struct il_sc sc = {.schema = schema, .diags = diags, .filename = schema_doc ? il_doc_filename(schema_doc) : NULL};
    enum il_status st = IL_OK;
    /* the root is a resource even without an $id: its base is the empty URI */
    if (il_node_type(root) != IL_NODE_OBJECT || il_node_get(root, "$id") == NULL) {
        s_add_uri(&sc, &sc.res, &sc.nres, &sc.capres, "", root);
    }
    s_scan(&sc, root, "", 0);
    schema->root = il_sc_subschema(&sc, root, "", 0);
    for (size_t i = 0; i < sc.npending && sc.status == IL_OK; i++) {
        s_resolve_ref(&sc, &sc.pending[i]);
    }
    if (sc.status != IL_OK) {
        st = sc.status;
        goto cleanup;
    }
    if (sc.failed || schema->root == NULL) {
        st = IL_ERR_INVALID;
        goto cleanup;
    }
    for (size_t i = 0; i < sc.compiled.cap; i++) {
        if (sc.compiled.keys[i] != NULL) {
            il_sc_fuse(sc.compiled.vals[i]);
        }
    }
    *out = schema;
    schema = NULL;
cleanup:
    s_free_sc(&sc);
    il_schema_free(schema);
    return st;
}

enum il_status il_schema_compile(const struct il_doc *schema_doc, struct il_schema **out, struct il_diags *diags) {
    return il_schema_compile_node(schema_doc, NULL, 1, out, diags);
}

void il_schema_free(struct il_schema *schema) {
    if (schema == NULL) {
        return;
    }
    struct il_schema_arena *a = schema->arena;
    while (a != NULL) {
        struct il_schema_arena *next = a->next;
        free(a);
        a = next;
    }
    for (size_t i = 0; i < schema->nregex; i++) {
        il_regex_free(schema->regexes[i]);
    }
    free(schema->regexes);
    free(schema);
}
