/* Redaction for debug traces: which header values and query parameters carry credentials. Deny by pattern, so a
 * header nobody listed here (a new *-Token) is still hidden. */
#include <ctype.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "il/aws/http.h"
#include "il/aws/sigv4.h"

static const char *const s_secret_words[] = {"authorization", "token",  "secret",  "credential", "password",
                                             "signature",     "cookie", "session", NULL};

static int s_name_is_secret(const char *name, size_t len) {
    char lower[128];
    if (len >= sizeof(lower)) {
        return 1; /* an absurdly long name: hide it rather than reason about it */
    }
    for (size_t i = 0; i < len; i++) {
        lower[i] = (char)tolower((unsigned char)name[i]);
    }
    lower[len] = '\0';
    for (const char *const *w = s_secret_words; *w; w++) {
        if (strstr(lower, *w) != NULL) {
            return 1;
        }
    }
    return 0;
}

int il_http_header_is_secret(const char *name) {
    return name == NULL || il_sigv4_header_is_sensitive(name) || s_name_is_secret(name, strlen(name));
}

enum il_status il_http_redact_url(const char *url, struct il_buf *out) {
    const char *q = strchr(url, '?');
    if (q == NULL) {
        return il_buf_puts(out, url);
    }
    IL_STICKY(il_buf_append(out, url, (size_t)(q - url) + 1));
    const char *p = q + 1;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t name_len = eq ? (size_t)(eq - p) : len;
        if (eq && s_name_is_secret(p, name_len)) {
            IL_STICKY(il_buf_append(out, p, name_len));
            IL_STICKY(il_buf_puts(out, "=REDACTED"));
        } else {
            IL_STICKY(il_buf_append(out, p, len));
        }
        if (amp == NULL) {
            break;
        }
        IL_STICKY(il_buf_putc(out, '&'));
        p = amp + 1;
    }
    return il_buf_status(out);
}
