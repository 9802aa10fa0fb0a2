/*
 * libFuzzer target: the escapers and every finding writer on arbitrary bytes.
 *
 * The input is split at NUL bytes into the strings of a few diagnostics (message, file, ARN, account, region, AWS
 * error code), which are rendered in every format. The invariants are the writers' escaping contract: every output is
 * valid UTF-8 with no ESC and no control character where its medium forbids one, the JSON and SARIF outputs parse,
 * every GitHub line is one of our workflow commands, and no escaper fails on any input.
 */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/escape.h"
#include "il/findings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void s_check_utf8(const char *s, size_t len, int allow_newlines) {
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = il_utf8_next((const unsigned char *)s + i, len - i, &cp);
        if (cp == 0xFFFFFFFFu || cp == 0x1B ||
            (cp < 0x20 && !(allow_newlines && (cp == '\n' || cp == '\t' || cp == '\r')))) {
            abort(); /* an escaper or writer let invalid UTF-8 or a control character through */
        }
        if (cp >= 0x7F && cp <= 0x9F) {
            abort();
        }
        i += n;
    }
}

static void s_escapers(const char *s) {
    struct il_buf b;
    il_buf_init(&b, 0);
    for (int m = IL_MEDIUM_TERMINAL; m <= IL_MEDIUM_URI_PATH; m++) {
        il_buf_reset(&b);
        if (il_escape((enum il_medium)m, &b, s) != IL_OK) {
            abort();
        }
        s_check_utf8(il_buf_cstr(&b), b.len, m == IL_MEDIUM_XML_TEXT || m == IL_MEDIUM_CSV);
        if ((m == IL_MEDIUM_GITHUB_DATA || m == IL_MEDIUM_MARKDOWN || m == IL_MEDIUM_TERMINAL) &&
            memchr(b.data ? b.data : "", '\n', b.len) != NULL) {
            abort();
        }
    }
    il_buf_release(&b);
}

static void s_writers(const struct il_diags *diags, const struct il_diags *unverified) {
    struct il_findings_opts opts = {.command = "check",
                                    .as_of = "2026-02-01",
                                    .ledger_file = "ledger.yaml",
                                    .verbose = 1,
                                    .unverified = unverified};
    struct il_buf out;
    il_buf_init(&out, 0);
    for (int f = 0; f < (int)il_findings_format_count(); f++) {
        il_buf_reset(&out);
        if (il_findings_write((enum il_findings_format)f, diags, &opts, &out) != IL_OK) {
            abort();
        }
        const char *text = il_buf_cstr(&out);
        s_check_utf8(text, out.len, 1);
        if (f == IL_FINDINGS_JSON || f == IL_FINDINGS_SARIF) {
            cJSON *doc = cJSON_Parse(text);
            if (doc == NULL) {
                abort();
            }
            cJSON_Delete(doc);
        }
        if (f == IL_FINDINGS_GITHUB) {
            for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
                if (strncmp(line, "::error file=", 13) != 0 && strncmp(line, "::warning file=", 15) != 0 &&
                    strncmp(line, "::notice file=", 14) != 0) {
                    abort(); /* a line that is not one of our commands: injection */
                }
                if (strchr(line, '\n') == NULL || memchr(line, '\r', (size_t)(strchr(line, '\n') - line)) != NULL) {
                    abort();
                }
            }
        }
    }
    il_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* six NUL-separated strings; missing ones are empty */
    char *copy = malloc(size + 7);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    memset(copy + size, 0, 7);
    const char *field[6];
    const char *p = copy;
    for (int i = 0; i < 6; i++) {
        field[i] = p;
        p += strlen(p) + (p < copy + size);
        if (p > copy + size) {
            p = copy + size;
        }
    }
    for (int i = 0; i < 6; i++) {
        s_escapers(field[i]);
    }
    struct il_diags *diags = il_diags_new();
    struct il_diags *unverified = il_diags_new();
    if (diags == NULL || unverified == NULL) {
        abort();
    }
    struct il_diag items[] = {
        {.severity = IL_SEV_ERROR,
         .rule = "schema",
         .file = "ledger.yaml",
         .line = 2,
         .column = 3,
         .pointer = "/exclusions/0",
         .message = field[0]},
        {.severity = IL_SEV_WARNING,
         .rule = "expiring-soon",
         .file = field[1],
         .line = 1,
         .column = 1,
         .function_arn = field[2],
         .message = field[0]},
        {.severity = IL_SEV_NOTICE,
         .rule = field[5],
         .function_arn = field[2],
         .account = field[3],
         .region = field[4],
         .message = field[1]},
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        if (il_diags_add(diags, &items[i]) != IL_OK) {
            abort();
        }
    }
    struct il_diag failed = {.severity = IL_SEV_ERROR,
                             .rule = "not-verified",
                             .function_arn = field[2],
                             .aws = {.service = "lambda",
                                     .operation = "ListTags",
                                     .region = field[4],
                                     .account = field[3],
                                     .http_status = 500,
                                     .error_code = field[5],
                                     .request_id = field[1]},
                             .message = field[0]};
    if (il_diags_add(unverified, &failed) != IL_OK) {
        abort();
    }
    il_diags_sort(diags);
    s_writers(diags, unverified);
    il_diags_free(diags);
    il_diags_free(unverified);
    free(copy);
    return 0;
}
