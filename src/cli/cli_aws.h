/*
 * The scope and AWS options `check` and `report --live` share, and the collection run both use: one parser, one
 * plan -> client -> collect sequence, so the two commands can never drift apart in what they ask AWS or in how they
 * fail closed. Decisions (scope, home region, the collection itself) live in the library (il/collect.h); this file
 * only turns argv into options, sets up the client and prints what stopped the run.
 */
#ifndef IL_CLI_AWS_H
#define IL_CLI_AWS_H

#include <getopt.h>
#include <time.h>

#include "cli/cli.h"
#include "il/aws/client.h"
#include "il/aws/credentials.h"
#include "il/aws/whoami.h"
#include "il/drift/collect.h"
#include "il/drift/inventory.h"
#include "il/drift/organization.h"
#include "il/drift/scan_coverage.h"
#include "il/ledger.h"

/* getopt_long values of the shared options (clear of every command's own values and of characters). */
enum {
    IL_CLI_O_REGION = 1000,
    IL_CLI_O_ALL_REGIONS,
    IL_CLI_O_ACCOUNT,
    IL_CLI_O_ROLE_NAME,
    IL_CLI_O_ROLE_TEMPLATE,
    IL_CLI_O_EXTERNAL_ID,
    IL_CLI_O_TAGS_SOURCE,
    IL_CLI_O_ENDPOINT,
    IL_CLI_O_MAX_ATTEMPTS,
    IL_CLI_O_RATE_LIMIT,
    IL_CLI_O_PROFILE,
    IL_CLI_O_HUB_ROLE,
    IL_CLI_O_SESSION_NAME,
    IL_CLI_O_DEBUG,
    IL_CLI_O_ONLY_ACCOUNT,
    IL_CLI_O_ONLY_REGION,
    IL_CLI_O_MAX_PAGES,
    IL_CLI_O_TIMEOUT,
    IL_CLI_O_COVERAGE,
    IL_CLI_O_ORGANIZATION,
    IL_CLI_O_ALL_ACCOUNTS,
    IL_CLI_O_NOT_SCANNED_SEVERITY,
    IL_CLI_O_IMPLICIT_SEVERITY,
    IL_CLI_O_LAST = IL_CLI_O_IMPLICIT_SEVERITY,
};

/* The shared entries of a command's getopt_long table. */
/* clang-format off */
#define IL_CLI_AWS_LONGOPTS                                                                                            \
    {"region", required_argument, NULL, IL_CLI_O_REGION},                                                              \
    {"all-regions", no_argument, NULL, IL_CLI_O_ALL_REGIONS},                                                          \
    {"account", required_argument, NULL, IL_CLI_O_ACCOUNT},                                                            \
    {"role-name", required_argument, NULL, IL_CLI_O_ROLE_NAME},                                                        \
    {"role-arn-template", required_argument, NULL, IL_CLI_O_ROLE_TEMPLATE},                                            \
    {"external-id", required_argument, NULL, IL_CLI_O_EXTERNAL_ID},                                                    \
    {"tags-source", required_argument, NULL, IL_CLI_O_TAGS_SOURCE},                                                    \
    {"endpoint-url", required_argument, NULL, IL_CLI_O_ENDPOINT},                                                      \
    {"max-attempts", required_argument, NULL, IL_CLI_O_MAX_ATTEMPTS},                                                  \
    {"rate-limit", required_argument, NULL, IL_CLI_O_RATE_LIMIT},                                                      \
    {"profile", required_argument, NULL, IL_CLI_O_PROFILE},                                                            \
    {"role-arn", required_argument, NULL, IL_CLI_O_HUB_ROLE},                                                          \
    {"role-session-name", required_argument, NULL, IL_CLI_O_SESSION_NAME},                                             \
    {"debug", no_argument, NULL, IL_CLI_O_DEBUG},                                                                      \
    {"only-account", required_argument, NULL, IL_CLI_O_ONLY_ACCOUNT},                                                  \
    {"only-region", required_argument, NULL, IL_CLI_O_ONLY_REGION},                                                    \
    {"max-pages", required_argument, NULL, IL_CLI_O_MAX_PAGES},                                                        \
    {"timeout", required_argument, NULL, IL_CLI_O_TIMEOUT},                                                            \
    {"coverage", no_argument, NULL, IL_CLI_O_COVERAGE},                                                                \
    {"organization", no_argument, NULL, IL_CLI_O_ORGANIZATION},                                                        \
    {"all-accounts", no_argument, NULL, IL_CLI_O_ALL_ACCOUNTS},                                                        \
    {"not-scanned-severity", required_argument, NULL, IL_CLI_O_NOT_SCANNED_SEVERITY},                                  \
    {"implicit-severity", required_argument, NULL, IL_CLI_O_IMPLICIT_SEVERITY}
/* clang-format on */

/* Help text of the shared options, for a command's --help (apply takes all but --tags-source). */
#define IL_CLI_AWS_HELP_SCOPE IL_CLI_AWS_HELP_SCOPE_APPLY IL_CLI_AWS_HELP_TAGS_SOURCE
#define IL_CLI_AWS_HELP_SCOPE_APPLY                                                                                    \
    "  --region REGION        check REGION (repeatable; default: AWS_REGION / AWS_DEFAULT_REGION); every\n"            \
    "                         region named in the ledger's ARNs is always checked too\n"                               \
    "  --all-regions          check every region of the partition (opt-in regions the account has not\n"               \
    "                         enabled are skipped with a notice)\n"                                                    \
    "  --role-name NAME       assume arn:PARTITION:iam::ACCOUNT:role/NAME in every account of the ledger\n"            \
    "  --role-arn-template T  the same with a full ARN, e.g. 'arn:aws:iam::{account}:role/LedgerAudit'\n"              \
    "  --account ID           also check account ID through the role (repeatable)\n"                                   \
    "  --external-id ID       ExternalId for every AssumeRole of the run (--role-arn and the per-account\n"            \
    "                         roles)\n"                                                                                \
    "  --only-account ID      declare a partial run: only account ID (repeatable); entries elsewhere are\n"            \
    "                         counted outside the declared scope instead of failing the run (exit 3)\n"                \
    "  --only-region REGION   declare a partial run: only REGION (repeatable), as --only-account\n"
#define IL_CLI_AWS_HELP_TAGS_SOURCE                                                                                    \
    "  --tags-source SOURCE   tagging (default: Resource Groups Tagging API, a few calls per region),\n"               \
    "                         lambda (ListFunctions + ListTags per function: authoritative, 1 + N calls) or\n"         \
    "                         inspector (from the Inspector delegated administrator: every member's functions,\n"      \
    "                         tags and scan status from ListCoverage, no role per account)\n"

/* Help text of the Inspector and organization options (a literal of its own: C99's 4095-byte bound on one). */
#define IL_CLI_AWS_HELP_INSPECTOR                                                                                      \
    "  --organization, --all-accounts\n"                                                                               \
    "                         every ACTIVE account of the organization (Organizations ListAccounts), through\n"        \
    "                         --role-name or --tags-source inspector; suspended accounts are notices\n"                \
    "  --coverage             also ask Inspector (BatchGetAccountStatus, ListCoverage): scanning disabled,\n"          \
    "                         exclusions Inspector sees that the ledger lacks, entries still scanned, functions\n"     \
    "                         not scanned for another reason\n"                                                        \
    "  --not-scanned-severity LEVEL\n"                                                                                 \
    "                         severity of inspector-not-scanned: error, warning (default) or notice\n"                 \
    "  --implicit-severity LEVEL\n"                                                                                    \
    "                         severity of unrecorded-implicit-exclusion (the full inventory: a CMK or a\n"             \
    "                         deprecated runtime not recorded with reason.implicit): default warning\n"

#define IL_CLI_AWS_HELP_AWS                                                                                            \
    "  --profile NAME         use this AWS profile (sets AWS_PROFILE; environment keys are then ignored)\n"            \
    "  --role-arn ARN         assume this IAM role on top of the credentials the chain finds; the\n"                   \
    "                         per-account roles (--role-name, --role-arn-template) are assumed from it\n"              \
    "  --role-session-name N  session name for --role-arn (default inspector-ledger-<unix time>)\n"                    \
    "  --endpoint-url URL     send every AWS request to URL (a test double, a VPC endpoint)\n"                         \
    "  --max-attempts N       attempts per request incl. retries, 1-20 (default AWS_MAX_ATTEMPTS or 3)\n"              \
    "  --rate-limit N         Lambda requests per second per account and region (default 15)\n" IL_CLI_AWS_HELP_BOUNDS \
    "  --debug                trace every AWS request to standard error (credentials redacted)\n"

/* --max-pages and --timeout, shared with apply. */
#define IL_CLI_AWS_HELP_BOUNDS                                                                                         \
    "  --max-pages N          stop a listing after N pages, not verified (default 10000)\n"                            \
    "  --timeout SECONDS      stop the whole run after SECONDS, not verified (default 3600; 0: none)\n"

/** Parsed shared options. Caller-owned: il_cli_aws_init() / il_cli_aws_release(). Strings point into argv. */
struct il_cli_aws {
    const char **regions;       /* owned array of argv pointers */
    const char **accounts;      /* owned array of argv pointers */
    const char **only_accounts; /* owned array of argv pointers (--only-account) */
    const char **only_regions;  /* owned array of argv pointers (--only-region) */
    struct il_collect_opts collect;
    const char *endpoint_url;
    const char *profile;
    const char *role_arn;          /* --role-arn: a (hub) role assumed on top of the chain's credentials */
    const char *role_session_name; /* --role-session-name for --role-arn */
    const char *external_id;       /* --external-id: for --role-arn and the per-account roles */
    unsigned max_attempts;         /* 0: AWS_MAX_ATTEMPTS or 3 */
    double rate_limit;             /* 0: the client's default */
    unsigned max_pages;            /* 0: IL_AWS_DEFAULT_MAX_PAGES */
    long timeout_ms;               /* --timeout; -1: not given (IL_AWS_DEFAULT_RUN_TIMEOUT_S), 0: none */
    int debug;
    int organization;             /* --organization / --all-accounts */
    enum il_severity not_scanned; /* --not-scanned-severity (default warning) */
    enum il_severity implicit;    /* --implicit-severity (default warning) */
    const char *first_given;      /* the first shared option seen (report: they need --live), NULL when none */
};

/** Room for @p argc option values. IL_ERR_NOMEM. */
IL_MUST_CHECK enum il_status il_cli_aws_init(struct il_cli_aws *a, int argc);
void il_cli_aws_release(struct il_cli_aws *a);

/**
 * Take getopt_long's @p c / @p arg when it is a shared option: 0 taken, -1 not a shared option, IL_EXIT_USAGE after
 * printing "@p prog: invalid ..." and a --help hint.
 */
int il_cli_aws_parse_opt(struct il_cli_aws *a, int c, const char *arg, const char *prog);

/** One collection run: its plan, client and inventory. Zero-initialise; il_cli_collect_release() frees it. */
struct il_cli_collect {
    const char *prog;
    char *home_region;
    struct il_collect_plan plan;
    struct il_credentials_provider *provider;
    struct il_aws_client *client;
    struct il_inventory *inv;
    struct il_collect_identity identity;
    struct il_scan_cov *scan_cov; /* with --coverage or --tags-source inspector, else NULL */
    struct il_collect_org org;    /* with --organization */
    struct timespec progress_last;
    int progress_shown;
};

/**
 * Decide the home region and the scope, set up the client, and collect the inventory of @p ledger's scope (a progress
 * line on stderr when it is a terminal, unless @p quiet or --debug). Returns -1 when c->inv holds the collection —
 * scopes that failed are recorded in it, never fatal here — or the exit code (IL_EXIT_USAGE) after printing why,
 * prefixed with @p prog.
 */
int il_cli_collect_run(struct il_cli_collect *c, const char *prog, struct il_cli_aws *a, const struct il_ledger *ledger,
                       int quiet);
void il_cli_collect_release(struct il_cli_collect *c);

struct il_coverage_opts;
/** What @p c's run could reach, for the coverage (drift.h): the declared scope, partition, caller, roles. Borrows
 *  from @p c and @p a. */
void il_cli_collect_coverage(const struct il_cli_collect *c, const struct il_cli_aws *a, struct il_coverage_opts *out);

/* ---- set-up for the commands with their own option tables (apply, whoami): cli_aws_creds.c ---- */

/** A credentials provider and the client over it. Zero-initialise; il_cli_client_release() frees both. */
struct il_cli_client {
    struct il_credentials_provider *provider;
    struct il_aws_client *client;
};

/** What il_cli_client_new() builds from. Caller-owned, borrowed; creds.region is the client's region. */
struct il_cli_client_opts {
    struct il_cli_creds creds;
    const struct il_aws_settings *settings; /* il_cli_settings() */
    unsigned max_attempts;                  /* 0: the settings' */
    double rate_limit;                      /* 0: the client's default */
    unsigned max_pages;                     /* 0: IL_AWS_DEFAULT_MAX_PAGES */
    long timeout_ms;                        /* -1: IL_AWS_DEFAULT_RUN_TIMEOUT_S; 0: none */
};

/** The provider (il_cli_credentials_new()) and the client. On failure *client_failed says whether the client (1) or
 *  the credentials provider (0) could not be set up, and a reason is appended to @p why; @p out holds what was made
 *  (release it either way). */
IL_MUST_CHECK enum il_status il_cli_client_new(const struct il_cli_client_opts *o, struct il_cli_client *out,
                                               int *client_failed, struct il_buf *why);
void il_cli_client_release(struct il_cli_client *c);

/** The run's region: @p given (--region), else the environment and the profile's (il_aws_region_resolve()). *out:
 *  caller frees. IL_ERR_NOTFOUND when none is configured; IL_ERR_INVALID with a reason in @p why. */
IL_MUST_CHECK enum il_status il_cli_region(const char *given, const struct il_aws_settings *settings, char **out,
                                           struct il_buf *why);

/** The AWS option values apply takes with its own messages: 1 and *out set when @p arg is valid, else 0. */
int il_cli_parse_max_attempts(const char *arg, unsigned *out);
int il_cli_parse_rate_limit(const char *arg, double *out);
int il_cli_parse_max_pages(const char *arg, unsigned *out);
int il_cli_parse_timeout(const char *arg, long *out_ms);

/** whoami: the provider from @p creds (creds->region is STS's region), then il_aws_whoami_take(). *out: release with
 *  il_cli_whoami_release(). On failure *step names the step (IL_AWS_WHOAMI_DONE: the options were refused, as
 *  il_cli_credentials_new()) and a reason is in @p why. */
IL_MUST_CHECK enum il_status il_cli_whoami_identify(const struct il_cli_creds *creds,
                                                    const struct il_aws_settings *settings, struct il_aws_whoami *out,
                                                    enum il_aws_whoami_step *step, struct il_buf *why);
void il_cli_whoami_release(struct il_aws_whoami *w);

#endif
