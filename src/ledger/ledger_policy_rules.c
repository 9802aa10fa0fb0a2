/* The policy rules that need only the ledger: ticket-format, approver-not-allowed, budget-exceeded. One function per
 * rule; findings are located at the field they are about. */
#include <stdlib.h>
#include <string.h>

#include "il/rules.h"
#include "ledger/ledger_gate_internal.h"
#include "ledger/ledger_policy_internal.h"

static enum il_status s_rule_ticket_format(const struct il_policy *p, const struct il_ledger *ledger,
                                           const struct il_ledger_entry *e, struct il_diags *diags) {
    if (p->ticket == NULL || e->ticket.value == NULL ||
        il_policy_ticket_ok(p, e->ticket.node, il_ledger_filename(ledger))) {
        return IL_OK;
    }
    return il_ledger_entry_diag(
        diags, ledger, e, &e->ticket, "/reason/ticket", IL_SEV_ERROR, il_rule_id_str(IL_RULE_TICKET_FORMAT),
        "ticket `%s` does not match the policy's ticket_pattern `%s` (%s:%u): use the "
        "organisation's ticket format",
        e->ticket.value, p->v.ticket_pattern, p->v.ticket_pattern_from.file, p->v.ticket_pattern_from.line);
}

/* "a, b or c" (at most five names, then "..."), for the approver hint. */
static enum il_status s_names(struct il_buf *out, const struct il_policy_values *v) {
    size_t n = v->n_approvers < 5 ? v->n_approvers : 5;
    for (size_t i = 0; i < n; i++) {
        IL_TRY(il_buf_printf(out, "%s`%s`",
                             i == 0                              ? ""
                             : i + 1 == n && n == v->n_approvers ? " or "
                                                                 : ", ",
                             v->approvers[i].name));
    }
    return n < v->n_approvers ? il_buf_puts(out, ", ...") : IL_OK;
}

static enum il_status s_rule_approver_allowed(const struct il_policy *p, const struct il_ledger *ledger,
                                              const struct il_ledger_entry *e, struct il_diags *diags) {
    if (p->v.approvers_from.file == NULL || e->approved_by.value == NULL ||
        il_policy_approver(p, e->approved_by.value) != NULL) {
        return IL_OK;
    }
    struct il_buf names;
    il_buf_init(&names, 4096);
    enum il_status st = s_names(&names, &p->v);
    if (st == IL_OK) {
        st = il_ledger_entry_diag(diags, ledger, e, &e->approved_by, "/owner/approved_by", IL_SEV_ERROR,
                                  il_rule_id_str(IL_RULE_APPROVER_NOT_ALLOWED),
                                  "approved_by `%s` is not an approver in the policy (%s:%u): have %s approve it",
                                  e->approved_by.value, p->v.approvers_from.file, p->v.approvers_from.line,
                                  p->v.n_approvers ? il_buf_cstr(&names) : "an approver listed there");
    }
    il_buf_release(&names);
    return st;
}

/* One team's tally over the active entries. */
static enum il_status s_rule_budget(const struct il_policy *p, const struct il_ledger *ledger,
                                    const struct il_policy_budget *b, const struct il_ledger_rule_opts *rules,
                                    struct il_diags *diags) {
    long long active = 0;
    long long days = 0;
    const struct il_ledger_entry *last = NULL;
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        if (e->team.value == NULL || strcmp(e->team.value, b->team) != 0 || !il_ledger_entry_active(e, rules)) {
            continue;
        }
        active++;
        if (e->applied_at.valid && e->expires_at.days > e->applied_at.days) {
            days += e->expires_at.days - e->applied_at.days;
        }
        last = e;
    }
    if (last == NULL) {
        return IL_OK;
    }
    if (b->active >= 0 && active > b->active) {
        IL_TRY(il_ledger_entry_diag(diags, ledger, last, &last->team, "/owner/team", IL_SEV_ERROR,
                                    il_rule_id_str(IL_RULE_BUDGET_EXCEEDED),
                                    "team `%s` holds %lld active exclusions, over its budget of %lld (%s:%u): remove "
                                    "or let one expire before adding another",
                                    b->team, active, b->active, b->origin.file, b->origin.line));
    }
    if (b->function_days >= 0 && days > b->function_days) {
        IL_TRY(il_ledger_entry_diag(diags, ledger, last, &last->team, "/owner/team", IL_SEV_ERROR,
                                    il_rule_id_str(IL_RULE_BUDGET_EXCEEDED),
                                    "team `%s` holds %lld excluded function-days, over its budget of %lld (%s:%u): "
                                    "shorten or remove exclusions",
                                    b->team, days, b->function_days, b->origin.file, b->origin.line));
    }
    return IL_OK;
}

enum il_status il_policy_check(const struct il_policy *policy, const struct il_ledger *ledger,
                               const struct il_ledger_rule_opts *rules, struct il_diags *diags) {
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        IL_TRY(s_rule_ticket_format(policy, ledger, e, diags));
        IL_TRY(s_rule_approver_allowed(policy, ledger, e, diags));
    }
    for (size_t i = 0; i < policy->v.n_budgets; i++) {
        IL_TRY(s_rule_budget(policy, ledger, &policy->v.budgets[i], rules, diags));
    }
    return IL_OK;
}
