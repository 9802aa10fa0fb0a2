/* The ledger's git history, revision by revision: how often each exclusion was renewed, when it first appeared. */
#include <stdlib.h>
#include <string.h>

#include "il/ledger/gate.h"
#include "il/rules.h"
#include "ledger/ledger_base.h"
#include "ledger/ledger_git.h"

struct s_tally {
    struct il_history_stat stat;
    int64_t last_expires; /* expires_at days in the latest revision holding it; -1 unknown */
};

struct il_ledger_history {
    struct il_keymap *map; /* key -> index into tallies */
    struct s_tally *tallies;
    size_t count;
    size_t cap;
    size_t revisions;
    int truncated;
};

void il_ledger_history_free(struct il_ledger_history *h) {
    if (h != NULL) {
        il_keymap_free(h->map);
        free(h->tallies);
        free(h);
    }
}

static enum il_status s_add_revision(struct il_ledger_history *h, const struct il_ledger *ledger, long long time) {
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        const char *key = il_ledger_entry_key(e);
        size_t at = 0;
        if (key == NULL) {
            continue;
        }
        if (il_keymap_get(h->map, key, e->scan_type, &at)) {
            struct s_tally *t = &h->tallies[at];
            if (e->expires_at.valid && t->last_expires >= 0 && e->expires_at.days > t->last_expires) {
                t->stat.renewals++;
            }
            if (e->expires_at.valid) {
                t->last_expires = e->expires_at.days;
            }
            continue;
        }
        if (h->count == h->cap) {
            size_t cap = h->cap ? h->cap * 2 : 64;
            struct s_tally *n = realloc(h->tallies, cap * sizeof(*n));
            if (n == NULL) {
                return IL_ERR_NOMEM;
            }
            h->tallies = n;
            h->cap = cap;
        }
        IL_TRY(il_keymap_put(h->map, key, e->scan_type, h->count));
        struct s_tally *t = &h->tallies[h->count++];
        t->stat.renewals = 0;
        t->stat.first_applied_days = e->applied_at.valid ? e->applied_at.days : -1;
        t->stat.first_time = time;
        t->last_expires = e->expires_at.valid ? e->expires_at.days : -1;
    }
    return IL_OK;
}

/* "<40 hex> <unix time>\n" lines, newest first, into @p ids (pointers into @p text) and @p times. */
static size_t s_parse_log(char *text, char **ids, long long *times, size_t max) {
    size_t n = 0;
    for (char *line = text; *line && n < max;) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        char *sp = strchr(line, ' ');
        size_t idlen = strspn(line, "0123456789abcdef");
        if (sp != NULL && (idlen == 40 || idlen == 64) && line + idlen == sp) {
            *sp = '\0';
            ids[n] = line;
            times[n] = strtoll(sp + 1, NULL, 10);
            n++;
        }
        if (nl == NULL) {
            break;
        }
        line = nl + 1;
    }
    return n;
}

enum il_status il_ledger_history_load(const char *ledger_path, const char *rev, size_t max_revisions,
                                      struct il_ledger_history **out, struct il_diags *diags) {
    *out = NULL;
    max_revisions = max_revisions ? max_revisions : 1000;
    struct il_ledger_where w;
    IL_TRY(il_ledger_git_where(ledger_path, rev, &w, diags));
    struct il_ledger_history *h = calloc(1, sizeof(*h));
    char **ids = calloc(max_revisions + 1, sizeof(*ids));
    long long *times = calloc(max_revisions + 1, sizeof(*times));
    struct il_buf log, blob, limit, path;
    il_buf_init(&log, IL_LEDGER_GIT_MAX_OUTPUT);
    il_buf_init(&blob, IL_LEDGER_GIT_MAX_OUTPUT);
    il_buf_init(&limit, 0);
    il_buf_init(&path, 0);
    il_buf_say(&limit, "--max-count=%zu", max_revisions + 1);
    il_buf_say(&path, "./%s", w.file);
    enum il_status st = IL_ERR_NOMEM;
    int ok = 0;
    if (h == NULL || ids == NULL || times == NULL || (h->map = il_keymap_new()) == NULL ||
        il_buf_status(&limit) != IL_OK || il_buf_status(&path) != IL_OK) {
        goto cleanup;
    }
    const char *const args[] = {"log", il_buf_cstr(&limit), "--format=%H %ct", w.commit, "--", il_buf_cstr(&path),
                                NULL};
    if ((st = il_ledger_git(w.dir, args, &log, &ok)) != IL_OK || !ok) {
        if (st != IL_ERR_NOMEM) {
            st = il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), ledger_path, 0, 0, NULL,
                               "git log of `%s` failed: the ledger's history could not be read", ledger_path);
            st = st == IL_OK ? IL_ERR_INVALID : st;
        }
        goto cleanup;
    }
    size_t n = log.data ? s_parse_log(log.data, ids, times, max_revisions + 1) : 0;
    if (n > max_revisions) {
        h->truncated = 1;
        n = max_revisions;
    }
    for (size_t k = n; k-- > 0 && st == IL_OK;) { /* oldest first */
        int exists = 0;
        struct il_ledger *ledger = NULL;
        st = il_ledger_git_show(&w, ids[k], &blob, &exists);
        if (st == IL_OK && exists) {
            st = il_ledger_load_blob_model(&blob, ledger_path, &ledger);
            st = st == IL_ERR_PARSE || st == IL_ERR_LIMIT ? IL_OK : st; /* a revision that did not load is skipped */
        }
        if (st == IL_OK && ledger != NULL) {
            st = s_add_revision(h, ledger, times[k]);
            h->revisions++;
        }
        il_ledger_free(ledger);
    }
    if (st == IL_OK) {
        *out = h;
        h = NULL;
    }
cleanup:
    il_ledger_history_free(h);
    free(ids);
    free(times);
    il_buf_release(&log);
    il_buf_release(&blob);
    il_buf_release(&limit);
    il_buf_release(&path);
    il_ledger_where_release(&w);
    return st;
}

const struct il_history_stat *il_ledger_history_get(const struct il_ledger_history *h, const char *arn,
                                                    enum il_scan_type scan_type) {
    size_t at = 0;
    return h != NULL && il_keymap_get(h->map, arn, scan_type, &at) ? &h->tallies[at].stat : NULL;
}

int il_ledger_history_truncated(const struct il_ledger_history *h) {
    return h->truncated;
}

size_t il_ledger_history_revisions(const struct il_ledger_history *h) {
    return h->revisions;
}
