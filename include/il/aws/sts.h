/**
 * STS (query protocol: form POST, XML answers) at the regional endpoint: GetCallerIdentity, AssumeRole,
 * AssumeRoleWithWebIdentity. Temporary credentials go straight into a struct il_credentials (never logged, never
 * traced: STS bodies are excluded from --debug); the XML is scanned with bounded, DTD-refusing code.
 */
#ifndef IL_AWS_STS_H
#define IL_AWS_STS_H

#include <stdint.h>

#include "il/aws/client.h"
#include "il/aws/credentials.h"
#include "il/aws/error.h"
#include "il/status.h"

struct il_sts_identity {
    char *account;
    char *arn;
    char *user_id;
};
void il_sts_identity_release(struct il_sts_identity *identity);

/** GetCallerIdentity: who the client's credentials are. */
IL_MUST_CHECK enum il_status il_sts_get_caller_identity(struct il_aws_client *client, struct il_sts_identity *out,
                                                        struct il_aws_error *err);

struct il_sts_assume_role_params {
    const char *role_arn;           /* required */
    const char *session_name;       /* required (2..64 chars of [\w+=,.@-]) */
    const char *external_id;        /* optional */
    int duration_seconds;           /* 0: AWS's default (3600) */
    const char *web_identity_token; /* AssumeRoleWithWebIdentity only */
};

/** Result of an AssumeRole*: new credentials (caller frees with il_credentials_free) and the assumed role's ARN. */
struct il_sts_assumed {
    struct il_credentials *credentials;
    char *assumed_role_arn;
    int64_t expiration; /* Unix seconds */
};
void il_sts_assumed_release(struct il_sts_assumed *assumed);

/** AssumeRole, signed with the client's credentials. */
IL_MUST_CHECK enum il_status il_sts_assume_role(struct il_aws_client *client,
                                                const struct il_sts_assume_role_params *params,
                                                struct il_sts_assumed *out, struct il_aws_error *err);
/** AssumeRoleWithWebIdentity: sent unsigned (the token is the credential), so the client needs no credentials. */
IL_MUST_CHECK enum il_status il_sts_assume_role_with_web_identity(struct il_aws_client *client,
                                                                  const struct il_sts_assume_role_params *params,
                                                                  struct il_sts_assumed *out, struct il_aws_error *err);

/** Queued AssumeRole (see il_aws_complete_fn in client.h and the *_start contract in lambda.h); @p params is copied
 *  into the request now. IL_ERR_INVALID without a role ARN or session name (nothing queued). */
IL_MUST_CHECK enum il_status il_sts_assume_role_start(struct il_aws_client *client,
                                                      const struct il_sts_assume_role_params *params,
                                                      struct il_sts_assumed *out, il_aws_complete_fn done, void *ctx);

/** Parse an STS timestamp "2026-11-22T10:00:00Z" (fractional seconds allowed) into Unix seconds. */
IL_MUST_CHECK enum il_status il_sts_parse_time(const char *text, int64_t *out);

#endif
