/**
 * What AWS showed: the Lambda functions seen in each account and region, their tags and configuration, and which
 * account/region scopes were fully verified. Collected by the audit layer, read by the drift rules and reports.
 *
 * All strings are copied on add and owned by the inventory; returned pointers are borrowed until il_inventory_free().
 */
#ifndef IL_INVENTORY_H
#define IL_INVENTORY_H

#include <stddef.h>

#include "il/buf.h"
#include "il/ledger.h"
#include "il/status.h"

enum il_inv_flags {
    IL_INV_CONFIG_KNOWN = 1u << 0,  /* runtime and KMS key come from ListFunctions/GetFunction */
    IL_INV_TAGS_COMPLETE = 1u << 1, /* every tag is known (ListTags), not only the exclusion keys (tagging filter) */
    IL_INV_NOT_FOUND = 1u << 2,     /* GetFunction confirmed that the function does not exist */
};

struct il_inv_tag {
    const char *key;
    const char *value;
};

struct il_inv_function {
    const char *account;
    const char *region;
    const char *arn; /* unqualified function ARN */
    const char *name;
    const char *runtime;       /* NULL for container images or when unknown */
    const char *kms_key_arn;   /* customer managed key, NULL when the AWS managed key is used or unknown */
    const char *last_modified; /* LastModified ("2026-01-15T10:00:00.000+0000"), NULL when unknown */
    const struct il_inv_tag *tags;
    size_t tag_count;
    unsigned flags; /* enum il_inv_flags */
};

enum il_scope_state {
    IL_SCOPE_VERIFIED, /* every call for this account/region succeeded */
    IL_SCOPE_FAILED,   /* some call failed after retries: findings for it are incomplete */
    IL_SCOPE_SKIPPED,  /* deliberately not examined (region not enabled, out of scope) */
};

struct il_scope {
    const char *account;
    const char *region;
    enum il_scope_state state;
    const char *reason; /* why failed/skipped; NULL when verified */
};

struct il_inventory;

/** New, empty inventory (NULL on out of memory); free with il_inventory_free(), which accepts NULL. */
struct il_inventory *il_inventory_new(void);
void il_inventory_free(struct il_inventory *inv);

/**
 * Add what one source saw of a function. A function already present (same ARN) is merged: tags are unioned (a later
 * value for the same key wins), configuration and flags are added. @p fn and its strings are copied.
 */
IL_MUST_CHECK enum il_status il_inventory_add(struct il_inventory *inv, const struct il_inv_function *fn);
/** Record that GetFunction found no function at @p arn in @p account/@p region. */
IL_MUST_CHECK enum il_status il_inventory_mark_not_found(struct il_inventory *inv, const char *account,
                                                         const char *region, const char *arn);
/**
 * Record the state of an account/region scope. A FAILED state is sticky: a later VERIFIED for the same scope does not
 * clear it (one failed call is enough to make a scope unverified). @p reason is copied (may be NULL).
 */
IL_MUST_CHECK enum il_status il_inventory_set_scope(struct il_inventory *inv, const char *account, const char *region,
                                                    enum il_scope_state state, const char *reason);

size_t il_inventory_count(const struct il_inventory *inv);
const struct il_inv_function *il_inventory_at(const struct il_inventory *inv, size_t i);
/** The function with this ARN, or NULL. */
const struct il_inv_function *il_inventory_find(const struct il_inventory *inv, const char *arn);
/** Value of tag @p key on @p fn (exact key), or NULL. */
const char *il_inv_function_tag(const struct il_inv_function *fn, const char *key);

/* ---- exclusion tags: the one place that decides whether a tag is the exclusion Inspector honours ---- */

enum il_tag_state {
    IL_TAG_ABSENT = 0,     /* no tag with the scan type's exclusion key, in any letter case */
    IL_TAG_EXACT,          /* the exact key with the exact value: Inspector skips that scan */
    IL_TAG_WRONG_VALUE,    /* the exact key with another value: Inspector ignores it */
    IL_TAG_WRONG_CASE_KEY, /* the key in another letter case: Inspector ignores it */
};

/** How one tag relates to @p type's exclusion tag (ABSENT for IL_SCAN_UNKNOWN or an unrelated key). */
enum il_tag_state il_inv_tag_state(const struct il_inv_tag *tag, enum il_scan_type type);
/**
 * How @p fn carries @p type's exclusion: the exact key decides (EXACT or WRONG_VALUE); otherwise its first tag whose
 * key differs only in case (WRONG_CASE_KEY); otherwise ABSENT. *which (when not NULL) gets that tag (borrowed), or
 * NULL. A function can hold several case variants: il_inv_tag_state() over fn->tags finds each.
 */
enum il_tag_state il_inv_function_tag_state(const struct il_inv_function *fn, enum il_scan_type type,
                                            const struct il_inv_tag **which);

size_t il_inventory_scope_count(const struct il_inventory *inv);
const struct il_scope *il_inventory_scope_at(const struct il_inventory *inv, size_t i);
/** The scope record for account/region, or NULL when it was never examined. */
const struct il_scope *il_inventory_scope(const struct il_inventory *inv, const char *account, const char *region);

#endif
