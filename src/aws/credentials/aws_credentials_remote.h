/**
 * Private to src/aws: what the two credential endpoints of compute environments share — ECS container credentials
 * (aws_credentials_ecs.c) and EC2 IMDSv2 (aws_credentials_imds.c).
 *
 * Both are plain HTTP calls outside the AWS client (no signing, the SDKs' own small retry rules). The fetch goes
 * through a swappable function so unit tests script the endpoint without a socket (aws-c-auth's mock function table);
 * production passes NULL and gets il_http_fetch(). Responses hold secrets (the credentials, the IMDS session token):
 * they are wiped, and no reason ever quotes a response body or a token.
 */
#ifndef IL_AWS_CREDENTIALS_REMOTE_H
#define IL_AWS_CREDENTIALS_REMOTE_H

#include <stddef.h>

#include "il/aws/credentials.h"
#include "il/aws/http.h"
#include "il/buf.h"
#include "il/status.h"

/** il_http_fetch()'s contract: initialise @p out, run @p request, IL_OK when the exchange ended (see out->failure). */
typedef enum il_status (*il_remote_fetch_fn)(void *ctx, const struct il_http_options *options,
                                             const struct il_http_request *request, struct il_http_response *out);
/** A fetch function and its context; {NULL, NULL} means the real HTTP client. */
struct il_remote_fetcher {
    il_remote_fetch_fn fetch;
    void *ctx;
};

/** One request through @p fetcher (NULL or no function: il_http_fetch() with AWS_CA_BUNDLE). Same contract as
 *  il_http_fetch(): @p out must be released (il_remote_response_wipe()) whatever the result. */
IL_MUST_CHECK enum il_status il_remote_fetch(const struct il_remote_fetcher *fetcher,
                                             const struct il_http_request *request, struct il_http_response *out);
/** Wipe the response body (it may hold credentials or a token) and release @p resp; accepts NULL. */
void il_remote_response_wipe(struct il_http_response *resp);
/** Append why an exchange failed, without the body: "could not connect (...)" or "HTTP 401", plus the JSON error
 *  "code"/"Code" when it is a short identifier (AWS error codes are not secrets). */
void il_remote_describe(const struct il_http_response *resp, struct il_buf *why);

/** Parse the credentials document both endpoints answer with: {"AccessKeyId", "SecretAccessKey", "Token"?,
 *  "Expiration"? (ISO 8601), "Code"? (IMDS: must be "Success")}. @p what names the endpoint in reasons
 *  ("the ECS container credentials endpoint"). IL_ERR_CREDENTIALS with a reason that never quotes the document;
 *  IL_ERR_NOMEM. The parsed copy of the document is wiped. *out: caller frees. */
IL_MUST_CHECK enum il_status il_remote_parse_credentials(const char *what, const char *text, size_t len,
                                                         struct il_credentials **out, struct il_buf *why);

/** Split an absolute http:// or https:// URL: sets *https, copies the host (IPv6 literals without brackets) into
 *  @p host. IL_ERR_INVALID for another scheme, no host, user info ("user@host"), a host longer than @p host_size - 1,
 *  or any space or control character. */
IL_MUST_CHECK enum il_status il_remote_url_host(const char *url, int *https, char *host, size_t host_size);

/** The value of environment variable @p name, or NULL when unset or empty (as the SDKs treat empty). */
const char *il_remote_env(const char *name);

/** A provider whose only state is a copy of @p fetcher (NULL: real HTTP), for the ECS and IMDS providers:
 *  provider->impl is that struct il_remote_fetcher. @p vtable (static) must name il_remote_provider_destroy as its
 *  destroy. NULL when out of memory; free with il_credentials_provider_free(). */
struct il_credentials_provider *il_remote_provider_new(const struct il_credentials_provider_vtable *vtable,
                                                       const struct il_remote_fetcher *fetcher);
/** The destroy of a provider made by il_remote_provider_new(): frees the copied fetcher. */
void il_remote_provider_destroy(struct il_credentials_provider *provider);

/* ---- ECS container credentials (aws_credentials_ecs.c) ---- */

/** Whether plain http to @p host is allowed for AWS_CONTAINER_CREDENTIALS_FULL_URI: a loopback address (127.0.0.0/8,
 *  ::1, "localhost") or the ECS / EKS Pod Identity agents 169.254.170.2, 169.254.170.23, fd00:ec2::23. */
int il_ecs_host_allowed(const char *host);
/** The URL the environment points at, into @p url: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on http://169.254.170.2,
 *  wins) or AWS_CONTAINER_CREDENTIALS_FULL_URI. IL_ERR_NOTFOUND when neither is set; IL_ERR_CREDENTIALS for a URL that
 *  is malformed or uses http to a host il_ecs_host_allowed() refuses (reason in @p why). */
IL_MUST_CHECK enum il_status il_ecs_url(struct il_buf *url, struct il_buf *why);
/** The ECS provider using @p fetcher (copied; NULL: real HTTP). */
struct il_credentials_provider *il_credentials_provider_ecs_new_with(const struct il_remote_fetcher *fetcher);

/* ---- EC2 instance metadata, IMDSv2 (aws_credentials_imds.c) ---- */

/** Where and how to ask IMDS, resolved from the environment and the profile's config file. */
struct il_imds_settings {
    int disabled;              /* AWS_EC2_METADATA_DISABLED=true */
    char endpoint[512];        /* base URL without a trailing slash */
    const char *endpoint_from; /* static: "AWS_EC2_METADATA_SERVICE_ENDPOINT", "default (IPv4)", ... */
    long timeout_ms;           /* per request: AWS_METADATA_SERVICE_TIMEOUT seconds, default 1 */
    unsigned attempts;         /* AWS_METADATA_SERVICE_NUM_ATTEMPTS, default 1 */
};
/** Resolve the settings. IL_ERR_CREDENTIALS (reason in @p why) for a value the SDKs would reject: an endpoint mode
 *  other than IPv4/IPv6, an endpoint that is not an http(s) URL, a timeout or attempt count that is not a small
 *  positive integer, a malformed config file. */
IL_MUST_CHECK enum il_status il_imds_settings(struct il_imds_settings *out, struct il_buf *why);
/** The IMDS provider using @p fetcher (copied; NULL: real HTTP). */
struct il_credentials_provider *il_credentials_provider_imds_new_with(const struct il_remote_fetcher *fetcher);

#endif
