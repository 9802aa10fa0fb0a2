/* runtime-deadline (il/drift/runtime_deadlines.h): AWS's runtime dates against the functions' runtimes. */
#include <string.h>

#include "il/buf.h"
#include "il/date.h"
#include "il/drift/runtime_deadlines.h"
#include "il/rules.h"

static enum il_status s_emit(const struct il_ledger *ledger, const struct il_inv_function *fn, struct il_buf *msg,
                             struct il_diags *diags) {
    IL_TRY(il_buf_status(msg));
    const struct il_rule_info *info = il_rule_info(IL_RULE_RUNTIME_DEADLINE);
    struct il_diag d = {.severity = info ? info->severity : IL_SEV_WARNING,
                        .rule = il_rule_id_str(IL_RULE_RUNTIME_DEADLINE),
                        .file = il_ledger_filename(ledger),
                        .line = il_ledger_exclusions_line(ledger),
                        .column = il_ledger_exclusions_column(ledger),
                        .function_arn = fn->arn,
                        .account = fn->account,
                        .region = fn->region,
                        .message = il_buf_cstr(msg)};
    return il_diags_add(diags, &d);
}

/* Days from @p as_of to @p date (negative once passed); 0 and *ok = 0 when @p date does not parse. */
static int64_t s_days(const struct il_date *as_of, const char *date, int *ok) {
    struct il_date d;
    *ok = date != NULL && il_date_parse_str(date, &d) == IL_OK;
    return *ok ? il_date_to_days(&d) - il_date_to_days(as_of) : 0;
}

static enum il_status s_function(const struct il_ledger *ledger, const struct il_inv_function *fn,
                                 const struct il_runtime_dates *dates, const struct il_ledger_rule_opts *rules,
                                 struct il_diags *diags) {
    static const char *const what[] = {"deprecates", "blocks function create for", "blocks function update for"};
    const char *when[] = {dates->deprecation, dates->block_create, dates->block_update};
    const char *name = fn->name ? fn->name : fn->arn;
    struct il_buf msg;
    il_buf_init(&msg, 0);
    enum il_status st = IL_OK;
    for (int k = 0; k < 3 && st == IL_OK; k++) {
        int ok = 0;
        int64_t left = s_days(&rules->as_of, when[k], &ok);
        il_buf_reset(&msg);
        if (ok && left >= 0 && left <= (int64_t)rules->warn_days) {
            st = il_buf_printf(&msg,
                               "function `%s` runs `%s`: Lambda %s it on %s (in %lld day%s); upgrade the runtime "
                               "before then",
                               name, fn->runtime, what[k], when[k], (long long)left, left == 1 ? "" : "s");
            st = st == IL_OK ? s_emit(ledger, fn, &msg, diags) : st;
        } else if (ok && k == 2 && left < 0) {
            st = il_buf_printf(&msg,
                               "function `%s` runs `%s`: Lambda has blocked function updates for it since %s, so the "
                               "function can no longer be patched or redeployed on it; migrate to a supported "
                               "runtime",
                               name, fn->runtime, when[k]);
            st = st == IL_OK ? s_emit(ledger, fn, &msg, diags) : st;
        }
    }
    il_buf_release(&msg);
    return st;
}

enum il_status il_runtime_deadlines_check(const struct il_ledger *ledger, const struct il_inventory *inv,
                                          const struct il_runtimes *runtimes, const struct il_ledger_rule_opts *rules,
                                          struct il_diags *diags) {
    size_t n = il_inventory_count(inv);
    for (size_t i = 0; i < n; i++) {
        const struct il_inv_function *fn = il_inventory_at(inv, i);
        if (!(fn->flags & IL_INV_CONFIG_KNOWN) || (fn->flags & IL_INV_NOT_FOUND) || fn->runtime == NULL) {
            continue;
        }
        const struct il_scope *scope = il_inventory_scope(inv, fn->account, fn->region);
        if (scope == NULL || scope->state != IL_SCOPE_VERIFIED) {
            continue;
        }
        const struct il_runtime_dates *dates = il_runtimes_dates(runtimes, fn->runtime);
        if (dates != NULL) {
            IL_TRY(s_function(ledger, fn, dates, rules, diags));
        }
    }
    return IL_OK;
}
