/*
 * Ledger rules: what the schema cannot say (expiry against "today", date order, duplicates, agreement between
 * fields). One static function per rule; each adds findings located at the field it is about. A rule that needs a
 * field which is missing or malformed skips the entry: the schema has already reported it, and guessing would only
 * add noise.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/hash.h"
#include "il/ledger.h"
#include "il/rules.h"
#include "ledger/ledger_internal.h"

struct s_ctx {
    const struct il_ledger *ledger;
    const struct il_ledger_rule_opts *opts;
    int64_t today;
    struct il_diags *diags;
};

/* Add a finding at @p field of @p e; @p suffix names the field in the JSON pointer ("/dates/expires_at"). */
static enum il_status s_report(struct s_ctx *ctx, const struct il_ledger_entry *e, const struct il_ledger_str *field,
                               const char *suffix, enum il_severity severity, enum il_rule_id rule, const char *fmt,
                               ...) IL_PRINTF(7, 8);

static enum il_status s_report(struct s_ctx *ctx, const struct il_ledger_entry *e, const struct il_ledger_str *field,
                               const char *suffix, enum il_severity severity, enum il_rule_id rule, const char *fmt,
                               ...) {
    struct il_buf msg, ptr;
    il_buf_init(&msg, 0);
    il_buf_init(&ptr, 0);
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (st == IL_OK) {
        st = il_buf_printf(&ptr, "%s%s", e->pointer, field->node ? suffix : "");
    }
    if (st == IL_OK) {
        struct il_diag d = {
            .severity = severity,
            .rule = il_rule_id_str(rule),
            .file = il_ledger_filename(ctx->ledger),
            .line = field->line,
            .column = field->column,
            .pointer = il_buf_cstr(&ptr),
            .function_arn = e->function_arn.value && strlen(e->function_arn.value) == e->function_arn.len
                                ? e->function_arn.value
                                : NULL,
            .account = e->arn.valid ? e->arn.account : NULL,
            .region = e->arn.valid ? e->arn.region : NULL,
            .message = il_buf_cstr(&msg),
        };
        st = il_diags_add(ctx->diags, &d);
    }
    il_buf_release(&msg);
    il_buf_release(&ptr);
    return st;
}

static const char *s_plural(int64_t n) {
    return n == 1 || n == -1 ? "" : "s";
}

static void s_fmt_days(int64_t days, char out[IL_DATE_STRLEN]) {
    struct il_date d;
    il_date_from_days(days, &d);
    il_date_format(&d, out);
}

/* expires_at must be there and be a date, even when a laxer --schema does not say so: without it the exclusion
 * would never expire, the failure this tool exists to prevent (fail closed). */
static enum il_status s_rule_expiry_present(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!e->is_object || e->expires_at.valid || e->schema_errors > 0) {
        return IL_OK;
    }
    return s_report(ctx, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_ERROR, IL_RULE_SCHEMA,
                    "`dates.expires_at` is %s: every exclusion needs an expiry date (YYYY-MM-DD), or it never ends",
                    e->expires_at.text.node ? "not a valid YYYY-MM-DD date" : "missing");
}

static enum il_status s_rule_expired(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!e->expires_at.valid || ctx->today <= e->expires_at.days) {
        return IL_OK; /* holds through the whole expires_at day */
    }
    int64_t ago = ctx->today - e->expires_at.days;
    return s_report(ctx, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_ERROR, IL_RULE_EXPIRED,
                    "exclusion expired on %s (%lld day%s ago): remove the tag and this entry, or renew with a new "
                    "approval",
                    e->expires_at.text.value, (long long)ago, s_plural(ago));
}

static enum il_status s_rule_expiring_soon(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!e->expires_at.valid || ctx->today > e->expires_at.days) {
        return IL_OK;
    }
    int64_t left = e->expires_at.days - ctx->today;
    if (left > (int64_t)ctx->opts->warn_days) {
        return IL_OK;
    }
    if (left == 0) {
        return s_report(ctx, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_WARNING, IL_RULE_EXPIRING_SOON,
                        "exclusion expires today (%s, its last day): renew it with a new approval or remove the tag "
                        "and this entry",
                        e->expires_at.text.value);
    }
    return s_report(ctx, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_WARNING, IL_RULE_EXPIRING_SOON,
                    "exclusion expires on %s (in %lld day%s): renew it with a new approval or plan to remove the tag "
                    "and this entry",
                    e->expires_at.text.value, (long long)left, s_plural(left));
}

static enum il_status s_rule_review_overdue(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!e->next_review_at.valid || ctx->today <= e->next_review_at.days) {
        return IL_OK;
    }
    if (e->expires_at.valid && ctx->today > e->expires_at.days) {
        return IL_OK; /* "expired" already says more: a review cannot rescue an expired exclusion */
    }
    int64_t ago = ctx->today - e->next_review_at.days;
    return s_report(ctx, e, &e->next_review_at.text, "/dates/next_review_at", IL_SEV_WARNING, IL_RULE_REVIEW_OVERDUE,
                    "review was due on %s (%lld day%s ago): review the exclusion with its owner and set a new "
                    "next_review_at",
                    e->next_review_at.text.value, (long long)ago, s_plural(ago));
}

static enum il_status s_rule_date_order(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    const struct il_ledger_date *a = &e->applied_at, *n = &e->next_review_at, *x = &e->expires_at;
    if (a->valid && n->valid && a->days > n->days) {
        IL_TRY(s_report(ctx, e, &n->text, "/dates/next_review_at", IL_SEV_ERROR, IL_RULE_DATE_ORDER,
                        "next_review_at %s is before applied_at %s: dates must satisfy applied_at <= next_review_at "
                        "<= expires_at",
                        n->text.value, a->text.value));
    }
    if (n->valid && x->valid && n->days > x->days) {
        IL_TRY(s_report(ctx, e, &n->text, "/dates/next_review_at", IL_SEV_ERROR, IL_RULE_DATE_ORDER,
                        "next_review_at %s is after expires_at %s: schedule the review on or before the expiry date",
                        n->text.value, x->text.value));
    }
    /* without a usable next_review_at the outer pair still has to be in order */
    if (!n->valid && a->valid && x->valid && a->days > x->days) {
        IL_TRY(s_report(ctx, e, &x->text, "/dates/expires_at", IL_SEV_ERROR, IL_RULE_DATE_ORDER,
                        "expires_at %s is before applied_at %s: an exclusion cannot expire before it was applied",
                        x->text.value, a->text.value));
    }
    return IL_OK;
}

static enum il_status s_rule_window_too_long(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    unsigned max = ctx->opts->max_days;
    if (max == 0 || !e->applied_at.valid || !e->expires_at.valid) {
        return IL_OK;
    }
    int64_t window = e->expires_at.days - e->applied_at.days;
    if (window <= (int64_t)max) {
        return IL_OK;
    }
    char latest[IL_DATE_STRLEN];
    s_fmt_days(e->applied_at.days + (int64_t)max, latest);
    return s_report(ctx, e, &e->expires_at.text, "/dates/expires_at", IL_SEV_ERROR, IL_RULE_WINDOW_TOO_LONG,
                    "exclusion window is %lld days (%s to %s), over the %u-day maximum (--max-days): set expires_at "
                    "to %s or earlier",
                    (long long)window, e->applied_at.text.value, e->expires_at.text.value, max, latest);
}

static enum il_status s_rule_name_arn_mismatch(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!e->arn.valid || e->function_name.value == NULL || il_ledger_str_eq(&e->function_name, e->arn.function_name)) {
        return IL_OK;
    }
    return s_report(ctx, e, &e->function_name, "/target/function_name", IL_SEV_ERROR, IL_RULE_NAME_ARN_MISMATCH,
                    "function_name `%s` differs from the function in function_arn (`%s`): make them name the same "
                    "function",
                    e->function_name.value, e->arn.function_name);
}

static enum il_status s_rule_tag_scan_type(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    const char *want_key = il_scan_type_tag_key(e->scan_type);
    const char *want_value = il_scan_type_tag_value(e->scan_type);
    if (want_key == NULL || e->tag_key.value == NULL || e->tag_value.value == NULL) {
        return IL_OK;
    }
    int key_ok = il_ledger_str_eq(&e->tag_key, want_key);
    int value_ok = il_ledger_str_eq(&e->tag_value, want_value);
    if (key_ok && value_ok) {
        return IL_OK;
    }
    /* point at the first wrong half */
    const struct il_ledger_str *at = key_ok ? &e->tag_value : &e->tag_key;
    return s_report(ctx, e, at, key_ok ? "/tag/value" : "/tag/key", IL_SEV_ERROR, IL_RULE_TAG_SCAN_TYPE_MISMATCH,
                    "scan_type `%s` needs the tag %s=%s, not %s=%s: fix the tag or the scan type",
                    il_scan_type_str(e->scan_type), want_key, want_value, e->tag_key.value, e->tag_value.value);
}

static enum il_status s_rule_qualified_arn(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!e->arn.valid || e->arn.qualifier == NULL) {
        return IL_OK;
    }
    return s_report(ctx, e, &e->function_arn, "/target/function_arn", IL_SEV_ERROR, IL_RULE_QUALIFIED_ARN,
                    "function_arn is qualified with `:%s` (a version or alias), but exclusion tags live on the "
                    "function: use the unqualified ARN %s",
                    e->arn.qualifier, e->arn.unqualified);
}

/* Trimmed, case-insensitive equality: "Ann@Example.com " and "ann@example.com" are one person. */
static int s_same_person(const struct il_ledger_str *a, const struct il_ledger_str *b) {
    const char *p = a->value, *q = b->value;
    size_t pl = a->len, ql = b->len;
    while (pl > 0 && (*p == ' ' || *p == '\t')) {
        p++, pl--;
    }
    while (ql > 0 && (*q == ' ' || *q == '\t')) {
        q++, ql--;
    }
    while (pl > 0 && (p[pl - 1] == ' ' || p[pl - 1] == '\t')) {
        pl--;
    }
    while (ql > 0 && (q[ql - 1] == ' ' || q[ql - 1] == '\t')) {
        ql--;
    }
    if (pl != ql || pl == 0) {
        return 0;
    }
    for (size_t i = 0; i < pl; i++) { /* ASCII case folding; bytes, not C strings (no stop at an inner NUL) */
        unsigned char x = (unsigned char)p[i], y = (unsigned char)q[i];
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) {
            return 0;
        }
    }
    return 1;
}

static enum il_status s_rule_distinct_approver(struct s_ctx *ctx, const struct il_ledger_entry *e) {
    if (!ctx->opts->require_distinct_approver || e->approved_by.value == NULL || e->applied_by.value == NULL ||
        !s_same_person(&e->approved_by, &e->applied_by)) {
        return IL_OK;
    }
    return s_report(ctx, e, &e->applied_by, "/owner/applied_by", IL_SEV_ERROR, IL_RULE_DISTINCT_APPROVER,
                    "`%s` both approved and applied this exclusion: policy (--require-distinct-approver) needs a "
                    "second person to approve it",
                    e->applied_by.value);
}

/* Byte-wise, length-aware: YAML escapes can put a NUL inside a string, and "a\0b" is not "a\0c". */
static int s_same_text(const struct il_ledger_str *a, const struct il_ledger_str *b) {
    return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

/* duplicate-entry: one pass with a hash set keyed on (ARN bytes, scan type), so 50,000 entries cost 50,000 lookups
 * (the sort it replaces touched every entry log n times, each a cache miss on a large ledger). Entries are visited in
 * file order, so the entry already in the set is the earliest one: each later copy is reported against it. */
static enum il_status s_rule_duplicate_entry(struct s_ctx *ctx) {
    size_t n = il_ledger_entry_count(ctx->ledger);
    size_t cap = 16;
    while (cap < 2 * n) {
        cap *= 2; /* n is bounded by the loader's node limit, so this cannot overflow */
    }
    const struct il_ledger_entry **slots = calloc(cap, sizeof(*slots));
    if (slots == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = IL_OK;
    for (size_t i = 0; i < n && st == IL_OK; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ctx->ledger, i);
        if (e->function_arn.value == NULL || e->scan_type == IL_SCAN_UNKNOWN) {
            continue;
        }
        size_t slot =
            (size_t)(il_hash_bytes(e->function_arn.value, e->function_arn.len) ^ (uint64_t)e->scan_type) & (cap - 1);
        while (slots[slot] != NULL &&
               (slots[slot]->scan_type != e->scan_type || !s_same_text(&slots[slot]->function_arn, &e->function_arn))) {
            slot = (slot + 1) & (cap - 1);
        }
        const struct il_ledger_entry *first = slots[slot];
        if (first == NULL) {
            slots[slot] = e;
            continue;
        }
        st = s_report(ctx, e, &e->function_arn, "/target/function_arn", IL_SEV_ERROR, IL_RULE_DUPLICATE_ENTRY,
                      "duplicate entry: the entry at line %u already excludes this function from %s scanning: merge "
                      "the two entries into one",
                      first->line, il_scan_type_str(e->scan_type));
    }
    free(slots);
    return st;
}

static enum il_status (*const s_entry_rules[])(struct s_ctx *ctx, const struct il_ledger_entry *e) = {
    s_rule_expiry_present, s_rule_expired,           s_rule_expiring_soon,     s_rule_review_overdue,
    s_rule_date_order,     s_rule_window_too_long,   s_rule_name_arn_mismatch, s_rule_tag_scan_type,
    s_rule_qualified_arn,  s_rule_distinct_approver,
};

enum il_status il_ledger_rule_opts_default(struct il_ledger_rule_opts *opts) {
    memset(opts, 0, sizeof(*opts));
    opts->warn_days = 14;
    return il_date_today_utc(&opts->as_of);
}

enum il_status il_ledger_check_rules(const struct il_ledger *ledger, const struct il_ledger_rule_opts *opts,
                                     struct il_diags *diags) {
    if (!il_date_valid(opts->as_of.year, opts->as_of.month, opts->as_of.day)) {
        return IL_ERR_INVALID;
    }
    struct s_ctx ctx = {ledger, opts, il_date_to_days(&opts->as_of), diags};
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        for (size_t r = 0; r < sizeof(s_entry_rules) / sizeof(s_entry_rules[0]); r++) {
            IL_TRY(s_entry_rules[r](&ctx, e));
        }
    }
    return s_rule_duplicate_entry(&ctx);
}

enum il_entry_status il_ledger_entry_status(const struct il_ledger_entry *entry, const struct il_ledger_rule_opts *opts,
                                            int64_t *days_left) {
    if (days_left) {
        *days_left = 0;
    }
    if (!entry->expires_at.valid || !il_date_valid(opts->as_of.year, opts->as_of.month, opts->as_of.day)) {
        return IL_ENTRY_UNKNOWN;
    }
    int64_t today = il_date_to_days(&opts->as_of);
    int64_t left = entry->expires_at.days - today;
    if (days_left) {
        *days_left = left;
    }
    return il_entry_status_at(left, entry->next_review_at.valid, entry->next_review_at.days - today, opts->warn_days);
}

enum il_entry_status il_entry_status_at(int64_t days_left, int has_review, int64_t days_to_review, unsigned warn_days) {
    if (days_left < 0) {
        return IL_ENTRY_EXPIRED;
    }
    if (has_review && days_to_review < 0) {
        return IL_ENTRY_REVIEW_OVERDUE;
    }
    if (days_left <= (int64_t)warn_days) {
        return IL_ENTRY_EXPIRING_SOON;
    }
    return IL_ENTRY_ACTIVE;
}

const char *il_entry_status_str(enum il_entry_status status) {
    switch (status) {
    case IL_ENTRY_ACTIVE: return "active";
    case IL_ENTRY_EXPIRING_SOON: return "expiring-soon";
    case IL_ENTRY_REVIEW_OVERDUE: return "review-overdue";
    case IL_ENTRY_EXPIRED: return "expired";
    case IL_ENTRY_UNKNOWN: break;
    }
    return "unknown";
}

const struct il_ledger_entry *il_ledger_next_expiry(const struct il_ledger *ledger, const struct il_date *as_of) {
    int64_t today = il_date_to_days(as_of);
    const struct il_ledger_entry *best = NULL;
    for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        if (e->expires_at.valid && e->expires_at.days >= today &&
            (!best || e->expires_at.days < best->expires_at.days)) {
            best = e;
        }
    }
    return best;
}
