/*
 * EC2 instance metadata credentials, IMDSv2 only: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds),
 * then GET /latest/meta-data/iam/security-credentials/ (the role name) and .../ROLE with X-aws-ec2-metadata-token.
 * Settings as botocore reads them: AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT (or the profile's
 * ec2_metadata_service_endpoint), AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (or ec2_metadata_service_endpoint_mode),
 * AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS (or metadata_service_timeout / _num_attempts), defaults 1 s, 1 attempt.
 *
 * No IMDSv1 fallback: botocore retries without a token when the token PUT answers 403/404/405; here that is an error
 * (fail closed — a metadata service that refuses tokens is either turned off for this caller or not IMDS, and an
 * unauthenticated GET is exactly what IMDSv2 exists to stop). Nothing answering at all is "not found": the chain goes
 * on and, on a laptop, ends quickly with the combined error.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/credentials/aws_credentials_remote.h"
#include "aws/credentials/aws_ini.h"
#include "il/crypto.h"

#define S_IMDS_V4 "http://169.254.169.254"
#define S_IMDS_V6 "http://[fd00:ec2::254]"
#define S_IMDS_TOKEN_TTL "21600" /* botocore's: six hours, the maximum */
#define S_IMDS_TOKEN_MAX 1024    /* real tokens are ~56 bytes */
#define S_IMDS_MAX_BODY ((size_t)64 << 10)
#define S_CREDS_PATH "/latest/meta-data/iam/security-credentials/"

/* ---- settings ----------------------------------------------------------------------------------------------- */

/* The profile's section of the config file, loaded when the file exists (botocore reads the same keys there). */
struct s_profile {
    struct il_ini *ini;
    char section[256];
    int is_default;
};

static enum il_status s_profile_load(struct s_profile *p, struct il_buf *why) {
    const char *name = il_remote_env("AWS_PROFILE");
    if (name == NULL) {
        name = il_remote_env("AWS_DEFAULT_PROFILE");
    }
    if (name == NULL) {
        name = "default";
    }
    p->is_default = strcmp(name, "default") == 0;
    size_t n = strlen(name);
    if (n + 9 >= sizeof(p->section)) {
        return IL_OK; /* no such section can exist: no profile values */
    }
    memcpy(p->section, p->is_default ? "" : "profile ", p->is_default ? 0 : 8);
    memcpy(p->section + (p->is_default ? 0 : 8), name, n + 1);
    const char *path = il_remote_env("AWS_CONFIG_FILE");
    const char *home = il_remote_env("HOME");
    struct il_buf buf;
    il_buf_init(&buf, 4096);
    enum il_status st = IL_OK;
    if (path != NULL && strncmp(path, "~/", 2) != 0) {
        st = il_buf_puts(&buf, path);
    } else if (home != NULL) {
        st = il_buf_printf(&buf, "%s/%s", home, path ? path + 2 : ".aws/config");
    } else {
        il_buf_release(&buf);
        return IL_OK; /* no HOME: no config file to read */
    }
    if (st == IL_OK) {
        st = il_ini_load(il_buf_cstr(&buf), &p->ini, why);
        st = st == IL_ERR_NOTFOUND ? IL_OK : st;
    }
    il_buf_release(&buf);
    return st;
}

static const char *s_profile_get(const struct s_profile *p, const char *key) {
    const char *v = il_ini_get(p->ini, p->section, key);
    if (v == NULL && p->is_default) {
        v = il_ini_get(p->ini, "profile default", key); /* botocore accepts both spellings */
    }
    return v != NULL && *v != '\0' ? v : NULL;
}

/* A setting from the environment, else the profile; *from names where it came from. */
static const char *s_setting(const struct s_profile *p, const char *env, const char *key, const char **from) {
    const char *v = il_remote_env(env);
    *from = env;
    if (v == NULL) {
        v = s_profile_get(p, key);
        *from = key;
    }
    return v;
}

static int s_small_uint(const char *text, unsigned long long max, unsigned long long *out) {
    char *end = NULL;
    if (text[0] < '0' || text[0] > '9') {
        return 0;
    }
    unsigned long long v = strtoull(text, &end, 10);
    if (*end != '\0' || v < 1 || v > max) {
        return 0;
    }
    *out = v;
    return 1;
}

enum il_status il_imds_settings(struct il_imds_settings *out, struct il_buf *why) {
    memset(out, 0, sizeof(*out));
    out->timeout_ms = 1000;
    out->attempts = 1;
    const char *disabled = il_remote_env("AWS_EC2_METADATA_DISABLED");
    if (disabled != NULL && strcasecmp(disabled, "true") == 0) {
        out->disabled = 1;
        return IL_OK;
    }
    struct s_profile prof = {0};
    enum il_status st = s_profile_load(&prof, why);
    if (st != IL_OK) {
        il_ini_free(prof.ini);
        return st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
    }
    st = IL_ERR_CREDENTIALS;
    const char *from = NULL, *endpoint_from = NULL;
    const char *mode =
        s_setting(&prof, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode", &from);
    int ipv6 = 0;
    if (mode != NULL) {
        if (strcasecmp(mode, "ipv6") == 0) {
            ipv6 = 1;
        } else if (strcasecmp(mode, "ipv4") != 0) {
            il_buf_say(why, "%s must be IPv4 or IPv6, not '%.40s'", from, mode);
            goto cleanup;
        }
    }
    const char *endpoint =
        s_setting(&prof, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint", &endpoint_from);
    if (endpoint != NULL) {
        int https = 0;
        char host[256];
        size_t n = strlen(endpoint);
        while (n > 0 && endpoint[n - 1] == '/') {
            n--;
        }
        if (il_remote_url_host(endpoint, &https, host, sizeof(host)) != IL_OK || n >= sizeof(out->endpoint) ||
            strcspn(endpoint, "?#") != strlen(endpoint)) {
            il_buf_say(why, "%s is not an http:// or https:// URL with a host (and no user name, query or fragment)",
                       endpoint_from);
            goto cleanup;
        }
        memcpy(out->endpoint, endpoint, n);
        out->endpoint[n] = '\0';
        out->endpoint_from = endpoint_from;
    } else {
        /* botocore: an explicit endpoint wins over the mode, which only picks between the two well-known ones */
        const char *base = ipv6 ? S_IMDS_V6 : S_IMDS_V4;
        memcpy(out->endpoint, base, strlen(base) + 1);
        out->endpoint_from = ipv6 ? "endpoint mode IPv6" : "the default endpoint";
    }
    unsigned long long v = 0;
    const char *timeout = s_setting(&prof, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", &from);
    if (timeout != NULL) {
        if (!s_small_uint(timeout, 300, &v)) {
            il_buf_say(why, "%s must be a whole number of seconds from 1 to 300, not '%.40s'", from, timeout);
            goto cleanup;
        }
        out->timeout_ms = (long)v * 1000L;
    }
    const char *attempts =
        s_setting(&prof, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", &from);
    if (attempts != NULL) {
        if (!s_small_uint(attempts, 10, &v)) {
            il_buf_say(why, "%s must be a whole number from 1 to 10, not '%.40s'", from, attempts);
            goto cleanup;
        }
        out->attempts = (unsigned)v;
    }
    st = IL_OK;
cleanup:
    il_ini_free(prof.ini);
    return st;
}

/* ---- the three requests ------------------------------------------------------------------------------------- */

/* One request to base + @p path, retried (as botocore) on transport failures and 5xx up to the attempt count. IL_OK
 * when the exchange ended: resp->failure / resp->status say how. */
static enum il_status s_call(const struct il_remote_fetcher *fetcher, const struct il_imds_settings *set,
                             const char *method, const char *path, const char *token, struct il_http_response *resp) {
    struct il_buf url;
    il_buf_init(&url, sizeof(set->endpoint) + 1024);
    enum il_status st = il_buf_printf(&url, "%s%s", set->endpoint, path);
    struct il_http_header header =
        token ? (struct il_http_header){"X-aws-ec2-metadata-token", token}
              : (struct il_http_header){"X-aws-ec2-metadata-token-ttl-seconds", S_IMDS_TOKEN_TTL};
    struct il_http_request request = {
        .method = method,
        .url = il_buf_cstr(&url),
        .headers = &header,
        .header_count = 1,
        .connect_timeout_ms = set->timeout_ms,
        .timeout_ms = set->timeout_ms,
        .max_response_bytes = S_IMDS_MAX_BODY,
    };
    for (unsigned attempt = 1; st == IL_OK; attempt++) {
        il_remote_response_wipe(resp);
        st = il_remote_fetch(fetcher, &request, resp);
        if (st != IL_OK || attempt >= set->attempts || (resp->failure == IL_HTTP_OK && resp->status < 500)) {
            break;
        }
    }
    il_buf_release(&url);
    return st;
}

/* IAM role names: [\w+=,.@-]{1,64}; anything else must not be pasted into a URL path. */
static int s_role_name_ok(const char *s, size_t n) {
    if (n == 0 || n > 64) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_+=,.@-", c))) {
            return 0;
        }
    }
    return 1;
}

static enum il_status s_imds_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                 struct il_buf *why) {
    const struct il_remote_fetcher *fetcher = provider->impl;
    struct il_imds_settings set;
    char token[S_IMDS_TOKEN_MAX + 1] = {0};
    char role[65] = {0};
    struct il_buf path;
    il_buf_init(&path, 256);
    struct il_http_response resp;
    il_http_response_init(&resp, S_IMDS_MAX_BODY);
    enum il_status st = il_imds_settings(&set, why);
    if (st != IL_OK) {
        goto cleanup;
    }
    if (set.disabled) {
        il_buf_say(why, "disabled by AWS_EC2_METADATA_DISABLED");
        st = IL_ERR_NOTFOUND;
        goto cleanup;
    }
    /* 1. the session token */
    if ((st = s_call(fetcher, &set, "PUT", "/latest/api/token", NULL, &resp)) != IL_OK) {
        goto broken;
    }
    if (resp.failure == IL_HTTP_TLS) {
        /* an https endpoint whose certificate fails is a misconfiguration or an attack, not an absent service */
        il_buf_say(why, "the instance metadata service at %s (%s) failed TLS verification: ", set.endpoint,
                   set.endpoint_from);
        il_remote_describe(&resp, why);
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    if (resp.failure != IL_HTTP_OK) {
        il_buf_say(why, "no instance metadata service at %s (%s): ", set.endpoint, set.endpoint_from);
        il_remote_describe(&resp, why);
        st = IL_ERR_NOTFOUND;
        goto cleanup;
    }
    if (resp.status != 200) {
        il_buf_say(why, "the instance metadata service at %s refused a session token (", set.endpoint);
        il_remote_describe(&resp, why);
        il_buf_say(why, ")%s",
                   resp.status == 403 ? ": IMDS may be turned off for this instance, or the request came "
                                        "through a proxy; IMDSv1 (no token) is never used"
                                      : "; IMDSv1 (no token) is never used");
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    size_t n = resp.body.len;
    while (n > 0 && (resp.body.data[n - 1] == '\n' || resp.body.data[n - 1] == '\r' || resp.body.data[n - 1] == ' ')) {
        n--;
    }
    int token_ok = n > 0 && n <= S_IMDS_TOKEN_MAX;
    for (size_t i = 0; token_ok && i < n; i++) {
        token_ok = resp.body.data[i] > ' ' && resp.body.data[i] != 0x7f;
    }
    if (!token_ok) {
        il_buf_say(why,
                   "the instance metadata service at %s answered a session token that is empty, too long or not "
                   "printable",
                   set.endpoint);
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    memcpy(token, resp.body.data, n);
    /* 2. the role name */
    if ((st = s_call(fetcher, &set, "GET", S_CREDS_PATH, token, &resp)) != IL_OK) {
        goto broken;
    }
    if (resp.failure == IL_HTTP_OK && resp.status == 404) {
        il_buf_say(why, "the instance at %s has no IAM role (instance profile) attached", set.endpoint);
        st = IL_ERR_NOTFOUND;
        goto cleanup;
    }
    if (resp.failure != IL_HTTP_OK || resp.status != 200) {
        il_buf_say(why, "the instance metadata service at %s failed to list the IAM role: ", set.endpoint);
        il_remote_describe(&resp, why);
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    n = strcspn(resp.body.data ? resp.body.data : "", "\r\n");
    if (!s_role_name_ok(resp.body.data, n)) {
        il_buf_say(why, "the instance metadata service at %s answered a malformed IAM role name", set.endpoint);
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    memcpy(role, resp.body.data, n);
    /* 3. the role's credentials */
    if ((st = il_buf_printf(&path, S_CREDS_PATH "%s", role)) != IL_OK ||
        (st = s_call(fetcher, &set, "GET", il_buf_cstr(&path), token, &resp)) != IL_OK) {
        goto broken;
    }
    if (resp.failure != IL_HTTP_OK || resp.status != 200) {
        il_buf_say(why,
                   "the instance metadata service at %s failed to give the credentials of role '%s': ", set.endpoint,
                   role);
        il_remote_describe(&resp, why);
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    il_buf_reset(&path);
    if ((st = il_buf_printf(&path, "the instance metadata service at %s (role '%s')", set.endpoint, role)) != IL_OK) {
        goto broken;
    }
    st = il_remote_parse_credentials(il_buf_cstr(&path), resp.body.data ? resp.body.data : "", resp.body.len, out, why);
    goto cleanup;
broken:
    il_buf_say(why, "cannot ask the instance metadata service at %s: %s", set.endpoint,
               resp.error[0] ? resp.error : il_status_str(st)); /* resp.error: e.g. libcurl is not installed */
    st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
cleanup:
    il_remote_response_wipe(&resp);
    il_crypto_cleanse(token, sizeof(token));
    il_buf_release(&path);
    return st;
}

static const struct il_credentials_provider_vtable s_imds_vtable = {
    .name = "imds",
    .get = s_imds_get,
    .destroy = il_remote_provider_destroy,
};

struct il_credentials_provider *il_credentials_provider_imds_new_with(const struct il_remote_fetcher *fetcher) {
    return il_remote_provider_new(&s_imds_vtable, fetcher);
}

struct il_credentials_provider *il_credentials_provider_imds_new(void) {
    return il_credentials_provider_imds_new_with(NULL);
}
