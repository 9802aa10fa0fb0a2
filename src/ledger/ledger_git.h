/* git for the ledger's change-aware rules (src/ledger/ only): argv through il_process_run(), never a shell. */
#ifndef IL_LEDGER_GIT_H
#define IL_LEDGER_GIT_H

#include "il/buf.h"
#include "il/status.h"

/** Output bound of one git call: a 64 MiB ledger at a revision, or its `git log -L`. */
#define IL_LEDGER_GIT_MAX_OUTPUT ((size_t)64 << 20)

/**
 * Run `git -C @p dir -c core.fsmonitor=false ARGS...` (@p args NULL-terminated, at most 24) with a C locale, no
 * prompt and no optional locks, and replace @p out with its standard output. *ok: git ran and exited 0. Returns
 * IL_ERR_IO when git could not be run at all, IL_ERR_LIMIT past the output or time bound (60 s), IL_ERR_NOMEM.
 */
IL_MUST_CHECK enum il_status il_ledger_git(const char *dir, const char *const *args, struct il_buf *out, int *ok);

/** The folder of @p path ("." when it has none) and its last component; *dir is owned by the caller. */
IL_MUST_CHECK enum il_status il_ledger_git_split(const char *path, char **dir, const char **file);

/** The top of the work tree holding @p dir (owned by the caller), or NULL when @p dir is not in one (IL_OK). */
IL_MUST_CHECK enum il_status il_ledger_git_root(const char *dir, char **root);

#endif
