/*
 * The ledger options `validate` and `check` share (see cli_opts.h). Messages name the option, the value and the fix,
 * the same way for every command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_msgs.h"
#include "cli/cli_opts.h"
#include "il/date.h"

/* Upper bound for day counts: a century is already absurd for an exclusion, and it keeps arithmetic far from overflow.
 */
#define S_MAX_DAY_COUNT 36500ULL

int il_cli_usage_error(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    il_cli_vusagef(prog, fmt, ap);
    va_end(ap);
    return IL_EXIT_USAGE;
}

int il_cli_output_guard(const char *prog, const char *output, const char *const *inputs, size_t n) {
    struct stat out;
    if (output == NULL || stat(output, &out) != 0) {
        return -1; /* nothing there yet (or unreachable: fopen will say why): nothing to overwrite */
    }
    for (size_t i = 0; i < n; i++) {
        struct stat in;
        if (inputs[i] == NULL) {
            continue;
        }
        /* stat follows symlinks and the inode catches hard links: the same file under any name is refused */
        int ok = strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &in) == 0 : stat(inputs[i], &in) == 0;
        if (ok && in.st_dev == out.st_dev && in.st_ino == out.st_ino && S_ISREG(out.st_mode)) {
            return il_cli_usage_error(prog, "--output '%s' is the input '%s' (the same file): refusing to overwrite it",
                                      output, inputs[i]);
        }
    }
    return -1;
}

int il_cli_parse_days(const char *text, unsigned *out) {
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

/* "invalid --format 'x': use text, json, github or sarif", listing only what this command accepts. */
static int s_bad_format(const char *arg, unsigned commands, const char *prog) {
    struct il_buf list;
    il_buf_init(&list, 0);
    if (il_findings_format_list(commands, 0, &list) != IL_OK) {
        il_buf_reset(&list); /* out of memory only loses the list: the usage error and its exit code stand */
    }
    int rc = il_cli_usage_error(prog, "invalid --format '%s': use %s", arg, list.len > 0 ? il_buf_cstr(&list) : "");
    il_buf_release(&list);
    return rc;
}

void il_cli_format_help(FILE *out, unsigned commands, unsigned style) {
    struct il_buf list;
    il_buf_init(&list, 0);
    if (il_findings_format_list(commands, style, &list) != IL_OK) {
        il_buf_reset(&list); /* out of memory only loses the list */
    }
    fprintf(out, "  --format FORMAT        %s\n", list.len > 0 ? il_buf_cstr(&list) : "");
    il_buf_release(&list);
}

int il_cli_ledger_opt(struct il_cli_ledger_opts *o, int c, const char *arg, unsigned commands, const char *prog) {
    switch (c) {
    case IL_CLI_O_FORMAT:
        if (il_findings_format_parse(arg, commands, &o->format) != IL_OK) {
            return s_bad_format(arg, commands, prog);
        }
        return 0;
    case IL_CLI_O_OUTPUT: o->output = arg; return 0;
    case IL_CLI_O_FAIL_ON:
        if (il_findings_fail_on_parse(arg, &o->fail_on) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --fail-on '%s': use error, warning or never", arg);
        }
        return 0;
    case IL_CLI_O_AS_OF:
        if (il_date_parse_str(arg, &o->rules.as_of) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --as-of '%s': use a real calendar day as YYYY-MM-DD", arg);
        }
        o->as_of_given = 1;
        return 0;
    case IL_CLI_O_WARN_DAYS:
        if (!il_cli_parse_days(arg, &o->rules.warn_days)) {
            return il_cli_usage_error(prog, "invalid --warn-days '%s': use a whole number of days from 0 to 36500",
                                      arg);
        }
        o->gate.given |= IL_CLI_GIVEN_WARN_DAYS;
        return 0;
    case IL_CLI_O_MAX_DAYS:
        if (!il_cli_parse_days(arg, &o->rules.max_days) || o->rules.max_days == 0) {
            return il_cli_usage_error(prog, "invalid --max-days '%s': use a whole number of days from 1 to 36500", arg);
        }
        o->gate.given |= IL_CLI_GIVEN_MAX_DAYS;
        return 0;
    case IL_CLI_O_DISTINCT:
        o->rules.require_distinct_approver = 1;
        o->gate.given |= IL_CLI_GIVEN_DISTINCT;
        return 0;
    case IL_CLI_O_SCHEMA: o->schema_path = arg; return 0;
    case IL_CLI_O_POLICY: o->gate.policy_path = arg; return 0;
    case IL_CLI_O_PRINT_POLICY: o->gate.print_policy = 1; return 0;
    case IL_CLI_O_BASE:
        if (arg[0] == '\0' || arg[0] == '-') {
            return il_cli_usage_error(prog, "invalid --base '%s': name a commit, branch or tag (e.g. origin/main)",
                                      arg);
        }
        o->gate.base_ref = arg;
        return 0;
    case IL_CLI_O_REVIEWS: o->gate.reviews_path = arg; return 0;
    case IL_CLI_O_MAX_RENEWALS:
        if (!il_cli_parse_days(arg, &o->gate.max_renewals) || o->gate.max_renewals > 1000) {
            return il_cli_usage_error(prog, "invalid --max-renewals '%s': use a whole number from 0 to 1000", arg);
        }
        o->gate.given |= IL_CLI_GIVEN_MAX_RENEWALS;
        return 0;
    default: return -1;
    }
}
