/* Unit tests: every finding writer on fixed diagnostics sets (tests/tools/fixture_diags.h). Text and GitHub output
 * are pinned exactly; JSON and SARIF are parsed back with cJSON and checked field by field. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tools/fixture_diags.h"
#include "il/escape.h"
#include "il/findings.h"
#include "il/rules.h"

struct s_fx {
    struct il_diags *diags;
    struct il_diags *unverified;
    struct il_findings_opts opts;
    struct il_buf out;
};

static int s_setup_plain(void **state) {
    struct s_fx *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->diags = fx_plain(&fx->unverified);
    assert_non_null(fx->diags);
    fx->opts = (struct il_findings_opts){
        .command = "check", .as_of = "2026-02-01", .ledger_file = FX_LEDGER, .unverified = fx->unverified};
    il_buf_init(&fx->out, 0);
    *state = fx;
    return 0;
}

static int s_teardown(void **state) {
    struct s_fx *fx = *state;
    il_diags_free(fx->diags);
    il_diags_free(fx->unverified);
    il_buf_release(&fx->out);
    free(fx);
    return 0;
}

static const char *s_render(struct s_fx *fx, enum il_findings_format format) {
    il_buf_reset(&fx->out);
    assert_int_equal(il_findings_write(format, fx->diags, &fx->opts, &fx->out), IL_OK);
    return il_buf_cstr(&fx->out);
}

static void test_format_parse(void **state) {
    (void)state;
    enum il_findings_format f;
    assert_int_equal(il_findings_format_parse("sarif", IL_FINDINGS_FOR_ANY, &f), IL_OK);
    assert_int_equal(f, IL_FINDINGS_SARIF);
    assert_int_equal(il_findings_format_parse("markdown", IL_FINDINGS_FOR_ANY, &f), IL_OK);
    assert_int_equal(f, IL_FINDINGS_MARKDOWN);
    assert_int_equal(il_findings_format_parse("SARIF", IL_FINDINGS_FOR_ANY, &f), IL_ERR_INVALID);
    assert_int_equal(il_findings_format_parse(NULL, IL_FINDINGS_FOR_ANY, &f), IL_ERR_INVALID);
    /* a format another command writes is refused like an unknown one, and *out stays untouched */
    f = IL_FINDINGS_TEXT;
    assert_int_equal(il_findings_format_parse("junit", IL_FINDINGS_FOR_VALIDATE, &f), IL_ERR_INVALID);
    assert_int_equal(f, IL_FINDINGS_TEXT);
    assert_int_equal(il_findings_format_parse("junit", IL_FINDINGS_FOR_CHECK, &f), IL_OK);
    assert_int_equal(f, IL_FINDINGS_JUNIT);
    assert_int_equal(il_findings_format_parse("github", IL_FINDINGS_FOR_VALIDATE, &f), IL_OK);
    assert_int_equal(f, IL_FINDINGS_GITHUB);
    assert_int_equal(il_findings_format_parse("text", 0, &f), IL_ERR_INVALID);
    /* every row parses back to its own id under its name */
    assert_true(il_findings_format_count() >= 6);
    for (size_t i = 0; i < il_findings_format_count(); i++) {
        const char *name = il_findings_format_name((enum il_findings_format)i);
        assert_non_null(name);
        assert_int_equal(il_findings_format_parse(name, IL_FINDINGS_FOR_ANY, &f), IL_OK);
        assert_int_equal(f, (enum il_findings_format)i);
    }
    assert_null(il_findings_format_name((enum il_findings_format)il_findings_format_count()));
    assert_string_equal(il_findings_format_name(IL_FINDINGS_SARIF), "sarif");
    enum il_findings_fail_on level;
    assert_int_equal(il_findings_fail_on_parse("never", &level), IL_OK);
    assert_int_equal(level, IL_FINDINGS_FAIL_ON_NEVER);
    assert_int_equal(il_findings_fail_on_parse("notice", &level), IL_ERR_INVALID);
}

static const char s_text_expected[] =
    "security/inspector-exclusions.yaml:3:5: error[schema]: unknown key 'expire_at': did you mean 'expires_at'?\n"
    "\n"
    "function arn:aws:lambda:us-east-1:111122223333:function:orders-api\n"
    "security/inspector-exclusions.yaml:12:20: error[expired]: exclusion expired on 2026-01-31; remove the tag or "
    "renew the entry\n"
    "security/inspector-exclusions.yaml:13:23: warning[review-overdue]: review was due on 2026-01-15; review the "
    "exclusion and set a new next_review_at\n"
    "\n"
    "function arn:aws:lambda:eu-west-1:111122223333:function:billing\n"
    "security/inspector-exclusions.yaml: error[unrecorded-exclusion]: function carries "
    "InspectorExclusion=LambdaStandardScanning but the ledger has no entry\n"
    "\n"
    "not verified:\n"
    "111122223333/us-west-2: error[not-verified]: could not list functions in us-west-2; grant lambda:ListFunctions\n"
    "  aws: lambda ListFunctions account 111122223333 region us-west-2: HTTP 403 AccessDeniedException (request id "
    "req-0001)\n"
    "\n"
    "3 errors, 1 warning, 1 notice (not shown; -v shows them); 1 not verified\n";

/* The lists the CLI prints (usage hint, --help) come from the table: the exact sentences validate and check print. */
static void test_format_list(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_format_list(IL_FINDINGS_FOR_VALIDATE, 0, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "text, json, github or sarif");
    il_buf_reset(&out);
    assert_int_equal(il_findings_format_list(IL_FINDINGS_FOR_CHECK, 0, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "text, json, github, sarif, junit or markdown");
    il_buf_reset(&out);
    assert_int_equal(
        il_findings_format_list(IL_FINDINGS_FOR_VALIDATE, IL_FINDINGS_LIST_DEFAULT | IL_FINDINGS_LIST_NOTES, &out),
        IL_OK);
    assert_string_equal(il_buf_cstr(&out), "text (default), json, github (workflow annotations) or sarif (2.1.0)");
    il_buf_reset(&out);
    assert_int_equal(il_findings_format_list(IL_FINDINGS_FOR_CHECK, IL_FINDINGS_LIST_DEFAULT, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "text (default), json, github, sarif, junit or markdown");
    il_buf_reset(&out);
    assert_int_equal(il_findings_format_list(0, 0, &out), IL_OK);
    assert_int_equal(out.len, 0);
    /* the buffer's limit is reported, not a cut list */
    struct il_buf small;
    il_buf_init(&small, 8);
    assert_int_equal(il_findings_format_list(IL_FINDINGS_FOR_CHECK, 0, &small), IL_ERR_LIMIT);
    il_buf_release(&small);
    il_buf_release(&out);
}

static void test_text_exact(void **state) {
    struct s_fx *fx = *state;
    assert_string_equal(s_render(fx, IL_FINDINGS_TEXT), s_text_expected);
    assert_null(strchr(il_buf_cstr(&fx->out), '\x1b')); /* no colour unless asked */
}

static void test_text_verbose_and_color(void **state) {
    struct s_fx *fx = *state;
    fx->opts.verbose = 1;
    const char *out = s_render(fx, IL_FINDINGS_TEXT);
    assert_non_null(strstr(out, "function arn:aws:lambda:ap-south-1:444455556666:function:reports\n"
                                "security/inspector-exclusions.yaml:30:20: notice[not-checked]: account"));
    assert_non_null(strstr(out, "\n3 errors, 1 warning, 1 notice; 1 not verified\n"));
    fx->opts.color = 1;
    out = s_render(fx, IL_FINDINGS_TEXT);
    assert_non_null(strstr(out, "\033[1;31merror[expired]\033[0m: "));
    assert_non_null(strstr(out, "\033[1;33mwarning[review-overdue]\033[0m: "));
}

/* -v shows the source line, escaped, with the caret under the reported column even after escaping widened it. */
static void test_text_source_caret(void **state) {
    (void)state;
    static const char source[] = "version: 1\r\nexclusions:\n  - \tk\x1b[2J: caf\xc3\xa9 x\n";
    struct il_diags *d = il_diags_new();
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "schema", FX_LEDGER, 1, 10, NULL, "m1"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "schema", FX_LEDGER, 3, 18, NULL, "m2"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "schema", "other.yaml", 3, 1, NULL, "m3"), IL_OK);
    assert_int_equal(il_diags_addf(d, IL_SEV_ERROR, "schema", FX_LEDGER, 99, 1, NULL, "m4"), IL_OK);
    struct il_findings_opts opts = {
        .ledger_file = FX_LEDGER, .verbose = 1, .source = source, .source_len = sizeof(source) - 1};
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_write(IL_FINDINGS_TEXT, d, &opts, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out),
                        FX_LEDGER ":1:10: error[schema]: m1\n"
                                  "    version: 1\n"
                                  "             ^\n" FX_LEDGER ":3:18: error[schema]: m2\n"
                                  "      - \\tk\\e[2J: caf\xc3\xa9 x\n"
                                  "                       ^\n" /* under the x: \\t and \\e take two columns each */
                                  "other.yaml:3:1: error[schema]: m3\n" FX_LEDGER ":99:1: error[schema]: m4\n"
                                  "\n4 errors, 0 warnings, 0 notices\n");
    il_buf_release(&out);
    il_diags_free(d);
}

/* What could not be verified names the function when the failure was about one. */
static void test_text_unverified_function(void **state) {
    (void)state;
    struct il_diags *u = il_diags_new();
    struct il_diag failed = {.severity = IL_SEV_ERROR,
                             .rule = "not-verified",
                             .function_arn = FX_ARN_A,
                             .aws = {.service = "lambda",
                                     .operation = "ListTags",
                                     .region = "us-east-1",
                                     .account = "111122223333",
                                     .error_code = "ThrottlingException"},
                             .message = "tags of the function could not be read after 5 attempts"};
    assert_int_equal(il_diags_add(u, &failed), IL_OK);
    struct il_findings_opts opts = {.ledger_file = FX_LEDGER, .unverified = u};
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_write(IL_FINDINGS_TEXT, NULL, &opts, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out),
                        "not verified:\n"
                        "111122223333/us-east-1: error[not-verified]: tags of the function could not be read after 5 "
                        "attempts\n"
                        "  function: " FX_ARN_A "\n"
                        "  aws: lambda ListTags account 111122223333 region us-east-1: "
                        "ThrottlingException\n"
                        "\n0 errors, 0 warnings, 0 notices; 1 not verified\n");
    il_buf_release(&out);
    il_diags_free(u);
}

static void test_text_clean_run(void **state) {
    (void)state;
    struct il_diags *none = il_diags_new();
    struct il_findings_opts opts = {.command = "validate", .ledger_file = FX_LEDGER};
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_write(IL_FINDINGS_TEXT, none, &opts, &out), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "0 errors, 0 warnings, 0 notices\n");
    assert_true(il_findings_passed(none, &opts));
    /* every writer accepts a NULL collection as empty, and refuses to run without options */
    for (int f = 0; f < (int)il_findings_format_count(); f++) {
        il_buf_reset(&out);
        assert_int_equal(il_findings_write((enum il_findings_format)f, NULL, &opts, &out), IL_OK);
        assert_true(f == IL_FINDINGS_GITHUB ? out.len == 0 : out.len > 0); /* nothing to annotate */
    }
    assert_int_equal(il_findings_write(IL_FINDINGS_JSON, none, NULL, &out), IL_ERR_INVALID);
    assert_int_equal(il_findings_write((enum il_findings_format)99, none, &opts, &out), IL_ERR_INVALID);
    /* a writer reports the buffer's limit instead of truncating silently */
    struct il_buf small;
    il_buf_init(&small, 100);
    assert_int_equal(il_findings_write(IL_FINDINGS_SARIF, none, &opts, &small), IL_ERR_LIMIT);
    il_buf_release(&small);
    il_buf_release(&out);
    il_diags_free(none);
}

static const char s_github_expected[] =
    "::error file=security/inspector-exclusions.yaml,line=1,title=not-verified::could not list functions in "
    "us-west-2; grant lambda:ListFunctions%0Aaws: lambda ListFunctions account 111122223333 region us-west-2 HTTP 403 "
    "AccessDeniedException (request id req-0001)\n"
    "::error file=security/inspector-exclusions.yaml,line=3,col=5,title=schema::unknown key 'expire_at': did you "
    "mean 'expires_at'?\n"
    "::error file=security/inspector-exclusions.yaml,line=12,col=20,title=expired::exclusion expired on 2026-01-31; "
    "remove the tag or renew the entry%0Afunction: arn:aws:lambda:us-east-1:111122223333:function:orders-api\n"
    "::error file=security/inspector-exclusions.yaml,line=1,title=unrecorded-exclusion::function carries "
    "InspectorExclusion=LambdaStandardScanning but the ledger has no entry%0Afunction: "
    "arn:aws:lambda:eu-west-1:111122223333:function:billing\n"
    "::warning file=security/inspector-exclusions.yaml,line=13,col=23,title=review-overdue::review was due on "
    "2026-01-15; review the exclusion and set a new next_review_at%0Afunction: "
    "arn:aws:lambda:us-east-1:111122223333:function:orders-api\n"
    "::notice file=security/inspector-exclusions.yaml,line=30,col=20,title=not-checked::account 444455556666 is not "
    "in scope; pass --account with --role-name to check it%0Afunction: "
    "arn:aws:lambda:ap-south-1:444455556666:function:reports\n";

static void test_github_exact(void **state) {
    struct s_fx *fx = *state;
    assert_string_equal(s_render(fx, IL_FINDINGS_GITHUB), s_github_expected);
    /* a ledger given as ./path is annotated at path, which is how GitHub names the file */
    fx->opts.ledger_file = "./" FX_LEDGER;
    assert_string_equal(s_render(fx, IL_FINDINGS_GITHUB), s_github_expected);
}

/* Hostile set with many findings: every line is one of our commands, at most 10 of each kind, errors first, and one
 * overflow notice counts exactly what was left out. */
static void test_github_hostile_and_capped(void **state) {
    (void)state;
    struct il_diags *unverified = NULL;
    struct il_diags *diags = fx_hostile(40, &unverified);
    assert_non_null(diags);
    struct il_findings_opts opts = {.command = "check", .ledger_file = FX_LEDGER, .unverified = unverified};
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_write(IL_FINDINGS_GITHUB, diags, &opts, &out), IL_OK);
    size_t errors = 0, warnings = 0, notices = 0, overflow = 0, lines = 0;
    int seen_warning = 0;
    char *text = il_strdup(il_buf_cstr(&out));
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        assert_non_null(next); /* every annotation ends with a newline */
        *next++ = '\0';
        lines++;
        if (strncmp(line, "::error file=", 13) == 0) {
            assert_false(seen_warning); /* errors first */
            errors++;
        } else if (strncmp(line, "::warning file=", 15) == 0) {
            seen_warning = 1;
            warnings++;
        } else if (strncmp(line, "::notice file=", 14) == 0) {
            notices++;
            overflow += strstr(line, "title=more findings not annotated::") != NULL;
        } else {
            fail_msg("unexpected line: %s", line);
        }
        /* properties end at the first "::" after the command; nothing untrusted may contain it */
        char *props_end = strstr(line + 2, "::");
        assert_non_null(props_end);
        for (char *p = line; p < props_end; p++) {
            assert_true(*p != '\r' && *p != '\x1b');
        }
        assert_null(strchr(line, '\r'));
    }
    assert_int_equal(errors, 10);
    assert_int_equal(warnings, 10);
    assert_true(notices <= 10);
    assert_int_equal(overflow, 1);
    size_t total_errors = il_diags_count_severity(diags, IL_SEV_ERROR) + il_diags_count(unverified);
    size_t total_warnings = il_diags_count_severity(diags, IL_SEV_WARNING);
    char expect[128];
    snprintf(expect, sizeof(expect), "::%zu more errors, %zu more warnings", total_errors - 10, total_warnings - 10);
    assert_non_null(strstr(il_buf_cstr(&out), expect));
    free(text);
    il_buf_release(&out);
    il_diags_free(diags);
    il_diags_free(unverified);
}

static const cJSON *s_get(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (item == NULL) {
        fail_msg("missing key %s", key);
    }
    return item;
}

static void test_json_fields(void **state) {
    struct s_fx *fx = *state;
    cJSON *root = cJSON_Parse(s_render(fx, IL_FINDINGS_JSON));
    assert_non_null(root);
    assert_string_equal(s_get(root, "tool")->valuestring, "inspector-ledger");
    assert_string_equal(s_get(root, "version")->valuestring, IL_VERSION);
    assert_string_equal(s_get(root, "command")->valuestring, "check");
    assert_string_equal(s_get(root, "as_of")->valuestring, "2026-02-01");
    assert_string_equal(s_get(root, "ledger")->valuestring, FX_LEDGER);
    const cJSON *findings = s_get(root, "findings");
    assert_int_equal(cJSON_GetArraySize(findings), 5);
    const cJSON *f = cJSON_GetArrayItem(findings, 1);
    assert_string_equal(s_get(f, "rule")->valuestring, "expired");
    assert_string_equal(s_get(f, "severity")->valuestring, "error");
    assert_string_equal(s_get(f, "file")->valuestring, FX_LEDGER);
    assert_int_equal(s_get(f, "line")->valueint, 12);
    assert_int_equal(s_get(f, "column")->valueint, 20);
    assert_string_equal(s_get(f, "function_arn")->valuestring, FX_ARN_A);
    assert_string_equal(s_get(f, "pointer")->valuestring, "/exclusions/0/dates/expires_at");
    assert_non_null(strstr(s_get(f, "message")->valuestring, "expired on 2026-01-31"));
    const cJSON *drift = cJSON_GetArrayItem(findings, 4);
    assert_string_equal(s_get(drift, "rule")->valuestring, "unrecorded-exclusion");
    assert_true(cJSON_IsNull(s_get(drift, "file")));
    assert_true(cJSON_IsNull(s_get(drift, "line")));
    assert_string_equal(s_get(drift, "account")->valuestring, "111122223333");
    assert_string_equal(s_get(drift, "region")->valuestring, "eu-west-1");
    const cJSON *u = cJSON_GetArrayItem(s_get(root, "unverified"), 0);
    const cJSON *aws = s_get(u, "aws");
    assert_string_equal(s_get(aws, "operation")->valuestring, "ListFunctions");
    assert_int_equal(s_get(aws, "http_status")->valueint, 403);
    assert_string_equal(s_get(aws, "error_code")->valuestring, "AccessDeniedException");
    const cJSON *summary = s_get(root, "summary");
    assert_int_equal(s_get(summary, "errors")->valueint, 3);
    assert_int_equal(s_get(summary, "warnings")->valueint, 1);
    assert_int_equal(s_get(summary, "notices")->valueint, 1);
    assert_int_equal(s_get(summary, "unverified")->valueint, 1);
    assert_true(cJSON_IsFalse(s_get(summary, "passed")));
    cJSON_Delete(root);
}

/* A run passes only when nothing is at or above --fail-on and nothing is unverified. */
static void test_passed_follows_fail_on(void **state) {
    struct s_fx *fx = *state;
    fx->opts.fail_on = IL_FINDINGS_FAIL_ON_NEVER;
    assert_false(il_findings_passed(fx->diags, &fx->opts)); /* unverified still fails */
    fx->opts.unverified = NULL;
    assert_true(il_findings_passed(fx->diags, &fx->opts));
    cJSON *root = cJSON_Parse(s_render(fx, IL_FINDINGS_JSON));
    assert_non_null(root);
    assert_true(cJSON_IsTrue(s_get(s_get(root, "summary"), "passed")));
    assert_int_equal(cJSON_GetArraySize(s_get(root, "unverified")), 0);
    cJSON_Delete(root);
    fx->opts.fail_on = IL_FINDINGS_FAIL_ON_ERROR;
    assert_false(il_findings_passed(fx->diags, &fx->opts));
}

static int s_valid_utf8(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint32_t cp;
        i += il_utf8_next(p + i, len - i, &cp);
        if (cp == 0xFFFFFFFFu) {
            return 0;
        }
    }
    return 1;
}

/* Hostile strings survive a JSON round trip byte for byte when they are valid UTF-8. */
static void test_json_hostile_roundtrip(void **state) {
    (void)state;
    struct il_diags *unverified = NULL;
    struct il_diags *diags = fx_hostile(0, &unverified);
    assert_non_null(diags);
    struct il_findings_opts opts = {.command = "validate", .ledger_file = "-", .unverified = unverified};
    struct il_buf out;
    il_buf_init(&out, 0);
    assert_int_equal(il_findings_write(IL_FINDINGS_JSON, diags, &opts, &out), IL_OK);
    assert_null(strstr(il_buf_cstr(&out), "</script>")); /* embeddable in HTML */
    cJSON *root = cJSON_Parse(il_buf_cstr(&out));
    assert_non_null(root);
    const cJSON *findings = s_get(root, "findings");
    assert_int_equal((size_t)cJSON_GetArraySize(findings), il_diags_count(diags));
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        const char *got = s_get(cJSON_GetArrayItem(findings, (int)i), "message")->valuestring;
        if (s_valid_utf8(d->message)) {
            assert_string_equal(got, d->message);
        } else {
            assert_non_null(strstr(got, "\xef\xbf\xbd")); /* replaced, not passed raw */
        }
    }
    cJSON_Delete(root);
    il_buf_release(&out);
    il_diags_free(diags);
    il_diags_free(unverified);
}

static const char *s_fingerprint(const cJSON *result) {
    return s_get(s_get(result, "partialFingerprints"), "inspectorLedger/v1")->valuestring;
}

static void test_sarif_required_properties(void **state) {
    struct s_fx *fx = *state;
    cJSON *root = cJSON_Parse(s_render(fx, IL_FINDINGS_SARIF));
    assert_non_null(root);
    assert_non_null(strstr(s_get(root, "$schema")->valuestring, "sarif-schema-2.1.0.json"));
    assert_string_equal(s_get(root, "version")->valuestring, "2.1.0");
    const cJSON *run = cJSON_GetArrayItem(s_get(root, "runs"), 0);
    const cJSON *driver = s_get(s_get(run, "tool"), "driver");
    assert_string_equal(s_get(driver, "name")->valuestring, "inspector-ledger");
    assert_string_equal(s_get(driver, "version")->valuestring, IL_VERSION);
    assert_true(cJSON_IsString(s_get(driver, "informationUri")));
    size_t nrules = 0;
    const struct il_rule_info *catalogue = il_rules_all(&nrules);
    const cJSON *rules = s_get(driver, "rules");
    assert_int_equal((size_t)cJSON_GetArraySize(rules), nrules);
    for (size_t i = 0; i < nrules; i++) {
        const cJSON *r = cJSON_GetArrayItem(rules, (int)i);
        assert_string_equal(s_get(r, "id")->valuestring, catalogue[i].id);
        assert_true(cJSON_IsString(s_get(r, "name")));
        assert_string_equal(s_get(s_get(r, "shortDescription"), "text")->valuestring, catalogue[i].short_desc);
        assert_string_equal(s_get(s_get(r, "fullDescription"), "text")->valuestring, catalogue[i].full_desc);
        assert_string_equal(s_get(s_get(r, "help"), "text")->valuestring, catalogue[i].help);
        assert_true(cJSON_IsString(s_get(s_get(r, "help"), "markdown")));
        assert_true(cJSON_IsString(s_get(s_get(r, "defaultConfiguration"), "level")));
        assert_true(cJSON_IsArray(s_get(s_get(r, "properties"), "tags")));
    }
    const cJSON *results = s_get(run, "results");
    assert_int_equal((size_t)cJSON_GetArraySize(results), il_diags_count(fx->diags));
    const cJSON *res;
    cJSON_ArrayForEach(res, results) {
        const char *id = s_get(res, "ruleId")->valuestring;
        int index = s_get(res, "ruleIndex")->valueint;
        assert_string_equal(catalogue[index].id, id);
        assert_true(cJSON_IsString(s_get(res, "level")));
        assert_true(cJSON_IsString(s_get(s_get(res, "message"), "text")));
        const cJSON *loc = s_get(cJSON_GetArrayItem(s_get(res, "locations"), 0), "physicalLocation");
        const cJSON *artifact = s_get(loc, "artifactLocation");
        assert_string_equal(s_get(artifact, "uri")->valuestring, FX_LEDGER);
        assert_string_equal(s_get(artifact, "uriBaseId")->valuestring, "%SRCROOT%");
        assert_true(s_get(s_get(loc, "region"), "startLine")->valueint >= 1);
        assert_int_equal(strlen(s_fingerprint(res)), 64);
    }
    /* the unverified call is a tool execution notification and makes the run unsuccessful */
    const cJSON *inv = cJSON_GetArrayItem(s_get(run, "invocations"), 0);
    assert_true(cJSON_IsFalse(s_get(inv, "executionSuccessful")));
    assert_int_equal(cJSON_GetArraySize(s_get(inv, "toolExecutionNotifications")), 1);
    cJSON_Delete(root);
}

/* Moving a finding to another line keeps its fingerprint; another rule or function changes it. */
static void test_sarif_fingerprints_stable(void **state) {
    (void)state;
    struct il_findings_opts opts = {.command = "validate", .ledger_file = FX_LEDGER};
    char *prints[4];
    struct {
        const char *rule;
        const char *arn;
        unsigned line;
        const char *pointer;
    } cases[4] = {
        {"expired", FX_ARN_A, 12, "/exclusions/0/dates/expires_at"},
        {"expired", FX_ARN_A, 97, "/exclusions/7/dates/expires_at"}, /* entry moved down the file */
        {"review-overdue", FX_ARN_A, 12, "/exclusions/0/dates/expires_at"},
        {"expired", FX_ARN_B, 12, "/exclusions/0/dates/expires_at"},
    };
    for (size_t i = 0; i < 4; i++) {
        struct il_diags *d = il_diags_new();
        struct il_diag one = {.severity = IL_SEV_ERROR,
                              .rule = cases[i].rule,
                              .file = FX_LEDGER,
                              .line = cases[i].line,
                              .column = 3,
                              .function_arn = cases[i].arn,
                              .pointer = cases[i].pointer,
                              .message = "m"};
        assert_int_equal(il_diags_add(d, &one), IL_OK);
        struct il_buf out;
        il_buf_init(&out, 0);
        assert_int_equal(il_findings_write(IL_FINDINGS_SARIF, d, &opts, &out), IL_OK);
        cJSON *root = cJSON_Parse(il_buf_cstr(&out));
        assert_non_null(root);
        const cJSON *run = cJSON_GetArrayItem(s_get(root, "runs"), 0);
        prints[i] = il_strdup(s_fingerprint(cJSON_GetArrayItem(s_get(run, "results"), 0)));
        cJSON_Delete(root);
        il_buf_release(&out);
        il_diags_free(d);
    }
    assert_string_equal(prints[0], prints[1]);
    assert_string_not_equal(prints[0], prints[2]);
    assert_string_not_equal(prints[0], prints[3]);
    for (size_t i = 0; i < 4; i++) {
        free(prints[i]);
    }
}

static size_t s_count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_junit_fail_levels(void **state) {
    struct s_fx *fx = *state;
    const char *xml = s_render(fx, IL_FINDINGS_JUNIT);
    assert_int_equal(s_count(xml, "<testcase "), 6);
    assert_int_equal(s_count(xml, "<failure "), 3); /* the three errors */
    assert_int_equal(s_count(xml, "<error "), 1);   /* the unverified call */
    assert_non_null(strstr(xml, "<testsuites name=\"inspector-ledger check\" tests=\"6\" failures=\"3\" errors=\"1\""));
    fx->opts.fail_on = IL_FINDINGS_FAIL_ON_WARNING;
    assert_int_equal(s_count(s_render(fx, IL_FINDINGS_JUNIT), "<failure "), 4);
    fx->opts.fail_on = IL_FINDINGS_FAIL_ON_NEVER;
    xml = s_render(fx, IL_FINDINGS_JUNIT);
    assert_int_equal(s_count(xml, "<failure "), 0);
    assert_int_equal(s_count(xml, "<error "), 1); /* not verified fails whatever --fail-on says */
}

static void test_markdown_table(void **state) {
    struct s_fx *fx = *state;
    const char *md = s_render(fx, IL_FINDINGS_MARKDOWN);
    assert_non_null(strstr(md, "### inspector-ledger check: not verified\n"));
    assert_non_null(strstr(md, "| error | expired | security/inspector-exclusions.yaml:12:20 | "));
    assert_int_equal(s_count(md, "\n| "), 2 + 1 + 2 + 5); /* two headers, one unverified row, five findings */
}

static void test_step_summary_capped(void **state) {
    struct s_fx *fx = *state;
    char path[] = "/tmp/il-step-summary-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* an earlier write in the same step leaves less than the summary needs */
    size_t prefill = IL_FINDINGS_STEP_SUMMARY_LIMIT - 700;
    char *filler = malloc(prefill);
    assert_non_null(filler);
    memset(filler, 'x', prefill);
    filler[prefill - 1] = '\n';
    assert_int_equal(write(fd, filler, prefill), (ssize_t)prefill);
    close(fd);
    free(filler);
    assert_int_equal(il_findings_write_step_summary(fx->diags, &fx->opts, path), IL_OK);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(il_read_file(path, 0, &data, &len), IL_OK);
    assert_true(len <= IL_FINDINGS_STEP_SUMMARY_LIMIT);
    assert_true(len > prefill);
    assert_non_null(strstr(data + prefill, "### inspector-ledger check"));
    assert_non_null(strstr(data + prefill, "**Truncated:**"));
    assert_int_equal(data[len - 1], '\n');
    free(data);
    /* a file already at the cap gets nothing, and the caller is told */
    assert_int_equal(il_findings_write_step_summary(fx->diags, &fx->opts, path), IL_ERR_LIMIT);
    unlink(path);
    /* with room, the summary is appended whole */
    assert_int_equal(il_findings_write_step_summary(fx->diags, &fx->opts, path), IL_OK);
    assert_int_equal(il_read_file(path, 0, &data, &len), IL_OK);
    assert_null(strstr(data, "Truncated"));
    assert_non_null(strstr(data, "| notice | not-checked |"));
    free(data);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_format_list),
        cmocka_unit_test_setup_teardown(test_text_exact, s_setup_plain, s_teardown),
        cmocka_unit_test_setup_teardown(test_text_verbose_and_color, s_setup_plain, s_teardown),
        cmocka_unit_test(test_text_source_caret),
        cmocka_unit_test(test_text_unverified_function),
        cmocka_unit_test(test_text_clean_run),
        cmocka_unit_test_setup_teardown(test_github_exact, s_setup_plain, s_teardown),
        cmocka_unit_test(test_github_hostile_and_capped),
        cmocka_unit_test_setup_teardown(test_json_fields, s_setup_plain, s_teardown),
        cmocka_unit_test_setup_teardown(test_passed_follows_fail_on, s_setup_plain, s_teardown),
        cmocka_unit_test(test_json_hostile_roundtrip),
        cmocka_unit_test_setup_teardown(test_sarif_required_properties, s_setup_plain, s_teardown),
        cmocka_unit_test(test_sarif_fingerprints_stable),
        cmocka_unit_test_setup_teardown(test_junit_fail_levels, s_setup_plain, s_teardown),
        cmocka_unit_test_setup_teardown(test_markdown_table, s_setup_plain, s_teardown),
        cmocka_unit_test_setup_teardown(test_step_summary_capped, s_setup_plain, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
