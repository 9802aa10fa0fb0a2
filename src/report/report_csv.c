/*
 * CSV report (RFC 4180: CRLF records, every text cell quoted by il_escape_csv(), which also neutralises cells a
 * spreadsheet would run as a formula). One record per exclusion; the evidence stamp is repeated in the last columns
 * of every record because CSV has no place for a header block and a row copied out alone must still carry it.
 * Numbers are ours, not ledger text, and are written bare so a negative days_left stays a number.
 *
 * A live report (--live) adds a first column `kind` and the live_* columns: `exclusion` records are the ledger's rows
 * as above; `unrecorded` records (exclusion tags in AWS with no ledger entry), `scope` records (each account/region
 * pair and how it ended) and `unverified` records (what was not verified) use the same columns, the ones that do not
 * apply left empty. Offline output has neither, so it stays exactly what it was.
 */
#include "il/report/report.h"

#include "il/escape.h"
#include "il/report/since.h"
#include "report/report_writer.h"

static void s_cell(struct il_buf *out, int *first, const char *text) {
    if (!*first) {
        IL_REPORT_TRY(il_buf_putc(out, ','));
    }
    *first = 0;
    IL_REPORT_TRY(il_escape_csv(out, text ? text : ""));
}

static void s_num(struct il_buf *out, int *first, long value) {
    if (!*first) {
        IL_REPORT_TRY(il_buf_putc(out, ','));
    }
    *first = 0;
    IL_REPORT_TRY(il_buf_printf(out, "%ld", value));
}

static void s_header(struct il_buf *out, int history, int live, int since) {
    static const char *const base[] = {"index",
                                       "function_name",
                                       "function_arn",
                                       "account",
                                       "region",
                                       "scan_type",
                                       "tag_key",
                                       "tag_value",
                                       "team",
                                       "approved_by",
                                       "applied_by",
                                       "ticket",
                                       "reason_summary",
                                       "compensating_controls",
                                       "applied_at",
                                       "expires_at",
                                       "next_review_at",
                                       "days_left",
                                       "days_to_review",
                                       "status",
                                       NULL};
    static const char *const hist[] = {"history_commit",  "history_author",      "history_date",
                                       "history_summary", "history_uncommitted", NULL};
    static const char *const lv[] = {"live_function_exists",    "live_tag_present", "live_scan_blind",
                                     "live_runtime_deprecated", "live_runtime",     "live_runtime_deprecated_on",
                                     "live_kms_key_arn",        "live_note",        "live_tag_honoured",
                                     "live_scope_state",        "live_scope",       NULL};
    static const char *const stamp[] = {"report_as_of",     "ledger_sha256", "ledger_git_commit",
                                        "ledger_git_dirty", "tool_version",  NULL};
    int first = 1;
    if (live) {
        s_cell(out, &first, "kind");
    }
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
    IL_REPORT_TRY(since ? il_report_since_csv_header(out) : IL_OK); /* --since REF: report_since_render.c */
    IL_REPORT_TRY(il_buf_puts(out, "\r\n"));
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

/* The evidence stamp, repeated on every record. */
static void s_stamp(struct il_buf *out, int *first, const struct il_report_stamp *st) {
    s_cell(out, first, st->as_of);
    s_cell(out, first, st->ledger_sha256);
    s_cell(out, first, st->git_file_commit);
    s_cell(out, first, st->git_state == IL_REPORT_GIT_OK ? (st->git_dirty ? "yes" : "no") : "");
    s_cell(out, first, st->tool_version);
}

static enum il_status s_row(struct il_buf *out, const struct il_report *report, const struct il_report_row *row) {
    const struct il_report_entry *e = &row->entry;
    const struct il_report_stamp *st = il_report_stamp(report);
    int first = 1;
    int live = il_report_live_scope(report) != NULL;
    if (live) {
        s_cell(out, &first, "exclusion");
    }
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
    if (live) {
        /* a row without live state is unknown, never "no" */
        const struct il_report_live_row *l = row->live;
        s_cell(out, &first, il_report_tri_str(l ? l->function_exists : IL_REPORT_UNKNOWN));
        s_cell(out, &first, il_report_tri_str(l ? l->tag_present : IL_REPORT_UNKNOWN));
        s_cell(out, &first, il_report_tri_str(l ? l->scan_blind : IL_REPORT_UNKNOWN));
        s_cell(out, &first, il_report_tri_str(l ? l->runtime_deprecated : IL_REPORT_UNKNOWN));
        s_cell(out, &first, l ? l->runtime : NULL);
        s_cell(out, &first, l ? l->deprecated_on : NULL);
        s_cell(out, &first, l ? l->kms_key_arn : NULL);
        s_cell(out, &first, l ? l->note : NULL);
        s_cell(out, &first, NULL);
        s_cell(out, &first, NULL);
        s_cell(out, &first, il_report_live_scope(report));
    }
    s_stamp(out, &first, st);
    IL_TRY(il_report_get_since(report) ? il_report_since_csv_cells(report, row, out) : IL_OK);
    IL_TRY(il_buf_puts(out, "\r\n"));
    return il_buf_status(out);
}

/* ---- live records (kind unrecorded / scope / unverified): the same columns, the ones that do not apply empty ---- */

enum s_live_col {
    S_FUNCTION_NAME,
    S_FUNCTION_ARN,
    S_ACCOUNT,
    S_REGION,
    S_SCAN_TYPE,
    S_TAG_KEY,
    S_TAG_VALUE,
    S_EXISTS,
    S_TAG_PRESENT,
    S_NOTE,
    S_HONOURED,
    S_SCOPE_STATE,
    S_COLS
};

static enum il_status s_live_record(struct il_buf *out, const struct il_report *report, const char *kind,
                                    const char *const cols[S_COLS]) {
    const struct il_report_stamp *st = il_report_stamp(report);
    int first = 1;
    s_cell(out, &first, kind);
    s_cell(out, &first, NULL); /* index */
    for (int c = S_FUNCTION_NAME; c <= S_TAG_VALUE; c++) {
        s_cell(out, &first, cols[c]);
    }
    for (int c = 0; c < 9; c++) { /* team .. expires_at */
        s_cell(out, &first, NULL);
    }
    s_cell(out, &first, NULL); /* days_left */
    s_cell(out, &first, NULL); /* days_to_review */
    s_cell(out, &first, NULL); /* status */
    for (int c = 0; st->history_requested && c < 5; c++) {
        s_cell(out, &first, NULL);
    }
    s_cell(out, &first, cols[S_EXISTS]);
    s_cell(out, &first, cols[S_TAG_PRESENT]);
    for (int c = 0; c < 5; c++) { /* scan_blind .. kms_key_arn */
        s_cell(out, &first, NULL);
    }
    s_cell(out, &first, cols[S_NOTE]);
    s_cell(out, &first, cols[S_HONOURED]);
    s_cell(out, &first, cols[S_SCOPE_STATE]);
    s_cell(out, &first, il_report_live_scope(report));
    s_stamp(out, &first, st);
    IL_TRY(il_report_get_since(report) ? il_report_since_csv_cells(report, NULL, out) : IL_OK);
    IL_TRY(il_buf_puts(out, "\r\n"));
    return il_buf_status(out);
}

static enum il_status s_live_records(struct il_buf *out, const struct il_report *report) {
    for (size_t i = 0; i < il_report_unrecorded_count(report); i++) {
        const struct il_report_unrecorded *u = il_report_unrecorded_at(report, i);
        const char *cols[S_COLS] = {
            [S_FUNCTION_NAME] = u->function_name,
            [S_FUNCTION_ARN] = u->function_arn,
            [S_ACCOUNT] = u->account,
            [S_REGION] = u->region,
            [S_SCAN_TYPE] = u->scan_type,
            [S_TAG_KEY] = u->tag_key,
            [S_TAG_VALUE] = u->tag_value,
            [S_EXISTS] = "yes",
            [S_TAG_PRESENT] = "yes",
            [S_HONOURED] = u->honoured ? "yes" : "no",
        };
        IL_TRY(s_live_record(out, report, "unrecorded", cols));
    }
    for (size_t i = 0; i < il_report_scope_count(report); i++) {
        const struct il_report_scope *sc = il_report_scope_at(report, i);
        const char *cols[S_COLS] = {[S_ACCOUNT] = sc->account,
                                    [S_REGION] = sc->region,
                                    [S_NOTE] = sc->reason,
                                    [S_SCOPE_STATE] = il_report_scope_state_id(sc->state)};
        IL_TRY(s_live_record(out, report, "scope", cols));
    }
    for (size_t i = 0; i < il_report_unverified_count(report); i++) {
        const char *cols[S_COLS] = {[S_NOTE] = il_report_unverified_at(report, i)};
        IL_TRY(s_live_record(out, report, "unverified", cols));
    }
    const struct il_report_coverage *cov = il_report_live_coverage(report);
    if (cov != NULL) {
        const char *cols[S_COLS] = {[S_NOTE] = cov->summary};
        IL_TRY(s_live_record(out, report, "coverage", cols));
    }
    return IL_OK;
}

enum il_status il_report_render_csv(const struct il_report *report, struct il_buf *out) {
    s_header(out, il_report_stamp(report)->history_requested, il_report_live_scope(report) != NULL,
             il_report_get_since(report) != NULL);
    for (size_t i = 0; i < il_report_row_count(report); i++) {
        IL_TRY(s_row(out, report, il_report_row_at(report, i)));
    }
    if (il_report_live_scope(report) != NULL) {
        IL_TRY(s_live_records(out, report));
    }
    return il_buf_status(out);
}
