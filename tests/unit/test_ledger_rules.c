/*
 * Unit tests: the typed ledger model and every ledger rule, each triggered and not triggered at its boundary.
 * Ledgers are built with the node builder (no YAML), so each field sits at a known line: entry k's field f is at
 * line 100*k + f, column 7.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/ledger.h"

enum {
    F_TARGET = 1,
    F_TYPE,
    F_NAME,
    F_ARN,
    F_SCAN,
    F_TAG,
    F_KEY,
    F_VALUE,
    F_REASON,
    F_SUMMARY,
    F_TICKET,
    F_CONTROLS,
    F_CONTROL0,
    F_OWNER,
    F_TEAM,
    F_APPROVED,
    F_APPLIED,
    F_DATES,
    F_APPLIED_AT,
    F_EXPIRES,
    F_REVIEW,
};
#define COL 7u

struct spec {
    const char *name, *arn, *scan, *key, *value, *approved, *applied, *applied_at, *expires_at, *next_review_at;
};

static const struct spec s_good = {
    "orders-api",
    "arn:aws:lambda:us-east-1:111122223333:function:orders-api",
    "standard",
    "InspectorExclusion",
    "LambdaStandardScanning",
    "ann@example.com",
    "bob@example.com",
    "2026-01-10",
    "2026-12-31",
    "2026-06-30",
};

static struct il_node *s_str(struct il_doc *doc, const char *s, unsigned line) {
    struct il_node *n = il_node_new_string(doc, s, strlen(s), line, COL);
    assert_non_null(n);
    return n;
}

static void s_put(struct il_doc *doc, struct il_node *obj, const char *key, struct il_node *value) {
    if (value == NULL) {
        return;
    }
    struct il_node *k = il_node_new_string(doc, key, strlen(key), il_node_line(value), 3);
    assert_non_null(k);
    assert_int_equal(il_node_object_put(doc, obj, k, value), IL_OK);
}

/* A string member when @p s is not NULL (NULL leaves the key out). */
static void s_put_str(struct il_doc *doc, struct il_node *obj, const char *key, const char *s, unsigned line) {
    if (s != NULL) {
        s_put(doc, obj, key, s_str(doc, s, line));
    }
}

static struct il_node *s_obj(struct il_doc *doc, unsigned line) {
    struct il_node *n = il_node_new_object(doc, line, COL);
    assert_non_null(n);
    return n;
}

static void s_add_entry(struct il_doc *doc, struct il_node *list, unsigned k, const struct spec *sp) {
    unsigned b = 100 * k;
    struct il_node *e = s_obj(doc, b);
    struct il_node *target = s_obj(doc, b + F_TARGET);
    s_put_str(doc, target, "type", "lambda", b + F_TYPE);
    s_put_str(doc, target, "function_name", sp->name, b + F_NAME);
    s_put_str(doc, target, "function_arn", sp->arn, b + F_ARN);
    s_put(doc, e, "target", target);
    s_put_str(doc, e, "scan_type", sp->scan, b + F_SCAN);
    struct il_node *tag = s_obj(doc, b + F_TAG);
    s_put_str(doc, tag, "key", sp->key, b + F_KEY);
    s_put_str(doc, tag, "value", sp->value, b + F_VALUE);
    s_put(doc, e, "tag", tag);
    struct il_node *reason = s_obj(doc, b + F_REASON);
    s_put_str(doc, reason, "summary", "false positive", b + F_SUMMARY);
    s_put_str(doc, reason, "ticket", "SEC-1", b + F_TICKET);
    struct il_node *controls = il_node_new_array(doc, b + F_CONTROLS, COL);
    assert_int_equal(il_node_array_push(doc, controls, s_str(doc, "waf", b + F_CONTROL0)), IL_OK);
    assert_int_equal(il_node_array_push(doc, controls, il_node_new_number(doc, 5, 1, b + F_CONTROL0 + 50, COL)), IL_OK);
    s_put(doc, reason, "compensating_controls", controls);
    s_put(doc, e, "reason", reason);
    struct il_node *owner = s_obj(doc, b + F_OWNER);
    s_put_str(doc, owner, "team", "payments", b + F_TEAM);
    s_put_str(doc, owner, "approved_by", sp->approved, b + F_APPROVED);
    s_put_str(doc, owner, "applied_by", sp->applied, b + F_APPLIED);
    s_put(doc, e, "owner", owner);
    struct il_node *dates = s_obj(doc, b + F_DATES);
    s_put_str(doc, dates, "applied_at", sp->applied_at, b + F_APPLIED_AT);
    s_put_str(doc, dates, "expires_at", sp->expires_at, b + F_EXPIRES);
    s_put_str(doc, dates, "next_review_at", sp->next_review_at, b + F_REVIEW);
    s_put(doc, e, "dates", dates);
    assert_int_equal(il_node_array_push(doc, list, e), IL_OK);
}

/* A ledger with entries 1..n built from @p specs. */
static struct il_ledger *s_ledger(const struct spec *specs, size_t n) {
    struct il_doc *doc = il_doc_new("test.yaml");
    assert_non_null(doc);
    struct il_node *root = s_obj(doc, 1);
    s_put(doc, root, "version", il_node_new_number(doc, 1, 1, 1, 10));
    struct il_node *list = il_node_new_array(doc, 3, 3);
    for (size_t i = 0; i < n; i++) {
        s_add_entry(doc, list, (unsigned)i + 1, &specs[i]);
    }
    s_put(doc, root, "exclusions", list);
    il_doc_set_root(doc, root);
    struct il_ledger *ledger = NULL;
    assert_int_equal(il_ledger_from_doc(doc, NULL, 0, &ledger), IL_OK);
    assert_non_null(ledger);
    return ledger;
}

static struct il_ledger_rule_opts s_opts(const char *as_of) {
    struct il_ledger_rule_opts o;
    assert_int_equal(il_ledger_rule_opts_default(&o), IL_OK);
    assert_int_equal(il_date_parse_str(as_of, &o.as_of), IL_OK);
    return o;
}

/* Run the rules; returns the collection (caller frees). */
static struct il_diags *s_run(const struct spec *specs, size_t n, const struct il_ledger_rule_opts *o) {
    struct il_ledger *ledger = s_ledger(specs, n);
    struct il_diags *d = il_diags_new();
    assert_non_null(d);
    assert_int_equal(il_ledger_check_rules(ledger, o, d), IL_OK);
    il_ledger_free(ledger); /* diagnostics own copies: they must outlive the ledger */
    il_diags_sort(d);
    return d;
}

static size_t s_count(const struct il_diags *d, const char *rule) {
    size_t n = 0;
    for (size_t i = 0; i < il_diags_count(d); i++) {
        n += strcmp(il_diags_get(d, i)->rule, rule) == 0;
    }
    return n;
}

static const struct il_diag *s_find(const struct il_diags *d, const char *rule) {
    for (size_t i = 0; i < il_diags_count(d); i++) {
        if (strcmp(il_diags_get(d, i)->rule, rule) == 0) {
            return il_diags_get(d, i);
        }
    }
    fail_msg("no %s finding", rule);
    return NULL;
}

/* The only finding is @p rule with @p severity at entry 1's field @p field. */
static void s_expect_one(const struct spec *sp, const struct il_ledger_rule_opts *o, const char *rule,
                         enum il_severity severity, unsigned field, const char *needle) {
    struct il_diags *d = s_run(sp, 1, o);
    if (il_diags_count(d) != 1) {
        for (size_t i = 0; i < il_diags_count(d); i++) {
            print_message("  got %s: %s\n", il_diags_get(d, i)->rule, il_diags_get(d, i)->message);
        }
    }
    assert_int_equal(il_diags_count(d), 1);
    const struct il_diag *x = il_diags_get(d, 0);
    assert_string_equal(x->rule, rule);
    assert_int_equal(x->severity, severity);
    assert_string_equal(x->file, "test.yaml");
    assert_int_equal(x->line, 100 + field);
    assert_int_equal(x->column, COL);
    assert_string_equal(x->function_arn, sp->arn);
    if (needle) {
        assert_non_null(strstr(x->message, needle));
    }
    il_diags_free(d);
}

static void s_expect_none(const struct spec *sp, size_t n, const struct il_ledger_rule_opts *o) {
    struct il_diags *d = s_run(sp, n, o);
    for (size_t i = 0; i < il_diags_count(d); i++) {
        print_message("  unexpected %s: %s\n", il_diags_get(d, i)->rule, il_diags_get(d, i)->message);
    }
    assert_int_equal(il_diags_count(d), 0);
    il_diags_free(d);
}

static void test_model_fields(void **state) {
    (void)state;
    struct il_ledger *l = s_ledger(&s_good, 1);
    assert_int_equal(il_ledger_entry_count(l), 1);
    assert_int_equal(il_ledger_version(l), 1);
    assert_string_equal(il_ledger_filename(l), "test.yaml");
    assert_null(il_ledger_entry(l, 1));
    const struct il_ledger_entry *e = il_ledger_entry(l, 0);
    assert_string_equal(e->pointer, "/exclusions/0");
    assert_int_equal(e->line, 100);
    assert_string_equal(e->function_name.value, "orders-api");
    assert_int_equal(e->function_name.line, 100 + F_NAME);
    assert_int_equal(e->scan_type, IL_SCAN_STANDARD);
    assert_true(e->arn.valid);
    assert_string_equal(e->arn.partition, "aws");
    assert_string_equal(e->arn.region, "us-east-1");
    assert_string_equal(e->arn.account, "111122223333");
    assert_string_equal(e->arn.function_name, "orders-api");
    assert_null(e->arn.qualifier);
    assert_string_equal(e->arn.unqualified, s_good.arn);
    assert_int_equal(e->compensating_control_count, 1); /* the number item is left out */
    assert_string_equal(e->compensating_controls[0].value, "waf");
    assert_true(e->expires_at.valid);
    assert_int_equal(e->expires_at.date.month, 12);
    assert_int_equal(e->end_line, 100 + F_CONTROL0 + 50); /* no bytes: the deepest node line */
    /* SHA-256 of no bytes */
    assert_string_equal(il_ledger_sha256(l), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    il_ledger_free(l);
    il_ledger_free(NULL);
}

static void test_model_arn_partitions_and_qualifiers(void **state) {
    (void)state;
    struct spec sp[4] = {s_good, s_good, s_good, s_good};
    sp[0].arn = "arn:aws-us-gov:lambda:us-gov-west-1:777788889999:function:records:prod";
    sp[1].arn = "arn:aws-cn:lambda:cn-north-1:210987654321:function:catalog-sync";
    sp[2].arn = "arn:aws:lambda:us-east-1:11112222333:function:short-account";
    sp[3].arn = "arn:aws:lambda:us-east-1:111122223333:layer:x";
    struct il_ledger *l = s_ledger(sp, 4);
    const struct il_ledger_entry *e = il_ledger_entry(l, 0);
    assert_true(e->arn.valid);
    assert_string_equal(e->arn.partition, "aws-us-gov");
    assert_string_equal(e->arn.region, "us-gov-west-1");
    assert_string_equal(e->arn.function_name, "records");
    assert_string_equal(e->arn.qualifier, "prod");
    assert_string_equal(e->arn.unqualified, "arn:aws-us-gov:lambda:us-gov-west-1:777788889999:function:records");
    e = il_ledger_entry(l, 1);
    assert_true(e->arn.valid);
    assert_string_equal(e->arn.partition, "aws-cn");
    assert_false(il_ledger_entry(l, 2)->arn.valid);
    assert_false(il_ledger_entry(l, 3)->arn.valid);
    assert_string_equal(il_ledger_entry(l, 3)->arn.account, "");
    il_ledger_free(l);
}

static void test_model_end_line_and_sha(void **state) {
    (void)state;
    /* bytes: entry 1 spans lines 2-4, then a comment and a blank line before entry 2 at 7; a top-level key at 10 */
    const char text[] = "exclusions:\n"       /* 1 */
                        "  - a: 1\n"          /* 2 */
                        "    b: 2\n"          /* 3 */
                        "    c: |\n"          /* 4 */
                        "  # about entry 2\n" /* 5 */
                        "\n"                  /* 6 */
                        "  - a: 3\n"          /* 7 */
                        "    b: 4\n"          /* 8 */
                        "\n"                  /* 9 */
                        "version: 1\n";       /* 10 */
    struct il_doc *doc = il_doc_new("x.yaml");
    struct il_node *root = s_obj(doc, 1);
    struct il_node *list = il_node_new_array(doc, 2, 3);
    struct il_node *e1 = s_obj(doc, 2), *e2 = s_obj(doc, 7);
    s_put_str(doc, e1, "a", "1", 2);
    s_put_str(doc, e2, "a", "3", 7);
    assert_int_equal(il_node_array_push(doc, list, e1), IL_OK);
    assert_int_equal(il_node_array_push(doc, list, e2), IL_OK);
    s_put(doc, root, "exclusions", list);
    s_put(doc, root, "version", il_node_new_number(doc, 1, 1, 10, 10));
    il_doc_set_root(doc, root);
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_from_doc(doc, text, strlen(text), &l), IL_OK);
    assert_int_equal(il_ledger_entry(l, 0)->end_line, 4);
    assert_int_equal(il_ledger_entry(l, 1)->end_line, 8);
    assert_int_equal(il_ledger_exclusions_line(l), 2);
    il_ledger_free(l);

    struct il_doc *d2 = il_doc_new("abc");
    il_doc_set_root(d2, s_obj(d2, 1));
    assert_int_equal(il_ledger_from_doc(d2, "abc", 3, &l), IL_OK);
    assert_string_equal(il_ledger_sha256(l), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(il_ledger_entry_count(l), 0);
    assert_int_equal(il_ledger_version(l), -1);
    il_ledger_free(l);
}

static void test_valid_entry_is_clean(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-03-01");
    o.max_days = 365;
    o.require_distinct_approver = 1;
    s_expect_none(&s_good, 1, &o);
}

static void test_expired_boundary(void **state) {
    (void)state;
    struct spec sp = s_good;
    sp.next_review_at = "2026-12-31";                    /* keep review-overdue out of the way */
    struct il_ledger_rule_opts o = s_opts("2027-01-01"); /* the day after expires_at */
    s_expect_one(&sp, &o, "expired", IL_SEV_ERROR, F_EXPIRES, "expired on 2026-12-31 (1 day ago)");
    o = s_opts("2027-02-21");
    s_expect_one(&sp, &o, "expired", IL_SEV_ERROR, F_EXPIRES, "(52 days ago): remove the tag");
    /* the expiry day itself still holds: only the expiring-soon warning */
    o = s_opts("2026-12-31");
    s_expect_one(&sp, &o, "expiring-soon", IL_SEV_WARNING, F_EXPIRES, "expires today");
}

static void test_expiring_soon_boundary(void **state) {
    (void)state;
    struct spec sp = s_good;
    sp.next_review_at = "2026-12-31";
    struct il_ledger_rule_opts o = s_opts("2026-12-17"); /* 14 days left: inside the default window */
    s_expect_one(&sp, &o, "expiring-soon", IL_SEV_WARNING, F_EXPIRES, "in 14 days");
    o = s_opts("2026-12-16"); /* 15 days left */
    s_expect_none(&sp, 1, &o);
    o.warn_days = 15;
    s_expect_one(&sp, &o, "expiring-soon", IL_SEV_WARNING, F_EXPIRES, "in 15 days");
    o = s_opts("2026-12-30");
    s_expect_one(&sp, &o, "expiring-soon", IL_SEV_WARNING, F_EXPIRES, "in 1 day)");
}

static void test_review_overdue_boundary(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-06-30"); /* review day itself: not overdue */
    s_expect_none(&s_good, 1, &o);
    o = s_opts("2026-07-01");
    s_expect_one(&s_good, &o, "review-overdue", IL_SEV_WARNING, F_REVIEW, "due on 2026-06-30 (1 day ago)");
    /* once expired, the expiry error replaces the review warning */
    o = s_opts("2027-01-05");
    struct il_diags *d = s_run(&s_good, 1, &o);
    assert_int_equal(s_count(d, "review-overdue"), 0);
    assert_int_equal(s_count(d, "expired"), 1);
    il_diags_free(d);
}

static void test_date_order(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-01-05");
    struct spec sp = s_good;
    sp.next_review_at = "2026-01-09"; /* before applied_at */
    s_expect_one(&sp, &o, "date-order", IL_SEV_ERROR, F_REVIEW, "before applied_at 2026-01-10");
    sp.next_review_at = "2027-01-01"; /* after expires_at */
    s_expect_one(&sp, &o, "date-order", IL_SEV_ERROR, F_REVIEW, "after expires_at 2026-12-31");
    /* equal dates are in order */
    sp.applied_at = sp.next_review_at = sp.expires_at = "2026-12-31";
    o = s_opts("2026-01-01");
    s_expect_none(&sp, 1, &o);
    /* no usable next_review_at: applied_at <= expires_at still checked, at expires_at */
    sp = s_good;
    sp.next_review_at = "soon";
    sp.applied_at = "2027-01-01";
    s_expect_one(&sp, &o, "date-order", IL_SEV_ERROR, F_EXPIRES, "cannot expire before it was applied");
}

static void test_window_too_long(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct spec sp = s_good;
    sp.applied_at = "2026-01-01";
    sp.expires_at = "2027-01-01"; /* 365 days */
    s_expect_none(&sp, 1, &o);    /* off by default */
    o.max_days = 365;
    s_expect_none(&sp, 1, &o);
    sp.expires_at = "2027-01-02"; /* 366 days */
    s_expect_one(&sp, &o, "window-too-long", IL_SEV_ERROR, F_EXPIRES, "set expires_at to 2027-01-01 or earlier");
}

static void test_duplicate_entry(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct spec sp[4] = {s_good, s_good, s_good, s_good};
    sp[1].scan = "code"; /* same function, other scan type: fine */
    sp[1].key = "InspectorCodeExclusion";
    sp[1].value = "LambdaCodeScanning";
    sp[2].arn = "arn:aws:lambda:us-east-1:111122223333:function:other"; /* other function */
    sp[2].name = "other";
    s_expect_none(sp, 3, &o);
    /* entry 4 repeats entry 1 */
    struct il_diags *d = s_run(sp, 4, &o);
    assert_int_equal(il_diags_count(d), 1);
    const struct il_diag *x = s_find(d, "duplicate-entry");
    assert_int_equal(x->line, 400 + F_ARN);
    assert_int_equal(x->column, COL);
    assert_non_null(strstr(x->message, "at line 100"));
    assert_string_equal(x->pointer, "/exclusions/3/target/function_arn");
    il_diags_free(d);
    /* three copies: the second and third each point at the first */
    struct spec three[3] = {s_good, s_good, s_good};
    d = s_run(three, 3, &o);
    assert_int_equal(s_count(d, "duplicate-entry"), 2);
    assert_int_equal(il_diags_get(d, 0)->line, 200 + F_ARN);
    assert_int_equal(il_diags_get(d, 1)->line, 300 + F_ARN);
    assert_non_null(strstr(il_diags_get(d, 1)->message, "at line 100"));
    il_diags_free(d);
}

static void test_name_arn_mismatch(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct spec sp = s_good;
    sp.name = "orders-API";
    s_expect_one(&sp, &o, "name-arn-mismatch", IL_SEV_ERROR, F_NAME, "`orders-API` differs");
}

static void test_tag_scan_type_mismatch(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct spec sp = s_good;
    sp.key = "InspectorCodeExclusion"; /* standard entry, code tag */
    sp.value = "LambdaCodeScanning";
    s_expect_one(&sp, &o, "tag-scan-type-mismatch", IL_SEV_ERROR, F_KEY,
                 "needs the tag InspectorExclusion=LambdaStandardScanning");
    sp = s_good;
    sp.value = "LambdaCodeScanning"; /* right key, wrong value: located at the value */
    s_expect_one(&sp, &o, "tag-scan-type-mismatch", IL_SEV_ERROR, F_VALUE, "not InspectorExclusion=LambdaCodeScanning");
    sp.scan = "code";
    sp.key = "InspectorCodeExclusion";
    s_expect_none(&sp, 1, &o);
}

static void test_qualified_arn(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct spec sp = s_good;
    sp.arn = "arn:aws:lambda:us-east-1:111122223333:function:orders-api:7";
    s_expect_one(&sp, &o, "qualified-arn", IL_SEV_ERROR, F_ARN,
                 "use the unqualified ARN arn:aws:lambda:us-east-1:111122223333:function:orders-api");
}

static void test_distinct_approver(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct spec sp = s_good;
    sp.applied = " Ann@Example.com";
    s_expect_none(&sp, 1, &o); /* policy off by default */
    o.require_distinct_approver = 1;
    s_expect_one(&sp, &o, "distinct-approver", IL_SEV_ERROR, F_APPLIED, "both approved and applied");
}

static void test_missing_fields_do_not_crash(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    o.max_days = 30;
    o.require_distinct_approver = 1;
    struct spec empty = {0};
    struct spec two[2] = {empty, empty};
    struct il_diags *d = s_run(two, 2, &o);
    /* the only thing said is that expires_at is missing (no schema ran), located at the `dates` mapping */
    assert_int_equal(il_diags_count(d), 2);
    assert_string_equal(il_diags_get(d, 0)->rule, "schema");
    assert_int_equal(il_diags_get(d, 0)->line, 100 + F_DATES);
    assert_null(il_diags_get(d, 0)->function_arn);
    assert_non_null(strstr(il_diags_get(d, 0)->message, "missing"));
    il_diags_free(d);

    struct spec bad = s_good;
    bad.expires_at = "2026-02-30";
    d = s_run(&bad, 1, &o);
    assert_int_equal(il_diags_count(d), 1);
    assert_int_equal(il_diags_get(d, 0)->line, 100 + F_EXPIRES);
    assert_non_null(strstr(il_diags_get(d, 0)->message, "not a valid"));
    il_diags_free(d);

    /* entries that are not mappings, and a ledger whose exclusions is not a list */
    struct il_doc *doc = il_doc_new("odd.yaml");
    struct il_node *root = s_obj(doc, 1);
    struct il_node *list = il_node_new_array(doc, 2, 3);
    assert_int_equal(il_node_array_push(doc, list, s_str(doc, "just text", 3)), IL_OK);
    assert_int_equal(il_node_array_push(doc, list, il_node_new_null(doc, 4, 5)), IL_OK);
    s_put(doc, root, "exclusions", list);
    il_doc_set_root(doc, root);
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_from_doc(doc, NULL, 0, &l), IL_OK);
    assert_int_equal(il_ledger_entry_count(l), 2);
    assert_false(il_ledger_entry(l, 0)->is_object);
    d = il_diags_new();
    assert_int_equal(il_ledger_check_rules(l, &o, d), IL_OK);
    assert_int_equal(il_diags_count(d), 0);
    il_diags_free(d);
    il_ledger_free(l);

    doc = il_doc_new("scalar.yaml");
    il_doc_set_root(doc, s_str(doc, "exclusions", 1));
    assert_int_equal(il_ledger_from_doc(doc, "exclusions", 10, &l), IL_OK);
    assert_int_equal(il_ledger_entry_count(l), 0);
    il_ledger_free(l);
}

/* Strings with an inner NUL (YAML "\0") compare as bytes, never as truncated C strings. */
static void test_inner_nul_bytes(void **state) {
    (void)state;
    struct il_doc *doc = il_doc_new("nul.yaml");
    struct il_node *root = s_obj(doc, 1);
    struct il_node *list = il_node_new_array(doc, 2, 3);
    const char *arns[2] = {"a\0b", "a\0c"};
    for (unsigned i = 0; i < 2; i++) {
        struct il_node *e = s_obj(doc, 10 * (i + 1));
        struct il_node *t = s_obj(doc, 10 * (i + 1) + 1);
        s_put(doc, t, "function_arn", il_node_new_string(doc, arns[i], 3, 10 * (i + 1) + 2, COL));
        s_put(doc, e, "target", t);
        s_put_str(doc, e, "scan_type", "code", 10 * (i + 1) + 3);
        assert_int_equal(il_node_array_push(doc, list, e), IL_OK);
    }
    struct il_node *odd = s_obj(doc, 40);
    s_put(doc, odd, "scan_type", il_node_new_string(doc, "code\0x", 6, 41, COL));
    struct il_node *tag = s_obj(doc, 42);
    s_put(doc, tag, "key", il_node_new_string(doc, "InspectorCodeExclusion\0", 23, 43, COL));
    s_put_str(doc, tag, "value", "LambdaCodeScanning", 44);
    s_put(doc, odd, "tag", tag);
    assert_int_equal(il_node_array_push(doc, list, odd), IL_OK);
    s_put(doc, root, "exclusions", list);
    il_doc_set_root(doc, root);
    struct il_ledger *l = NULL;
    assert_int_equal(il_ledger_from_doc(doc, NULL, 0, &l), IL_OK);
    assert_int_equal(il_ledger_entry(l, 2)->scan_type, IL_SCAN_UNKNOWN); /* "code\0x" is not "code" */
    assert_false(il_ledger_entry(l, 0)->arn.valid);
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    struct il_diags *d = il_diags_new();
    assert_int_equal(il_ledger_check_rules(l, &o, d), IL_OK);
    assert_int_equal(s_count(d, "duplicate-entry"), 0);                       /* a\0b and a\0c differ */
    assert_null(il_diags_count(d) ? il_diags_get(d, 0)->function_arn : NULL); /* never a truncated ARN */
    il_diags_free(d);
    il_ledger_free(l);
}

static void test_next_expiry(void **state) {
    (void)state;
    struct spec sp[3] = {s_good, s_good, s_good};
    sp[0].expires_at = "2026-05-01";
    sp[1].expires_at = "2026-04-01";
    sp[2].expires_at = "2026-04-01"; /* a tie: the earlier entry wins */
    struct il_ledger *l = s_ledger(sp, 3);
    struct il_date d;
    assert_int_equal(il_date_parse_str("2026-03-01", &d), IL_OK);
    assert_ptr_equal(il_ledger_next_expiry(l, &d), il_ledger_entry(l, 1));
    assert_int_equal(il_date_parse_str("2026-04-01", &d), IL_OK); /* the expiry day itself still counts */
    assert_ptr_equal(il_ledger_next_expiry(l, &d), il_ledger_entry(l, 1));
    assert_int_equal(il_date_parse_str("2026-04-02", &d), IL_OK);
    assert_ptr_equal(il_ledger_next_expiry(l, &d), il_ledger_entry(l, 0));
    assert_int_equal(il_date_parse_str("2026-05-02", &d), IL_OK);
    assert_null(il_ledger_next_expiry(l, &d));
    il_ledger_free(l);
}

static void test_empty_ledger(void **state) {
    (void)state;
    struct il_ledger_rule_opts o = s_opts("2026-02-01");
    s_expect_none(NULL, 0, &o);
    o.as_of.month = 13; /* an impossible as-of date is refused, not guessed */
    struct il_ledger *l = s_ledger(NULL, 0);
    struct il_diags *d = il_diags_new();
    assert_int_equal(il_ledger_check_rules(l, &o, d), IL_ERR_INVALID);
    il_diags_free(d);
    il_ledger_free(l);
}

static void test_entry_status(void **state) {
    (void)state;
    struct il_ledger *l = s_ledger(&s_good, 1);
    const struct il_ledger_entry *e = il_ledger_entry(l, 0);
    int64_t left = 99;
    struct il_ledger_rule_opts o = s_opts("2026-03-01");
    assert_int_equal(il_ledger_entry_status(e, &o, &left), IL_ENTRY_ACTIVE);
    assert_int_equal(left, 305);
    o = s_opts("2026-07-01");
    assert_int_equal(il_ledger_entry_status(e, &o, NULL), IL_ENTRY_REVIEW_OVERDUE);
    o = s_opts("2026-12-31");
    assert_int_equal(il_ledger_entry_status(e, &o, &left), IL_ENTRY_REVIEW_OVERDUE);
    assert_int_equal(left, 0);
    o = s_opts("2027-01-01");
    assert_int_equal(il_ledger_entry_status(e, &o, &left), IL_ENTRY_EXPIRED);
    assert_int_equal(left, -1);
    assert_string_equal(il_entry_status_str(IL_ENTRY_EXPIRED), "expired");
    il_ledger_free(l);

    struct spec sp = s_good;
    sp.next_review_at = "2026-12-31";
    l = s_ledger(&sp, 1);
    o = s_opts("2026-12-20");
    assert_int_equal(il_ledger_entry_status(il_ledger_entry(l, 0), &o, &left), IL_ENTRY_EXPIRING_SOON);
    assert_int_equal(left, 11);
    il_ledger_free(l);
}

static void test_many_entries_duplicates_fast(void **state) {
    (void)state;
    /* 20,000 distinct entries plus one duplicate at the end: one hash lookup each keeps this instant */
    enum { N = 20000 };
    struct spec *sp = calloc(N + 1, sizeof(*sp));
    char(*arns)[80] = calloc(N, sizeof(*arns));
    char(*names)[16] = calloc(N, sizeof(*names));
    assert_non_null(sp);
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "fn-%zu", i);
        snprintf(arns[i], sizeof(arns[i]), "arn:aws:lambda:us-east-1:111122223333:function:%s", names[i]);
        sp[i] = s_good;
        sp[i].name = names[i];
        sp[i].arn = arns[i];
    }
    sp[N] = sp[12345];
    struct il_ledger_rule_opts o = s_opts("2026-03-01");
    struct il_diags *d = s_run(sp, N + 1, &o);
    assert_int_equal(il_diags_count(d), 1);
    assert_string_equal(il_diags_get(d, 0)->rule, "duplicate-entry");
    assert_non_null(strstr(il_diags_get(d, 0)->message, "at line 1234600"));
    il_diags_free(d);
    free(sp);
    free(arns);
    free(names);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_fields),
        cmocka_unit_test(test_model_arn_partitions_and_qualifiers),
        cmocka_unit_test(test_model_end_line_and_sha),
        cmocka_unit_test(test_valid_entry_is_clean),
        cmocka_unit_test(test_expired_boundary),
        cmocka_unit_test(test_expiring_soon_boundary),
        cmocka_unit_test(test_review_overdue_boundary),
        cmocka_unit_test(test_date_order),
        cmocka_unit_test(test_window_too_long),
        cmocka_unit_test(test_duplicate_entry),
        cmocka_unit_test(test_name_arn_mismatch),
        cmocka_unit_test(test_tag_scan_type_mismatch),
        cmocka_unit_test(test_qualified_arn),
        cmocka_unit_test(test_distinct_approver),
        cmocka_unit_test(test_missing_fields_do_not_crash),
        cmocka_unit_test(test_inner_nul_bytes),
        cmocka_unit_test(test_next_expiry),
        cmocka_unit_test(test_empty_ledger),
        cmocka_unit_test(test_entry_status),
        cmocka_unit_test(test_many_entries_duplicates_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
