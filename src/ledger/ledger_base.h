/* The ledger in git, shared by ledger_base.c, ledger_history.c and ledger_gate*.c (src/ledger/ only). */
#ifndef IL_LEDGER_BASE_H
#define IL_LEDGER_BASE_H

#include "il/buf.h"
#include "il/ledger.h"

/** Where the ledger lives: its folder (git -C), its file name there, and the commit a ref resolved to. */
struct il_ledger_where {
    char *dir;        /* owned */
    const char *file; /* borrowed from the path */
    char commit[65];  /* "" when no ref was asked for */
};

/** Check that @p ledger_path is in a work tree and, when @p ref is not NULL, resolve it to a commit. Located
 *  "gate-not-verified" diagnostics and IL_ERR_INVALID (no repository, no git) / IL_ERR_NOTFOUND (no such ref). */
IL_MUST_CHECK enum il_status il_ledger_git_where(const char *ledger_path, const char *ref, struct il_ledger_where *w,
                                                 struct il_diags *diags);
void il_ledger_where_release(struct il_ledger_where *w);

/** The file's bytes at @p rev into @p out; *exists 0 when @p rev holds no such file. */
IL_MUST_CHECK enum il_status il_ledger_git_show(const struct il_ledger_where *w, const char *rev, struct il_buf *out,
                                                int *exists);

/** Load a ledger from bytes git gave, its own diagnostics discarded. */
IL_MUST_CHECK enum il_status il_ledger_load_blob(const struct il_buf *blob, const char *name,
                                                 const struct il_ledger_schema *schema, struct il_ledger **out);
/** The model only (YAML -> model, no schema pass): what the history walk needs (keys and dates), at half the cost. */
IL_MUST_CHECK enum il_status il_ledger_load_blob_model(const struct il_buf *blob, const char *name,
                                                       struct il_ledger **out);

/* ---- a map from (unqualified function ARN, scan type) to a number: the base's entry, a history tally ---- */

struct il_keymap;

/** A new empty map (keys are copied). NULL on out of memory. */
struct il_keymap *il_keymap_new(void);
void il_keymap_free(struct il_keymap *map);
/** Set the value of the key; IL_ERR_INVALID when it is already there (the first one wins). */
IL_MUST_CHECK enum il_status il_keymap_put(struct il_keymap *map, const char *arn, enum il_scan_type scan_type,
                                           size_t value);
/** 1 and *value when the key is there. */
int il_keymap_get(const struct il_keymap *map, const char *arn, enum il_scan_type scan_type, size_t *value);
/** The key of @p e: the unqualified ARN when it parses, else the ARN as written; NULL when there is none. */
const char *il_ledger_entry_key(const struct il_ledger_entry *e);

#endif
