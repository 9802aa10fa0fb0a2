/*
 * JSON report, following schema/report.schema.json. Written by hand (two-space indent, fixed key order) so the
 * output is deterministic for goldens; every string goes through il_escape_json().
 */
#include "il/report/report.h"

#include <string.h>

#include "il/escape.h"
#include "il/report/since.h"
#include "report/report_writer.h"

#define S_MAX_DEPTH 8

struct s_json {
    struct il_buf *out;
    int depth;
    int has_items[S_MAX_DEPTH]; /* a comma is needed before the next member at this depth */
};

static void s_indent(struct s_json *w) {
    IL_REPORT_TRY(il_buf_putc(w->out, '\n'));
    for (int i = 0; i < w->depth; i++) {
        IL_REPORT_TRY(il_buf_puts(w->out, "  "));
    }
}

/* Start a member (key may be NULL inside arrays). */
static void s_member(struct s_json *w, const char *key) {
    if (w->has_items[w->depth]) {
        IL_REPORT_TRY(il_buf_putc(w->out, ','));
    }
    w->has_items[w->depth] = 1;
    s_indent(w);
    if (key != NULL) {
        IL_REPORT_TRY(il_escape_json(w->out, key));
        IL_REPORT_TRY(il_buf_puts(w->out, ": "));
    }
}

static void s_open(struct s_json *w, const char *key, char bracket) {
    s_member(w, key);
    IL_REPORT_TRY(il_buf_putc(w->out, bracket));
    if (w->depth + 1 < S_MAX_DEPTH) {
        w->depth++;
    }
    w->has_items[w->depth] = 0;
}

static void s_close(struct s_json *w, char bracket) {
    int had = w->has_items[w->depth];
    w->depth--;
    if (had) {
        s_indent(w);
    }
    IL_REPORT_TRY(il_buf_putc(w->out, bracket));
}

static void s_str(struct s_json *w, const char *key, const char *value) {
    s_member(w, key);
    IL_REPORT_TRY(il_escape_json(w->out, value ? value : ""));
}

static void s_str_or_null(struct s_json *w, const char *key, const char *value) {
    s_member(w, key);
    if (value == NULL) {
        IL_REPORT_TRY(il_buf_puts(w->out, "null"));
    } else {
        IL_REPORT_TRY(il_escape_json(w->out, value));
    }
}

static void s_int(struct s_json *w, const char *key, long value) {
    s_member(w, key);
    IL_REPORT_TRY(il_buf_printf(w->out, "%ld", value));
}

static void s_bool(struct s_json *w, const char *key, int value) {
    s_member(w, key);
    IL_REPORT_TRY(il_buf_puts(w->out, value ? "true" : "false"));
}

static const char *s_git_state(enum il_report_git_state state) {
    switch (state) {
    case IL_REPORT_GIT_OK: return "ok";
    case IL_REPORT_GIT_NOT_A_CHECKOUT: return "not-a-checkout";
    case IL_REPORT_GIT_UNAVAILABLE: return "unavailable";
    case IL_REPORT_GIT_NOT_RECORDED: break;
    }
    return "not-recorded";
}

static void s_stamp(struct s_json *w, const struct il_report *report) {
    const struct il_report_stamp *st = il_report_stamp(report);
    s_open(w, "stamp", '{');
    s_str(w, "as_of", st->as_of);
    s_int(w, "warn_days", st->warn_days);
    s_str(w, "tool", "inspector-ledger");
    s_str(w, "tool_version", st->tool_version);
    s_str_or_null(w, "ledger_path", st->ledger_path);
    s_str_or_null(w, "ledger_sha256", st->ledger_sha256);
    s_open(w, "git", '{');
    s_str(w, "state", s_git_state(st->git_state));
    s_str_or_null(w, "head", st->git_head);
    s_str_or_null(w, "file_commit", st->git_file_commit);
    s_bool(w, "dirty", st->git_dirty);
    s_close(w, '}');
    s_bool(w, "history", st->history_requested);
    s_bool(w, "live", il_report_live_scope(report) != NULL);
    s_close(w, '}');
}

/* "key": [{"name": ..., "count": ...}, ...] */
static void s_counts(struct s_json *w, const char *key, const struct il_report_count *items, size_t n) {
    s_open(w, key, '[');
    for (size_t i = 0; i < n; i++) {
        s_open(w, NULL, '{');
        s_str(w, "name", items[i].name);
        s_int(w, "count", (long)items[i].count);
        s_close(w, '}');
    }
    s_close(w, ']');
}

static void s_summary(struct s_json *w, const struct il_report *report) {
    const struct il_report_summary *s = il_report_summary(report);
    s_open(w, "summary", '{');
    s_int(w, "total", (long)s->total);
    s_open(w, "by_status", '{');
    for (int i = 0; i < IL_REPORT_STATUS_COUNT; i++) {
        s_int(w, il_report_status_id((enum il_report_status)i), (long)s->by_status[i]);
    }
    s_close(w, '}');
    s_counts(w, "by_team", s->by_team, s->n_teams);
    s_counts(w, "by_scan_type", s->by_scan_type, s->n_scan_types);
    s_open(w, "expiring_within", '[');
    for (int i = 0; i < IL_REPORT_WINDOW_COUNT; i++) {
        s_open(w, NULL, '{');
        s_int(w, "days", il_report_windows[i]);
        s_int(w, "count", (long)s->expiring_within[i]);
        s_close(w, '}');
    }
    s_close(w, ']');
    s_close(w, '}');
}

static void s_history(struct s_json *w, const struct il_report_history *h) {
    if (h == NULL) {
        s_str_or_null(w, "history", NULL);
        return;
    }
    s_open(w, "history", '{');
    s_str_or_null(w, "commit", h->commit);
    s_str_or_null(w, "author", h->author);
    s_str_or_null(w, "author_mail", h->author_mail);
    s_str_or_null(w, "date", h->date);
    s_str_or_null(w, "summary", h->summary);
    s_bool(w, "uncommitted", h->uncommitted);
    s_close(w, '}');
}

static void s_live(struct s_json *w, const struct il_report_live_row *l) {
    if (l == NULL) {
        s_str_or_null(w, "live", NULL);
        return;
    }
    s_open(w, "live", '{');
    s_str(w, "function_exists", il_report_tri_str(l->function_exists));
    s_str(w, "tag_present", il_report_tri_str(l->tag_present));
    s_str(w, "scan_blind", il_report_tri_str(l->scan_blind));
    s_str(w, "runtime_deprecated", il_report_tri_str(l->runtime_deprecated));
    s_str_or_null(w, "runtime", l->runtime);
    s_str_or_null(w, "note", l->note);
    s_str_or_null(w, "deprecated_on", l->deprecated_on);
    s_str_or_null(w, "kms_key_arn", l->kms_key_arn);
    s_close(w, '}');
}

static void s_row(struct s_json *w, const struct il_report_row *row) {
    const struct il_report_entry *e = &row->entry;
    s_open(w, NULL, '{');
    s_int(w, "index", (long)row->index);
    s_str(w, "function_name", e->function_name);
    s_str(w, "function_arn", e->function_arn);
    s_str(w, "partition", row->partition);
    s_str(w, "account", row->account);
    s_str(w, "region", row->region);
    s_str(w, "scan_type", e->scan_type);
    s_open(w, "tag", '{');
    s_str(w, "key", e->tag_key);
    s_str(w, "value", e->tag_value);
    s_close(w, '}');
    s_open(w, "reason", '{');
    s_str(w, "summary", e->reason_summary);
    s_str(w, "ticket", e->ticket);
    s_open(w, "compensating_controls", '[');
    for (size_t i = 0; i < e->n_compensating_controls; i++) {
        s_str(w, NULL, e->compensating_controls[i]);
    }
    s_close(w, ']');
    s_close(w, '}');
    s_open(w, "owner", '{');
    s_str(w, "team", e->team);
    s_str(w, "approved_by", e->approved_by);
    s_str(w, "applied_by", e->applied_by);
    s_close(w, '}');
    s_open(w, "dates", '{');
    s_str(w, "applied_at", e->applied_at);
    s_str(w, "expires_at", e->expires_at);
    s_str(w, "next_review_at", e->next_review_at);
    s_close(w, '}');
    s_int(w, "days_left", row->days_left);
    s_int(w, "days_to_review", row->days_to_review);
    s_str(w, "status", il_report_status_id(row->status));
    if (e->line_start > 0) {
        s_open(w, "lines", '{');
        s_int(w, "start", (long)e->line_start);
        s_int(w, "end", (long)e->line_end);
        s_close(w, '}');
    } else {
        s_str_or_null(w, "lines", NULL);
    }
    s_history(w, row->history);
    s_live(w, row->live);
    s_close(w, '}');
}

static void s_problems(struct s_json *w, const struct il_diags *problems) {
    s_open(w, "problems", '[');
    for (size_t i = 0; i < il_diags_count(problems); i++) {
        const struct il_diag *d = il_diags_get(problems, i);
        s_open(w, NULL, '{');
        s_str(w, "rule", d->rule);
        s_str(w, "severity", il_severity_str(d->severity));
        s_str_or_null(w, "file", d->file);
        s_int(w, "line", (long)d->line);
        s_int(w, "column", (long)d->column);
        s_str_or_null(w, "function_arn", d->function_arn);
        s_str(w, "message", d->message);
        s_close(w, '}');
    }
    s_close(w, ']');
}

static void s_unrecorded(struct s_json *w, const struct il_report *report) {
    const char *scope = il_report_live_scope(report);
    if (scope == NULL) {
        s_str_or_null(w, "live", NULL);
        return;
    }
    s_open(w, "live", '{');
    s_str(w, "scope", scope);
    s_bool(w, "complete", il_report_unverified_count(report) == 0);
    const struct il_report_coverage *cov = il_report_live_coverage(report);
    if (cov != NULL) {
        s_open(w, "coverage", '{');
        s_int(w, "entries", (long)cov->entries);
        s_int(w, "compared", (long)cov->compared);
        s_int(w, "outside_declared_scope", (long)cov->outside);
        s_bool(w, "declared", cov->declared);
        s_str(w, "summary", cov->summary);
        s_close(w, '}');
    }
    s_open(w, "scopes", '[');
    for (size_t i = 0; i < il_report_scope_count(report); i++) {
        const struct il_report_scope *sc = il_report_scope_at(report, i);
        s_open(w, NULL, '{');
        s_str(w, "account", sc->account);
        s_str(w, "region", sc->region);
        s_str(w, "state", il_report_scope_state_id(sc->state));
        s_str_or_null(w, "reason", sc->reason);
        s_close(w, '}');
    }
    s_close(w, ']');
    s_open(w, "unverified", '[');
    for (size_t i = 0; i < il_report_unverified_count(report); i++) {
        s_str(w, NULL, il_report_unverified_at(report, i));
    }
    s_close(w, ']');
    s_open(w, "unrecorded", '[');
    for (size_t i = 0; i < il_report_unrecorded_count(report); i++) {
        const struct il_report_unrecorded *u = il_report_unrecorded_at(report, i);
        s_open(w, NULL, '{');
        s_str(w, "function_arn", u->function_arn);
        s_str(w, "account", u->account);
        s_str(w, "region", u->region);
        s_str(w, "scan_type", u->scan_type);
        s_str(w, "tag_key", u->tag_key);
        s_str(w, "tag_value", u->tag_value);
        s_str_or_null(w, "function_name", u->function_name);
        s_bool(w, "honoured", u->honoured);
        s_close(w, '}');
    }
    s_close(w, ']');
    s_close(w, '}');
}

enum il_status il_report_render_json(const struct il_report *report, struct il_buf *out) {
    struct s_json w;
    memset(&w, 0, sizeof(w));
    w.out = out;
    w.depth = 1; /* members of the root object are indented one level */
    IL_TRY(il_buf_putc(out, '{'));
    s_str(&w, "report", "inspector-ledger exclusion report");
    s_int(&w, "report_version", 1);
    s_stamp(&w, report);
    s_open(&w, "notices", '[');
    for (size_t i = 0; i < il_report_notice_count(report); i++) {
        s_str(&w, NULL, il_report_notice_at(report, i));
    }
    s_close(&w, ']');
    s_problems(&w, il_report_problems(report));
    s_summary(&w, report);
    s_open(&w, "exclusions", '[');
    for (size_t i = 0; i < il_report_row_count(report); i++) {
        s_row(&w, il_report_row_at(report, i));
    }
    s_close(&w, ']');
    s_unrecorded(&w, report);
    if (il_report_get_since(report) != NULL) { /* --since REF: report_since_render.c */
        IL_TRY(il_buf_putc(out, ','));
        IL_TRY(il_report_since_json(report, out));
    }
    IL_TRY(il_buf_puts(out, "\n}\n"));
    return il_buf_status(out);
}
