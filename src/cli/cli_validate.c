/*
 * inspector-ledger validate: the offline pull-request gate. Parses options, calls the ledger library, renders the
 * findings and picks the exit code; every decision lives in src/ledger/.
 *
 * Exit codes: 0 pass; 1 findings at or above --fail-on; 2 usage error or unreadable input (a missing ledger, a bad
 * --schema file, a bad --as-of). A ledger that exists but is not loadable YAML is a *finding* (rule "yaml", exit 1),
 * not exit 2: it is a defect in the file under review, and the pull request that introduced it should get an
 * annotation at the offending line like any other problem.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "il/buf.h"
#include "il/date.h"
#include "il/diag.h"
#include "il/escape.h"
#include "il/findings.h"
#include "il/ledger.h"

#define S_PROG "inspector-ledger validate"
/* The --format values validate writes: the rows of the format table (il/findings.h) marked for validate. */
#define S_FORMATS IL_FINDINGS_FOR_VALIDATE

struct s_opts {
    struct il_cli_ledger_opts lo; /* format, output, --fail-on, the rule options, --schema (cli_opts.h) */
    int schema_only;
    int quiet;
    int verbose;
    char *source; /* the ledger's text, for -v (owned) */
    size_t source_len;
    const char *ledger;
    int ledger_defaulted;
};

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: inspector-ledger validate [options] [LEDGER]\n"
            "       inspector-ledger validate --schema-only --schema SCHEMA DOCUMENT\n"
            "\n"
            "Checks the exclusion ledger offline (no AWS credentials): YAML, the JSON Schema, and the ledger rules\n"
            "(expiry, review dates, date order, duplicates, name/ARN and tag/scan-type agreement).\n"
            "LEDGER defaults to " IL_LEDGER_DEFAULT_PATH " under the current directory; '-' reads standard input.\n"
            "\n"
            "options:\n");
    il_cli_format_help(out, S_FORMATS, IL_FINDINGS_LIST_DEFAULT | IL_FINDINGS_LIST_NOTES);
    fprintf(out, "  --output FILE          write the findings to FILE instead of standard output\n"
                 "  --fail-on LEVEL        error (default), warning or never: the lowest severity that fails the run\n"
                 "  --as-of YYYY-MM-DD     evaluate expiry and review dates on this day instead of today (UTC)\n"
                 "  --warn-days N          warn about exclusions expiring within N days (default 14)\n"
                 "  --max-days N           error when expires_at - applied_at exceeds N days (default: no limit)\n"
                 "  --require-distinct-approver\n"
                 "                         error when approved_by and applied_by are the same person\n"
                 "  --schema FILE          validate against FILE (YAML or JSON) instead of the built-in schema,\n"
                 "                         e.g. an organisation's stricter copy\n"
                 "  --schema-only          validate DOCUMENT against --schema only (no ledger rules): exit 0 valid, 1 "
                 "not\n" IL_CLI_GATE_HELP
                 "  -q, --quiet            print nothing on standard output; only the exit code tells\n"
                 "  -v, --verbose          text: show each finding's source line with a caret, and notices\n"
                 "  -h, --help             show this help\n"
                 "  -V, --version          print the version\n"
                 "\n"
                 "exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage error or unreadable input,\n"
                 "3 --base: git could not verify the change (gate-not-verified).\n"
                 "A ledger that is not loadable YAML is reported as a finding (rule yaml, exit 1).\n");
}

enum { O_SCHEMA_ONLY = 256 };

/* Returns -1 to continue, or the exit code. */
static int s_parse_args(int argc, char **argv, struct s_opts *o) {
    static const struct option longopts[] = {
        IL_CLI_LEDGER_LONGOPTS,
        {"schema-only", no_argument, NULL, O_SCHEMA_ONLY},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0; /* our own messages name the option and the fix */
    int c;
    while ((c = getopt_long(argc, argv, ":qvh", longopts, NULL)) != -1) {
        int rc = il_cli_ledger_opt(&o->lo, c, optarg, S_FORMATS, S_PROG);
        if (rc >= 0) {
            if (rc > 0) {
                return rc;
            }
            continue;
        }
        switch (c) {
        case O_SCHEMA_ONLY: o->schema_only = 1; break;
        case 'q': o->quiet = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': s_usage(stdout); return IL_EXIT_PASS;
        case ':': return il_cli_usage_error(S_PROG, "option '%s' needs a value", argv[optind - 1]);
        default: return il_cli_usage_error(S_PROG, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1) {
        return il_cli_usage_error(S_PROG, "expected one ledger file, got another: '%s'", argv[optind + 1]);
    }
    o->ledger = optind < argc ? argv[optind] : NULL;
    if (o->schema_only && (o->lo.schema_path == NULL || o->ledger == NULL)) {
        return il_cli_usage_error(S_PROG, "%s", "--schema-only needs --schema SCHEMA and a DOCUMENT to validate");
    }
    if (o->ledger == NULL) {
        o->ledger = IL_LEDGER_DEFAULT_PATH;
        o->ledger_defaulted = 1;
    }
    const char *inputs[] = {o->ledger, o->lo.schema_path};
    return il_cli_output_guard(S_PROG, o->lo.output, inputs, 2);
}

/* Problems that stop the run (bad schema file, unreadable ledger) go to stderr as "prog: file:line:col: message",
 * escaped for the terminal (a schema or file name could hold control characters). */
static void s_print_errors(const struct il_diags *diags) {
    struct il_buf buf;
    il_buf_init(&buf, 0);
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        enum il_status st = il_buf_puts(&buf, S_PROG ": ");
        if (st == IL_OK && d->file) {
            st = il_escape_terminal(&buf, d->file);
            if (st == IL_OK && d->line > 0) {
                st = il_buf_printf(&buf, ":%u:%u", d->line, d->column);
            }
            if (st == IL_OK) {
                st = il_buf_puts(&buf, ": ");
            }
        }
        if (st == IL_OK) {
            st = il_escape_terminal(&buf, d->message);
        }
        if (st == IL_OK) {
            st = il_buf_putc(&buf, '\n');
        }
        if (st != IL_OK) {
            break;
        }
    }
    if (il_buf_status(&buf) == IL_OK) {
        il_cli_rawf("%s", il_buf_cstr(&buf));
    } else {
        il_cli_errorf(S_PROG, "%zu problem(s) could not be rendered", il_diags_count(diags));
    }
    il_buf_release(&buf);
}

static int s_write_out(const struct s_opts *o, const struct il_buf *text) {
    if (o->quiet && o->lo.output == NULL) {
        return 1; /* -q silences standard output; a file asked for with --output is still written */
    }
    return il_cli_write_output(S_PROG, o->lo.output, text);
}

static int s_color(const struct s_opts *o) {
    const char *no_color = getenv("NO_COLOR");
    return o->lo.format == IL_FINDINGS_TEXT && o->lo.output == NULL && (no_color == NULL || no_color[0] == '\0') &&
           isatty(STDOUT_FILENO);
}

/* What the closing text line says besides the verdict. */
struct s_tally {
    long entries; /* entries checked; -1 when there was no ledger model (YAML error, --schema-only) */
    char next_expiry[IL_DATE_STRLEN]; /* "" when nothing expires on or after the as-of date */
    long long next_in_days;
};

/* Load, validate, run the rules. Returns -1 when findings are ready in @p diags, else an exit code. */
static int s_collect(struct s_opts *o, struct il_diags *diags, struct s_tally *tally) {
    struct il_ledger *ledger = NULL;
    struct il_diags *errs = il_diags_new();
    int rc = IL_EXIT_USAGE;
    tally->entries = -1;
    tally->next_expiry[0] = '\0';
    if (errs == NULL) {
        il_cli_errorf(S_PROG, "out of memory");
        return rc;
    }
    /* the policy first: its values are the rules' options (flags override it) */
    if (!o->schema_only && (rc = il_cli_gate_prepare(&o->lo.gate, &o->lo.rules, o->ledger, S_PROG, diags)) >= 0) {
        il_diags_free(errs);
        return rc;
    }
    rc = IL_EXIT_USAGE;
    struct il_ledger_open_opts oo = {.schema_path = o->lo.schema_path,
                                     .ledger_path = o->ledger,
                                     .rules = &o->lo.rules,
                                     .skip_digest = 1,
                                     .schema_diags = errs,
                                     .schema_only = o->schema_only};
    if (o->verbose && o->lo.format == IL_FINDINGS_TEXT) {
        oo.source_out = &o->source;
        oo.source_len_out = &o->source_len;
    }
    enum il_ledger_open_step step;
    enum il_status st = il_ledger_open(&oo, &ledger, diags, &step);
    if (step == IL_LEDGER_OPEN_SCHEMA) {
        s_print_errors(errs);
        if (o->lo.schema_path) {
            il_cli_errorf(S_PROG, "cannot use --schema '%s'", o->lo.schema_path);
        }
        goto cleanup;
    }
    if (ledger != NULL) {
        tally->entries = (long)il_ledger_entry_count(ledger);
        const struct il_ledger_entry *next = il_ledger_next_expiry(ledger, &o->lo.rules.as_of);
        if (next) {
            il_date_format(&next->expires_at.date, tally->next_expiry);
            tally->next_in_days = (long long)(next->expires_at.days - il_date_to_days(&o->lo.rules.as_of));
        }
    }
    if (st == IL_ERR_NOTFOUND || st == IL_ERR_IO) {
        /* unreadable input: not a finding about the ledger; the loader's diagnostic says which file and why */
        s_print_errors(diags);
        if (o->ledger_defaulted) {
            il_cli_errorf(S_PROG, "no ledger at ./" IL_LEDGER_DEFAULT_PATH
                                  ": run from the repository root or give the ledger's path");
        }
        goto cleanup;
    }
    if (st != IL_OK && st != IL_ERR_PARSE && st != IL_ERR_LIMIT) {
        il_cli_errorf(S_PROG, "%s", il_status_str(st));
        goto cleanup;
    }
    if (st == IL_OK && ledger != NULL && !o->schema_only &&
        (rc = il_cli_gate_run(&o->lo.gate, &o->lo.rules, o->ledger, NULL, ledger, diags, S_PROG)) >= 0) {
        goto cleanup; /* the policy rules and --base: a usage error was printed */
    }
    rc = -1; /* IL_ERR_PARSE / IL_ERR_LIMIT: the "yaml" finding is already in diags */

cleanup:
    il_ledger_free(ledger);
    il_diags_free(errs);
    return rc;
}

/* Text only: one closing line a person can read at a glance ("6 exclusions checked as of ...: passed"). */
static enum il_status s_verdict(struct il_buf *out, const struct il_findings_opts *oo, const struct s_tally *t,
                                int passed) {
    IL_TRY(il_escape_terminal(out, oo->ledger_file));
    if (t->entries >= 0) {
        IL_TRY(il_buf_printf(out, ": %ld exclusion%s checked as of %s: ", t->entries, t->entries == 1 ? "" : "s",
                             oo->as_of));
    } else {
        IL_TRY(il_buf_puts(out, ": "));
    }
    IL_TRY(il_buf_puts(out, passed ? "passed" : "failed"));
    if (t->next_expiry[0] != '\0') {
        IL_TRY(il_buf_printf(out, " (next expiry %s, in %lld day%s)", t->next_expiry, t->next_in_days,
                             t->next_in_days == 1 ? "" : "s"));
    }
    return il_buf_putc(out, '\n');
}

int il_cli_validate(int argc, char **argv) {
    struct s_opts o = {.lo = {.format = IL_FINDINGS_TEXT, .fail_on = IL_FINDINGS_FAIL_ON_ERROR}};
    if (il_ledger_rule_opts_default(&o.lo.rules) != IL_OK) {
        il_cli_errorf(S_PROG, "cannot read the clock: give --as-of YYYY-MM-DD");
        return IL_EXIT_USAGE;
    }
    int rc = s_parse_args(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    struct il_diags *diags = il_diags_new();
    if (diags == NULL) {
        il_cli_errorf(S_PROG, "out of memory");
        return IL_EXIT_USAGE;
    }
    struct il_buf out;
    il_buf_init(&out, 0);
    struct s_tally tally;
    rc = s_collect(&o, diags, &tally);
    if (rc < 0) {
        il_cli_gate_adjust(&o.lo.gate, diags);
        il_diags_sort(diags);
        char as_of[IL_DATE_STRLEN];
        il_date_format(&o.lo.rules.as_of, as_of);
        struct il_findings_opts oo = {
            .command = "validate",
            .as_of = as_of,
            .ledger_file = strcmp(o.ledger, "-") == 0 ? "<stdin>" : o.ledger,
            .color = s_color(&o),
            .fail_on = o.lo.fail_on,
            .verbose = o.verbose,
            .source = o.source,
            .source_len = o.source_len,
        };
        int passed = il_findings_passed(diags, &oo);
        enum il_status st = il_findings_write(o.lo.format, diags, &oo, &out);
        if (st == IL_OK && o.lo.format == IL_FINDINGS_TEXT) {
            st = il_cli_gate_summary_text(&o.lo.gate, &out);
        }
        if (st == IL_OK && o.lo.format == IL_FINDINGS_TEXT) {
            st = s_verdict(&out, &oo, &tally, passed);
        }
        if (st != IL_OK) {
            il_cli_errorf(S_PROG, "cannot render the findings: %s", il_status_str(st));
            rc = IL_EXIT_USAGE;
        } else if (!s_write_out(&o, &out)) {
            rc = IL_EXIT_USAGE;
        } else {
            rc = il_cli_gate_exit(&o.lo.gate, passed ? IL_EXIT_PASS : IL_EXIT_FINDINGS);
        }
    }
    il_cli_gate_release(&o.lo.gate);
    il_buf_release(&out);
    il_diags_free(diags);
    free(o.source);
    return rc;
}
