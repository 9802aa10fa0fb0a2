/* The policy model: defaults, flag overrides, lookups, the severity overrides. Loading is ledger_policy_load.c. */
#include <stdlib.h>
#include <string.h>

#include "il/doc/json.h"
#include "il/escape.h"
#include "il/rules.h"
#include "ledger/ledger_policy_internal.h"

int il_policy_ieq(const char *a, const char *b) {
    for (;; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) {
            return 0;
        }
        if (x == '\0') {
            return 1;
        }
    }
}

void il_policy_origin_at(const struct il_policy *policy, const struct il_node *node, struct il_policy_origin *origin) {
    origin->flag = NULL;
    origin->file = policy->name;
    origin->line = node ? il_node_line(node) : 0;
    origin->column = node ? il_node_column(node) : 0;
}

enum il_status il_policy_new(struct il_policy **out) {
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        return IL_ERR_NOMEM;
    }
    struct il_policy *p = *out;
    p->doc = il_doc_new(NULL);
    if (p->doc == NULL) {
        il_policy_free(p);
        *out = NULL;
        return IL_ERR_NOMEM;
    }
    p->v.warn_days = 14;
    p->v.max_renewals = -1;
    p->v.implicit_severity = IL_SEV_NOTICE;
    return IL_OK;
}

void il_policy_free(struct il_policy *policy) {
    if (policy == NULL) {
        return;
    }
    il_schema_free(policy->ticket);
    il_doc_free(policy->ticket_doc);
    il_doc_free(policy->doc);
    free(policy->name);
    free(policy);
}

const struct il_policy_values *il_policy_values(const struct il_policy *policy) {
    return &policy->v;
}

static void s_flag(struct il_policy_origin *o, const char *flag) {
    memset(o, 0, sizeof(*o));
    o->flag = flag;
}

void il_policy_set_warn_days(struct il_policy *policy, unsigned days, const char *flag) {
    policy->v.warn_days = days;
    s_flag(&policy->v.warn_days_from, flag);
}

void il_policy_set_max_days(struct il_policy *policy, unsigned days, const char *flag) {
    policy->v.max_days = days;
    s_flag(&policy->v.max_days_from, flag);
}

void il_policy_set_distinct_approver(struct il_policy *policy, int on, const char *flag) {
    policy->v.require_distinct_approver = on;
    s_flag(&policy->v.require_distinct_approver_from, flag);
}

void il_policy_set_max_renewals(struct il_policy *policy, long renewals, const char *flag) {
    policy->v.max_renewals = renewals;
    s_flag(&policy->v.max_renewals_from, flag);
}

void il_policy_rule_opts(const struct il_policy *policy, struct il_ledger_rule_opts *rules) {
    rules->warn_days = policy->v.warn_days;
    rules->max_days = policy->v.max_days;
    rules->require_distinct_approver = policy->v.require_distinct_approver;
}

const struct il_policy_approver *il_policy_approver(const struct il_policy *policy, const char *name) {
    if (name == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < policy->v.n_approvers; i++) {
        if (strcmp(policy->v.approvers[i].name, name) == 0) {
            return &policy->v.approvers[i];
        }
    }
    for (size_t i = 0; i < policy->v.n_approvers; i++) {
        if (il_policy_ieq(policy->v.approvers[i].name, name)) {
            return &policy->v.approvers[i];
        }
    }
    return NULL;
}

const struct il_policy_budget *il_policy_budget(const struct il_policy *policy, const char *team) {
    for (size_t i = 0; team != NULL && i < policy->v.n_budgets; i++) {
        if (strcmp(policy->v.budgets[i].team, team) == 0) {
            return &policy->v.budgets[i];
        }
    }
    return NULL;
}

enum il_status il_policy_compile_ticket(struct il_policy *policy, const struct il_node *at, struct il_diags *diags) {
    struct il_buf text;
    il_buf_init(&text, 0);
    struct il_diags *scratch = il_diags_new();
    enum il_status st = scratch ? IL_OK : IL_ERR_NOMEM;
    if (st == IL_OK) {
        /* the pattern keyword of a one-line schema: the same regex engine and dialect as the ledger's schema */
        st = il_buf_puts(&text, "{\"type\":\"string\",\"pattern\":");
        st = st == IL_OK ? il_escape_json(&text, policy->v.ticket_pattern) : st;
        st = st == IL_OK ? il_buf_putc(&text, '}') : st;
    }
    if (st == IL_OK) {
        st = il_json_load(text.data, text.len, "ticket_pattern", &policy->ticket_doc, scratch);
    }
    if (st == IL_OK) {
        st = il_schema_compile(policy->ticket_doc, &policy->ticket, scratch);
    }
    if (st != IL_OK && st != IL_ERR_NOMEM) {
        const struct il_diag *why = il_diags_count(scratch) ? il_diags_get(scratch, 0) : NULL;
        st = il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_POLICY_FILE), policy->name, il_node_line(at),
                           il_node_column(at), NULL,
                           "ticket_pattern is not a regular expression the schema engine accepts: %s",
                           why ? why->message : "it does not compile");
        st = st == IL_OK ? IL_ERR_INVALID : st;
    }
    il_diags_free(scratch);
    il_buf_release(&text);
    return st;
}

int il_policy_ticket_ok(const struct il_policy *policy, const struct il_node *ticket, const char *filename) {
    if (policy->ticket == NULL) {
        return 1;
    }
    size_t errors = 0;
    return ticket != NULL && il_schema_validate_node(policy->ticket, ticket, filename, NULL, &errors) == IL_OK &&
           errors == 0;
}

struct s_adjust {
    const struct il_policy *policy;
};

/* The override for @p rule: 1 and *sev when there is one, -1 when it is off, 0 when none. */
static int s_override(const struct il_policy *p, const char *rule, enum il_severity *sev) {
    for (size_t i = 0; rule != NULL && i < p->v.n_severities; i++) {
        if (strcmp(p->v.severities[i].rule, rule) == 0) {
            *sev = p->v.severities[i].severity;
            return p->v.severities[i].off ? -1 : 1;
        }
    }
    if (rule != NULL && strcmp(rule, il_rule_id_str(IL_RULE_SCAN_BLIND_CMK)) == 0 &&
        (p->v.implicit_from.file != NULL || p->v.implicit_severity != IL_SEV_NOTICE || p->v.implicit_off)) {
        *sev = p->v.implicit_severity;
        return p->v.implicit_off ? -1 : 1;
    }
    return 0;
}

static int s_is_off(const struct il_diag *d, void *arg) {
    enum il_severity sev;
    return s_override(((const struct s_adjust *)arg)->policy, d->rule, &sev) < 0;
}

void il_policy_adjust(const struct il_policy *policy, struct il_diags *diags) {
    struct s_adjust a = {policy};
    il_diags_drop_if(diags, s_is_off, &a);
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        enum il_severity sev;
        /* an override replaces the catalogue's default only: a finding already lowered (a not-checked notice, a
         * pre-existing problem in --base mode) stays where the run put it */
        const struct il_rule_info *info = il_rule_find(d->rule);
        if (s_override(policy, d->rule, &sev) > 0 && (info == NULL || d->severity == info->severity)) {
            il_diags_set_severity(diags, i, sev);
        }
    }
}
