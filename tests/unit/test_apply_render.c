/* Unit tests: rendering an apply plan (text, json, markdown) and the change log line escape untrusted text for each
 * medium and stay well-formed; the log file is appended to, never truncated, and a bad path says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "il/drift/apply.h"

#define S_HOSTILE "arn:aws:lambda:us-east-1:111111111111:function:x\x1b[2J|`*<b>\"\n"

static struct il_apply_action s_actions[2];
static struct il_apply_result s_results[2];
static char s_code[] = "AccessDeniedException";
static char s_error[] = "denied\n\x1b[31m<script>";

static void s_setup_actions(void) {
    memset(s_actions, 0, sizeof(s_actions));
    memset(s_results, 0, sizeof(s_results));
    s_actions[0] = (struct il_apply_action){.kind = IL_APPLY_TAG,
                                            .arn = S_HOSTILE,
                                            .account = "111111111111",
                                            .region = "us-east-1",
                                            .key = "InspectorExclusion",
                                            .value = "LambdaStandardScanning",
                                            .why = "entry active, tag missing"};
    s_actions[1] = s_actions[0];
    s_actions[1].kind = IL_APPLY_UNTAG;
    s_actions[1].why = "no ledger entry";
    s_results[0].state = IL_APPLY_DONE;
    s_results[1].state = IL_APPLY_FAILED;
    s_results[1].error_code = s_code;
    s_results[1].error = s_error;
    memcpy(s_results[0].time, "2026-12-04T03:40:01.123Z", 25);
}

static struct il_apply_view s_view(const char *mode) {
    static const char *const unverified[] = {"account 2\x1b]0;x\x07 not verified"};
    return (struct il_apply_view){.actions = s_actions,
                                  .count = 2,
                                  .results = strcmp(mode, "apply") == 0 ? s_results : NULL,
                                  .mode = mode,
                                  .ledger_file = "l|e`dger.yaml",
                                  .as_of = "2026-11-22",
                                  .unverified = unverified,
                                  .unverified_count = 1};
}

static void test_text(void **state) {
    (void)state;
    s_setup_actions();
    struct il_apply_view v = s_view("apply");
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_apply_render(IL_APPLY_FORMAT_TEXT, &v, &out), IL_OK);
    const char *t = il_buf_cstr(&out);
    assert_null(strchr(t, '\x1b'));
    assert_null(strchr(t, '\x07'));
    assert_non_null(strstr(t, ": done\n"));
    assert_non_null(strstr(t, ": FAILED\n"));
    assert_non_null(strstr(t, "1 change applied, 1 FAILED\n"));
    assert_non_null(strstr(t, "not verified: 1 item (named on standard error)"));
    il_buf_reset(&out);
    v = s_view("plan");
    assert_int_equal(il_apply_render(IL_APPLY_FORMAT_TEXT, &v, &out), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&out), "2 changes planned (dry run: add --yes to apply)\n"));
    il_buf_reset(&out);
    v = s_view("declined");
    assert_int_equal(il_apply_render_summary(&v, &out), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&out), "2 changes planned (declined: nothing applied)\n"));
    il_buf_release(&out);
}

static void test_json(void **state) {
    (void)state;
    s_setup_actions();
    struct il_apply_view v = s_view("apply");
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_apply_render(IL_APPLY_FORMAT_JSON, &v, &out), IL_OK);
    cJSON *doc = cJSON_Parse(il_buf_cstr(&out));
    assert_non_null(doc);
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(doc, "changes");
    assert_int_equal(cJSON_GetArraySize(changes), 2);
    const cJSON *first = cJSON_GetArrayItem(changes, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "function_arn")->valuestring, S_HOSTILE);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "result")->valuestring, "done");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(first, "entry")));
    const cJSON *second = cJSON_GetArrayItem(changes, 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(second, "error_code")->valuestring, "AccessDeniedException");
    const cJSON *summary = cJSON_GetObjectItemCaseSensitive(doc, "summary");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(summary, "failed")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(summary, "done")->valueint, 1);
    assert_null(strchr(il_buf_cstr(&out), '\x1b')); /* raw controls never reach the file */
    cJSON_Delete(doc);
    il_buf_release(&out);
}

static void test_markdown(void **state) {
    (void)state;
    s_setup_actions();
    struct il_apply_view v = s_view("plan");
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_apply_render(IL_APPLY_FORMAT_MARKDOWN, &v, &out), IL_OK);
    const char *t = il_buf_cstr(&out);
    assert_non_null(strstr(t, "### inspector-ledger apply: 2 changes planned\n"));
    assert_null(strstr(t, "<b>"));
    assert_null(strchr(t, '\x1b'));
    /* each table row keeps its 10 cell separators: the ARN's '|' is escaped */
    const char *row = strstr(t, "\n| add |");
    assert_non_null(row);
    size_t bars = 0;
    for (const char *p = row + 1; *p && *p != '\n'; p++) {
        bars += *p == '|' && p[-1] != '\\';
    }
    assert_int_equal(bars, 10);
    il_buf_release(&out);
}

static void test_log(void **state) {
    (void)state;
    s_setup_actions();
    struct il_apply_log_info info = {.run_id = "r1",
                                     .tool_version = "0",
                                     .caller_arn = "arn:aws:iam::1:user/ci",
                                     .caller_account = "111111111111",
                                     .ledger_file = "x.yaml",
                                     .git_dirty = -1};
    struct il_buf line, why;
    il_buf_init(&line, 0);
    il_buf_init(&why, 0);
    assert_int_equal(il_apply_log_line(&info, &s_actions[1], &s_results[1], &line), IL_OK);
    const char *t = il_buf_cstr(&line);
    assert_ptr_equal(strchr(t, '\n'), t + line.len - 1); /* one line: the message's newline is escaped */
    cJSON *doc = cJSON_Parse(t);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "result")->valuestring, "failed");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "error")->valuestring, "denied\n\x1b[31m<script>");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(doc, "time")));
    assert_true(
        cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "ledger"), "git_dirty")));
    cJSON_Delete(doc);

    char path[] = "/tmp/il-apply-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "old\n", 4), 4);
    close(fd);
    struct il_apply_log *log = NULL;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(il_apply_log_open(path, &log, &why), IL_OK);
        assert_int_equal(il_apply_log_append(log, &line, &why), IL_OK);
        assert_int_equal(il_apply_log_close(log, &why), IL_OK);
    }
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    assert_int_equal(n, 4 + 2 * line.len); /* appended, never truncated */
    assert_memory_equal(buf, "old\n", 4);
    unlink(path);
    assert_int_equal(il_apply_log_open("/nonexistent-dir/x/changes.jsonl", &log, &why), IL_ERR_IO);
    assert_null(log);
    assert_non_null(strstr(il_buf_cstr(&why), "cannot open the change log"));
    assert_int_equal(il_apply_log_close(NULL, &why), IL_OK);
    il_buf_release(&line);
    il_buf_release(&why);
}

static void test_formats(void **state) {
    (void)state;
    enum il_apply_format f;
    assert_int_equal(il_apply_format_parse("markdown", &f), IL_OK);
    assert_int_equal(f, IL_APPLY_FORMAT_MARKDOWN);
    assert_int_equal(il_apply_format_parse("sarif", &f), IL_ERR_INVALID);
    assert_int_equal(il_apply_format_parse(NULL, &f), IL_ERR_INVALID);
    assert_string_equal(il_apply_state_str(IL_APPLY_NOT_ATTEMPTED), "not-attempted");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text), cmocka_unit_test(test_json),    cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_log),  cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
