/**
 * The HTTP transport under the AWS client: an asynchronous start/poll interface, so the client can keep many requests
 * in flight. The real one (il_http_curl_new, src/aws/aws_http.c) is the only code that calls libcurl; unit tests
 * plug in a scripted table instead (tests/unit/scripted_transport.h).
 *
 * Also here: the redaction rules every debug trace uses.
 */
#ifndef IL_AWS_HTTP_H
#define IL_AWS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "il/aws/sigv4.h" /* struct il_http_header */
#include "il/buf.h"
#include "il/status.h"

/** What went wrong below HTTP (the retry policy classifies these). */
enum il_http_failure {
    IL_HTTP_OK = 0,    /* a complete HTTP response arrived (any status) */
    IL_HTTP_CONNECT,   /* could not connect / resolve */
    IL_HTTP_TIMEOUT,   /* connect or request timeout */
    IL_HTTP_RESET,     /* connection reset / send or receive error / empty reply */
    IL_HTTP_TRUNCATED, /* body shorter than Content-Length */
    IL_HTTP_TOO_LARGE, /* body over the response size cap (not retried) */
    IL_HTTP_TLS,       /* certificate or TLS failure (not retried) */
    IL_HTTP_OTHER,     /* anything else (not retried) */
};

/** "connect", "timeout", ... static. */
const char *il_http_failure_str(enum il_http_failure failure);

/** One request. Everything is borrowed for the duration of start(); the transport copies what it keeps. */
struct il_http_request {
    const char *method;
    const char *url;                      /* absolute; path and query already percent-encoded */
    const struct il_http_header *headers; /* sent as given (Host included, so it matches what was signed) */
    size_t header_count;
    const void *body;
    size_t body_len;
    long connect_timeout_ms;
    long timeout_ms;           /* whole attempt */
    size_t max_response_bytes; /* body cap; over it the attempt fails with IL_HTTP_TOO_LARGE */
};

/** One attempt's outcome. Owned by whoever the transport hands it to; release with il_http_response_release(). */
struct il_http_response {
    enum il_http_failure failure;
    int status;            /* HTTP status; 0 when no response */
    char error[200];       /* transport error text when failure != IL_HTTP_OK (secret-free) */
    struct il_buf headers; /* response header lines "Name: value\n" (bounded) */
    struct il_buf body;
    uint64_t elapsed_ms;
};

void il_http_response_init(struct il_http_response *resp, size_t max_body);
void il_http_response_release(struct il_http_response *resp);
/** Value of response header @p name (case-insensitive), copied into @p out (truncated to @p out_size - 1);
 *  returns 1 when present. */
int il_http_response_header(const struct il_http_response *resp, const char *name, char *out, size_t out_size);

/** Called by poll() for each finished attempt; @p resp is handed over (the callee releases it). */
typedef void (*il_http_done_fn)(void *ctx, void *token, struct il_http_response *resp);

struct il_http_transport;
struct il_http_transport_vtable {
    const char *name;
    /** Begin an attempt; @p token comes back with the response. */
    enum il_status (*start)(struct il_http_transport *transport, const struct il_http_request *request, void *token);
    /** Wait at most @p timeout_ms for progress and report finished attempts through @p done. With nothing in flight
     *  it sleeps @p timeout_ms (so the client can wait for backoff and rate-limit tokens in one place). */
    enum il_status (*poll)(struct il_http_transport *transport, long timeout_ms, il_http_done_fn done, void *ctx);
    void (*destroy)(struct il_http_transport *transport);
};
struct il_http_transport {
    const struct il_http_transport_vtable *vtable;
    void *impl;
};

struct il_http_options {
    unsigned max_connections; /* concurrency limit (0: 16) */
    const char *ca_bundle;    /* AWS_CA_BUNDLE; NULL: system store. Verification is never turned off. */
};

/** The libcurl transport (multi interface, shared connection cache, reused handles). Free with
 *  il_http_transport_free(). libcurl is loaded the first time this is called (src/aws/aws_curl_lib.h):
 *  IL_ERR_NETWORK when it cannot be loaded or initialised, and @p why (optional) says so, e.g. "cannot load libcurl
 *  (libcurl.so.4): ...; install the Debian package libcurl4". */
IL_MUST_CHECK enum il_status il_http_curl_new(const struct il_http_options *options, struct il_http_transport **out,
                                              struct il_buf *why);
/** Destroy a transport; accepts NULL. */
void il_http_transport_free(struct il_http_transport *transport);

/**
 * One request, synchronously, outside the AWS client — for the credential endpoints (EC2 IMDSv2, ECS container
 * credentials) that are neither signed nor retried the SDK way. Uses a transport of its own for the call. @p out is
 * initialised here and must be released with il_http_response_release() whatever the result. IL_OK: the exchange
 * ended — either a response arrived (out->status) or the transport failed (out->failure, out->error); other
 * statuses: the request could not be started (IL_ERR_NETWORK when libcurl cannot be loaded: out->error says why).
 * TLS is verified as everywhere (options->ca_bundle).
 */
IL_MUST_CHECK enum il_status il_http_fetch(const struct il_http_options *options, const struct il_http_request *request,
                                           struct il_http_response *out);

/** Whether a header's value must never appear in a trace (Authorization, X-Amz-Security-Token, cookies, any
 *  *-token / *-secret / *credential* header). */
int il_http_header_is_secret(const char *name);
/** Append @p url to @p out with the values of credential-bearing query parameters (X-Amz-Signature,
 *  X-Amz-Credential, X-Amz-Security-Token, anything named like a token/secret) replaced by REDACTED. */
IL_MUST_CHECK enum il_status il_http_redact_url(const char *url, struct il_buf *out);
/** Append @p text (from AWS: an error message or code, a header value, a body; NULL is "") to @p out with every
 *  occurrence of the strings in @p secrets (NULL-terminated, borrowed; NULL or shorter than 4 skipped: the current
 *  secret key, session token, access key id) and the value after any x-amz-security-token, Authorization,
 *  Signature, X-Amz-Signature, X-Amz-Credential or Credential ':'/'=' replaced by REDACTED. */
IL_MUST_CHECK enum il_status il_aws_scrub(const char *text, const char *const *secrets, struct il_buf *out);
/** il_aws_scrub() of the heap string *@p text (may be NULL), replaced by its scrubbed copy. On failure *@p text is
 *  freed and set to NULL (never left unscrubbed) and the status returned. */
IL_MUST_CHECK enum il_status il_aws_scrub_inplace(char **text, const char *const *secrets);

#endif
