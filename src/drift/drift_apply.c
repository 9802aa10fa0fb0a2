/* Planning apply: tag changes derived from the ledger and a verified inventory. */
#include "il/drift/apply.h"

#include <stdlib.h>
#include <string.h>

#include "il/rules.h"

struct s_list {
    struct il_apply_action *items;
    size_t count, cap;
};

static enum il_status s_push(struct s_list *l, const struct il_apply_action *a) {
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct il_apply_action *items = realloc(l->items, cap * sizeof(*items));
        if (items == NULL) {
            return IL_ERR_NOMEM;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count++] = *a;
    return IL_OK;
}

static int s_verified(const struct il_inventory *inv, const char *account, const char *region) {
    const struct il_scope *s = il_inventory_scope(inv, account, region);
    return s != NULL && s->state == IL_SCOPE_VERIFIED;
}

/* How many ':'-separated fields @p arn has. */
static size_t s_arn_fields(const char *arn) {
    size_t n = 1;
    for (const char *p = arn; (p = strchr(p, ':')) != NULL; p++) {
        n++;
    }
    return n;
}

/* Field @p n (0-based, ':'-separated) of @p arn equals @p want. */
static int s_arn_field_is(const char *arn, unsigned n, const char *want) {
    const char *p = arn;
    for (unsigned i = 0; i < n; i++) {
        p = strchr(p, ':');
        if (p == NULL) {
            return 0;
        }
        p++;
    }
    const char *end = strchr(p, ':');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    return strlen(want) == len && memcmp(p, want, len) == 0;
}

/*
 * Whether a change to @p fn stays inside what was verified: its scope was VERIFIED, the function's own ARN names
 * that scope's account and region (a listing can return ARNs of other accounts or regions, and a change goes to the
 * ARN), and that account is the one STS said the credentials belong to when the caller knows it. Anything else is
 * never acted on.
 */
static int s_in_scope(const struct il_inventory *inv, const struct il_inv_function *fn, const struct il_apply_opts *o) {
    if ((fn->flags & IL_INV_NOT_FOUND) || fn->account == NULL || fn->region == NULL || fn->arn == NULL ||
        !s_verified(inv, fn->account, fn->region) || !il_scope_decl_covers(o->declared, fn->account, fn->region)) {
        return 0;
    }
    /* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME, unqualified (a change goes to the function itself) */
    if (strncmp(fn->arn, "arn:", 4) != 0 || s_arn_fields(fn->arn) != 7 || !s_arn_field_is(fn->arn, 2, "lambda") ||
        !s_arn_field_is(fn->arn, 3, fn->region) || !s_arn_field_is(fn->arn, 4, fn->account) ||
        !s_arn_field_is(fn->arn, 5, "function") || fn->arn[strlen(fn->arn) - 1] == ':') {
        return 0;
    }
    return o->caller_account == NULL || strcmp(o->caller_account, fn->account) == 0;
}

static int s_has_tag(const struct il_inv_function *fn, enum il_scan_type type) {
    return il_inv_function_tag_state(fn, type, NULL) == IL_TAG_EXACT;
}

static enum il_status s_entries(const struct il_ledger *ledger, const struct il_inventory *inv,
                                const struct il_apply_opts *opts, struct s_list *out) {
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        /* an implicit exclusion (reason.implicit) has no tag to add or remove */
        if (!e->arn.valid || e->arn.qualifier != NULL || e->scan_type == IL_SCAN_UNKNOWN ||
            e->implicit_reason != IL_IMPLICIT_NONE || !s_verified(inv, e->arn.account, e->arn.region) ||
            !il_scope_decl_covers(opts->declared, e->arn.account, e->arn.region)) {
            continue;
        }
        const struct il_inv_function *fn = il_inventory_find(inv, e->arn.unqualified);
        if (fn == NULL || (fn->flags & IL_INV_NOT_FOUND)) {
            continue; /* nothing to tag: check reports function-not-found */
        }
        if (!s_in_scope(inv, fn, opts)) {
            continue;
        }
        enum il_entry_status status = il_ledger_entry_status(e, &opts->rules, NULL);
        if (status == IL_ENTRY_UNKNOWN) {
            continue; /* no valid expiry: never act on a guess */
        }
        int tagged = s_has_tag(fn, e->scan_type);
        struct il_apply_action a = {
            .arn = fn->arn,
            .account = fn->account,
            .region = fn->region,
            .key = il_scan_type_tag_key(e->scan_type),
            .value = il_scan_type_tag_value(e->scan_type),
            .line = e->line,
            .entry = e,
        };
        if (status == IL_ENTRY_EXPIRED && tagged) {
            a.kind = IL_APPLY_UNTAG;
            a.why = "entry expired";
            IL_TRY(s_push(out, &a));
        } else if (status != IL_ENTRY_EXPIRED && !tagged) {
            a.kind = IL_APPLY_TAG;
            a.why = "entry active, tag missing";
            IL_TRY(s_push(out, &a));
        }
    }
    return IL_OK;
}

static enum il_status s_unrecorded(const struct il_ledger *ledger, const struct il_inventory *inv,
                                   const struct il_apply_opts *opts, struct s_list *out) {
    static const enum il_scan_type types[] = {IL_SCAN_STANDARD, IL_SCAN_CODE};
    enum il_status st = IL_OK;
    for (size_t i = 0; i < il_inventory_count(inv); i++) {
        const struct il_inv_function *fn = il_inventory_at(inv, i);
        if (!s_in_scope(inv, fn, opts)) {
            continue;
        }
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
            /* any entry, active or not: an expired entry's tag is handled by the entry */
            if (s_has_tag(fn, types[t]) && il_ledger_find(ledger, fn->arn, types[t]) == NULL) {
                struct il_apply_action a = {
                    .kind = IL_APPLY_UNTAG,
                    .arn = fn->arn,
                    .account = fn->account,
                    .region = fn->region,
                    .key = il_scan_type_tag_key(types[t]),
                    .value = il_scan_type_tag_value(types[t]),
                    .why = "no ledger entry",
                };
                if ((st = s_push(out, &a)) != IL_OK) {
                    goto cleanup;
                }
            }
        }
    }
cleanup:
    return st;
}

enum il_status il_apply_plan(const struct il_ledger *ledger, const struct il_inventory *inv,
                             const struct il_apply_opts *opts, struct il_apply_action **actions, size_t *count) {
    struct s_list list = {0};
    enum il_status st = s_entries(ledger, inv, opts, &list);
    if (st == IL_OK && opts->remove_unrecorded) {
        st = s_unrecorded(ledger, inv, opts, &list);
    }
    if (st != IL_OK) {
        free(list.items);
        *actions = NULL;
        *count = 0;
        return st;
    }
    *actions = list.items;
    *count = list.count;
    return IL_OK;
}

size_t il_apply_blocking_errors(const struct il_diags *diags) {
    size_t blocking = 0;
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        const struct il_rule_info *rule = d->rule ? il_rule_find(d->rule) : NULL;
        blocking += d->severity == IL_SEV_ERROR && (rule == NULL || rule->rule != IL_RULE_EXPIRED);
    }
    return blocking;
}
