/* (function ARN, scan type) -> number, open addressing on FNV-1a (il_hash_str), like the inventory's index. */
#include <stdlib.h>
#include <string.h>

#include "il/hash.h"
#include "ledger/ledger_base.h"

struct s_slot {
    char *arn; /* NULL: empty */
    enum il_scan_type scan_type;
    size_t value;
};

struct il_keymap {
    struct s_slot *slots;
    size_t cap; /* a power of two */
    size_t count;
};

struct il_keymap *il_keymap_new(void) {
    return calloc(1, sizeof(struct il_keymap));
}

void il_keymap_free(struct il_keymap *map) {
    if (map == NULL) {
        return;
    }
    for (size_t i = 0; i < map->cap; i++) {
        free(map->slots[i].arn);
    }
    free(map->slots);
    free(map);
}

static size_t s_find(const struct s_slot *slots, size_t cap, const char *arn, enum il_scan_type scan_type) {
    size_t i = (size_t)(il_hash_str(arn) ^ (uint64_t)scan_type) & (cap - 1);
    while (slots[i].arn != NULL && (slots[i].scan_type != scan_type || strcmp(slots[i].arn, arn) != 0)) {
        i = (i + 1) & (cap - 1);
    }
    return i;
}

static enum il_status s_grow(struct il_keymap *map) {
    size_t cap = map->cap ? map->cap * 2 : 64;
    struct s_slot *slots = calloc(cap, sizeof(*slots));
    if (slots == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < map->cap; i++) {
        if (map->slots[i].arn != NULL) {
            slots[s_find(slots, cap, map->slots[i].arn, map->slots[i].scan_type)] = map->slots[i];
        }
    }
    free(map->slots);
    map->slots = slots;
    map->cap = cap;
    return IL_OK;
}

enum il_status il_keymap_put(struct il_keymap *map, const char *arn, enum il_scan_type scan_type, size_t value) {
    if ((map->count + 1) * 2 > map->cap) {
        IL_TRY(s_grow(map));
    }
    size_t i = s_find(map->slots, map->cap, arn, scan_type);
    if (map->slots[i].arn != NULL) {
        return IL_ERR_INVALID;
    }
    if ((map->slots[i].arn = il_strdup(arn)) == NULL) {
        return IL_ERR_NOMEM;
    }
    map->slots[i].scan_type = scan_type;
    map->slots[i].value = value;
    map->count++;
    return IL_OK;
}

int il_keymap_get(const struct il_keymap *map, const char *arn, enum il_scan_type scan_type, size_t *value) {
    if (map->cap == 0 || arn == NULL) {
        return 0;
    }
    size_t i = s_find(map->slots, map->cap, arn, scan_type);
    if (map->slots[i].arn == NULL) {
        return 0;
    }
    *value = map->slots[i].value;
    return 1;
}

const char *il_ledger_entry_key(const struct il_ledger_entry *e) {
    if (e->arn.valid) {
        return e->arn.unqualified;
    }
    return e->function_arn.value && strlen(e->function_arn.value) == e->function_arn.len ? e->function_arn.value : NULL;
}
