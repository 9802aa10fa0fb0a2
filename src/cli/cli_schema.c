/*
 * inspector-ledger schema: print a JSON Schema compiled into the binary (every JSON file of schema/), so an editor, an
 * organisation's stricter copy or a consumer of the JSON outputs starts from the exact schema this build uses.
 *
 *   schema          the ledger schema (inspector-exclusions)
 *   schema NAME     another one: NAME with or without ".schema.json"
 *   schema --list   the names, one per line with what each describes
 *
 * Exit codes: 0 printed; 2 usage error (unknown NAME or option) or a failed write.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "il/embedded.h"

#define S_PROG "inspector-ledger schema"
#define S_SUFFIX ".schema.json"

/* The schemas of schema/ (every one is embedded by CMake); the first is the default. */
static const struct {
    const char *name;
    const char *what;
} s_schemas[] = {
    {"inspector-exclusions", "the exclusion ledger (security/inspector-exclusions.yaml)"},
    {"validate-result", "validate --format json"},
    {"check-result", "check --format json"},
    {"report", "report --format json"},
    {"apply-plan", "apply --format json"},
    {"apply-log", "one line of apply --log FILE (JSON Lines)"},
    {"inspector-ledger-policy", "the organisation policy (.inspector-ledger.yaml, --policy FILE)"},
};

#define S_COUNT (sizeof s_schemas / sizeof s_schemas[0])

static void s_usage(FILE *out) {
    fprintf(out, "usage: inspector-ledger schema [--list | NAME]\n"
                 "\n"
                 "Prints a JSON Schema built into this binary: the ledger's (default), or NAME's.\n"
                 "\n"
                 "options:\n"
                 "  --list                 list the schemas: NAME and what it describes\n"
                 "  -h, --help             show this help\n"
                 "  -V, --version          print the version\n"
                 "\n"
                 "NAME: inspector-exclusions, validate-result, check-result, report, apply-plan, apply-log or\n"
                 "inspector-ledger-policy (\".schema.json\" optional).\n"
                 "exit codes: 0 printed, 2 usage error.\n");
}

/* The index of @p arg ("check-result" or "check-result.schema.json") in s_schemas, or -1. */
static int s_find(const char *arg) {
    size_t len = strlen(arg), slen = sizeof(S_SUFFIX) - 1;
    if (len > slen && strcmp(arg + len - slen, S_SUFFIX) == 0) {
        len -= slen;
    }
    for (size_t i = 0; i < S_COUNT; i++) {
        if (strlen(s_schemas[i].name) == len && strncmp(arg, s_schemas[i].name, len) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int s_print(size_t i) {
    char file[64];
    int n = snprintf(file, sizeof file, "%s" S_SUFFIX, s_schemas[i].name);
    size_t len = 0;
    const char *text = n > 0 && (size_t)n < sizeof file ? il_embedded_get(file, &len) : NULL;
    if (text == NULL) {
        fprintf(stderr, S_PROG ": %s is not built into this binary\n", file);
        return IL_EXIT_USAGE;
    }
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, S_PROG ": writing standard output failed\n");
        return IL_EXIT_USAGE;
    }
    return IL_EXIT_PASS;
}

int il_cli_schema(int argc, char **argv) {
    if (argc > 2) {
        fprintf(stderr, S_PROG ": expected at most one NAME, got another: '%s'\nTry '" S_PROG " --help'.\n", argv[2]);
        return IL_EXIT_USAGE;
    }
    if (argc < 2) {
        return s_print(0);
    }
    const char *arg = argv[1];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        s_usage(stdout);
        return IL_EXIT_PASS;
    }
    if (strcmp(arg, "--list") == 0) {
        for (size_t i = 0; i < S_COUNT; i++) {
            printf("%-22s %s\n", s_schemas[i].name, s_schemas[i].what);
        }
        return fflush(stdout) == 0 ? IL_EXIT_PASS : IL_EXIT_USAGE;
    }
    if (arg[0] == '-') {
        fprintf(stderr, S_PROG ": unknown option '%s'\nTry '" S_PROG " --help'.\n", arg);
        return IL_EXIT_USAGE;
    }
    int i = s_find(arg);
    if (i < 0) {
        /* the name is the user's text: print it only when it is plain */
        int plain = strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789-._") == strlen(arg) && strlen(arg) < 80;
        fprintf(stderr, S_PROG ": no schema named '%s'; 'inspector-ledger schema --list' lists them\n",
                plain ? arg : "(not shown)");
        return IL_EXIT_USAGE;
    }
    return s_print((size_t)i);
}
