/*
 * ECS container credentials, as botocore's ContainerProvider and the SDKs read them (also what EKS Pod Identity
 * uses): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on http://169.254.170.2 (wins), else
 * AWS_CONTAINER_CREDENTIALS_FULL_URI; the Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on
 * every fetch: EKS rotates it; wins) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
 *
 * FULL_URI over plain http may only name a loopback address or the ECS / EKS agents: credentials (and the token) must
 * not travel in clear text to an arbitrary host because an environment variable said so. https goes anywhere.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws/credentials/aws_credentials_remote.h"
#include "il/crypto.h"

#define S_ECS_BASE "http://169.254.170.2"
#define S_ECS_TIMEOUT_MS 2000L /* botocore's ContainerMetadataFetcher: 2 s per attempt, 3 attempts, 1 s apart */
#define S_ECS_ATTEMPTS 3
#define S_ECS_MAX_BODY ((size_t)64 << 10)
#define S_ECS_TOKEN_MAX ((size_t)16 << 10)

int il_ecs_host_allowed(const char *host) {
    static const uint8_t eks_v6[16] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x23};
    if (strcasecmp(host, "localhost") == 0) {
        return 1;
    }
    /* inet_pton is strict (four decimal parts, no octal or shorthand), so what passes here is what curl connects to */
    struct in_addr v4;
    if (inet_pton(AF_INET, host, &v4) == 1) {
        uint32_t a = ntohl(v4.s_addr);
        return (a >> 24) == 127u || a == 0xA9FEAA02u /* 169.254.170.2 */ || a == 0xA9FEAA17u /* 169.254.170.23 */;
    }
    struct in6_addr v6;
    if (inet_pton(AF_INET6, host, &v6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&v6) || memcmp(v6.s6_addr, eks_v6, sizeof(eks_v6)) == 0;
    }
    return 0;
}

static void s_say_url(struct il_buf *why, const char *url) {
    struct il_buf clean;
    il_buf_init(&clean, 2048);
    if (il_http_redact_url(url, &clean) == IL_OK) {
        il_buf_say(why, "%s", il_buf_cstr(&clean));
    } else {
        il_buf_say(why, "(an unprintable URL)");
    }
    il_buf_release(&clean);
}

enum il_status il_ecs_url(struct il_buf *url, struct il_buf *why) {
    const char *relative = il_remote_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = il_remote_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    il_buf_reset(url);
    if (relative != NULL) {
        /* botocore glues it to the agent's address: "@host/..." would otherwise move the request elsewhere */
        int https = 0;
        char host[256];
        enum il_status st = il_buf_printf(url, "%s%s", S_ECS_BASE, relative);
        if (st != IL_OK) {
            il_buf_say(why, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is too long");
            return st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        }
        if (relative[0] != '/' || il_remote_url_host(il_buf_cstr(url), &https, host, sizeof(host)) != IL_OK ||
            strcmp(host, "169.254.170.2") != 0) {
            il_buf_say(why, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with '/' without spaces");
            return IL_ERR_CREDENTIALS;
        }
        return IL_OK;
    }
    if (full == NULL) {
        il_buf_say(why, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
        return IL_ERR_NOTFOUND;
    }
    int https = 0;
    char host[256];
    if (il_remote_url_host(full, &https, host, sizeof(host)) != IL_OK) {
        il_buf_say(why, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http:// or https:// URL with a host (and no user "
                        "name)");
        return IL_ERR_CREDENTIALS;
    }
    if (!https && !il_ecs_host_allowed(host)) {
        il_buf_say(why,
                   "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http to host '%s' is refused (credentials would cross "
                   "the network in clear text); use https, a loopback address, or the ECS/EKS agent addresses "
                   "169.254.170.2, 169.254.170.23, fd00:ec2::23",
                   host);
        return IL_ERR_CREDENTIALS;
    }
    enum il_status st = il_buf_puts(url, full);
    if (st != IL_OK && st != IL_ERR_NOMEM) {
        il_buf_say(why, "AWS_CONTAINER_CREDENTIALS_FULL_URI is too long");
        st = IL_ERR_CREDENTIALS;
    }
    return st;
}

/* The Authorization value, from the token file (re-read now) or the variable; *out NULL when neither is set. *from
 * names the variable it came from (static). */
static enum il_status s_token(char **out, size_t *out_len, const char **from, struct il_buf *why) {
    *out = NULL;
    *out_len = 0;
    const char *file = il_remote_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *value = il_remote_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    *from = file ? "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" : "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    if (file != NULL) {
        enum il_status st = il_read_file(file, S_ECS_TOKEN_MAX, out, out_len);
        if (st != IL_OK) {
            il_buf_say(why, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s (%s)", file,
                       st == IL_ERR_NOTFOUND ? "no such file"
                       : st == IL_ERR_LIMIT  ? "over 16 KiB"
                                             : il_status_str(st));
            return st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        }
    } else if (value != NULL) {
        *out_len = strlen(value);
        *out = il_strndup(value, *out_len);
        if (*out == NULL) {
            return IL_ERR_NOMEM;
        }
    } else {
        return IL_OK;
    }
    enum il_status st = IL_OK;
    if (*out_len == 0) {
        il_buf_say(why, "%s is empty", *from);
        st = IL_ERR_CREDENTIALS;
    } else if (memchr(*out, '\r', *out_len) != NULL || memchr(*out, '\n', *out_len) != NULL) {
        /* botocore refuses it too: a line break would end the header and let the rest inject new ones */
        il_buf_say(why, "%s holds a line break (CR or LF), which an HTTP header cannot carry%s", *from,
                   file ? "; write the file without a trailing newline" : "");
        st = IL_ERR_CREDENTIALS;
    } else {
        for (size_t i = 0; i < *out_len; i++) {
            unsigned char c = (unsigned char)(*out)[i];
            if (c < 0x20 || c == 0x7f) {
                il_buf_say(why, "%s holds control characters, which an HTTP header cannot carry", *from);
                st = IL_ERR_CREDENTIALS;
                break;
            }
        }
    }
    if (st != IL_OK) {
        il_crypto_cleanse(*out, *out_len);
        free(*out);
        *out = NULL;
        *out_len = 0;
    }
    return st;
}

static enum il_status s_ecs_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                struct il_buf *why) {
    const struct il_remote_fetcher *fetcher = provider->impl;
    struct il_buf url, what;
    il_buf_init(&url, 8192);
    il_buf_init(&what, 8192 + 64);
    char *token = NULL;
    size_t token_len = 0;
    const char *token_from = NULL;
    struct il_http_response resp;
    il_http_response_init(&resp, S_ECS_MAX_BODY);
    enum il_status st = il_ecs_url(&url, why);
    if (st != IL_OK || (st = s_token(&token, &token_len, &token_from, why)) != IL_OK) {
        goto cleanup;
    }
    il_buf_say(&what, "the container credentials endpoint ");
    s_say_url(&what, il_buf_cstr(&url));
    struct il_http_header headers[2] = {{.name = "Accept", .value = "application/json"},
                                        {.name = "Authorization", .value = token}};
    struct il_http_request request = {
        .method = "GET",
        .url = il_buf_cstr(&url),
        .headers = headers,
        .header_count = token != NULL ? 2 : 1,
        .connect_timeout_ms = S_ECS_TIMEOUT_MS,
        .timeout_ms = S_ECS_TIMEOUT_MS,
        .max_response_bytes = S_ECS_MAX_BODY,
    };
    for (int attempt = 1;; attempt++) {
        il_remote_response_wipe(&resp);
        st = il_remote_fetch(fetcher, &request, &resp);
        if (st != IL_OK) {
            il_buf_say(why, "cannot ask %s: %s", il_buf_cstr(&what), resp.error[0] ? resp.error : il_status_str(st));
            st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
            goto cleanup;
        }
        int transient = resp.failure != IL_HTTP_OK || resp.status >= 500;
        if (!transient || attempt == S_ECS_ATTEMPTS) {
            break;
        }
        if (fetcher->fetch == NULL) {
            struct timespec pause = {.tv_sec = 1, .tv_nsec = 0};
            (void)nanosleep(&pause, NULL);
        }
    }
    if (resp.failure != IL_HTTP_OK || resp.status != 200) {
        /* configured but failing: fail closed, the chain does not move on to another source */
        il_buf_say(why, "%s %s: ", il_buf_cstr(&what), resp.failure != IL_HTTP_OK ? "could not be reached" : "refused");
        il_remote_describe(&resp, why);
        if (resp.status == 401 || resp.status == 403) {
            il_buf_say(why, " (check %s%s)", token_from, token ? "" : ", which is not set");
        }
        st = IL_ERR_CREDENTIALS;
        goto cleanup;
    }
    st = il_remote_parse_credentials(il_buf_cstr(&what), resp.body.data ? resp.body.data : "", resp.body.len, out, why);
cleanup:
    il_remote_response_wipe(&resp);
    if (token != NULL) {
        il_crypto_cleanse(token, token_len);
        free(token);
    }
    il_buf_release(&url);
    il_buf_release(&what);
    return st;
}

static const struct il_credentials_provider_vtable s_ecs_vtable = {
    .name = "ecs",
    .get = s_ecs_get,
    .destroy = il_remote_provider_destroy,
};

struct il_credentials_provider *il_credentials_provider_ecs_new_with(const struct il_remote_fetcher *fetcher) {
    return il_remote_provider_new(&s_ecs_vtable, fetcher);
}

struct il_credentials_provider *il_credentials_provider_ecs_new(void) {
    return il_credentials_provider_ecs_new_with(NULL);
}
