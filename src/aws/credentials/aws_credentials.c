/* The opaque credentials type: copies of the strings, a per-object signing-key cache, and wiping on free. */
#include "aws/aws_sticky.h"
#include "aws/credentials/aws_credentials_internal.h"
#include "il/aws/http.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IL_KEY_CACHE_SLOTS 8
#define IL_KEY_CACHE_SCOPE_MAX 128

struct il_key_cache_slot {
    char scope[IL_KEY_CACHE_SCOPE_MAX]; /* "" when empty */
    uint8_t key[IL_SHA256_LEN];
};

/* Kept behind a pointer so the signer can fill it through a const credentials object: caching does not change what
 * the credentials are. */
struct il_key_cache {
    struct il_key_cache_slot slots[IL_KEY_CACHE_SLOTS];
    size_t next; /* round-robin replacement: a run signs for a handful of scopes, so anything smarter is waste */
    size_t misses;
};

struct il_credentials {
    char *access_key_id;
    char *secret;
    char *session_token; /* NULL when none */
    int64_t expiration;
    char *source;
    struct il_key_cache *cache;
};

/* Printable ASCII without space, '/' (it separates the credential scope) and ',' (it separates Authorization
 * parameters). Real access key ids are upper-case alphanumerics. */
static int s_access_key_id_ok(const char *s) {
    if (s == NULL || *s == '\0') {
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

/* Secrets and tokens go into HMAC input or a header value: control characters would break or inject headers. */
static int s_no_controls(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

enum il_status il_credentials_new(const char *access_key_id, const char *secret_access_key, const char *session_token,
                                  int64_t expiration, struct il_credentials **out) {
    enum il_status status = IL_OK;
    struct il_credentials *creds = NULL;
    *out = NULL;
    if (!s_access_key_id_ok(access_key_id) || secret_access_key == NULL || *secret_access_key == '\0' ||
        !s_no_controls(secret_access_key) || (session_token != NULL && !s_no_controls(session_token))) {
        return IL_ERR_INVALID;
    }
    creds = calloc(1, sizeof(*creds));
    if (creds == NULL) {
        return IL_ERR_NOMEM;
    }
    creds->access_key_id = il_strdup(access_key_id);
    creds->secret = il_strdup(secret_access_key);
    creds->cache = calloc(1, sizeof(*creds->cache));
    if (session_token != NULL && *session_token != '\0') {
        creds->session_token = il_strdup(session_token);
        if (creds->session_token == NULL) {
            status = IL_ERR_NOMEM;
            goto cleanup;
        }
    }
    creds->expiration = expiration;
    if (creds->access_key_id == NULL || creds->secret == NULL || creds->cache == NULL) {
        status = IL_ERR_NOMEM;
        goto cleanup;
    }
    *out = creds;
    creds = NULL;
cleanup:
    il_credentials_free(creds);
    return status;
}

void il_credentials_free(struct il_credentials *creds) {
    if (creds == NULL) {
        return;
    }
    free(creds->access_key_id);
    il_crypto_wipe_free(creds->secret);
    il_crypto_wipe_free(creds->session_token);
    free(creds->source);
    if (creds->cache != NULL) {
        il_crypto_cleanse(creds->cache, sizeof(*creds->cache));
        free(creds->cache);
    }
    il_crypto_cleanse(creds, sizeof(*creds));
    free(creds);
}

enum il_status il_credentials_copy(const struct il_credentials *creds, struct il_credentials **out) {
    *out = NULL;
    if (creds == NULL) {
        return IL_ERR_INVALID;
    }
    struct il_credentials *copy = NULL;
    IL_TRY(il_credentials_new(creds->access_key_id, creds->secret, creds->session_token, creds->expiration, &copy));
    if (creds->source != NULL) {
        enum il_status st = il_credentials_set_source(copy, creds->source);
        if (st != IL_OK) {
            il_credentials_free(copy);
            return st;
        }
    }
    *out = copy;
    return IL_OK;
}

const char *il_credentials_access_key_id(const struct il_credentials *creds) {
    return creds->access_key_id;
}

const char *il_credentials_secret(const struct il_credentials *creds) {
    return creds->secret;
}

const char *il_credentials_session_token(const struct il_credentials *creds) {
    return creds->session_token;
}

int64_t il_credentials_expiration(const struct il_credentials *creds) {
    return creds->expiration;
}

const char *il_credentials_source(const struct il_credentials *creds) {
    return creds->source ? creds->source : "unknown";
}

enum il_status il_credentials_set_source(struct il_credentials *creds, const char *source) {
    char *copy = il_strdup(source ? source : "unknown");
    if (copy == NULL) {
        return IL_ERR_NOMEM;
    }
    free(creds->source);
    creds->source = copy;
    return IL_OK;
}

enum il_status il_credentials_describe(const struct il_credentials *creds, struct il_buf *out) {
    if (creds == NULL) {
        return il_buf_puts(out, "no credentials");
    }
    size_t id_len = strlen(creds->access_key_id);
    /* Like `aws configure list`: only the tail of the key id, and only when the id is long enough that the tail
     * does not give most of it away. */
    const char *tail = id_len >= 16 ? creds->access_key_id + id_len - 4 : "";
    IL_TRY(il_buf_printf(out, "credentials from %s: access key id ****%s, %s", il_credentials_source(creds), tail,
                         creds->session_token ? "temporary (session token)" : "long-term"));
    if (creds->expiration > 0) {
        time_t t = (time_t)creds->expiration;
        struct tm tm;
        char when[32];
        if (gmtime_r(&t, &tm) != NULL && strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0) {
            IL_TRY(il_buf_printf(out, ", expires %s", when));
        }
    }
    return il_buf_status(out);
}

int il_credentials_key_cache_get(const struct il_credentials *creds, const char *scope, uint8_t key[IL_SHA256_LEN]) {
    for (size_t i = 0; i < IL_KEY_CACHE_SLOTS; i++) {
        const struct il_key_cache_slot *slot = &creds->cache->slots[i];
        if (slot->scope[0] != '\0' && strcmp(slot->scope, scope) == 0) {
            memcpy(key, slot->key, IL_SHA256_LEN);
            return 1;
        }
    }
    return 0;
}

void il_credentials_key_cache_put(const struct il_credentials *creds, const char *scope,
                                  const uint8_t key[IL_SHA256_LEN]) {
    struct il_key_cache *cache = creds->cache;
    size_t len = strlen(scope);
    cache->misses++;
    if (len == 0 || len >= IL_KEY_CACHE_SCOPE_MAX) {
        return;
    }
    struct il_key_cache_slot *slot = &cache->slots[cache->next];
    cache->next = (cache->next + 1) % IL_KEY_CACHE_SLOTS;
    il_crypto_cleanse(slot, sizeof(*slot));
    memcpy(slot->scope, scope, len + 1);
    memcpy(slot->key, key, IL_SHA256_LEN);
}

size_t il_credentials_key_cache_misses(const struct il_credentials *creds) {
    return creds->cache->misses;
}

/* ---- scrubbing AWS text of these credentials ---- */

/* @p text percent-encoded as a canonical query string carries it (RFC 3986 unreserved kept). */
static enum il_status s_percent_encode(const char *text, struct il_buf *out) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.' || *p == '~') {
            IL_STICKY(il_buf_putc(out, (char)*p));
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            IL_STICKY(il_buf_append(out, e, 3));
        }
    }
    return il_buf_status(out);
}

enum il_status il_credentials_scrub(const struct il_credentials *creds, const char *text, struct il_buf *out) {
    if (creds == NULL) {
        return il_aws_scrub(text, NULL, out);
    }
    struct il_buf enc_token, enc_secret;
    il_buf_init(&enc_token, 16384);
    il_buf_init(&enc_secret, 1024);
    const char *token = il_credentials_session_token(creds);
    enum il_status st = s_percent_encode(creds->secret, &enc_secret);
    if (st == IL_OK && token) {
        st = s_percent_encode(token, &enc_token);
    }
    if (st == IL_OK) {
        /* the secret is only compared here, never copied out: il_aws_scrub() writes REDACTED in its place */
        const char *const secrets[] = {creds->secret,
                                       il_buf_cstr(&enc_secret),
                                       token ? token : "",
                                       il_buf_cstr(&enc_token),
                                       il_credentials_access_key_id(creds),
                                       NULL};
        st = il_aws_scrub(text, secrets, out);
    }
    il_buf_release(&enc_token);
    il_buf_release(&enc_secret);
    return st;
}

enum il_status il_credentials_scrub_inplace(const struct il_credentials *creds, char **text) {
    if (*text == NULL) {
        return IL_OK;
    }
    struct il_buf b;
    il_buf_init(&b, strlen(*text) + 64 * 1024);
    enum il_status st = il_credentials_scrub(creds, *text, &b);
    char *clean = st == IL_OK ? il_buf_take(&b) : NULL;
    il_buf_release(&b);
    free(*text);
    *text = clean; /* never left unscrubbed: NULL when scrubbing failed */
    return clean ? IL_OK : (st == IL_OK ? IL_ERR_NOMEM : st);
}
