/*
 * inspector-ledger check: options. The run itself (ledger, AWS, drift rules, output) is in cli_check_run.c; every
 * decision lives in the library (src/drift/).
 *
 * Exit codes: 0 pass; 1 findings at or above --fail-on; 2 usage error or unreadable input; 3 something in scope was
 * not verified (an AWS call failed after retries) — 3 wins over 1, so a gate can never pass on what it did not see.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "il/aws/client.h"
#include "il/date.h"

/* The --format values check writes: the rows of the format table (il/findings.h) marked for check. */
#define S_FORMATS IL_FINDINGS_FOR_CHECK

static void s_usage(FILE *out) {
    fprintf(out, "usage: inspector-ledger check [options] [LEDGER]\n"
                 "\n"
                 "Compares the exclusion ledger with the live Lambda tags in every account and region in scope: a tag\n"
                 "without an entry, an expired exclusion still applied, an entry whose tag is missing, an entry for a\n"
                 "function that does not exist. Runs every validate rule first. Anything that could not be verified\n"
                 "fails the run (exit 3). LEDGER defaults to " IL_LEDGER_DEFAULT_PATH ".\n"
                 "\n"
                 "scope:\n" IL_CLI_AWS_HELP_SCOPE);
    fputs(IL_CLI_AWS_HELP_INSPECTOR, out);
    fprintf(out,
            "\n"
            "what to read:\n"
            "  --full                 the whole inventory (ListFunctions): adds scan-blind-cmk, deprecated-runtime\n"
            "                         and malformed-exclusion-tag over every function (the weekly audit)\n"
            "  --runtimes FILE        runtime deprecation table to use instead of the built-in one\n"
            "\n"
            "output:\n");
    il_cli_format_help(out, S_FORMATS, IL_FINDINGS_LIST_DEFAULT);
    fprintf(out,
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
            "%s\n"
            "AWS:\n" IL_CLI_AWS_HELP_AWS "  -h, --help             show this help\n"
            "  -V, --version          print the version\n"
            "\n"
            "exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or input error,\n"
            "3 something in scope was not verified (takes precedence over 1).\n"
            "Under GitHub Actions, --format github also appends a summary to $GITHUB_STEP_SUMMARY.\n",
            IL_CLI_GATE_HELP);
}

enum {
    O_FULL = 256,
    O_RUNTIMES,
};

static const struct option s_longopts[] = {
    IL_CLI_LEDGER_LONGOPTS,
    {"full", no_argument, NULL, O_FULL},
    {"runtimes", required_argument, NULL, O_RUNTIMES},
    IL_CLI_AWS_LONGOPTS,
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The check-only options. Returns -1 when @p c is not one of them, else 0. */
static int s_parse_check_opt(int c, struct il_check_opts *o) {
    switch (c) {
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
        int rc = il_cli_ledger_opt(&o->lo, c, optarg, S_FORMATS, IL_CHECK_PROG);
        if (rc < 0) {
            rc = s_parse_check_opt(c, o);
        }
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
        case ':': return il_cli_usage_error(IL_CHECK_PROG, "option '%s' needs a value", argv[optind - 1]);
        default: return il_cli_usage_error(IL_CHECK_PROG, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1) {
        return il_cli_usage_error(IL_CHECK_PROG, "expected one ledger file, got another: '%s'", argv[optind + 1]);
    }
    o->ledger = optind < argc ? argv[optind] : NULL;
    if (o->ledger == NULL) {
        o->ledger = IL_LEDGER_DEFAULT_PATH;
        o->ledger_defaulted = 1;
    }
    const char *inputs[] = {o->ledger, o->lo.schema_path};
    return il_cli_output_guard(IL_CHECK_PROG, o->lo.output, inputs, 2);
}

int il_cli_check(int argc, char **argv) {
    struct il_check_opts o = {.lo = {.format = IL_FINDINGS_TEXT, .fail_on = IL_FINDINGS_FAIL_ON_ERROR}};
    if (il_ledger_rule_opts_default(&o.lo.rules) != IL_OK) {
        il_cli_errorf(IL_CHECK_PROG, "cannot read the clock: give --as-of YYYY-MM-DD");
        return IL_EXIT_USAGE;
    }
    int rc = IL_EXIT_USAGE;
    if (il_cli_aws_init(&o.aws, argc) != IL_OK) {
        il_cli_errorf(IL_CHECK_PROG, "out of memory");
    } else if ((rc = s_parse_args(argc, argv, &o)) < 0) {
        rc = il_cli_check_run(&o);
    }
    il_cli_aws_release(&o.aws);
    return rc;
}
