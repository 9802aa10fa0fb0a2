/*
 * libFuzzer target: the CLI's shared option parsers (src/cli/cli_opts.c: --format, --output, --fail-on, --as-of,
 * --warn-days, --max-days, --schema; src/cli/cli_aws.c: --region, --account, --max-attempts, --rate-limit, ...)
 * behind getopt_long, as every command runs them. The input is argv: NUL-separated arguments after the program name.
 * The CLI sources are compiled into this target (CMakeLists.txt).
 *
 * Invariants: a parser returns 0 (taken), -1 (not its option) or IL_EXIT_USAGE; the parsed values stay in range.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_aws.h"
#include "cli/cli_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define S_MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const struct option longopts[] = {
        IL_CLI_LEDGER_LONGOPTS,
        IL_CLI_AWS_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (size > 4096) {
        return 0;
    }
    char *copy = malloc(size + 1);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    copy[size] = '\0';
    static char prog[] = "inspector-ledger-fuzz";
    char *argv[S_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = prog;
    size_t start = 0;
    for (size_t i = 0; i <= size && argc < S_MAX_ARGS + 1; i++) {
        if (i == size || copy[i] == '\0') {
            argv[argc++] = copy + start;
            start = i + 1;
        }
    }
    argv[argc] = NULL;

    struct il_cli_ledger_opts lo;
    memset(&lo, 0, sizeof(lo));
    struct il_cli_aws aws;
    memset(&aws, 0, sizeof(aws));
    if (il_cli_aws_init(&aws, argc) != IL_OK) {
        free(copy);
        return 0;
    }
    unsigned formats = IL_FINDINGS_FOR_VALIDATE;
    optind = 0; /* glibc: a full re-initialisation of getopt's state between inputs */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int rc = il_cli_ledger_opt(&lo, c, optarg, formats, "fuzz");
        if (rc == -1) {
            rc = il_cli_aws_parse_opt(&aws, c, optarg, "fuzz");
        }
        if (rc != 0 && rc != -1 && rc != IL_EXIT_USAGE) {
            abort();
        }
        if (rc == IL_EXIT_USAGE) {
            break;
        }
    }
    if (aws.max_attempts > 20 || lo.rules.warn_days > 36500 || lo.rules.max_days > 36500) {
        abort();
    }
    il_cli_aws_release(&aws);
    free(copy);
    return 0;
}
