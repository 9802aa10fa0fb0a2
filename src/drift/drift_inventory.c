/* The inventory of what AWS showed. Functions are indexed by ARN (open addressing) so merging the views of two
 * sources and looking up ledger entries stay O(1) with 10,000+ functions. */
#include "il/drift/inventory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "il/buf.h"
#include "il/hash.h"

struct s_function {
    struct il_inv_function pub;
    struct il_inv_tag *tags; /* owned; pub.tags aliases it */
    size_t tag_cap;
};

struct il_inventory {
    struct s_function *fns;
    size_t count, cap;
    size_t *index; /* slots hold function index + 1; 0 = empty */
    size_t index_cap;
    struct il_scope *scopes;
    size_t scope_count, scope_cap;
};

struct il_inventory *il_inventory_new(void) {
    return calloc(1, sizeof(struct il_inventory));
}

static void s_function_release(struct s_function *f) {
    il_free_const(f->pub.account);
    il_free_const(f->pub.region);
    il_free_const(f->pub.arn);
    il_free_const(f->pub.name);
    il_free_const(f->pub.runtime);
    il_free_const(f->pub.kms_key_arn);
    il_free_const(f->pub.last_modified);
    for (size_t i = 0; i < f->pub.tag_count; i++) {
        il_free_const(f->tags[i].key);
        il_free_const(f->tags[i].value);
    }
    free(f->tags);
}

void il_inventory_free(struct il_inventory *inv) {
    if (inv == NULL) {
        return;
    }
    for (size_t i = 0; i < inv->count; i++) {
        s_function_release(&inv->fns[i]);
    }
    for (size_t i = 0; i < inv->scope_count; i++) {
        il_free_const(inv->scopes[i].account);
        il_free_const(inv->scopes[i].region);
        il_free_const(inv->scopes[i].reason);
    }
    free(inv->fns);
    free(inv->index);
    free(inv->scopes);
    free(inv);
}

static long s_lookup(const struct il_inventory *inv, const char *arn) {
    if (inv->index_cap == 0) {
        return -1;
    }
    size_t mask = inv->index_cap - 1;
    for (size_t slot = (size_t)il_hash_str(arn) & mask; inv->index[slot]; slot = (slot + 1) & mask) {
        size_t i = inv->index[slot] - 1;
        if (strcmp(inv->fns[i].pub.arn, arn) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static void s_index_put(struct il_inventory *inv, size_t i) {
    size_t mask = inv->index_cap - 1;
    size_t slot = (size_t)il_hash_str(inv->fns[i].pub.arn) & mask;
    while (inv->index[slot]) {
        slot = (slot + 1) & mask;
    }
    inv->index[slot] = i + 1;
}

static enum il_status s_grow(struct il_inventory *inv) {
    if (inv->count == inv->cap) {
        size_t cap = inv->cap ? inv->cap * 2 : 64;
        struct s_function *fns = realloc(inv->fns, cap * sizeof(*fns));
        if (fns == NULL) {
            return IL_ERR_NOMEM;
        }
        inv->fns = fns;
        inv->cap = cap;
        /* pub.tags aliases each function's own tag array, which did not move */
    }
    if ((inv->count + 1) * 2 > inv->index_cap) {
        size_t cap = inv->index_cap ? inv->index_cap * 2 : 128;
        size_t *index = calloc(cap, sizeof(*index));
        if (index == NULL) {
            return IL_ERR_NOMEM;
        }
        free(inv->index);
        inv->index = index;
        inv->index_cap = cap;
        for (size_t i = 0; i < inv->count; i++) {
            s_index_put(inv, i);
        }
    }
    return IL_OK;
}

/* Replace *dst with a copy of src when src is given; keeps *dst otherwise. */
static enum il_status s_set(const char **dst, const char *src) {
    if (src == NULL) {
        return IL_OK;
    }
    char *copy = il_strdup(src);
    if (copy == NULL) {
        return IL_ERR_NOMEM;
    }
    il_free_const(*dst);
    *dst = copy;
    return IL_OK;
}

static enum il_status s_put_tag(struct s_function *f, const char *key, const char *value) {
    for (size_t i = 0; i < f->pub.tag_count; i++) {
        if (strcmp(f->tags[i].key, key) == 0) {
            return s_set(&f->tags[i].value, value ? value : "");
        }
    }
    if (f->pub.tag_count == f->tag_cap) {
        size_t cap = f->tag_cap ? f->tag_cap * 2 : 4;
        struct il_inv_tag *tags = realloc(f->tags, cap * sizeof(*tags));
        if (tags == NULL) {
            return IL_ERR_NOMEM;
        }
        f->tags = tags;
        f->tag_cap = cap;
        f->pub.tags = tags;
    }
    char *k = il_strdup(key), *v = il_strdup(value ? value : "");
    if (k == NULL || v == NULL) {
        free(k);
        free(v);
        return IL_ERR_NOMEM;
    }
    f->tags[f->pub.tag_count].key = k;
    f->tags[f->pub.tag_count].value = v;
    f->pub.tag_count++;
    return IL_OK;
}

static enum il_status s_get_or_add(struct il_inventory *inv, const char *arn, struct s_function **out) {
    long i = s_lookup(inv, arn);
    if (i >= 0) {
        *out = &inv->fns[i];
        return IL_OK;
    }
    IL_TRY(s_grow(inv));
    struct s_function *f = &inv->fns[inv->count];
    memset(f, 0, sizeof(*f));
    if ((f->pub.arn = il_strdup(arn)) == NULL) {
        return IL_ERR_NOMEM;
    }
    s_index_put(inv, inv->count);
    inv->count++;
    *out = f;
    return IL_OK;
}

enum il_status il_inventory_add(struct il_inventory *inv, const struct il_inv_function *fn) {
    if (fn->arn == NULL) {
        return IL_ERR_INVALID;
    }
    struct s_function *f = NULL;
    IL_TRY(s_get_or_add(inv, fn->arn, &f));
    IL_TRY(s_set(&f->pub.account, fn->account));
    IL_TRY(s_set(&f->pub.region, fn->region));
    IL_TRY(s_set(&f->pub.name, fn->name));
    if (fn->flags & IL_INV_CONFIG_KNOWN) {
        /* configuration is authoritative from this source, including "no CMK" and "no runtime" */
        il_free_const(f->pub.runtime);
        il_free_const(f->pub.kms_key_arn);
        il_free_const(f->pub.last_modified);
        f->pub.runtime = f->pub.kms_key_arn = f->pub.last_modified = NULL;
        IL_TRY(s_set(&f->pub.runtime, fn->runtime));
        IL_TRY(s_set(&f->pub.kms_key_arn, fn->kms_key_arn));
        IL_TRY(s_set(&f->pub.last_modified, fn->last_modified));
    }
    for (size_t i = 0; i < fn->tag_count; i++) {
        IL_TRY(s_put_tag(f, fn->tags[i].key, fn->tags[i].value));
    }
    f->pub.flags |= fn->flags;
    f->pub.flags &= ~(unsigned)IL_INV_NOT_FOUND;
    return IL_OK;
}

enum il_status il_inventory_mark_not_found(struct il_inventory *inv, const char *account, const char *region,
                                           const char *arn) {
    long i = s_lookup(inv, arn);
    if (i >= 0 && (inv->fns[i].pub.flags & ~(unsigned)IL_INV_NOT_FOUND) != 0) {
        return IL_OK; /* another source saw it: it exists */
    }
    struct s_function *f = NULL;
    IL_TRY(s_get_or_add(inv, arn, &f));
    IL_TRY(s_set(&f->pub.account, account));
    IL_TRY(s_set(&f->pub.region, region));
    f->pub.flags |= IL_INV_NOT_FOUND;
    return IL_OK;
}

static struct il_scope *s_scope_find(const struct il_inventory *inv, const char *account, const char *region) {
    for (size_t i = 0; i < inv->scope_count; i++) {
        if (strcmp(inv->scopes[i].account, account) == 0 && strcmp(inv->scopes[i].region, region) == 0) {
            return &inv->scopes[i];
        }
    }
    return NULL;
}

enum il_status il_inventory_set_scope(struct il_inventory *inv, const char *account, const char *region,
                                      enum il_scope_state state, const char *reason) {
    struct il_scope *s = s_scope_find(inv, account, region);
    if (s == NULL) {
        if (inv->scope_count == inv->scope_cap) {
            size_t cap = inv->scope_cap ? inv->scope_cap * 2 : 16;
            struct il_scope *scopes = realloc(inv->scopes, cap * sizeof(*scopes));
            if (scopes == NULL) {
                return IL_ERR_NOMEM;
            }
            inv->scopes = scopes;
            inv->scope_cap = cap;
        }
        s = &inv->scopes[inv->scope_count];
        memset(s, 0, sizeof(*s));
        s->account = il_strdup(account);
        s->region = il_strdup(region);
        if (s->account == NULL || s->region == NULL) {
            il_free_const(s->account);
            il_free_const(s->region);
            return IL_ERR_NOMEM;
        }
        s->state = state;
        inv->scope_count++;
        return s_set(&s->reason, reason);
    }
    if (s->state == IL_SCOPE_FAILED) {
        return IL_OK; /* sticky: one failed call leaves the scope unverified */
    }
    s->state = state;
    return s_set(&s->reason, reason);
}

size_t il_inventory_count(const struct il_inventory *inv) {
    return inv->count;
}

const struct il_inv_function *il_inventory_at(const struct il_inventory *inv, size_t i) {
    return i < inv->count ? &inv->fns[i].pub : NULL;
}

const struct il_inv_function *il_inventory_find(const struct il_inventory *inv, const char *arn) {
    long i = s_lookup(inv, arn);
    return i < 0 ? NULL : &inv->fns[i].pub;
}

const char *il_inv_function_tag(const struct il_inv_function *fn, const char *key) {
    for (size_t i = 0; i < fn->tag_count; i++) {
        if (strcmp(fn->tags[i].key, key) == 0) {
            return fn->tags[i].value;
        }
    }
    return NULL;
}

enum il_tag_state il_inv_tag_state(const struct il_inv_tag *tag, enum il_scan_type type) {
    const char *key = il_scan_type_tag_key(type);
    if (key == NULL || strcasecmp(tag->key, key) != 0) {
        return IL_TAG_ABSENT;
    }
    if (strcmp(tag->key, key) != 0) {
        return IL_TAG_WRONG_CASE_KEY;
    }
    return strcmp(tag->value, il_scan_type_tag_value(type)) == 0 ? IL_TAG_EXACT : IL_TAG_WRONG_VALUE;
}

enum il_tag_state il_inv_function_tag_state(const struct il_inv_function *fn, enum il_scan_type type,
                                            const struct il_inv_tag **which) {
    enum il_tag_state best = IL_TAG_ABSENT;
    const struct il_inv_tag *found = NULL;
    for (size_t i = 0; i < fn->tag_count; i++) {
        enum il_tag_state st = il_inv_tag_state(&fn->tags[i], type);
        /* the exact key decides (exact or wrong value); a case variant only when the exact key is absent */
        if (st == IL_TAG_EXACT || st == IL_TAG_WRONG_VALUE) {
            best = st;
            found = &fn->tags[i];
            break;
        }
        if (st == IL_TAG_WRONG_CASE_KEY && found == NULL) {
            best = st;
            found = &fn->tags[i];
        }
    }
    if (which != NULL) {
        *which = found;
    }
    return best;
}

size_t il_inventory_scope_count(const struct il_inventory *inv) {
    return inv->scope_count;
}

const struct il_scope *il_inventory_scope_at(const struct il_inventory *inv, size_t i) {
    return i < inv->scope_count ? &inv->scopes[i] : NULL;
}

const struct il_scope *il_inventory_scope(const struct il_inventory *inv, const char *account, const char *region) {
    return s_scope_find(inv, account, region);
}
