/** The command-line layer: argument parsing, calling the library, rendering, exit codes. No decisions live here. */
#ifndef IL_CLI_H
#define IL_CLI_H

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

#endif
