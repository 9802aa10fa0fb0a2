/*
 * Coverage: which ledger entries were compared with AWS, which were left out on purpose (--only-account,
 * --only-region) and which this run could not reach. check, report --live and apply all read it from here, so the
 * fail-closed rule has one home. Pure: no AWS calls, no printing.
 */
#include <stdlib.h>
#include <string.h>

#include "il/drift/drift.h"

static int s_in(const char *const *list, size_t n, const char *value) {
    for (size_t i = 0; i < n; i++) {
        if (value != NULL && strcmp(list[i], value) == 0) {
            return 1;
        }
    }
    return 0;
}

int il_scope_decl_active(const struct il_scope_decl *decl) {
    return decl != NULL && (decl->account_count > 0 || decl->region_count > 0);
}

int il_scope_decl_covers(const struct il_scope_decl *decl, const char *account, const char *region) {
    if (decl == NULL) {
        return 1;
    }
    if (decl->account_count > 0 && !s_in(decl->accounts, decl->account_count, account)) {
        return 0;
    }
    return decl->region_count == 0 || s_in(decl->regions, decl->region_count, region);
}

void il_coverage_opts_for(const struct il_collect_opts *opts, const struct il_collect_plan *plan, const char *caller,
                          int roles_available, struct il_coverage_opts *out) {
    memset(out, 0, sizeof(*out));
    out->declared.accounts = opts->only_accounts;
    out->declared.account_count = opts->only_account_count;
    out->declared.regions = opts->only_regions;
    out->declared.region_count = opts->only_region_count;
    out->partition = plan->partition[0] ? plan->partition : NULL;
    out->caller_account = caller;
    out->use_role = plan->use_role;
    out->roles_available = roles_available;
}

static enum il_coverage_state s_state(const struct il_ledger_entry *e, const struct il_inventory *inv,
                                      const struct il_coverage_opts *opts) {
    if (!e->arn.valid || e->scan_type == IL_SCAN_UNKNOWN) {
        return IL_COVERAGE_INVALID;
    }
    if (opts != NULL && !il_scope_decl_covers(&opts->declared, e->arn.account, e->arn.region)) {
        return IL_COVERAGE_DECLARED_OUT;
    }
    const struct il_scope *scope = il_inventory_scope(inv, e->arn.account, e->arn.region);
    if (scope == NULL || scope->state == IL_SCOPE_SKIPPED) {
        return IL_COVERAGE_UNREACHABLE;
    }
    if (scope->state == IL_SCOPE_FAILED) {
        return IL_COVERAGE_SCOPE_FAILED;
    }
    /* a function in another partition can share its account id and region name with nothing here, but an ARN of
     * another partition can never be what this run listed: the scope key alone is not enough */
    if (opts != NULL && opts->partition != NULL && strcmp(e->arn.partition, opts->partition) != 0) {
        return IL_COVERAGE_UNREACHABLE;
    }
    return il_inventory_find(inv, e->arn.unqualified) != NULL ? IL_COVERAGE_COMPARED : IL_COVERAGE_UNCONFIRMED;
}

enum il_status il_coverage_compute(const struct il_ledger *ledger, const struct il_inventory *inv,
                                   const struct il_coverage_opts *opts, struct il_coverage *cov) {
    memset(cov, 0, sizeof(*cov));
    size_t n = il_ledger_entry_count(ledger);
    cov->states = malloc((n ? n : 1) * sizeof(*cov->states));
    if (cov->states == NULL) {
        return IL_ERR_NOMEM;
    }
    cov->total = n;
    cov->declared = opts != NULL && il_scope_decl_active(&opts->declared);
    for (size_t i = 0; i < n; i++) {
        enum il_coverage_state s = s_state(il_ledger_entry(ledger, i), inv, opts);
        cov->states[i] = s;
        cov->compared += s == IL_COVERAGE_COMPARED;
        cov->declared_out += s == IL_COVERAGE_DECLARED_OUT;
        cov->unreachable += s == IL_COVERAGE_UNREACHABLE;
    }
    return IL_OK;
}

void il_coverage_release(struct il_coverage *cov) {
    if (cov == NULL) {
        return;
    }
    free(cov->states);
    memset(cov, 0, sizeof(*cov));
}

enum il_status il_coverage_summary(const struct il_coverage *cov, struct il_buf *out) {
    IL_TRY(il_buf_printf(out, "%zu of %zu entr%s compared", cov->compared, cov->total, cov->total == 1 ? "y" : "ies"));
    if (cov->declared) {
        IL_TRY(il_buf_printf(out, "; %zu outside the declared scope", cov->declared_out));
    }
    return IL_OK;
}

enum il_status il_coverage_explain(const struct il_coverage_opts *opts, const struct il_inventory *inv,
                                   const struct il_ledger_entry *e, struct il_buf *out) {
    const struct il_scope *scope = il_inventory_scope(inv, e->arn.account, e->arn.region);
    const char *partition = opts && opts->partition ? opts->partition : NULL;
    const char *caller = opts ? opts->caller_account : NULL;
    if (partition != NULL && strcmp(e->arn.partition, partition) != 0) {
        IL_TRY(il_buf_printf(out,
                             "the entry is in partition %s but these credentials are in %s, and one run checks one "
                             "partition: check it in a separate run with %s credentials and --region %s",
                             e->arn.partition, partition, e->arn.partition, e->arn.region));
    } else if (scope != NULL && scope->state == IL_SCOPE_SKIPPED) {
        IL_TRY(il_buf_printf(out,
                             "account %s, region %s was skipped (%s): enable the region in the account, or fix "
                             "the entry",
                             e->arn.account, e->arn.region, scope->reason ? scope->reason : "not examined"));
    } else if (opts != NULL && !opts->use_role && caller == NULL) {
        IL_TRY(il_buf_puts(out, "the caller's account is unknown (GetCallerIdentity failed), so no account was "
                                "examined"));
    } else if (opts != NULL && !opts->use_role && strcmp(e->arn.account, caller) != 0) {
        if (opts->roles_available) {
            IL_TRY(il_buf_printf(out,
                                 "account %s is not the caller's account (%s): add --role-name NAME (or "
                                 "--role-arn-template) naming a role in %s that these credentials may assume",
                                 e->arn.account, caller, e->arn.account));
        } else {
            IL_TRY(il_buf_printf(out,
                                 "account %s is not the caller's account (%s): run with credentials of account %s "
                                 "(--profile, or --role-arn arn:%s:iam::%s:role/NAME)",
                                 e->arn.account, caller, e->arn.account, e->arn.partition, e->arn.account));
        }
    } else {
        IL_TRY(il_buf_printf(out, "account %s, region %s was not in this run's scope: add --region %s", e->arn.account,
                             e->arn.region, e->arn.region));
    }
    return il_buf_puts(out, "; or leave it out on purpose by declaring the scope (--only-account ID, --only-region "
                            "REGION)");
}
