/*
 * inspector-ledger check: options. The run itself (ledger, AWS, drift rules, output) is in cli_check_run.c; every
 * decision lives in the library (src/audit/).
 *
 * Exit codes: 0 pass; 1 findings at or above --fail-on; 2 usage error or unreadable input; 3 something in scope was
 * not verified (an AWS call failed after retries) — 3 wins over 1, so a gate can never pass on what it did not see.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "il/aws/client.h"
#include "il/date.h"

/* Upper bound for day counts: a century is already absurd for an exclusion, and it keeps arithmetic far from overflow.
 */
#define S_MAX_DAY_COUNT 36500ULL

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: inspector-ledger check [options] [LEDGER]\n"
            "\n"
            "Compares the exclusion ledger with the live Lambda tags in every account and region in scope: a tag\n"
            "without an entry, an expired exclusion still applied, an entry whose tag is missing, an entry for a\n"
            "function that does not exist. Runs every validate rule first. Anything that could not be verified\n"
            "fails the run (exit 3). LEDGER defaults to " IL_LEDGER_DEFAULT_PATH ".\n"
            "\n"
            "scope:\n" IL_CLI_AWS_HELP_SCOPE "\n"
            "what to read:\n"
            "  --full                 the whole inventory (ListFunctions): adds scan-blind-cmk, deprecated-runtime\n"
            "                         and malformed-exclusion-tag over every function (the weekly audit)\n"
            "  --runtimes FILE        runtime deprecation table to use instead of the built-in one\n"
            "\n"
            "output:\n"
            "  --format FORMAT        text (default), json, github, sarif, junit or markdown\n"
            "  --output FILE          write the result to FILE instead of standard output\n"
            "  --fail-on LEVEL        error (default), warning or never\n"
            "  -q, --quiet            print nothing; only the exit code tells\n"
            "  -v, --verbose          text: show notices and each finding's source line\n"
            "\n"
            "rules (as validate):\n"
            "  --as-of YYYY-MM-DD     evaluate expiry on this day instead of today (UTC)\n"
            "  --warn-days N          warn about exclusions expiring within N days (default 14)\n"
            "  --max-days N           error when expires_at - applied_at exceeds N days\n"
            "  --require-distinct-approver\n"
            "                         error when approved_by and applied_by are the same person\n"
            "  --schema FILE          validate the ledger against FILE instead of the built-in schema\n"
            "\n"
            "AWS:\n" IL_CLI_AWS_HELP_AWS "  -h, --help             show this help\n"
            "\n"
            "exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or input error,\n"
            "3 something in scope was not verified (takes precedence over 1).\n"
            "Under GitHub Actions, --format github also appends a summary to $GITHUB_STEP_SUMMARY.\n");
}

static int s_usage_error(const char *fmt, ...) IL_PRINTF(1, 2);

static int s_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, IL_CHECK_PROG ": ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'inspector-ledger check --help'.\n");
    va_end(ap);
    return IL_EXIT_USAGE;
}

static int s_parse_days(const char *text, unsigned *out) {
    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return 0;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v > S_MAX_DAY_COUNT) {
        return 0;
    }
    *out = (unsigned)v;
    return 1;
}

enum {
    O_FORMAT = 256,
    O_OUTPUT,
    O_FAIL_ON,
    O_AS_OF,
    O_WARN_DAYS,
    O_MAX_DAYS,
    O_DISTINCT,
    O_SCHEMA,
    O_FULL,
    O_RUNTIMES,
};

static const struct option s_longopts[] = {
    {"format", required_argument, NULL, O_FORMAT},
    {"output", required_argument, NULL, O_OUTPUT},
    {"fail-on", required_argument, NULL, O_FAIL_ON},
    {"as-of", required_argument, NULL, O_AS_OF},
    {"warn-days", required_argument, NULL, O_WARN_DAYS},
    {"max-days", required_argument, NULL, O_MAX_DAYS},
    {"require-distinct-approver", no_argument, NULL, O_DISTINCT},
    {"schema", required_argument, NULL, O_SCHEMA},
    {"full", no_argument, NULL, O_FULL},
    {"runtimes", required_argument, NULL, O_RUNTIMES},
    IL_CLI_AWS_LONGOPTS,
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Options about what the output looks like and which rules apply. Returns -1 when @p c is not one of them. */
static int s_parse_rules_opt(int c, struct il_check_opts *o) {
    switch (c) {
    case O_FORMAT:
        if (il_format_parse(optarg, &o->format) != IL_OK) {
            return s_usage_error("invalid --format '%s': use text, json, github, sarif, junit or markdown", optarg);
        }
        return 0;
    case O_OUTPUT: o->output = optarg; return 0;
    case O_FAIL_ON:
        if (il_fail_on_parse(optarg, &o->fail_on) != IL_OK) {
            return s_usage_error("invalid --fail-on '%s': use error, warning or never", optarg);
        }
        return 0;
    case O_AS_OF:
        if (il_date_parse_str(optarg, &o->rules.as_of) != IL_OK) {
            return s_usage_error("invalid --as-of '%s': use a real calendar day as YYYY-MM-DD", optarg);
        }
        return 0;
    case O_WARN_DAYS:
        if (!s_parse_days(optarg, &o->rules.warn_days)) {
            return s_usage_error("invalid --warn-days '%s': use a whole number of days from 0 to 36500", optarg);
        }
        return 0;
    case O_MAX_DAYS:
        if (!s_parse_days(optarg, &o->rules.max_days) || o->rules.max_days == 0) {
            return s_usage_error("invalid --max-days '%s': use a whole number of days from 1 to 36500", optarg);
        }
        return 0;
    case O_DISTINCT: o->rules.require_distinct_approver = 1; return 0;
    case O_SCHEMA: o->schema_path = optarg; return 0;
    case O_RUNTIMES: o->runtimes_path = optarg; return 0;
    case O_FULL: o->aws.collect.full = 1; return 0;
    default: return -1;
    }
}

/* Returns -1 to continue, or the exit code. */
static int s_parse_args(int argc, char **argv, struct il_check_opts *o) {
    opterr = 0; /* our own messages name the option and the fix */
    int c;
    while ((c = getopt_long(argc, argv, ":qvh", s_longopts, NULL)) != -1) {
        int rc = s_parse_rules_opt(c, o);
        if (rc < 0) {
            rc = il_cli_aws_parse_opt(&o->aws, c, optarg, IL_CHECK_PROG);
        }
        if (rc > 0) {
            return rc;
        }
        if (rc == 0) {
            continue;
        }
        switch (c) {
        case 'q': o->quiet = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': s_usage(stdout); return IL_EXIT_PASS;
        case ':': return s_usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return s_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1) {
        return s_usage_error("expected one ledger file, got another: '%s'", argv[optind + 1]);
    }
    o->ledger = optind < argc ? argv[optind] : NULL;
    if (o->ledger == NULL) {
        o->ledger = IL_LEDGER_DEFAULT_PATH;
        o->ledger_defaulted = 1;
    }
    return -1;
}

int il_cli_check(int argc, char **argv) {
    struct il_check_opts o = {.format = IL_FMT_TEXT, .fail_on = IL_FAIL_ON_ERROR};
    if (il_ledger_rule_opts_default(&o.rules) != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": cannot read the clock: give --as-of YYYY-MM-DD\n");
        return IL_EXIT_USAGE;
    }
    int rc = IL_EXIT_USAGE;
    if (il_cli_aws_init(&o.aws, argc) != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": out of memory\n");
    } else if ((rc = s_parse_args(argc, argv, &o)) < 0) {
        rc = il_cli_check_run(&o);
    }
    il_cli_aws_release(&o.aws);
    return rc;
}
