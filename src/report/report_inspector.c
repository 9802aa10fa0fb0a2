/* Inspector's verdict per ledger row of the live report (il/report/inspector.h). */
#include <string.h>

#include "il/buf.h"
#include "il/report/inspector.h"

/* The buffer keeps its first error (il_buf_status() reads it once at the end). */
#define S_STICKY(expr)                                                                                                 \
    do {                                                                                                               \
        if ((expr) != IL_OK) {                                                                                         \
        }                                                                                                              \
    } while (0)

/* Inspector's word on entry @p e, appended to @p out; nothing when it has none. */
static enum il_status s_verdict(const struct il_ledger_entry *e, const struct il_scan_cov *cov,
                                const struct il_ledger_rule_opts *rules, struct il_buf *out) {
    const struct il_scan_cov_status *status = il_scan_cov_status(cov, e->arn.account, e->arn.region);
    const char *what = il_scan_type_str(e->scan_type);
    if (status == NULL) {
        return IL_OK;
    }
    if (!il_scan_cov_scanning_on(status, e->scan_type)) {
        return il_buf_printf(out,
                             "Inspector: Lambda %s scanning is not enabled in this account and region, so no "
                             "function there is scanned (scanning-disabled)",
                             what);
    }
    const struct il_scan_cov_entry *c = il_scan_cov_find(cov, e->arn.unqualified, e->scan_type);
    if (c == NULL) {
        return il_buf_puts(out, "Inspector lists no coverage of this function");
    }
    if (c->scanned) {
        if (il_ledger_entry_status(e, rules, NULL) == IL_ENTRY_EXPIRED) {
            return il_buf_printf(out, "Inspector scans it for %s scanning again", what);
        }
        return il_buf_printf(out,
                             "Inspector STILL SCANS it for %s scanning: the exclusion is not in effect "
                             "(inspector-still-scanned)",
                             what);
    }
    return il_buf_printf(out, "confirmed by Inspector: not %s-scanned (%s)", what,
                         c->reason[0] ? c->reason : "INACTIVE");
}

enum il_status il_report_inspector_annotate(struct il_report *report, const struct il_ledger *ledger,
                                            const struct il_inventory *inv, const struct il_scan_cov *cov,
                                            const struct il_ledger_rule_opts *rules) {
    size_t n = il_report_row_count(report);
    if (n != il_ledger_entry_count(ledger)) {
        return IL_ERR_INVALID;
    }
    struct il_buf note;
    il_buf_init(&note, 0);
    enum il_status st = IL_OK;
    for (size_t i = 0; i < n && st == IL_OK; i++) {
        const struct il_report_row *row = il_report_row_at(report, i);
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        if (row->live == NULL || !e->arn.valid || e->scan_type == IL_SCAN_UNKNOWN) {
            continue;
        }
        const struct il_scope *scope = il_inventory_scope(inv, e->arn.account, e->arn.region);
        if (scope == NULL || scope->state != IL_SCOPE_VERIFIED) {
            continue; /* the row is already unknown, and says why */
        }
        il_buf_reset(&note);
        if (row->live->note != NULL && row->live->note[0] != '\0') {
            S_STICKY(il_buf_printf(&note, "%s; ", row->live->note));
        }
        size_t before = note.len;
        S_STICKY(s_verdict(e, cov, rules, &note));
        if ((st = il_buf_status(&note)) != IL_OK || note.len == before) {
            continue;
        }
        struct il_report_live_row live = *row->live;
        live.note = il_buf_cstr(&note);
        st = il_report_live_set_row(report, i, &live);
    }
    il_buf_release(&note);
    return st;
}
