/**
 * Document tree: the common form of YAML and JSON documents. Every node keeps its 1-based line and column.
 *
 * A struct il_doc owns all of its nodes and strings (arena). Nodes may be shared (YAML aliases make the tree a DAG);
 * that is safe because nodes are freed only with the document. All `const struct il_node *` results are borrowed
 * from the document and live until il_doc_free().
 */
#ifndef IL_NODE_H
#define IL_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "il/status.h"

enum il_node_type {
    IL_NODE_NULL,
    IL_NODE_BOOL,
    IL_NODE_NUMBER, /* il_node_is_integer() tells whether its value is integral (JSON Schema "integer") */
    IL_NODE_STRING,
    IL_NODE_ARRAY,
    IL_NODE_OBJECT,
};

struct il_doc;
struct il_node;

/* ---- building (used by the YAML and JSON loaders) ---- */

/** A new empty document; @p filename is copied (may be NULL). NULL on out of memory. */
struct il_doc *il_doc_new(const char *filename);
/** Free the document and every node; accepts NULL. */
void il_doc_free(struct il_doc *doc);
/** Set the root node (borrowed from this document). */
void il_doc_set_root(struct il_doc *doc, struct il_node *root);
/** Move every node and string of @p src into @p dst (they stay where they are, now owned by @p dst, so pointers to
 *  them remain valid until il_doc_free(dst)) and free @p src. Used to join documents built on separate threads. */
void il_doc_absorb(struct il_doc *dst, struct il_doc *src);
/** Make the arena's first block hold at least @p size bytes, when the caller knows roughly how big the document will
 *  be (the loader: about its input's size): one large block, populated at once and on huge pages (il/mem.h), instead
 *  of a run of small ones that fault in page by page. Does nothing once the arena is in use or for small sizes.
 *  IL_ERR_NOMEM when the block cannot be had (the document is unchanged and still usable). */
IL_MUST_CHECK enum il_status il_doc_reserve(struct il_doc *doc, size_t size);
/** @p size bytes (8-byte aligned, not zeroed) from the document's arena, freed with it by il_doc_free(): for data
 *  derived from the document that lives exactly as long (the ledger model's strings). NULL on out of memory. */
void *il_doc_alloc(struct il_doc *doc, size_t size);

/** New nodes, owned by @p doc. Return NULL on out of memory. Strings are copied (may contain NUL bytes). */
struct il_node *il_node_new_null(struct il_doc *doc, unsigned line, unsigned column);
struct il_node *il_node_new_bool(struct il_doc *doc, int value, unsigned line, unsigned column);
/** @p is_integer: the value is integral (1, 1.0, 1e2). @p text (may be NULL) is the number as written. */
struct il_node *il_node_new_number(struct il_doc *doc, double value, int is_integer, unsigned line, unsigned column);
struct il_node *il_node_new_string(struct il_doc *doc, const char *str, size_t len, unsigned line, unsigned column);
/** A string node with its own position that shares the bytes of @p same (a string node of @p doc) instead of copying
 *  them: the loader uses it for mapping keys, which repeat in every entry. NULL on out of memory. */
struct il_node *il_node_new_string_shared(struct il_doc *doc, const struct il_node *same, unsigned line,
                                          unsigned column);
struct il_node *il_node_new_array(struct il_doc *doc, unsigned line, unsigned column);
struct il_node *il_node_new_object(struct il_doc *doc, unsigned line, unsigned column);

/** Append @p item to @p array. */
IL_MUST_CHECK enum il_status il_node_array_push(struct il_doc *doc, struct il_node *array, struct il_node *item);
/** Append every item of the array @p from (which must belong to @p doc, or to a document il_doc_absorb()ed into it)
 *  to @p array; the items are shared, not copied. */
IL_MUST_CHECK enum il_status il_node_array_append_all(struct il_doc *doc, struct il_node *array,
                                                      const struct il_node *from);
/**
 * Add a member to @p object. @p key must be a string node. Returns IL_ERR_INVALID (and adds nothing) when the key is
 * already present: the loader turns that into a located duplicate-key error. Lookups are hashed for large objects.
 */
IL_MUST_CHECK enum il_status il_node_object_put(struct il_doc *doc, struct il_node *object, struct il_node *key,
                                                struct il_node *value);

/* ---- reading ---- */

const struct il_node *il_doc_root(const struct il_doc *doc);
/** The filename given to il_doc_new (borrowed), or NULL. */
const char *il_doc_filename(const struct il_doc *doc);
/** Number of nodes created (a measure of memory). */
size_t il_doc_node_count(const struct il_doc *doc);

enum il_node_type il_node_type(const struct il_node *node);
const char *il_node_type_name(enum il_node_type type); /* "null","boolean","number","string","array","object" */
unsigned il_node_line(const struct il_node *node);
unsigned il_node_column(const struct il_node *node);

int il_node_bool(const struct il_node *node);
double il_node_number(const struct il_node *node);
int il_node_is_integer(const struct il_node *node);
/** String bytes (NUL-terminated; may contain inner NULs, so use @p len when given). Borrowed. */
const char *il_node_str(const struct il_node *node, size_t *len);

/** Array length or number of object members; 0 for scalars. */
size_t il_node_size(const struct il_node *node);
/** i-th array element (borrowed), NULL if out of range or not an array. */
const struct il_node *il_node_at(const struct il_node *node, size_t i);
/** i-th object member's key (a string node) and value, in document order. */
const struct il_node *il_node_key_at(const struct il_node *node, size_t i);
const struct il_node *il_node_value_at(const struct il_node *node, size_t i);
/** Member of @p node named @p key (NUL-terminated), or NULL. */
const struct il_node *il_node_get(const struct il_node *node, const char *key);
/** Member lookup with explicit key length. */
const struct il_node *il_node_getn(const struct il_node *node, const char *key, size_t key_len);
/** Deep equality as JSON Schema defines it (1 == 1.0; object member order ignored). */
int il_node_equal(const struct il_node *a, const struct il_node *b);
/** Stricter than il_node_equal(): the same tree as written, with the same positions, member order, number
 *  representation and string bytes (to check that two ways of loading a file agree). Walks shared nodes each time
 *  they are reached, so it is bounded by the loader's node limit. */
int il_node_identical(const struct il_node *a, const struct il_node *b);

#endif
