/* Implicit exclusions (il/drift/implicit.h): causes Inspector does not scan for, against the ledger's implicit
 * entries. One static function per rule. */
#include <stdarg.h>
#include <string.h>

#include "il/buf.h"
#include "il/date.h"
#include "il/drift/implicit.h"
#include "il/rules.h"

#define S_IDLE_DAYS 90 /* Inspector stops scanning a function neither invoked nor updated for 90 days */

struct s_ctx {
    const struct il_ledger *ledger;
    const struct il_implicit_opts *opts;
    struct il_diags *diags;
};

static enum il_status s_emit(struct s_ctx *ctx, enum il_rule_id rule, enum il_severity sev, unsigned line,
                             unsigned column, const struct il_inv_function *fn, const char *fmt, ...) IL_PRINTF(7, 8);

static enum il_status s_emit(struct s_ctx *ctx, enum il_rule_id rule, enum il_severity sev, unsigned line,
                             unsigned column, const struct il_inv_function *fn, const char *fmt, ...) {
    struct il_buf msg;
    il_buf_init(&msg, 0);
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (st == IL_OK) {
        struct il_diag d = {.severity = sev,
                            .rule = il_rule_id_str(rule),
                            .file = il_ledger_filename(ctx->ledger),
                            .line = line ? line : il_ledger_exclusions_line(ctx->ledger),
                            .column = line ? column : il_ledger_exclusions_column(ctx->ledger),
                            .function_arn = fn->arn,
                            .account = fn->account,
                            .region = fn->region,
                            .message = il_buf_cstr(&msg)};
        st = il_diags_add(ctx->diags, &d);
    }
    il_buf_release(&msg);
    return st;
}

/* Days since LastModified, or -1 when it is unknown or unreadable. */
static long s_days_since_modified(const struct s_ctx *ctx, const struct il_inv_function *fn) {
    char day[11];
    struct il_date d;
    if (fn->last_modified == NULL || strlen(fn->last_modified) < 10) {
        return -1;
    }
    memcpy(day, fn->last_modified, 10);
    day[10] = '\0';
    if (il_date_parse_str(day, &d) != IL_OK) {
        return -1;
    }
    return (long)(il_date_to_days(&ctx->opts->rules.as_of) - il_date_to_days(&d));
}

/* Whether @p cause holds for @p fn: 1 yes, 0 no, -1 unknown. */
static int s_cause(const struct s_ctx *ctx, const struct il_inv_function *fn, enum il_implicit_reason cause) {
    switch (cause) {
    case IL_IMPLICIT_KMS_KEY: return fn->kms_key_arn != NULL && fn->kms_key_arn[0] != '\0';
    case IL_IMPLICIT_UNSUPPORTED_RUNTIME:
        return fn->runtime != NULL &&
               il_runtimes_is_deprecated(ctx->opts->runtimes, fn->runtime, &ctx->opts->rules.as_of, NULL);
    case IL_IMPLICIT_IDLE_90_DAYS: {
        long days = s_days_since_modified(ctx, fn);
        return days < 0 ? -1 : days > S_IDLE_DAYS;
    }
    default: return 0;
    }
}

/* The implicit entry of @p fn for @p cause (either scan type), or NULL: the ledger's index, one lookup per type. */
static const struct il_ledger_entry *s_recorded(const struct s_ctx *ctx, const struct il_inv_function *fn,
                                                enum il_implicit_reason cause) {
    static const enum il_scan_type types[] = {IL_SCAN_STANDARD, IL_SCAN_CODE};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        const struct il_ledger_entry *e = il_ledger_find(ctx->ledger, fn->arn, types[t]);
        if (e != NULL && e->implicit_reason == cause) {
            return e;
        }
    }
    return NULL;
}

/* The 90-day cause is not reported from LastModified alone: Lambda's API does not show invocations, and an invoked
 * function stays scanned however old its code. With --coverage, Inspector's own SCAN_ELIGIBILITY_EXPIRED reports it
 * (inspector-not-scanned); here LastModified only shows an idle-90-days entry unfounded (a recent update restarts
 * scanning). */
static enum il_status s_rule_unrecorded(struct s_ctx *ctx, const struct il_inv_function *fn) {
    static const enum il_implicit_reason causes[] = {IL_IMPLICIT_KMS_KEY, IL_IMPLICIT_UNSUPPORTED_RUNTIME};
    const char *name = fn->name ? fn->name : fn->arn;
    for (size_t k = 0; k < sizeof(causes) / sizeof(causes[0]); k++) {
        if (s_cause(ctx, fn, causes[k]) != 1 || s_recorded(ctx, fn, causes[k]) != NULL) {
            continue;
        }
        const char *why = causes[k] == IL_IMPLICIT_KMS_KEY
                              ? "it is encrypted with a customer managed KMS key, which Inspector cannot scan"
                              : "its runtime is past its deprecation date, and Inspector does not scan unsupported "
                                "runtimes";
        IL_TRY(s_emit(ctx, IL_RULE_UNRECORDED_IMPLICIT_EXCLUSION, ctx->opts->severity, 0, 0, fn,
                      "function `%s` (account %s, region %s) is an exclusion nobody approved: %s; record it in the "
                      "ledger with reason.implicit: %s, or remove the cause",
                      name, fn->account, fn->region, why, il_implicit_reason_str(causes[k])));
    }
    return IL_OK;
}

static enum il_status s_rule_unfounded(struct s_ctx *ctx, const struct il_ledger_entry *e,
                                       const struct il_inv_function *fn) {
    if (il_ledger_entry_status(e, &ctx->opts->rules, NULL) == IL_ENTRY_EXPIRED ||
        s_cause(ctx, fn, e->implicit_reason) != 0) {
        return IL_OK;
    }
    const struct il_rule_info *info = il_rule_info(IL_RULE_IMPLICIT_EXCLUSION_UNFOUNDED);
    return s_emit(ctx, IL_RULE_IMPLICIT_EXCLUSION_UNFOUNDED, info ? info->severity : IL_SEV_WARNING, e->line, e->column,
                  fn,
                  "the ledger records an implicit %s exclusion (%s) for `%s`, but the function no longer has that "
                  "cause, so Inspector scans it again: remove the entry, or record the exclusion it really has",
                  il_scan_type_str(e->scan_type), il_implicit_reason_str(e->implicit_reason), e->arn.function_name);
}

enum il_status il_implicit_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                 const struct il_implicit_opts *opts, struct il_diags *diags) {
    struct s_ctx ctx = {.ledger = ledger, .opts = opts, .diags = diags};
    size_t n = il_inventory_count(inv);
    for (size_t i = 0; i < n; i++) {
        const struct il_inv_function *fn = il_inventory_at(inv, i);
        const struct il_scope *scope = il_inventory_scope(inv, fn->account, fn->region);
        if ((fn->flags & IL_INV_CONFIG_KNOWN) && !(fn->flags & IL_INV_NOT_FOUND) && scope != NULL &&
            scope->state == IL_SCOPE_VERIFIED) {
            IL_TRY(s_rule_unrecorded(&ctx, fn));
        }
    }
    size_t m = il_ledger_entry_count(ledger);
    for (size_t i = 0; i < m; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        const struct il_inv_function *fn = e->arn.valid ? il_inventory_find(inv, e->arn.unqualified) : NULL;
        if (e->implicit_reason != IL_IMPLICIT_NONE && fn != NULL && (fn->flags & IL_INV_CONFIG_KNOWN) &&
            !(fn->flags & IL_INV_NOT_FOUND)) {
            IL_TRY(s_rule_unfounded(&ctx, e, fn));
        }
    }
    return IL_OK;
}
