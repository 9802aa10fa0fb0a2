/*
 * CSV report (RFC 4180: CRLF records, every text cell quoted by il_escape_csv(), which also neutralises cells a
 * spreadsheet would run as a formula). One record per exclusion; the evidence stamp is repeated in the last columns
 * of every record because CSV has no place for a header block and a row copied out alone must still carry it.
 * Numbers are ours, not ledger text, and are written bare so a negative days_left stays a number.
 */
#include "il/report.h"

#include "il/escape.h"

/* The buffer is sticky (il/buf.h): once an append fails every later one fails too, so helpers stop at the
 * first failure and the renderer returns il_buf_status() once at the end. */
#define S_TRY(expr)                                                                                                    \
    do {                                                                                                               \
        if ((expr) != IL_OK) {                                                                                         \
            return;                                                                                                    \
        }                                                                                                              \
    } while (0)

static void s_cell(struct il_buf *out, int *first, const char *text) {
    if (!*first) {
        S_TRY(il_buf_putc(out, ','));
    }
    *first = 0;
    S_TRY(il_escape_csv(out, text ? text : ""));
}

static void s_num(struct il_buf *out, int *first, long value) {
    if (!*first) {
        S_TRY(il_buf_putc(out, ','));
    }
    *first = 0;
    S_TRY(il_buf_printf(out, "%ld", value));
}

static void s_header(struct il_buf *out, int history, int live) {
    static const char *const base[] = {
        "index", "function_name", "function_arn", "account", "region", "scan_type", "tag_key", "tag_value",
        "team", "approved_by", "applied_by", "ticket", "reason_summary", "compensating_controls", "applied_at",
        "expires_at", "next_review_at", "days_left", "days_to_review", "status", NULL};
    static const char *const hist[] = {"history_commit", "history_author", "history_date", "history_summary",
                                       "history_uncommitted", NULL};
    static const char *const lv[] = {"live_function_exists", "live_tag_present", "live_scan_blind",
                                     "live_runtime_deprecated", "live_runtime", "live_note", NULL};
    static const char *const stamp[] = {"report_as_of", "ledger_sha256", "ledger_git_commit", "ledger_git_dirty",
                                        "tool_version", NULL};
    int first = 1;
    for (size_t i = 0; base[i]; i++) {
        s_cell(out, &first, base[i]);
    }
    for (size_t i = 0; history && hist[i]; i++) {
        s_cell(out, &first, hist[i]);
    }
    for (size_t i = 0; live && lv[i]; i++) {
        s_cell(out, &first, lv[i]);
    }
    for (size_t i = 0; stamp[i]; i++) {
        s_cell(out, &first, stamp[i]);
    }
    S_TRY(il_buf_puts(out, "\r\n"));
}

/* Compensating controls share one cell, one per line (a quoted CSV cell may hold line breaks). */
static enum il_status s_controls(struct il_buf *out, int *first, const struct il_report_entry *e) {
    struct il_buf joined;
    il_buf_init(&joined, 0);
    for (size_t i = 0; i < e->n_compensating_controls; i++) {
        if (il_buf_puts(&joined, i ? "\n" : "") != IL_OK ||
            il_buf_puts(&joined, e->compensating_controls[i] ? e->compensating_controls[i] : "") != IL_OK) {
            break; /* joined is failed now; reported below */
        }
    }
    enum il_status st = il_buf_status(&joined);
    if (st == IL_OK) {
        s_cell(out, first, il_buf_cstr(&joined));
    }
    il_buf_release(&joined);
    return st;
}

static enum il_status s_row(struct il_buf *out, const struct il_report *report, const struct il_report_row *row) {
    const struct il_report_entry *e = &row->entry;
    const struct il_report_stamp *st = il_report_stamp(report);
    int first = 1;
    s_num(out, &first, (long)row->index);
    s_cell(out, &first, e->function_name);
    s_cell(out, &first, e->function_arn);
    s_cell(out, &first, row->account);
    s_cell(out, &first, row->region);
    s_cell(out, &first, e->scan_type);
    s_cell(out, &first, e->tag_key);
    s_cell(out, &first, e->tag_value);
    s_cell(out, &first, e->team);
    s_cell(out, &first, e->approved_by);
    s_cell(out, &first, e->applied_by);
    s_cell(out, &first, e->ticket);
    s_cell(out, &first, e->reason_summary);
    IL_TRY(s_controls(out, &first, e));
    s_cell(out, &first, e->applied_at);
    s_cell(out, &first, e->expires_at);
    s_cell(out, &first, e->next_review_at);
    s_num(out, &first, row->days_left);
    s_num(out, &first, row->days_to_review);
    s_cell(out, &first, il_report_status_id(row->status));
    if (st->history_requested) {
        const struct il_report_history *h = row->history;
        s_cell(out, &first, h ? h->commit : NULL);
        s_cell(out, &first, h ? h->author : NULL);
        s_cell(out, &first, h ? h->date : NULL);
        s_cell(out, &first, h ? h->summary : NULL);
        s_cell(out, &first, h ? (h->uncommitted ? "yes" : "no") : NULL);
    }
    if (il_report_live_scope(report) != NULL) {
        const struct il_report_live_row *l = row->live;
        s_cell(out, &first, l ? il_report_tri_str(l->function_exists) : NULL);
        s_cell(out, &first, l ? il_report_tri_str(l->tag_present) : NULL);
        s_cell(out, &first, l ? il_report_tri_str(l->scan_blind) : NULL);
        s_cell(out, &first, l ? il_report_tri_str(l->runtime_deprecated) : NULL);
        s_cell(out, &first, l ? l->runtime : NULL);
        s_cell(out, &first, l ? l->note : NULL);
    }
    s_cell(out, &first, st->as_of);
    s_cell(out, &first, st->ledger_sha256);
    s_cell(out, &first, st->git_file_commit);
    s_cell(out, &first, st->git_state == IL_REPORT_GIT_OK ? (st->git_dirty ? "yes" : "no") : "");
    s_cell(out, &first, st->tool_version);
    IL_TRY(il_buf_puts(out, "\r\n"));
    return il_buf_status(out);
}

enum il_status il_report_render_csv(const struct il_report *report, struct il_buf *out) {
    s_header(out, il_report_stamp(report)->history_requested, il_report_live_scope(report) != NULL);
    for (size_t i = 0; i < il_report_row_count(report); i++) {
        IL_TRY(s_row(out, report, il_report_row_at(report, i)));
    }
    return il_buf_status(out);
}
