/** Private to src/aws: the web identity exchange shared by the environment's web identity provider and profiles that
 *  set web_identity_token_file (aws_credentials_profile.c). */
#ifndef IL_AWS_CREDENTIALS_WEB_IDENTITY_H
#define IL_AWS_CREDENTIALS_WEB_IDENTITY_H

#include "aws/credentials/aws_credentials_sts.h"

/**
 * Read the token at @p token_file (again at every call: CI runners rotate it) and exchange it with STS
 * AssumeRoleWithWebIdentity (unsigned) for @p role_arn, session @p session_name (NULL: inspector-ledger-<unix time>),
 * STS reached as @p sts says. An unreadable or empty token file, an STS refusal: IL_ERR_CREDENTIALS with a reason that
 * never holds the token. *out: caller frees.
 */
IL_MUST_CHECK enum il_status il_web_identity_exchange(const char *token_file, const char *role_arn,
                                                      const char *session_name, const struct il_sts_settings_copy *sts,
                                                      struct il_credentials **out, struct il_buf *why);

#endif
