/**
 * Private to src/aws: a small, bounded parser for the AWS shared config and credentials files (the INI dialect
 * botocore reads with configparser: `[section]`, `key = value`, whole-line `#`/`;` comments, keys case-insensitive,
 * `key =` followed by indented `sub = value` lines is a nested sub-setting, stored as key "key.sub", as botocore's
 * _parse_nested reads `[services NAME]` sections; other indented lines are skipped).
 *
 * The files hold secrets, so struct il_ini keeps one private copy of the text and il_ini_free() wipes it.
 */
#ifndef IL_AWS_INI_H
#define IL_AWS_INI_H

#include <stddef.h>

#include "il/buf.h"
#include "il/status.h"

#define IL_INI_MAX_BYTES ((size_t)1 << 20) /* 1 MiB: far beyond any real config file */
#define IL_INI_MAX_ENTRIES 20000u

struct il_ini;

/** Parse @p len bytes of @p text (copied). @p name (a path) is used only in the reason appended to @p why on
 *  IL_ERR_PARSE ("<name>:<line>:<col>: ..."); IL_ERR_LIMIT past the bounds; IL_ERR_NOMEM. *out: caller frees. */
IL_MUST_CHECK enum il_status il_ini_parse(const char *text, size_t len, const char *name, struct il_ini **out,
                                          struct il_buf *why);
/** Read and parse the file at @p path. IL_ERR_NOTFOUND when it does not exist (nothing appended to @p why). */
IL_MUST_CHECK enum il_status il_ini_load(const char *path, struct il_ini **out, struct il_buf *why);
/** Wipe and free; accepts NULL. */
void il_ini_free(struct il_ini *ini);
/** Whether section @p section ("default", "profile dev") exists. */
int il_ini_has_section(const struct il_ini *ini, const char *section);
/** The value of @p key (lower case) in @p section, borrowed from @p ini, or NULL. The last assignment wins. */
const char *il_ini_get(const struct il_ini *ini, const char *section, const char *key);

/** il_ini_get(), also giving the 1-based line of the winning assignment in *line (may be NULL). */
const char *il_ini_get_line(const struct il_ini *ini, const char *section, const char *key, size_t *line);

#endif
