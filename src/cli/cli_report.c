/*
 * `inspector-ledger report`: load and validate the ledger, build the report model, render it, pick the exit code.
 *
 * A ledger that cannot be loaded or fails its schema gets no report (the model would be guesswork): the located
 * problems go to stderr and the exit code is 1. A ledger that loads but breaks a consistency rule (date order,
 * duplicates, name/ARN or tag mismatch, qualified ARN) is still rendered — with a "ledger problems" section at the
 * top — and the exit code is 1, so neither an auditor nor a pipeline can miss it. Expired, expiring-soon and
 * review-overdue entries are what the report is for: they are statuses, not failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "il/date.h"
#include "il/escape.h"
#include "il/ledger.h"
#include "il/report.h"

struct s_args {
    const char *format;
    const char *output;
    const char *as_of;
    const char *schema;
    const char *ledger;
    unsigned long warn_days;
    int with_history;
    int no_git;
};

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: inspector-ledger report [options] [LEDGER]\n\n"
            "Exclusion report for auditors, from the ledger alone (default LEDGER: %s; '-' reads stdin).\n\n"
            "  --format F       html (default), markdown, csv or json\n"
            "  --output FILE    write the report to FILE instead of standard output\n"
            "  --as-of DATE     evaluate on YYYY-MM-DD instead of today (UTC)\n"
            "  --warn-days N    'expiring soon' means within N days (default 14, as validate)\n"
            "  --with-history   add the commit, author and date that last changed each entry (git blame)\n"
            "  --no-git         do not record git evidence (commit, dirty state)\n"
            "  --schema FILE    validate the ledger against FILE instead of the built-in schema\n"
            "  --live           add live AWS state (needs the 'check' command; not available in this build)\n\n"
            "Exit codes: 0 report written; 1 the ledger has problems (listed on stderr and, when it could be\n"
            "rendered, in the report); 2 usage error, unreadable input or output.\n",
            IL_LEDGER_DEFAULT_PATH);
}

/* "--name value" or "--name=value"; returns the value and advances *i, or NULL if @p arg is not --name. */
static const char *s_value(int argc, char **argv, int *i, const char *name, int *missing) {
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0) {
        return NULL;
    }
    if (arg[n] == '=') {
        return arg + n + 1;
    }
    if (arg[n] != '\0') {
        return NULL;
    }
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

static int s_parse(int argc, char **argv, struct s_args *a) {
    static const char *const valued[] = {"--format", "--output", "--as-of", "--warn-days", "--schema"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            s_usage(stdout);
            return 0;
        }
        if (strcmp(arg, "--live") == 0 || strncmp(arg, "--live=", 7) == 0) {
            fprintf(stderr, "inspector-ledger report: --live is not available in this build (it needs the "
                            "'check' command); run without --live for the offline report\n");
            return IL_EXIT_USAGE;
        }
        if (strcmp(arg, "--with-history") == 0) {
            a->with_history = 1;
            continue;
        }
        if (strcmp(arg, "--no-git") == 0) {
            a->no_git = 1;
            continue;
        }
        int matched = 0;
        for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]) && !matched; k++) {
            int missing = 0;
            const char *v = s_value(argc, argv, &i, valued[k], &missing);
            if (missing) {
                fprintf(stderr, "inspector-ledger report: %s needs a value\n", valued[k]);
                return IL_EXIT_USAGE;
            }
            if (v == NULL) {
                continue;
            }
            matched = 1;
            if (k == 0) {
                a->format = v;
            } else if (k == 1) {
                a->output = v;
            } else if (k == 2) {
                a->as_of = v;
            } else if (k == 3) {
                char *end = NULL;
                errno = 0;
                a->warn_days = strtoul(v, &end, 10);
                if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || a->warn_days > 36500) {
                    fprintf(stderr, "inspector-ledger report: --warn-days needs a number of days (0-36500)\n");
                    return IL_EXIT_USAGE;
                }
            } else {
                a->schema = v;
            }
        }
        if (matched) {
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "inspector-ledger report: unknown option '%s'\n", arg);
            s_usage(stderr);
            return IL_EXIT_USAGE;
        }
        if (a->ledger != NULL) {
            fprintf(stderr, "inspector-ledger report: only one ledger may be given\n");
            return IL_EXIT_USAGE;
        }
        a->ledger = arg;
    }
    return -1; /* carry on */
}

/* One located line per diagnostic on stderr, escaped for the terminal. */
static void s_print_diag(const struct il_diag *d) {
    struct il_buf line;
    il_buf_init(&line, 0);
    enum il_status st = il_escape_terminal(&line, d->file ? d->file : "inspector-ledger");
    if (st == IL_OK && d->line > 0) {
        st = il_buf_printf(&line, ":%u:%u", d->line, d->column);
    }
    if (st == IL_OK) {
        st = il_buf_printf(&line, ": %s[", il_severity_str(d->severity));
    }
    if (st == IL_OK) {
        st = il_escape_terminal(&line, d->rule);
    }
    if (st == IL_OK) {
        st = il_buf_puts(&line, "]: ");
    }
    if (st == IL_OK) {
        st = il_escape_terminal(&line, d->message);
    }
    fprintf(stderr, "%s\n", st == IL_OK ? il_buf_cstr(&line) : "(diagnostic too long to show)");
    il_buf_release(&line);
}

static int s_is_status_rule(const char *rule) {
    return strcmp(rule, "expired") == 0 || strcmp(rule, "expiring-soon") == 0 || strcmp(rule, "review-overdue") == 0;
}

static int s_write(const char *path, const struct il_buf *text) {
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (f == NULL) {
        fprintf(stderr, "inspector-ledger report: cannot write '%s': %s\n", path, strerror(errno));
        return IL_EXIT_USAGE;
    }
    size_t n = fwrite(il_buf_cstr(text), 1, text->len, f);
    int bad = n != text->len || fflush(f) != 0;
    if (path != NULL) {
        bad |= fclose(f) != 0;
    }
    if (bad) {
        fprintf(stderr, "inspector-ledger report: writing '%s' failed\n", path ? path : "standard output");
        return IL_EXIT_USAGE;
    }
    return IL_EXIT_PASS;
}

int il_cli_report(int argc, char **argv) {
    struct s_args a = {.format = "html", .warn_days = 14};
    int rc = s_parse(argc, argv, &a);
    if (rc >= 0) {
        return rc;
    }
    enum il_report_format format;
    if (il_report_format_parse(a.format, &format) != IL_OK) {
        fprintf(stderr, "inspector-ledger report: unknown --format '%s' (html, markdown, csv, json)\n", a.format);
        return IL_EXIT_USAGE;
    }
    struct il_ledger_rule_opts rule_opts;
    if (il_ledger_rule_opts_default(&rule_opts) != IL_OK) {
        fprintf(stderr, "inspector-ledger report: cannot read the clock; pass --as-of\n");
        return IL_EXIT_USAGE;
    }
    if (a.as_of != NULL && il_date_parse_str(a.as_of, &rule_opts.as_of) != IL_OK) {
        fprintf(stderr, "inspector-ledger report: --as-of '%s' is not a calendar date (YYYY-MM-DD)\n", a.as_of);
        return IL_EXIT_USAGE;
    }
    rule_opts.warn_days = (unsigned)a.warn_days;
    char as_of[IL_DATE_STRLEN];
    il_date_format(&rule_opts.as_of, as_of);
    const char *path = a.ledger ? a.ledger : IL_LEDGER_DEFAULT_PATH;

    struct il_diags *diags = il_diags_new();
    struct il_ledger_schema *schema = NULL;
    struct il_ledger *ledger = NULL;
    struct il_report *report = NULL;
    struct il_buf text;
    il_buf_init(&text, 0);
    rc = IL_EXIT_USAGE;
    enum il_status st = IL_ERR_NOMEM;
    if (diags == NULL) {
        goto cleanup;
    }
    st = il_ledger_schema_load(a.schema, &schema, diags);
    if (st != IL_OK) {
        goto cleanup; /* the schema is input too: unreadable or invalid is a usage error */
    }
    struct il_ledger_load_opts load_opts = {.schema = schema};
    st = il_ledger_load_file(path, &load_opts, &ledger, diags);
    if (st == IL_ERR_PARSE || st == IL_ERR_LIMIT || (st == IL_OK && il_ledger_schema_errors(ledger) > 0)) {
        fprintf(stderr, "inspector-ledger report: the ledger does not load or does not match its schema; no report "
                        "written\n");
        rc = IL_EXIT_FINDINGS;
        goto cleanup;
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    struct il_report_opts ropts = {.as_of = as_of, .warn_days = (int)a.warn_days};
    if ((st = il_ledger_check_rules(ledger, &rule_opts, diags)) != IL_OK ||
        (st = il_report_new(&ropts, &report)) != IL_OK) {
        goto cleanup;
    }
    if ((st = il_report_add_ledger(report, ledger)) != IL_OK) {
        if (st == IL_ERR_INVALID) { /* an entry without valid dates: the schema should have said so */
            fprintf(stderr, "inspector-ledger report: an entry lacks a valid applied_at, expires_at or next_review_at; "
                            "no report written\n");
            rc = IL_EXIT_FINDINGS;
        }
        goto cleanup;
    }
    size_t errors = 0;
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        if (d->severity >= IL_SEV_WARNING && !s_is_status_rule(d->rule)) {
            errors += d->severity == IL_SEV_ERROR;
            if ((st = il_report_add_problem(report, d)) != IL_OK) {
                goto cleanup;
            }
        }
    }
    if (!a.no_git) {
        if ((st = il_report_git_stamp(report, path)) != IL_OK) {
            goto cleanup;
        }
    }
    if (a.with_history) {
        st = a.no_git ? il_report_add_notice(report, "history not recorded (--no-git)") : il_report_git_history(report, path);
        il_report_request_history(report);
        if (st != IL_OK) {
            goto cleanup;
        }
    }
    if ((st = il_report_finish(report)) != IL_OK || (st = il_report_render(format, report, &text)) != IL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < il_report_notice_count(report); i++) {
        struct il_buf line;
        il_buf_init(&line, 0);
        if (il_escape_terminal(&line, il_report_notice_at(report, i)) == IL_OK) {
            fprintf(stderr, "inspector-ledger report: notice: %s\n", il_buf_cstr(&line));
        }
        il_buf_release(&line);
    }
    rc = s_write(a.output, &text);
    if (rc == IL_EXIT_PASS && errors > 0) {
        fprintf(stderr, "inspector-ledger report: the ledger has %zu problem(s); the report lists them\n", errors);
        rc = IL_EXIT_FINDINGS;
    }

cleanup:
    if (diags != NULL && rc != IL_EXIT_PASS) {
        il_diags_sort(diags);
        for (size_t i = 0; i < il_diags_count(diags); i++) {
            const struct il_diag *d = il_diags_get(diags, i);
            if (d->severity >= IL_SEV_WARNING && !s_is_status_rule(d->rule)) {
                s_print_diag(d);
            }
        }
    }
    if (st != IL_OK && rc == IL_EXIT_USAGE && il_diags_count(diags) == 0) {
        fprintf(stderr, "inspector-ledger report: %s\n", il_status_str(st));
    }
    il_buf_release(&text);
    il_report_free(report);
    il_ledger_free(ledger);
    il_ledger_schema_free(schema);
    il_diags_free(diags);
    return rc;
}
