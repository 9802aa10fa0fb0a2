/*
 * Git evidence for the report: HEAD, the ledger file's last commit, dirty state, and per-entry history from
 * `git blame --porcelain`. git runs through fork/exec with an argv — never a shell — so no path or ledger text can
 * inject a command. Anything git cannot tell us becomes a notice; the report carries on.
 */
#include "il/report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "il/process.h"

#define S_GIT_OUTPUT_LIMIT ((size_t)64 << 20) /* blame of a 64 MiB ledger stays bounded */

enum il_status il_report_git_run(const char *const *argv, struct il_buf *out, int *exit_code) {
    /* a predictable locale, never prompt, and a report must not write to the repository (index refresh) */
    static const char *const env[] = {"LC_ALL", "C", "GIT_TERMINAL_PROMPT", "0", "GIT_OPTIONAL_LOCKS", "0", "GIT_PAGER",
                                      "cat",    NULL};
    const struct il_process_opts opts = {.env = env, .quiet = 1};
    struct il_process_exit end;
    enum il_status st = il_process_run(argv, &opts, out, &end);
    *exit_code = end.code;
    if (end.failed != NULL && strcmp(end.failed, "wait") == 0) {
        return IL_ERR_IO;
    }
    if (st != IL_OK) {
        return st == IL_ERR_LIMIT || st == IL_ERR_NOMEM ? st : IL_ERR_IO;
    }
    return *exit_code == 127 ? IL_ERR_IO : IL_OK;
}

/* The ledger's folder and file name, for `git -C <dir> ... -- <file>`. */
struct s_where {
    char *dir;
    const char *file;
};

static enum il_status s_where(const char *path, struct s_where *w) {
    const char *slash = strrchr(path, '/');
    w->dir = slash ? il_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : il_strdup(".");
    w->file = slash ? slash + 1 : path;
    return w->dir ? IL_OK : IL_ERR_NOMEM;
}

/* Run `git -C dir -c core.fsmonitor=false <args...>`, capture stdout. *ok: git exited 0. */
static enum il_status s_git(const char *dir, const char *const *args, struct il_buf *out, int *ok, int *ran) {
    const char *argv[16];
    size_t n = 0;
    argv[n++] = "git";
    argv[n++] = "-C";
    argv[n++] = dir;
    /* a repository's config must not make a read-only report run programs (fsmonitor hook) */
    argv[n++] = "-c";
    argv[n++] = "core.fsmonitor=false";
    for (size_t i = 0; args[i] != NULL && n < 15; i++) {
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    il_buf_reset(out);
    int code = -1;
    enum il_status st = il_report_git_run(argv, out, &code);
    *ran = st != IL_ERR_IO;
    *ok = st == IL_OK && code == 0;
    return st == IL_ERR_NOMEM ? st : IL_OK;
}

/* The first line of @p text if it is a commit id (hex, 40 or 64 digits), else NULL (in place). */
static const char *s_commit_id(char *text) {
    size_t n = strspn(text, "0123456789abcdef");
    if ((n != 40 && n != 64) || (text[n] != '\n' && text[n] != '\0')) {
        return NULL;
    }
    text[n] = '\0';
    return text;
}

enum il_status il_report_git_stamp(struct il_report *report, const char *ledger_path) {
    if (strcmp(ledger_path, "-") == 0) {
        IL_TRY(il_report_set_git(report, IL_REPORT_GIT_NOT_A_CHECKOUT, NULL, NULL, 0));
        return il_report_add_notice(report, "ledger read from standard input: no git evidence recorded");
    }
    struct s_where w;
    IL_TRY(s_where(ledger_path, &w));
    struct il_buf out;
    il_buf_init(&out, S_GIT_OUTPUT_LIMIT);
    char *head = NULL;
    enum il_status st = IL_OK;
    int ok = 0;
    int ran = 0;
    static const char *const inside[] = {"rev-parse", "--is-inside-work-tree", NULL};
    if ((st = s_git(w.dir, inside, &out, &ok, &ran)) != IL_OK) {
        goto cleanup;
    }
    if (!ran || !ok || strncmp(il_buf_cstr(&out), "true", 4) != 0) {
        enum il_report_git_state state = ran ? IL_REPORT_GIT_NOT_A_CHECKOUT : IL_REPORT_GIT_UNAVAILABLE;
        if ((st = il_report_set_git(report, state, NULL, NULL, 0)) == IL_OK) {
            st = il_report_add_notice(report, ran ? "the ledger is not in a git checkout: no commit recorded"
                                                  : "git could not be run: no commit recorded");
        }
        goto cleanup;
    }
    static const char *const rev[] = {"rev-parse", "--verify", "--quiet", "HEAD", NULL};
    if ((st = s_git(w.dir, rev, &out, &ok, &ran)) != IL_OK) {
        goto cleanup;
    }
    const char *id = ok && out.data ? s_commit_id(out.data) : NULL;
    head = il_strdup(id);
    if (id != NULL && head == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    const char *const log[] = {"log", "-1", "--format=%H", "--", w.file, NULL};
    if ((st = s_git(w.dir, log, &out, &ok, &ran)) != IL_OK) {
        goto cleanup;
    }
    const char *file_commit = ok && out.data ? s_commit_id(out.data) : NULL;
    /* dirty: the reported bytes are not what the recorded commit holds (modified, staged or never committed) */
    int dirty = file_commit == NULL;
    if (file_commit != NULL) {
        char *keep = il_strdup(file_commit);
        if (keep == NULL) {
            st = IL_ERR_NOMEM;
            goto cleanup;
        }
        const char *const status[] = {"status", "--porcelain", "--", w.file, NULL};
        st = s_git(w.dir, status, &out, &ok, &ran);
        dirty = st == IL_OK && (!ok || out.len > 0);
        if (st == IL_OK) {
            st = il_report_set_git(report, IL_REPORT_GIT_OK, head, keep, dirty);
        }
        free(keep);
    } else {
        st = il_report_set_git(report, IL_REPORT_GIT_OK, head, NULL, 1);
    }
    if (st == IL_OK && dirty) {
        st = il_report_add_notice(report, file_commit ? "the ledger file has uncommitted changes: the report does "
                                                        "not match its last commit"
                                                      : "the ledger file has never been committed");
    }

cleanup:
    free(head);
    free(w.dir);
    il_buf_release(&out);
    return st;
}

/* One commit seen in blame output. */
struct s_commit {
    char id[65];
    char *author;
    char *mail;
    long long author_time;
    long long committer_time;
    char *summary;
};

struct s_blame {
    struct s_commit *commits;
    size_t n_commits;
    size_t cap_commits;
    size_t *line_commit; /* final line - first -> index into commits + 1; 0 unknown */
    unsigned first;
    unsigned last;
};

static void s_blame_release(struct s_blame *b) {
    for (size_t i = 0; i < b->n_commits; i++) {
        free(b->commits[i].author);
        free(b->commits[i].mail);
        free(b->commits[i].summary);
    }
    free(b->commits);
    free(b->line_commit);
}

static int s_is_zero(const char *id) {
    return id[strspn(id, "0")] == '\0';
}

/* Porcelain header "<id> <orig> <final>[ <n>]": returns the commit index (adding it), or -1 if not a header. */
static long s_blame_header(struct s_blame *b, const char *line, size_t len, unsigned *final_line) {
    size_t n = strspn(line, "0123456789abcdef");
    if ((n != 40 && n != 64) || n >= len || line[n] != ' ') {
        return -1;
    }
    const char *p = line + n + 1;
    char *end = NULL;
    (void)strtoull(p, &end, 10);
    if (end == p || *end != ' ') {
        return -1;
    }
    p = end + 1;
    unsigned long long fl = strtoull(p, &end, 10);
    if (end == p || fl == 0 || fl > 0xffffffffu) {
        return -1;
    }
    *final_line = (unsigned)fl;
    for (size_t i = 0; i < b->n_commits; i++) {
        if (strncmp(b->commits[i].id, line, n) == 0 && b->commits[i].id[n] == '\0') {
            return (long)i;
        }
    }
    if (b->n_commits == b->cap_commits) {
        size_t cap = b->cap_commits ? b->cap_commits * 2 : 8;
        struct s_commit *c = realloc(b->commits, cap * sizeof(*c));
        if (c == NULL) {
            return -2;
        }
        b->commits = c;
        b->cap_commits = cap;
    }
    struct s_commit *c = &b->commits[b->n_commits];
    memset(c, 0, sizeof(*c));
    memcpy(c->id, line, n);
    c->id[n] = '\0';
    return (long)b->n_commits++;
}

/* Parse `git blame --porcelain` output into per-line commits. */
static enum il_status s_blame_parse(struct s_blame *b, const char *text) {
    long cur = -1;
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        unsigned final_line = 0;
        long idx = text[0] == '\t' ? -1 : s_blame_header(b, text, len, &final_line);
        if (idx == -2) {
            return IL_ERR_NOMEM;
        }
        if (idx >= 0) {
            cur = idx;
            if (final_line >= b->first && final_line <= b->last) {
                b->line_commit[final_line - b->first] = (size_t)idx + 1;
            }
        } else if (cur >= 0 && text[0] != '\t') {
            struct s_commit *c = &b->commits[cur];
            char **field = NULL;
            size_t skip = 0;
            if (len > 7 && strncmp(text, "author ", 7) == 0) {
                field = &c->author, skip = 7;
            } else if (len > 12 && strncmp(text, "author-mail ", 12) == 0) {
                field = &c->mail, skip = 12;
            } else if (len > 8 && strncmp(text, "summary ", 8) == 0) {
                field = &c->summary, skip = 8;
            } else if (len > 12 && strncmp(text, "author-time ", 12) == 0) {
                c->author_time = strtoll(text + 12, NULL, 10);
            } else if (len > 15 && strncmp(text, "committer-time ", 15) == 0) {
                c->committer_time = strtoll(text + 15, NULL, 10);
            }
            if (field != NULL && *field == NULL) {
                const char *v = text + skip;
                size_t vlen = len - skip;
                if (field == &c->mail && vlen >= 2 && v[0] == '<' && v[vlen - 1] == '>') {
                    v++, vlen -= 2;
                }
                if ((*field = il_strndup(v, vlen)) == NULL) {
                    return IL_ERR_NOMEM;
                }
            }
        }
        text = nl ? nl + 1 : text + len;
    }
    return IL_OK;
}

/* The newest committed commit among lines [start, end], and whether any line there is uncommitted. */
static enum il_status s_row_history(struct il_report *report, size_t row_index, const struct s_blame *b, unsigned start,
                                    unsigned end) {
    const struct s_commit *best = NULL;
    int uncommitted = 0;
    for (unsigned line = start; line <= end; line++) {
        size_t ci = line >= b->first && line <= b->last ? b->line_commit[line - b->first] : 0;
        if (ci == 0) {
            continue;
        }
        const struct s_commit *c = &b->commits[ci - 1];
        if (s_is_zero(c->id)) {
            uncommitted = 1;
        } else if (best == NULL || c->committer_time > best->committer_time) {
            best = c;
        }
    }
    if (best == NULL && !uncommitted) {
        return IL_OK;
    }
    char date[32] = "";
    if (best != NULL) {
        time_t t = (time_t)best->author_time;
        struct tm tm;
        if (gmtime_r(&t, &tm) != NULL) {
            strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
        }
    }
    struct il_report_history h = {
        .commit = best ? best->id : NULL,
        .author = best ? best->author : NULL,
        .author_mail = best ? best->mail : NULL,
        .date = best && date[0] ? date : NULL,
        .summary = best ? best->summary : NULL,
        .uncommitted = uncommitted,
    };
    return il_report_set_history(report, row_index, &h);
}

enum il_status il_report_git_history(struct il_report *report, const char *ledger_path) {
    il_report_request_history(report);
    const struct il_report_stamp *stamp = il_report_stamp(report);
    if (stamp->git_state != IL_REPORT_GIT_OK) {
        return il_report_add_notice(report, "history not available: the ledger is not in a git checkout");
    }
    unsigned first = 0;
    unsigned last = 0;
    size_t n = il_report_row_count(report);
    for (size_t i = 0; i < n; i++) {
        const struct il_report_entry *e = &il_report_row_at(report, i)->entry;
        if (e->line_start == 0 || e->line_end < e->line_start) {
            continue;
        }
        first = first == 0 || e->line_start < first ? e->line_start : first;
        last = e->line_end > last ? e->line_end : last;
    }
    if (first == 0) {
        return il_report_add_notice(report, "history not available: entries have no line ranges");
    }
    struct s_where w;
    IL_TRY(s_where(ledger_path, &w));
    struct il_buf out;
    il_buf_init(&out, S_GIT_OUTPUT_LIMIT);
    struct s_blame b;
    memset(&b, 0, sizeof(b));
    b.first = first;
    b.last = last;
    enum il_status st = IL_OK;
    char range[48];
    /* one blame over the span of all entries, sliced per entry: one git process, not one per entry */
    snprintf(range, sizeof(range), "%u,%u", first, last);
    const char *const blame[] = {"blame", "--porcelain", "-L", range, "--", w.file, NULL};
    int ok = 0;
    int ran = 0;
    b.line_commit = calloc((size_t)(last - first) + 1, sizeof(size_t));
    if (b.line_commit == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    if ((st = s_git(w.dir, blame, &out, &ok, &ran)) != IL_OK) {
        goto cleanup;
    }
    if (!ok) {
        st = il_report_add_notice(report, "history not available: git blame failed for the ledger file");
        goto cleanup;
    }
    if ((st = s_blame_parse(&b, il_buf_cstr(&out))) != IL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < n && st == IL_OK; i++) {
        const struct il_report_entry *e = &il_report_row_at(report, i)->entry;
        if (e->line_start != 0 && e->line_end >= e->line_start) {
            st = s_row_history(report, i, &b, e->line_start, e->line_end);
        }
    }

cleanup:
    s_blame_release(&b);
    il_buf_release(&out);
    free(w.dir);
    return st;
}
