/* `report --since REF`: changes since REF, aging and per-team figures, built from the ledger's git history through
 * src/ledger/ (il/ledger/gate.h). Decides what the section holds; the writers in report_since_*.c render it. */
#include <stdlib.h>
#include <string.h>

#include "il/date.h"
#include "il/ledger/gate.h"
#include "il/report/since.h"
#include "report/report_since_internal.h"

static const char *s_day(struct il_since_build *b, int64_t days) {
    struct il_date d;
    char text[IL_DATE_STRLEN];
    il_date_from_days(days, &d);
    il_date_format(&d, text);
    return il_since_keep(b, text);
}

static void s_change(struct il_since_build *b, enum il_since_kind kind, const struct il_ledger_entry *now,
                     const struct il_ledger_entry *before) {
    const struct il_ledger_entry *e = now ? now : before;
    struct il_since_change *c = &b->changes[b->pub.n_changes++];
    c->kind = kind;
    c->function_name = il_since_keep(b, e->function_name.value);
    c->function_arn = il_since_keep(b, e->function_arn.value);
    c->scan_type = il_since_keep(b, e->scan_type_text.value);
    c->team = il_since_keep(b, e->team.value);
    c->expires_before = before && before->expires_at.valid ? il_since_keep(b, before->expires_at.text.value) : NULL;
    c->expires_now = now && now->expires_at.valid ? il_since_keep(b, now->expires_at.text.value) : NULL;
    b->pub.counts[kind]++;
}

/* Changes: one per entry that is not untouched, plus "expired" for every exclusion (current or removed) whose
 * expiry fell after REF's day and before the as-of day. */
static void s_changes(struct il_since_build *b, const struct il_ledger_changes *ch, int64_t ref_day, int64_t today) {
    for (size_t i = 0; i < il_ledger_changes_count(ch); i++) {
        const struct il_change *c = il_ledger_change_at(ch, i);
        static const enum il_since_kind map[] = {
            [IL_CHANGE_ADDED] = IL_SINCE_ADDED,
            [IL_CHANGE_RENEWED] = IL_SINCE_RENEWED,
            [IL_CHANGE_CHANGED] = IL_SINCE_CHANGED,
            [IL_CHANGE_REMOVED] = IL_SINCE_REMOVED,
        };
        if (c->kind != IL_CHANGE_UNTOUCHED) {
            s_change(b, map[c->kind], c->entry, c->base);
        }
    }
    for (size_t i = 0; i < il_ledger_changes_count(ch); i++) {
        const struct il_change *c = il_ledger_change_at(ch, i);
        const struct il_ledger_entry *e = c->entry ? c->entry : c->base;
        if (e->expires_at.valid && e->expires_at.days >= ref_day && e->expires_at.days < today) {
            s_change(b, IL_SINCE_EXPIRED, c->entry, c->base);
        }
    }
}

static int64_t s_first_applied(const struct il_ledger_history *h, const struct il_ledger_entry *e) {
    const char *key = e->arn.valid ? e->arn.unqualified : e->function_arn.value;
    const struct il_history_stat *s = key ? il_ledger_history_get(h, key, e->scan_type) : NULL;
    if (s != NULL && s->first_applied_days >= 0 &&
        (!e->applied_at.valid || s->first_applied_days < e->applied_at.days)) {
        return s->first_applied_days;
    }
    return e->applied_at.valid ? e->applied_at.days : -1;
}

static void s_aging(struct il_since_build *b, const struct il_ledger *ledger, const struct il_ledger_changes *ch,
                    const struct il_ledger_history *h, int64_t today) {
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        const char *key = e->arn.valid ? e->arn.unqualified : e->function_arn.value;
        const struct il_history_stat *s = key ? il_ledger_history_get(h, key, e->scan_type) : NULL;
        int64_t first = s_first_applied(h, e);
        struct il_since_aging *a = &b->aging[b->pub.n_aging++];
        a->age_days = first >= 0 ? (long)(today - first) : 0;
        a->renewals = s ? s->renewals : 0;
        a->days_left = e->expires_at.valid ? (long)(e->expires_at.days - today) : 0;
        a->first_applied = first >= 0 ? s_day(b, first) : NULL;
        const struct il_change *c = il_ledger_change_of(ch, i);
        a->change = il_change_kind_str(c ? c->kind : IL_CHANGE_UNTOUCHED);
    }
}

static int s_team_cmp(const void *x, const void *y) {
    return strcmp(((const struct il_since_team *)x)->team, ((const struct il_since_team *)y)->team);
}

static void s_teams(struct il_since_build *b, const struct il_ledger *ledger, const struct il_report_since_opts *o,
                    const struct il_ledger_history *h) {
    size_t n = il_ledger_entry_count(ledger);
    double *sum = calloc(n + 1, sizeof(*sum));
    size_t *cnt = calloc(n + 1, sizeof(*cnt));
    if (sum == NULL || cnt == NULL) {
        b->failed = 1;
    }
    for (size_t i = 0; i < n && !b->failed; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        const char *team = e->team.value ? e->team.value : "(no team)";
        size_t t = 0;
        while (t < b->pub.n_teams && strcmp(b->teams[t].team, team) != 0) {
            t++;
        }
        if (t == b->pub.n_teams) {
            const struct il_policy_budget *bud = o->policy ? il_policy_budget(o->policy, team) : NULL;
            b->teams[t] = (struct il_since_team){
                .team = il_since_keep(b, team),
                .budget = bud ? bud->active : -1,
                .function_budget = bud ? bud->function_days : -1,
            };
            b->pub.n_teams++;
        }
        struct il_since_team *st = &b->teams[t];
        enum il_entry_status status = il_ledger_entry_status(e, &o->rules, NULL);
        if (status != IL_ENTRY_EXPIRED && status != IL_ENTRY_UNKNOWN) {
            st->active++;
            st->overdue_reviews += status == IL_ENTRY_REVIEW_OVERDUE;
            if (e->applied_at.valid && e->expires_at.days > e->applied_at.days) {
                st->function_days += e->expires_at.days - e->applied_at.days;
            }
        }
        int64_t first = s_first_applied(h, e);
        if (first >= 0 && e->expires_at.valid) {
            sum[t] += (double)(e->expires_at.days - first);
            cnt[t]++;
        }
    }
    for (size_t t = 0; t < b->pub.n_teams && !b->failed; t++) {
        b->teams[t].mean_lifetime_days = cnt[t] ? sum[t] / (double)cnt[t] : 0.0;
    }
    free(sum);
    free(cnt);
    qsort(b->teams, b->pub.n_teams, sizeof(*b->teams), s_team_cmp);
}

static enum il_status s_alloc(struct il_since_build *b, size_t n_head, size_t n_changes) {
    b->changes = calloc(2 * n_changes + 1, sizeof(*b->changes)); /* each entry at most once changed + once expired */
    b->aging = calloc(n_head + 1, sizeof(*b->aging));
    b->teams = calloc(n_head + 1, sizeof(*b->teams));
    return b->changes && b->aging && b->teams ? IL_OK : IL_ERR_NOMEM;
}

enum il_status il_report_add_since(struct il_report *report, const struct il_ledger *ledger,
                                   const struct il_report_since_opts *o, struct il_diags *diags) {
    struct il_since_build *b = calloc(1, sizeof(*b));
    struct il_ledger *base = NULL;
    struct il_ledger_changes *ch = NULL;
    struct il_ledger_history *h = NULL;
    char commit[65];
    long long time = 0;
    if (b == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = il_ledger_ref_time(o->ledger_path, o->ref, commit, &time, diags);
    st = st == IL_OK ? il_ledger_load_at(o->ledger_path, commit, o->schema, &base, diags) : st;
    st = st == IL_OK ? il_ledger_compare(base, ledger, &ch) : st;
    st = st == IL_OK ? il_ledger_history_load(o->ledger_path, "HEAD", o->max_revisions, &h, diags) : st;
    st = st == IL_OK ? s_alloc(b, il_ledger_entry_count(ledger), il_ledger_changes_count(ch)) : st;
    if (st == IL_OK) {
        int64_t today = il_date_to_days(&o->rules.as_of);
        int64_t ref_day = time >= 0 ? time / 86400 : -((-time + 86399) / 86400);
        b->pub.ref = il_since_keep(b, o->ref);
        b->pub.commit = il_since_keep(b, commit);
        b->pub.ref_date = s_day(b, ref_day);
        b->pub.revisions = il_ledger_history_revisions(h);
        b->pub.history_truncated = il_ledger_history_truncated(h);
        s_changes(b, ch, ref_day, today);
        s_aging(b, ledger, ch, h, today);
        s_teams(b, ledger, o, h);
        if (o->changes_path != NULL) {
            b->pub.tags_given = 1;
            st = il_since_read_log(b, o->changes_path, time, diags);
        }
        st = st == IL_OK && b->failed ? IL_ERR_NOMEM : st;
    }
    b->pub.changes = b->changes;
    b->pub.aging = b->aging;
    b->pub.teams = b->teams;
    b->pub.tags = b->tags;
    if (st == IL_OK) {
        il_report_set_since(report, &b->pub);
        b = NULL;
    }
    il_report_since_free(b ? &b->pub : NULL);
    il_ledger_history_free(h);
    il_ledger_changes_free(ch);
    il_ledger_free(base);
    return st;
}
