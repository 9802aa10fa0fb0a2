/* The report model: rows with derived status and days left, the summary, the evidence stamp. Decides; never prints. */
#include "il/report/report.h"

#include <stdlib.h>
#include <string.h>

#include "il/date.h"
#include "il/report/since.h"

/* "YYYY-MM-DD" to days since 1970-01-01. */
static enum il_status s_day(const char *text, long *days) {
    struct il_date d;
    IL_TRY(il_date_parse_str(text, &d));
    *days = (long)il_date_to_days(&d);
    return IL_OK;
}

const int il_report_windows[IL_REPORT_WINDOW_COUNT] = {30, 60, 90};

struct il_report {
    struct il_report_stamp stamp;
    struct il_report_summary summary;
    struct il_report_row *rows;
    size_t n_rows;
    size_t cap_rows;
    struct il_report_history *histories; /* parallel to rows, allocated on first use */
    struct il_report_live_row *lives;    /* parallel to rows, allocated by il_report_live_enable */
    struct il_report_count *teams;
    struct il_report_count *scan_types;
    const char **notices;
    size_t n_notices;
    size_t cap_notices;
    struct il_report_unrecorded *unrecorded;
    size_t n_unrecorded;
    size_t cap_unrecorded;
    const char *live_scope;
    struct il_report_coverage coverage; /* the summary lives in the arena; valid when has_coverage */
    int has_coverage;
    struct il_report_scope *scopes;
    size_t n_scopes;
    size_t cap_scopes;
    const char **unverified;
    size_t n_unverified;
    size_t cap_unverified;
    struct il_diags *problems;
    struct il_report_since *since; /* --since REF (report_since.c) */
    char **arena;                  /* every string the report owns */
    size_t n_arena;
    size_t cap_arena;
};

/* Grow an array of @p size-byte items to hold one more. */
static enum il_status s_grow(void **items, size_t *cap, size_t count, size_t size) {
    if (count < *cap) {
        return IL_OK;
    }
    size_t ncap = *cap ? *cap * 2 : 8;
    if (ncap > ((size_t)-1) / size) {
        return IL_ERR_LIMIT;
    }
    void *p = realloc(*items, ncap * size);
    if (p == NULL) {
        return IL_ERR_NOMEM;
    }
    *items = p;
    *cap = ncap;
    return IL_OK;
}

/* Copy @p s into the report's arena; NULL stays NULL. *failed is set on out of memory. */
static const char *s_keepn(struct il_report *r, const char *s, size_t len, int *failed) {
    if (s == NULL || *failed) {
        return NULL;
    }
    void *arena = r->arena;
    if (s_grow(&arena, &r->cap_arena, r->n_arena, sizeof(char *)) != IL_OK) {
        *failed = 1;
        return NULL;
    }
    r->arena = arena;
    char *copy = il_strndup(s, len);
    if (copy == NULL) {
        *failed = 1;
        return NULL;
    }
    r->arena[r->n_arena++] = copy;
    return copy;
}

static const char *s_keep(struct il_report *r, const char *s, int *failed) {
    return s == NULL ? NULL : s_keepn(r, s, strlen(s), failed);
}

enum il_status il_report_new(const struct il_report_opts *opts, struct il_report **out) {
    *out = NULL;
    long as_of_day = 0;
    if (opts == NULL || opts->warn_days < 0 || s_day(opts->as_of, &as_of_day) != IL_OK) {
        return IL_ERR_INVALID;
    }
    struct il_report *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return IL_ERR_NOMEM;
    }
    int failed = 0;
    r->problems = il_diags_new();
    r->stamp.as_of = s_keep(r, opts->as_of, &failed);
    r->stamp.as_of_day = as_of_day;
    r->stamp.warn_days = opts->warn_days;
    r->stamp.tool_version = IL_VERSION;
    if (failed || r->problems == NULL) {
        il_report_free(r);
        return IL_ERR_NOMEM;
    }
    *out = r;
    return IL_OK;
}

void il_report_free(struct il_report *report) {
    if (report == NULL) {
        return;
    }
    for (size_t i = 0; i < report->n_arena; i++) {
        free(report->arena[i]);
    }
    free(report->arena);
    /* control arrays were allocated per row; their strings live in the arena */
    for (size_t i = 0; i < report->n_rows; i++) {
        union {
            const char *const *c;
            void *m;
        } u = {.c = report->rows[i].entry.compensating_controls};
        free(u.m);
    }
    free(report->rows);
    free(report->histories);
    free(report->lives);
    free(report->teams);
    free(report->scan_types);
    free(report->notices);
    free(report->unrecorded);
    free(report->scopes);
    free(report->unverified);
    il_diags_free(report->problems);
    il_report_since_free(report->since);
    free(report);
}

void il_report_set_since(struct il_report *report, struct il_report_since *since) {
    il_report_since_free(report->since);
    report->since = since;
}

const struct il_report_since *il_report_get_since(const struct il_report *report) {
    return report->since;
}

/* "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME": pick out partition, region and account. */
static void s_split_arn(struct il_report *r, struct il_report_row *row, int *failed) {
    const char *arn = row->entry.function_arn ? row->entry.function_arn : "";
    const char *parts[5] = {NULL};
    size_t lens[5] = {0};
    const char *p = arn;
    size_t n = 0;
    while (n < 5) {
        const char *colon = strchr(p, ':');
        if (colon == NULL) {
            break;
        }
        parts[n] = p;
        lens[n] = (size_t)(colon - p);
        n++;
        p = colon + 1;
    }
    if (n == 5 && lens[0] == 3 && memcmp(parts[0], "arn", 3) == 0) {
        row->partition = s_keepn(r, parts[1], lens[1], failed);
        row->region = s_keepn(r, parts[3], lens[3], failed);
        row->account = s_keepn(r, parts[4], lens[4], failed);
    } else {
        row->partition = row->region = row->account = "";
    }
}

enum il_status il_report_add_entry(struct il_report *report, const struct il_report_entry *in) {
    struct il_report_row row;
    memset(&row, 0, sizeof(row));
    if (in->typed != NULL) {
        const struct il_ledger_entry *e = in->typed;
        if (!e->applied_at.valid || !e->expires_at.valid || !e->next_review_at.valid) {
            return IL_ERR_INVALID;
        }
        row.applied_day = (long)e->applied_at.days;
        row.expires_day = (long)e->expires_at.days;
        row.review_day = (long)e->next_review_at.days;
    } else if (s_day(in->applied_at, &row.applied_day) != IL_OK || s_day(in->expires_at, &row.expires_day) != IL_OK ||
               s_day(in->next_review_at, &row.review_day) != IL_OK) {
        return IL_ERR_INVALID;
    }
    void *rows = report->rows;
    enum il_status st = s_grow(&rows, &report->cap_rows, report->n_rows, sizeof(struct il_report_row));
    if (st != IL_OK) {
        return st;
    }
    report->rows = rows;
    int failed = 0;
    const char **controls = NULL;
    if (in->n_compensating_controls > 0) {
        controls = calloc(in->n_compensating_controls, sizeof(*controls));
        if (controls == NULL) {
            return IL_ERR_NOMEM;
        }
        for (size_t i = 0; i < in->n_compensating_controls; i++) {
            controls[i] = s_keep(report, in->compensating_controls[i], &failed);
        }
    }
    row.entry.compensating_controls = controls;
    row.entry.n_compensating_controls = in->n_compensating_controls;
    row.entry.function_name = s_keep(report, in->function_name, &failed);
    row.entry.function_arn = s_keep(report, in->function_arn, &failed);
    row.entry.scan_type = s_keep(report, in->scan_type, &failed);
    row.entry.tag_key = s_keep(report, in->tag_key, &failed);
    row.entry.tag_value = s_keep(report, in->tag_value, &failed);
    row.entry.reason_summary = s_keep(report, in->reason_summary, &failed);
    row.entry.ticket = s_keep(report, in->ticket, &failed);
    row.entry.team = s_keep(report, in->team, &failed);
    row.entry.approved_by = s_keep(report, in->approved_by, &failed);
    row.entry.applied_by = s_keep(report, in->applied_by, &failed);
    row.entry.applied_at = s_keep(report, in->applied_at, &failed);
    row.entry.expires_at = s_keep(report, in->expires_at, &failed);
    row.entry.next_review_at = s_keep(report, in->next_review_at, &failed);
    row.entry.line_start = in->line_start;
    row.entry.line_end = in->line_end;
    s_split_arn(report, &row, &failed);
    if (failed) {
        free(controls);
        return IL_ERR_NOMEM;
    }
    row.index = report->n_rows + 1;
    row.days_left = row.expires_day - report->stamp.as_of_day;
    row.days_to_review = row.review_day - report->stamp.as_of_day;
    row.status = (enum il_report_status)il_entry_status_at(row.days_left, 1, row.days_to_review,
                                                           (unsigned)report->stamp.warn_days);
    report->rows[report->n_rows++] = row;
    return IL_OK;
}

enum il_status il_report_set_ledger(struct il_report *report, const char *path, const char *sha256) {
    int failed = 0;
    report->stamp.ledger_path = s_keep(report, path, &failed);
    report->stamp.ledger_sha256 = s_keep(report, sha256, &failed);
    return failed ? IL_ERR_NOMEM : IL_OK;
}

enum il_status il_report_set_git(struct il_report *report, enum il_report_git_state state, const char *head,
                                 const char *file_commit, int dirty) {
    int failed = 0;
    report->stamp.git_state = state;
    report->stamp.git_head = s_keep(report, head, &failed);
    report->stamp.git_file_commit = s_keep(report, file_commit, &failed);
    report->stamp.git_dirty = dirty;
    return failed ? IL_ERR_NOMEM : IL_OK;
}

void il_report_request_history(struct il_report *report) {
    report->stamp.history_requested = 1;
}

enum il_status il_report_set_history(struct il_report *report, size_t index, const struct il_report_history *h) {
    if (index >= report->n_rows) {
        return IL_ERR_INVALID;
    }
    if (report->histories == NULL) {
        report->histories = calloc(report->n_rows, sizeof(*report->histories));
        if (report->histories == NULL) {
            return IL_ERR_NOMEM;
        }
    }
    int failed = 0;
    struct il_report_history *dst = &report->histories[index];
    dst->commit = s_keep(report, h->commit, &failed);
    dst->author = s_keep(report, h->author, &failed);
    dst->author_mail = s_keep(report, h->author_mail, &failed);
    dst->date = s_keep(report, h->date, &failed);
    dst->summary = s_keep(report, h->summary, &failed);
    dst->uncommitted = h->uncommitted;
    if (failed) {
        return IL_ERR_NOMEM;
    }
    report->rows[index].history = dst;
    return IL_OK;
}

enum il_status il_report_add_notice(struct il_report *report, const char *notice) {
    void *items = report->notices;
    IL_TRY(s_grow(&items, &report->cap_notices, report->n_notices, sizeof(char *)));
    report->notices = items;
    int failed = 0;
    const char *copy = s_keep(report, notice, &failed);
    if (failed) {
        return IL_ERR_NOMEM;
    }
    report->notices[report->n_notices++] = copy;
    return IL_OK;
}

enum il_status il_report_add_problem(struct il_report *report, const struct il_diag *diag) {
    return il_diags_add(report->problems, diag);
}

enum il_status il_report_live_enable(struct il_report *report, const char *scope) {
    if (report->lives == NULL && report->n_rows > 0) {
        report->lives = calloc(report->n_rows, sizeof(*report->lives));
        if (report->lives == NULL) {
            return IL_ERR_NOMEM;
        }
        for (size_t i = 0; i < report->n_rows; i++) {
            report->rows[i].live = &report->lives[i]; /* all UNKNOWN until check fills them */
        }
    }
    int failed = 0;
    report->live_scope = s_keep(report, scope ? scope : "", &failed);
    return failed ? IL_ERR_NOMEM : IL_OK;
}

enum il_status il_report_live_set_row(struct il_report *report, size_t index, const struct il_report_live_row *live) {
    if (report->live_scope == NULL || index >= report->n_rows) {
        return IL_ERR_INVALID;
    }
    int failed = 0;
    struct il_report_live_row *dst = &report->lives[index];
    *dst = *live;
    dst->runtime = s_keep(report, live->runtime, &failed);
    dst->note = s_keep(report, live->note, &failed);
    dst->deprecated_on = s_keep(report, live->deprecated_on, &failed);
    dst->kms_key_arn = s_keep(report, live->kms_key_arn, &failed);
    return failed ? IL_ERR_NOMEM : IL_OK;
}

enum il_status il_report_live_add_unrecorded(struct il_report *report, const struct il_report_unrecorded *u) {
    if (report->live_scope == NULL) {
        return IL_ERR_INVALID;
    }
    void *items = report->unrecorded;
    IL_TRY(s_grow(&items, &report->cap_unrecorded, report->n_unrecorded, sizeof(*u)));
    report->unrecorded = items;
    int failed = 0;
    struct il_report_unrecorded copy = {
        .function_arn = s_keep(report, u->function_arn, &failed),
        .account = s_keep(report, u->account, &failed),
        .region = s_keep(report, u->region, &failed),
        .scan_type = s_keep(report, u->scan_type, &failed),
        .tag_key = s_keep(report, u->tag_key, &failed),
        .tag_value = s_keep(report, u->tag_value, &failed),
        .function_name = s_keep(report, u->function_name, &failed),
        .honoured = u->honoured,
    };
    if (failed) {
        return IL_ERR_NOMEM;
    }
    report->unrecorded[report->n_unrecorded++] = copy;
    return IL_OK;
}

enum il_status il_report_live_add_scope(struct il_report *report, const struct il_report_scope *scope) {
    if (report->live_scope == NULL) {
        return IL_ERR_INVALID;
    }
    void *items = report->scopes;
    IL_TRY(s_grow(&items, &report->cap_scopes, report->n_scopes, sizeof(*scope)));
    report->scopes = items;
    int failed = 0;
    struct il_report_scope copy = {
        .account = s_keep(report, scope->account, &failed),
        .region = s_keep(report, scope->region, &failed),
        .state = scope->state,
        .reason = s_keep(report, scope->reason, &failed),
    };
    if (failed) {
        return IL_ERR_NOMEM;
    }
    report->scopes[report->n_scopes++] = copy;
    return IL_OK;
}

enum il_status il_report_live_add_unverified(struct il_report *report, const char *what) {
    if (report->live_scope == NULL) {
        return IL_ERR_INVALID;
    }
    void *items = report->unverified;
    IL_TRY(s_grow(&items, &report->cap_unverified, report->n_unverified, sizeof(char *)));
    report->unverified = items;
    int failed = 0;
    const char *copy = s_keep(report, what ? what : "", &failed);
    if (failed) {
        return IL_ERR_NOMEM;
    }
    report->unverified[report->n_unverified++] = copy;
    return IL_OK;
}

static int s_count_cmp(const void *a, const void *b) {
    const struct il_report_count *x = a;
    const struct il_report_count *y = b;
    return strcmp(x->name, y->name);
}

/* Count rows per distinct value of a field (selected by @p pick); result sorted by name. */
static enum il_status s_tally(const struct il_report *r, const char *(*pick)(const struct il_report_row *),
                              struct il_report_count **out, size_t *n_out) {
    *out = NULL;
    *n_out = 0;
    if (r->n_rows == 0) {
        return IL_OK;
    }
    struct il_report_count *counts = calloc(r->n_rows, sizeof(*counts));
    if (counts == NULL) {
        return IL_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const char *name = pick(&r->rows[i]);
        name = name ? name : "";
        size_t j = 0;
        while (j < n && strcmp(counts[j].name, name) != 0) {
            j++;
        }
        if (j == n) {
            counts[n].name = name;
            n++;
        }
        counts[j].count++;
    }
    qsort(counts, n, sizeof(*counts), s_count_cmp);
    *out = counts;
    *n_out = n;
    return IL_OK;
}

static const char *s_pick_team(const struct il_report_row *row) {
    return row->entry.team;
}

static const char *s_pick_scan_type(const struct il_report_row *row) {
    return row->entry.scan_type;
}

enum il_status il_report_finish(struct il_report *report) {
    struct il_report_summary *s = &report->summary;
    free(report->teams);
    free(report->scan_types);
    report->teams = report->scan_types = NULL;
    memset(s, 0, sizeof(*s));
    s->total = report->n_rows;
    for (size_t i = 0; i < report->n_rows; i++) {
        const struct il_report_row *row = &report->rows[i];
        s->by_status[row->status]++;
        for (size_t w = 0; w < IL_REPORT_WINDOW_COUNT; w++) {
            if (row->days_left >= 0 && row->days_left <= il_report_windows[w]) {
                s->expiring_within[w]++;
            }
        }
    }
    IL_TRY(s_tally(report, s_pick_team, &report->teams, &s->n_teams));
    IL_TRY(s_tally(report, s_pick_scan_type, &report->scan_types, &s->n_scan_types));
    s->by_team = report->teams;
    s->by_scan_type = report->scan_types;
    il_diags_sort(report->problems);
    return IL_OK;
}

size_t il_report_row_count(const struct il_report *report) {
    return report->n_rows;
}

const struct il_report_row *il_report_row_at(const struct il_report *report, size_t i) {
    return i < report->n_rows ? &report->rows[i] : NULL;
}

const struct il_report_summary *il_report_summary(const struct il_report *report) {
    return &report->summary;
}

const struct il_report_stamp *il_report_stamp(const struct il_report *report) {
    return &report->stamp;
}

size_t il_report_notice_count(const struct il_report *report) {
    return report->n_notices;
}

const char *il_report_notice_at(const struct il_report *report, size_t i) {
    return i < report->n_notices ? report->notices[i] : NULL;
}

const struct il_diags *il_report_problems(const struct il_report *report) {
    return report->problems;
}

const char *il_report_live_scope(const struct il_report *report) {
    return report->live_scope;
}

enum il_status il_report_live_set_coverage(struct il_report *report, const struct il_report_coverage *coverage) {
    if (report->live_scope == NULL) {
        return IL_ERR_INVALID;
    }
    int failed = 0;
    report->coverage = *coverage;
    report->coverage.summary = s_keep(report, coverage->summary ? coverage->summary : "", &failed);
    report->has_coverage = !failed;
    return failed ? IL_ERR_NOMEM : IL_OK;
}

const struct il_report_coverage *il_report_live_coverage(const struct il_report *report) {
    return report->has_coverage ? &report->coverage : NULL;
}

size_t il_report_unrecorded_count(const struct il_report *report) {
    return report->n_unrecorded;
}

const struct il_report_unrecorded *il_report_unrecorded_at(const struct il_report *report, size_t i) {
    return i < report->n_unrecorded ? &report->unrecorded[i] : NULL;
}

size_t il_report_scope_count(const struct il_report *report) {
    return report->n_scopes;
}

const struct il_report_scope *il_report_scope_at(const struct il_report *report, size_t i) {
    return i < report->n_scopes ? &report->scopes[i] : NULL;
}

size_t il_report_unverified_count(const struct il_report *report) {
    return report->n_unverified;
}

const char *il_report_unverified_at(const struct il_report *report, size_t i) {
    return i < report->n_unverified ? report->unverified[i] : NULL;
}

const char *il_report_scope_state_id(enum il_report_scope_state state) {
    return state == IL_REPORT_SCOPE_VERIFIED  ? "verified"
           : state == IL_REPORT_SCOPE_SKIPPED ? "skipped"
                                              : "not-verified";
}

const char *il_report_status_id(enum il_report_status status) {
    static const char *const ids[IL_REPORT_STATUS_COUNT] = {"active", "expiring-soon", "review-overdue", "expired"};
    return (unsigned)status < IL_REPORT_STATUS_COUNT ? ids[status] : "unknown";
}

const char *il_report_status_label(enum il_report_status status) {
    static const char *const labels[IL_REPORT_STATUS_COUNT] = {"Active", "Expiring soon", "Review overdue", "Expired"};
    return (unsigned)status < IL_REPORT_STATUS_COUNT ? labels[status] : "Unknown";
}

const char *il_report_tri_str(enum il_report_tri tri) {
    return tri == IL_REPORT_YES ? "yes" : tri == IL_REPORT_NO ? "no" : "unknown";
}

enum il_status il_report_format_parse(const char *name, enum il_report_format *out) {
    static const struct {
        const char *name;
        enum il_report_format format;
    } names[] = {{"html", IL_REPORT_FMT_HTML},
                 {"markdown", IL_REPORT_FMT_MARKDOWN},
                 {"md", IL_REPORT_FMT_MARKDOWN},
                 {"csv", IL_REPORT_FMT_CSV},
                 {"json", IL_REPORT_FMT_JSON}};
    for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].format;
            return IL_OK;
        }
    }
    return IL_ERR_INVALID;
}

enum il_status il_report_render(enum il_report_format format, const struct il_report *report, struct il_buf *out) {
    switch (format) {
    case IL_REPORT_FMT_HTML: return il_report_render_html(report, out);
    case IL_REPORT_FMT_MARKDOWN: return il_report_render_markdown(report, out);
    case IL_REPORT_FMT_CSV: return il_report_render_csv(report, out);
    case IL_REPORT_FMT_JSON: return il_report_render_json(report, out);
    }
    return IL_ERR_INVALID;
}
