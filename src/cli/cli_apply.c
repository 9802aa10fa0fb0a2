/*
 * inspector-ledger apply: make the exclusion tags follow the ledger, so an exclusion really ends when it expires.
 *
 * Dry run unless --yes. Refuses to act on a ledger with errors (a broken ledger must never drive changes). Reads tags
 * authoritatively (ListFunctions + ListTags) in the caller's account, and plans only for account/region scopes that
 * were fully verified; anything not verified, and any change that fails, makes the run exit 3.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_aws.h"
#include "cli/cli_opts.h"
#include "il/drift/apply.h"
#include "il/drift/apply_exec.h"
#include "il/drift/collect.h"
#include "il/drift/drift.h"
#include "il/escape.h"
#include "il/findings.h"

#define S_PROG "inspector-ledger apply"
#define S_MAX_REGIONS 64

struct s_opts {
    const char *ledger_path;
    const char *regions[S_MAX_REGIONS];
    size_t region_count;
    const char *only_accounts[S_MAX_REGIONS]; /* --only-account: a declared partial run */
    size_t only_account_count;
    const char *only_regions[S_MAX_REGIONS]; /* --only-region */
    size_t only_region_count;
    const char *endpoint_url;
    struct il_cli_creds aws;
    const char *as_of;
    unsigned max_attempts;
    double rate_limit;
    unsigned max_pages;
    long timeout_ms; /* -1: not given */
    int yes;
    int remove_unrecorded;
    int debug;
};

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: inspector-ledger apply [options] [LEDGER]\n"
            "\n"
            "Makes the exclusion tags in the caller's account follow the ledger: adds the tag of every active\n"
            "entry whose function lacks it, and removes the tag of every expired entry. Prints the plan and\n"
            "changes nothing unless --yes is given. LEDGER defaults to " IL_LEDGER_DEFAULT_PATH ".\n"
            "\n"
            "  --yes                  carry the plan out (default: dry run)\n"
            "  --remove-unrecorded    also remove exclusion tags that no ledger entry records\n"
            "  --region REGION        also look in REGION (repeatable); the ledger's regions are always included\n"
            "  --only-account ID      declare a partial run: only entries in account ID (repeatable); entries\n"
            "                         elsewhere are counted outside the declared scope instead of failing (exit 3)\n"
            "  --only-region REGION   declare a partial run: only REGION (repeatable)\n"
            "  --as-of YYYY-MM-DD     decide active/expired on this day instead of today (UTC)\n"
            "  --profile NAME         use this AWS profile (sets AWS_PROFILE; environment keys are then "
            "ignored)\n" IL_CLI_AWS_ROLE_USAGE "  --endpoint-url URL     send every AWS request to URL\n"
            "  --max-attempts N       attempts per request incl. retries (default AWS_MAX_ATTEMPTS or 3)\n"
            "  --rate-limit N         Lambda requests per second per account and region (default "
            "15)\n" IL_CLI_AWS_HELP_BOUNDS
            "  --debug                trace AWS requests on stderr (credentials redacted)\n"
            "  -h, --help             show this help\n"
            "  -V, --version          print the version\n"
            "\n"
            "exit codes: 0 done (or nothing to do), 1 the ledger has errors (nothing applied), 2 usage error,\n"
            "3 something was not verified, an entry could not be reached, or a change failed.\n");
}

static int s_parse(int argc, char **argv, struct s_opts *o) {
    static const struct option longopts[] = {
        {"yes", no_argument, NULL, 'y'},
        {"remove-unrecorded", no_argument, NULL, 'u'},
        {"region", required_argument, NULL, 'r'},
        {"as-of", required_argument, NULL, 'a'},
        {"profile", required_argument, NULL, 'p'},
        {"endpoint-url", required_argument, NULL, 'e'},
        {"max-attempts", required_argument, NULL, 'm'},
        {"rate-limit", required_argument, NULL, 'l'},
        {"role-arn", required_argument, NULL, 'R'},
        {"external-id", required_argument, NULL, 'x'},
        {"role-session-name", required_argument, NULL, 'S'},
        {"debug", no_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"only-account", required_argument, NULL, 'A'},
        {"only-region", required_argument, NULL, 'G'},
        {"max-pages", required_argument, NULL, 'P'},
        {"timeout", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0; /* one line naming the option and a pointer to --help, as validate and check */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'y': o->yes = 1; break;
        case 'u': o->remove_unrecorded = 1; break;
        case 'r':
            if (o->region_count == S_MAX_REGIONS) {
                return il_cli_usage_error(S_PROG, "too many --region options (at most %d)", S_MAX_REGIONS);
            }
            o->regions[o->region_count++] = optarg;
            break;
        case 'A':
        case 'G': {
            size_t *count = c == 'A' ? &o->only_account_count : &o->only_region_count;
            if (*count == S_MAX_REGIONS) {
                il_cli_errorf(S_PROG, "too many --only-%s options (at most %d)", c == 'A' ? "account" : "region",
                              S_MAX_REGIONS);
                return IL_EXIT_USAGE;
            }
            (c == 'A' ? o->only_accounts : o->only_regions)[(*count)++] = optarg;
            break;
        }
        case 'a': o->as_of = optarg; break;
        case 'p': o->aws.profile = optarg; break;
        case 'R': o->aws.role_arn = optarg; break;
        case 'x': o->aws.external_id = optarg; break;
        case 'S': o->aws.role_session_name = optarg; break;
        case 'e': o->endpoint_url = optarg; break;
        case 'm':
            if (!il_cli_parse_max_attempts(optarg, &o->max_attempts)) {
                return il_cli_usage_error(S_PROG, "invalid --max-attempts '%s': use a whole number from 1 to 20",
                                          optarg);
            }
            break;
        case 'l':
            if (!il_cli_parse_rate_limit(optarg, &o->rate_limit)) {
                return il_cli_usage_error(S_PROG, "invalid --rate-limit '%s': use requests per second above 0", optarg);
            }
            break;
        case 'd': o->debug = 1; break;
        case 'P':
            if (!il_cli_parse_max_pages(optarg, &o->max_pages)) {
                il_cli_errorf(S_PROG, "--max-pages must be a whole number from 1 to 10000000");
                return IL_EXIT_USAGE;
            }
            break;
        case 'T':
            if (!il_cli_parse_timeout(optarg, &o->timeout_ms)) {
                il_cli_errorf(S_PROG, "--timeout must be whole seconds from 0 (none) to 604800");
                return IL_EXIT_USAGE;
            }
            break;
        case 'h': s_usage(stdout); return IL_EXIT_PASS;
        case ':': return il_cli_usage_error(S_PROG, "option '%s' needs a value", argv[optind - 1]);
        default: return il_cli_usage_error(S_PROG, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc) {
        return il_cli_usage_error(S_PROG, "one ledger at most (got '%s' and '%s')", argv[optind], argv[optind + 1]);
    }
    o->ledger_path = optind < argc ? argv[optind] : IL_LEDGER_DEFAULT_PATH;
    return -1;
}

/* Print the ledger's errors (text format) and say that nothing was applied. */
static void s_refuse(const struct il_diags *diags, const char *path) {
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_findings_opts oo = {.command = "apply", .ledger_file = path};
    if (il_findings_write(IL_FINDINGS_TEXT, diags, &oo, &out) == IL_OK) {
        il_cli_rawf("%s", il_buf_cstr(&out));
    }
    il_buf_release(&out);
    il_cli_errorf(S_PROG, "the ledger has errors: nothing was applied (fix them; 'inspector-ledger validate')");
}

static void s_print_action(const struct il_apply_action *a, const char *state) {
    struct il_buf arn;
    il_buf_init(&arn, 0);
    if (il_escape_terminal(&arn, a->arn) == IL_OK) {
        printf("%-8s %s %s=%s on %s (%s)%s%s\n", a->kind == IL_APPLY_TAG ? "tag" : "untag",
               a->kind == IL_APPLY_TAG ? "add" : "remove", a->key, a->value, il_buf_cstr(&arn), a->why,
               state ? ": " : "", state ? state : "");
    }
    il_buf_release(&arn);
}

/* One change carried out (il_apply_execute()): the action with its outcome on stdout, AWS's reason on stderr. */
static void s_done(void *ctx, const struct il_apply_action *a, enum il_status st, const char *why) {
    (void)ctx;
    struct il_buf safe;
    il_buf_init(&safe, 0);
    if (st != IL_OK && il_escape_terminal(&safe, why) == IL_OK) {
        s_print_action(a, "FAILED");
        il_cli_errorf(S_PROG, "%s", il_buf_cstr(&safe));
    } else if (st == IL_OK) {
        s_print_action(a, "done");
    }
    il_buf_release(&safe);
}

struct s_run {
    struct il_ledger *ledger;
    struct il_diags *diags;
    char *home_region;
    struct il_cli_client aws; /* the credentials provider and the run's client (cli_aws.h) */
    struct il_collect_plan plan;
    struct il_inventory *inv;
    struct il_collect_identity identity;
    struct il_apply_action *actions;
    size_t action_count;
};

static void s_run_release(struct s_run *r) {
    free(r->actions);
    il_inventory_free(r->inv);
    il_collect_identity_release(&r->identity);
    il_collect_plan_release(&r->plan);
    il_cli_client_release(&r->aws);
    free(r->home_region);
    il_ledger_free(r->ledger);
    il_diags_free(r->diags);
}

/* Say what was not verified or not reached — the drift engine's not-verified findings, the same check fails closed
 * on — and how many entries were compared. Returns how many items were not verified (any makes the run exit 3). */
static size_t s_report_unverified(const struct s_run *r, const struct il_ledger_rule_opts *rules,
                                  const struct il_collect_opts *co, int *failed) {
    struct il_coverage_opts copts;
    il_coverage_opts_for(co, &r->plan, r->identity.account, 0, &copts);
    struct il_drift_opts dopts = {.rules = *rules, .coverage = &copts};
    struct il_diags *diags = il_diags_new(), *findings = il_diags_new();
    struct il_coverage cov = {0};
    struct il_buf line;
    il_buf_init(&line, 0);
    size_t n = 0;
    *failed =
        diags == NULL || findings == NULL || il_drift_check(r->ledger, r->inv, &dopts, findings, diags) != IL_OK ||
        il_coverage_compute(r->ledger, r->inv, &copts, &cov) != IL_OK || il_coverage_summary(&cov, &line) != IL_OK;
    if (!*failed) {
        printf("entries: %s\n", il_buf_cstr(&line));
        il_diags_sort(diags);
    }
    for (size_t i = 0; !*failed && i < il_diags_count(diags); i++) {
        const struct il_diag *d = il_diags_get(diags, i);
        il_buf_reset(&line);
        if (il_escape_terminal(&line, d->message) == IL_OK) {
            il_cli_errorf(S_PROG, "not verified: %s (nothing changed for %s)", il_buf_cstr(&line),
                          d->function_arn ? "this entry" : "these entries");
        }
        n++;
    }
    il_buf_release(&line);
    il_coverage_release(&cov);
    il_diags_free(findings);
    il_diags_free(diags);
    return n;
}

static int s_apply(struct s_opts *o, struct s_run *r) {
    struct il_ledger_rule_opts rules;
    if (il_ledger_rule_opts_default(&rules) != IL_OK ||
        (o->as_of != NULL && il_date_parse_str(o->as_of, &rules.as_of) != IL_OK)) {
        il_cli_errorf(S_PROG, "--as-of must be a calendar date YYYY-MM-DD");
        return IL_EXIT_USAGE;
    }
    struct il_ledger_open_opts oo = {.ledger_path = o->ledger_path, .rules = &rules};
    enum il_ledger_open_step step;
    enum il_status st = il_ledger_open(&oo, &r->ledger, r->diags, &step);
    if (st == IL_ERR_NOTFOUND || st == IL_ERR_IO) {
        /* the loader's diagnostic says why ("is a directory", "standard input is closed", ...) */
        struct il_buf safe;
        il_buf_init(&safe, 0);
        const struct il_diag *d = il_diags_count(r->diags) ? il_diags_get(r->diags, 0) : NULL;
        if (d != NULL && il_escape_terminal(&safe, d->message) == IL_OK) {
            il_cli_errorf(S_PROG, "%s", il_buf_cstr(&safe));
        } else {
            il_cli_errorf(S_PROG, "cannot read the ledger");
        }
        il_buf_release(&safe);
        return IL_EXIT_USAGE;
    }
    if (st != IL_OK && !(step == IL_LEDGER_OPEN_LOAD && (st == IL_ERR_PARSE || st == IL_ERR_LIMIT))) {
        il_cli_errorf(S_PROG, "%s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    /* Expired entries are exactly what apply acts on, so `expired` does not block; every other error does. */
    size_t blocking = 0;
    for (size_t i = 0; i < il_diags_count(r->diags); i++) {
        const struct il_diag *d = il_diags_get(r->diags, i);
        blocking += d->severity == IL_SEV_ERROR && strcmp(d->rule, "expired") != 0;
    }
    if (r->ledger == NULL || blocking > 0) {
        il_diags_sort(r->diags);
        s_refuse(r->diags, o->ledger_path);
        return IL_EXIT_FINDINGS;
    }
    struct il_buf why;
    il_buf_init(&why, 4096);
    const struct il_aws_settings *settings = NULL;
    st = il_cli_settings(o->aws.profile, o->max_attempts, o->debug ? il_cli_debug_line : NULL, NULL, &settings, &why);
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "%s", why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return st == IL_ERR_CREDENTIALS ? IL_EXIT_UNVERIFIED : IL_EXIT_USAGE;
    }
    st = il_cli_region(o->region_count ? o->regions[0] : NULL, settings, &r->home_region, &why);
    for (size_t i = 0; st == IL_ERR_NOTFOUND && i < il_ledger_entry_count(r->ledger); i++) {
        const struct il_ledger_entry *e = il_ledger_entry(r->ledger, i);
        if (e->arn.valid) {
            r->home_region = il_strdup(e->arn.region);
            st = r->home_region ? IL_OK : IL_ERR_NOMEM;
        }
    }
    struct il_collect_opts co = {.regions = o->regions,
                                 .region_count = o->region_count,
                                 .only_accounts = o->only_accounts,
                                 .only_account_count = o->only_account_count,
                                 .only_regions = o->only_regions,
                                 .only_region_count = o->only_region_count,
                                 .tags_source = IL_TAGS_SOURCE_LAMBDA};
    if (st == IL_OK) {
        il_buf_reset(&why);
        st = il_collect_plan_build(&co, r->ledger, r->home_region, &r->plan, &why);
    }
    if (st == IL_OK) {
        o->aws.endpoint_url = o->endpoint_url;
        o->aws.region = r->home_region;
        o->aws.debug_fn = o->debug ? il_cli_debug_line : NULL;
        struct il_cli_client_opts cco = {.creds = o->aws,
                                         .settings = settings,
                                         .max_attempts = o->max_attempts,
                                         .rate_limit = o->rate_limit,
                                         .max_pages = o->max_pages,
                                         .timeout_ms = o->timeout_ms};
        int client_failed = 0;
        st = il_cli_client_new(&cco, &r->aws, &client_failed, &why);
    }
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "%s", why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return IL_EXIT_USAGE;
    }
    il_buf_release(&why);
    /* STS's answer bounds the plan: no change goes to an account the credentials were not verified for */
    if ((r->inv = il_inventory_new()) == NULL ||
        il_collect_run(r->aws.client, &r->plan, r->ledger, &co, r->inv, &r->identity) != IL_OK) {
        il_cli_errorf(S_PROG, "the collection could not run");
        return IL_EXIT_USAGE;
    }
    int report_failed = 0;
    size_t unverified = s_report_unverified(r, &rules, &co, &report_failed);
    if (report_failed) {
        il_cli_errorf(S_PROG, "out of memory");
        return IL_EXIT_USAGE;
    }
    struct il_scope_decl declared = {.accounts = o->only_accounts,
                                     .account_count = o->only_account_count,
                                     .regions = o->only_regions,
                                     .region_count = o->only_region_count};
    struct il_apply_opts ao = {.rules = rules,
                               .remove_unrecorded = o->remove_unrecorded,
                               .declared = &declared,
                               .caller_account = r->identity.account};
    st = r->identity.account ? il_apply_plan(r->ledger, r->inv, &ao, &r->actions, &r->action_count) : IL_OK;
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "out of memory");
        return IL_EXIT_USAGE;
    }
    size_t failed = 0;
    if (o->yes) {
        st = il_apply_execute(r->aws.client, r->actions, r->action_count, s_done, NULL, &failed);
    } else {
        for (size_t i = 0; i < r->action_count; i++) {
            s_print_action(&r->actions[i], NULL);
        }
    }
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "%s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    /* done and failed counted apart: "0 changes applied, 3 FAILED" when every change failed */
    size_t done = r->action_count - failed;
    size_t shown = o->yes ? done : r->action_count;
    printf("%zu change%s %s", shown, shown == 1 ? "" : "s",
           o->yes ? "applied" : "planned (dry run: add --yes to apply)");
    if (failed) {
        printf(", %zu FAILED", failed);
    }
    printf("\n");
    if (failed) {
        il_cli_errorf(S_PROG, "%zu of %zu changes failed", failed, r->action_count);
    }
    return unverified || failed ? IL_EXIT_UNVERIFIED : IL_EXIT_PASS;
}

int il_cli_apply(int argc, char **argv) {
    struct s_opts o = {.timeout_ms = -1};
    int rc = s_parse(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    struct s_run r = {.diags = il_diags_new()};
    rc = r.diags ? s_apply(&o, &r) : IL_EXIT_USAGE;
    s_run_release(&r);
    return rc;
}
