/*
 * The live state of each ledger entry for `report --live`: a mapping from the inventory onto report rows. The
 * not-verified items come from the drift rules themselves (il_drift_check), so `report --live` fails closed on exactly
 * what `check` fails closed on.
 */
#include "il/report/live.h"

#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/drift/drift.h"

static const enum il_scan_type s_types[] = {IL_SCAN_STANDARD, IL_SCAN_CODE};
#define S_TYPE_COUNT (sizeof(s_types) / sizeof(s_types[0]))

/* ---- per row ---- */

/* What the function shows under the entry's exclusion key, said plainly when it is not the exact tag. */
static enum il_status s_tag_fact(const struct il_inv_function *fn, enum il_scan_type type,
                                 struct il_report_live_row *live, struct il_buf *note) {
    const char *key = il_scan_type_tag_key(type);
    const char *want = il_scan_type_tag_value(type);
    const struct il_inv_tag *which = NULL;
    enum il_tag_state state = il_inv_function_tag_state(fn, type, &which);
    live->tag_present = state == IL_TAG_EXACT ? IL_REPORT_YES : IL_REPORT_NO;
    if (state == IL_TAG_WRONG_VALUE) {
        IL_TRY(il_buf_printf(note, "%stag %s has value \"%s\", not %s: Inspector ignores it", note->len ? "; " : "",
                             key, which->value, want));
    }
    for (size_t i = 0; i < fn->tag_count; i++) {
        if (il_inv_tag_state(&fn->tags[i], type) == IL_TAG_WRONG_CASE_KEY) {
            IL_TRY(il_buf_printf(note, "%stag key \"%s\" differs from %s only in case: Inspector ignores it",
                                 note->len ? "; " : "", fn->tags[i].key, key));
        }
    }
    return IL_OK;
}

/* Configuration facts: only from ListFunctions/GetFunction (IL_INV_CONFIG_KNOWN), else they stay UNKNOWN. */
static enum il_status s_config_facts(const struct il_inv_function *fn, const struct il_live_opts *opts,
                                     struct il_report_live_row *live, struct il_buf *note) {
    if (!(fn->flags & IL_INV_CONFIG_KNOWN)) {
        return il_buf_printf(note, "%sthe function's configuration was not read: KMS key and runtime unknown",
                             note->len ? "; " : "");
    }
    int cmk = fn->kms_key_arn != NULL && fn->kms_key_arn[0] != '\0';
    live->scan_blind = cmk ? IL_REPORT_YES : IL_REPORT_NO;
    live->kms_key_arn = cmk ? fn->kms_key_arn : NULL;
    live->runtime = fn->runtime;
    if (fn->runtime == NULL) {
        live->runtime_deprecated = IL_REPORT_NO; /* a container image: no managed runtime to be deprecated */
        return IL_OK;
    }
    const char *on = NULL;
    live->runtime_deprecated =
        il_runtimes_is_deprecated(opts->runtimes, fn->runtime, &opts->rules.as_of, &on) ? IL_REPORT_YES : IL_REPORT_NO;
    live->deprecated_on = on;
    return IL_OK;
}

static enum il_status s_row(struct il_report *report, size_t index, const struct il_ledger_entry *e,
                            enum il_coverage_state state, const struct il_inventory *inv,
                            const struct il_live_opts *opts) {
    struct il_report_live_row live = {0}; /* every fact UNKNOWN until shown otherwise */
    struct il_buf note;
    il_buf_init(&note, 0);
    enum il_status st = IL_OK;
    const struct il_scope *scope = il_inventory_scope(inv, e->arn.account, e->arn.region);
    const struct il_inv_function *fn = NULL;
    if (state == IL_COVERAGE_INVALID) {
        st = il_buf_puts(&note, "not compared with AWS: the entry's ARN or scan type is not valid");
    } else if (state == IL_COVERAGE_DECLARED_OUT) {
        st = il_buf_printf(&note, "not compared: account %s, region %s is outside the declared scope", e->arn.account,
                           e->arn.region);
    } else if (state == IL_COVERAGE_UNREACHABLE) {
        st = il_buf_puts(&note, "not verified: ");
        st = st == IL_OK ? il_coverage_explain(opts->coverage, inv, e, &note) : st;
    } else if (state == IL_COVERAGE_SCOPE_FAILED) {
        st = il_buf_printf(&note, "not verified: account %s, region %s: %s", e->arn.account, e->arn.region,
                           scope && scope->reason ? scope->reason : "a request failed");
    } else if ((fn = il_inventory_find(inv, e->arn.unqualified)) == NULL) {
        st = il_buf_puts(&note, "not verified: the function was neither listed nor confirmed missing");
    } else if (fn->flags & IL_INV_NOT_FOUND) {
        /* nothing there: no tag, no key, no runtime */
        live.function_exists = live.tag_present = live.scan_blind = live.runtime_deprecated = IL_REPORT_NO;
        st = il_buf_puts(&note, "the function does not exist (GetFunction)");
    } else {
        live.function_exists = IL_REPORT_YES;
        st = s_tag_fact(fn, e->scan_type, &live, &note);
        if (st == IL_OK) {
            st = s_config_facts(fn, opts, &live, &note);
        }
    }
    if (st == IL_OK) {
        live.note = note.len ? il_buf_cstr(&note) : NULL;
        st = il_report_live_set_row(report, index, &live);
    }
    il_buf_release(&note);
    return st;
}

/* ---- unrecorded exclusions ---- */

static int s_cmp_unrecorded(const void *a, const void *b) {
    const struct il_report_unrecorded *x = a, *y = b;
    int c = strcmp(x->account, y->account);
    c = c ? c : strcmp(x->region, y->region);
    c = c ? c : strcmp(x->function_arn, y->function_arn);
    c = c ? c : strcmp(x->tag_key, y->tag_key);
    return c ? c : strcmp(x->tag_value, y->tag_value);
}

static enum il_status s_push(struct il_report_unrecorded **items, size_t *count, size_t *cap,
                             const struct il_report_unrecorded *u) {
    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct il_report_unrecorded *grown = realloc(*items, ncap * sizeof(*grown));
        if (grown == NULL) {
            return IL_ERR_NOMEM;
        }
        *items = grown;
        *cap = ncap;
    }
    (*items)[(*count)++] = *u;
    return IL_OK;
}

/* Exclusion-key tags (exact, or the key in another case) on functions the ledger has no entry for. Strings are
 * borrowed from the inventory; the report copies them. */
static enum il_status s_unrecorded(struct il_report *report, const struct il_ledger *ledger,
                                   const struct il_inventory *inv, const struct il_coverage_opts *coverage) {
    size_t count = 0, cap = 0;
    struct il_report_unrecorded *items = NULL;
    enum il_status st = IL_OK;
    for (size_t i = 0; st == IL_OK && i < il_inventory_count(inv); i++) {
        const struct il_inv_function *fn = il_inventory_at(inv, i);
        if (coverage != NULL && !il_scope_decl_covers(&coverage->declared, fn->account, fn->region)) {
            continue; /* outside the declared scope, as in check */
        }
        for (size_t t = 0; st == IL_OK && !(fn->flags & IL_INV_NOT_FOUND) && t < fn->tag_count; t++) {
            for (size_t k = 0; st == IL_OK && k < S_TYPE_COUNT; k++) {
                enum il_tag_state state = il_inv_tag_state(&fn->tags[t], s_types[k]);
                if (state == IL_TAG_ABSENT || il_ledger_find(ledger, fn->arn, s_types[k]) != NULL) {
                    continue;
                }
                struct il_report_unrecorded u = {
                    .function_arn = fn->arn,
                    .account = fn->account,
                    .region = fn->region,
                    .scan_type = il_scan_type_str(s_types[k]),
                    .tag_key = fn->tags[t].key,
                    .tag_value = fn->tags[t].value,
                    .function_name = fn->name,
                    .honoured = state == IL_TAG_EXACT,
                };
                st = s_push(&items, &count, &cap, &u);
            }
        }
    }
    if (st == IL_OK && count > 1) {
        qsort(items, count, sizeof(*items), s_cmp_unrecorded);
    }
    for (size_t i = 0; st == IL_OK && i < count; i++) {
        st = il_report_live_add_unrecorded(report, &items[i]);
    }
    free(items);
    return st;
}

/* ---- scopes and what was not verified ---- */

static int s_cmp_scope(const void *a, const void *b) {
    const struct il_scope *x = *(const struct il_scope *const *)a, *y = *(const struct il_scope *const *)b;
    int c = strcmp(x->account, y->account);
    return c ? c : strcmp(x->region, y->region);
}

static enum il_status s_scopes(struct il_report *report, const struct il_inventory *inv) {
    size_t n = il_inventory_scope_count(inv);
    const struct il_scope **sorted = malloc((n ? n : 1) * sizeof(*sorted));
    if (sorted == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        sorted[i] = il_inventory_scope_at(inv, i);
    }
    qsort(sorted, n, sizeof(*sorted), s_cmp_scope);
    enum il_status st = IL_OK;
    for (size_t i = 0; st == IL_OK && i < n; i++) {
        const struct il_scope *s = sorted[i];
        struct il_report_scope rs = {
            .account = s->account,
            .region = s->region,
            .state = s->state == IL_SCOPE_VERIFIED  ? IL_REPORT_SCOPE_VERIFIED
                     : s->state == IL_SCOPE_SKIPPED ? IL_REPORT_SCOPE_SKIPPED
                                                    : IL_REPORT_SCOPE_NOT_VERIFIED,
            .reason = s->state == IL_SCOPE_VERIFIED ? NULL
                      : s->reason                   ? s->reason
                                                    : "a request failed",
        };
        st = il_report_live_add_scope(report, &rs);
    }
    free(sorted);
    return st;
}

/* The drift rules' not-verified findings, one line each: the fail-closed set is check's own. */
static enum il_status s_unverified(struct il_report *report, const struct il_ledger *ledger,
                                   const struct il_inventory *inv, const struct il_live_opts *opts, size_t *count) {
    struct il_diags *diags = il_diags_new(), *findings = il_diags_new();
    if (diags == NULL || findings == NULL) {
        il_diags_free(diags);
        il_diags_free(findings);
        return IL_ERR_NOMEM;
    }
    struct il_drift_opts dopts = {
        .rules = opts->rules, .full = 1, .runtimes = opts->runtimes, .coverage = opts->coverage};
    enum il_status st = il_drift_check(ledger, inv, &dopts, findings, diags);
    il_diags_free(findings); /* the rows say the rest */
    il_diags_sort(diags);
    struct il_buf line;
    il_buf_init(&line, 0);
    for (size_t i = 0; st == IL_OK && i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        il_buf_reset(&line);
        st = d->function_arn ? il_buf_printf(&line, "%s: %s", d->function_arn, d->message)
                             : il_buf_puts(&line, d->message);
        if (st == IL_OK) {
            st = il_report_live_add_unverified(report, il_buf_cstr(&line));
            (*count)++;
        }
    }
    il_buf_release(&line);
    il_diags_free(diags);
    return st;
}

enum il_status il_report_live_annotate(struct il_report *report, const struct il_ledger *ledger,
                                       const struct il_inventory *inv, const struct il_live_opts *opts,
                                       size_t *unverified) {
    size_t count = 0;
    if (unverified != NULL) {
        *unverified = 0;
    }
    if (il_report_row_count(report) != il_ledger_entry_count(ledger) || opts->runtimes == NULL) {
        return IL_ERR_INVALID;
    }
    IL_TRY(il_report_live_enable(report, opts->scope));
    struct il_coverage cov;
    IL_TRY(il_coverage_compute(ledger, inv, opts->coverage, &cov));
    struct il_buf summary;
    il_buf_init(&summary, 0);
    enum il_status st = IL_OK;
    for (size_t i = 0; i < il_ledger_entry_count(ledger) && st == IL_OK; i++) {
        st = s_row(report, i, il_ledger_entry(ledger, i), cov.states[i], inv, opts);
    }
    if (st == IL_OK) {
        st = il_coverage_summary(&cov, &summary);
    }
    if (st == IL_OK) {
        struct il_report_coverage rc = {.entries = cov.total,
                                        .compared = cov.compared,
                                        .outside = cov.declared_out,
                                        .declared = cov.declared,
                                        .summary = il_buf_cstr(&summary)};
        st = il_report_live_set_coverage(report, &rc);
    }
    il_buf_release(&summary);
    il_coverage_release(&cov);
    IL_TRY(st);
    IL_TRY(s_unrecorded(report, ledger, inv, opts->coverage));
    IL_TRY(s_scopes(report, inv));
    IL_TRY(s_unverified(report, ledger, inv, opts, &count));
    if (unverified != NULL) {
        *unverified = count;
    }
    return IL_OK;
}
