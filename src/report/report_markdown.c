/*
 * Markdown report for pull-request comments and job summaries (GitHub-flavoured). Every ledger and AWS string goes
 * through il_escape_markdown(), which neutralises pipes, newlines, HTML and Markdown syntax, so a value can neither
 * break out of its table cell nor add markup. The only raw HTML is our own <br> between escaped list items.
 */
#include "il/report/report.h"

#include "il/escape.h"
#include "il/report/since.h"
#include "report/report_writer.h"

static void s_md(struct il_buf *out, const char *text) {
    IL_REPORT_TRY(il_escape_markdown(out, text ? text : ""));
}

static void s_code_or_none(struct il_buf *out, const char *text, const char *none) {
    if (text == NULL) {
        IL_REPORT_TRY(il_buf_puts(out, none));
        return;
    }
    s_md(out, text);
}

static void s_stamp(struct il_buf *out, const struct il_report *report) {
    const struct il_report_stamp *st = il_report_stamp(report);
    IL_REPORT_TRY(il_buf_puts(out, "| Evidence | |\n|---|---|\n| As of | "));
    s_md(out, st->as_of);
    IL_REPORT_TRY(il_buf_puts(out, " |\n| Ledger | "));
    s_code_or_none(out, st->ledger_path, "(unknown)");
    IL_REPORT_TRY(il_buf_puts(out, " |\n| Ledger SHA-256 | "));
    s_code_or_none(out, st->ledger_sha256, "(not computed)");
    IL_REPORT_TRY(il_buf_puts(out, " |\n| Git commit | "));
    switch (st->git_state) {
    case IL_REPORT_GIT_OK:
        s_code_or_none(out, st->git_file_commit, "(never committed)");
        IL_REPORT_TRY(il_buf_puts(out, st->git_dirty && st->git_file_commit ? " (uncommitted changes)" : ""));
        IL_REPORT_TRY(il_buf_puts(out, " |\n| Checkout HEAD | "));
        s_code_or_none(out, st->git_head, "(no commits)");
        break;
    case IL_REPORT_GIT_NOT_A_CHECKOUT: IL_REPORT_TRY(il_buf_puts(out, "(not a git checkout)")); break;
    case IL_REPORT_GIT_UNAVAILABLE: IL_REPORT_TRY(il_buf_puts(out, "(git unavailable)")); break;
    case IL_REPORT_GIT_NOT_RECORDED: IL_REPORT_TRY(il_buf_puts(out, "(not recorded)")); break;
    }
    IL_REPORT_TRY(il_buf_printf(out, " |\n| Expiring soon means | within %d days |\n| Tool | inspector-ledger %s",
                                st->warn_days,
                                st->tool_version)); /* our own version string (digits and dots), not ledger text */
    IL_REPORT_TRY(il_buf_puts(out, " |\n\n"));
}

static void s_notices(struct il_buf *out, const struct il_report *report) {
    for (size_t i = 0; i < il_report_notice_count(report); i++) {
        IL_REPORT_TRY(il_buf_puts(out, "> **Notice:** "));
        s_md(out, il_report_notice_at(report, i));
        IL_REPORT_TRY(il_buf_puts(out, "\n\n"));
    }
    const struct il_diags *problems = il_report_problems(report);
    if (il_diags_count(problems) == 0) {
        return;
    }
    IL_REPORT_TRY(il_buf_printf(out,
                                "## Ledger problems (%zu)\n\nThe ledger does not pass validation; this report shows "
                                "it as written.\n\n",
                                il_diags_count(problems)));
    for (size_t i = 0; i < il_diags_count(problems); i++) {
        const struct il_diag *d = il_diags_get(problems, i);
        IL_REPORT_TRY(il_buf_puts(out, "- "));
        s_md(out, d->file);
        IL_REPORT_TRY(il_buf_printf(out, ":%u:%u: %s\\[", d->line, d->column, il_severity_str(d->severity)));
        s_md(out, d->rule);
        IL_REPORT_TRY(il_buf_puts(out, "\\]: "));
        s_md(out, d->message);
        IL_REPORT_TRY(il_buf_putc(out, '\n'));
    }
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
}

static void s_counts(struct il_buf *out, const char *title, const struct il_report_count *counts, size_t n) {
    IL_REPORT_TRY(il_buf_printf(out, "| %s | Exclusions |\n|---|---:|\n", title));
    for (size_t i = 0; i < n; i++) {
        IL_REPORT_TRY(il_buf_puts(out, "| "));
        s_md(out, counts[i].name);
        IL_REPORT_TRY(il_buf_printf(out, " | %zu |\n", counts[i].count));
    }
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
}

static void s_summary(struct il_buf *out, const struct il_report *report) {
    const struct il_report_summary *s = il_report_summary(report);
    IL_REPORT_TRY(il_buf_puts(out, "## Summary\n\n| Status | Exclusions |\n|---|---:|\n"));
    for (int i = IL_REPORT_STATUS_COUNT - 1; i >= 0; i--) {
        IL_REPORT_TRY(
            il_buf_printf(out, "| %s | %zu |\n", il_report_status_label((enum il_report_status)i), s->by_status[i]));
    }
    IL_REPORT_TRY(il_buf_printf(out, "| **Total** | **%zu** |\n\n", s->total));
    IL_REPORT_TRY(il_buf_puts(out, "| Expiring within | Exclusions |\n|---|---:|\n"));
    for (int i = 0; i < IL_REPORT_WINDOW_COUNT; i++) {
        IL_REPORT_TRY(il_buf_printf(out, "| %d days | %zu |\n", il_report_windows[i], s->expiring_within[i]));
    }
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
    s_counts(out, "Team", s->by_team, s->n_teams);
    s_counts(out, "Scan type", s->by_scan_type, s->n_scan_types);
}

static void s_history(struct il_buf *out, const struct il_report_history *h) {
    if (h == NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "unknown"));
        return;
    }
    if (h->commit != NULL) {
        char short_id[13] = "";
        size_t n = 0;
        while (n < 12 && h->commit[n] != '\0') {
            short_id[n] = h->commit[n];
            n++;
        }
        short_id[n] = '\0';
        s_md(out, short_id);
        IL_REPORT_TRY(il_buf_puts(out, " "));
        s_md(out, h->author);
        IL_REPORT_TRY(il_buf_puts(out, " "));
        s_md(out, h->date);
        IL_REPORT_TRY(il_buf_puts(out, "<br>"));
        s_md(out, h->summary);
    }
    if (h->uncommitted) {
        IL_REPORT_TRY(il_buf_puts(out, h->commit ? "<br>" : ""));
        IL_REPORT_TRY(il_buf_puts(out, "uncommitted changes"));
    }
}

static void s_live(struct il_buf *out, const struct il_report_live_row *l) {
    if (l == NULL) {
        IL_REPORT_TRY(il_buf_puts(out, " unknown | unknown | unknown | unknown | |"));
        return;
    }
    IL_REPORT_TRY(il_buf_printf(out, " %s | %s | %s", il_report_tri_str(l->function_exists),
                                il_report_tri_str(l->tag_present), il_report_tri_str(l->scan_blind)));
    IL_REPORT_TRY(il_buf_printf(out, " | %s", il_report_tri_str(l->runtime_deprecated)));
    if (l->runtime != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, " ("));
        s_md(out, l->runtime);
        if (l->deprecated_on != NULL) {
            IL_REPORT_TRY(
                il_buf_puts(out, l->runtime_deprecated == IL_REPORT_YES ? ", deprecated since " : ", deprecated on "));
            s_md(out, l->deprecated_on);
        }
        IL_REPORT_TRY(il_buf_putc(out, ')'));
    }
    IL_REPORT_TRY(il_buf_puts(out, " | "));
    if (l->kms_key_arn != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "KMS key "));
        s_md(out, l->kms_key_arn);
        IL_REPORT_TRY(il_buf_puts(out, l->note ? "<br>" : ""));
    }
    if (l->note != NULL) {
        s_md(out, l->note);
    }
    IL_REPORT_TRY(il_buf_puts(out, " |"));
}

static void s_rows(struct il_buf *out, const struct il_report *report) {
    int history = il_report_stamp(report)->history_requested;
    int live = il_report_live_scope(report) != NULL;
    IL_REPORT_TRY(il_buf_printf(out, "## Exclusions (%zu)\n\n", il_report_row_count(report)));
    IL_REPORT_TRY(il_buf_puts(out, "| # | Status | Days left | Function | Account | Region | Scan type | Tag | Team | "
                                   "Approved by | Applied by | Ticket | Reason | Compensating controls | Applied | "
                                   "Next review | Expires |"));
    IL_REPORT_TRY(il_buf_puts(out, history ? " Last change |" : ""));
    IL_REPORT_TRY(il_buf_puts(
        out, live ? " Function exists | Tag present | Scan-blind (CMK) | Runtime deprecated | Live note |" : ""));
    IL_REPORT_TRY(il_buf_puts(out, "\n|---:|---|---:|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"));
    IL_REPORT_TRY(il_buf_puts(out, history ? "---|" : ""));
    IL_REPORT_TRY(il_buf_puts(out, live ? "---|---|---|---|---|" : ""));
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
    for (size_t i = 0; i < il_report_row_count(report); i++) {
        const struct il_report_row *row = il_report_row_at(report, i);
        const struct il_report_entry *e = &row->entry;
        IL_REPORT_TRY(il_buf_printf(out, "| %zu | %s | %ld | **", row->index, il_report_status_label(row->status),
                                    row->days_left));
        s_md(out, e->function_name);
        IL_REPORT_TRY(il_buf_puts(out, "**<br>"));
        s_md(out, e->function_arn);
        const char *cells[] = {row->account, row->region, e->scan_type};
        for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
            IL_REPORT_TRY(il_buf_puts(out, " | "));
            s_md(out, cells[c]);
        }
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, e->tag_key);
        IL_REPORT_TRY(il_buf_puts(out, "="));
        s_md(out, e->tag_value);
        const char *more[] = {e->team, e->approved_by, e->applied_by, e->ticket, e->reason_summary};
        for (size_t c = 0; c < sizeof(more) / sizeof(more[0]); c++) {
            IL_REPORT_TRY(il_buf_puts(out, " | "));
            s_md(out, more[c]);
        }
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        for (size_t c = 0; c < e->n_compensating_controls; c++) {
            IL_REPORT_TRY(il_buf_puts(out, c ? "<br>• " : "• "));
            s_md(out, e->compensating_controls[c]);
        }
        const char *dates[] = {e->applied_at, e->next_review_at, e->expires_at};
        for (size_t c = 0; c < sizeof(dates) / sizeof(dates[0]); c++) {
            IL_REPORT_TRY(il_buf_puts(out, " | "));
            s_md(out, dates[c]);
        }
        IL_REPORT_TRY(il_buf_puts(out, " |"));
        if (history) {
            IL_REPORT_TRY(il_buf_putc(out, ' '));
            s_history(out, row->history);
            IL_REPORT_TRY(il_buf_puts(out, " |"));
        }
        if (live) {
            s_live(out, row->live);
        }
        IL_REPORT_TRY(il_buf_putc(out, '\n'));
    }
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
}

static void s_live_section(struct il_buf *out, const struct il_report *report) {
    size_t counts[3];
    size_t n = il_report_scope_tally(report, counts);
    size_t unverified = il_report_unverified_count(report);
    IL_REPORT_TRY(il_buf_puts(out, "## Live AWS state\n\nScope: "));
    s_md(out, il_report_live_scope(report));
    IL_REPORT_TRY(il_buf_printf(out, "\n\n%zu of %zu account/region pair%s verified, %zu not verified, %zu skipped.",
                                counts[IL_REPORT_SCOPE_VERIFIED], n, n == 1 ? "" : "s",
                                counts[IL_REPORT_SCOPE_NOT_VERIFIED], counts[IL_REPORT_SCOPE_SKIPPED]));
    const struct il_report_coverage *cov = il_report_live_coverage(report);
    int partial = cov != NULL && cov->declared && cov->outside > 0;
    IL_REPORT_TRY(il_buf_puts(out, unverified
                                       ? " **The live state is incomplete:** what could not be verified is shown as "
                                         "unknown, never as no.\n\n"
                                   : partial ? " Everything in the declared scope was verified.\n\n"
                                             : " Everything in scope was verified.\n\n"));
    if (cov != NULL) {
        IL_REPORT_TRY(il_buf_puts(out, "Entries: "));
        s_md(out, cov->summary);
        IL_REPORT_TRY(il_buf_puts(out, ".\n\n"));
    }
    if (unverified > 0) {
        IL_REPORT_TRY(il_buf_printf(out, "### Not verified (%zu)\n\n", unverified));
        for (size_t i = 0; i < unverified; i++) {
            IL_REPORT_TRY(il_buf_puts(out, "- "));
            s_md(out, il_report_unverified_at(report, i));
            IL_REPORT_TRY(il_buf_putc(out, '\n'));
        }
        IL_REPORT_TRY(il_buf_putc(out, '\n'));
    }
    if (n == 0) {
        return;
    }
    IL_REPORT_TRY(il_buf_puts(out, "| Account | Region | State | Reason |\n|---|---|---|---|\n"));
    for (size_t i = 0; i < n; i++) {
        const struct il_report_scope *s = il_report_scope_at(report, i);
        IL_REPORT_TRY(il_buf_puts(out, "| "));
        s_md(out, s->account);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, s->region);
        IL_REPORT_TRY(il_buf_printf(out, " | %s | ", il_report_scope_state_id(s->state)));
        s_md(out, s->reason ? s->reason : "");
        IL_REPORT_TRY(il_buf_puts(out, " |\n"));
    }
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
}

static void s_unrecorded(struct il_buf *out, const struct il_report *report) {
    size_t n = il_report_unrecorded_count(report);
    IL_REPORT_TRY(il_buf_printf(out,
                                "## Unrecorded exclusions found in AWS (%zu)\n\n"
                                "Exclusion tags on functions with no ledger entry for that scan type. *Honoured*: "
                                "Inspector skips the function; *malformed*: Inspector ignores the tag (wrong value, or "
                                "the key in the wrong case).\n\n",
                                n));
    if (n == 0) {
        IL_REPORT_TRY(il_buf_puts(out, "None found.\n\n"));
        return;
    }
    IL_REPORT_TRY(
        il_buf_puts(out, "| Function | Function ARN | Account | Region | Scan type | Tag | Inspector honours it |\n"
                         "|---|---|---|---|---|---|---|\n"));
    for (size_t i = 0; i < n; i++) {
        const struct il_report_unrecorded *u = il_report_unrecorded_at(report, i);
        const char *cells[] = {u->function_name ? u->function_name : "", u->function_arn, u->account, u->region,
                               u->scan_type};
        for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
            IL_REPORT_TRY(il_buf_puts(out, "| "));
            s_md(out, cells[c]);
            IL_REPORT_TRY(il_buf_putc(out, ' '));
        }
        IL_REPORT_TRY(il_buf_puts(out, "| "));
        s_md(out, u->tag_key);
        IL_REPORT_TRY(il_buf_puts(out, "="));
        s_md(out, u->tag_value);
        IL_REPORT_TRY(il_buf_puts(out, u->honoured ? " | yes (not scanned) |\n" : " | no (malformed) |\n"));
    }
    IL_REPORT_TRY(il_buf_putc(out, '\n'));
}

enum il_status il_report_render_markdown(const struct il_report *report, struct il_buf *out) {
    IL_TRY(il_buf_puts(out, "# Amazon Inspector exclusion report\n\n"));
    s_stamp(out, report);
    s_notices(out, report);
    s_summary(out, report);
    if (il_report_live_scope(report) != NULL) {
        s_live_section(out, report);
    }
    IL_TRY(il_report_since_markdown(report, out)); /* --since REF: report_since_render.c */
    s_rows(out, report);
    if (il_report_live_scope(report) != NULL) {
        s_unrecorded(out, report);
    }
    return il_buf_status(out);
}
