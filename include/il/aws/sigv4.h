/**
 * AWS Signature Version 4 with OpenSSL libcrypto.
 *
 * The caller describes the request; il_sigv4_sign() computes the headers to add. Nothing here logs anything.
 */
#ifndef IL_AWS_SIGV4_H
#define IL_AWS_SIGV4_H

#include <stddef.h>
#include <stdint.h>

#include "il/aws/credentials.h"
#include "il/buf.h"
#include "il/status.h"

struct il_http_header {
    const char *name;
    const char *value;
};

struct il_sigv4_request {
    const char *method; /* "GET", "POST" */
    const char *path;   /* as sent on the wire, already percent-encoded, e.g. "/2015-03-31/functions/" */
    const char *query;  /* raw query string without '?', as sent; may be NULL */
    const struct il_http_header *headers; /* must include Host; names any case */
    size_t header_count;
    const void *body;
    size_t body_len;
};

struct il_sigv4_params {
    const char *region;
    const char *service;    /* signing name: "lambda", "tagging", "sts", "inspector2" */
    int64_t time;           /* Unix seconds of X-Amz-Date */
    int add_content_sha256; /* also emit x-amz-content-sha256 */
    int normalize_path;     /* 1 for all services but S3 */
    /* Addition: 1 adds X-Amz-Security-Token after signing, unsigned (S3's style, the suite's post-sts-header-after);
     * 0, the default, signs it, as the SDKs do for every service but S3. */
    int unsigned_security_token;
};

/**
 * Headers the signer adds; strings owned by the struct. The HTTP layer sends, besides the request's own headers
 * exactly as passed to il_sigv4_sign() (same names, same values, Host included):
 *   X-Amz-Date: amz_date
 *   X-Amz-Security-Token: security_token          (when non-NULL)
 *   x-amz-content-sha256: content_sha256          (when params->add_content_sha256)
 *   Authorization: authorization
 * The signer ignores request headers named Authorization, X-Amz-Date, and X-Amz-Security-Token (when the credentials
 * carry a token) or x-amz-content-sha256 (when it adds one), because it supplies them; the HTTP layer must not send
 * the request's copies. Like botocore it leaves User-Agent, Expect, Transfer-Encoding and X-Amzn-Trace-Id unsigned,
 * since proxies and HTTP stacks rewrite them.
 */
struct il_sigv4_result {
    char *authorization;
    char *amz_date;       /* X-Amz-Date */
    char *security_token; /* X-Amz-Security-Token or NULL */
    char *content_sha256; /* hex payload hash (always computed) */
};

/** Sign. On success @p result holds new strings; release with il_sigv4_result_release() (which wipes them). On
 *  failure @p result is left empty. Errors as il_sigv4_canonical_request_with(). Nothing is logged. */
IL_MUST_CHECK enum il_status il_sigv4_sign(const struct il_sigv4_request *request, const struct il_sigv4_params *params,
                                           const struct il_credentials *creds, struct il_sigv4_result *result);
void il_sigv4_result_release(struct il_sigv4_result *result);

/** Stages, exposed for the conformance tests (each appends to @p out). */
IL_MUST_CHECK enum il_status il_sigv4_canonical_request(const struct il_sigv4_request *request,
                                                        const struct il_sigv4_params *params, struct il_buf *out,
                                                        struct il_buf *signed_headers);
IL_MUST_CHECK enum il_status il_sigv4_string_to_sign(const char *canonical_request,
                                                     const struct il_sigv4_params *params, struct il_buf *out);

/*
 * Additions: the stages exactly as il_sigv4_sign() runs them, so the conformance tests check the real path.
 * il_sigv4_canonical_request() above is this with @p creds NULL (no session token).
 */

/** The canonical request il_sigv4_sign() signs with @p creds (NULL: none), including the X-Amz-Security-Token header
 *  when the credentials have a token. The output holds the session token: tests and the il_sign tool only, never a
 *  log. Errors: IL_ERR_INVALID (no Host header, a bad header name, a path not starting with '/', a bad region,
 *  service, method or time), IL_ERR_LIMIT, IL_ERR_NOMEM, IL_ERR_CRYPTO. */
IL_MUST_CHECK enum il_status il_sigv4_canonical_request_with(const struct il_sigv4_request *request,
                                                             const struct il_sigv4_params *params,
                                                             const struct il_credentials *creds, struct il_buf *out,
                                                             struct il_buf *signed_headers);
/** The signature (64 lower-case hex characters and a NUL in @p out) of @p string_to_sign, deriving the signing key
 *  for the date, region and service (cached on @p creds). */
IL_MUST_CHECK enum il_status il_sigv4_signature(const char *string_to_sign, const struct il_sigv4_params *params,
                                                const struct il_credentials *creds, char out[65]);
/** 1 when a header named @p name (any case) carries a secret and must be redacted in any trace: Authorization,
 *  X-Amz-Security-Token, X-aws-ec2-metadata-token (IMDSv2), Proxy-Authorization, Cookie, Set-Cookie. Else 0. */
int il_sigv4_header_is_sensitive(const char *name);
/** X-Amz-Date for @p time ("20150830T123600Z" and a NUL). IL_ERR_INVALID before 1970 or after 9999. */
IL_MUST_CHECK enum il_status il_sigv4_amz_date(int64_t time, char out[17]);

#endif
