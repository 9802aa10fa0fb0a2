/* What every finding writer shares (findings_internal.h) and the --fail-on level: kept apart from the format table
 * (findings_format.c) so the writers never call back into the dispatcher. */
#include <string.h>
#include <time.h>

#include "findings/findings_internal.h"
#include "il/crypto.h"
#include "il/escape.h"

enum il_status il_findings_fail_on_parse(const char *name, enum il_findings_fail_on *out) {
    if (name == NULL) {
        return IL_ERR_INVALID;
    }
    if (strcmp(name, "error") == 0) {
        *out = IL_FINDINGS_FAIL_ON_ERROR;
    } else if (strcmp(name, "warning") == 0) {
        *out = IL_FINDINGS_FAIL_ON_WARNING;
    } else if (strcmp(name, "never") == 0) {
        *out = IL_FINDINGS_FAIL_ON_NEVER;
    } else {
        return IL_ERR_INVALID;
    }
    return IL_OK;
}

int il_findings_fails(const struct il_diag *d, const struct il_findings_opts *opts) {
    switch (opts->fail_on) {
    case IL_FINDINGS_FAIL_ON_ERROR: return d->severity >= IL_SEV_ERROR;
    case IL_FINDINGS_FAIL_ON_WARNING: return d->severity >= IL_SEV_WARNING;
    case IL_FINDINGS_FAIL_ON_NEVER: return 0;
    }
    return 1; /* an unknown level fails closed */
}

int il_findings_passed(const struct il_diags *diags, const struct il_findings_opts *opts) {
    if (il_diags_count(opts->unverified) > 0) {
        return 0; /* fail closed: --fail-on never does not excuse what could not be verified */
    }
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        if (il_findings_fails(il_diags_get(diags, i), opts)) {
            return 0;
        }
    }
    return 1;
}

enum il_status il_findings_count(struct il_buf *out, size_t n, const char *singular) {
    return il_buf_printf(out, "%zu %s%s", n, singular, n == 1 ? "" : "s");
}

const char *il_findings_ledger_name(const struct il_findings_opts *opts) {
    if (opts->ledger_file == NULL || opts->ledger_file[0] == '\0') {
        return "security/inspector-exclusions.yaml";
    }
    if (strcmp(opts->ledger_file, "-") == 0) {
        return "<stdin>";
    }
    return opts->ledger_file;
}

/* The JSON pointer without its "/exclusions/<index>" prefix: the rest names the field and survives reordering. */
static const char *s_pointer_tail(const char *pointer) {
    static const char prefix[] = "/exclusions/";
    if (pointer == NULL) {
        return "";
    }
    if (strncmp(pointer, prefix, sizeof(prefix) - 1) != 0) {
        return pointer;
    }
    const char *p = pointer + sizeof(prefix) - 1;
    while (*p >= '0' && *p <= '9') {
        p++;
    }
    return p;
}

/* The message without the AWS request ids it quotes ("request id 1eb38a94-..."): they change every run. */
static enum il_status s_message_key(struct il_buf *key, const char *msg) {
    static const char marker[] = "request id ";
    const char *p = msg;
    const char *hit;
    while ((hit = strstr(p, marker)) != NULL) {
        IL_TRY(il_buf_append(key, p, (size_t)(hit - p) + sizeof(marker) - 1));
        p = hit + sizeof(marker) - 1;
        while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-') {
            p++;
        }
    }
    return il_buf_puts(key, p);
}

/* sha256 hex of rule "\n" function ARN "\n" field (the pointer without the entry index). Without an ARN: about an AWS
 * call, rule and the call (service, operation, account, region, error code); about an account and region, rule, file,
 * pointer, account and region; else rule, file, pointer and the message without its request ids. Never the line or
 * column, so moving an entry keeps its alerts; the message only as a last resort, because drift messages may carry
 * dates and AWS messages request ids that change from run to run. */
enum il_status il_findings_fingerprint(const struct il_diag *d, const struct il_findings_opts *opts,
                                       char hex[IL_FINDINGS_FINGERPRINT_LEN + 1]) {
    struct il_buf key;
    il_buf_init(&key, 0);
    const char *rule = d->rule ? d->rule : "";
    enum il_status st;
    if (d->function_arn != NULL) {
        st = il_buf_printf(&key, "%s\n%s\n%s", rule, d->function_arn, s_pointer_tail(d->pointer));
    } else if (d->aws.operation != NULL) {
        /* an AWS call that failed: its message carries a request id that changes every run, so the call is the key */
        const struct il_aws_ref *a = &d->aws;
        st =
            il_buf_printf(&key, "%s\naws\n%s\n%s\n%s\n%s\n%s", rule, a->service ? a->service : "", a->operation,
                          a->account ? a->account : "", a->region ? a->region : "", a->error_code ? a->error_code : "");
    } else {
        st = il_buf_printf(&key, "%s\n%s\n%s\n%s\n%s\n", rule, d->file ? d->file : il_findings_ledger_name(opts),
                           d->pointer ? d->pointer : "", d->account ? d->account : "", d->region ? d->region : "");
        /* about an account and region (a scope that could not be verified): that is its identity; its message names
         * whichever call failed first, which varies between runs */
        if (st == IL_OK && (d->account == NULL || d->region == NULL)) {
            st = s_message_key(&key, d->message ? d->message : "");
        }
    }
    if (st == IL_OK) {
        st = il_crypto_sha256_hex(key.data ? key.data : "", key.len, hex);
    }
    il_buf_release(&key);
    return st;
}

#define S_DIGITS "0123456789"
#define S_NAME "abcdefghijklmnopqrstuvwxyz0123456789-"

/* Copy @p n bytes of @p src into the empty @p dst (size @p size) when they fit and are all in @p allowed; leave dst
 * alone otherwise, so a malformed value from one source falls through to the next. */
static void s_set(char *dst, size_t size, const char *src, size_t n, const char *allowed) {
    if (dst[0] != '\0' || src == NULL || n == 0 || n >= size || (strcmp(allowed, S_DIGITS) == 0 && n != 12)) {
        return; /* an account id is exactly 12 digits */
    }
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '\0' || strchr(allowed, src[i]) == NULL) {
            return;
        }
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void il_findings_where(const struct il_diag *d, const struct il_findings_opts *opts, struct il_findings_where *out) {
    memset(out, 0, sizeof *out);
    s_set(out->account, sizeof out->account, d->account, d->account ? strlen(d->account) : 0, S_DIGITS);
    s_set(out->region, sizeof out->region, d->region, d->region ? strlen(d->region) : 0, S_NAME);
    /* arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME */
    const char *arn = d->function_arn;
    if (arn != NULL && strncmp(arn, "arn:", 4) == 0) {
        const char *f[5] = {arn + 4, NULL, NULL, NULL, NULL};
        for (int i = 1; i < 5 && f[i - 1] != NULL; i++) {
            const char *colon = strchr(f[i - 1], ':');
            f[i] = colon ? colon + 1 : NULL;
        }
        if (f[4] != NULL) {
            s_set(out->partition, sizeof out->partition, f[0], (size_t)(f[1] - 1 - f[0]), S_NAME);
            s_set(out->region, sizeof out->region, f[2], (size_t)(f[3] - 1 - f[2]), S_NAME);
            s_set(out->account, sizeof out->account, f[3], (size_t)(f[4] - 1 - f[3]), S_DIGITS);
        }
    }
    s_set(out->account, sizeof out->account, d->aws.account, d->aws.account ? strlen(d->aws.account) : 0, S_DIGITS);
    s_set(out->region, sizeof out->region, d->aws.region, d->aws.region ? strlen(d->aws.region) : 0, S_NAME);
    s_set(out->account, sizeof out->account, opts->account, opts->account ? strlen(opts->account) : 0, S_DIGITS);
    s_set(out->region, sizeof out->region, opts->region, opts->region ? strlen(opts->region) : 0, S_NAME);
    s_set(out->partition, sizeof out->partition, opts->partition, opts->partition ? strlen(opts->partition) : 0,
          S_NAME);
    s_set(out->partition, sizeof out->partition, "aws", 3, S_NAME);
}

enum il_status il_findings_clip(struct il_buf *out, const char *s, size_t max) {
    size_t len = s ? strlen(s) : 0, keep = 0;
    while (keep < len) {
        uint32_t cp;
        size_t n = il_utf8_next((const unsigned char *)s + keep, len - keep, &cp);
        if (keep + n > max) {
            break;
        }
        keep += n;
    }
    return il_buf_append(out, s ? s : "", keep);
}

long long il_findings_time(const struct il_findings_opts *opts, char out[21]) {
    time_t t = opts->now > 0 ? (time_t)opts->now : time(NULL);
    struct tm tm;
    if (t < 0 || gmtime_r(&t, &tm) == NULL || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20) {
        memcpy(out, "1970-01-01T00:00:00Z", 21);
        return 0;
    }
    return (long long)t;
}
