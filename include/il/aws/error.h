/**
 * AWS errors: parsing the JSON (rest-json / json 1.1) and XML (query) error shapes into one struct, naming the IAM
 * action an AccessDenied lacks, and turning a failed request into a diagnostic reference (struct il_aws_ref).
 *
 * A struct il_aws_error is caller-owned: il_aws_error_init() before use, il_aws_error_release() after. Its strings
 * are owned by it and hold only AWS's error code/message and request id — never headers, bodies or credentials.
 * AWS text is stored raw (bounded); writers escape it.
 */
#ifndef IL_AWS_ERROR_H
#define IL_AWS_ERROR_H

#include <stddef.h>

#include "il/aws/http.h"
#include "il/buf.h"
#include "il/diag.h"
#include "il/status.h"

#define IL_AWS_ERROR_MAX_CODE 128
#define IL_AWS_ERROR_MAX_MESSAGE 1024

struct il_aws_error {
    enum il_status status; /* IL_OK: no error. IL_ERR_AWS: AWS answered an error. IL_ERR_NETWORK: transport.
                              IL_ERR_PARSE: malformed body. IL_ERR_LIMIT: body too large / pagination loop.
                              IL_ERR_CREDENTIALS: no credentials to sign with. */
    const char *service;   /* static: "lambda" */
    const char *operation; /* static: "ListTags" */
    char *region;
    char *account;
    char *resource;  /* the ARN or name the call was about, or NULL */
    int http_status; /* 0 when no response */
    char *code;      /* "AccessDeniedException", or NULL */
    char *message;   /* AWS's message or our description of the failure */
    char *request_id;
    char *missing_action; /* "lambda:ListTags" for an access denial */
    unsigned attempts;    /* attempts made, retries included */
};

void il_aws_error_init(struct il_aws_error *err);
/** Free the strings; accepts NULL and zeroed input; leaves @p err re-initialised. */
void il_aws_error_release(struct il_aws_error *err);
/** Copy @p src into @p dst (dst released first). */
IL_MUST_CHECK enum il_status il_aws_error_copy(struct il_aws_error *dst, const struct il_aws_error *src);

/**
 * Fill code/message/request id from an error response (protocol JSON: x-amzn-ErrorType header with anything after
 * ':' dropped, body `__type` with the namespace before '#' dropped, `code`/`Code`; message from `message`/`Message`).
 * Never fails on bad input: a body that is not JSON leaves code NULL and the status code decides. Sets status =
 * IL_ERR_AWS and http_status.
 */
IL_MUST_CHECK enum il_status il_aws_error_parse_json(struct il_aws_error *err, const struct il_http_response *resp);
/** The same for the query protocol's XML: <ErrorResponse><Error><Code>/<Message></Error><RequestId>. */
IL_MUST_CHECK enum il_status il_aws_error_parse_xml(struct il_aws_error *err, const struct il_http_response *resp);

/** The IAM action of an operation: "lambda:ListTags", "tag:GetResources", "sts:AssumeRole"; NULL if unknown. */
const char *il_aws_iam_action(const char *service, const char *operation);
/** Whether @p code is an access-denied code (AccessDenied, AccessDeniedException, UnauthorizedOperation, ...). */
int il_aws_is_access_denied(const char *code);
/** Whether @p code says the credentials themselves are bad (UnrecognizedClientException, InvalidSignatureException,
 *  SignatureDoesNotMatch, InvalidClientTokenId, ExpiredToken...). */
int il_aws_is_bad_credentials(const char *code);

/** One line for a person: "lambda ListTags in us-east-1: AccessDeniedException (HTTP 403, request id ...): ...". */
IL_MUST_CHECK enum il_status il_aws_error_describe(const struct il_aws_error *err, struct il_buf *out);
/** Point @p ref's fields at @p err's strings (borrowed: valid while @p err is). */
void il_aws_error_ref(const struct il_aws_error *err, struct il_aws_ref *ref);

#endif
