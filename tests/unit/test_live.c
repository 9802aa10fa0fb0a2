/* Unit tests: report --live's mapping from the inventory onto report rows (il_report_live_annotate), the shared runtime
 * deprecation rule, the home region and the scope description — over a ledger loaded from text and a built inventory,
 * no AWS. Every fact of every row state, and every unrecorded/scope/unverified list, is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/drift/collect.h"
#include "il/report/live.h"

#define ACCT "111122223333"
#define FN(region, name) "arn:aws:lambda:" region ":" ACCT ":function:" name
#define KMS "arn:aws:kms:us-east-1:" ACCT ":key/k1"

#define ENTRY(name, arn)                                                                                               \
    "  - target:\n      type: lambda\n      function_name: " name "\n      function_arn: " arn "\n"                    \
    "    scan_type: standard\n    tag:\n      key: InspectorExclusion\n      value: LambdaStandardScanning\n"          \
    "    reason:\n      summary: s\n      ticket: SEC-1\n      compensating_controls: [c]\n"                           \
    "    owner:\n      team: t\n      approved_by: a\n      applied_by: b\n"                                           \
    "    dates:\n      applied_at: 2026-01-01\n      next_review_at: 2027-02-01\n      expires_at: 2027-06-01\n"

static const char *s_ledger_text = "version: 1\nexclusions:\n" //
    ENTRY("alpha", FN("us-east-1", "alpha"))                   /* 0: tag, CMK, deprecated runtime */
    ENTRY("bravo", FN("us-east-1", "bravo"))                   /* 1: wrong value + key case; config unknown */
    ENTRY("charlie", FN("us-east-1", "charlie"))               /* 2: does not exist */
    ENTRY("delta", FN("eu-west-1", "delta"))                   /* 3: scope failed */
    ENTRY("echo", FN("ap-south-1", "echo"))                    /* 4: out of scope */
    ENTRY("foxtrot", FN("us-east-1", "foxtrot"))               /* 5: neither listed nor confirmed missing */
    ENTRY("golf", FN("us-east-1", "golf"))                     /* 6: container image, no tag */
    ENTRY("hotel", FN("ap-east-1", "hotel"));                  /* 7: skipped scope (opt-in region) */

struct fixture {
    struct il_ledger *ledger;
    struct il_inventory *inv;
    struct il_runtimes *rt;
    struct il_diags *diags;
    struct il_report *report;
    struct il_live_opts opts;
};

static void s_add(struct il_inventory *inv, const char *region, const char *arn, const char *name,
                  const struct il_inv_tag *tags, size_t n, const char *runtime, const char *kms, unsigned flags) {
    struct il_inv_function fn = {.account = ACCT,
                                 .region = region,
                                 .arn = arn,
                                 .name = name,
                                 .tags = tags,
                                 .tag_count = n,
                                 .runtime = runtime,
                                 .kms_key_arn = kms,
                                 .flags = flags};
    assert_int_equal(il_inventory_add(inv, &fn), IL_OK);
}

static int s_setup(void **state) {
    struct fixture *f = calloc(1, sizeof(*f));
    f->diags = il_diags_new();
    assert_int_equal(
        il_ledger_load_data(s_ledger_text, strlen(s_ledger_text), "ledger.yaml", NULL, &f->ledger, f->diags), IL_OK);
    assert_int_equal(il_diags_count(f->diags), 0);
    assert_int_equal(il_runtimes_load(NULL, &f->rt, f->diags), IL_OK);
    f->inv = il_inventory_new();
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "us-east-1", IL_SCOPE_VERIFIED, NULL), IL_OK);
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "eu-west-1", IL_SCOPE_FAILED, "AccessDenied <x>"), IL_OK);
    assert_int_equal(il_inventory_set_scope(f->inv, ACCT, "ap-east-1", IL_SCOPE_SKIPPED, "opt-in region"), IL_OK);
    const unsigned cfg = IL_INV_CONFIG_KNOWN | IL_INV_TAGS_COMPLETE;
    struct il_inv_tag alpha[] = {{"InspectorExclusion", "LambdaStandardScanning"},
                                 {"InspectorCodeExclusion", "LambdaCodeScanning"}};
    s_add(f->inv, "us-east-1", FN("us-east-1", "alpha"), "alpha", alpha, 2, "python3.8", KMS, cfg);
    struct il_inv_tag bravo[] = {{"InspectorExclusion", "LambdaCodeScanning"}, {"inspectorEXCLUSION", "x"}};
    s_add(f->inv, "us-east-1", FN("us-east-1", "bravo"), "bravo", bravo, 2, NULL, NULL, IL_INV_TAGS_COMPLETE);
    assert_int_equal(il_inventory_mark_not_found(f->inv, ACCT, "us-east-1", FN("us-east-1", "charlie")), IL_OK);
    s_add(f->inv, "us-east-1", FN("us-east-1", "golf"), "golf", NULL, 0, NULL, NULL, cfg);
    struct il_inv_tag zulu[] = {
        {"InspectorExclusion", "LambdaStandardScanning"}, {"team", "z"}, {"InspectorCodeExclusion", "=bogus<b>"}};
    s_add(f->inv, "us-east-1", FN("us-east-1", "zulu"), "zulu", zulu, 3, "python3.12", NULL, cfg);
    struct il_inv_tag yankee[] = {{"inspectorexclusion", "LambdaStandardScanning"}};
    s_add(f->inv, "us-east-1", FN("us-east-1", "yankee"), "yankee", yankee, 1, "python3.12", NULL, cfg);
    assert_int_equal(il_date_parse_str("2026-11-22", &f->opts.rules.as_of), IL_OK);
    f->opts.rules.warn_days = 14;
    f->opts.runtimes = f->rt;
    f->opts.scope = "account " ACCT;
    struct il_report_opts ro = {.as_of = "2026-11-22", .warn_days = 14};
    assert_int_equal(il_report_new(&ro, &f->report), IL_OK);
    assert_int_equal(il_report_add_ledger(f->report, f->ledger), IL_OK);
    *state = f;
    return 0;
}

static int s_teardown(void **state) {
    struct fixture *f = *state;
    il_report_free(f->report);
    il_ledger_free(f->ledger);
    il_inventory_free(f->inv);
    il_runtimes_free(f->rt);
    il_diags_free(f->diags);
    free(f);
    return 0;
}

static const struct il_report_live_row *s_live(const struct fixture *f, size_t i) {
    const struct il_report_row *row = il_report_row_at(f->report, i);
    assert_non_null(row);
    assert_non_null(row->live);
    return row->live;
}

static void s_facts(const struct il_report_live_row *l, enum il_report_tri exists, enum il_report_tri tag,
                    enum il_report_tri cmk, enum il_report_tri deprecated) {
    assert_int_equal(l->function_exists, exists);
    assert_int_equal(l->tag_present, tag);
    assert_int_equal(l->scan_blind, cmk);
    assert_int_equal(l->runtime_deprecated, deprecated);
}

static void test_rows(void **state) {
    struct fixture *f = *state;
    size_t unverified = 99;
    assert_int_equal(il_report_live_annotate(f->report, f->ledger, f->inv, &f->opts, &unverified), IL_OK);
    assert_string_equal(il_report_live_scope(f->report), "account " ACCT);

    const struct il_report_live_row *l = s_live(f, 0); /* alpha */
    s_facts(l, IL_REPORT_YES, IL_REPORT_YES, IL_REPORT_YES, IL_REPORT_YES);
    assert_string_equal(l->kms_key_arn, KMS);
    assert_string_equal(l->runtime, "python3.8");
    assert_string_equal(l->deprecated_on, "2024-10-14");
    assert_null(l->note);

    l = s_live(f, 1); /* bravo: the key with another value, the key in another case; no configuration */
    s_facts(l, IL_REPORT_YES, IL_REPORT_NO, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN);
    assert_non_null(strstr(l->note, "has value \"LambdaCodeScanning\""));
    assert_non_null(strstr(l->note, "\"inspectorEXCLUSION\" differs from InspectorExclusion only in case"));
    assert_non_null(strstr(l->note, "configuration was not read"));

    l = s_live(f, 2); /* charlie: gone, so nothing is on it */
    s_facts(l, IL_REPORT_NO, IL_REPORT_NO, IL_REPORT_NO, IL_REPORT_NO);
    assert_non_null(strstr(l->note, "does not exist"));

    l = s_live(f, 3); /* delta: its scope failed: unknown, never no */
    s_facts(l, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN);
    assert_non_null(strstr(l->note, "not verified: account " ACCT ", region eu-west-1: AccessDenied <x>"));

    l = s_live(f, 4); /* echo: outside the scope */
    s_facts(l, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN);
    assert_non_null(strstr(l->note, "not verified: account " ACCT ", region ap-south-1 was not in this run's scope: "
                                    "add --region ap-south-1"));

    l = s_live(f, 5); /* foxtrot: verified scope, but the function was never seen */
    s_facts(l, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN);
    assert_non_null(strstr(l->note, "neither listed nor confirmed missing"));

    l = s_live(f, 6); /* golf: a container image has no runtime to deprecate */
    s_facts(l, IL_REPORT_YES, IL_REPORT_NO, IL_REPORT_NO, IL_REPORT_NO);
    assert_null(l->runtime);
    assert_null(l->deprecated_on);

    l = s_live(f, 7); /* hotel: skipped (opt-in region not enabled): not compared, so not verified */
    s_facts(l, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN, IL_REPORT_UNKNOWN);
    assert_non_null(strstr(l->note, "not verified: account " ACCT ", region ap-east-1 was skipped (opt-in region"));

    /* fail closed exactly where check does: the failed scope, the unseen function, and the two entries (echo, hotel)
     * whose account/region was not examined */
    assert_int_equal(unverified, 4);
    assert_int_equal(il_report_unverified_count(f->report), 4);
    int scope_named = 0, function_named = 0, unreached = 0;
    for (size_t i = 0; i < 4; i++) {
        const char *u = il_report_unverified_at(f->report, i);
        scope_named += strstr(u, "region eu-west-1") != NULL;
        function_named += strstr(u, FN("us-east-1", "foxtrot")) != NULL;
        unreached += strstr(u, "not compared with AWS") != NULL;
    }
    assert_int_equal(scope_named, 1);
    assert_int_equal(function_named, 1);
    assert_int_equal(unreached, 2);
    const struct il_report_coverage *cov = il_report_live_coverage(f->report);
    assert_non_null(cov);
    assert_int_equal(cov->declared, 0);
    assert_string_equal(cov->summary, "4 of 8 entries compared");
}

static void test_unrecorded_and_scopes(void **state) {
    struct fixture *f = *state;
    assert_int_equal(il_report_live_annotate(f->report, f->ledger, f->inv, &f->opts, NULL), IL_OK);
    /* sorted by account, region, ARN, key; alpha's code tag has no code entry; charlie (gone) never listed */
    static const struct {
        const char *arn, *key, *value, *scan;
        int honoured;
    } want[] = {
        {FN("us-east-1", "alpha"), "InspectorCodeExclusion", "LambdaCodeScanning", "code", 1},
        {FN("us-east-1", "yankee"), "inspectorexclusion", "LambdaStandardScanning", "standard", 0},
        {FN("us-east-1", "zulu"), "InspectorCodeExclusion", "=bogus<b>", "code", 0},
        {FN("us-east-1", "zulu"), "InspectorExclusion", "LambdaStandardScanning", "standard", 1},
    };
    assert_int_equal(il_report_unrecorded_count(f->report), sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct il_report_unrecorded *u = il_report_unrecorded_at(f->report, i);
        assert_string_equal(u->function_arn, want[i].arn);
        assert_string_equal(u->tag_key, want[i].key);
        assert_string_equal(u->tag_value, want[i].value);
        assert_string_equal(u->scan_type, want[i].scan);
        assert_int_equal(u->honoured, want[i].honoured);
        assert_string_equal(u->account, ACCT);
        assert_string_equal(u->region, "us-east-1");
    }
    assert_int_equal(il_report_scope_count(f->report), 3);
    const struct il_report_scope *s = il_report_scope_at(f->report, 0);
    assert_string_equal(s->region, "ap-east-1");
    assert_int_equal(s->state, IL_REPORT_SCOPE_SKIPPED);
    assert_string_equal(s->reason, "opt-in region");
    s = il_report_scope_at(f->report, 1);
    assert_string_equal(s->region, "eu-west-1");
    assert_int_equal(s->state, IL_REPORT_SCOPE_NOT_VERIFIED);
    s = il_report_scope_at(f->report, 2);
    assert_string_equal(s->region, "us-east-1");
    assert_int_equal(s->state, IL_REPORT_SCOPE_VERIFIED);
    assert_null(s->reason);
    assert_string_equal(il_report_scope_state_id(IL_REPORT_SCOPE_NOT_VERIFIED), "not-verified");
}

static void test_bad_input(void **state) {
    struct fixture *f = *state;
    struct il_live_opts no_table = f->opts;
    no_table.runtimes = NULL;
    assert_int_equal(il_report_live_annotate(f->report, f->ledger, f->inv, &no_table, NULL), IL_ERR_INVALID);
    struct il_report *empty = NULL;
    struct il_report_opts ro = {.as_of = "2026-11-22", .warn_days = 14};
    assert_int_equal(il_report_new(&ro, &empty), IL_OK);
    assert_int_equal(il_report_live_annotate(empty, f->ledger, f->inv, &f->opts, NULL),
                     IL_ERR_INVALID); /* rows differ */
    il_report_free(empty);
}

static void test_runtime_rule(void **state) {
    struct fixture *f = *state;
    struct il_date d;
    const char *on = NULL;
    assert_int_equal(il_date_parse_str("2024-10-14", &d), IL_OK);
    assert_false(il_runtimes_is_deprecated(f->rt, "python3.8", &d, &on)); /* still supported on its last day */
    assert_string_equal(on, "2024-10-14");
    assert_int_equal(il_date_parse_str("2024-10-15", &d), IL_OK);
    assert_true(il_runtimes_is_deprecated(f->rt, "python3.8", &d, &on));
    assert_false(il_runtimes_is_deprecated(f->rt, "no-such-runtime", &d, &on));
    assert_null(on);
    assert_false(il_runtimes_is_deprecated(f->rt, NULL, &d, NULL));
    assert_false(il_runtimes_is_deprecated(NULL, "python3.8", &d, NULL));
}

static void test_home_region_and_describe(void **state) {
    struct fixture *f = *state;
    struct il_buf why;
    il_buf_init(&why, 0);
    char *home = NULL;
    const char *regions[] = {"eu-west-1"};
    struct il_collect_opts opts = {.regions = regions, .region_count = 1};
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    assert_int_equal(il_collect_home_region(&opts, f->ledger, &home, &why), IL_OK);
    assert_string_equal(home, "eu-west-1"); /* no environment: the first --region */
    free(home);
    opts.region_count = 0;
    assert_int_equal(il_collect_home_region(&opts, f->ledger, &home, &why), IL_OK);
    assert_string_equal(home, "us-east-1"); /* then the ledger's first region */
    free(home);
    assert_int_equal(il_collect_home_region(&opts, NULL, &home, &why), IL_ERR_NOTFOUND);
    assert_null(home);
    assert_non_null(strstr(il_buf_cstr(&why), "region"));
    setenv("AWS_REGION", "ap-southeast-2", 1);
    opts.region_count = 1;
    assert_int_equal(il_collect_home_region(&opts, f->ledger, &home, &why), IL_OK);
    assert_string_equal(home, "ap-southeast-2"); /* the environment first: STS must answer there */
    free(home);
    unsetenv("AWS_REGION");

    struct il_collect_plan plan;
    il_buf_reset(&why);
    opts.region_count = 0;
    assert_int_equal(il_collect_plan_build(&opts, f->ledger, "us-east-1", &plan, &why), IL_OK);
    struct il_buf text;
    il_buf_init(&text, 0);
    assert_int_equal(il_collect_plan_describe(&plan, &opts, ACCT, &text), IL_OK);
    assert_string_equal(il_buf_cstr(&text), "account " ACCT " (the caller's); regions ap-east-1, ap-south-1, "
                                            "eu-west-1, us-east-1; tags from the Resource Groups Tagging API "
                                            "(tagging); functions from ListFunctions");
    il_collect_plan_release(&plan);
    il_buf_reset(&text);
    opts.role_name = "Audit";
    opts.tags_source = IL_TAGS_SOURCE_LAMBDA;
    assert_int_equal(il_collect_plan_build(&opts, f->ledger, "us-east-1", &plan, &why), IL_OK);
    assert_int_equal(il_collect_plan_describe(&plan, &opts, NULL, &text), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&text), "account " ACCT " through role Audit; "));
    assert_non_null(strstr(il_buf_cstr(&text), "tags from Lambda ListTags (lambda)"));
    il_collect_plan_release(&plan);
    il_buf_release(&text);
    il_buf_release(&why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_unrecorded_and_scopes, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_runtime_rule, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_home_region_and_describe, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
