/*
 * `inspector-ledger report`: load and validate the ledger, build the report model, render it, pick the exit code.
 *
 * A ledger that cannot be loaded or fails its schema gets no report (the model would be guesswork): the located
 * problems go to stderr and the exit code is 1. A ledger that loads but breaks a consistency rule (date order,
 * duplicates, name/ARN or tag mismatch, qualified ARN) is still rendered — with a "ledger problems" section at the
 * top — and the exit code is 1, so neither an auditor nor a pipeline can miss it. Expired, expiring-soon and
 * review-overdue entries are what the report is for: they are statuses, not failures.
 *
 * --live gathers the AWS state with check's own code (cli_aws.c: the same options, plan and collection) and maps it
 * onto the rows in the library (il_report_live_annotate). It fails closed like check: anything not verified is named on
 * stderr, shown as "unknown" in the report (which is still written), and makes the exit code 3 (over 1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_aws.h"
#include "cli/cli_opts.h"
#include "il/date.h"
#include "il/drift/drift.h"
#include "il/drift/runtimes.h"
#include "il/escape.h"
#include "il/ledger.h"
#include "il/ledger/policy.h"
#include "il/report/build.h"
#include "il/report/inspector.h"
#include "il/report/live.h"
#include "il/report/report.h"
#include "il/report/since.h"

#define S_PROG "inspector-ledger report"

struct s_args {
    const char *format;
    const char *output;
    const char *as_of;
    const char *schema;
    const char *ledger;
    const char *runtimes;
    unsigned warn_days;
    int with_history;
    int no_git;
    int live;
    const char *since;     /* --since REF (report_since.c) */
    const char *changes;   /* --changes FILE: apply's change log */
    const char *policy;    /* --policy FILE: team budgets */
    struct il_cli_aws aws; /* --live: the scope and AWS options of `check` */
};

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: inspector-ledger report [options] [LEDGER]\n\n"
            "Exclusion report for auditors, from the ledger alone (default LEDGER: %s; '-' reads stdin),\n"
            "or with --live, from the ledger and the live AWS state gathered as 'check' gathers it.\n\n"
            "  --format F       html (default), markdown, csv or json\n"
            "  --output FILE    write the report to FILE instead of standard output\n"
            "  --as-of DATE     evaluate on YYYY-MM-DD instead of today (UTC)\n"
            "  --warn-days N    'expiring soon' means within N days (default 14, as validate)\n"
            "  --with-history   add the commit, author and date that last changed each entry (git blame)\n"
            "  --no-git         do not record git evidence (commit, dirty state)\n"
            "  --schema FILE    validate the ledger against FILE instead of the built-in schema\n"
            "  --live           add each function's live state (exists, tag present, scan-blind, runtime\n"
            "                   deprecated) and the exclusion tags in AWS that the ledger does not record\n"
            "  --runtimes FILE  --live: runtime deprecation table instead of the built-in one\n"
            "  --since REF      add what changed since REF (added, removed, renewed, expired), an aging section\n"
            "                   (age, times renewed, days until expiry) and per-team figures against the budgets\n"
            "  --changes FILE   --since: apply --log's change log (the tags applied and removed since REF)\n"
            "  --policy FILE    the policy whose budgets --since shows (default: .inspector-ledger.yaml at the root)\n"
            "  -h, --help       show this help\n"
            "  -V, --version    print the version\n\n"
            "live scope (as check; only with --live):\n" IL_CLI_AWS_HELP_SCOPE,
            IL_LEDGER_DEFAULT_PATH);
    fputs(IL_CLI_AWS_HELP_INSPECTOR, out);
    fputs("\nAWS (only with --live):\n" IL_CLI_AWS_HELP_AWS "\n"
          "Exit codes: 0 report written; 1 the ledger has problems (listed on stderr and, when it could be\n"
          "rendered, in the report); 2 usage error, unreadable input or output; 3 --live: something in scope\n"
          "was not verified (named on stderr; the report is written with those facts 'unknown'; 3 wins over 1).\n",
          out);
}

static int s_usage_error(const char *what, const char *arg) {
    il_cli_errorf(S_PROG, "%s%s%s%s\nTry '" S_PROG " --help'.", what, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return IL_EXIT_USAGE;
}

enum {
    O_FORMAT = 256,
    O_OUTPUT,
    O_AS_OF,
    O_WARN_DAYS,
    O_SCHEMA,
    O_HISTORY,
    O_NO_GIT,
    O_LIVE,
    O_RUNTIMES,
    O_SINCE,
    O_CHANGES,
    O_POLICY
};

/* Returns -1 to carry on, or the exit code. */
static int s_parse(int argc, char **argv, struct s_args *a) {
    static const struct option longopts[] = {
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, O_OUTPUT},
        {"as-of", required_argument, NULL, O_AS_OF},
        {"warn-days", required_argument, NULL, O_WARN_DAYS},
        {"schema", required_argument, NULL, O_SCHEMA},
        {"with-history", no_argument, NULL, O_HISTORY},
        {"no-git", no_argument, NULL, O_NO_GIT},
        {"live", no_argument, NULL, O_LIVE},
        {"runtimes", required_argument, NULL, O_RUNTIMES},
        {"since", required_argument, NULL, O_SINCE},
        {"changes", required_argument, NULL, O_CHANGES},
        {"policy", required_argument, NULL, O_POLICY},
        IL_CLI_AWS_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0; /* our own messages name the option and the fix */
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int rc = il_cli_aws_parse_opt(&a->aws, c, optarg, S_PROG);
        if (rc >= 0) {
            if (rc > 0) {
                return rc;
            }
            continue;
        }
        switch (c) {
        case O_FORMAT: a->format = optarg; break;
        case O_OUTPUT: a->output = optarg; break;
        case O_AS_OF: a->as_of = optarg; break;
        case O_SCHEMA: a->schema = optarg; break;
        case O_HISTORY: a->with_history = 1; break;
        case O_NO_GIT: a->no_git = 1; break;
        case O_LIVE: a->live = 1; break;
        case O_RUNTIMES: a->runtimes = optarg; break;
        case O_SINCE: a->since = optarg; break;
        case O_CHANGES: a->changes = optarg; break;
        case O_POLICY: a->policy = optarg; break;
        case O_WARN_DAYS:
            if (!il_cli_parse_days(optarg, &a->warn_days)) {
                il_cli_errorf(S_PROG, "--warn-days needs a number of days (0-36500)");
                return IL_EXIT_USAGE;
            }
            break;
        case 'h': s_usage(stdout); return IL_EXIT_PASS;
        case ':': return s_usage_error("option needs a value:", argv[optind - 1]);
        default: return s_usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (argc - optind > 1) {
        return s_usage_error("only one ledger may be given; got another:", argv[optind + 1]);
    }
    a->ledger = optind < argc ? argv[optind] : NULL;
    if ((a->changes || a->policy) && a->since == NULL) {
        return s_usage_error(a->changes ? "--changes needs --since REF" : "--policy needs --since REF", NULL);
    }
    if (a->since && (a->since[0] == '\0' || a->since[0] == '-' || a->no_git)) {
        return s_usage_error(a->no_git ? "--since reads git history: it cannot go with --no-git" : "invalid --since",
                             a->no_git ? NULL : a->since);
    }
    if (!a->live && (a->aws.first_given != NULL || a->runtimes != NULL)) {
        /* a scope option without --live would be silently ignored: say so instead */
        return s_usage_error(a->runtimes && !a->aws.first_given ? "--runtimes needs --live"
                                                                : "this option needs --live:",
                             a->aws.first_given);
    }
    const char *inputs[] = {a->ledger ? a->ledger : IL_LEDGER_DEFAULT_PATH, a->schema, a->runtimes};
    return il_cli_output_guard(S_PROG, a->output, inputs, 3);
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
    il_cli_errorf(NULL, "%s", st == IL_OK ? il_buf_cstr(&line) : "(diagnostic too long to show)");
    il_buf_release(&line);
}

/* The notices, escaped for the terminal. */
static void s_print_notices(const struct il_report *report) {
    for (size_t i = 0; i < il_report_notice_count(report); i++) {
        struct il_buf line;
        il_buf_init(&line, 0);
        if (il_escape_terminal(&line, il_report_notice_at(report, i)) == IL_OK) {
            il_cli_notef(S_PROG, "%s", il_buf_cstr(&line));
        }
        il_buf_release(&line);
    }
}

/* --live: gather the AWS state exactly as check does (cli_aws.c), then map it onto the rows (il/live.h). Returns -1 to
 * carry on, or the exit code; *unverified gets the number of items not verified. */
static int s_live(struct s_args *a, const struct il_ledger *ledger, const struct il_ledger_rule_opts *rules,
                  struct il_report *report, size_t *unverified) {
    struct il_diags *errs = il_diags_new();
    struct il_runtimes *runtimes = NULL;
    struct il_cli_collect collect = {0};
    struct il_buf scope;
    il_buf_init(&scope, 0);
    int rc = IL_EXIT_USAGE;
    if (errs == NULL) {
        goto cleanup;
    }
    if (il_runtimes_load(a->runtimes, &runtimes, errs) != IL_OK) {
        for (size_t i = 0; i < il_diags_count(errs); i++) {
            s_print_diag(il_diags_get(errs, i));
        }
        il_cli_errorf(S_PROG, "cannot use --runtimes '%s'", a->runtimes ? a->runtimes : "(built-in)");
        goto cleanup;
    }
    /* the live columns need every function's configuration (KMS key, runtime): always the whole inventory */
    a->aws.collect.full = 1;
    if ((rc = il_cli_collect_run(&collect, S_PROG, &a->aws, ledger, 0)) >= 0) {
        goto cleanup;
    }
    rc = IL_EXIT_USAGE;
    struct il_coverage_opts copts;
    il_cli_collect_coverage(&collect, &a->aws, &copts);
    struct il_live_opts lo = {.rules = *rules, .runtimes = runtimes, .coverage = &copts};
    enum il_status st = il_collect_plan_describe(&collect.plan, &a->aws.collect, collect.identity.account, &scope);
    lo.scope = il_buf_cstr(&scope);
    if (st == IL_OK) {
        st = il_report_live_annotate(report, ledger, collect.inv, &lo, unverified);
    }
    if (st == IL_OK && collect.scan_cov != NULL) {
        st = il_report_inspector_annotate(report, ledger, collect.inv, collect.scan_cov, rules);
    }
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "%s", il_status_str(st));
        goto cleanup;
    }
    for (size_t i = 0; i < il_report_unverified_count(report); i++) {
        struct il_buf line;
        il_buf_init(&line, 0);
        if (il_escape_terminal(&line, il_report_unverified_at(report, i)) == IL_OK) {
            il_cli_errorf(S_PROG, "not verified: %s", il_buf_cstr(&line));
        }
        il_buf_release(&line);
    }
    rc = -1;
cleanup:
    il_buf_release(&scope);
    il_cli_collect_release(&collect);
    il_runtimes_free(runtimes);
    il_diags_free(errs);
    return rc;
}

/* --since REF: the policy (budgets), then the section (il/report/since.h). Returns -1 to carry on, or the exit code. */
static int s_since(const struct s_args *a, const char *path, const struct il_ledger *ledger,
                   const struct il_ledger_rule_opts *rules, struct il_report *report) {
    struct il_diags *errs = il_diags_new();
    struct il_policy *policy = NULL;
    if (errs == NULL) {
        return IL_EXIT_USAGE;
    }
    enum il_status st = il_policy_discover(path, a->policy, NULL, &policy, errs);
    if (st == IL_OK) {
        struct il_report_since_opts so = {
            .ledger_path = path,
            .ref = a->since,
            .policy = policy,
            .rules = *rules,
            .changes_path = a->changes,
        };
        st = il_report_add_since(report, ledger, &so, errs);
    }
    for (size_t i = 0; i < il_diags_count(errs); i++) {
        s_print_diag(il_diags_get(errs, i));
    }
    if (st != IL_OK && il_diags_count(errs) == 0) {
        il_cli_errorf(S_PROG, "--since: %s", il_status_str(st));
    }
    il_policy_free(policy);
    il_diags_free(errs);
    return st == IL_OK ? -1 : IL_EXIT_USAGE;
}

/* report --since and --live as il_report_build()'s step: the exit code of the one that stopped the run stays in rc. */
struct s_live_step {
    struct s_args *a;
    const char *path;
    const struct il_ledger *ledger;
    const struct il_ledger_rule_opts *rules;
    size_t unverified;
    int rc;
};

static enum il_status s_live_step(void *ctx, struct il_report *report) {
    struct s_live_step *l = ctx;
    l->rc = l->a->since ? s_since(l->a, l->path, l->ledger, l->rules, report) : -1;
    if (l->rc < 0 && l->a->live) {
        l->rc = s_live(l->a, l->ledger, l->rules, report, &l->unverified);
    }
    return l->rc >= 0 ? IL_ERR_INTERNAL : IL_OK; /* any failure: s_since / s_live already said why */
}

static int s_report(struct s_args *a) {
    enum il_report_format format;
    if (il_report_format_parse(a->format, &format) != IL_OK) {
        il_cli_errorf(S_PROG, "unknown --format '%s' (html, markdown, csv, json)", a->format);
        return IL_EXIT_USAGE;
    }
    struct il_ledger_rule_opts rule_opts;
    if (il_ledger_rule_opts_default(&rule_opts) != IL_OK) {
        il_cli_errorf(S_PROG, "cannot read the clock; pass --as-of");
        return IL_EXIT_USAGE;
    }
    if (a->as_of != NULL && il_date_parse_str(a->as_of, &rule_opts.as_of) != IL_OK) {
        il_cli_errorf(S_PROG, "--as-of '%s' is not a calendar date (YYYY-MM-DD)", a->as_of);
        return IL_EXIT_USAGE;
    }
    rule_opts.warn_days = a->warn_days;
    char as_of[IL_DATE_STRLEN];
    il_date_format(&rule_opts.as_of, as_of);
    const char *path = a->ledger ? a->ledger : IL_LEDGER_DEFAULT_PATH;

    struct il_diags *diags = il_diags_new();
    struct il_ledger *ledger = NULL;
    struct il_report *report = NULL;
    struct il_buf text;
    il_buf_init(&text, 0);
    int rc = IL_EXIT_USAGE;
    size_t unverified = 0;
    enum il_status st = IL_ERR_NOMEM;
    if (diags == NULL) {
        goto cleanup;
    }
    struct il_ledger_open_opts oo = {
        .schema_path = a->schema, .ledger_path = path, .rules = &rule_opts, .rules_need_schema = 1};
    enum il_ledger_open_step step;
    st = il_ledger_open(&oo, &ledger, diags, &step);
    if (step == IL_LEDGER_OPEN_SCHEMA) {
        goto cleanup; /* the schema is input too: unreadable or invalid is a usage error */
    }
    if ((step == IL_LEDGER_OPEN_LOAD && (st == IL_ERR_PARSE || st == IL_ERR_LIMIT)) ||
        (st == IL_OK && il_ledger_schema_errors(ledger) > 0)) {
        il_cli_errorf(S_PROG, "the ledger does not load or does not match its schema; no report written");
        rc = IL_EXIT_FINDINGS;
        goto cleanup;
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    struct s_live_step live = {.a = a, .path = path, .ledger = ledger, .rules = &rule_opts, .rc = -1};
    struct il_report_build_opts bopts = {.as_of = as_of,
                                         .warn_days = (int)a->warn_days,
                                         .ledger_path = path,
                                         .no_git = a->no_git,
                                         .with_history = a->with_history,
                                         .step = a->live || a->since ? s_live_step : NULL,
                                         .step_ctx = &live};
    enum il_report_build_step bstep;
    size_t errors = 0;
    st = il_report_build(&bopts, ledger, diags, &report, &errors, &bstep);
    unverified = live.unverified;
    if (bstep == IL_REPORT_BUILD_LEDGER && st == IL_ERR_INVALID) {
        /* an entry without valid dates: the schema should have said so */
        il_cli_errorf(S_PROG, "an entry lacks a valid applied_at, expires_at or next_review_at; no report written");
        rc = IL_EXIT_FINDINGS;
        goto cleanup;
    }
    if (bstep == IL_REPORT_BUILD_STEP && live.rc >= 0) {
        rc = live.rc;
        st = IL_OK; /* s_live said why */
        goto cleanup;
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    rc = IL_EXIT_USAGE;
    if ((st = il_report_render(format, report, &text)) != IL_OK) {
        goto cleanup;
    }
    s_print_notices(report);
    rc = il_cli_write_output(S_PROG, a->output, &text) ? IL_EXIT_PASS : IL_EXIT_USAGE;
    if (rc == IL_EXIT_PASS && errors > 0) {
        il_cli_errorf(S_PROG, "the ledger has %zu problem(s); the report lists them", errors);
        rc = IL_EXIT_FINDINGS;
    }
    if (rc != IL_EXIT_USAGE && unverified > 0) {
        /* fail closed, as check: what was not verified is shown as unknown, and the run does not pass */
        il_cli_errorf(S_PROG, "%zu item(s) not verified: their live state is shown as unknown", unverified);
        rc = IL_EXIT_UNVERIFIED;
    }

cleanup:
    if (diags != NULL && rc != IL_EXIT_PASS && rc != IL_EXIT_UNVERIFIED) {
        il_diags_sort(diags);
        for (size_t i = 0; i < il_diags_count(diags); i++) {
            const struct il_diag *d = il_diags_get(diags, i);
            if (il_report_is_problem(d)) {
                s_print_diag(d);
            }
        }
    }
    if (st != IL_OK && rc == IL_EXIT_USAGE && il_diags_count(diags) == 0) {
        il_cli_errorf(S_PROG, "%s", il_status_str(st));
    }
    il_buf_release(&text);
    il_report_free(report);
    il_ledger_free(ledger);
    il_diags_free(diags);
    return rc;
}

int il_cli_report(int argc, char **argv) {
    struct s_args a = {.format = "html", .warn_days = 14};
    if (il_cli_aws_init(&a.aws, argc) != IL_OK) {
        il_cli_errorf(S_PROG, "out of memory");
        return IL_EXIT_USAGE;
    }
    int rc = s_parse(argc, argv, &a);
    if (rc < 0) {
        rc = s_report(&a);
    }
    il_cli_aws_release(&a.aws);
    return rc;
}
