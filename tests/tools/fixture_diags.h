/* Fixed diagnostics sets shared by tests/unit/test_output.c and tests/tools/il_render.c: a plain set whose rendering
 * the unit test pins exactly, and a hostile set whose every string tries to break out of its output medium. */
#ifndef IL_TEST_FIXTURE_DIAGS_H
#define IL_TEST_FIXTURE_DIAGS_H

#include <stdlib.h>

#include "il/diag.h"

#define FX_LEDGER "security/inspector-exclusions.yaml"
#define FX_ARN_A "arn:aws:lambda:us-east-1:111122223333:function:orders-api"
#define FX_ARN_B "arn:aws:lambda:eu-west-1:111122223333:function:billing"
#define FX_ARN_C "arn:aws:lambda:ap-south-1:444455556666:function:reports"

/* The plain set, sorted. *unverified gets one failed AWS call. NULL on failure. */
static inline struct il_diags *fx_plain(struct il_diags **unverified) {
    struct il_diags *d = il_diags_new();
    struct il_diags *u = il_diags_new();
    int ok = d != NULL && u != NULL;
    struct il_diag items[] = {
        {.severity = IL_SEV_ERROR,
         .rule = "expired",
         .file = FX_LEDGER,
         .line = 12,
         .column = 20,
         .pointer = "/exclusions/0/dates/expires_at",
         .function_arn = FX_ARN_A,
         .message = "exclusion expired on 2026-01-31; remove the tag or renew the entry"},
        {.severity = IL_SEV_WARNING,
         .rule = "review-overdue",
         .file = FX_LEDGER,
         .line = 13,
         .column = 23,
         .pointer = "/exclusions/0/dates/next_review_at",
         .function_arn = FX_ARN_A,
         .message = "review was due on 2026-01-15; review the exclusion and set a new next_review_at"},
        {.severity = IL_SEV_ERROR,
         .rule = "schema",
         .file = FX_LEDGER,
         .line = 3,
         .column = 5,
         .pointer = "/exclusions/0",
         .message = "unknown key 'expire_at': did you mean 'expires_at'?"},
        {.severity = IL_SEV_ERROR,
         .rule = "unrecorded-exclusion",
         .function_arn = FX_ARN_B,
         .account = "111122223333",
         .region = "eu-west-1",
         .message = "function carries InspectorExclusion=LambdaStandardScanning but the ledger has no entry"},
        {.severity = IL_SEV_NOTICE,
         .rule = "not-checked",
         .file = FX_LEDGER,
         .line = 30,
         .column = 20,
         .function_arn = FX_ARN_C,
         .account = "444455556666",
         .region = "ap-south-1",
         .message = "account 444455556666 is not in scope; pass --account with --role-name to check it"},
    };
    for (size_t i = 0; ok && i < sizeof(items) / sizeof(items[0]); i++) {
        ok = il_diags_add(d, &items[i]) == IL_OK;
    }
    struct il_diag failed = {.severity = IL_SEV_ERROR,
                             .rule = "not-verified",
                             .account = "111122223333",
                             .region = "us-west-2",
                             .aws = {.service = "lambda",
                                     .operation = "ListFunctions",
                                     .region = "us-west-2",
                                     .account = "111122223333",
                                     .http_status = 403,
                                     .error_code = "AccessDeniedException",
                                     .request_id = "req-0001"},
                             .message = "could not list functions in us-west-2; grant lambda:ListFunctions"};
    ok = ok && il_diags_add(u, &failed) == IL_OK;
    if (!ok) {
        il_diags_free(d);
        il_diags_free(u);
        return NULL;
    }
    il_diags_sort(d);
    *unverified = u;
    return d;
}

/* Hostile strings: workflow-command injection, ANSI/OSC escapes, HTML/script, spreadsheet formulas, Markdown table
 * breakers, invalid UTF-8, bidi overrides and control characters. */
static const char *const fx_hostile_strings[] = {
    "x%0A::error::injected\n::warning file=evil.yaml,line=1::second line\r\n::set-output name=a::b",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x07link\x1b]8;;\x07 \x1b]0;title\x07 \x9b"
    "2J",
    "</script><script>alert(1)</script><img src=x onerror=alert(2)> & \"quoted\" 'single' ]]> <!-- -->",
    "=HYPERLINK(\"https://evil.example\",\"click\")",
    "cell | with | pipes\nand newline `code` *bold* _it_ [link](javascript:alert(1)) ![i](x) # h <b>b</b> @team $x$",
    "bad utf8: \xff\xfe \xc0\xaf \xed\xa0\x80 \xe2\x82 \xf4\x90\x80\x80 end",
    "bidi \xe2\x80\xae"
    "evil\xe2\x80\xac ctl:\x01\x02\x08\x0b\x0c\x7f\xc2\x85 tab\there, comma, colon: done",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\tleading tab",
    "%25 already-escaped %0D%0A looking",
};
#define FX_HOSTILE_COUNT (sizeof(fx_hostile_strings) / sizeof(fx_hostile_strings[0]))

/* The hostile set: each hostile string once as message, once as file name and once as function ARN, plus @p extra
 * plain errors and warnings (to exercise GitHub's caps). Sorted. NULL on failure. */
static inline struct il_diags *fx_hostile(size_t extra, struct il_diags **unverified) {
    struct il_diags *d = il_diags_new();
    struct il_diags *u = il_diags_new();
    int ok = d != NULL && u != NULL;
    for (size_t i = 0; ok && i < FX_HOSTILE_COUNT; i++) {
        const char *s = fx_hostile_strings[i];
        struct il_diag as_message = {.severity = (enum il_severity)(i % 3),
                                     .rule = "schema",
                                     .file = FX_LEDGER,
                                     .line = (unsigned)i + 1,
                                     .column = 3,
                                     .pointer = "/exclusions/0/reason/summary",
                                     .message = s};
        struct il_diag as_file = {.severity = IL_SEV_WARNING,
                                  .rule = "expiring-soon",
                                  .file = s,
                                  .line = 7,
                                  .column = 1,
                                  .function_arn = s,
                                  .message = "expires soon"};
        struct il_diag as_arn = {.severity = IL_SEV_ERROR,
                                 .rule = "unrecorded-exclusion",
                                 .function_arn = s,
                                 .account = s,
                                 .region = s,
                                 .message = s};
        ok = il_diags_add(d, &as_message) == IL_OK && il_diags_add(d, &as_file) == IL_OK &&
             il_diags_add(d, &as_arn) == IL_OK;
        struct il_diag failed = {.severity = IL_SEV_ERROR,
                                 .rule = "not-verified",
                                 .function_arn = s,
                                 .aws = {.service = "lambda",
                                         .operation = "ListTags",
                                         .region = s,
                                         .account = s,
                                         .http_status = 500,
                                         .error_code = s,
                                         .request_id = s},
                                 .message = s};
        ok = ok && (i > 2 || il_diags_add(u, &failed) == IL_OK);
    }
    for (size_t i = 0; ok && i < extra; i++) {
        ok = il_diags_addf(d, i % 2 ? IL_SEV_WARNING : IL_SEV_ERROR, i % 2 ? "review-overdue" : "expired", FX_LEDGER,
                           (unsigned)(100 + i), 7, FX_ARN_A, "extra finding %zu", i) == IL_OK;
    }
    if (!ok) {
        il_diags_free(d);
        il_diags_free(u);
        return NULL;
    }
    il_diags_sort(d);
    *unverified = u;
    return d;
}

#endif
