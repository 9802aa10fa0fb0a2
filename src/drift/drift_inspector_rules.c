/* The coverage rules (il/drift/scan_coverage.h): the ledger against what Inspector itself says. One static function per
 * rule; pure: no AWS calls, no printing. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/drift/scan_coverage.h"
#include "il/rules.h"

struct s_ctx {
    const struct il_ledger *ledger;
    const struct il_inventory *inv;
    const struct il_scan_cov *cov;
    const struct il_scan_cov_opts *opts;
    struct il_diags *diags;
};

static enum il_status s_emit(struct s_ctx *ctx, enum il_rule_id rule, enum il_severity sev, unsigned line,
                             unsigned column, const char *arn, const char *account, const char *region, const char *fmt,
                             ...) IL_PRINTF(9, 10);

static enum il_status s_emit(struct s_ctx *ctx, enum il_rule_id rule, enum il_severity sev, unsigned line,
                             unsigned column, const char *arn, const char *account, const char *region, const char *fmt,
                             ...) {
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
        struct il_diag d = {.severity = sev,
                            .rule = il_rule_id_str(rule),
                            .file = il_ledger_filename(ctx->ledger),
                            .line = line,
                            .column = column,
                            .function_arn = arn,
                            .account = account,
                            .region = region,
                            .message = il_buf_cstr(&msg)};
        st = il_diags_add(ctx->diags, &d);
    }
    il_buf_release(&msg);
    return st;
}

static enum il_severity s_sev(enum il_rule_id rule) {
    const struct il_rule_info *info = il_rule_info(rule);
    return info ? info->severity : IL_SEV_ERROR;
}

static const struct il_ledger_entry *s_find(const struct s_ctx *ctx, const char *arn, enum il_scan_type type) {
    return il_ledger_find(ctx->ledger, arn, type);
}

static int s_active(const struct s_ctx *ctx, const struct il_ledger_entry *e) {
    return il_ledger_entry_status(e, &ctx->opts->rules, NULL) != IL_ENTRY_EXPIRED;
}

/* The entry that excludes @p arn from @p type: its own, or for code scanning the standard one (Inspector's standard
 * exclusion tag takes the function out of code scanning too). */
static const struct il_ledger_entry *s_recorded(const struct s_ctx *ctx, const char *arn, enum il_scan_type type) {
    const struct il_ledger_entry *e = s_find(ctx, arn, type);
    if (e == NULL && type == IL_SCAN_CODE) {
        e = s_find(ctx, arn, IL_SCAN_STANDARD);
    }
    return e;
}

static const char *s_name(const struct s_ctx *ctx, const char *arn) {
    const struct il_inv_function *fn = il_inventory_find(ctx->inv, arn);
    return fn && fn->name ? fn->name : arn;
}

/* ---- per account and region ---- */

static enum il_status s_rule_scanning_disabled(struct s_ctx *ctx, const struct il_scan_cov_status *s) {
    static const enum il_scan_type types[] = {IL_SCAN_STANDARD, IL_SCAN_CODE};
    const int inspector_on = strcmp(s->account_status, "ENABLED") == 0;
    for (size_t t = 0; t < 2; t++) {
        if (il_scan_cov_scanning_on(s, types[t])) {
            continue;
        }
        const char *state = types[t] == IL_SCAN_CODE ? s->lambda_code : s->lambda;
        if (!inspector_on) {
            IL_TRY(s_emit(
                ctx, IL_RULE_SCANNING_DISABLED, s_sev(IL_RULE_SCANNING_DISABLED), 0, 0, NULL, s->account, s->region,
                "Amazon Inspector is not enabled for account %s in %s (status %s), so Lambda %s scanning "
                "is off: no function there is scanned, ledger or not; enable Inspector with Lambda %s "
                "scanning",
                s->account, s->region, s->account_status, il_scan_type_str(types[t]), il_scan_type_str(types[t])));
        } else {
            IL_TRY(s_emit(ctx, IL_RULE_SCANNING_DISABLED, s_sev(IL_RULE_SCANNING_DISABLED), 0, 0, NULL, s->account,
                          s->region,
                          "Lambda %s scanning is %s for account %s in %s: none of its functions is scanned for it, "
                          "ledger or not; enable it in Inspector",
                          il_scan_type_str(types[t]), state ? state : "not reported (off)", s->account, s->region));
        }
    }
    return IL_OK;
}

/* ---- per covered function and scan type ---- */

static enum il_status s_rule_excluded_by_tag(struct s_ctx *ctx, const struct il_scan_cov_entry *c,
                                             const struct il_ledger_entry *e) {
    const char *what = il_scan_type_str(c->scan_type);
    if (e == NULL) {
        return s_emit(ctx, IL_RULE_INSPECTOR_UNRECORDED_EXCLUSION, s_sev(IL_RULE_INSPECTOR_UNRECORDED_EXCLUSION), 0, 0,
                      c->arn, c->account, c->region,
                      "Inspector reports function `%s` (account %s, region %s) EXCLUDED_BY_TAG from %s scanning, but "
                      "the ledger has no entry for it: add an approved entry, or remove the tag",
                      s_name(ctx, c->arn), c->account, c->region, what);
    }
    if (!s_active(ctx, e)) {
        return IL_OK; /* expired-exclusion-applied says it from the tags */
    }
    return s_emit(ctx, IL_RULE_INSPECTOR_CONFIRMED, IL_SEV_NOTICE, e->line, e->column, c->arn, c->account, c->region,
                  "confirmed by Inspector: function `%s` is excluded from %s scanning by its tag, as the ledger "
                  "records",
                  s_name(ctx, c->arn), what);
}

static enum il_status s_rule_still_scanned(struct s_ctx *ctx, const struct il_scan_cov_entry *c) {
    const struct il_ledger_entry *e = s_find(ctx, c->arn, c->scan_type);
    if (e == NULL || !s_active(ctx, e)) {
        return IL_OK;
    }
    if (e->implicit_reason != IL_IMPLICIT_NONE) {
        return s_emit(ctx, IL_RULE_INSPECTOR_STILL_SCANNED, s_sev(IL_RULE_INSPECTOR_STILL_SCANNED), e->line, e->column,
                      c->arn, c->account, c->region,
                      "the ledger records an implicit %s-scanning exclusion (%s) for `%s`, but Inspector scans the "
                      "function for it (ListCoverage: ACTIVE, %s): the cause is gone; remove the entry",
                      il_scan_type_str(c->scan_type), il_implicit_reason_str(e->implicit_reason), e->arn.function_name,
                      c->reason[0] ? c->reason : "no reason");
    }
    return s_emit(ctx, IL_RULE_INSPECTOR_STILL_SCANNED, s_sev(IL_RULE_INSPECTOR_STILL_SCANNED), e->line, e->column,
                  c->arn, c->account, c->region,
                  "the ledger records a %s-scanning exclusion for `%s`, but Inspector still scans the function for it "
                  "(ListCoverage: ACTIVE, %s): the exclusion is not in effect; apply the exact tag `%s=%s` "
                  "(inspector-ledger apply) or remove the entry",
                  il_scan_type_str(c->scan_type), e->arn.function_name, c->reason[0] ? c->reason : "no reason",
                  il_scan_type_tag_key(c->scan_type), il_scan_type_tag_value(c->scan_type));
}

static enum il_status s_rule_not_scanned(struct s_ctx *ctx, const struct il_scan_cov_entry *c,
                                         const struct il_ledger_entry *e) {
    const char *what = il_scan_type_str(c->scan_type);
    if (e != NULL && s_active(ctx, e)) {
        return s_emit(
            ctx, IL_RULE_INSPECTOR_CONFIRMED, IL_SEV_NOTICE, e->line, e->column, c->arn, c->account, c->region,
            "confirmed by Inspector: function `%s` is not %s-scanned (%s: %s), as the ledger records",
            s_name(ctx, c->arn), what, c->reason[0] ? c->reason : "INACTIVE", il_scan_cov_reason_text(c->reason));
    }
    return s_emit(ctx, IL_RULE_INSPECTOR_NOT_SCANNED, ctx->opts->not_scanned, 0, 0, c->arn, c->account, c->region,
                  "Inspector does not scan function `%s` (account %s, region %s) for %s scanning: %s (%s), an "
                  "exclusion nobody approved; record it in the ledger (reason.implicit) or remove the cause",
                  s_name(ctx, c->arn), c->account, c->region, what, il_scan_cov_reason_text(c->reason),
                  c->reason[0] ? c->reason : "INACTIVE");
}

static enum il_status s_coverage_entries(struct s_ctx *ctx) {
    size_t n = il_scan_cov_count(ctx->cov);
    for (size_t i = 0; i < n; i++) {
        const struct il_scan_cov_entry *c = il_scan_cov_at(ctx->cov, i);
        const struct il_scope *scope = il_inventory_scope(ctx->inv, c->account, c->region);
        if (scope == NULL || scope->state != IL_SCOPE_VERIFIED) {
            continue; /* a failed scope's own not-verified finding says what is missing */
        }
        if (c->scanned) {
            IL_TRY(s_rule_still_scanned(ctx, c));
        } else if (strcmp(c->reason, "EXCLUDED_BY_TAG") == 0) {
            IL_TRY(s_rule_excluded_by_tag(ctx, c, s_recorded(ctx, c->arn, c->scan_type)));
        } else {
            IL_TRY(s_rule_not_scanned(ctx, c, s_recorded(ctx, c->arn, c->scan_type)));
        }
    }
    return IL_OK;
}

enum il_status il_scan_cov_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                 const struct il_scan_cov *cov, const struct il_scan_cov_opts *opts,
                                 struct il_diags *diags) {
    struct s_ctx ctx = {.ledger = ledger, .inv = inv, .cov = cov, .opts = opts, .diags = diags};
    enum il_status st = IL_OK;
    size_t scopes = il_inventory_scope_count(inv);
    for (size_t i = 0; i < scopes && st == IL_OK; i++) {
        const struct il_scope *s = il_inventory_scope_at(inv, i);
        const struct il_scan_cov_status *status = il_scan_cov_status(cov, s->account, s->region);
        if (status != NULL) {
            st = s_rule_scanning_disabled(&ctx, status);
        }
    }
    if (st == IL_OK) {
        st = s_coverage_entries(&ctx);
    }
    return st;
}
