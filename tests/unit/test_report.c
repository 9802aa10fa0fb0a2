/* Unit tests: report model (statuses, summary, ARN split), renderers' escaping, the live and history hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/doc/yaml.h"
#include "il/ledger.h"
#include "il/report/report.h"

static const char *const s_controls[] = {"control one", "control two"};

static struct il_report_entry s_entry(const char *name, const char *team, const char *scan, const char *applied,
                                      const char *review, const char *expires) {
    struct il_report_entry e = {
        .function_name = name,
        .function_arn = "arn:aws:lambda:eu-west-1:111122223333:function:x",
        .scan_type = scan,
        .tag_key = "InspectorExclusion",
        .tag_value = "LambdaStandardScanning",
        .reason_summary = "why",
        .ticket = "SEC-1",
        .compensating_controls = s_controls,
        .n_compensating_controls = 2,
        .team = team,
        .approved_by = "a@example.com",
        .applied_by = "b@example.com",
        .applied_at = applied,
        .expires_at = expires,
        .next_review_at = review,
    };
    return e;
}

static struct il_report *s_new(const char *as_of, int warn_days) {
    struct il_report_opts opts = {.as_of = as_of, .warn_days = warn_days};
    struct il_report *r = NULL;
    assert_int_equal(il_report_new(&opts, &r), IL_OK);
    return r;
}

static void s_add(struct il_report *r, const char *review, const char *expires) {
    struct il_report_entry e = s_entry("f", "t", "standard", "2026-01-01", review, expires);
    assert_int_equal(il_report_add_entry(r, &e), IL_OK);
}

static void test_statuses(void **state) {
    (void)state;
    struct il_report *r = s_new("2026-06-01", 14);
    s_add(r, "2026-05-01", "2026-05-31"); /* 0: expired yesterday */
    s_add(r, "2026-06-01", "2026-06-01"); /* 1: last day: expiring soon, 0 left; review due today is not overdue */
    s_add(r, "2026-06-10", "2026-06-15"); /* 2: 14 left: expiring soon */
    s_add(r, "2026-06-10", "2026-06-16"); /* 3: 15 left: active */
    s_add(r, "2026-05-31", "2026-12-31"); /* 4: review overdue */
    s_add(r, "2026-05-31", "2026-06-05"); /* 5: review overdue beats expiring soon */
    s_add(r, "2026-05-31", "2026-05-01"); /* 6: expired beats review overdue */
    assert_int_equal(il_report_finish(r), IL_OK);
    const enum il_report_status want[] = {IL_REPORT_EXPIRED, IL_REPORT_EXPIRING_SOON,  IL_REPORT_EXPIRING_SOON,
                                          IL_REPORT_ACTIVE,  IL_REPORT_REVIEW_OVERDUE, IL_REPORT_REVIEW_OVERDUE,
                                          IL_REPORT_EXPIRED};
    const long left[] = {-1, 0, 14, 15, 213, 4, -31};
    assert_int_equal(il_report_row_count(r), 7);
    for (size_t i = 0; i < 7; i++) {
        const struct il_report_row *row = il_report_row_at(r, i);
        assert_int_equal(row->status, want[i]);
        assert_int_equal(row->days_left, left[i]);
        assert_int_equal(row->index, i + 1);
    }
    assert_int_equal(il_report_row_at(r, 4)->days_to_review, -1);
    const struct il_report_summary *s = il_report_summary(r);
    assert_int_equal(s->by_status[IL_REPORT_EXPIRED], 2);
    assert_int_equal(s->by_status[IL_REPORT_EXPIRING_SOON], 2);
    assert_int_equal(s->by_status[IL_REPORT_ACTIVE], 1);
    assert_int_equal(s->by_status[IL_REPORT_REVIEW_OVERDUE], 2);
    il_report_free(r);

    /* warn_days 0: only the last day is "expiring soon" */
    r = s_new("2026-06-01", 0);
    s_add(r, "2026-06-01", "2026-06-01");
    s_add(r, "2026-06-01", "2026-06-02");
    assert_int_equal(il_report_row_at(r, 0)->status, IL_REPORT_EXPIRING_SOON);
    assert_int_equal(il_report_row_at(r, 1)->status, IL_REPORT_ACTIVE);
    il_report_free(r);
}

static void test_invalid_input(void **state) {
    (void)state;
    struct il_report *r = NULL;
    struct il_report_opts bad_date = {.as_of = "2026-02-29", .warn_days = 14};
    assert_int_equal(il_report_new(&bad_date, &r), IL_ERR_INVALID);
    assert_null(r);
    struct il_report_opts bad_warn = {.as_of = "2026-02-28", .warn_days = -1};
    assert_int_equal(il_report_new(&bad_warn, &r), IL_ERR_INVALID);
    r = s_new("2028-02-29", 14); /* leap day exists in 2028 */
    struct il_report_entry e = s_entry("f", "t", "code", "2026-01-01", "2026-13-01", "2026-12-01");
    assert_int_equal(il_report_add_entry(r, &e), IL_ERR_INVALID);
    e.next_review_at = NULL;
    assert_int_equal(il_report_add_entry(r, &e), IL_ERR_INVALID);
    assert_int_equal(il_report_row_count(r), 0);
    struct il_report_live_row live = {0};
    assert_int_equal(il_report_live_set_row(r, 0, &live), IL_ERR_INVALID); /* live not enabled */
    il_report_free(r);
    il_report_free(NULL);
}

static void test_summary_and_arn(void **state) {
    (void)state;
    struct il_report *r = s_new("2026-01-01", 14);
    const char *expires[] = {"2026-01-01", "2026-01-31", "2026-02-01", "2026-03-02",
                             "2026-04-01", "2026-04-02", "2025-12-31"};
    const char *teams[] = {"zeta", "alpha", "zeta", "mid", "alpha", "zeta", "alpha"};
    for (size_t i = 0; i < 7; i++) {
        struct il_report_entry e =
            s_entry("f", teams[i], i % 2 ? "code" : "standard", "2025-01-01", "2025-12-31", expires[i]);
        e.function_arn = i == 6 ? "not-an-arn" : "arn:aws-us-gov:lambda:us-gov-west-1:777788889999:function:f";
        assert_int_equal(il_report_add_entry(r, &e), IL_OK);
    }
    assert_int_equal(il_report_finish(r), IL_OK);
    const struct il_report_summary *s = il_report_summary(r);
    assert_int_equal(s->total, 7);
    /* days left: 0, 30, 31, 60, 90, 91, -1 */
    assert_int_equal(s->expiring_within[0], 2);
    assert_int_equal(s->expiring_within[1], 4);
    assert_int_equal(s->expiring_within[2], 5);
    assert_int_equal(s->n_teams, 3);
    assert_string_equal(s->by_team[0].name, "alpha");
    assert_int_equal(s->by_team[0].count, 3);
    assert_string_equal(s->by_team[1].name, "mid");
    assert_string_equal(s->by_team[2].name, "zeta");
    assert_int_equal(s->by_team[2].count, 3);
    assert_int_equal(s->n_scan_types, 2);
    assert_string_equal(s->by_scan_type[0].name, "code");
    assert_int_equal(s->by_scan_type[0].count, 3);
    const struct il_report_row *row = il_report_row_at(r, 0);
    assert_string_equal(row->partition, "aws-us-gov");
    assert_string_equal(row->region, "us-gov-west-1");
    assert_string_equal(row->account, "777788889999");
    assert_string_equal(il_report_row_at(r, 6)->account, "");
    il_report_free(r);
}

static const char s_evil[] = "<script>alert(1)</script> | =cmd|' /C calc'!A0\r\nnext\x1b[31m \"q\" & 'a'";

static struct il_report *s_hostile_report(void) {
    struct il_report *r = s_new("2026-06-01", 14);
    const char *controls[] = {s_evil, "=1+1"};
    struct il_report_entry e = s_entry("fn", s_evil, "standard", "2026-01-01", "2026-06-20", "2026-12-01");
    e.reason_summary = s_evil;
    e.ticket = "=HYPERLINK(\"http://x\")";
    e.compensating_controls = controls;
    assert_int_equal(il_report_add_entry(r, &e), IL_OK);
    assert_int_equal(il_report_set_ledger(r, "led<ger>.yaml", "ab"), IL_OK);
    assert_int_equal(il_report_add_notice(r, "notice <b>x</b>"), IL_OK);
    return r;
}

static char *s_render(const struct il_report *r, enum il_report_format f) {
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_report_render(f, r, &out), IL_OK);
    return il_buf_take(&out);
}

static void test_escaping(void **state) {
    (void)state;
    struct il_report *r = s_hostile_report();
    assert_int_equal(il_report_finish(r), IL_OK);

    char *html = s_render(r, IL_REPORT_FMT_HTML);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<b>x"));
    assert_null(strstr(html, "\x1b"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "led&lt;ger&gt;.yaml"));
    assert_non_null(strstr(html, "Content-Security-Policy"));
    free(html);

    char *md = s_render(r, IL_REPORT_FMT_MARKDOWN);
    assert_null(strstr(md, "<script"));
    assert_null(strstr(md, "\x1b"));
    assert_non_null(strstr(md, "&lt;script&gt;"));
    assert_non_null(strstr(md, "\\| =cmd\\|' /C calc'\\!A0"));
    /* no line of the table may be split by the CR/LF in the value: each row line starts with "| 1 |" */
    assert_null(strstr(md, "\nnext"));
    free(md);

    char *csv = s_render(r, IL_REPORT_FMT_CSV);
    assert_non_null(strstr(csv, "\"'=HYPERLINK(\"\"http://x\"\")\""));
    assert_non_null(strstr(csv, "\"<script>alert(1)</script> | =cmd|' /C calc'!A0\r\nnext"));
    assert_null(strstr(csv, "\x1b"));
    free(csv);

    char *json = s_render(r, IL_REPORT_FMT_JSON);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "exclusions"), 0);
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(row, "reason");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(reason, "summary")->valuestring, s_evil);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(row, "status")->valuestring, "active");
    assert_null(strstr(json, "<script")); /* < is written as \u003c, so the JSON is safe inside HTML too */
    cJSON_Delete(doc);
    free(json);
    il_report_free(r);
}

static void test_live_and_history_hooks(void **state) {
    (void)state;
    struct il_report *r = s_hostile_report();
    assert_int_equal(il_report_live_enable(r, "accounts 111122223333; regions eu-west-1"), IL_OK);
    struct il_report_live_row live = {.function_exists = IL_REPORT_YES,
                                      .tag_present = IL_REPORT_NO,
                                      .scan_blind = IL_REPORT_UNKNOWN,
                                      .runtime_deprecated = IL_REPORT_YES,
                                      .runtime = "python3.8",
                                      .note = "<i>kms</i>"};
    assert_int_equal(il_report_live_set_row(r, 0, &live), IL_OK);
    assert_int_equal(il_report_live_set_row(r, 1, &live), IL_ERR_INVALID);
    struct il_report_unrecorded u = {"arn:aws:lambda:eu-west-1:111122223333:function:ghost<x>",
                                     "111122223333",
                                     "eu-west-1",
                                     "code",
                                     "InspectorCodeExclusion",
                                     "LambdaCodeScanning",
                                     NULL,
                                     1};
    assert_int_equal(il_report_live_add_unrecorded(r, &u), IL_OK);
    struct il_report_history h = {.commit = "0123456789abcdef0123456789abcdef01234567",
                                  .author = "Ann <x>",
                                  .author_mail = "ann@example.com",
                                  .date = "2026-01-02T03:04:05Z",
                                  .summary = "add entry",
                                  .uncommitted = 1};
    assert_int_equal(il_report_set_history(r, 0, &h), IL_OK);
    il_report_request_history(r);
    assert_int_equal(il_report_finish(r), IL_OK);

    char *json = s_render(r, IL_REPORT_FMT_JSON);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "exclusions"), 0);
    const cJSON *jl = cJSON_GetObjectItemCaseSensitive(row, "live");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(jl, "tag_present")->valuestring, "no");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(jl, "scan_blind")->valuestring, "unknown");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(jl, "runtime")->valuestring, "python3.8");
    const cJSON *jh = cJSON_GetObjectItemCaseSensitive(row, "history");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(jh, "author")->valuestring, "Ann <x>");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(jh, "uncommitted")));
    const cJSON *top = cJSON_GetObjectItemCaseSensitive(doc, "live");
    const cJSON *un = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(top, "unrecorded"), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(un, "function_arn")->valuestring, u.function_arn);
    cJSON_Delete(doc);
    free(json);

    char *html = s_render(r, IL_REPORT_FMT_HTML);
    assert_non_null(strstr(html, "Unrecorded exclusions found in AWS (1)"));
    assert_non_null(strstr(html, "ghost&lt;x&gt;"));
    assert_non_null(strstr(html, "&lt;i&gt;kms&lt;/i&gt;"));
    assert_non_null(strstr(html, "Ann &lt;x&gt;"));
    assert_non_null(strstr(html, "Live state"));
    free(html);

    char *md = s_render(r, IL_REPORT_FMT_MARKDOWN);
    assert_non_null(strstr(md, "Unrecorded exclusions found in AWS (1)"));
    assert_non_null(strstr(md, "| yes | no | unknown | yes (python3.8)"));
    assert_non_null(strstr(md, "0123456789ab Ann &lt;x&gt;"));
    free(md);

    char *csv = s_render(r, IL_REPORT_FMT_CSV);
    assert_non_null(strstr(csv, "\"history_commit\""));
    assert_non_null(strstr(csv, "\"live_tag_present\""));
    assert_non_null(strstr(csv, "\"yes\",\"no\",\"unknown\",\"yes\",\"python3.8\""));
    free(csv);
    il_report_free(r);
}

/* The report's status rule is the one validate uses: compare with il_ledger_entry_status() on the example. */
static void test_same_rule_as_validate(void **state) {
    (void)state;
    struct il_diags *diags = il_diags_new();
    struct il_doc *doc = NULL;
    assert_int_equal(il_yaml_load_file("ledger-example/security/inspector-exclusions.yaml", NULL, &doc, diags), IL_OK);
    struct il_ledger *ledger = NULL;
    assert_int_equal(il_ledger_from_doc(doc, NULL, 0, &ledger), IL_OK);
    const char *dates[] = {"2026-11-22", "2027-02-25", "2027-03-20", "2027-06-20",
                           "2027-06-30", "2027-07-01", "2027-09-01", "2028-01-01"};
    for (size_t d = 0; d < sizeof(dates) / sizeof(dates[0]); d++) {
        struct il_report *r = s_new(dates[d], 14);
        assert_int_equal(il_report_add_ledger(r, ledger), IL_OK);
        struct il_ledger_rule_opts opts = {.warn_days = 14};
        assert_int_equal(il_date_parse_str(dates[d], &opts.as_of), IL_OK);
        assert_true(il_report_row_count(r) > 0);
        assert_int_equal(il_report_row_count(r), il_ledger_entry_count(ledger));
        for (size_t i = 0; i < il_report_row_count(r); i++) {
            int64_t left = 0;
            enum il_entry_status st = il_ledger_entry_status(il_ledger_entry(ledger, i), &opts, &left);
            const struct il_report_row *row = il_report_row_at(r, i);
            assert_string_equal(il_report_status_id(row->status), il_entry_status_str(st));
            assert_int_equal(row->days_left, left);
            assert_true(row->entry.line_start > 0 && row->entry.line_end >= row->entry.line_start);
        }
        il_report_free(r);
    }
    il_ledger_free(ledger);
    il_diags_free(diags);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_summary_and_arn),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_live_and_history_hooks),
        cmocka_unit_test(test_same_rule_as_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
