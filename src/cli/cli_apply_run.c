/*
 * inspector-ledger apply: the run. Load the ledger (refused when it has errors other than `expired`), collect the
 * inventory exactly as check does (cli_aws.c), plan from verified scopes only, ask on a terminal, carry the plan out
 * through the library (il_apply_execute), write the change log line of each change as it finishes, render.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_apply.h"
#include "cli/cli_msgs.h"
#include "il/drift/apply_exec.h"
#include "il/escape.h"
#include "il/findings.h"
#include "il/report/report.h"

struct s_run {
    struct il_apply_cli_opts *o;
    struct il_diags *diags;
    struct il_ledger *ledger;
    struct il_cli_collect collect;
    struct il_apply_action *actions;
    size_t count;
    struct il_apply_result *results;
    struct il_buf unverified_text; /* the not-verified messages, NUL-separated */
    const char **unverified;
    size_t unverified_count;
    struct il_buf coverage;
    struct il_buf scope;
    struct il_report *git; /* the ledger's git evidence (for the change log) */
    struct il_apply_log *log;
    struct il_apply_log_info log_info;
    char run_id[48];
    char as_of[IL_DATE_STRLEN];
    size_t log_lines;
    int log_failed;
    int stream; /* text to standard output: each change's line as it finishes */
};

static void s_release(struct s_run *r) {
    for (size_t i = 0; r->results && i < r->count; i++) {
        il_apply_result_release(&r->results[i]);
    }
    free(r->results);
    free(r->actions);
    free(r->unverified);
    il_buf_release(&r->unverified_text);
    il_buf_release(&r->coverage);
    il_buf_release(&r->scope);
    il_report_free(r->git);
    il_cli_collect_release(&r->collect);
    il_ledger_free(r->ledger);
    il_diags_free(r->diags);
}

static void s_error_escaped(const char *prefix, const char *text) {
    struct il_buf safe;
    il_buf_init(&safe, 0);
    if (il_escape_terminal(&safe, text) == IL_OK) {
        il_cli_errorf(IL_APPLY_PROG, "%s%s", prefix, il_buf_cstr(&safe));
    }
    il_buf_release(&safe);
}

/* Load; refuse a ledger with errors. Returns -1 to go on, or the exit code. */
static int s_load(struct s_run *r) {
    enum il_status st = il_ledger_load_file(r->o->ledger_path, NULL, &r->ledger, r->diags);
    if (st == IL_ERR_NOTFOUND || st == IL_ERR_IO) {
        const struct il_diag *d = il_diags_count(r->diags) ? il_diags_get(r->diags, 0) : NULL;
        s_error_escaped("", d ? d->message : "cannot read the ledger");
        return IL_EXIT_USAGE;
    }
    if (st == IL_OK) {
        st = il_ledger_check_rules(r->ledger, &r->o->rules, r->diags);
    }
    if (st != IL_OK && st != IL_ERR_PARSE && st != IL_ERR_LIMIT) {
        il_cli_errorf(IL_APPLY_PROG, "%s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    /* expired entries are exactly what apply acts on, so `expired` does not block; every other error does */
    size_t blocking = 0;
    for (size_t i = 0; i < il_diags_count(r->diags); i++) {
        const struct il_diag *d = il_diags_get(r->diags, i);
        blocking += d->severity == IL_SEV_ERROR && strcmp(d->rule, "expired") != 0;
    }
    if (r->ledger != NULL && blocking == 0) {
        return -1;
    }
    il_diags_sort(r->diags);
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_findings_opts oo = {.command = "apply", .ledger_file = r->o->ledger_path};
    if (il_findings_write(IL_FINDINGS_TEXT, r->diags, &oo, &out) == IL_OK) {
        il_cli_rawf("%s", il_buf_cstr(&out));
    }
    il_buf_release(&out);
    il_cli_errorf(IL_APPLY_PROG, "the ledger has errors: nothing was applied (fix them; 'inspector-ledger validate')");
    return IL_EXIT_FINDINGS;
}

/* What was not verified (the drift engine's not-verified findings, which check fails closed on) and the coverage. */
static enum il_status s_unverified(struct s_run *r) {
    struct il_coverage_opts copts;
    il_cli_collect_coverage(&r->collect, &r->o->aws, &copts);
    struct il_drift_opts dopts = {.rules = r->o->rules, .coverage = &copts};
    struct il_diags *diags = il_diags_new(), *findings = il_diags_new(); /* diags: the not-verified list */
    struct il_coverage cov = {0};
    enum il_status st =
        diags && findings ? il_drift_check(r->ledger, r->collect.inv, &dopts, findings, diags) : IL_ERR_NOMEM;
    if (st == IL_OK && (st = il_coverage_compute(r->ledger, r->collect.inv, &copts, &cov)) == IL_OK) {
        st = il_coverage_summary(&cov, &r->coverage);
    }
    if (st == IL_OK) {
        il_diags_sort(diags);
        size_t n = il_diags_count(diags);
        for (size_t i = 0; i < n && st == IL_OK; i++) {
            const struct il_diag *d = il_diags_get(diags, i);
            st = il_buf_append(&r->unverified_text, d->message, strlen(d->message) + 1);
            r->unverified_count++;
        }
        r->unverified = calloc(r->unverified_count + 1, sizeof(*r->unverified));
        st = st == IL_OK && r->unverified == NULL ? IL_ERR_NOMEM : st;
        const char *p = r->unverified_text.data;
        for (size_t i = 0; st == IL_OK && i < r->unverified_count; i++) {
            r->unverified[i] = p;
            p += strlen(p) + 1;
        }
    }
    if (st == IL_OK) {
        st = il_collect_plan_describe(&r->collect.plan, &r->o->aws.collect, r->collect.identity.account, &r->scope);
    }
    il_coverage_release(&cov);
    il_diags_free(findings);
    il_diags_free(diags);
    return st;
}

static struct il_apply_view s_view(const struct s_run *r, const char *mode) {
    return (struct il_apply_view){
        .actions = r->actions,
        .count = r->count,
        .results = strcmp(mode, "apply") == 0 ? r->results : NULL,
        .mode = mode,
        .ledger_file = r->o->ledger_path,
        .as_of = r->as_of,
        .scope = r->scope.len ? il_buf_cstr(&r->scope) : NULL,
        .coverage = r->coverage.len ? il_buf_cstr(&r->coverage) : NULL,
        .unverified = r->unverified,
        .unverified_count = r->unverified_count,
    };
}

/* On a terminal without --yes: show the plan and ask once. 1 when the answer is yes. */
static int s_confirm(const struct s_run *r) {
    struct il_apply_view v = s_view(r, "plan");
    struct il_buf text;
    il_buf_init(&text, 0);
    for (size_t i = 0; i < v.count; i++) {
        if (il_apply_render_line(&v, i, &text) != IL_OK) {
            il_buf_release(&text);
            return 0;
        }
    }
    il_cli_rawf("%s", il_buf_cstr(&text));
    il_buf_release(&text);
    il_cli_rawf(IL_APPLY_PROG ": apply these %zu change%s? [y/N] ", r->count, r->count == 1 ? "" : "s");
    char answer[16];
    if (fgets(answer, sizeof(answer), stdin) == NULL) {
        il_cli_rawf("\n");
        return 0;
    }
    return strcmp(answer, "y\n") == 0 || strcmp(answer, "Y\n") == 0 || strcmp(answer, "yes\n") == 0 ||
           strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0;
}

/* After each change: its text line as it happens, its reason on stderr when it failed, its change log line. */
static enum il_status s_done(void *ctx, const struct il_apply_action *a, const struct il_apply_result *res) {
    struct s_run *r = ctx;
    size_t i = (size_t)(a - r->actions);
    r->results[i] = *res; /* shallow, for the line; the executor's slot keeps ownership */
    struct il_apply_view v = s_view(r, "apply");
    struct il_buf line;
    il_buf_init(&line, 0);
    enum il_status st = IL_OK;
    if (r->stream && il_apply_render_line(&v, i, &line) == IL_OK) {
        fputs(il_buf_cstr(&line), stdout);
        fflush(stdout);
    }
    if (res->state == IL_APPLY_FAILED) {
        s_error_escaped("", res->error ? res->error : "failed");
    }
    if (r->log != NULL) {
        struct il_buf why;
        il_buf_init(&why, 1024);
        il_buf_reset(&line);
        st = il_apply_log_line(&r->log_info, a, res, &line);
        if (st == IL_OK) {
            st = il_apply_log_append(r->log, &line, &why);
        }
        if (st != IL_OK) {
            s_error_escaped("", why.len ? il_buf_cstr(&why) : il_status_str(st));
            r->log_failed = 1;
        } else {
            r->log_lines++;
        }
        il_buf_release(&why);
    }
    il_buf_release(&line);
    memset(&r->results[i], 0, sizeof(r->results[i]));
    return st;
}

/* The change log's fixed fields: who, which ledger bytes, which commit. Returns -1 or the exit code. */
static int s_log_open(struct s_run *r) {
    struct il_buf why;
    il_buf_init(&why, 1024);
    enum il_status st = il_apply_log_open(r->o->log_path, &r->log, &why);
    if (st != IL_OK) {
        s_error_escaped("", why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return IL_EXIT_USAGE;
    }
    il_buf_release(&why);
    struct il_report_opts ro = {.as_of = r->as_of, .warn_days = 0};
    const struct il_report_stamp *stamp = NULL;
    if (il_report_new(&ro, &r->git) == IL_OK && il_report_git_stamp(r->git, r->o->ledger_path) == IL_OK) {
        stamp = il_report_stamp(r->git);
    }
    int git = stamp != NULL && stamp->git_state == IL_REPORT_GIT_OK;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(r->run_id, sizeof(r->run_id), "%lld-%ld", (long long)ts.tv_sec, (long)getpid());
    r->log_info = (struct il_apply_log_info){
        .run_id = r->run_id,
        .tool_version = IL_VERSION,
        .caller_arn = r->collect.identity.arn,
        .caller_account = r->collect.identity.account,
        .ledger_file = r->o->ledger_path,
        .ledger_sha256 = il_ledger_sha256(r->ledger),
        .git_commit = git ? stamp->git_head : NULL,
        .git_file_commit = git ? stamp->git_file_commit : NULL,
        .git_dirty = git ? stamp->git_dirty : -1,
        .assumed_role = r->collect.plan.use_role,
    };
    return -1;
}

static int s_run(struct s_run *r) {
    struct il_apply_cli_opts *o = r->o;
    il_date_format(&o->rules.as_of, r->as_of);
    int rc = s_load(r);
    if (rc >= 0) {
        return rc;
    }
    if ((rc = il_cli_collect_run(&r->collect, IL_APPLY_PROG, &o->aws, r->ledger, 0)) >= 0) {
        return rc;
    }
    struct il_scope_decl declared = {.accounts = o->aws.collect.only_accounts,
                                     .account_count = o->aws.collect.only_account_count,
                                     .regions = o->aws.collect.only_regions,
                                     .region_count = o->aws.collect.only_region_count};
    /* STS's answer bounds the plan: without a per-account role no change goes to an account other than the one the
     * credentials were verified for; with one, each account's scope was verified through its own role */
    struct il_apply_opts ao = {.rules = o->rules,
                               .remove_unrecorded = o->remove_unrecorded,
                               .declared = &declared,
                               .caller_account = r->collect.plan.use_role ? NULL : r->collect.identity.account};
    int known = r->collect.plan.use_role || r->collect.identity.account != NULL;
    if (s_unverified(r) != IL_OK ||
        (known && il_apply_plan(r->ledger, r->collect.inv, &ao, &r->actions, &r->count) != IL_OK) ||
        (r->results = calloc(r->count + 1, sizeof(*r->results))) == NULL) {
        il_cli_errorf(IL_APPLY_PROG, "out of memory");
        return IL_EXIT_USAGE;
    }
    for (size_t i = 0; i < r->unverified_count; i++) {
        s_error_escaped("not verified: ", r->unverified[i]);
    }
    int go = o->yes;
    const char *mode = "plan";
    if (!go && !o->dry_run && r->count > 0 && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
        go = s_confirm(r);
        mode = go ? "apply" : "declined";
    }
    if (go) {
        mode = "apply";
        if (o->log_path != NULL && (rc = s_log_open(r)) >= 0) {
            return rc;
        }
        r->stream = o->format == IL_APPLY_FORMAT_TEXT && o->output == NULL;
        struct il_apply_exec_opts eo = {
            .plan = &r->collect.plan, .collect = &o->aws.collect, .on_done = s_done, .ctx = r};
        struct il_apply_result *mine = calloc(r->count + 1, sizeof(*mine));
        enum il_status st = mine ? il_apply_execute(r->collect.client, r->actions, r->count, &eo, mine) : IL_ERR_NOMEM;
        for (size_t i = 0; mine && i < r->count; i++) {
            r->results[i] = mine[i]; /* ownership moves to the run */
        }
        free(mine);
        struct il_buf why;
        il_buf_init(&why, 1024);
        if (il_apply_log_close(r->log, &why) != IL_OK) {
            s_error_escaped("", il_buf_cstr(&why));
            r->log_failed = 1;
        }
        r->log = NULL;
        il_buf_release(&why);
        if (st != IL_OK && !r->log_failed) {
            il_cli_errorf(IL_APPLY_PROG, "the run stopped: %s", il_status_str(st));
        }
    }
    struct il_apply_view v = s_view(r, mode);
    struct il_buf out;
    il_buf_init(&out, 0);
    enum il_status st = r->stream ? il_apply_render_summary(&v, &out) : il_apply_render(o->format, &v, &out);
    int written = st == IL_OK && il_cli_write_output(IL_APPLY_PROG, o->output, &out);
    il_buf_release(&out);
    size_t failed = 0, not_attempted = 0;
    for (size_t i = 0; go && i < r->count; i++) {
        failed += r->results[i].state == IL_APPLY_FAILED;
        not_attempted += r->results[i].state == IL_APPLY_NOT_ATTEMPTED;
    }
    if (failed) {
        il_cli_errorf(IL_APPLY_PROG, "%zu of %zu changes failed (the others are done)", failed, r->count);
    }
    if (r->log_failed) {
        il_cli_errorf(IL_APPLY_PROG, "the change log could not be written: stopped; %zu change%s not attempted",
                      not_attempted, not_attempted == 1 ? "" : "s");
    }
    if (!written) {
        return IL_EXIT_USAGE;
    }
    return r->unverified_count || failed || not_attempted || r->log_failed ? IL_EXIT_UNVERIFIED : IL_EXIT_PASS;
}

int il_cli_apply_run(struct il_apply_cli_opts *o) {
    struct s_run r = {.o = o, .diags = il_diags_new()};
    il_buf_init(&r.unverified_text, 0);
    il_buf_init(&r.coverage, 0);
    il_buf_init(&r.scope, 0);
    int rc = r.diags ? s_run(&r) : IL_EXIT_USAGE;
    s_release(&r);
    return rc;
}
