/*
 * libFuzzer target: the bounded XML scanner (aws_xml.c) the STS responses and XML error bodies are read with, and
 * the STS time parser (aws_sts.c), called the way aws_sts.c and aws_error.c call them. (fuzz_aws_response reaches
 * the same code through the client; this target gets there in one call per input, so it runs much faster.)
 *
 * Invariants: a found element lies inside the input; decoded text stays within its buffer's limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_xml.h"
#include "il/aws/sts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const s_wrappers[] = {"GetCallerIdentityResult", "AssumeRoleResult",
                                         "AssumeRoleWithWebIdentityResult", "Error"};
static const char *const s_fields[] = {"Account",      "Arn",        "UserId", "AccessKeyId", "SecretAccessKey",
                                       "SessionToken", "Expiration", "Code",   "Message",     "RequestId"};

static void s_fields_of(const char *xml, size_t len) {
    for (size_t i = 0; i < sizeof(s_fields) / sizeof(s_fields[0]); i++) {
        struct il_buf b;
        il_buf_init(&b, 4096);
        enum il_status st = il_xml_text(xml, len, s_fields[i], &b);
        if (b.len > 4096) {
            abort();
        }
        if (st == IL_OK && i == 6 && b.data != NULL) {
            int64_t t = 0;
            if (il_sts_parse_time(b.data, &t) == IL_OK && t == INT64_MIN) {
                abort(); /* a parsed time is a real instant */
            }
        }
        il_buf_release(&b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) {
        return 0;
    }
    const char *xml = (const char *)data;
    (void)il_xml_has_dtd(xml, size);
    s_fields_of(xml, size);
    for (size_t w = 0; w < sizeof(s_wrappers) / sizeof(s_wrappers[0]); w++) {
        const char *inner = NULL;
        size_t inner_len = 0;
        if (!il_xml_find(xml, size, s_wrappers[w], &inner, &inner_len)) {
            continue;
        }
        if (inner < xml || inner + inner_len > xml + size) {
            abort();
        }
        s_fields_of(inner, inner_len);
        const char *creds = NULL;
        size_t creds_len = 0;
        if (il_xml_find(inner, inner_len, "Credentials", &creds, &creds_len)) {
            if (creds < inner || creds + creds_len > inner + inner_len) {
                abort();
            }
            s_fields_of(creds, creds_len);
        }
    }
    /* the time parser on the raw input too (NUL-terminated copy) */
    char tbuf[64];
    size_t n = size < sizeof(tbuf) - 1 ? size : sizeof(tbuf) - 1;
    memcpy(tbuf, data, n);
    tbuf[n] = '\0';
    int64_t t = 0;
    if (il_sts_parse_time(tbuf, &t) == IL_OK && t == INT64_MIN) {
        abort();
    }
    return 0;
}
