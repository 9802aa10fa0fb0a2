/* The scope and AWS options shared by `check` and `report --live`, and the collection run both use (cli_aws.h). */
#include "cli/cli_aws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "il/aws/endpoint.h"
#include "il/drift/drift.h"

enum il_status il_cli_aws_init(struct il_cli_aws *a, int argc) {
    memset(a, 0, sizeof(*a));
    a->not_scanned = IL_SEV_WARNING;
    a->implicit = IL_SEV_WARNING;
    a->timeout_ms = -1;
    /* at most one value per argument: argv outlives the run, so the arrays only hold pointers into it */
    a->regions = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(*a->regions));
    a->accounts = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(*a->accounts));
    a->only_accounts = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(*a->only_accounts));
    a->only_regions = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(*a->only_regions));
    a->collect.regions = a->regions;
    a->collect.accounts = a->accounts;
    a->collect.only_accounts = a->only_accounts;
    a->collect.only_regions = a->only_regions;
    return a->regions && a->accounts && a->only_accounts && a->only_regions ? IL_OK : IL_ERR_NOMEM;
}

void il_cli_aws_release(struct il_cli_aws *a) {
    if (a == NULL) {
        return;
    }
    free(a->regions);
    free(a->accounts);
    free(a->only_accounts);
    free(a->only_regions);
    memset(a, 0, sizeof(*a));
}

static const char *s_option_name(int c) {
    static const char *const names[] = {"--region",
                                        "--all-regions",
                                        "--account",
                                        "--role-name",
                                        "--role-arn-template",
                                        "--external-id",
                                        "--tags-source",
                                        "--endpoint-url",
                                        "--max-attempts",
                                        "--rate-limit",
                                        "--profile",
                                        "--role-arn",
                                        "--role-session-name",
                                        "--debug",
                                        "--only-account",
                                        "--only-region",
                                        "--max-pages",
                                        "--timeout",
                                        "--coverage",
                                        "--organization",
                                        "--all-accounts",
                                        "--not-scanned-severity",
                                        "--implicit-severity"};
    return names[c - IL_CLI_O_REGION];
}

int il_cli_aws_parse_opt(struct il_cli_aws *a, int c, const char *arg, const char *prog) {
    if (c < IL_CLI_O_REGION || c > IL_CLI_O_LAST) {
        return -1;
    }
    if (a->first_given == NULL) {
        a->first_given = s_option_name(c);
    }
    switch (c) {
    case IL_CLI_O_REGION: a->regions[a->collect.region_count++] = arg; return 0;
    case IL_CLI_O_ALL_REGIONS: a->collect.all_regions = 1; return 0;
    case IL_CLI_O_ACCOUNT: a->accounts[a->collect.account_count++] = arg; return 0;
    case IL_CLI_O_ONLY_ACCOUNT: a->only_accounts[a->collect.only_account_count++] = arg; return 0;
    case IL_CLI_O_ONLY_REGION: a->only_regions[a->collect.only_region_count++] = arg; return 0;
    case IL_CLI_O_ROLE_NAME: a->collect.role_name = arg; return 0;
    case IL_CLI_O_ROLE_TEMPLATE: a->collect.role_arn_template = arg; return 0;
    case IL_CLI_O_EXTERNAL_ID: a->external_id = arg; return 0;
    case IL_CLI_O_HUB_ROLE: a->role_arn = arg; return 0;
    case IL_CLI_O_SESSION_NAME: a->role_session_name = arg; return 0;
    case IL_CLI_O_TAGS_SOURCE:
        if (il_tags_source_parse(arg, &a->collect.tags_source) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --tags-source '%s': use tagging, lambda or inspector", arg);
        }
        return 0;
    case IL_CLI_O_ENDPOINT: a->endpoint_url = arg; return 0;
    case IL_CLI_O_MAX_ATTEMPTS:
        if (il_aws_parse_max_attempts(arg, &a->max_attempts) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --max-attempts '%s': use a whole number from 1 to 20", arg);
        }
        return 0;
    case IL_CLI_O_RATE_LIMIT:
        if (il_aws_parse_rate_limit(arg, &a->rate_limit) != IL_OK) {
            return il_cli_usage_error(
                prog, "invalid --rate-limit '%s': use requests per second, above 0 and at most 10000", arg);
        }
        return 0;
    case IL_CLI_O_PROFILE: a->profile = arg; return 0;
    case IL_CLI_O_DEBUG: a->debug = 1; return 0;
    case IL_CLI_O_MAX_PAGES:
        if (il_aws_parse_max_pages(arg, &a->max_pages) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --max-pages '%s': use a whole number from 1 to 10000000", arg);
        }
        return 0;
    case IL_CLI_O_TIMEOUT:
        if (il_aws_parse_timeout(arg, &a->timeout_ms) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --timeout '%s': use whole seconds from 0 (none) to 604800", arg);
        }
        return 0;
    case IL_CLI_O_COVERAGE: a->collect.scan_coverage = 1; return 0;
    case IL_CLI_O_ORGANIZATION:
    case IL_CLI_O_ALL_ACCOUNTS: a->organization = 1; return 0;
    case IL_CLI_O_NOT_SCANNED_SEVERITY:
        if (il_severity_parse(arg, &a->not_scanned) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --not-scanned-severity '%s': use error, warning or notice", arg);
        }
        return 0;
    case IL_CLI_O_IMPLICIT_SEVERITY:
        if (il_severity_parse(arg, &a->implicit) != IL_OK) {
            return il_cli_usage_error(prog, "invalid --implicit-severity '%s': use error, warning or notice", arg);
        }
        return 0;
    default: return -1;
    }
}

/* ---- the run ---- */

static void s_progress(void *ctx, const struct il_collect_progress *p) {
    struct il_cli_collect *c = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (long)(now.tv_sec - c->progress_last.tv_sec) * 1000 + (now.tv_nsec - c->progress_last.tv_nsec) / 1000000;
    if (c->progress_shown && ms < 100 && p->scopes_done < p->scopes_total) {
        return;
    }
    c->progress_last = now;
    c->progress_shown = 1;
    il_cli_rawf("\r\033[Kchecking: %zu/%zu account/region scopes done, %zu functions, %zu requests", p->scopes_done,
                p->scopes_total, p->functions, p->requests);
    fflush(stderr);
}

static int s_client(struct il_cli_collect *c, const struct il_cli_aws *a, const struct il_aws_settings *settings) {
    struct il_buf why;
    il_buf_init(&why, 4096);
    struct il_cli_client_opts co = {
        .creds = {.profile = a->profile,
                  .endpoint_url = a->endpoint_url,
                  .region = c->home_region,
                  .role_arn = a->role_arn,
                  .external_id = a->role_arn ? a->external_id : NULL,
                  .role_session_name = a->role_session_name,
                  .debug_fn = a->debug ? il_cli_debug_line : NULL},
        .settings = settings,
        .max_attempts = a->max_attempts,
        .rate_limit = a->rate_limit,
        .max_pages = a->max_pages,
        .timeout_ms = a->timeout_ms,
    };
    struct il_cli_client cl;
    int client_failed = 0;
    enum il_status st = il_cli_client_new(&co, &cl, &client_failed, &why);
    c->provider = cl.provider;
    c->client = cl.client;
    if (st != IL_OK) {
        il_cli_errorf(c->prog, "%s%s", client_failed ? "cannot set up the AWS client: " : "",
                      why.len ? il_buf_cstr(&why) : il_status_str(st));
    }
    il_buf_release(&why);
    return st == IL_OK ? -1 : IL_EXIT_USAGE;
}

static int s_plan(struct il_cli_collect *c, struct il_cli_aws *a, const struct il_ledger *ledger) {
    struct il_buf why;
    il_buf_init(&why, 4096);
    enum il_status st = il_collect_plan_build(&a->collect, ledger, c->home_region, &c->plan, &why);
    if (st != IL_OK) {
        il_cli_errorf(c->prog, "%s\nTry '%s --help'.", why.len ? il_buf_cstr(&why) : il_status_str(st), c->prog);
        il_buf_release(&why);
        return IL_EXIT_USAGE;
    }
    il_buf_release(&why);
    return -1;
}

/* --organization: every ACTIVE account of the organization joins the scope. An Organizations error stops the run
 * with exit 3 (the scope could not be known: never an empty one). Returns -1 to go on, or the exit code. */
static int s_organization(struct il_cli_collect *c, struct il_cli_aws *a) {
    if (!a->organization) {
        return -1;
    }
    if (a->collect.role_name == NULL && a->collect.role_arn_template == NULL &&
        a->collect.tags_source != IL_TAGS_SOURCE_INSPECTOR) {
        return il_cli_usage_error(c->prog, "--organization needs --role-name / --role-arn-template (a role in every "
                                           "account) or --tags-source inspector (the delegated administrator)");
    }
    struct il_aws_partition part;
    struct il_buf why;
    il_buf_init(&why, 4096);
    enum il_status st = il_aws_partition_for_region(c->home_region, &part);
    if (st == IL_OK) {
        st = il_collect_org_list(c->client, part.id, &c->org, &why);
    }
    if (st != IL_OK) {
        il_cli_errorf(c->prog, "error: the organization's accounts are not verified: %s",
                      why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return IL_EXIT_UNVERIFIED;
    }
    il_buf_release(&why);
    a->collect.org_accounts = c->org.active;
    a->collect.org_account_count = c->org.active_count;
    return -1;
}

int il_cli_collect_run(struct il_cli_collect *c, const char *prog, struct il_cli_aws *a, const struct il_ledger *ledger,
                       int quiet) {
    c->prog = prog;
    /* one --external-id for every AssumeRole of the run: AWS ignores an ExternalId a trust policy does not ask for */
    const int per_account = a->collect.role_name != NULL || a->collect.role_arn_template != NULL;
    if (a->external_id != NULL && a->role_arn == NULL && !per_account) {
        return il_cli_usage_error(prog, "--external-id needs --role-arn, --role-name or --role-arn-template");
    }
    a->collect.external_id = per_account ? a->external_id : NULL;
    struct il_buf why;
    il_buf_init(&why, 4096);
    const struct il_aws_settings *settings = NULL;
    enum il_status st =
        il_cli_settings(a->profile, a->max_attempts, a->debug ? il_cli_debug_line : NULL, NULL, &settings, &why);
    if (st != IL_OK) {
        il_cli_errorf(prog, "%s", why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return st == IL_ERR_CREDENTIALS ? IL_EXIT_UNVERIFIED : IL_EXIT_USAGE;
    }
    a->collect.profile_region = settings->region.value;
    st = il_collect_home_region(&a->collect, ledger, &c->home_region, &why);
    if (st != IL_OK) {
        il_cli_errorf(prog, "%s", why.len ? il_buf_cstr(&why) : il_status_str(st));
        il_buf_release(&why);
        return IL_EXIT_USAGE;
    }
    il_buf_release(&why);
    /* the plan first (a usage error before any credentials), but the organization's accounts come from AWS */
    int rc = a->organization ? -1 : s_plan(c, a, ledger);
    if (rc >= 0) {
        return rc;
    }
    if ((rc = s_client(c, a, settings)) >= 0) {
        return rc;
    }
    if (a->organization && ((rc = s_organization(c, a)) >= 0 || (rc = s_plan(c, a, ledger)) >= 0)) {
        return rc;
    }
    il_collect_org_drop_inactive(&c->org, &c->plan);
    if ((a->collect.scan_coverage || a->collect.tags_source == IL_TAGS_SOURCE_INSPECTOR) &&
        (c->scan_cov = il_scan_cov_new()) == NULL) {
        il_cli_errorf(prog, "out of memory");
        return IL_EXIT_USAGE;
    }
    a->collect.scan_cov_out = c->scan_cov;
    if ((c->inv = il_inventory_new()) == NULL) {
        il_cli_errorf(prog, "out of memory");
        return IL_EXIT_USAGE;
    }
    if (!quiet && !a->debug && isatty(STDERR_FILENO)) {
        a->collect.progress = s_progress;
        a->collect.progress_ctx = c;
    }
    st = il_collect_run(c->client, &c->plan, ledger, &a->collect, c->inv, &c->identity);
    if (c->progress_shown) {
        il_cli_rawf("%s", "\r\033[K");
    }
    a->collect.progress = NULL;
    a->collect.progress_ctx = NULL;
    if (st == IL_OK) {
        st = il_collect_org_mark(&c->org, &c->plan, c->inv);
    }
    if (st != IL_OK) {
        il_cli_errorf(prog, "the collection stopped: %s", il_status_str(st));
        return IL_EXIT_USAGE;
    }
    return -1;
}

void il_cli_collect_release(struct il_cli_collect *c) {
    if (c == NULL) {
        return;
    }
    il_collect_identity_release(&c->identity);
    il_scan_cov_free(c->scan_cov);
    il_collect_org_release(&c->org);
    il_inventory_free(c->inv);
    struct il_cli_client cl = {.provider = c->provider, .client = c->client};
    il_cli_client_release(&cl);
    il_collect_plan_release(&c->plan);
    free(c->home_region);
    memset(c, 0, sizeof(*c));
}

void il_cli_collect_coverage(const struct il_cli_collect *c, const struct il_cli_aws *a, struct il_coverage_opts *out) {
    il_coverage_opts_for(&a->collect, &c->plan, c->identity.account, 1, out);
}
