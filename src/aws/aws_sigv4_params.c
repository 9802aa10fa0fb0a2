/*
 * The leaves of SigV4: parameter checks, X-Amz-Date, and which headers are secret. Both halves (aws_sigv4.c,
 * aws_sigv4_canonical.c) and the redaction of debug output use them, so they call down to this file and never
 * into each other.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws/aws_sigv4_internal.h"

#define IL_MAX_UNIX_TIME INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* A scope component ends up between '/' in the credential scope and inside the Authorization header. */
static int s_scope_part_ok(const char *s) {
    if (s == NULL || *s == '\0' || strlen(s) > 64) {
        return 0;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == ',') {
            return 0;
        }
    }
    return 1;
}

enum il_status il_sigv4_check_params(const struct il_sigv4_params *params) {
    if (params == NULL || !s_scope_part_ok(params->region) || !s_scope_part_ok(params->service) || params->time < 0 ||
        params->time > IL_MAX_UNIX_TIME) {
        return IL_ERR_INVALID;
    }
    return IL_OK;
}

enum il_status il_sigv4_amz_date(int64_t time, char out[17]) {
    out[0] = '\0';
    if (time < 0 || time > IL_MAX_UNIX_TIME) {
        return IL_ERR_INVALID;
    }
    time_t t = (time_t)time;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16) {
        return IL_ERR_INVALID;
    }
    return IL_OK;
}

int il_sigv4_header_is_sensitive(const char *name) {
    static const char *const names[] = {
        "authorization", "x-amz-security-token", "x-aws-ec2-metadata-token", "proxy-authorization", "cookie",
        "set-cookie"};
    if (name == NULL) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(name, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}
