/*
 * inspector-ledger check: the run. Load and validate the ledger, collect the inventory from AWS (audit_collect.c),
 * run the drift rules, render, pick the exit code. Thin: decisions live in the library.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "il/aws/credentials.h"
#include "il/aws/endpoint.h"
#include "il/drift.h"
#include "il/escape.h"
#include "il/inventory.h"
#include "il/runtimes.h"

struct s_run {
    struct il_check_opts *o;
    struct il_diags *diags;      /* findings */
    struct il_diags *unverified; /* not-verified findings, listed apart */
    struct il_ledger_schema *schema;
    struct il_ledger *ledger;
    struct il_runtimes *runtimes;
    char *home_region;
    struct il_collect_plan plan;
    struct il_credentials_provider *provider;
    struct il_aws_client *client;
    struct il_inventory *inv;
    struct il_collect_identity identity;
    int progress_tty;
    struct timespec progress_last;
    int progress_shown;
};

/* Problems that stop the run go to stderr, rendered as text (escaped). */
static void s_print_errors(const struct il_diags *diags) {
    struct il_buf buf;
    il_buf_init(&buf, 0);
    struct il_output_opts oo = {.command = "check"};
    if (il_output_write(IL_FMT_TEXT, diags, &oo, &buf) == IL_OK && buf.len > 0) {
        fputs(il_buf_cstr(&buf), stderr);
    }
    il_buf_release(&buf);
}

static void s_debug_line(void *ctx, const char *line) {
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

static void s_progress(void *ctx, const struct il_collect_progress *p) {
    struct s_run *r = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (long)(now.tv_sec - r->progress_last.tv_sec) * 1000 + (now.tv_nsec - r->progress_last.tv_nsec) / 1000000;
    if (r->progress_shown && ms < 100 && p->scopes_done < p->scopes_total) {
        return;
    }
    r->progress_last = now;
    r->progress_shown = 1;
    fprintf(stderr, "\r\033[Kchecking: %zu/%zu account/region scopes done, %zu functions, %zu requests", p->scopes_done,
            p->scopes_total, p->functions, p->requests);
    fflush(stderr);
}

/* Load the ledger (validate's rules included). Returns -1 to go on, or an exit code. */
static int s_load(struct s_run *r) {
    struct il_check_opts *o = r->o;
    struct il_diags *errs = il_diags_new();
    if (errs == NULL) {
        return IL_EXIT_USAGE;
    }
    int rc = IL_EXIT_USAGE;
    if (il_ledger_schema_load(o->schema_path, &r->schema, errs) != IL_OK) {
        s_print_errors(errs);
        fprintf(stderr, IL_CHECK_PROG ": cannot use --schema '%s'\n", o->schema_path ? o->schema_path : "(built-in)");
        goto cleanup;
    }
    struct il_ledger_load_opts lo = {.schema = r->schema};
    enum il_status st = il_ledger_load_file(o->ledger, &lo, &r->ledger, r->diags);
    if (st == IL_ERR_NOTFOUND || st == IL_ERR_IO) {
        s_print_errors(r->diags);
        if (o->ledger_defaulted) {
            fprintf(stderr, IL_CHECK_PROG ": no ledger at ./" IL_LEDGER_DEFAULT_PATH
                                          ": run from the repository root or give the ledger's path\n");
        }
        goto cleanup;
    }
    if (st == IL_ERR_PARSE || st == IL_ERR_LIMIT) {
        rc = IL_EXIT_FINDINGS; /* not loadable YAML: the finding is rendered, nothing can be compared */
        goto cleanup;
    }
    if (st != IL_OK || (st = il_ledger_check_rules(r->ledger, &o->rules, r->diags)) != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": %s\n", il_status_str(st));
        goto cleanup;
    }
    if ((o->collect.full || o->runtimes_path) && il_runtimes_load(o->runtimes_path, &r->runtimes, errs) != IL_OK) {
        s_print_errors(errs);
        fprintf(stderr, IL_CHECK_PROG ": cannot use --runtimes '%s'\n", o->runtimes_path ? o->runtimes_path : "");
        goto cleanup;
    }
    rc = -1;
cleanup:
    il_diags_free(errs);
    return rc;
}

/* The home region (STS calls, the partition): AWS_REGION, AWS_DEFAULT_REGION, else the first --region, else the first
 * region the ledger names. Not --region first: a region given to be checked may be one that rejects the credentials
 * (an opt-in region), and the caller's identity must still be learnt somewhere that answers. */
static int s_home_region(struct s_run *r) {
    struct il_buf why;
    il_buf_init(&why, 2048);
    const char *cli = r->o->collect.region_count ? r->o->collect.regions[0] : NULL;
    enum il_status st = il_aws_region_resolve(NULL, NULL, NULL, NULL, &r->home_region, &why);
    if (st == IL_ERR_NOTFOUND && cli != NULL) {
        il_buf_reset(&why);
        st = il_aws_region_resolve(cli, NULL, NULL, NULL, &r->home_region, &why);
    }
    if (st == IL_ERR_NOTFOUND) {
        for (size_t i = 0; i < il_ledger_entry_count(r->ledger); i++) {
            const struct il_ledger_entry *e = il_ledger_entry(r->ledger, i);
            if (e->arn.valid && il_aws_region_is_valid(e->arn.region)) {
                r->home_region = il_strdup(e->arn.region);
                st = r->home_region ? IL_OK : IL_ERR_NOMEM;
                break;
            }
        }
    }
    if (st != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": %s\n",
                why.len ? il_buf_cstr(&why) : "no region: pass --region or set AWS_REGION");
    }
    il_buf_release(&why);
    return st == IL_OK ? -1 : IL_EXIT_USAGE;
}

static int s_client(struct s_run *r) {
    struct il_check_opts *o = r->o;
    struct il_buf why;
    il_buf_init(&why, 4096);
    if (o->profile && setenv("AWS_PROFILE", o->profile, 1) != 0) {
        fprintf(stderr, IL_CHECK_PROG ": cannot set AWS_PROFILE: %s\n", strerror(errno));
        return IL_EXIT_USAGE;
    }
    r->provider = il_credentials_provider_default_new();
    struct il_aws_client_config cfg = {
        .region = r->home_region,
        .endpoints = {.endpoint_url = o->endpoint_url},
        .credentials = r->provider,
        .max_attempts = o->max_attempts,
        .rate_limit = o->rate_limit,
        .debug_fn = o->debug ? s_debug_line : NULL,
    };
    enum il_status st = r->provider ? il_aws_client_new(&cfg, &r->client, &why) : IL_ERR_NOMEM;
    if (st != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": cannot set up the AWS client: %s\n",
                why.len ? il_buf_cstr(&why) : il_status_str(st));
    }
    il_buf_release(&why);
    return st == IL_OK ? -1 : IL_EXIT_USAGE;
}

/* Plan, collect, compare. Returns -1 when the findings are ready, else an exit code. */
static int s_check(struct s_run *r) {
    struct il_check_opts *o = r->o;
    int rc = s_home_region(r);
    if (rc >= 0) {
        return rc;
    }
    struct il_buf why;
    il_buf_init(&why, 4096);
    enum il_status st = il_collect_plan_build(&o->collect, r->ledger, r->home_region, &r->plan, &why);
    if (st != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": %s\nTry 'inspector-ledger check --help'.\n",
                why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return IL_EXIT_USAGE;
    }
    il_buf_release(&why);
    if ((rc = s_client(r)) >= 0) {
        return rc;
    }
    if ((r->inv = il_inventory_new()) == NULL) {
        fprintf(stderr, IL_CHECK_PROG ": out of memory\n");
        return IL_EXIT_USAGE;
    }
    r->progress_tty = !o->quiet && !o->debug && isatty(STDERR_FILENO);
    if (r->progress_tty) {
        o->collect.progress = s_progress;
        o->collect.progress_ctx = r;
    }
    st = il_collect_run(r->client, &r->plan, r->ledger, &o->collect, r->inv, &r->identity);
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
    }
    if (st != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": the collection stopped: %s\n", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    struct il_drift_opts dopts = {.rules = o->rules, .full = o->collect.full, .runtimes = r->runtimes};
    if ((st = il_drift_check(r->ledger, r->inv, &dopts, r->diags)) != IL_OK) {
        fprintf(stderr, IL_CHECK_PROG ": %s\n", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    return -1;
}

/* Move the not-verified findings into their own list: every writer shows them apart. */
static enum il_status s_split(struct s_run *r) {
    struct il_diags *rest = il_diags_new();
    if (rest == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = IL_OK;
    for (size_t i = 0; i < il_diags_count(r->diags) && st == IL_OK; i++) {
        const struct il_diag *d = il_diags_get(r->diags, i);
        st = il_diags_add(strcmp(d->rule, "not-verified") == 0 ? r->unverified : rest, d);
    }
    if (st == IL_OK) {
        il_diags_free(r->diags);
        r->diags = rest;
        il_diags_sort(r->diags);
        il_diags_sort(r->unverified);
    } else {
        il_diags_free(rest);
    }
    return st;
}

int il_cli_check_run(struct il_check_opts *o) {
    struct s_run r = {.o = o, .diags = il_diags_new(), .unverified = il_diags_new()};
    int rc = IL_EXIT_USAGE;
    if (r.diags == NULL || r.unverified == NULL) {
        fprintf(stderr, IL_CHECK_PROG ": out of memory\n");
        goto cleanup;
    }
    rc = s_load(&r);
    if (rc < 0) {
        rc = s_check(&r);
    } else if (rc == IL_EXIT_FINDINGS) {
        rc = -1; /* an unloadable ledger: render its finding */
    }
    if (rc < 0) {
        rc = s_split(&r) == IL_OK
                 ? il_cli_check_render(o, r.diags, r.unverified, r.ledger, r.inv, &r.plan, r.identity.account)
                 : IL_EXIT_USAGE;
    }
cleanup:
    il_collect_identity_release(&r.identity);
    il_inventory_free(r.inv);
    il_aws_client_free(r.client);
    il_credentials_provider_free(r.provider);
    il_collect_plan_release(&r.plan);
    free(r.home_region);
    il_runtimes_free(r.runtimes);
    il_ledger_free(r.ledger);
    il_ledger_schema_free(r.schema);
    il_diags_free(r.diags);
    il_diags_free(r.unverified);
    return rc;
}
