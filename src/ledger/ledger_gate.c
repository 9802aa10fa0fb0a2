/* The pull-request gate (il/ledger/gate.h): base vs working tree, the change rules (one function each), and the
 * demotion of problems the change did not bring. */
#include <stdlib.h>
#include <string.h>

#include "il/ledger/gate.h"
#include "il/rules.h"
#include "ledger/ledger_base.h"
#include "ledger/ledger_gate_internal.h"
#include "ledger/ledger_gate_people.h"
#include "ledger/ledger_git.h"

struct s_gate {
    const struct il_gate_opts *opts;
    const struct il_ledger *ledger;
    const struct il_ledger *base;
    struct il_ledger_where where;
    struct il_ledger_changes *changes;
    struct il_ledger_history *history; /* loaded when a renewal must be counted */
    struct il_diags *diags;
    struct il_diags *base_diags; /* the same rules over the base, for "already there" */
    int dirty;                   /* the ledger differs from HEAD: git cannot say who wrote the difference */
    int history_failed;
};

static int s_touched(enum il_change_kind k) {
    return k == IL_CHANGE_ADDED || k == IL_CHANGE_RENEWED || k == IL_CHANGE_CHANGED;
}

/* The identities that may act as the entry's approver: the policy's, or the name itself when it has none. */
static size_t s_identities(const struct s_gate *g, const struct il_ledger_entry *e, const char *const **ids,
                           const char **self) {
    const struct il_policy_approver *a = il_policy_approver(g->opts->policy, e->approved_by.value);
    if (a != NULL) {
        *ids = a->identities;
        return a->n_identities;
    }
    *self = e->approved_by.value;
    *ids = self;
    return 1;
}

static enum il_status s_rule_self_approval(struct s_gate *g, const struct il_ledger_entry *e) {
    if (g->dirty || e->approved_by.value == NULL || e->line == 0) {
        return IL_OK; /* dirty: one gate-not-verified finding already says why */
    }
    struct il_people people = {0};
    int ok = 0;
    enum il_status st = il_people_of_lines(g->where.dir, g->where.file, g->where.commit, e->line,
                                           e->end_line >= e->line ? e->end_line : e->line, &people, &ok);
    const char *self = NULL;
    const char *const *ids = NULL;
    size_t n = s_identities(g, e, &ids, &self);
    const char *who = st == IL_OK && ok ? il_people_match(&people, ids, n) : NULL;
    if (st == IL_OK && !ok) {
        st = il_ledger_entry_diag(g->diags, g->ledger, e, &e->approved_by, "/owner/approved_by", IL_SEV_ERROR,
                                  il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED),
                                  "git log -L could not tell who changed this entry since `%s`: self-approval was "
                                  "not verified",
                                  g->opts->base_ref);
    } else if (st == IL_OK && who != NULL) {
        st = il_ledger_entry_diag(g->diags, g->ledger, e, &e->approved_by, "/owner/approved_by", IL_SEV_ERROR,
                                  il_rule_id_str(IL_RULE_SELF_APPROVAL),
                                  "approved_by `%s` made this change (`%s` authored or committed a commit since "
                                  "`%s` that touched the entry): have someone else approve it",
                                  e->approved_by.value, who, g->opts->base_ref);
    }
    il_people_release(&people);
    return st;
}

static enum il_status s_rule_reviewed(struct s_gate *g, const struct il_ledger_entry *e) {
    const struct il_reviews *r = g->opts->reviews;
    if (r == NULL || e->approved_by.value == NULL) {
        return IL_OK;
    }
    const char *self = NULL;
    const char *const *ids = NULL;
    size_t n = s_identities(g, e, &ids, &self);
    int handles = 0;
    for (size_t i = 0; i < n; i++) {
        /* forge handles are "@login"; a bare approver name without policy identities is tried as a login too */
        handles |= ids[i][0] == '@';
        if ((ids[i][0] == '@' || self != NULL) && il_reviews_approved(r, ids[i])) {
            return IL_OK;
        }
    }
    return il_ledger_entry_diag(g->diags, g->ledger, e, &e->approved_by, "/owner/approved_by", IL_SEV_ERROR,
                                il_rule_id_str(IL_RULE_APPROVAL_NOT_REVIEWED),
                                "approved_by `%s` has no approving review on the pull request (%s reviews, %zu "
                                "approving): ask them to approve it%s",
                                e->approved_by.value, il_reviews_forge(r), il_reviews_count(r),
                                self || handles == 0 ? ", or list their @handle under approvers in the policy" : "");
}

static int s_same(const struct il_ledger_str *a, const struct il_ledger_str *b) {
    return a->value && b->value && a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

static enum il_status s_rule_renewal_approval(struct s_gate *g, const struct il_change *c) {
    if (!s_same(&c->entry->applied_at.text, &c->base->applied_at.text) ||
        !s_same(&c->entry->approved_by, &c->base->approved_by)) {
        return IL_OK;
    }
    const struct il_ledger_entry *e = c->entry;
    return il_ledger_entry_diag(g->diags, g->ledger, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_WARNING,
                                il_rule_id_str(IL_RULE_RENEWAL_UNCHANGED_APPROVAL),
                                "expires_at moved from %s to %s but applied_at (%s) and approved_by (`%s`) are "
                                "unchanged: record who approved the renewal and when",
                                c->base->expires_at.text.value ? c->base->expires_at.text.value : "(none)",
                                e->expires_at.text.value, e->applied_at.text.value, e->approved_by.value);
}

static enum il_status s_rule_renewals(struct s_gate *g, const struct il_change *c) {
    long max = il_policy_values(g->opts->policy)->max_renewals;
    const struct il_ledger_entry *e = c->entry;
    if (max < 0 || g->history_failed) {
        return IL_OK;
    }
    if (g->history == NULL) {
        enum il_status st = il_ledger_history_load(g->opts->ledger_path, g->where.commit, g->opts->max_revisions,
                                                   &g->history, g->diags);
        if (st == IL_ERR_INVALID || st == IL_ERR_NOTFOUND) {
            g->history_failed = 1; /* the located gate-not-verified finding is in diags */
            return IL_OK;
        }
        IL_TRY(st);
        if (il_ledger_history_truncated(g->history)) {
            IL_TRY(il_diags_addf(g->diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED),
                                 il_ledger_filename(g->ledger), 0, 0, NULL,
                                 "the ledger's history is longer than %zu revisions: renewals were not counted "
                                 "in full",
                                 il_ledger_history_revisions(g->history)));
        }
    }
    const char *key = il_ledger_entry_key(e);
    const struct il_history_stat *s = key ? il_ledger_history_get(g->history, key, e->scan_type) : NULL;
    unsigned renewals = (s ? s->renewals : 0) + 1;
    if ((long)renewals <= max) {
        return IL_OK;
    }
    return il_ledger_entry_diag(g->diags, g->ledger, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_ERROR,
                                il_rule_id_str(IL_RULE_TOO_MANY_RENEWALS),
                                "this would be renewal %u of the exclusion (%u in the history up to `%s`), over the "
                                "policy's max_renewals of %ld: fix the finding instead of renewing",
                                renewals, renewals - 1, g->opts->base_ref, max);
}

/* 1 when diagnostic @p d was raised at the base too: same rule at the entry the change left untouched. */
static int s_at_base(const struct s_gate *g, const struct il_diag *d, const struct il_change *c) {
    for (size_t i = 0; i < il_diags_count(g->base_diags); i++) {
        const struct il_diag *b = il_diags_get(g->base_diags, i);
        if (strcmp(b->rule, d->rule) == 0 && il_ledger_pointer_index(b->pointer) == c->base->index) {
            return 1;
        }
    }
    return 0;
}

static int s_team_touched(const struct s_gate *g, const char *team) {
    for (size_t i = 0; i < il_ledger_changes_count(g->changes); i++) {
        const struct il_change *c = il_ledger_change_at(g->changes, i);
        if (c->entry && s_touched(c->kind) && c->entry->team.value && strcmp(c->entry->team.value, team) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Lower what the change did not bring. Expired always fails, and a document that does not load or match its schema
 * is never "old news". */
static size_t s_demote(struct s_gate *g) {
    size_t demoted = 0;
    for (size_t i = 0; i < il_diags_count(g->diags); i++) {
        const struct il_diag *d = il_diags_get(g->diags, i);
        const struct il_change *c = il_ledger_change_of(g->changes, il_ledger_pointer_index(d->pointer));
        if (d->severity == IL_SEV_NOTICE || c == NULL || strcmp(d->rule, il_rule_id_str(IL_RULE_EXPIRED)) == 0 ||
            strcmp(d->rule, il_rule_id_str(IL_RULE_SCHEMA)) == 0 ||
            strcmp(d->rule, il_rule_id_str(IL_RULE_YAML)) == 0 ||
            strcmp(d->rule, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED)) == 0) {
            continue;
        }
        int old = strcmp(d->rule, il_rule_id_str(IL_RULE_BUDGET_EXCEEDED)) == 0
                      ? c->entry->team.value && !s_team_touched(g, c->entry->team.value)
                      : c->kind == IL_CHANGE_UNTOUCHED && s_at_base(g, d, c);
        if (old) {
            il_diags_set_severity(g->diags, i, IL_SEV_NOTICE);
            demoted++;
        }
    }
    return demoted;
}

/* Whether the ledger file differs from HEAD (or HEAD lacks it). */
static enum il_status s_dirty(struct s_gate *g) {
    struct il_buf out, path;
    il_buf_init(&out, 1 << 16);
    il_buf_init(&path, 0);
    il_buf_say(&path, "./%s", g->where.file);
    int ok = 0;
    const char *const diff[] = {"diff", "--quiet", "HEAD", "--", il_buf_cstr(&path), NULL};
    enum il_status st = il_buf_status(&path) == IL_OK ? il_ledger_git(g->where.dir, diff, &out, &ok) : IL_ERR_NOMEM;
    if (st == IL_OK) {
        g->dirty = !ok;
        il_buf_reset(&path);
        il_buf_say(&path, "HEAD:./%s", g->where.file);
        const char *const exists[] = {"cat-file", "-e", il_buf_cstr(&path), NULL};
        st = il_buf_status(&path) == IL_OK ? il_ledger_git(g->where.dir, exists, &out, &ok) : IL_ERR_NOMEM;
        g->dirty |= !ok; /* HEAD has no such file: nothing of it is committed */
    }
    il_buf_release(&out);
    il_buf_release(&path);
    return st;
}

static enum il_status s_rules(struct s_gate *g, struct il_gate_summary *sum) {
    size_t touched = 0;
    for (size_t i = 0; i < il_ledger_changes_count(g->changes); i++) {
        const struct il_change *c = il_ledger_change_at(g->changes, i);
        size_t *count[] = {&sum->untouched, &sum->added, &sum->renewed, &sum->changed, &sum->removed};
        (*count[c->kind])++;
        if (!s_touched(c->kind)) {
            continue;
        }
        touched++;
        IL_TRY(s_rule_self_approval(g, c->entry));
        IL_TRY(s_rule_reviewed(g, c->entry));
        if (c->kind == IL_CHANGE_RENEWED) {
            IL_TRY(s_rule_renewal_approval(g, c));
            IL_TRY(s_rule_renewals(g, c));
        }
    }
    if (touched > 0 && g->dirty) {
        IL_TRY(il_diags_addf(g->diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED),
                             il_ledger_filename(g->ledger), 0, 0, NULL,
                             "the ledger has uncommitted changes: commit them so the gate can tell who made them "
                             "(self-approval was not verified)"));
    }
    if (touched > 0 && g->opts->reviews == NULL) {
        IL_TRY(il_diags_addf(g->diags, IL_SEV_NOTICE, il_rule_id_str(IL_RULE_APPROVALS_NOT_VERIFIED),
                             il_ledger_filename(g->ledger), 0, 0, NULL,
                             "%zu added, renewed or changed entr%s: approvals were checked against the policy and "
                             "git, not against the pull request's reviews (pass --reviews FILE)",
                             touched, touched == 1 ? "y" : "ies"));
    }
    return IL_OK;
}

enum il_status il_gate_check(const struct il_gate_opts *opts, const struct il_ledger *ledger, struct il_diags *diags,
                             struct il_gate_summary *summary) {
    memset(summary, 0, sizeof(*summary));
    struct s_gate g = {.opts = opts, .ledger = ledger, .diags = diags};
    struct il_ledger *base = NULL;
    IL_TRY(il_ledger_git_where(opts->ledger_path, opts->base_ref, &g.where, diags));
    enum il_status st = il_ledger_load_at(opts->ledger_path, opts->base_ref, opts->schema, &base, diags);
    g.base = base;
    if (st == IL_OK) {
        st = il_ledger_compare(base, ledger, &g.changes);
    }
    if (st == IL_OK && (g.base_diags = il_diags_new()) == NULL) {
        st = IL_ERR_NOMEM;
    }
    if (st == IL_OK && base != NULL) {
        st = il_ledger_check_rules(base, &opts->rules, g.base_diags);
        st = st == IL_OK ? il_policy_check(opts->policy, base, &opts->rules, g.base_diags) : st;
    }
    st = st == IL_OK ? s_dirty(&g) : st;
    if (st == IL_OK) {
        summary->demoted = s_demote(&g);
        st = s_rules(&g, summary);
    }
    if (st == IL_OK && summary->demoted > 0) {
        st = il_diags_addf(
            diags, IL_SEV_NOTICE, il_rule_id_str(IL_RULE_PRE_EXISTING), il_ledger_filename(ledger), 0, 0, NULL,
            "%zu problem%s in entries this change does not touch %s already there at `%s`: shown as "
            "notices (an expired exclusion still fails)",
            summary->demoted, summary->demoted == 1 ? "" : "s", summary->demoted == 1 ? "was" : "were", opts->base_ref);
    }
    for (size_t i = 0; st == IL_OK && i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        summary->not_verified +=
            d->severity == IL_SEV_ERROR && strcmp(d->rule, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED)) == 0;
    }
    il_ledger_history_free(g.history);
    il_diags_free(g.base_diags);
    il_ledger_changes_free(g.changes);
    il_ledger_free(base);
    il_ledger_where_release(&g.where);
    return st;
}
