#include "il/node.h"

#include <stdlib.h>
#include <string.h>

#include "il/buf.h"

/* Objects up to this size are searched linearly; larger ones get an open-addressing hash index. */
#define IL_OBJECT_LINEAR_MAX 12
#define IL_ARENA_CHUNK ((size_t)64 * 1024)

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
            size_t count, cap;
        } array;
        struct {
            struct il_member *members;
            size_t count, cap;
            uint32_t *index; /* hash slots holding member index + 1; 0 = empty */
            size_t index_cap;
        } object;
    } u;
    struct il_node *next_container; /* list of arrays/objects whose vectors need freeing */
};

struct il_arena_chunk {
    struct il_arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct il_doc {
    char *filename;
    struct il_node *root;
    struct il_arena_chunk *chunks;
    struct il_node *containers;
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
    for (struct il_node *n = doc->containers; n != NULL; n = n->next_container) {
        if (n->type == IL_NODE_ARRAY) {
            free(n->u.array.items);
        } else {
            free(n->u.object.members);
            free(n->u.object.index);
        }
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

static void *s_alloc(struct il_doc *doc, size_t size) {
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    struct il_arena_chunk *c = doc->chunks;
    if (c == NULL || c->cap - c->used < size) {
        size_t cap = size > IL_ARENA_CHUNK ? size : IL_ARENA_CHUNK;
        c = malloc(sizeof(*c) + cap);
        if (c == NULL) {
            return NULL;
        }
        c->used = 0;
        c->cap = cap;
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

static struct il_node *s_node(struct il_doc *doc, enum il_node_type type, unsigned line, unsigned column) {
    struct il_node *n = s_alloc(doc, sizeof(*n));
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

void il_doc_set_root(struct il_doc *doc, struct il_node *root) {
    doc->root = root;
}

struct il_node *il_node_new_null(struct il_doc *doc, unsigned line, unsigned column) {
    return s_node(doc, IL_NODE_NULL, line, column);
}

struct il_node *il_node_new_bool(struct il_doc *doc, int value, unsigned line, unsigned column) {
    struct il_node *n = s_node(doc, IL_NODE_BOOL, line, column);
    if (n) {
        n->u.boolean = value != 0;
    }
    return n;
}

struct il_node *il_node_new_number(struct il_doc *doc, double value, int is_integer, unsigned line, unsigned column) {
    struct il_node *n = s_node(doc, IL_NODE_NUMBER, line, column);
    if (n) {
        n->u.number = value;
        n->is_integer = is_integer != 0;
    }
    return n;
}

struct il_node *il_node_new_string(struct il_doc *doc, const char *str, size_t len, unsigned line, unsigned column) {
    struct il_node *n = s_node(doc, IL_NODE_STRING, line, column);
    if (n == NULL) {
        return NULL;
    }
    char *copy = s_alloc(doc, len + 1);
    if (copy == NULL) {
        return NULL;
    }
    if (len) {
        memcpy(copy, str, len);
    }
    copy[len] = '\0';
    n->u.str.ptr = copy;
    n->u.str.len = len;
    return n;
}

static struct il_node *s_container(struct il_doc *doc, enum il_node_type type, unsigned line, unsigned column) {
    struct il_node *n = s_node(doc, type, line, column);
    if (n) {
        n->next_container = doc->containers;
        doc->containers = n;
    }
    return n;
}

struct il_node *il_node_new_array(struct il_doc *doc, unsigned line, unsigned column) {
    return s_container(doc, IL_NODE_ARRAY, line, column);
}

struct il_node *il_node_new_object(struct il_doc *doc, unsigned line, unsigned column) {
    return s_container(doc, IL_NODE_OBJECT, line, column);
}

enum il_status il_node_array_push(struct il_doc *doc, struct il_node *array, struct il_node *item) {
    (void)doc;
    if (array->type != IL_NODE_ARRAY) {
        return IL_ERR_INTERNAL;
    }
    if (array->u.array.count == array->u.array.cap) {
        size_t cap = array->u.array.cap ? array->u.array.cap * 2 : 4;
        struct il_node **items = realloc(array->u.array.items, cap * sizeof(*items));
        if (items == NULL) {
            return IL_ERR_NOMEM;
        }
        array->u.array.items = items;
        array->u.array.cap = cap;
    }
    array->u.array.items[array->u.array.count++] = item;
    return IL_OK;
}

static uint64_t s_hash(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    }
    return h;
}

static int s_key_eq(const struct il_node *key, const char *s, size_t len) {
    return key->u.str.len == len && memcmp(key->u.str.ptr, s, len) == 0;
}

static void s_index_insert(struct il_node *obj, size_t member) {
    const struct il_node *key = obj->u.object.members[member].key;
    size_t mask = obj->u.object.index_cap - 1;
    size_t slot = (size_t)s_hash(key->u.str.ptr, key->u.str.len) & mask;
    while (obj->u.object.index[slot] != 0) {
        slot = (slot + 1) & mask;
    }
    obj->u.object.index[slot] = (uint32_t)(member + 1);
}

static enum il_status s_index_grow(struct il_node *obj) {
    size_t cap = obj->u.object.index_cap ? obj->u.object.index_cap * 2 : 64;
    uint32_t *index = calloc(cap, sizeof(*index));
    if (index == NULL) {
        return IL_ERR_NOMEM;
    }
    free(obj->u.object.index);
    obj->u.object.index = index;
    obj->u.object.index_cap = cap;
    for (size_t i = 0; i < obj->u.object.count; i++) {
        s_index_insert(obj, i);
    }
    return IL_OK;
}

static long s_find(const struct il_node *obj, const char *key, size_t len) {
    if (obj->u.object.index == NULL) {
        for (size_t i = 0; i < obj->u.object.count; i++) {
            if (s_key_eq(obj->u.object.members[i].key, key, len)) {
                return (long)i;
            }
        }
        return -1;
    }
    size_t mask = obj->u.object.index_cap - 1;
    size_t slot = (size_t)s_hash(key, len) & mask;
    while (obj->u.object.index[slot] != 0) {
        size_t m = obj->u.object.index[slot] - 1;
        if (s_key_eq(obj->u.object.members[m].key, key, len)) {
            return (long)m;
        }
        slot = (slot + 1) & mask;
    }
    return -1;
}

enum il_status il_node_object_put(struct il_doc *doc, struct il_node *object, struct il_node *key,
                                  struct il_node *value) {
    (void)doc;
    if (object->type != IL_NODE_OBJECT || key->type != IL_NODE_STRING) {
        return IL_ERR_INTERNAL;
    }
    if (object->u.object.count >= UINT32_MAX - 1) {
        return IL_ERR_LIMIT;
    }
    if (s_find(object, key->u.str.ptr, key->u.str.len) >= 0) {
        return IL_ERR_INVALID;
    }
    if (object->u.object.count == object->u.object.cap) {
        size_t cap = object->u.object.cap ? object->u.object.cap * 2 : 8;
        struct il_member *members = realloc(object->u.object.members, cap * sizeof(*members));
        if (members == NULL) {
            return IL_ERR_NOMEM;
        }
        object->u.object.members = members;
        object->u.object.cap = cap;
    }
    size_t i = object->u.object.count++;
    object->u.object.members[i].key = key;
    object->u.object.members[i].value = value;
    if (object->u.object.count > IL_OBJECT_LINEAR_MAX) {
        /* keep load factor under one half */
        if (object->u.object.count * 2 > object->u.object.index_cap) {
            return s_index_grow(object);
        }
        s_index_insert(object, i);
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

int il_node_equal(const struct il_node *a, const struct il_node *b) {
    if (a == b) {
        return 1;
    }
    if (a->type != b->type) {
        return 0;
    }
    switch ((enum il_node_type)a->type) {
    case IL_NODE_NULL: return 1;
    case IL_NODE_BOOL: return a->u.boolean == b->u.boolean;
    case IL_NODE_NUMBER: return a->u.number == b->u.number;
    case IL_NODE_STRING: return a->u.str.len == b->u.str.len && memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) == 0;
    case IL_NODE_ARRAY:
        if (a->u.array.count != b->u.array.count) {
            return 0;
        }
        for (size_t i = 0; i < a->u.array.count; i++) {
            if (!il_node_equal(a->u.array.items[i], b->u.array.items[i])) {
                return 0;
            }
        }
        return 1;
    case IL_NODE_OBJECT:
        if (a->u.object.count != b->u.object.count) {
            return 0;
        }
        for (size_t i = 0; i < a->u.object.count; i++) {
            const struct il_node *k = a->u.object.members[i].key;
            const struct il_node *bv = il_node_getn(b, k->u.str.ptr, k->u.str.len);
            if (bv == NULL || !il_node_equal(a->u.object.members[i].value, bv)) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}
