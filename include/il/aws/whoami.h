/**
 * whoami: who the credential chain's credentials are (STS GetCallerIdentity) and which source of the chain supplied
 * them. The chain is asked once and the call is signed with exactly those credentials, so the answer names the source
 * that was really used. Nothing here prints; no secret is copied out (only the source's name and
 * il_credentials_describe()'s redacted text).
 */
#ifndef IL_AWS_WHOAMI_H
#define IL_AWS_WHOAMI_H

#include "il/aws/client.h"
#include "il/aws/credentials.h"
#include "il/aws/settings.h"
#include "il/aws/sts.h"
#include "il/buf.h"
#include "il/status.h"

/** Where the STS call goes. Caller-owned; everything borrowed for the call. */
struct il_aws_whoami_opts {
    const char *region;                     /* required */
    const char *endpoint_url;               /* NULL: the regional endpoint */
    const struct il_aws_settings *settings; /* the run's shared-config settings */
    il_aws_debug_fn debug_fn;               /* NULL: no trace */
    void *debug_ctx;
};

/** Which step failed. */
enum il_aws_whoami_step {
    IL_AWS_WHOAMI_DONE = 0,
    IL_AWS_WHOAMI_CREDENTIALS, /* the chain found no usable credentials (why says so) */
    IL_AWS_WHOAMI_CLIENT,      /* the client could not be set up (why says so) */
    IL_AWS_WHOAMI_CALL,        /* GetCallerIdentity failed (why: the AWS error, unescaped; source is set) */
    IL_AWS_WHOAMI_DESCRIBE,    /* the credentials could not be described (out of memory) */
};

/** The answer. Zero-initialise; il_aws_whoami_release() frees it. */
struct il_aws_whoami {
    struct il_sts_identity identity;
    char *source;      /* the credential source's name (NULL when the credentials name none) */
    char *description; /* il_credentials_describe(): the source and the key id's last four characters */
    int temporary;     /* the credentials carry a session token */
};

/**
 * Ask @p chain (taken: freed before returning, on every path) for credentials, then STS GetCallerIdentity with them.
 * Returns IL_OK with *out filled, or the failure's status with *step naming the step and a reason appended to @p why.
 */
IL_MUST_CHECK enum il_status il_aws_whoami_take(struct il_credentials_provider *chain,
                                                const struct il_aws_whoami_opts *opts, struct il_aws_whoami *out,
                                                enum il_aws_whoami_step *step, struct il_buf *why);
void il_aws_whoami_release(struct il_aws_whoami *w);

#endif
