/* The --since section in Markdown, CSV and JSON. Every ledger or log string is escaped for its medium; numbers are
 * ours. The JSON follows schema/report.schema.json (`since`). */
#include <stdio.h>
#include <string.h>

#include "il/escape.h"
#include "il/report/since.h"
#include "report/report_writer.h"

/* ---- Markdown ---- */

static void s_md(struct il_buf *out, const char *text) {
    IL_REPORT_TRY(text ? il_escape_markdown(out, text) : il_buf_puts(out, "—"));
}

static void s_md_changes(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, "| Change | Function | Scan type | Team | Expiry at the ref | Expiry now |\n"
                                   "| --- | --- | --- | --- | --- | --- |\n"));
    for (size_t i = 0; i < s->n_changes; i++) {
        const struct il_since_change *c = &s->changes[i];
        IL_REPORT_TRY(il_buf_printf(out, "| %s | ", il_since_kind_str(c->kind)));
        s_md(out, c->function_name ? c->function_name : c->function_arn);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, c->scan_type);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, c->team);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, c->expires_before);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, c->expires_now);
        IL_REPORT_TRY(il_buf_puts(out, " |\n"));
    }
}

static void s_md_tags(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_printf(out, "\n### Tags applied or removed by apply (%zu)\n\n", s->n_tags));
    if (s->n_tags == 0) {
        IL_REPORT_TRY(il_buf_puts(out, "No tag changes in the change log since the ref.\n"));
        return;
    }
    IL_REPORT_TRY(
        il_buf_puts(out, "| Time | Action | Function ARN | Tag | Result |\n| --- | --- | --- | --- | --- |\n"));
    for (size_t i = 0; i < s->n_tags; i++) {
        const struct il_since_tag *t = &s->tags[i];
        IL_REPORT_TRY(il_buf_puts(out, "| "));
        s_md(out, t->time);
        IL_REPORT_TRY(il_buf_printf(out, " | %s | ", t->action));
        s_md(out, t->function_arn);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, t->tag_key);
        IL_REPORT_TRY(il_buf_puts(out, "="));
        s_md(out, t->tag_value);
        IL_REPORT_TRY(il_buf_puts(out, " | "));
        s_md(out, t->result);
        IL_REPORT_TRY(il_buf_puts(out, " |\n"));
    }
}

static void s_md_aging(struct il_buf *out, const struct il_report *report, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, "\n### Aging\n\n| # | Function | Since the ref | First applied | Age (days) | "
                                   "Times renewed | Days until expiry |\n| ---: | --- | --- | --- | ---: | ---: | "
                                   "---: |\n"));
    for (size_t i = 0; i < s->n_aging && i < il_report_row_count(report); i++) {
        const struct il_report_row *row = il_report_row_at(report, i);
        const struct il_since_aging *a = &s->aging[i];
        IL_REPORT_TRY(il_buf_printf(out, "| %zu | ", row->index));
        s_md(out, row->entry.function_name);
        IL_REPORT_TRY(il_buf_printf(out, " | %s | ", a->change));
        s_md(out, a->first_applied);
        IL_REPORT_TRY(il_buf_printf(out, " | %ld | %u | %ld |\n", a->age_days, a->renewals, a->days_left));
    }
}

static void s_md_teams(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, "\n### Teams\n\n| Team | Active | Budget | Function-days | Function-day budget | "
                                   "Overdue reviews | Mean lifetime (days) |\n| --- | ---: | ---: | ---: | ---: | "
                                   "---: | ---: |\n"));
    for (size_t i = 0; i < s->n_teams; i++) {
        const struct il_since_team *t = &s->teams[i];
        IL_REPORT_TRY(il_buf_puts(out, "| "));
        s_md(out, t->team);
        IL_REPORT_TRY(il_buf_printf(out, " | %zu | ", t->active));
        IL_REPORT_TRY(t->budget >= 0
                          ? il_buf_printf(out, "%lld%s", t->budget, (long long)t->active > t->budget ? " (over)" : "")
                          : il_buf_puts(out, "—"));
        IL_REPORT_TRY(il_buf_printf(out, " | %lld | ", t->function_days));
        IL_REPORT_TRY(t->function_budget >= 0 ? il_buf_printf(out, "%lld", t->function_budget) : il_buf_puts(out, "—"));
        IL_REPORT_TRY(il_buf_printf(out, " | %zu | %.1f |\n", t->overdue_reviews, t->mean_lifetime_days));
    }
}

enum il_status il_report_since_markdown(const struct il_report *report, struct il_buf *out) {
    const struct il_report_since *s = il_report_get_since(report);
    if (s == NULL) {
        return IL_OK;
    }
    IL_TRY(il_buf_puts(out, "## Since "));
    IL_TRY(il_escape_markdown(out, s->ref));
    IL_TRY(il_buf_printf(out, " (commit %.12s, %s)\n\n", s->commit, s->ref_date));
    IL_TRY(il_buf_printf(out, "%zu added, %zu removed, %zu renewed, %zu changed, %zu expired.%s\n\n",
                         s->counts[IL_SINCE_ADDED], s->counts[IL_SINCE_REMOVED], s->counts[IL_SINCE_RENEWED],
                         s->counts[IL_SINCE_CHANGED], s->counts[IL_SINCE_EXPIRED],
                         s->history_truncated ? " The history walk stopped at its bound: renewals and ages may be "
                                                "undercounted."
                                              : ""));
    if (s->n_changes > 0) {
        s_md_changes(out, s);
    }
    if (s->tags_given) {
        s_md_tags(out, s);
    }
    s_md_aging(out, report, s);
    s_md_teams(out, s);
    IL_TRY(il_buf_putc(out, '\n'));
    return il_buf_status(out);
}

/* ---- CSV: per-row columns ---- */

enum il_status il_report_since_csv_header(struct il_buf *out) {
    return il_buf_puts(out, ",\"since_ref\",\"since_change\",\"first_applied_at\",\"age_days\",\"times_renewed\"");
}

enum il_status il_report_since_csv_cells(const struct il_report *report, const struct il_report_row *row,
                                         struct il_buf *out) {
    const struct il_report_since *s = il_report_get_since(report);
    size_t i = row ? row->index - 1 : (size_t)-1;
    if (row == NULL || s == NULL || i >= s->n_aging) {
        return il_buf_puts(out, ",,,,,");
    }
    const struct il_since_aging *a = &s->aging[i];
    IL_TRY(il_buf_putc(out, ','));
    IL_TRY(il_escape_csv(out, s->ref));
    IL_TRY(il_buf_printf(out, ",\"%s\",", a->change));
    IL_TRY(il_escape_csv(out, a->first_applied ? a->first_applied : ""));
    return il_buf_printf(out, ",%ld,%u", a->age_days, a->renewals);
}

/* ---- JSON ---- */

static void s_js(struct il_buf *out, const char *key, const char *value, int comma) {
    IL_REPORT_TRY(il_buf_printf(out, "%s\"%s\": ", comma ? ", " : "", key));
    IL_REPORT_TRY(value ? il_escape_json(out, value) : il_buf_puts(out, "null"));
}

static void s_json_changes(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, ",\n    \"changes\": ["));
    for (size_t i = 0; i < s->n_changes; i++) {
        const struct il_since_change *c = &s->changes[i];
        IL_REPORT_TRY(il_buf_printf(out, "%s\n      {\"kind\": \"%s\"", i ? "," : "", il_since_kind_str(c->kind)));
        s_js(out, "function_name", c->function_name, 1);
        s_js(out, "function_arn", c->function_arn, 1);
        s_js(out, "scan_type", c->scan_type, 1);
        s_js(out, "team", c->team, 1);
        s_js(out, "expires_before", c->expires_before, 1);
        s_js(out, "expires_now", c->expires_now, 1);
        IL_REPORT_TRY(il_buf_putc(out, '}'));
    }
    IL_REPORT_TRY(il_buf_puts(out, s->n_changes ? "\n    ]" : "]"));
}

static void s_json_tags(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, ",\n    \"tag_changes\": "));
    if (!s->tags_given) {
        IL_REPORT_TRY(il_buf_puts(out, "null"));
        return;
    }
    IL_REPORT_TRY(il_buf_putc(out, '['));
    for (size_t i = 0; i < s->n_tags; i++) {
        const struct il_since_tag *t = &s->tags[i];
        IL_REPORT_TRY(il_buf_puts(out, i ? ",\n      {" : "\n      {"));
        s_js(out, "time", t->time, 0);
        s_js(out, "action", t->action, 1);
        s_js(out, "function_arn", t->function_arn, 1);
        s_js(out, "tag_key", t->tag_key, 1);
        s_js(out, "tag_value", t->tag_value, 1);
        s_js(out, "result", t->result, 1);
        s_js(out, "ledger_file", t->ledger_file, 1);
        IL_REPORT_TRY(t->ledger_line ? il_buf_printf(out, ", \"ledger_line\": %u}", t->ledger_line)
                                     : il_buf_puts(out, ", \"ledger_line\": null}"));
    }
    IL_REPORT_TRY(il_buf_puts(out, s->n_tags ? "\n    ]" : "]"));
}

static void s_json_aging(struct il_buf *out, const struct il_report *report, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, ",\n    \"aging\": ["));
    for (size_t i = 0; i < s->n_aging && i < il_report_row_count(report); i++) {
        const struct il_since_aging *a = &s->aging[i];
        IL_REPORT_TRY(
            il_buf_printf(out, "%s\n      {\"index\": %zu", i ? "," : "", il_report_row_at(report, i)->index));
        s_js(out, "function_arn", il_report_row_at(report, i)->entry.function_arn, 1);
        s_js(out, "change", a->change, 1);
        s_js(out, "first_applied_at", a->first_applied, 1);
        IL_REPORT_TRY(il_buf_printf(out, ", \"age_days\": %ld, \"times_renewed\": %u, \"days_until_expiry\": %ld}",
                                    a->age_days, a->renewals, a->days_left));
    }
    IL_REPORT_TRY(il_buf_puts(out, s->n_aging ? "\n    ]" : "]"));
}

static void s_json_teams(struct il_buf *out, const struct il_report_since *s) {
    IL_REPORT_TRY(il_buf_puts(out, ",\n    \"teams\": ["));
    for (size_t i = 0; i < s->n_teams; i++) {
        const struct il_since_team *t = &s->teams[i];
        IL_REPORT_TRY(il_buf_puts(out, i ? ",\n      {" : "\n      {"));
        s_js(out, "team", t->team, 0);
        IL_REPORT_TRY(il_buf_printf(out, ", \"active\": %zu, \"budget\": ", t->active));
        IL_REPORT_TRY(t->budget >= 0 ? il_buf_printf(out, "%lld", t->budget) : il_buf_puts(out, "null"));
        IL_REPORT_TRY(il_buf_printf(out, ", \"over_budget\": %s, \"function_days\": %lld, \"function_days_budget\": ",
                                    t->budget >= 0 && (long long)t->active > t->budget ? "true" : "false",
                                    t->function_days));
        IL_REPORT_TRY(t->function_budget >= 0 ? il_buf_printf(out, "%lld", t->function_budget)
                                              : il_buf_puts(out, "null"));
        IL_REPORT_TRY(il_buf_printf(out, ", \"overdue_reviews\": %zu, \"mean_lifetime_days\": %.1f}",
                                    t->overdue_reviews, t->mean_lifetime_days));
    }
    IL_REPORT_TRY(il_buf_puts(out, s->n_teams ? "\n    ]" : "]"));
}

enum il_status il_report_since_json(const struct il_report *report, struct il_buf *out) {
    const struct il_report_since *s = il_report_get_since(report);
    if (s == NULL) {
        return IL_OK;
    }
    IL_TRY(il_buf_puts(out, "\n  \"since\": {\n    "));
    s_js(out, "ref", s->ref, 0);
    s_js(out, "commit", s->commit, 1);
    s_js(out, "ref_date", s->ref_date, 1);
    IL_TRY(il_buf_printf(out,
                         ",\n    \"counts\": {\"added\": %zu, \"removed\": %zu, \"renewed\": %zu, \"changed\": %zu, "
                         "\"expired\": %zu}",
                         s->counts[IL_SINCE_ADDED], s->counts[IL_SINCE_REMOVED], s->counts[IL_SINCE_RENEWED],
                         s->counts[IL_SINCE_CHANGED], s->counts[IL_SINCE_EXPIRED]));
    IL_TRY(il_buf_printf(out, ",\n    \"history\": {\"revisions\": %zu, \"truncated\": %s}", s->revisions,
                         s->history_truncated ? "true" : "false"));
    s_json_changes(out, s);
    s_json_tags(out, s);
    s_json_aging(out, report, s);
    s_json_teams(out, s);
    IL_TRY(il_buf_puts(out, "\n  }"));
    return il_buf_status(out);
}
