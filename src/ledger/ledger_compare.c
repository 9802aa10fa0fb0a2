/* Classifying a change: every entry of the new ledger against the base by (function ARN, scan type). */
#include <stdlib.h>
#include <string.h>

#include "il/ledger/gate.h"
#include "ledger/ledger_base.h"
#include "ledger/ledger_gate_internal.h"

struct il_ledger_changes {
    struct il_change *items;
    size_t count;
    size_t n_head; /* items[0..n_head) are head's entries by index */
};

const char *il_change_kind_str(enum il_change_kind kind) {
    switch (kind) {
    case IL_CHANGE_UNTOUCHED: return "untouched";
    case IL_CHANGE_ADDED: return "added";
    case IL_CHANGE_RENEWED: return "renewed";
    case IL_CHANGE_CHANGED: return "changed";
    case IL_CHANGE_REMOVED: return "removed";
    }
    return "unknown";
}

static enum il_change_kind s_kind(const struct il_ledger *base, const struct il_ledger_entry *b,
                                  const struct il_ledger *head, const struct il_ledger_entry *e) {
    if (e->expires_at.valid && (!b->expires_at.valid || e->expires_at.days > b->expires_at.days)) {
        return IL_CHANGE_RENEWED;
    }
    /* value for value (positions, order and spelling of numbers do not count): a reindented entry is untouched */
    return il_node_equal(il_ledger_entry_node(base, b), il_ledger_entry_node(head, e)) ? IL_CHANGE_UNTOUCHED
                                                                                       : IL_CHANGE_CHANGED;
}

enum il_status il_ledger_compare(const struct il_ledger *base, const struct il_ledger *head,
                                 struct il_ledger_changes **out) {
    *out = NULL;
    size_t nh = il_ledger_entry_count(head);
    size_t nb = base ? il_ledger_entry_count(base) : 0;
    struct il_ledger_changes *c = calloc(1, sizeof(*c));
    struct il_keymap *map = il_keymap_new();
    unsigned char *matched = calloc(nb + 1, 1);
    enum il_status st = IL_ERR_NOMEM;
    if (c == NULL || map == NULL || matched == NULL || (c->items = calloc(nh + nb + 1, sizeof(*c->items))) == NULL) {
        goto cleanup;
    }
    st = IL_OK;
    for (size_t i = 0; i < nb && st == IL_OK; i++) {
        const struct il_ledger_entry *b = il_ledger_entry(base, i);
        const char *key = il_ledger_entry_key(b);
        if (key != NULL && (st = il_keymap_put(map, key, b->scan_type, i)) == IL_ERR_INVALID) {
            st = IL_OK; /* a duplicate at the base: the first one is the one compared */
        }
    }
    for (size_t i = 0; i < nh && st == IL_OK; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(head, i);
        const char *key = il_ledger_entry_key(e);
        size_t bi = 0;
        struct il_change *ch = &c->items[c->count++];
        ch->entry = e;
        if (key != NULL && il_keymap_get(map, key, e->scan_type, &bi) && !matched[bi]) {
            matched[bi] = 1;
            ch->base = il_ledger_entry(base, bi);
            ch->kind = s_kind(base, ch->base, head, e);
        } else {
            ch->kind = IL_CHANGE_ADDED;
        }
    }
    c->n_head = c->count;
    for (size_t i = 0; i < nb && st == IL_OK; i++) {
        if (!matched[i]) {
            struct il_change *ch = &c->items[c->count++];
            ch->kind = IL_CHANGE_REMOVED;
            ch->base = il_ledger_entry(base, i);
        }
    }
    if (st == IL_OK) {
        *out = c;
        c = NULL;
    }
cleanup:
    il_ledger_changes_free(c);
    il_keymap_free(map);
    free(matched);
    return st;
}

void il_ledger_changes_free(struct il_ledger_changes *changes) {
    if (changes != NULL) {
        free(changes->items);
        free(changes);
    }
}

size_t il_ledger_changes_count(const struct il_ledger_changes *changes) {
    return changes->count;
}

const struct il_change *il_ledger_change_at(const struct il_ledger_changes *changes, size_t i) {
    return i < changes->count ? &changes->items[i] : NULL;
}

const struct il_change *il_ledger_change_of(const struct il_ledger_changes *changes, size_t index) {
    return index < changes->n_head ? &changes->items[index] : NULL;
}
