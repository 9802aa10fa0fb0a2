/* Drift rules: one static function per rule, each reading the ledger and the inventory and adding findings. */
#include "il/drift/drift.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/rules.h"

struct s_ctx {
    const struct il_ledger *ledger;
    const struct il_inventory *inv;
    const struct il_drift_opts *opts;
    struct il_diags *findings;
    struct il_diags *unverified; /* IL_RULE_NOT_VERIFIED goes here, every other rule to findings */
};

/* Add one finding; @p line 0 places it at the ledger's `exclusions` (so it still annotates the pull request). */
static enum il_status s_emit(struct s_ctx *ctx, enum il_rule_id rule, unsigned line, unsigned column, const char *arn,
                             const char *account, const char *region, const char *fmt, ...) IL_PRINTF(8, 9);

static enum il_status s_emit(struct s_ctx *ctx, enum il_rule_id rule, unsigned line, unsigned column, const char *arn,
                             const char *account, const char *region, const char *fmt, ...) {
    struct il_buf msg;
    il_buf_init(&msg, 0);
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (st == IL_OK) {
        if (line == 0) {
            line = il_ledger_exclusions_line(ctx->ledger);
            column = il_ledger_exclusions_column(ctx->ledger);
        }
        const struct il_rule_info *info = il_rule_info(rule);
        struct il_diag d = {
            .severity = info->severity,
            .rule = info->id,
            .file = il_ledger_filename(ctx->ledger),
            .line = line,
            .column = column,
            .function_arn = arn,
            .account = account,
            .region = region,
            .message = il_buf_cstr(&msg),
        };
        st = il_diags_add(rule == IL_RULE_NOT_VERIFIED ? ctx->unverified : ctx->findings, &d);
    }
    il_buf_release(&msg);
    return st;
}

static int s_expired(const struct s_ctx *ctx, const struct il_ledger_entry *e) {
    return il_ledger_entry_status(e, &ctx->opts->rules, NULL) == IL_ENTRY_EXPIRED;
}

/* --- per-entry rules --- */

static enum il_status s_rule_entry_against_function(struct s_ctx *ctx, const struct il_ledger_entry *e,
                                                    const struct il_inv_function *fn) {
    const char *arn = e->function_arn.value;
    if (fn == NULL) {
        return s_emit(ctx, IL_RULE_NOT_VERIFIED, e->function_arn.line, e->function_arn.column, arn, e->arn.account,
                      e->arn.region, "function was neither listed nor confirmed missing: its tags were not verified");
    }
    if (fn->flags & IL_INV_NOT_FOUND) {
        return s_emit(ctx, IL_RULE_FUNCTION_NOT_FOUND, e->function_arn.line, e->function_arn.column, arn,
                      e->arn.account, e->arn.region,
                      "function `%s` does not exist in account %s, region %s: remove this entry, or fix the ARN",
                      e->arn.function_name, e->arn.account, e->arn.region);
    }
    if (e->implicit_reason != IL_IMPLICIT_NONE) {
        return IL_OK; /* no tag to apply: drift_implicit.c checks that its cause still holds */
    }
    const char *key = il_scan_type_tag_key(e->scan_type);
    const char *want = il_scan_type_tag_value(e->scan_type);
    int applied = il_inv_function_tag_state(fn, e->scan_type, NULL) == IL_TAG_EXACT;
    if (applied && s_expired(ctx, e)) {
        return s_emit(ctx, IL_RULE_EXPIRED_EXCLUSION_APPLIED, e->expires_at.text.line, e->expires_at.text.column, arn,
                      e->arn.account, e->arn.region,
                      "exclusion expired on %s but tag `%s=%s` is still on the function, so Inspector still skips "
                      "it: remove the tag (inspector-ledger apply) or renew the entry with a new approval",
                      e->expires_at.text.value, key, want);
    }
    if (!applied && !s_expired(ctx, e)) {
        return s_emit(ctx, IL_RULE_EXCLUSION_NOT_APPLIED, e->line, e->column, arn, e->arn.account, e->arn.region,
                      "ledger records a %s-scanning exclusion but tag `%s=%s` is not on the function: apply the "
                      "tag (inspector-ledger apply) or remove the entry",
                      il_scan_type_str(e->scan_type), key, want);
    }
    return IL_OK;
}

/* Entries of one account/region that were not compared: one finding per pair (a ledger in a wrong account must not
 * drown the output), placed at the pair's first entry. not-verified when the run cannot reach the pair (it fails
 * closed), not-checked when the pair was declared out of scope. */
static int s_cmp_pair(const void *a, const void *b) {
    const struct il_ledger_entry *ea = *(const struct il_ledger_entry *const *)a;
    const struct il_ledger_entry *eb = *(const struct il_ledger_entry *const *)b;
    int c = strcmp(ea->arn.partition, eb->arn.partition);
    c = c ? c : strcmp(ea->arn.account, eb->arn.account);
    c = c ? c : strcmp(ea->arn.region, eb->arn.region);
    return c ? c : (ea->index < eb->index ? -1 : ea->index > eb->index);
}

static int s_same_pair(const struct il_ledger_entry *a, const struct il_ledger_entry *b) {
    return strcmp(a->arn.partition, b->arn.partition) == 0 && strcmp(a->arn.account, b->arn.account) == 0 &&
           strcmp(a->arn.region, b->arn.region) == 0;
}

static enum il_status s_emit_pair(struct s_ctx *ctx, const struct il_ledger_entry *first, size_t count,
                                  enum il_coverage_state state) {
    const char *what = count == 1 ? "entry" : "entries";
    const char *arn = count == 1 ? first->function_arn.value : NULL; /* a lone entry is about its function */
    if (state == IL_COVERAGE_DECLARED_OUT) {
        return s_emit(ctx, IL_RULE_NOT_CHECKED, first->function_arn.line, first->function_arn.column, arn,
                      first->arn.account, first->arn.region,
                      "%zu %s in account %s, region %s outside the declared scope (--only-account / --only-region): "
                      "not compared with AWS",
                      count, what, first->arn.account, first->arn.region);
    }
    struct il_buf why;
    il_buf_init(&why, 0);
    enum il_status st = il_coverage_explain(ctx->opts->coverage, ctx->inv, first, &why);
    if (st == IL_OK) {
        st = s_emit(ctx, IL_RULE_NOT_VERIFIED, first->function_arn.line, first->function_arn.column, arn,
                    first->arn.account, first->arn.region,
                    "%zu %s in account %s, region %s (partition %s) not compared with AWS: %s", count, what,
                    first->arn.account, first->arn.region, first->arn.partition, il_buf_cstr(&why));
    }
    il_buf_release(&why);
    return st;
}

static enum il_status s_uncovered(struct s_ctx *ctx, const struct il_coverage *cov, enum il_coverage_state state) {
    size_t n = il_ledger_entry_count(ctx->ledger), count = 0;
    const struct il_ledger_entry **list = malloc((n ? n : 1) * sizeof(*list));
    if (list == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (cov->states[i] == state) {
            list[count++] = il_ledger_entry(ctx->ledger, i);
        }
    }
    qsort(list, count, sizeof(*list), s_cmp_pair);
    enum il_status st = IL_OK;
    for (size_t i = 0, j; i < count && st == IL_OK; i = j) {
        for (j = i + 1; j < count && s_same_pair(list[i], list[j]); j++) {
        }
        st = s_emit_pair(ctx, list[i], j - i, state);
    }
    free(list);
    return st;
}

/* A declared account the run cannot examine (no role, not the caller's) and no entry of which already says so: the
 * declaration asked for it, so its absence must not pass for a check of it. */
static enum il_status s_declared_accounts(struct s_ctx *ctx) {
    const struct il_coverage_opts *c = ctx->opts->coverage;
    if (c == NULL || c->use_role || c->caller_account == NULL) {
        return IL_OK;
    }
    for (size_t i = 0; i < c->declared.account_count; i++) {
        const char *account = c->declared.accounts[i];
        int has_entry = 0;
        for (size_t k = 0; k < il_ledger_entry_count(ctx->ledger) && !has_entry; k++) {
            const struct il_ledger_entry *e = il_ledger_entry(ctx->ledger, k);
            has_entry = e->arn.valid && strcmp(e->arn.account, account) == 0;
        }
        if (!has_entry && strcmp(account, c->caller_account) != 0) {
            IL_TRY(s_emit(ctx, IL_RULE_NOT_VERIFIED, 0, 0, NULL, account, NULL,
                          "account %s (--only-account) was not examined: it is not the caller's account (%s); add "
                          "--role-name NAME naming a role in %s these credentials may assume, or run with its "
                          "credentials",
                          account, c->caller_account, account));
        }
    }
    return IL_OK;
}

static enum il_status s_entries(struct s_ctx *ctx) {
    struct il_coverage cov;
    IL_TRY(il_coverage_compute(ctx->ledger, ctx->inv, ctx->opts->coverage, &cov));
    enum il_status st = IL_OK;
    size_t n = il_ledger_entry_count(ctx->ledger);
    for (size_t i = 0; i < n && st == IL_OK; i++) {
        /* INVALID: validate already reported why; SCOPE_FAILED: the scope's own not-verified says what failed */
        if (cov.states[i] == IL_COVERAGE_COMPARED || cov.states[i] == IL_COVERAGE_UNCONFIRMED) {
            const struct il_ledger_entry *e = il_ledger_entry(ctx->ledger, i);
            st = s_rule_entry_against_function(ctx, e, il_inventory_find(ctx->inv, e->arn.unqualified));
        }
    }
    if (st == IL_OK) {
        st = s_uncovered(ctx, &cov, IL_COVERAGE_UNREACHABLE);
    }
    if (st == IL_OK) {
        st = s_uncovered(ctx, &cov, IL_COVERAGE_DECLARED_OUT);
    }
    if (st == IL_OK) {
        st = s_declared_accounts(ctx);
    }
    il_coverage_release(&cov);
    return st;
}

/* --- per-function rules --- */

static enum il_status s_rule_unrecorded(struct s_ctx *ctx, const struct il_inv_function *fn) {
    static const enum il_scan_type types[] = {IL_SCAN_STANDARD, IL_SCAN_CODE};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        const char *key = il_scan_type_tag_key(types[t]);
        const char *want = il_scan_type_tag_value(types[t]);
        if (il_inv_function_tag_state(fn, types[t], NULL) != IL_TAG_EXACT ||
            il_ledger_find(ctx->ledger, fn->arn, types[t]) != NULL) {
            continue;
        }
        IL_TRY(s_emit(ctx, IL_RULE_UNRECORDED_EXCLUSION, 0, 0, fn->arn, fn->account, fn->region,
                      "function `%s` (account %s, region %s) carries `%s=%s`, so Inspector skips its %s scanning, "
                      "but the ledger has no entry for it: add an approved entry, or remove the tag",
                      fn->name ? fn->name : fn->arn, fn->account, fn->region, key, want, il_scan_type_str(types[t])));
    }
    return IL_OK;
}

static enum il_status s_rule_malformed_tag(struct s_ctx *ctx, const struct il_inv_function *fn) {
    static const enum il_scan_type types[] = {IL_SCAN_STANDARD, IL_SCAN_CODE};
    for (size_t i = 0; i < fn->tag_count; i++) {
        const struct il_inv_tag *tag = &fn->tags[i];
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
            const char *key = il_scan_type_tag_key(types[t]);
            const char *want = il_scan_type_tag_value(types[t]);
            enum il_tag_state state = il_inv_tag_state(tag, types[t]);
            if (state == IL_TAG_WRONG_CASE_KEY) {
                IL_TRY(s_emit(ctx, IL_RULE_MALFORMED_EXCLUSION_TAG, 0, 0, fn->arn, fn->account, fn->region,
                              "tag key `%s` differs from `%s` only in case: Inspector ignores it, so the function "
                              "IS scanned; remove it, or use the exact key `%s=%s` with a ledger entry",
                              tag->key, key, key, want));
            } else if (state == IL_TAG_WRONG_VALUE) {
                IL_TRY(s_emit(ctx, IL_RULE_MALFORMED_EXCLUSION_TAG, 0, 0, fn->arn, fn->account, fn->region,
                              "tag `%s` has value `%s`, not `%s`: Inspector ignores it, so the function IS scanned; "
                              "remove it, or set the exact value with a ledger entry",
                              key, tag->value, want));
            }
        }
    }
    return IL_OK;
}

static enum il_status s_rule_full(struct s_ctx *ctx, const struct il_inv_function *fn) {
    if (!(fn->flags & IL_INV_CONFIG_KNOWN)) {
        return IL_OK;
    }
    if (fn->kms_key_arn != NULL && fn->kms_key_arn[0] != '\0') {
        IL_TRY(s_emit(ctx, IL_RULE_SCAN_BLIND_CMK, 0, 0, fn->arn, fn->account, fn->region,
                      "function `%s` is encrypted with customer managed KMS key `%s`: Inspector cannot scan it, an "
                      "exclusion the ledger does not show; record it or review the key choice",
                      fn->name ? fn->name : fn->arn, fn->kms_key_arn));
    }
    const char *on = NULL;
    if (il_runtimes_is_deprecated(ctx->opts->runtimes, fn->runtime, &ctx->opts->rules.as_of, &on)) {
        IL_TRY(s_emit(ctx, IL_RULE_DEPRECATED_RUNTIME, 0, 0, fn->arn, fn->account, fn->region,
                      "function `%s` runs `%s`, deprecated since %s: it no longer gets security updates; "
                      "upgrade the runtime",
                      fn->name ? fn->name : fn->arn, fn->runtime, on));
    }
    return IL_OK;
}

static enum il_status s_functions(struct s_ctx *ctx) {
    size_t n = il_inventory_count(ctx->inv);
    for (size_t i = 0; i < n; i++) {
        const struct il_inv_function *fn = il_inventory_at(ctx->inv, i);
        if ((fn->flags & IL_INV_NOT_FOUND) ||
            (ctx->opts->coverage && !il_scope_decl_covers(&ctx->opts->coverage->declared, fn->account, fn->region))) {
            continue; /* outside the declared scope: not this run's business */
        }
        IL_TRY(s_rule_unrecorded(ctx, fn));
        IL_TRY(s_rule_malformed_tag(ctx, fn));
        if (ctx->opts->full) {
            IL_TRY(s_rule_full(ctx, fn));
        }
    }
    return IL_OK;
}

static enum il_status s_scopes(struct s_ctx *ctx) {
    size_t n = il_inventory_scope_count(ctx->inv);
    for (size_t i = 0; i < n; i++) {
        const struct il_scope *s = il_inventory_scope_at(ctx->inv, i);
        if (s->state == IL_SCOPE_SKIPPED) {
            /* e.g. an opt-in region the account has not enabled: say so rather than skip silently */
            IL_TRY(s_emit(ctx, IL_RULE_NOT_CHECKED, 0, 0, NULL, s->account, s->region,
                          "account %s, region %s was skipped: %s", s->account, s->region,
                          s->reason ? s->reason : "outside the scope"));
            continue;
        }
        if (s->state != IL_SCOPE_FAILED) {
            continue;
        }
        IL_TRY(s_emit(ctx, IL_RULE_NOT_VERIFIED, 0, 0, NULL, s->account, s->region,
                      "account %s, region %s was not verified: %s", s->account, s->region,
                      s->reason ? s->reason : "a request failed"));
    }
    return IL_OK;
}

enum il_status il_drift_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                              const struct il_drift_opts *opts, struct il_diags *findings,
                              struct il_diags *unverified) {
    struct s_ctx ctx = {.ledger = ledger, .inv = inv, .opts = opts, .findings = findings, .unverified = unverified};
    enum il_status st = s_scopes(&ctx);
    if (st == IL_OK) {
        st = s_entries(&ctx);
    }
    if (st == IL_OK) {
        st = s_functions(&ctx);
    }
    return st;
}
