/** The command-line layer: argument parsing, calling the library, rendering, exit codes. No decisions live here. */
#ifndef IL_CLI_H
#define IL_CLI_H

#include "cli/cli_msgs.h"
#include "il/aws/assume_role.h"
#include "il/aws/credentials.h"
#include "il/aws/settings.h"
#include "il/buf.h"
#include "il/status.h"

/* Exit codes shared by every subcommand (documented in README.md). */
enum il_exit {
    IL_EXIT_PASS = 0,       /* nothing at or above --fail-on */
    IL_EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
    IL_EXIT_USAGE = 2,      /* bad usage, unreadable input, or an internal failure */
    IL_EXIT_UNVERIFIED = 3, /* something in scope could not be verified (AWS calls failed): fail closed */
};

/* Each subcommand: argv[0] is the subcommand name. Returns an enum il_exit value. */
int il_cli_validate(int argc, char **argv);
int il_cli_check(int argc, char **argv);
int il_cli_report(int argc, char **argv);
int il_cli_apply(int argc, char **argv);
int il_cli_whoami(int argc, char **argv);
int il_cli_iam_policy(int argc, char **argv);

/* ---- credentials, shared by every command that talks to AWS (cli_creds.c) ---- */

/** The credential options every AWS command takes. Borrowed (argv). */
struct il_cli_creds {
    const char *profile;           /* --profile: sets AWS_PROFILE and, as in the AWS CLI, skips the environment keys */
    const char *endpoint_url;      /* --endpoint-url: also where the providers' STS calls go */
    const char *region;            /* the run's region, for the providers' STS calls; NULL: AWS_REGION, ... */
    const char *role_arn;          /* --role-arn: assume this role on top of what the chain found */
    const char *external_id;       /* --external-id for --role-arn */
    const char *role_session_name; /* --role-session-name for --role-arn (default inspector-ledger-<unix time>) */
    il_aws_debug_fn debug_fn;      /* --debug: traces the providers' STS calls too; NULL: none */
    void *debug_ctx;
};

/* The run's shared-config settings (il/aws/settings.h), loaded on the first call with --profile @p profile and
 * --max-attempts @p max_attempts (0: not given) and traced to @p debug_fn; later calls return the same object, which
 * lives until exit (borrowed). Refusals as il_aws_settings_load() (the caller exits 2). */
IL_MUST_CHECK enum il_status il_cli_settings(const char *profile, unsigned max_attempts, il_aws_debug_fn debug_fn,
                                             void *debug_ctx, const struct il_aws_settings **out, struct il_buf *why);

/* Help lines for the options above (each command prints them in its own AWS section). */
#define IL_CLI_AWS_ROLE_USAGE                                                                                          \
    "  --role-arn ARN         assume this IAM role on top of the credentials the chain finds\n"                        \
    "  --external-id ID       ExternalId for AssumeRole (--role-arn)\n"                                                \
    "  --role-session-name N  session name for --role-arn (default inspector-ledger-<unix time>)\n"

/**
 * The credentials provider for a run: --profile (exported as AWS_PROFILE), the default chain (env skipped when
 * --profile is given), and with --role-arn an assume-role provider over it whose credentials are named
 * "assume-role (source: <what the chain found>)". *out: caller frees. On failure a reason is appended to @p why:
 * IL_ERR_INVALID (a bad --role-arn / --role-session-name), IL_ERR_NOMEM, IL_ERR_IO (cannot set AWS_PROFILE).
 */
IL_MUST_CHECK enum il_status il_cli_credentials_new(const struct il_cli_creds *opts,
                                                    struct il_credentials_provider **out, struct il_buf *why);

#endif
