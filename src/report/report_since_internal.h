/* Shared between report_since*.c only (not a public interface). */
#ifndef IL_REPORT_SINCE_INTERNAL_H
#define IL_REPORT_SINCE_INTERNAL_H

#include "il/report/since.h"

/* The section while it is built: the public view first, so a struct il_report_since * is this object. */
struct il_since_build {
    struct il_report_since pub;
    struct il_since_change *changes;
    struct il_since_tag *tags;
    size_t cap_tags;
    struct il_since_aging *aging;
    struct il_since_team *teams;
    char **arena; /* every string the section owns */
    size_t n_arena;
    size_t cap_arena;
    int failed; /* out of memory while copying a string */
};

/** Copy @p s into the section (NULL stays NULL; sets b->failed on out of memory). */
const char *il_since_keep(struct il_since_build *b, const char *s);

/**
 * Read the `apply --log` change log at @p path (JSON lines, at most 64 MiB and 1,000,000 lines) and keep the lines at
 * or after @p since_time (Unix seconds). A line that is not a JSON object of the expected shape is a located
 * diagnostic (file:line:col) and IL_ERR_INVALID; an unreadable file IL_ERR_NOTFOUND / IL_ERR_IO.
 */
IL_MUST_CHECK enum il_status il_since_read_log(struct il_since_build *b, const char *path, long long since_time,
                                               struct il_diags *diags);

/** "2026-11-30T10:00:00Z" / "...+02:00" / "2026-11-30" to Unix seconds; 0 on success. */
int il_since_parse_time(const char *text, long long *out);

#endif
