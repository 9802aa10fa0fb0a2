/* The typed ledger model: a struct il_doc (already loaded, maybe schema-invalid) turned into struct il_ledger_entry. */
#include "il/ledger.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/hash.h"
#include "il/mem.h"
#include "ledger/ledger_internal.h"

struct il_ledger {
    struct il_doc *doc;
    char *filename;
    char sha256[65];
    int has_sha256;
    struct il_ledger_entry *entries;
    size_t count;
    size_t schema_errors;
    long version;
    unsigned excl_line;
    unsigned excl_column;
    /* il_ledger_find(): open addressing on (unqualified ARN, scan type); a slot holds entry index + 1, 0 is empty.
     * Only entries with a valid ARN and scan type are in it, the first in ledger order for a duplicated key. */
    size_t *index;
    size_t index_mask;
};

int il_ledger_str_eq(const struct il_ledger_str *field, const char *text) {
    size_t n = strlen(text);
    return field->value != NULL && field->len == n && memcmp(field->value, text, n) == 0;
}

const char *il_scan_type_str(enum il_scan_type type) {
    switch (type) {
    case IL_SCAN_STANDARD: return "standard";
    case IL_SCAN_CODE: return "code";
    case IL_SCAN_UNKNOWN: break;
    }
    return "unknown";
}

const char *il_implicit_reason_str(enum il_implicit_reason reason) {
    switch (reason) {
    case IL_IMPLICIT_KMS_KEY: return "kms-key";
    case IL_IMPLICIT_IDLE_90_DAYS: return "idle-90-days";
    case IL_IMPLICIT_UNSUPPORTED_RUNTIME: return "unsupported-runtime";
    default: return NULL;
    }
}

const char *il_implicit_reason_inspector(enum il_implicit_reason reason) {
    switch (reason) {
    case IL_IMPLICIT_KMS_KEY: return "ACCESS_DENIED_TO_ENCRYPTION_KEY";
    case IL_IMPLICIT_IDLE_90_DAYS: return "SCAN_ELIGIBILITY_EXPIRED";
    case IL_IMPLICIT_UNSUPPORTED_RUNTIME: return "UNSUPPORTED_RUNTIME";
    default: return NULL;
    }
}

const char *il_scan_type_tag_key(enum il_scan_type type) {
    return type == IL_SCAN_STANDARD ? IL_TAG_KEY_STANDARD : type == IL_SCAN_CODE ? IL_TAG_KEY_CODE : NULL;
}

const char *il_scan_type_tag_value(enum il_scan_type type) {
    return type == IL_SCAN_STANDARD ? IL_TAG_VALUE_STANDARD : type == IL_SCAN_CODE ? IL_TAG_VALUE_CODE : NULL;
}

/* Fill @p out from member @p key of @p parent; a missing member is located at the parent (or @p line/@p col). */
static void s_field(const struct il_node *parent, const char *key, unsigned line, unsigned col,
                    struct il_ledger_str *out) {
    memset(out, 0, sizeof(*out));
    out->line = parent ? il_node_line(parent) : line;
    out->column = parent ? il_node_column(parent) : col;
    const struct il_node *node = parent && il_node_type(parent) == IL_NODE_OBJECT ? il_node_get(parent, key) : NULL;
    if (node == NULL) {
        return;
    }
    out->node = node;
    out->line = il_node_line(node);
    out->column = il_node_column(node);
    if (il_node_type(node) == IL_NODE_STRING) {
        out->value = il_node_str(node, &out->len);
    }
}

static void s_date(const struct il_node *dates, const char *key, unsigned line, unsigned col,
                   struct il_ledger_date *out) {
    memset(out, 0, sizeof(*out));
    s_field(dates, key, line, col, &out->text);
    if (out->text.value && il_date_parse(out->text.value, out->text.len, &out->date) == IL_OK) {
        out->valid = 1;
        out->days = il_date_to_days(&out->date);
    }
}

/* The entries' own strings and arrays (JSON pointers, split ARNs, control lists) live in the document's arena,
 * which the ledger owns: one allocation scheme for everything derived from the file, freed with it. */
static void *s_take(struct il_ledger *ledger, size_t size) {
    return il_doc_alloc(ledger->doc, size);
}

static int s_all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/*
 * Split arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]. Only the structure is checked here (the
 * schema's pattern owns character classes), so a rule can still compare names when an org schema is laxer.
 */
static enum il_status s_parse_arn(struct il_ledger *ledger, const struct il_ledger_str *text,
                                  struct il_ledger_arn *arn) {
    static const char empty[] = "";
    arn->valid = 0;
    arn->partition = arn->region = arn->account = arn->function_name = arn->unqualified = empty;
    arn->qualifier = NULL;
    if (text->value == NULL || strlen(text->value) != text->len) {
        return IL_OK;
    }
    const char *parts[9];
    size_t lens[9];
    size_t n = 0;
    const char *p = text->value;
    for (;;) {
        const char *colon = strchr(p, ':');
        if (n == 9) {
            return IL_OK; /* too many parts */
        }
        parts[n] = p;
        lens[n] = colon ? (size_t)(colon - p) : strlen(p);
        n++;
        if (colon == NULL) {
            break;
        }
        p = colon + 1;
    }
    if (n < 7 || n > 8 || lens[0] != 3 || memcmp(parts[0], "arn", 3) != 0 || lens[2] != 6 ||
        memcmp(parts[2], "lambda", 6) != 0 || lens[5] != 8 || memcmp(parts[5], "function", 8) != 0 || lens[4] != 12 ||
        !s_all_digits(parts[4], 12) || lens[1] == 0 || lens[3] == 0 || lens[6] == 0 || (n == 8 && lens[7] == 0)) {
        return IL_OK;
    }
    /* two copies at most of the ARN's bytes: the parts, then the unqualified prefix */
    char *buf = s_take(ledger, 2 * text->len + 8);
    if (buf == NULL) {
        return IL_ERR_NOMEM;
    }
    char *w = buf;
    const char **slots[5] = {&arn->partition, &arn->region, &arn->account, &arn->function_name, &arn->qualifier};
    size_t idx[5] = {1, 3, 4, 6, 7};
    for (size_t i = 0; i < 5; i++) {
        if (idx[i] >= n) {
            continue;
        }
        memcpy(w, parts[idx[i]], lens[idx[i]]);
        w[lens[idx[i]]] = '\0';
        *slots[i] = w;
        w += lens[idx[i]] + 1;
    }
    size_t unq = n == 8 ? (size_t)(parts[7] - 1 - text->value) : text->len;
    memcpy(w, text->value, unq);
    w[unq] = '\0';
    arn->unqualified = w;
    arn->valid = 1;
    return IL_OK;
}

static enum il_status s_build_entry(struct il_ledger *ledger, const struct il_node *node, size_t index,
                                    struct il_ledger_entry *e) {
    e->index = index;
    e->line = e->end_line = il_node_line(node);
    e->column = il_node_column(node);
    e->is_object = il_node_type(node) == IL_NODE_OBJECT;

    enum { S_POINTER_MAX = sizeof("/exclusions/") + 20 }; /* 20: the digits of SIZE_MAX */
    char *pointer = s_take(ledger, S_POINTER_MAX);
    if (pointer == NULL) {
        return IL_ERR_NOMEM;
    }
    int n = snprintf(pointer, S_POINTER_MAX, "/exclusions/%zu", index);
    if (n < 0 || (size_t)n >= S_POINTER_MAX) {
        return IL_ERR_INVALID;
    }
    e->pointer = pointer;

    const struct il_node *entry = e->is_object ? node : NULL;
    unsigned l = e->line, c = e->column;
    const struct il_node *target = entry ? il_node_get(entry, "target") : NULL;
    s_field(target, "type", l, c, &e->target_type);
    s_field(target, "function_name", l, c, &e->function_name);
    s_field(target, "function_arn", l, c, &e->function_arn);
    IL_TRY(s_parse_arn(ledger, &e->function_arn, &e->arn));

    s_field(entry, "scan_type", l, c, &e->scan_type_text);
    if (il_ledger_str_eq(&e->scan_type_text, "standard")) {
        e->scan_type = IL_SCAN_STANDARD;
    } else if (il_ledger_str_eq(&e->scan_type_text, "code")) {
        e->scan_type = IL_SCAN_CODE;
    }

    const struct il_node *tag = entry ? il_node_get(entry, "tag") : NULL;
    s_field(tag, "key", l, c, &e->tag_key);
    s_field(tag, "value", l, c, &e->tag_value);

    const struct il_node *reason = entry ? il_node_get(entry, "reason") : NULL;
    s_field(reason, "summary", l, c, &e->summary);
    s_field(reason, "ticket", l, c, &e->ticket);
    s_field(reason, "implicit", l, c, &e->implicit);
    for (int k = IL_IMPLICIT_KMS_KEY; k <= IL_IMPLICIT_UNSUPPORTED_RUNTIME; k++) {
        if (il_ledger_str_eq(&e->implicit, il_implicit_reason_str((enum il_implicit_reason)k))) {
            e->implicit_reason = (enum il_implicit_reason)k;
        }
    }
    const struct il_node *controls =
        reason && il_node_type(reason) == IL_NODE_OBJECT ? il_node_get(reason, "compensating_controls") : NULL;
    size_t ncontrols = controls ? il_node_size(controls) : 0;
    if (controls && il_node_type(controls) == IL_NODE_ARRAY && ncontrols > 0) {
        struct il_ledger_str *list =
            ncontrols <= SIZE_MAX / sizeof(*list) ? s_take(ledger, ncontrols * sizeof(*list)) : NULL;
        if (list == NULL) {
            return IL_ERR_NOMEM;
        }
        memset(list, 0, ncontrols * sizeof(*list));
        for (size_t i = 0; i < ncontrols; i++) {
            const struct il_node *item = il_node_at(controls, i);
            if (il_node_type(item) != IL_NODE_STRING) {
                continue; /* the schema reports it; the model keeps strings only */
            }
            struct il_ledger_str *s = &list[e->compensating_control_count++];
            s->node = item;
            s->value = il_node_str(item, &s->len);
            s->line = il_node_line(item);
            s->column = il_node_column(item);
        }
        e->compensating_controls = list;
    }

    const struct il_node *owner = entry ? il_node_get(entry, "owner") : NULL;
    s_field(owner, "team", l, c, &e->team);
    s_field(owner, "approved_by", l, c, &e->approved_by);
    s_field(owner, "applied_by", l, c, &e->applied_by);

    const struct il_node *dates = entry ? il_node_get(entry, "dates") : NULL;
    s_date(dates, "applied_at", l, c, &e->applied_at);
    s_date(dates, "expires_at", l, c, &e->expires_at);
    s_date(dates, "next_review_at", l, c, &e->next_review_at);
    return IL_OK;
}

/* Deepest line any node of the subtree starts on (iterative over arrays/objects would need a stack; entries are
 * shallow and depth is bounded by the loader, so recursion is safe). */
static unsigned s_max_line(const struct il_node *node, unsigned depth) {
    unsigned best = il_node_line(node);
    if (depth > 256) {
        return best;
    }
    size_t n = il_node_size(node);
    for (size_t i = 0; i < n; i++) {
        const struct il_node *child =
            il_node_type(node) == IL_NODE_ARRAY ? il_node_at(node, i) : il_node_value_at(node, i);
        unsigned l = child ? s_max_line(child, depth + 1) : 0;
        best = l > best ? l : best;
    }
    return best;
}

/*
 * end_line for each entry: the last line holding content (not blank, not only a comment) before the next entry
 * starts (or before the next top-level key, or the end of the file). One forward pass over the bytes.
 */
static void s_end_lines(struct il_ledger *ledger, const char *bytes, size_t len, unsigned stop_line) {
    if (ledger->count == 0) {
        return;
    }
    size_t j = 0;
    unsigned line = 1;
    const char *p = bytes;
    const char *end = p ? p + len : NULL;
    while (p && p < end && j < ledger->count) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r')) {
            q++;
        }
        int content = q < eol && *q != '#';
        while (j + 1 < ledger->count && line >= ledger->entries[j + 1].line) {
            j++;
        }
        if (stop_line && line >= stop_line) {
            break;
        }
        if (content && line >= ledger->entries[j].line && line > ledger->entries[j].end_line) {
            ledger->entries[j].end_line = line;
        }
        line++;
        p = nl ? nl + 1 : end;
    }
}

/* ---- the (ARN, scan type) index ---- */

static int s_indexable(const struct il_ledger_entry *e) {
    return e->arn.valid && e->scan_type != IL_SCAN_UNKNOWN;
}

static size_t s_index_slot(const char *arn, enum il_scan_type type, size_t mask) {
    return (size_t)(il_hash_str(arn) ^ ((uint64_t)type * 0x9e3779b97f4a7c15u)) & mask;
}

static int s_index_is(const struct il_ledger_entry *e, const char *arn, enum il_scan_type type) {
    return e->scan_type == type && strcmp(e->arn.unqualified, arn) == 0;
}

static enum il_status s_index_build(struct il_ledger *ledger) {
    size_t cap = 16;
    while (cap < ledger->count * 2) { /* load factor at most 1/2: a miss stays short */
        if (cap > SIZE_MAX / 4 / sizeof(*ledger->index)) {
            return IL_ERR_NOMEM;
        }
        cap *= 2;
    }
    ledger->index = calloc(cap, sizeof(*ledger->index));
    if (ledger->index == NULL) {
        return IL_ERR_NOMEM;
    }
    ledger->index_mask = cap - 1;
    for (size_t i = 0; i < ledger->count; i++) {
        const struct il_ledger_entry *e = &ledger->entries[i];
        if (!s_indexable(e)) {
            continue;
        }
        size_t slot = s_index_slot(e->arn.unqualified, e->scan_type, ledger->index_mask);
        while (ledger->index[slot] != 0 &&
               !s_index_is(&ledger->entries[ledger->index[slot] - 1], e->arn.unqualified, e->scan_type)) {
            slot = (slot + 1) & ledger->index_mask;
        }
        if (ledger->index[slot] == 0) { /* a duplicate keeps the first entry: it speaks for the function */
            ledger->index[slot] = i + 1;
        }
    }
    return IL_OK;
}

const struct il_ledger_entry *il_ledger_find(const struct il_ledger *ledger, const char *arn, enum il_scan_type type) {
    if (ledger == NULL || arn == NULL || ledger->index == NULL) {
        return NULL;
    }
    for (size_t slot = s_index_slot(arn, type, ledger->index_mask); ledger->index[slot] != 0;
         slot = (slot + 1) & ledger->index_mask) {
        const struct il_ledger_entry *e = &ledger->entries[ledger->index[slot] - 1];
        if (s_index_is(e, arn, type)) {
            return e;
        }
    }
    return NULL;
}

enum il_status il_ledger_from_doc(struct il_doc *doc, const char *bytes, size_t len, struct il_ledger **out) {
    return il_ledger_from_doc_digest(doc, bytes, len, 1, out);
}

enum il_status il_ledger_from_doc_digest(struct il_doc *doc, const char *bytes, size_t len, int digest,
                                         struct il_ledger **out) {
    *out = NULL;
    enum il_status st = IL_ERR_NOMEM;
    struct il_ledger *ledger = calloc(1, sizeof(*ledger));
    if (ledger == NULL) {
        il_doc_free(doc);
        return IL_ERR_NOMEM;
    }
    ledger->doc = doc;
    ledger->version = -1;
    const char *name = il_doc_filename(doc);
    ledger->filename = il_strdup(name ? name : "<ledger>");
    if (ledger->filename == NULL) {
        goto cleanup;
    }
    /* the bytes are only read here (digest, entry line ranges), never kept: a ledger costs its tree, not twice */
    if (digest) {
        st = il_ledger_sha256_hex(bytes ? bytes : "", bytes ? len : 0, ledger->sha256);
        if (st != IL_OK) {
            goto cleanup;
        }
        ledger->has_sha256 = 1;
    }

    const struct il_node *root = il_doc_root(doc);
    const struct il_node *version = root && il_node_type(root) == IL_NODE_OBJECT ? il_node_get(root, "version") : NULL;
    if (version && il_node_type(version) == IL_NODE_NUMBER && il_node_is_integer(version) &&
        il_node_number(version) >= 0 && il_node_number(version) < 1e9) {
        ledger->version = (long)il_node_number(version);
    }
    const struct il_node *list = root && il_node_type(root) == IL_NODE_OBJECT ? il_node_get(root, "exclusions") : NULL;
    ledger->excl_line = list ? il_node_line(list) : root ? il_node_line(root) : 1;
    ledger->excl_column = list ? il_node_column(list) : root ? il_node_column(root) : 1;
    unsigned stop_line = 0;
    if (list && il_node_type(list) == IL_NODE_ARRAY) {
        size_t n = il_node_size(list);
        if (n > 0) {
            /* large ledgers: populated in one go rather than one page fault per 4 KiB (il/mem.h) */
            ledger->entries = il_mem_calloc_large(n, sizeof(*ledger->entries));
            if (ledger->entries == NULL) {
                st = IL_ERR_NOMEM;
                goto cleanup;
            }
        }
        for (size_t i = 0; i < n; i++) {
            ledger->count = i + 1; /* so cleanup frees what this entry allocated */
            st = s_build_entry(ledger, il_node_at(list, i), i, &ledger->entries[i]);
            if (st != IL_OK) {
                goto cleanup;
            }
            ledger->entries[i].end_line = s_max_line(il_node_at(list, i), 0);
        }
        /* the entry list ends where the next top-level key starts */
        for (size_t i = 0; i + 1 < il_node_size(root); i++) {
            if (il_node_value_at(root, i) == list) {
                stop_line = il_node_line(il_node_key_at(root, i + 1));
            }
        }
    }
    s_end_lines(ledger, bytes, bytes ? len : 0, stop_line);
    st = s_index_build(ledger);
    if (st != IL_OK) {
        goto cleanup;
    }
    *out = ledger;
    return IL_OK;

cleanup:
    il_ledger_free(ledger);
    return st;
}

void il_ledger_free(struct il_ledger *ledger) {
    if (ledger == NULL) {
        return;
    }
    free(ledger->index);
    free(ledger->entries);
    free(ledger->filename);
    il_doc_free(ledger->doc);
    free(ledger);
}

void il_ledger_set_schema_errors(struct il_ledger *ledger, size_t errors) {
    ledger->schema_errors = errors;
}

void il_ledger_count_entry_error(struct il_ledger *ledger, size_t index) {
    if (index < ledger->count) {
        ledger->entries[index].schema_errors++;
    }
}

size_t il_ledger_entry_count(const struct il_ledger *ledger) {
    return ledger ? ledger->count : 0;
}

const struct il_ledger_entry *il_ledger_entry(const struct il_ledger *ledger, size_t i) {
    return ledger && i < ledger->count ? &ledger->entries[i] : NULL;
}

const char *il_ledger_filename(const struct il_ledger *ledger) {
    return ledger->filename;
}

const char *il_ledger_sha256(const struct il_ledger *ledger) {
    return ledger->has_sha256 ? ledger->sha256 : NULL;
}

const struct il_doc *il_ledger_doc(const struct il_ledger *ledger) {
    return ledger->doc;
}

long il_ledger_version(const struct il_ledger *ledger) {
    return ledger->version;
}

size_t il_ledger_schema_errors(const struct il_ledger *ledger) {
    return ledger->schema_errors;
}

unsigned il_ledger_exclusions_line(const struct il_ledger *ledger) {
    return ledger->excl_line;
}

unsigned il_ledger_exclusions_column(const struct il_ledger *ledger) {
    return ledger->excl_column;
}
