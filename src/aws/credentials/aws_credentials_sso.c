/*
 * IAM Identity Center (AWS SSO) profiles: botocore's SSOProvider rules for the config, SSOTokenLoader's cache file
 * name, SSOCredentialFetcher's exchange. The cached access token is never refreshed here (botocore may refresh an
 * sso-session token through SSO OIDC CreateToken with the cached client registration; we ask the user to run
 * `aws sso login` instead, which is what that refresh would need once the registration lapses anyway).
 */
#include "aws/credentials/aws_credentials_sso.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "il/aws/endpoint.h"
#include "il/aws/settings.h"
#include "il/aws/sts.h"
#include "il/crypto.h"
#include "il/diag.h"
#include "il/doc/json.h"
#include "il/doc/node.h"

static const char *s_env(const char *name) {
    const char *value = getenv(name);
    return value != NULL && *value != '\0' ? value : NULL;
}

static int s_env_true(const char *name) {
    const char *v = s_env(name);
    return v != NULL && strcasecmp(v, "true") == 0;
}

int il_sso_profile_uses_sso(const struct il_profile_files *f, const char *name) {
    return il_profile_value(f, name, "sso_account_id") != NULL || il_profile_value(f, name, "sso_role_name") != NULL;
}

static int s_is_region(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z')) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return 0;
        }
    }
    return 1;
}

static int s_is_account(const char *s) {
    size_t n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++) {
    }
    return n == 12 && s[n] == '\0';
}

/* A session value, checked against the profile's own (botocore refuses a difference rather than pick one). */
static enum il_status s_merge(const struct il_profile_files *f, const char *name, const char *section, const char *key,
                              const char **out, struct il_buf *why) {
    const char *mine = il_profile_value(f, name, key);
    const char *theirs = il_ini_get(f->config, section, key);
    if (mine != NULL && theirs != NULL && strcmp(mine, theirs) != 0) {
        il_buf_say(why, "profile '%s': %s differs between the profile and [%s]: keep one", name, key, section);
        return IL_ERR_CREDENTIALS;
    }
    *out = theirs ? theirs : mine;
    return IL_OK;
}

enum il_status il_sso_config_resolve(const struct il_profile_files *f, const char *name, struct il_sso_config *out,
                                     struct il_buf *why) {
    memset(out, 0, sizeof(*out));
    out->profile = name;
    out->session = il_profile_value(f, name, "sso_session");
    out->account_id = il_profile_value(f, name, "sso_account_id");
    out->role_name = il_profile_value(f, name, "sso_role_name");
    /* botocore configures the portal client from the selected profile, also when this one is its source_profile */
    out->profile_endpoint_url = il_profile_value(f, il_profile_selected(), "endpoint_url");
    out->profile_ignore_configured = il_profile_value(f, il_profile_selected(), "ignore_configured_endpoint_urls");
    if (out->session != NULL) {
        struct il_buf section;
        il_buf_init(&section, 1024);
        enum il_status st = il_buf_printf(&section, "sso-session %s", out->session);
        if (st == IL_OK && (*out->session == '\0' || !il_ini_has_section(f->config, il_buf_cstr(&section)))) {
            il_buf_say(why, "profile '%s': sso_session '%s' has no [sso-session %s] section in %s", name, out->session,
                       out->session, f->config_path ? f->config_path : "~/.aws/config");
            st = IL_ERR_CREDENTIALS;
        }
        if (st == IL_OK) {
            st = s_merge(f, name, il_buf_cstr(&section), "sso_start_url", &out->start_url, why);
        }
        if (st == IL_OK) {
            st = s_merge(f, name, il_buf_cstr(&section), "sso_region", &out->region, why);
        }
        il_buf_release(&section);
        IL_TRY(st);
    } else {
        out->start_url = il_profile_value(f, name, "sso_start_url");
        out->region = il_profile_value(f, name, "sso_region");
    }
    const char *keys[] = {"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"};
    const char *values[] = {out->start_url, out->region, out->account_id, out->role_name};
    int missing = 0;
    for (size_t i = 0; i < 4; i++) {
        if (values[i] == NULL || *values[i] == '\0') {
            if (missing++ == 0) {
                il_buf_say(why, "profile '%s' is configured to use SSO but is missing required configuration: ", name);
            }
            il_buf_say(why, "%s%s", missing > 1 ? ", " : "", keys[i]);
        }
    }
    if (missing > 0) {
        if (out->session != NULL) {
            il_buf_say(why, " (sso_start_url and sso_region belong in [sso-session %s])", out->session);
        }
        return IL_ERR_CREDENTIALS;
    }
    if (!s_is_region(out->region)) {
        il_buf_say(why, "profile '%s': sso_region '%s' is not a region name (e.g. eu-west-1)", name, out->region);
        return IL_ERR_CREDENTIALS;
    }
    if (!s_is_account(out->account_id)) {
        il_buf_say(why, "profile '%s': sso_account_id '%s' is not a 12-digit AWS account id", name, out->account_id);
        return IL_ERR_CREDENTIALS;
    }
    return IL_OK;
}

enum il_status il_sso_cache_path(const struct il_sso_config *c, const char *cache_dir, struct il_buf *out,
                                 struct il_buf *why) {
    const char *key = c->session ? c->session : c->start_url;
    uint8_t md[IL_SHA1_LEN];
    if (il_crypto_sha1(key, strlen(key), md) != IL_OK) {
        il_buf_say(why, "cannot compute the SSO token cache file name (sha1 unavailable)");
        return IL_ERR_CRYPTO;
    }
    const char *home = s_env("HOME");
    il_buf_reset(out);
    enum il_status st;
    if (cache_dir != NULL) {
        st = il_buf_puts(out, cache_dir);
    } else if (home != NULL) {
        st = il_buf_printf(out, "%s/.aws/sso/cache", home);
    } else {
        il_buf_say(why, "profile '%s' uses SSO, but there is no HOME to find ~/.aws/sso/cache in", c->profile);
        return IL_ERR_CREDENTIALS;
    }
    st = st != IL_OK ? st : il_buf_putc(out, '/');
    for (size_t i = 0; st == IL_OK && i < sizeof(md); i++) {
        st = il_buf_printf(out, "%02x", md[i]);
    }
    return st != IL_OK ? st : il_buf_puts(out, ".json");
}

/* botocore parses expiresAt with dateutil; the CLI writes "...Z" (older v2 releases "...UTC"). */
static enum il_status s_parse_expiry(const char *text, int64_t *out) {
    char copy[64];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof(copy) - 1) {
        return IL_ERR_PARSE;
    }
    memcpy(copy, text, n + 1);
    if (n > 3 && strcmp(copy + n - 3, "UTC") == 0) {
        memcpy(copy + n - 3, "Z", 2);
    } else if (n > 6 && strcmp(copy + n - 6, "+00:00") == 0) {
        memcpy(copy + n - 6, "Z", 2);
    }
    return il_sts_parse_time(copy, out);
}

/* Wipe a string node's bytes in place (they are the document's own copy) before the document is freed. */
static void s_wipe_node(const struct il_node *node) {
    size_t len = 0;
    const char *s = node && il_node_type(node) == IL_NODE_STRING ? il_node_str(node, &len) : NULL;
    if (s != NULL && len > 0) {
        il_crypto_cleanse((void *)(uintptr_t)s, len); /* the document owns these bytes */
    }
}

enum il_status il_sso_token_parse(const char *text, size_t len, const char *path, char **token, int64_t *expires_at,
                                  struct il_buf *why) {
    *token = NULL;
    *expires_at = 0;
    struct il_diags *diags = il_diags_new();
    struct il_doc *doc = NULL;
    if (diags == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = il_json_load(text, len, path, &doc, diags);
    if (st != IL_OK) {
        const struct il_diag *d = il_diags_count(diags) > 0 ? il_diags_get(diags, 0) : NULL;
        if (st != IL_ERR_NOMEM) {
            il_buf_say(why, "%s:%u:%u: the SSO token cache file is not valid JSON: %s", path, d ? d->line : 0,
                       d ? d->column : 0, d ? d->message : il_status_str(st));
            st = IL_ERR_CREDENTIALS;
        }
        goto cleanup;
    }
    const struct il_node *root = il_doc_root(doc);
    const struct il_node *tok = il_node_get(root, "accessToken");
    const struct il_node *exp = il_node_get(root, "expiresAt");
    st = IL_ERR_CREDENTIALS;
    if (root == NULL || il_node_type(root) != IL_NODE_OBJECT) {
        il_buf_say(why, "%s:%u:%u: the SSO token cache file is not a JSON object", path, root ? il_node_line(root) : 1,
                   root ? il_node_column(root) : 1);
        goto cleanup;
    }
    size_t tok_len = 0;
    const char *tok_text = tok && il_node_type(tok) == IL_NODE_STRING ? il_node_str(tok, &tok_len) : NULL;
    if (tok_text == NULL || tok_len == 0) {
        il_buf_say(why, "%s:%u:%u: the SSO token cache file has no %saccessToken string", path,
                   tok ? il_node_line(tok) : il_node_line(root), tok ? il_node_column(tok) : il_node_column(root),
                   tok ? "non-empty " : "");
        goto cleanup;
    }
    for (size_t i = 0; i < tok_len; i++) {
        unsigned char ch = (unsigned char)tok_text[i];
        if (ch < 0x20 || ch == 0x7f) {
            /* it goes into an HTTP header: a line break would end it */
            il_buf_say(why, "%s:%u:%u: accessToken holds control characters", path, il_node_line(tok),
                       il_node_column(tok));
            goto cleanup;
        }
    }
    const char *exp_text = exp && il_node_type(exp) == IL_NODE_STRING ? il_node_str(exp, NULL) : NULL;
    if (exp_text == NULL || s_parse_expiry(exp_text, expires_at) != IL_OK) {
        il_buf_say(why, "%s:%u:%u: the SSO token cache file has %s", path, exp ? il_node_line(exp) : il_node_line(root),
                   exp ? il_node_column(exp) : il_node_column(root),
                   exp ? "an expiresAt that is not an ISO 8601 UTC time" : "no expiresAt");
        goto cleanup;
    }
    *token = il_strndup(tok_text, tok_len);
    st = *token ? IL_OK : IL_ERR_NOMEM;
cleanup:
    if (doc != NULL) {
        /* the refresh token and client secret of the registration are secrets too */
        const struct il_node *r = il_doc_root(doc);
        const char *secret_keys[] = {"accessToken", "refreshToken", "clientSecret"};
        for (size_t i = 0; i < 3; i++) {
            s_wipe_node(il_node_get(r, secret_keys[i]));
        }
    }
    il_doc_free(doc);
    il_diags_free(diags);
    return st;
}

enum il_status il_sso_endpoint(const struct il_sso_config *c, struct il_buf *url, const char **from,
                               struct il_buf *why) {
    il_buf_reset(url);
    *from = NULL;
    struct il_aws_endpoint_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    if (c->settings != NULL) {
        il_aws_settings_endpoints(c->settings, &cfg);
    } else {
        cfg.profile_endpoint_url = c->profile_endpoint_url;
        cfg.profile_service_endpoint_url[IL_AWS_SSO] = c->services_endpoint_url;
        cfg.profile_ignore_configured =
            c->profile_ignore_configured != NULL && strcasecmp(c->profile_ignore_configured, "true") == 0;
        cfg.use_fips = s_env_true("AWS_USE_FIPS_ENDPOINT");
        cfg.use_dualstack = s_env_true("AWS_USE_DUALSTACK_ENDPOINT");
    }
    char *chosen = NULL;
    struct il_buf reason;
    il_buf_init(&reason, 2048);
    enum il_status st = il_aws_endpoint_resolve(&cfg, IL_AWS_SSO, c->region, &chosen, from, &reason);
    if (st == IL_OK) {
        st = il_buf_puts(url, chosen);
    } else if (st != IL_ERR_NOMEM) {
        il_buf_say(why, "profile '%s': no SSO portal endpoint: %s", c->profile,
                   reason.len ? il_buf_cstr(&reason) : il_status_str(st));
        st = IL_ERR_CREDENTIALS;
    }
    free(chosen);
    il_buf_release(&reason);
    return st;
}
