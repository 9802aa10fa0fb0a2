/* Placeholder until the 'apply' command lands: it refuses to run rather than pretend to pass. */
#include <stdio.h>

#include "cli/cli.h"

int il_cli_apply(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "inspector-ledger apply: not available in this build yet\n");
    return IL_EXIT_USAGE;
}
