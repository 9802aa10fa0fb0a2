/* Placeholder until the 'validate' command lands: it refuses to run rather than pretend to pass. */
#include <stdio.h>

#include "cli/cli.h"

int il_cli_validate(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "inspector-ledger validate: not available in this build yet\n");
    return IL_EXIT_USAGE;
}
