/*
 * inspector-ledger apply: options. The scope and AWS options are check's (cli_aws.c), so apply reaches exactly the
 * accounts and regions check does; the run is in cli_apply_run.c and every decision in the library (il/apply.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_apply.h"
#include "cli/cli_msgs.h"
#include "cli/cli_opts.h"
#include "il/date.h"

static void s_usage(FILE *out) {
    fputs("usage: inspector-ledger apply [options] [LEDGER]\n"
          "\n"
          "Makes the exclusion tags follow the ledger in every account and region in scope: adds the tag of every\n"
          "active entry whose function lacks it, and removes the tag of every expired entry. Tags are read\n"
          "authoritatively (ListFunctions + ListTags); nothing is planned where that could not be verified.\n"
          "Prints the plan and changes nothing unless --yes is given (on a terminal it asks once).\n"
          "LEDGER defaults to " IL_LEDGER_DEFAULT_PATH ".\n"
          "\n"
          "changes:\n"
          "  --yes                  carry the plan out without asking\n"
          "  --dry-run              only print the plan, never ask (the default without a terminal)\n"
          "  --remove-unrecorded    also remove exclusion tags that no ledger entry records\n"
          "  --log FILE             append one JSON line per attempted change to FILE (flushed to disk each time;\n"
          "                         schema/apply-log.schema.json)\n"
          "  --as-of YYYY-MM-DD     decide active/expired on this day instead of today (UTC)\n"
          "\n"
          "output:\n"
          "  --format FORMAT        text (default), json or markdown (a table for a pull-request comment)\n"
          "  --output FILE          write the plan (and results) to FILE instead of standard output\n"
          "\n"
          "scope (as check):\n" IL_CLI_AWS_HELP_SCOPE_APPLY "\n"
          "AWS:\n" IL_CLI_AWS_HELP_AWS "  -h, --help             show this help\n"
          "  -V, --version          print the version\n"
          "\n"
          "exit codes: 0 done (or nothing to do), 1 the ledger has errors (nothing applied), 2 usage error,\n"
          "3 something in scope was not verified (nothing planned there), or a change failed.\n",
          out);
}

enum {
    O_YES = 256,
    O_DRY_RUN,
    O_REMOVE_UNRECORDED,
    O_LOG,
    O_AS_OF,
    O_FORMAT,
    O_OUTPUT,
};

static const struct option s_longopts[] = {
    {"yes", no_argument, NULL, O_YES},
    {"dry-run", no_argument, NULL, O_DRY_RUN},
    {"remove-unrecorded", no_argument, NULL, O_REMOVE_UNRECORDED},
    {"log", required_argument, NULL, O_LOG},
    {"as-of", required_argument, NULL, O_AS_OF},
    {"format", required_argument, NULL, O_FORMAT},
    {"output", required_argument, NULL, O_OUTPUT},
    IL_CLI_AWS_LONGOPTS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* apply's own options: 0 taken, -1 not one of them, or the exit code. */
static int s_own(struct il_apply_cli_opts *o, int c, const char *arg) {
    switch (c) {
    case O_YES: o->yes = 1; return 0;
    case O_DRY_RUN: o->dry_run = 1; return 0;
    case O_REMOVE_UNRECORDED: o->remove_unrecorded = 1; return 0;
    case O_LOG: o->log_path = arg; return 0;
    case O_OUTPUT: o->output = arg; return 0;
    case O_AS_OF:
        if (il_date_parse_str(arg, &o->rules.as_of) != IL_OK) {
            return il_cli_usage_error(IL_APPLY_PROG, "invalid --as-of '%s': use a real calendar day as YYYY-MM-DD",
                                      arg);
        }
        return 0;
    case O_FORMAT:
        if (il_apply_format_parse(arg, &o->format) != IL_OK) {
            return il_cli_usage_error(IL_APPLY_PROG, "invalid --format '%s': use text, json or markdown", arg);
        }
        return 0;
    case IL_CLI_O_TAGS_SOURCE:
        return il_cli_usage_error(IL_APPLY_PROG, "apply always reads tags with Lambda ListTags: drop --tags-source");
    default: return -1;
    }
}

static int s_parse(int argc, char **argv, struct il_apply_cli_opts *o) {
    opterr = 0; /* our own messages name the option and the fix */
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":h", s_longopts, NULL)) != -1) {
        int rc = s_own(o, c, optarg);
        if (rc < 0) {
            rc = il_cli_aws_parse_opt(&o->aws, c, optarg, IL_APPLY_PROG);
        }
        if (rc > 0) {
            return rc;
        }
        if (rc == 0) {
            continue;
        }
        switch (c) {
        case 'h': s_usage(stdout); return IL_EXIT_PASS;
        case ':': return il_cli_usage_error(IL_APPLY_PROG, "option '%s' needs a value", argv[optind - 1]);
        default: return il_cli_usage_error(IL_APPLY_PROG, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1) {
        return il_cli_usage_error(IL_APPLY_PROG, "one ledger at most (got '%s' and '%s')", argv[optind],
                                  argv[optind + 1]);
    }
    if (o->yes && o->dry_run) {
        return il_cli_usage_error(IL_APPLY_PROG, "--yes and --dry-run contradict each other: give one");
    }
    o->ledger_path = optind < argc ? argv[optind] : IL_LEDGER_DEFAULT_PATH;
    const char *inputs[] = {o->ledger_path};
    int rc = il_cli_output_guard(IL_APPLY_PROG, o->output, inputs, 1);
    if (rc >= 0) {
        return rc;
    }
    /* the change log is appended to: never the ledger, under any name */
    struct stat in, log;
    if (o->log_path != NULL && strcmp(o->ledger_path, "-") != 0 && stat(o->ledger_path, &in) == 0 &&
        stat(o->log_path, &log) == 0 && in.st_dev == log.st_dev && in.st_ino == log.st_ino) {
        return il_cli_usage_error(IL_APPLY_PROG, "--log '%s' is the ledger (the same file): refusing to append to it",
                                  o->log_path);
    }
    /* the plan must rest on authoritative tags: the Resource Groups Tagging API index can lag behind */
    o->aws.collect.tags_source = IL_TAGS_SOURCE_LAMBDA;
    return -1;
}

int il_cli_apply(int argc, char **argv) {
    struct il_apply_cli_opts o = {.format = IL_APPLY_FORMAT_TEXT};
    if (il_ledger_rule_opts_default(&o.rules) != IL_OK) {
        il_cli_errorf(IL_APPLY_PROG, "cannot read the clock: give --as-of YYYY-MM-DD");
        return IL_EXIT_USAGE;
    }
    int rc = IL_EXIT_USAGE;
    if (il_cli_aws_init(&o.aws, argc) != IL_OK) {
        il_cli_errorf(IL_APPLY_PROG, "out of memory");
    } else if ((rc = s_parse(argc, argv, &o)) < 0) {
        rc = il_cli_apply_run(&o);
    }
    il_cli_aws_release(&o.aws);
    return rc;
}
