/* --print-policy: the effective policy as YAML a person can read and a program can load, with where each value came
 * from as a comment. Strings are written as JSON literals (valid YAML, and control characters cannot reach a
 * terminal); file names in comments are escaped for the terminal. */
#include "il/escape.h"
#include "ledger/ledger_policy_internal.h"

static enum il_status s_from(struct il_buf *out, const struct il_policy_origin *o) {
    IL_TRY(il_buf_puts(out, "  # "));
    if (o->flag != NULL) {
        IL_TRY(il_buf_puts(out, "flag "));
        IL_TRY(il_escape_terminal(out, o->flag));
    } else if (o->file != NULL) {
        IL_TRY(il_escape_terminal(out, o->file));
        IL_TRY(il_buf_printf(out, ":%u:%u", o->line, o->column));
    } else {
        IL_TRY(il_buf_puts(out, "default"));
    }
    return il_buf_putc(out, '\n');
}

static const char *s_sev(int off, enum il_severity sev) {
    return off ? "off" : il_severity_str(sev);
}

static enum il_status s_lists(struct il_buf *out, const struct il_policy_values *v) {
    IL_TRY(il_buf_puts(out, v->n_approvers ? "approvers:" : "approvers: {}"));
    IL_TRY(s_from(out, &v->approvers_from));
    for (size_t i = 0; i < v->n_approvers; i++) {
        IL_TRY(il_buf_puts(out, "  "));
        IL_TRY(il_escape_json(out, v->approvers[i].name));
        IL_TRY(il_buf_puts(out, ": ["));
        for (size_t j = 0; j < v->approvers[i].n_identities; j++) {
            IL_TRY(il_buf_puts(out, j ? ", " : ""));
            IL_TRY(il_escape_json(out, v->approvers[i].identities[j]));
        }
        IL_TRY(il_buf_putc(out, ']'));
        IL_TRY(s_from(out, &v->approvers[i].origin));
    }
    IL_TRY(il_buf_puts(out, v->n_budgets ? "budgets:\n" : "budgets: {}  # default\n"));
    for (size_t i = 0; i < v->n_budgets; i++) {
        const struct il_policy_budget *b = &v->budgets[i];
        IL_TRY(il_buf_puts(out, "  "));
        IL_TRY(il_escape_json(out, b->team));
        IL_TRY(il_buf_puts(out, ": {"));
        if (b->active >= 0) {
            IL_TRY(il_buf_printf(out, "active: %lld%s", b->active, b->function_days >= 0 ? ", " : ""));
        }
        if (b->function_days >= 0) {
            IL_TRY(il_buf_printf(out, "function_days: %lld", b->function_days));
        }
        IL_TRY(il_buf_putc(out, '}'));
        IL_TRY(s_from(out, &b->origin));
    }
    IL_TRY(il_buf_puts(out, v->n_severities ? "severity:\n" : "severity: {}  # default\n"));
    for (size_t i = 0; i < v->n_severities; i++) {
        IL_TRY(il_buf_puts(out, "  "));
        IL_TRY(il_escape_json(out, v->severities[i].rule));
        IL_TRY(il_buf_printf(out, ": %s", s_sev(v->severities[i].off, v->severities[i].severity)));
        IL_TRY(s_from(out, &v->severities[i].origin));
    }
    return IL_OK;
}

enum il_status il_policy_print(const struct il_policy *policy, struct il_buf *out) {
    const struct il_policy_values *v = &policy->v;
    IL_TRY(il_buf_puts(out, "# effective inspector-ledger policy (a flag overrides the file, the file the default)\n"));
    IL_TRY(il_buf_printf(out, "warn_days: %u", v->warn_days));
    IL_TRY(s_from(out, &v->warn_days_from));
    IL_TRY(v->max_days ? il_buf_printf(out, "max_days: %u", v->max_days) : il_buf_puts(out, "max_days: null"));
    IL_TRY(s_from(out, &v->max_days_from));
    IL_TRY(il_buf_printf(out, "require_distinct_approver: %s", v->require_distinct_approver ? "true" : "false"));
    IL_TRY(s_from(out, &v->require_distinct_approver_from));
    IL_TRY(v->max_renewals >= 0 ? il_buf_printf(out, "max_renewals: %ld", v->max_renewals)
                                : il_buf_puts(out, "max_renewals: null"));
    IL_TRY(s_from(out, &v->max_renewals_from));
    IL_TRY(il_buf_puts(out, "ticket_pattern: "));
    IL_TRY(v->ticket_pattern ? il_escape_json(out, v->ticket_pattern) : il_buf_puts(out, "null"));
    IL_TRY(s_from(out, &v->ticket_pattern_from));
    IL_TRY(s_lists(out, v));
    IL_TRY(il_buf_printf(out, "implicit_exclusion_severity: %s", s_sev(v->implicit_off, v->implicit_severity)));
    return s_from(out, &v->implicit_from);
}
