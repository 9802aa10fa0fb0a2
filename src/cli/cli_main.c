/* inspector-ledger: entry point and subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_msgs.h"
#include "il/drift/runtimes.h"

struct s_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct s_command s_commands[] = {
    {"validate", il_cli_validate, "check the ledger offline: schema, rules, expiry (no credentials)"},
    {"check", il_cli_check, "compare the ledger with live Lambda tags in every account and region in scope"},
    {"report", il_cli_report, "exclusion report for auditors (html, markdown, csv, json)"},
    {"apply", il_cli_apply, "make exclusion tags follow the ledger (dry run unless --yes)"},
    {"whoami", il_cli_whoami, "show the AWS caller identity and which credential source answered"},
    {"iam-policy", il_cli_iam_policy, "print the least-privilege IAM policy for check, report --live and apply"},
    {"schema", il_cli_schema, "print the ledger's JSON Schema built into the binary (--list: the others)"},
};

static void s_usage(FILE *out) {
    fprintf(out, "usage: inspector-ledger <command> [options] [LEDGER]\n\n"
                 "Keeps the Amazon Inspector Lambda exclusion ledger and AWS honest.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(s_commands) / sizeof(s_commands[0]); i++) {
        fprintf(out, "  %-10s %s\n", s_commands[i].name, s_commands[i].summary);
    }
    fprintf(out, "\noptions:\n"
                 "  -h, --help     show this help ('inspector-ledger help <command>': a command's options)\n"
                 "  -V, --version  print the version\n"
                 "\nRun 'inspector-ledger <command> --help' for a command's options.\n"
                 "Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or input error, 3 not verified.\n");
}

static const struct s_command *s_find(const char *name) {
    for (size_t i = 0; i < sizeof(s_commands) / sizeof(s_commands[0]); i++) {
        if (strcmp(name, s_commands[i].name) == 0) {
            return &s_commands[i];
        }
    }
    return NULL;
}

static int s_is_version(const char *arg) {
    return strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0;
}

static int s_version(void) {
    printf("inspector-ledger %s\n", IL_VERSION);
    /* the built-in runtime table's date: how fresh the deprecation and block dates check --full warns about are */
    struct il_runtimes *rt = NULL;
    struct il_diags *errs = il_diags_new();
    if (errs != NULL && il_runtimes_load(NULL, &rt, errs) == IL_OK && il_runtimes_table_date(rt) != NULL) {
        printf("Lambda runtime table: %s (AWS Lambda runtimes documentation)\n", il_runtimes_table_date(rt));
    }
    il_runtimes_free(rt);
    il_diags_free(errs);
    return IL_EXIT_PASS;
}

static int s_main(int argc, char **argv) {
    if (argc < 2) {
        s_usage(stderr);
        return IL_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || (strcmp(argv[1], "help") == 0 && argc == 2)) {
        s_usage(stdout);
        return IL_EXIT_PASS;
    }
    if (s_is_version(argv[1]) || strcmp(argv[1], "version") == 0) {
        return s_version();
    }
    if (strcmp(argv[1], "help") == 0) { /* help <command>: that command's --help */
        const struct s_command *cmd = s_find(argv[2]);
        if (cmd == NULL || argc > 3) {
            il_cli_errorf("inspector-ledger", "help: unknown command '%s'\nTry 'inspector-ledger --help'.",
                          argv[argc > 3 && cmd != NULL ? 3 : 2]);
            return IL_EXIT_USAGE;
        }
        char help[] = "--help";
        char *hargv[] = {argv[2], help, NULL};
        return cmd->run(2, hargv);
    }
    const struct s_command *cmd = s_find(argv[1]);
    if (cmd == NULL) {
        il_cli_errorf("inspector-ledger", "unknown command '%s'\n", argv[1]);
        s_usage(stderr);
        return IL_EXIT_USAGE;
    }
    /* -V/--version anywhere among a command's options (before "--") prints the version, as --help prints help. */
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (s_is_version(argv[i])) {
            return s_version();
        }
    }
    return cmd->run(argc - 1, argv + 1);
}

int main(int argc, char **argv) {
    int rc = s_main(argc, argv);
    /* a command that already failed to write said so itself (exit 2); otherwise a lost write must not pass, and a
     * run that was not verified keeps its 3 */
    if (!il_cli_close_stdout() && rc != IL_EXIT_USAGE) {
        il_cli_errorf("inspector-ledger", "error: writing standard output failed");
        rc = rc == IL_EXIT_UNVERIFIED ? rc : IL_EXIT_USAGE;
    }
    return rc;
}
