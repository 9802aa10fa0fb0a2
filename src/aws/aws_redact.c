/* Redaction for debug traces: which header values and query parameters carry credentials. Deny by pattern, so a
 * header nobody listed here (a new *-Token) is still hidden. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Words after which AWS text (an echoed canonical request, a quoted header) carries a credential: the value that
 * follows (after ':' or '=' and blanks) is replaced up to the next delimiter. */
static const char *const s_fragment_words[] = {"x-amz-security-token", "authorization", "x-amz-signature",
                                               "x-amz-credential",     "signature",     "credential",
                                               "security-token",       "session-token", NULL};

static size_t s_match_word(const char *p) {
    for (const char *const *w = s_fragment_words; *w; w++) {
        size_t n = strlen(*w);
        if (strncasecmp(p, *w, n) == 0) {
            return n;
        }
    }
    return 0;
}

static int s_value_end(char c) {
    return c == '\0' || isspace((unsigned char)c) || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' ||
           c == '<' || c == '>';
}

/* A value starting at p after "word", "word:" or "word=" (with blanks around the separator): its start, or NULL. */
static const char *s_fragment_value(const char *p) {
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p != ':' && *p != '=') {
        return NULL;
    }
    p++;
    while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'') {
        p++;
    }
    return s_value_end(*p) ? NULL : p;
}

static const char *s_secret_at(const char *p, const char *const *secrets, size_t *len) {
    for (const char *const *s = secrets; s && *s; s++) {
        size_t n = strlen(*s);
        if (n >= 4 && strncmp(p, *s, n) == 0) {
            *len = n;
            return *s;
        }
    }
    return NULL;
}

enum il_status il_aws_scrub(const char *text, const char *const *secrets, struct il_buf *out) {
    const char *p = text ? text : "";
    while (*p) {
        size_t len = 0;
        if (s_secret_at(p, secrets, &len)) {
            IL_STICKY(il_buf_puts(out, "REDACTED"));
            p += len;
            continue;
        }
        size_t word = (p == text || !isalnum((unsigned char)p[-1])) ? s_match_word(p) : 0;
        const char *value = word ? s_fragment_value(p + word) : NULL;
        if (value) {
            IL_STICKY(il_buf_append(out, p, (size_t)(value - p)));
            IL_STICKY(il_buf_puts(out, "REDACTED"));
            p = value;
            while (!s_value_end(*p)) {
                p++;
            }
            continue;
        }
        IL_STICKY(il_buf_putc(out, *p));
        p++;
    }
    return il_buf_status(out);
}

enum il_status il_aws_scrub_inplace(char **text, const char *const *secrets) {
    if (*text == NULL) {
        return IL_OK;
    }
    struct il_buf b;
    il_buf_init(&b, strlen(*text) + 64 * 1024);
    enum il_status st = il_aws_scrub(*text, secrets, &b);
    char *clean = st == IL_OK ? il_buf_take(&b) : NULL;
    il_buf_release(&b);
    if (clean == NULL) {
        /* never keep text that could not be scrubbed */
        free(*text);
        *text = NULL;
        return st == IL_OK ? IL_ERR_NOMEM : st;
    }
    free(*text);
    *text = clean;
    return IL_OK;
}
