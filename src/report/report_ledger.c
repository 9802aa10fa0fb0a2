/* From the typed ledger model to report rows: the only place the report knows the ledger's structure. */
#include <stdlib.h>

#include "il/ledger.h"
#include "il/report/report.h"

enum il_status il_report_add_ledger(struct il_report *report, const struct il_ledger *ledger) {
    enum il_status st = IL_OK;
    for (size_t i = 0; i < il_ledger_entry_count(ledger) && st == IL_OK; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        const char **controls = NULL;
        if (e->compensating_control_count > 0) {
            controls = calloc(e->compensating_control_count, sizeof(*controls));
            if (controls == NULL) {
                return IL_ERR_NOMEM;
            }
        }
        for (size_t c = 0; c < e->compensating_control_count; c++) {
            controls[c] = e->compensating_controls[c].value;
        }
        struct il_report_entry in = {
            .function_name = e->function_name.value,
            .function_arn = e->function_arn.value,
            .scan_type = e->scan_type_text.value,
            .tag_key = e->tag_key.value,
            .tag_value = e->tag_value.value,
            .reason_summary = e->summary.value,
            .ticket = e->ticket.value,
            .compensating_controls = controls,
            .n_compensating_controls = e->compensating_control_count,
            .team = e->team.value,
            .approved_by = e->approved_by.value,
            .applied_by = e->applied_by.value,
            .applied_at = e->applied_at.valid ? e->applied_at.text.value : NULL,
            .expires_at = e->expires_at.valid ? e->expires_at.text.value : NULL,
            .next_review_at = e->next_review_at.valid ? e->next_review_at.text.value : NULL,
            .line_start = e->line,
            .line_end = e->end_line,
            .typed = e,
        };
        st = il_report_add_entry(report, &in);
        free(controls);
    }
    if (st != IL_OK) {
        return st;
    }
    return il_report_set_ledger(report, il_ledger_filename(ledger), il_ledger_sha256(ledger));
}
