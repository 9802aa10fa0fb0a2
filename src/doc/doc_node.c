#include "il/doc/node.h"

#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/hash.h"
#include "il/mem.h"

/*
 * Memory layout, tuned because a ledger's tree is most of the memory `validate` uses: a node is 32 bytes, and every
 * node, string and container vector lives in the document's arena (no per-node malloc, nothing to walk on free).
 * Vectors grow by doubling; the block a vector outgrows stays in the arena until the document is freed, which costs
 * at most what the final vectors cost (geometric growth), and a vector at the top of the arena grows in place.
 */

/* Objects up to this many members are searched linearly; from the next capacity up (16) an open-addressing hash
 * index of 2 * cap slots lives right after the members in the same block. */
#define IL_OBJECT_LINEAR_MAX 12
#define IL_ARENA_CHUNK ((size_t)64 * 1024)
/* Chunks grow with the document up to one huge page; from IL_ARENA_LARGE_MIN on they come pre-faulted (and, at the
 * maximum, on a huge page) from il_mem_alloc_large: one page fault per 4 KiB, and later one TLB miss per 4 KiB on
 * every pass over the tree, would cost a large tree (a 50k-entry ledger) as much time as building it. */
#define IL_ARENA_CHUNK_MAX IL_MEM_HUGE_PAGE
#define IL_ARENA_LARGE_MIN ((size_t)256 * 1024)
#define IL_ARENA_ALIGN ((size_t)8)

struct il_member {
    struct il_node *key;
    struct il_node *value;
};

struct il_node {
    uint8_t type;
    uint8_t is_integer;
    uint32_t line;
    uint32_t column;
    union {
        int boolean;
        double number;
        struct {
            const char *ptr;
            size_t len;
        } str;
        struct {
            struct il_node **items;
            uint32_t count, cap;
        } array;
        struct {
            struct il_member *members; /* followed by uint32_t index[2 * cap] when cap > IL_OBJECT_LINEAR_MAX */
            uint32_t count, cap;
        } object;
    } u;
};

struct il_arena_chunk {
    struct il_arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct il_doc {
    char *filename;
    struct il_node *root;
    struct il_arena_chunk *chunks; /* the first is the one being filled */
    size_t arena_bytes;            /* capacity of all chunks */
    size_t node_count;
};

struct il_doc *il_doc_new(const char *filename) {
    struct il_doc *doc = calloc(1, sizeof(*doc));
    if (doc == NULL) {
        return NULL;
    }
    if (filename != NULL && (doc->filename = il_strdup(filename)) == NULL) {
        free(doc);
        return NULL;
    }
    return doc;
}

void il_doc_free(struct il_doc *doc) {
    if (doc == NULL) {
        return;
    }
    struct il_arena_chunk *c = doc->chunks;
    while (c != NULL) {
        struct il_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(doc->filename);
    free(doc);
}

static size_t s_round(size_t size) {
    return (size + IL_ARENA_ALIGN - 1) & ~(IL_ARENA_ALIGN - 1);
}

static struct il_arena_chunk *s_chunk_new(struct il_doc *doc, size_t size) {
    /* a quarter of what the document holds so far, between 64 KiB and 2 MiB (header included): small documents stay
     * small, and a full-size chunk is exactly one huge page */
    size_t block = doc->arena_bytes / 4;
    block = block < IL_ARENA_CHUNK ? IL_ARENA_CHUNK : block > IL_ARENA_CHUNK_MAX ? IL_ARENA_CHUNK_MAX : block;
    if (size > block - sizeof(struct il_arena_chunk)) {
        /* a one-off block: all of what il_mem_alloc_large gives (whole huge pages from 2 MiB on) */
        block = size > SIZE_MAX - sizeof(struct il_arena_chunk)
                    ? 0
                    : il_mem_large_size(sizeof(struct il_arena_chunk) + size);
        if (block == 0) {
            return NULL;
        }
    }
    struct il_arena_chunk *c = block >= IL_ARENA_LARGE_MIN ? il_mem_alloc_large(block) : malloc(block);
    if (c == NULL) {
        return NULL;
    }
    c->used = 0;
    c->cap = block - sizeof(*c);
    doc->arena_bytes += c->cap;
    return c;
}

static void *s_alloc(struct il_doc *doc, size_t size) {
    if (size > SIZE_MAX / 2) {
        return NULL;
    }
    size = s_round(size);
    struct il_arena_chunk *c = doc->chunks;
    if (c == NULL || c->cap - c->used < size) {
        c = s_chunk_new(doc, size);
        if (c == NULL) {
            return NULL;
        }
        /* A large one-off allocation goes behind the current chunk so the current chunk keeps filling. */
        if (doc->chunks != NULL && size > IL_ARENA_CHUNK / 4) {
            c->next = doc->chunks->next;
            doc->chunks->next = c;
        } else {
            c->next = doc->chunks;
            doc->chunks = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

enum il_status il_doc_reserve(struct il_doc *doc, size_t size) {
    if (doc->chunks != NULL || size <= IL_ARENA_CHUNK) {
        return IL_OK; /* already filling, or small enough for the default growth */
    }
    struct il_arena_chunk *c = s_chunk_new(doc, size);
    if (c == NULL) {
        return IL_ERR_NOMEM;
    }
    c->next = NULL;
    doc->chunks = c;
    return IL_OK;
}

void *il_doc_alloc(struct il_doc *doc, size_t size) {
    return s_alloc(doc, size);
}

/* Grow a block of @p old_size bytes to @p new_size: in place when it is the last allocation of the current chunk
 * and fits, else a new block with the contents copied (the old one stays in the arena). */
static void *s_grow(struct il_doc *doc, void *old, size_t old_size, size_t new_size) {
    struct il_arena_chunk *c = doc->chunks;
    if (old != NULL && c != NULL) {
        size_t old_r = s_round(old_size), new_r = s_round(new_size);
        char *top = (char *)c->data + c->used;
        if ((char *)old + old_r == top && c->cap - c->used >= new_r - old_r) {
            c->used += new_r - old_r;
            return old;
        }
    }
    void *p = s_alloc(doc, new_size);
    if (p != NULL && old != NULL && old_size > 0) {
        memcpy(p, old, old_size);
    }
    return p;
}

static struct il_node *s_node(struct il_doc *doc, enum il_node_type type, unsigned line, unsigned column,
                              size_t extra) {
    struct il_node *n = s_alloc(doc, sizeof(*n) + extra);
    if (n == NULL) {
        return NULL;
    }
    memset(n, 0, sizeof(*n));
    n->type = (uint8_t)type;
    n->line = line;
    n->column = column;
    doc->node_count++;
    return n;
}

void il_doc_absorb(struct il_doc *dst, struct il_doc *src) {
    if (src == NULL) {
        return;
    }
    /* behind dst's first chunk, which stays the one being filled */
    struct il_arena_chunk **tail = dst->chunks != NULL ? &dst->chunks->next : &dst->chunks;
    struct il_arena_chunk *rest = *tail;
    *tail = src->chunks;
    while (*tail != NULL) {
        tail = &(*tail)->next;
    }
    *tail = rest;
    dst->arena_bytes += src->arena_bytes;
    dst->node_count += src->node_count;
    src->chunks = NULL;
    il_doc_free(src);
}

void il_doc_set_root(struct il_doc *doc, struct il_node *root) {
    doc->root = root;
}

struct il_node *il_node_new_null(struct il_doc *doc, unsigned line, unsigned column) {
    return s_node(doc, IL_NODE_NULL, line, column, 0);
}

struct il_node *il_node_new_bool(struct il_doc *doc, int value, unsigned line, unsigned column) {
    struct il_node *n = s_node(doc, IL_NODE_BOOL, line, column, 0);
    if (n) {
        n->u.boolean = value != 0;
    }
    return n;
}

struct il_node *il_node_new_number(struct il_doc *doc, double value, int is_integer, unsigned line, unsigned column) {
    struct il_node *n = s_node(doc, IL_NODE_NUMBER, line, column, 0);
    if (n) {
        n->u.number = value;
        n->is_integer = is_integer != 0;
    }
    return n;
}

struct il_node *il_node_new_string(struct il_doc *doc, const char *str, size_t len, unsigned line, unsigned column) {
    if (len > SIZE_MAX / 2) {
        return NULL;
    }
    /* the bytes follow the node in the same block: one allocation per string */
    struct il_node *n = s_node(doc, IL_NODE_STRING, line, column, len + 1);
    if (n == NULL) {
        return NULL;
    }
    char *copy = (char *)(n + 1);
    if (len) {
        memcpy(copy, str, len);
    }
    copy[len] = '\0';
    n->u.str.ptr = copy;
    n->u.str.len = len;
    return n;
}

struct il_node *il_node_new_string_shared(struct il_doc *doc, const struct il_node *same, unsigned line,
                                          unsigned column) {
    if (same->type != IL_NODE_STRING) {
        return NULL;
    }
    struct il_node *n = s_node(doc, IL_NODE_STRING, line, column, 0);
    if (n) {
        n->u.str = same->u.str; /* the bytes live in the arena, immutable, until the document is freed */
    }
    return n;
}

struct il_node *il_node_new_array(struct il_doc *doc, unsigned line, unsigned column) {
    return s_node(doc, IL_NODE_ARRAY, line, column, 0);
}

struct il_node *il_node_new_object(struct il_doc *doc, unsigned line, unsigned column) {
    return s_node(doc, IL_NODE_OBJECT, line, column, 0);
}

enum il_status il_node_array_push(struct il_doc *doc, struct il_node *array, struct il_node *item) {
    if (array->type != IL_NODE_ARRAY) {
        return IL_ERR_INTERNAL;
    }
    if (array->u.array.count == array->u.array.cap) {
        if (array->u.array.cap >= UINT32_MAX / 2) {
            return IL_ERR_LIMIT;
        }
        uint32_t cap = array->u.array.cap ? array->u.array.cap * 2 : 4;
        struct il_node **items =
            s_grow(doc, array->u.array.items, array->u.array.cap * sizeof(*items), cap * sizeof(*items));
        if (items == NULL) {
            return IL_ERR_NOMEM;
        }
        array->u.array.items = items;
        array->u.array.cap = cap;
    }
    array->u.array.items[array->u.array.count++] = item;
    return IL_OK;
}

enum il_status il_node_array_append_all(struct il_doc *doc, struct il_node *array, const struct il_node *from) {
    if (from->type != IL_NODE_ARRAY) {
        return IL_ERR_INTERNAL;
    }
    for (uint32_t i = 0; i < from->u.array.count; i++) {
        IL_TRY(il_node_array_push(doc, array, from->u.array.items[i]));
    }
    return IL_OK;
}

/* Lengths, then first bytes, before memcmp: ledger keys are short and mostly differ at once (this runs for every key
 * the loader inserts and every lookup the schema and the model make). */
static int s_key_eq(const struct il_node *key, const char *s, size_t len) {
    return key->u.str.len == len && (len == 0 || (key->u.str.ptr[0] == s[0] && memcmp(key->u.str.ptr, s, len) == 0));
}

/* The hash index of a large object (2 * cap slots holding member index + 1; 0 = empty), or NULL. */
static uint32_t *s_index(const struct il_node *obj) {
    if (obj->u.object.cap <= IL_OBJECT_LINEAR_MAX) {
        return NULL;
    }
    return (uint32_t *)(void *)(obj->u.object.members + obj->u.object.cap);
}

static void s_index_insert(struct il_node *obj, uint32_t *index, size_t member) {
    const struct il_node *key = obj->u.object.members[member].key;
    size_t mask = (size_t)obj->u.object.cap * 2 - 1;
    size_t slot = (size_t)il_hash_bytes(key->u.str.ptr, key->u.str.len) & mask;
    while (index[slot] != 0) {
        slot = (slot + 1) & mask;
    }
    index[slot] = (uint32_t)(member + 1);
}

static long s_find(const struct il_node *obj, const char *key, size_t len) {
    const uint32_t *index = s_index(obj);
    if (index == NULL) {
        for (size_t i = 0; i < obj->u.object.count; i++) {
            if (s_key_eq(obj->u.object.members[i].key, key, len)) {
                return (long)i;
            }
        }
        return -1;
    }
    size_t mask = (size_t)obj->u.object.cap * 2 - 1;
    size_t slot = (size_t)il_hash_bytes(key, len) & mask;
    while (index[slot] != 0) {
        size_t m = index[slot] - 1;
        if (s_key_eq(obj->u.object.members[m].key, key, len)) {
            return (long)m;
        }
        slot = (slot + 1) & mask;
    }
    return -1;
}

/* Double the member capacity (4, 8, 16, ...); from 16 on the block also carries the hash index, rebuilt here. */
static enum il_status s_object_grow(struct il_doc *doc, struct il_node *obj) {
    if (obj->u.object.cap >= UINT32_MAX / 4) {
        return IL_ERR_LIMIT;
    }
    uint32_t old_cap = obj->u.object.cap;
    uint32_t cap = old_cap ? old_cap * 2 : 4;
    size_t index_bytes = cap > IL_OBJECT_LINEAR_MAX ? (size_t)cap * 2 * sizeof(uint32_t) : 0;
    size_t old_bytes = (size_t)old_cap * sizeof(struct il_member);
    struct il_member *members;
    if (index_bytes == 0) {
        members = s_grow(doc, obj->u.object.members, old_bytes, (size_t)cap * sizeof(*members));
    } else {
        /* the index sits after the members, so the block cannot grow in place: copy the members only */
        members = s_alloc(doc, (size_t)cap * sizeof(*members) + index_bytes);
        if (members != NULL && old_bytes > 0) {
            memcpy(members, obj->u.object.members, old_bytes);
        }
    }
    if (members == NULL) {
        return IL_ERR_NOMEM;
    }
    obj->u.object.members = members;
    obj->u.object.cap = cap;
    uint32_t *index = s_index(obj);
    if (index != NULL) {
        memset(index, 0, index_bytes);
        for (size_t i = 0; i < obj->u.object.count; i++) {
            s_index_insert(obj, index, i);
        }
    }
    return IL_OK;
}

enum il_status il_node_object_put(struct il_doc *doc, struct il_node *object, struct il_node *key,
                                  struct il_node *value) {
    if (object->type != IL_NODE_OBJECT || key->type != IL_NODE_STRING) {
        return IL_ERR_INTERNAL;
    }
    if (s_find(object, key->u.str.ptr, key->u.str.len) >= 0) {
        return IL_ERR_INVALID;
    }
    if (object->u.object.count == object->u.object.cap) {
        IL_TRY(s_object_grow(doc, object));
    }
    size_t i = object->u.object.count++;
    object->u.object.members[i].key = key;
    object->u.object.members[i].value = value;
    uint32_t *index = s_index(object);
    if (index != NULL) {
        s_index_insert(object, index, i);
    }
    return IL_OK;
}

const struct il_node *il_doc_root(const struct il_doc *doc) {
    return doc->root;
}

const char *il_doc_filename(const struct il_doc *doc) {
    return doc->filename;
}

size_t il_doc_node_count(const struct il_doc *doc) {
    return doc->node_count;
}

enum il_node_type il_node_type(const struct il_node *node) {
    return (enum il_node_type)node->type;
}

const char *il_node_type_name(enum il_node_type type) {
    switch (type) {
    case IL_NODE_NULL: return "null";
    case IL_NODE_BOOL: return "boolean";
    case IL_NODE_NUMBER: return "number";
    case IL_NODE_STRING: return "string";
    case IL_NODE_ARRAY: return "array";
    case IL_NODE_OBJECT: return "object";
    }
    return "unknown";
}

unsigned il_node_line(const struct il_node *node) {
    return node->line;
}

unsigned il_node_column(const struct il_node *node) {
    return node->column;
}

int il_node_bool(const struct il_node *node) {
    return node->type == IL_NODE_BOOL && node->u.boolean;
}

double il_node_number(const struct il_node *node) {
    return node->type == IL_NODE_NUMBER ? node->u.number : 0.0;
}

int il_node_is_integer(const struct il_node *node) {
    return node->type == IL_NODE_NUMBER && node->is_integer;
}

const char *il_node_str(const struct il_node *node, size_t *len) {
    if (node->type != IL_NODE_STRING) {
        if (len) {
            *len = 0;
        }
        return NULL;
    }
    if (len) {
        *len = node->u.str.len;
    }
    return node->u.str.ptr;
}

size_t il_node_size(const struct il_node *node) {
    if (node->type == IL_NODE_ARRAY) {
        return node->u.array.count;
    }
    if (node->type == IL_NODE_OBJECT) {
        return node->u.object.count;
    }
    return 0;
}

const struct il_node *il_node_at(const struct il_node *node, size_t i) {
    return node->type == IL_NODE_ARRAY && i < node->u.array.count ? node->u.array.items[i] : NULL;
}

const struct il_node *il_node_key_at(const struct il_node *node, size_t i) {
    return node->type == IL_NODE_OBJECT && i < node->u.object.count ? node->u.object.members[i].key : NULL;
}

const struct il_node *il_node_value_at(const struct il_node *node, size_t i) {
    return node->type == IL_NODE_OBJECT && i < node->u.object.count ? node->u.object.members[i].value : NULL;
}

const struct il_node *il_node_getn(const struct il_node *node, const char *key, size_t key_len) {
    if (node == NULL || node->type != IL_NODE_OBJECT) {
        return NULL;
    }
    long i = s_find(node, key, key_len);
    return i < 0 ? NULL : node->u.object.members[i].value;
}

const struct il_node *il_node_get(const struct il_node *node, const char *key) {
    return il_node_getn(node, key, strlen(key));
}

/* @p exact: il_node_identical() (positions, member order, number bits); else il_node_equal() (JSON Schema's
 * equality: 1 == 1.0, member order ignored). */
static int s_same(const struct il_node *a, const struct il_node *b, int exact) {
    if (a == b && !exact) {
        return 1;
    }
    if (a->type != b->type ||
        (exact && (a->line != b->line || a->column != b->column || a->is_integer != b->is_integer))) {
        return 0;
    }
    switch ((enum il_node_type)a->type) {
    case IL_NODE_NULL: return 1;
    case IL_NODE_BOOL: return a->u.boolean == b->u.boolean;
    case IL_NODE_NUMBER:
        return exact ? memcmp(&a->u.number, &b->u.number, sizeof(a->u.number)) == 0 /* NaN too */
                     : a->u.number == b->u.number;
    case IL_NODE_STRING: return a->u.str.len == b->u.str.len && memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) == 0;
    case IL_NODE_ARRAY:
        if (a->u.array.count != b->u.array.count) {
            return 0;
        }
        for (size_t i = 0; i < a->u.array.count; i++) {
            if (!s_same(a->u.array.items[i], b->u.array.items[i], exact)) {
                return 0;
            }
        }
        return 1;
    case IL_NODE_OBJECT:
        if (a->u.object.count != b->u.object.count) {
            return 0;
        }
        for (size_t i = 0; i < a->u.object.count; i++) {
            const struct il_member *m = &a->u.object.members[i];
            const struct il_node *bv =
                exact ? b->u.object.members[i].value : il_node_getn(b, m->key->u.str.ptr, m->key->u.str.len);
            if ((exact && !s_same(m->key, b->u.object.members[i].key, 1)) || bv == NULL ||
                !s_same(m->value, bv, exact)) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

int il_node_equal(const struct il_node *a, const struct il_node *b) {
    return s_same(a, b, 0);
}

int il_node_identical(const struct il_node *a, const struct il_node *b) {
    return s_same(a, b, 1);
}
