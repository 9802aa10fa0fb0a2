/*
 * inspector-ledger check: the run. Load and validate the ledger, collect the inventory from AWS (drift_collect.c),
 * run the drift rules, render, pick the exit code. Thin: decisions live in the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "il/drift/drift.h"
#include "il/drift/implicit.h"
#include "il/drift/inventory.h"
#include "il/drift/runtime_deadlines.h"
#include "il/drift/runtimes.h"
#include "il/drift/scan_coverage.h"
#include "il/escape.h"

/* s_load's "--print-policy printed it: stop, exit 0" (not an exit code itself). */
#define IL_EXIT_PRINTED 100

struct s_run {
    struct il_check_opts *o;
    struct il_diags *diags;      /* findings */
    struct il_diags *unverified; /* not-verified findings, listed apart */
    struct il_ledger *ledger;
    struct il_runtimes *runtimes;
    struct il_cli_collect collect;        /* plan, client, inventory (cli_aws.c, shared with report --live) */
    struct il_findings_coverage coverage; /* the entries compared (set once the drift rules ran) */
    struct il_buf coverage_text;
    int has_coverage;
};

/* Problems that stop the run go to stderr, rendered as text (escaped). */
static void s_print_errors(const struct il_diags *diags) {
    struct il_buf buf;
    il_buf_init(&buf, 0);
    struct il_findings_opts oo = {.command = "check"};
    if (il_findings_write(IL_FINDINGS_TEXT, diags, &oo, &buf) == IL_OK && buf.len > 0) {
        il_cli_rawf("%s", il_buf_cstr(&buf));
    }
    il_buf_release(&buf);
}

/* Load the ledger (validate's rules included). Returns -1 to go on, or an exit code. */
static int s_load(struct s_run *r) {
    struct il_check_opts *o = r->o;
    struct il_diags *errs = il_diags_new();
    if (errs == NULL) {
        return IL_EXIT_USAGE;
    }
    int rc = il_cli_gate_prepare(&o->lo.gate, &o->lo.rules, o->ledger, IL_CHECK_PROG, r->diags);
    if (rc >= 0) {
        il_diags_free(errs);
        return rc == IL_EXIT_PASS ? IL_EXIT_PRINTED : rc;
    }
    rc = IL_EXIT_USAGE;
    struct il_ledger_open_opts oo = {.schema_path = o->lo.schema_path,
                                     .ledger_path = o->ledger,
                                     .rules = &o->lo.rules,
                                     .skip_digest = 1,
                                     .schema_diags = errs};
    if (o->verbose && o->lo.format == IL_FINDINGS_TEXT) {
        oo.source_out = &o->source; /* -v shows each finding's source line, as validate -v does */
        oo.source_len_out = &o->source_len;
    }
    enum il_ledger_open_step step;
    enum il_status st = il_ledger_open(&oo, &r->ledger, r->diags, &step);
    if (step == IL_LEDGER_OPEN_SCHEMA) {
        s_print_errors(errs);
        il_cli_errorf(IL_CHECK_PROG, "cannot use --schema '%s'", o->lo.schema_path ? o->lo.schema_path : "(built-in)");
        goto cleanup;
    }
    if (st == IL_ERR_NOTFOUND || st == IL_ERR_IO) {
        s_print_errors(r->diags);
        if (o->ledger_defaulted) {
            il_cli_errorf(IL_CHECK_PROG, "no ledger at ./" IL_LEDGER_DEFAULT_PATH
                                         ": run from the repository root or give the ledger's path");
        }
        goto cleanup;
    }
    if (step == IL_LEDGER_OPEN_LOAD && (st == IL_ERR_PARSE || st == IL_ERR_LIMIT)) {
        rc = IL_EXIT_FINDINGS; /* not loadable YAML: the finding is rendered, nothing can be compared */
        goto cleanup;
    }
    if (st != IL_OK) {
        il_cli_errorf(IL_CHECK_PROG, "%s", il_status_str(st));
        goto cleanup;
    }
    if (il_cli_gate_run(&o->lo.gate, &o->lo.rules, o->ledger, NULL, r->ledger, r->diags, IL_CHECK_PROG) >= 0) {
        goto cleanup;
    }
    if ((o->aws.collect.full || o->runtimes_path) && il_runtimes_load(o->runtimes_path, &r->runtimes, errs) != IL_OK) {
        s_print_errors(errs);
        il_cli_errorf(IL_CHECK_PROG, "cannot use --runtimes '%s'", o->runtimes_path ? o->runtimes_path : "");
        goto cleanup;
    }
    rc = -1;
cleanup:
    il_diags_free(errs);
    return rc;
}

/* Collect (shared with report --live), then compare. Returns -1 when the findings are ready, else an exit code. */
static int s_check(struct s_run *r) {
    struct il_check_opts *o = r->o;
    int rc = il_cli_collect_run(&r->collect, IL_CHECK_PROG, &o->aws, r->ledger, o->quiet);
    if (rc >= 0) {
        return rc;
    }
    struct il_coverage_opts copts;
    il_cli_collect_coverage(&r->collect, &o->aws, &copts);
    struct il_drift_opts dopts = {
        .rules = o->lo.rules, .full = o->aws.collect.full, .runtimes = r->runtimes, .coverage = &copts};
    enum il_status st = il_drift_check(r->ledger, r->collect.inv, &dopts, r->diags, r->unverified);
    if (st == IL_OK && o->aws.collect.full && r->runtimes != NULL) {
        st = il_runtime_deadlines_check(r->ledger, r->collect.inv, r->runtimes, &o->lo.rules, r->diags);
    }
    if (st == IL_OK && o->aws.collect.full && r->runtimes != NULL) {
        struct il_implicit_opts iopts = {.rules = o->lo.rules, .runtimes = r->runtimes, .severity = o->aws.implicit};
        st = il_implicit_check(r->ledger, r->collect.inv, &iopts, r->diags);
    }
    if (st == IL_OK && r->collect.scan_cov != NULL) {
        /* --coverage / --tags-source inspector: Inspector's own view (drift_inspector_rules.c) */
        struct il_scan_cov_opts sopts = {.rules = o->lo.rules, .not_scanned = o->aws.not_scanned};
        st = il_scan_cov_check(r->ledger, r->collect.inv, r->collect.scan_cov, &sopts, r->diags);
    }
    struct il_coverage cov;
    if (st == IL_OK && (st = il_coverage_compute(r->ledger, r->collect.inv, &copts, &cov)) == IL_OK) {
        st = il_coverage_summary(&cov, &r->coverage_text);
        r->coverage = (struct il_findings_coverage){.entries = cov.total,
                                                    .compared = cov.compared,
                                                    .outside = cov.declared_out,
                                                    .declared = cov.declared,
                                                    .summary = il_buf_cstr(&r->coverage_text)};
        r->has_coverage = st == IL_OK;
        il_coverage_release(&cov);
    }
    if (st != IL_OK) {
        il_cli_errorf(IL_CHECK_PROG, "%s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    il_cli_gate_adjust(&o->lo.gate, r->diags);
    return -1;
}

/* Findings and what was not verified come in two lists (il_drift_check); every writer shows them apart, sorted. */
static enum il_status s_split(struct s_run *r) {
    il_diags_sort(r->diags);
    il_diags_sort(r->unverified);
    return IL_OK;
}

int il_cli_check_run(struct il_check_opts *o) {
    struct s_run r = {.o = o, .diags = il_diags_new(), .unverified = il_diags_new()};
    il_buf_init(&r.coverage_text, 0);
    int rc = IL_EXIT_USAGE;
    if (r.diags == NULL || r.unverified == NULL) {
        il_cli_errorf(IL_CHECK_PROG, "out of memory");
        goto cleanup;
    }
    rc = s_load(&r);
    if (rc == IL_EXIT_PRINTED) {
        rc = IL_EXIT_PASS; /* --print-policy */
        goto cleanup;
    }
    if (rc < 0) {
        rc = s_check(&r);
    } else if (rc == IL_EXIT_FINDINGS) {
        rc = -1; /* an unloadable ledger: render its finding */
    }
    if (rc < 0) {
        rc = s_split(&r) == IL_OK
                 ? il_cli_check_render(o, r.diags, r.unverified, r.ledger, r.collect.inv, &r.collect.plan,
                                       r.collect.identity.account, r.has_coverage ? &r.coverage : NULL)
                 : IL_EXIT_USAGE;
        rc = il_cli_gate_exit(&o->lo.gate, rc);
    }
cleanup:
    il_cli_gate_release(&o->lo.gate);
    free(o->source);
    o->source = NULL;
    o->source_len = 0;
    il_cli_collect_release(&r.collect);
    il_buf_release(&r.coverage_text);
    il_runtimes_free(r.runtimes);
    il_ledger_free(r.ledger);
    il_diags_free(r.diags);
    il_diags_free(r.unverified);
    return rc;
}
