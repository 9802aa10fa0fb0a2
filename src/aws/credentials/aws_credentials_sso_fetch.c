/*
 * The SSO exchange: the cached access token (read now, so a fresh `aws sso login` is picked up on the next refresh)
 * for the portal's GetRoleCredentials, unsigned, with the token in x-amz-sso_bearer_token (restJson1, as the sso
 * model says). The client refreshes the role credentials like any with an Expiration: it asks again 300 s before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "aws/aws_call.h"
#include "aws/credentials/aws_credentials_sso.h"
#include "il/crypto.h"

#define S_MAX_BODY ((size_t)64 << 10)
#define S_TIMEOUT_MS 10000L
#define S_ATTEMPTS 3

static void s_login_hint(struct il_buf *why, const char *profile) {
    il_buf_say(why, "; run `aws sso login --profile %s`", profile);
}

static void s_wipe_free(char *s) {
    if (s != NULL) {
        il_crypto_cleanse(s, strlen(s));
        free(s);
    }
}

/* The cached token, checked for expiry; every failure names the file and asks for a login. */
static enum il_status s_token(const struct il_sso_config *c, const struct il_sso_fetch_options *o, int64_t now,
                              char **token, struct il_buf *why) {
    struct il_buf path;
    il_buf_init(&path, 4096);
    char *text = NULL;
    size_t len = 0;
    int64_t expires = 0;
    const char *keyed = c->session ? "sso-session" : "sso_start_url";
    enum il_status st = il_sso_cache_path(c, o->cache_dir, &path, why);
    if (st != IL_OK) {
        goto cleanup;
    }
    st = il_read_file(il_buf_cstr(&path), IL_SSO_CACHE_MAX_BYTES, &text, &len);
    if (st != IL_OK) {
        il_buf_say(why, "profile '%s': no SSO token cached for %s '%s' (%s: %s)", c->profile, keyed,
                   c->session ? c->session : c->start_url, il_buf_cstr(&path),
                   st == IL_ERR_NOTFOUND ? "no such file"
                   : st == IL_ERR_LIMIT  ? "over 64 KiB, not a token cache file"
                                         : il_status_str(st));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        goto hint;
    }
    st = il_sso_token_parse(text, len, il_buf_cstr(&path), token, &expires, why);
    if (st != IL_OK) {
        goto hint;
    }
    if (expires <= now) {
        char when[32];
        struct tm tm;
        time_t t = (time_t)expires;
        if (gmtime_r(&t, &tm) == NULL || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
            memcpy(when, "(unprintable)", 14);
        }
        il_buf_say(why, "profile '%s': the SSO token for %s '%s' expired at %s (%s)", c->profile, keyed,
                   c->session ? c->session : c->start_url, when, il_buf_cstr(&path));
        s_wipe_free(*token);
        *token = NULL;
        st = IL_ERR_CREDENTIALS;
        goto hint;
    }
    il_sts_trace(o->trace, "[aws] sso: profile '%s': token from %s, valid for %lld s more", c->profile,
                 il_buf_cstr(&path), (long long)(expires - now));
    goto cleanup;
hint:
    if (st == IL_ERR_CREDENTIALS) {
        s_login_hint(why, c->profile);
    }
cleanup:
    if (text != NULL) {
        il_crypto_cleanse(text, len);
        free(text);
    }
    il_buf_release(&path);
    return st;
}

static int s_is_code(const char *s) {
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        char ch = s[n];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.')) {
            return 0;
        }
    }
    return n > 0 && n <= 64;
}

/* restJson1 error code: x-amzn-ErrorType ("UnauthorizedException:http://..."), else the body's __type/code. */
static void s_error_code(const struct il_http_response *resp, char *out, size_t size) {
    out[0] = '\0';
    if (il_http_response_header(resp, "x-amzn-ErrorType", out, size)) {
        out[strcspn(out, ":")] = '\0';
    } else {
        cJSON *root = cJSON_ParseWithLength(resp->body.data ? resp->body.data : "", resp->body.len);
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "__type");
        code = code ? code : cJSON_GetObjectItemCaseSensitive(root, "code");
        if (cJSON_IsString(code)) {
            const char *hash = strrchr(code->valuestring, '#');
            (void)snprintf(out, size, "%s", hash ? hash + 1 : code->valuestring);
            out[strcspn(out, ":")] = '\0';
        }
        cJSON_Delete(root);
    }
    if (!s_is_code(out)) {
        out[0] = '\0';
    }
}

static void s_wipe_member(cJSON *obj, const char *name) {
    cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsString(item) && item->valuestring != NULL) {
        il_crypto_cleanse(item->valuestring, strlen(item->valuestring));
    }
}

static enum il_status s_parse(const struct il_sso_config *c, const struct il_http_response *resp,
                              struct il_credentials **out, struct il_buf *why) {
    cJSON *root = cJSON_ParseWithLength(resp->body.data ? resp->body.data : "", resp->body.len);
    cJSON *rc = cJSON_GetObjectItemCaseSensitive(root, "roleCredentials");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rc, "accessKeyId");
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(rc, "secretAccessKey");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(rc, "sessionToken");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(rc, "expiration");
    enum il_status st = IL_ERR_CREDENTIALS;
    if (!cJSON_IsObject(rc) || !cJSON_IsString(id) || !cJSON_IsString(secret) || !cJSON_IsString(token) ||
        *id->valuestring == '\0' || *secret->valuestring == '\0' || !cJSON_IsNumber(exp) || exp->valuedouble < 0 ||
        exp->valuedouble > 1e15) {
        il_buf_say(why,
                   "profile '%s': the SSO portal's GetRoleCredentials answer lacks roleCredentials with string "
                   "accessKeyId, secretAccessKey, sessionToken and a numeric expiration",
                   c->profile);
    } else {
        /* expiration is epoch milliseconds (botocore divides by 1000) */
        st = il_credentials_new(id->valuestring, secret->valuestring, *token->valuestring ? token->valuestring : NULL,
                                (int64_t)(exp->valuedouble / 1000.0), out);
        if (st == IL_ERR_INVALID) {
            il_buf_say(why, "profile '%s': the SSO portal answered credentials with characters they cannot have",
                       c->profile);
            st = IL_ERR_CREDENTIALS;
        }
    }
    s_wipe_member(rc, "secretAccessKey");
    s_wipe_member(rc, "sessionToken");
    cJSON_Delete(root);
    return st;
}

/* GET /federation/credentials?account_id=&role_name= (query in the canonical order botocore sends it). */
static enum il_status s_request_url(const struct il_sso_config *c, const char *base, struct il_buf *url) {
    IL_TRY(il_buf_printf(url, "%s/federation/credentials?role_name=", base));
    IL_TRY(il_aws_uri_encode(url, c->role_name));
    IL_TRY(il_buf_puts(url, "&account_id="));
    return il_aws_uri_encode(url, c->account_id);
}

static enum il_status s_call(const struct il_sso_config *c, const struct il_sso_fetch_options *o, const char *token,
                             struct il_credentials **out, struct il_buf *why) {
    struct il_buf base, url;
    il_buf_init(&base, 4096);
    il_buf_init(&url, 8192);
    struct il_http_response resp;
    il_http_response_init(&resp, S_MAX_BODY);
    const char *from = NULL;
    enum il_status st = il_sso_endpoint(c, &base, &from, why);
    if (st == IL_OK && (st = s_request_url(c, il_buf_cstr(&base), &url)) != IL_OK) {
        il_buf_say(why, "profile '%s': the SSO portal URL is too long", c->profile);
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    il_sts_trace(o->trace, "[aws] sso: GetRoleCredentials account %s role %s at %s (from %s)", c->account_id,
                 c->role_name, il_buf_cstr(&base), from);
    struct il_http_header headers[2] = {{.name = "Accept", .value = "application/json"},
                                        {.name = "x-amz-sso_bearer_token", .value = token}};
    struct il_http_request request = {
        .method = "GET",
        .url = il_buf_cstr(&url),
        .headers = headers,
        .header_count = 2,
        .connect_timeout_ms = S_TIMEOUT_MS,
        .timeout_ms = S_TIMEOUT_MS,
        .max_response_bytes = S_MAX_BODY,
    };
    for (int attempt = 1;; attempt++) {
        il_remote_response_wipe(&resp);
        st = il_remote_fetch(o->fetcher, &request, &resp);
        if (st != IL_OK) {
            il_buf_say(why, "profile '%s': cannot call the SSO portal at %s: %s", c->profile, il_buf_cstr(&base),
                       resp.error[0] ? resp.error : il_status_str(st));
            st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
            goto cleanup;
        }
        /* the SDKs' standard retry: connection failures, throttling and 5xx */
        int transient = resp.failure != IL_HTTP_OK || resp.status == 429 || resp.status >= 500;
        if (!transient || attempt == S_ATTEMPTS) {
            break;
        }
        if (o->fetcher == NULL || o->fetcher->fetch == NULL) {
            /* 0.5 s, then 1 s */
            struct timespec pause = {.tv_sec = attempt / 2, .tv_nsec = (attempt % 2) * 500L * 1000L * 1000L};
            (void)nanosleep(&pause, NULL);
        }
    }
    il_sts_trace(o->trace, "[aws] sso: GetRoleCredentials answered HTTP %d", resp.status);
    if (resp.failure != IL_HTTP_OK) {
        il_buf_say(why, "profile '%s': the SSO portal at %s could not be reached: %s%s%s%s", c->profile,
                   il_buf_cstr(&base), il_http_failure_str(resp.failure), resp.error[0] ? " (" : "", resp.error,
                   resp.error[0] ? ")" : "");
        st = IL_ERR_CREDENTIALS;
    } else if (resp.status != 200) {
        char code[80];
        s_error_code(&resp, code, sizeof(code));
        il_buf_say(why, "profile '%s': the SSO portal refused GetRoleCredentials for account %s role %s: HTTP %d%s%s",
                   c->profile, c->account_id, c->role_name, resp.status, code[0] ? " " : "", code);
        if (resp.status == 401) {
            il_buf_say(why, " (the cached SSO token is not valid any more)");
            s_login_hint(why, c->profile);
        } else if (resp.status == 403 || resp.status == 404) {
            il_buf_say(why, " (is the permission set '%s' assigned to you in account %s?)", c->role_name,
                       c->account_id);
        }
        st = IL_ERR_CREDENTIALS;
    } else {
        st = s_parse(c, &resp, out, why);
    }
cleanup:
    il_remote_response_wipe(&resp);
    il_buf_release(&base);
    il_buf_release(&url);
    return st;
}

enum il_status il_sso_fetch(const struct il_sso_config *c, const struct il_sso_fetch_options *o,
                            struct il_credentials **out, struct il_buf *why) {
    *out = NULL;
    static const struct il_sts_settings_copy no_trace = {0};
    struct il_sso_fetch_options opt = {0};
    if (o != NULL) {
        opt = *o;
    }
    opt.trace = opt.trace ? opt.trace : &no_trace;
    o = &opt;
    int64_t now = o->now ? o->now : (int64_t)time(NULL);
    char *token = NULL;
    struct il_buf label;
    il_buf_init(&label, 1024);
    enum il_status st = s_token(c, o, now, &token, why);
    if (st == IL_OK) {
        st = s_call(c, o, token, out, why);
    }
    if (st == IL_OK && ((st = il_buf_printf(&label, "profile:%s (sso)", c->profile)) != IL_OK ||
                        (st = il_credentials_set_source(*out, il_buf_cstr(&label))) != IL_OK)) {
        il_credentials_free(*out);
        *out = NULL;
    }
    s_wipe_free(token);
    il_buf_release(&label);
    return st;
}

enum il_status il_sso_profile_credentials(const struct il_profile_files *f, const char *name,
                                          const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                          struct il_buf *why) {
    *out = NULL;
    struct il_sso_config c;
    IL_TRY(il_sso_config_resolve(f, name, &c, why));
    c.settings = sts ? sts->settings : NULL; /* the portal endpoint follows the run's shared config */
    const struct il_sso_fetch_options o = {.trace = sts};
    return il_sso_fetch(&c, &o, out, why);
}
