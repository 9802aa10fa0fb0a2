/*
 * YAML loader: libyaml events -> struct il_doc, with every limit enforced here because libyaml 0.2.5 has none
 * (no nesting bound, no alias-expansion bound). The tree is built iteratively with an explicit stack, so hostile
 * nesting cannot overflow the C stack, and an alias shares its anchor's node (the tree is a DAG) while the size it
 * would have when expanded is charged to max_nodes: a billion-laughs file fails at the alias that crosses the bound,
 * after building no more than the file itself describes.
 */
#include "il/doc/yaml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "doc/doc_yaml_internal.h"
#include "il/buf.h"
#include "il/hash.h"

#define S_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define S_DEFAULT_MAX_DEPTH 128u
#define S_DEFAULT_MAX_NODES ((size_t)16 * 1024 * 1024)
/* Mapping keys repeat in every entry of a ledger: the first KEY_SLOTS/2 distinct keys of up to KEY_MAX bytes are
 * remembered and later occurrences share their bytes (a fixed table, so a hostile file cannot grow it). */
#define S_KEY_SLOTS 256u
#define S_KEY_MAX 64u
#define S_TAG_MAP "tag:yaml.org,2002:map"
#define S_TAG_SEQ "tag:yaml.org,2002:seq"

void il_load_limits_default(struct il_load_limits *limits) {
    limits->max_bytes = S_DEFAULT_MAX_BYTES;
    limits->max_depth = S_DEFAULT_MAX_DEPTH;
    limits->max_nodes = S_DEFAULT_MAX_NODES;
}

/* One open collection. */
struct s_frame {
    struct il_node *node;
    struct il_node *key; /* mapping: the key waiting for its value, or NULL */
    unsigned key_line, key_column;
    size_t start_total; /* loader total before this collection: its expanded size is total - start_total */
    long anchor;        /* index into the anchor table, or -1 */
};

/* An anchor and the node it names; `done` is false while the node is still open (an alias to it would recurse). */
struct s_anchor {
    char *name;
    struct il_node *node;
    size_t size; /* nodes the anchored subtree expands to */
    int done;
};

struct s_loader {
    yaml_parser_t parser;
    struct il_doc *doc;
    struct il_yaml_part *part; /* what is parsed (bytes, limits), where a failure is reported, and the facts found */
    struct s_frame *stack;
    size_t depth, stack_cap;
    size_t total; /* nodes so far, alias expansions included */
    struct s_anchor *anchors;
    size_t anchor_count, anchor_cap;
    uint32_t *anchor_index; /* open addressing: anchor index + 1; 0 = empty */
    size_t anchor_index_cap;
    struct il_node *root;
    unsigned doc_line, doc_column;           /* where the document starts, for "no content" */
    const struct il_node *keys[S_KEY_SLOTS]; /* interned mapping keys (open addressing) */
    unsigned key_count;
};

/* Quote at most 40 bytes of untrusted text for a message (it is escaped later by the writer; this only bounds it). */
static int s_clip(size_t len) {
    return len > 40 ? 40 : (int)len;
}

static const char *s_ellipsis(size_t len) {
    return len > 40 ? "..." : "";
}

/* ---- anchors ---- */

static long s_anchor_find(const struct s_loader *L, const char *name) {
    if (L->anchor_index_cap == 0) {
        return -1;
    }
    size_t mask = L->anchor_index_cap - 1;
    for (size_t slot = (size_t)il_hash_str(name) & mask; L->anchor_index[slot] != 0; slot = (slot + 1) & mask) {
        size_t i = L->anchor_index[slot] - 1;
        if (strcmp(L->anchors[i].name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static void s_anchor_index_put(struct s_loader *L, size_t i) {
    size_t mask = L->anchor_index_cap - 1;
    size_t slot = (size_t)il_hash_str(L->anchors[i].name) & mask;
    while (L->anchor_index[slot] != 0) {
        slot = (slot + 1) & mask;
    }
    L->anchor_index[slot] = (uint32_t)(i + 1);
}

/* Define (or, as YAML allows, redefine) an anchor; returns its index through *out. */
static enum il_status s_anchor_define(struct s_loader *L, const char *name, struct il_node *node, long *out) {
    long found = s_anchor_find(L, name);
    if (found >= 0) {
        L->anchors[found].node = node;
        L->anchors[found].size = 1;
        L->anchors[found].done = 0;
        *out = found;
        return IL_OK;
    }
    if (L->anchor_count >= UINT32_MAX - 1) {
        return IL_ERR_LIMIT;
    }
    if (L->anchor_count == L->anchor_cap) {
        size_t cap = L->anchor_cap ? L->anchor_cap * 2 : 16;
        struct s_anchor *a = realloc(L->anchors, cap * sizeof(*a));
        if (a == NULL) {
            return IL_ERR_NOMEM;
        }
        L->anchors = a;
        L->anchor_cap = cap;
    }
    if ((L->anchor_count + 1) * 2 > L->anchor_index_cap) {
        size_t cap = L->anchor_index_cap ? L->anchor_index_cap * 2 : 64;
        uint32_t *index = calloc(cap, sizeof(*index));
        if (index == NULL) {
            return IL_ERR_NOMEM;
        }
        free(L->anchor_index);
        L->anchor_index = index;
        L->anchor_index_cap = cap;
        for (size_t i = 0; i < L->anchor_count; i++) {
            s_anchor_index_put(L, i);
        }
    }
    char *copy = il_strdup(name);
    if (copy == NULL) {
        return IL_ERR_NOMEM;
    }
    size_t i = L->anchor_count++;
    L->anchors[i] = (struct s_anchor){.name = copy, .node = node, .size = 1, .done = 0};
    s_anchor_index_put(L, i);
    *out = (long)i;
    return IL_OK;
}

/* ---- building ---- */

/* Charge @p n nodes to the document; fail once the total (alias expansions included) passes max_nodes. */
static enum il_status s_charge(struct s_loader *L, size_t n, unsigned line, unsigned column, const char *alias) {
    /* total never exceeds max_nodes (it is checked before every addition), so the subtraction cannot wrap */
    if (n > L->part->limits.max_nodes - L->total) {
        if (alias != NULL) {
            return il_yaml_error(
                &L->part->report, IL_ERR_LIMIT, line, column,
                "alias `*%.*s%s` would expand the document past %zu nodes (the alias-expansion limit); "
                "this looks like an alias bomb: replace the aliases with the values they stand for",
                s_clip(strlen(alias)), alias, s_ellipsis(strlen(alias)), L->part->limits.max_nodes);
        }
        return il_yaml_error(&L->part->report, IL_ERR_LIMIT, line, column,
                             "document has more than %zu nodes (the node limit); split the file or raise the limit",
                             L->part->limits.max_nodes);
    }
    L->total += n;
    return IL_OK;
}

/* The first key of @p object equal to @p key (for the duplicate-key message). */
static const struct il_node *s_first_key(const struct il_node *object, const struct il_node *key) {
    size_t klen = 0;
    const char *k = il_node_str(key, &klen);
    for (size_t i = 0; i < il_node_size(object); i++) {
        size_t len = 0;
        const char *s = il_node_str(il_node_key_at(object, i), &len);
        if (len == klen && memcmp(s, k, len) == 0) {
            return il_node_key_at(object, i);
        }
    }
    return NULL;
}

/* Attach a finished value (or a just-opened collection) to the open collection, or make it the root. */
static enum il_status s_attach(struct s_loader *L, struct il_node *value) {
    if (L->depth == 0) {
        L->root = value;
        return IL_OK;
    }
    if (L->depth == 1) {
        L->part->last_block_seq = NULL; /* a new root value: s_on_start sets it again when it is a block sequence */
    }
    struct s_frame *top = &L->stack[L->depth - 1];
    if (il_node_type(top->node) == IL_NODE_ARRAY) {
        return il_node_array_push(L->doc, top->node, value);
    }
    struct il_node *key = top->key;
    top->key = NULL;
    enum il_status st = il_node_object_put(L->doc, top->node, key, value);
    if (st == IL_ERR_INVALID) {
        size_t klen = 0;
        const char *k = il_node_str(key, &klen);
        const struct il_node *first = s_first_key(top->node, key);
        return il_yaml_error(&L->part->report, IL_ERR_PARSE, top->key_line, top->key_column,
                             "duplicate key `%.*s%s` (first defined at line %u); remove one of them or rename it",
                             s_clip(klen), k, s_ellipsis(klen), first ? il_node_line(first) : 0u);
    }
    return st;
}

/* True when the open collection is a mapping waiting for a key (so the next node is a key, not a value). */
static int s_wants_key(const struct s_loader *L) {
    if (L->depth == 0) {
        return 0;
    }
    const struct s_frame *top = &L->stack[L->depth - 1];
    return il_node_type(top->node) == IL_NODE_OBJECT && top->key == NULL;
}

/* A key node: sharing the bytes of an equal key seen before when there is one. */
static struct il_node *s_key_node(struct s_loader *L, const char *text, size_t len, unsigned line, unsigned column) {
    if (len > S_KEY_MAX) {
        return il_node_new_string(L->doc, text, len, line, column);
    }
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)text[i]) * 16777619u;
    }
    unsigned slot = h & (S_KEY_SLOTS - 1);
    for (; L->keys[slot] != NULL; slot = (slot + 1) & (S_KEY_SLOTS - 1)) {
        size_t klen = 0;
        const char *k = il_node_str(L->keys[slot], &klen);
        if (klen == len && memcmp(k, text, len) == 0) {
            return il_node_new_string_shared(L->doc, L->keys[slot], line, column);
        }
    }
    struct il_node *node = il_node_new_string(L->doc, text, len, line, column);
    if (node != NULL && L->key_count < S_KEY_SLOTS / 2) {
        L->keys[slot] = node;
        L->key_count++;
    }
    return node;
}

static void s_set_key(struct s_loader *L, struct il_node *key, unsigned line, unsigned column) {
    struct s_frame *top = &L->stack[L->depth - 1];
    top->key = key;
    top->key_line = line;
    top->key_column = column;
}

static enum il_status s_on_scalar(struct s_loader *L, const yaml_event_t *ev, unsigned line, unsigned column) {
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    struct il_node *node = NULL;
    IL_TRY(s_charge(L, 1, line, column, NULL));
    if (s_wants_key(L)) {
        /* A scalar key is taken by its text: `1:` is the key "1", as JSON would need it. */
        node = s_key_node(L, text, len, line, column);
        if (node == NULL) {
            return IL_ERR_NOMEM;
        }
        s_set_key(L, node, line, column);
    } else {
        const char *problem = NULL;
        int plain_untagged = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == NULL;
        enum il_status st = il_yaml_scalar_node(L->doc, tag, text, len, plain_untagged, line, column, &node, &problem);
        if (st == IL_ERR_PARSE) {
            const char *prefix = "";
            const char *shown = il_yaml_tag_short(tag, &prefix);
            if (strcmp(problem, "unsupported tag") == 0) {
                return il_yaml_error(
                    &L->part->report, st, line, column,
                    "unsupported tag `%s%s`; use no tag or one of !!str, !!int, !!float, !!bool, !!null", prefix,
                    shown);
            }
            return il_yaml_error(&L->part->report, st, line, column,
                                 "`%.*s%s` is not a valid %s%s value; fix the value or remove the tag", s_clip(len),
                                 text, s_ellipsis(len), prefix, shown);
        }
        IL_TRY(st);
        IL_TRY(s_attach(L, node));
    }
    if (ev->data.scalar.anchor != NULL) {
        long idx = -1;
        IL_TRY(s_anchor_define(L, (const char *)ev->data.scalar.anchor, node, &idx));
        L->anchors[idx].done = 1;
    }
    return IL_OK;
}

static enum il_status s_on_alias(struct s_loader *L, const yaml_event_t *ev, unsigned line, unsigned column) {
    const char *name = (const char *)ev->data.alias.anchor;
    long idx = s_anchor_find(L, name);
    if (idx < 0) {
        return il_yaml_error(
            &L->part->report, IL_ERR_PARSE, line, column,
            "alias `*%.*s%s` refers to no anchor; define `&%.*s%s` on an earlier node or remove the alias",
            s_clip(strlen(name)), name, s_ellipsis(strlen(name)), s_clip(strlen(name)), name, s_ellipsis(strlen(name)));
    }
    const struct s_anchor *a = &L->anchors[idx];
    if (!a->done) {
        return il_yaml_error(
            &L->part->report, IL_ERR_PARSE, line, column,
            "alias `*%.*s%s` refers to a node that contains it; recursive structures are not supported",
            s_clip(strlen(name)), name, s_ellipsis(strlen(name)));
    }
    IL_TRY(s_charge(L, a->size, line, column, name));
    if (s_wants_key(L)) {
        if (il_node_type(a->node) != IL_NODE_STRING) {
            return il_yaml_error(&L->part->report, IL_ERR_PARSE, line, column,
                                 "mapping key is an alias to a non-string node (%s); keys must be strings",
                                 il_node_type_name(il_node_type(a->node)));
        }
        s_set_key(L, a->node, line, column);
        return IL_OK;
    }
    return s_attach(L, a->node);
}

static enum il_status s_on_start(struct s_loader *L, const yaml_event_t *ev, unsigned line, unsigned column) {
    int is_map = ev->type == YAML_MAPPING_START_EVENT;
    const char *tag = (const char *)(is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
    const char *anchor = (const char *)(is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor);
    if (s_wants_key(L)) {
        return il_yaml_error(&L->part->report, IL_ERR_PARSE, line, column,
                             "mapping key is a %s; keys must be strings (scalars)", is_map ? "mapping" : "sequence");
    }
    if (tag != NULL && strcmp(tag, "!") != 0 && strcmp(tag, is_map ? S_TAG_MAP : S_TAG_SEQ) != 0) {
        const char *prefix = "";
        const char *shown = il_yaml_tag_short(tag, &prefix);
        return il_yaml_error(&L->part->report, IL_ERR_PARSE, line, column,
                             "unsupported tag `%s%s` on a %s; remove the tag", prefix, shown,
                             is_map ? "mapping" : "sequence");
    }
    if (L->depth >= L->part->limits.max_depth) {
        return il_yaml_error(&L->part->report, IL_ERR_LIMIT, line, column,
                             "nesting is deeper than %u levels (the depth limit); flatten the document",
                             L->part->limits.max_depth);
    }
    size_t start_total = L->total;
    IL_TRY(s_charge(L, 1, line, column, NULL));
    struct il_node *node = is_map ? il_node_new_object(L->doc, line, column) : il_node_new_array(L->doc, line, column);
    if (node == NULL) {
        return IL_ERR_NOMEM;
    }
    IL_TRY(s_attach(L, node));
    if (L->depth == L->stack_cap) {
        size_t cap = L->stack_cap ? L->stack_cap * 2 : 16;
        struct s_frame *s = realloc(L->stack, cap * sizeof(*s));
        if (s == NULL) {
            return IL_ERR_NOMEM;
        }
        L->stack = s;
        L->stack_cap = cap;
    }
    if (!is_map && L->depth == 1) {
        /* Only an undecorated one: with an anchor or a tag, the event (so the node) starts at that decoration, not
         * at the first `-`, and its column says nothing about the entries' (the split's join compares columns). */
        int plain = ev->data.sequence_start.anchor == NULL && ev->data.sequence_start.tag == NULL;
        L->part->last_block_seq = ev->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE && plain ? node : NULL;
    }
    struct s_frame *f = &L->stack[L->depth++];
    *f = (struct s_frame){.node = node, .start_total = start_total, .anchor = -1};
    if (anchor != NULL) {
        IL_TRY(s_anchor_define(L, anchor, node, &f->anchor));
    }
    return IL_OK;
}

static void s_on_end(struct s_loader *L) {
    struct s_frame *f = &L->stack[--L->depth];
    if (f->anchor >= 0 && L->anchors[f->anchor].node == f->node) {
        L->anchors[f->anchor].size = L->total - f->start_total;
        L->anchors[f->anchor].done = 1;
    }
}

/* Handle one event; *done is set after the document's end. */
static enum il_status s_on_event(struct s_loader *L, const yaml_event_t *ev, int *documents, int *done) {
    unsigned line = (unsigned)ev->start_mark.line + 1 + L->part->line_base;
    unsigned column = (unsigned)ev->start_mark.column + 1;
    switch (ev->type) {
    case YAML_STREAM_START_EVENT: return IL_OK;
    case YAML_STREAM_END_EVENT:
        *done = 1;
        L->part->end_line = (unsigned)ev->start_mark.line;
        if (*documents == 0) {
            return il_yaml_error(&L->part->report, IL_ERR_PARSE, 1, 1,
                                 "file is empty (no yaml document); write the ledger into it");
        }
        return IL_OK;
    case YAML_DOCUMENT_START_EVENT:
        L->doc_line = line;
        L->doc_column = column;
        L->part->explicit_start = !ev->data.document_start.implicit;
        L->part->directives =
            ev->data.document_start.version_directive != NULL ||
            ev->data.document_start.tag_directives.start != ev->data.document_start.tag_directives.end;
        if (++*documents > 1) {
            return il_yaml_error(
                &L->part->report, IL_ERR_PARSE, line, column,
                "a second yaml document starts here; the file must hold exactly one document (remove the "
                "`---` separator and what follows it)");
        }
        return IL_OK;
    case YAML_DOCUMENT_END_EVENT: L->part->explicit_end = !ev->data.document_end.implicit; return IL_OK;
    case YAML_SCALAR_EVENT:
        if (L->depth == 0 && ev->data.scalar.length == 0 && ev->data.scalar.tag == NULL &&
            ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            /* libyaml reports a document with no node ("---" alone) as an empty plain scalar */
            return il_yaml_error(&L->part->report, IL_ERR_PARSE, L->doc_line, L->doc_column,
                                 "the yaml document has no content; write the ledger into it");
        }
        return s_on_scalar(L, ev, line, column);
    case YAML_ALIAS_EVENT: return s_on_alias(L, ev, line, column);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: return s_on_start(L, ev, line, column);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: s_on_end(L); return IL_OK;
    case YAML_NO_EVENT: break;
    }
    return il_yaml_error(&L->part->report, IL_ERR_INTERNAL, line, column, "unexpected yaml event %d", (int)ev->type);
}

static enum il_status s_parse(struct s_loader *L) {
    int documents = 0, done = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&L->parser, &ev)) {
            /* libyaml's state is undefined after a failure: report and stop, there is no event to delete */
            return il_yaml_parser_error(&L->part->report, &L->parser);
        }
        enum il_status st = s_on_event(L, &ev, &documents, &done);
        yaml_event_delete(&ev);
        IL_TRY(st);
    }
    return IL_OK;
}

enum il_status il_yaml_parse_part(struct il_yaml_part *part, const char *filename) {
    struct s_loader L;
    memset(&L, 0, sizeof(L));
    enum il_status st = IL_OK;
    int parser_ready = 0;
    part->doc = NULL;
    L.part = part;
    L.doc = il_doc_new(filename);
    /* a ledger's tree takes about twice its text: reserve the text's size up front, the rest grows in huge pages */
    if (L.doc == NULL || il_doc_reserve(L.doc, part->len) != IL_OK || !yaml_parser_initialize(&L.parser)) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    parser_ready = 1;
    /* libyaml asserts a non-NULL input even for zero bytes */
    yaml_parser_set_input_string(&L.parser, (const unsigned char *)(part->data != NULL ? part->data : ""), part->len);
    st = s_parse(&L);
    if (st == IL_OK) {
        il_doc_set_root(L.doc, L.root);
        part->doc = L.doc;
        part->total = L.total;
        L.doc = NULL;
    }

cleanup:
    if (parser_ready) {
        yaml_parser_delete(&L.parser);
    }
    for (size_t i = 0; i < L.anchor_count; i++) {
        free(L.anchors[i].name);
    }
    free(L.anchors);
    free(L.anchor_index);
    free(L.stack);
    il_doc_free(L.doc);
    return st;
}

enum il_status il_yaml_load(const char *data, size_t len, const char *filename, const struct il_load_limits *limits,
                            struct il_doc **out, struct il_diags *diags) {
    struct il_yaml_part part;
    memset(&part, 0, sizeof(part));
    enum il_status st = IL_OK;
    *out = NULL;
    if (limits != NULL) {
        part.limits = *limits;
    } else {
        il_load_limits_default(&part.limits);
    }
    part.data = data;
    part.len = len;
    part.report = (struct il_yaml_report){.diags = diags, .file = filename, .data = data, .len = len};
    if (len > part.limits.max_bytes) {
        return il_yaml_error_exact(&part.report, IL_ERR_LIMIT, 0, 0,
                                   "file is %zu bytes, over the %zu-byte size limit; split the file", len,
                                   part.limits.max_bytes);
    }
    /* libyaml would read a file starting with a UTF-16 byte order mark as UTF-16; a ledger is UTF-8 only. 0xFE and
     * 0xFF never occur in UTF-8, so such a file fails the check at its first byte. */
    if (len > 0 && ((unsigned char)data[0] == 0xFE || (unsigned char)data[0] == 0xFF)) {
        if ((st = il_yaml_encoding_error(&part.report)) != IL_OK) {
            return st;
        }
    }
    /* a large ledger is parsed in two halves at once when it splits cleanly; otherwise (and on any doubt) whole */
    size_t at = il_yaml_split_point(data, len);
    if (at != 0 && il_yaml_load_split(data, len, filename, &part.limits, at, out)) {
        return IL_OK;
    }
    st = il_yaml_parse_part(&part, filename);
    if (st == IL_OK) {
        *out = part.doc;
    } else if (st == IL_ERR_NOMEM && diags != NULL) {
        /* best effort: with memory exhausted this may fail too, and the status still says what happened */
        il_status_ignore(il_yaml_error(&part.report, IL_ERR_NOMEM, 0, 0, "out of memory while loading the yaml file"));
    }
    return st;
}
