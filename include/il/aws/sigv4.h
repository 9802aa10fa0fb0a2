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
    const char *method;       /* "GET", "POST" */
    const char *path;         /* as sent on the wire, already percent-encoded, e.g. "/2015-03-31/functions/" */
    const char *query;        /* raw query string without '?', as sent; may be NULL */
    const struct il_http_header *headers; /* must include Host; names any case */
    size_t header_count;
    const void *body;
    size_t body_len;
};

struct il_sigv4_params {
    const char *region;
    const char *service;         /* signing name: "lambda", "tagging", "sts", "inspector2" */
    int64_t time;                /* Unix seconds of X-Amz-Date */
    int add_content_sha256;      /* also emit x-amz-content-sha256 */
    int normalize_path;          /* 1 for all services but S3 */
};

/** Headers the signer adds; strings owned by the struct. */
struct il_sigv4_result {
    char *authorization;
    char *amz_date;          /* X-Amz-Date */
    char *security_token;    /* X-Amz-Security-Token or NULL */
    char *content_sha256;    /* hex payload hash (always computed) */
};

/** Sign. On success @p result holds new strings; release with il_sigv4_result_release(). */
IL_MUST_CHECK enum il_status il_sigv4_sign(const struct il_sigv4_request *request,
                                           const struct il_sigv4_params *params,
                                           const struct il_credentials *creds, struct il_sigv4_result *result);
void il_sigv4_result_release(struct il_sigv4_result *result);

/** Stages, exposed for the conformance tests (each appends to @p out). */
IL_MUST_CHECK enum il_status il_sigv4_canonical_request(const struct il_sigv4_request *request,
                                                        const struct il_sigv4_params *params, struct il_buf *out,
                                                        struct il_buf *signed_headers);
IL_MUST_CHECK enum il_status il_sigv4_string_to_sign(const char *canonical_request,
                                                     const struct il_sigv4_params *params, struct il_buf *out);

#endif
