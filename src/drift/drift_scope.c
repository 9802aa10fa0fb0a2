/* The scope of a check: which regions and accounts to ask, and which role to assume in each. Pure: no AWS calls. */
#include <stdlib.h>
#include <string.h>

#include "il/aws/endpoint.h"
#include "il/drift/collect.h"

enum il_status il_tags_source_parse(const char *name, enum il_tags_source *out) {
    if (name != NULL && strcmp(name, "tagging") == 0) {
        *out = IL_TAGS_SOURCE_TAGGING;
        return IL_OK;
    }
    if (name != NULL && strcmp(name, "lambda") == 0) {
        *out = IL_TAGS_SOURCE_LAMBDA;
        return IL_OK;
    }
    if (name != NULL && strcmp(name, "inspector") == 0) {
        *out = IL_TAGS_SOURCE_INSPECTOR;
        return IL_OK;
    }
    return IL_ERR_INVALID;
}

const char *il_tags_source_str(enum il_tags_source source) {
    return source == IL_TAGS_SOURCE_LAMBDA ? "lambda" : source == IL_TAGS_SOURCE_INSPECTOR ? "inspector" : "tagging";
}

int il_collect_region_is_opt_in(const char *region) {
    /* AWS's opt-in regions: every region launched after 20 March 2019 is disabled until the account enables it. */
    static const char *const opt_in[] = {
        "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-south-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",  "eu-central-2",   "eu-south-1",
        "eu-south-2",     "il-central-1",   "me-central-1",   "me-south-1", "mx-central-1",
    };
    for (size_t i = 0; region != NULL && i < sizeof(opt_in) / sizeof(opt_in[0]); i++) {
        if (strcmp(region, opt_in[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A growable, sorted, unique list of strings. */
struct s_set {
    char **items;
    size_t count, cap;
};

static int s_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum il_status s_set_add(struct s_set *set, const char *value) {
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->items[i], value) == 0) {
            return IL_OK;
        }
    }
    if (set->count + 1 >= set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        char **grown = realloc(set->items, cap * sizeof(*grown));
        if (grown == NULL) {
            return IL_ERR_NOMEM;
        }
        set->items = grown;
        set->cap = cap;
    }
    char *copy = il_strdup(value);
    if (copy == NULL) {
        return IL_ERR_NOMEM;
    }
    set->items[set->count++] = copy;
    set->items[set->count] = NULL;
    return IL_OK;
}

static void s_set_free(struct s_set *set) {
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i]);
    }
    free(set->items);
    memset(set, 0, sizeof(*set));
}

static int s_is_account(const char *text) {
    size_t n = 0;
    for (; text[n]; n++) {
        if (text[n] < '0' || text[n] > '9') {
            return 0;
        }
    }
    return n == 12;
}

void il_collect_plan_release(struct il_collect_plan *plan) {
    if (plan == NULL) {
        return;
    }
    struct s_set r = {.items = plan->regions, .count = plan->region_count};
    struct s_set a = {.items = plan->accounts, .count = plan->account_count};
    s_set_free(&r);
    s_set_free(&a);
    memset(plan, 0, sizeof(*plan));
}

static int s_listed(const char *const *list, size_t n, const char *value) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], value) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A declared partial run (--only-region): exactly those regions, each valid and in the run's partition, and every
 * --region among them (a region asked for and declared out at once is a contradiction, not a choice). */
static enum il_status s_only_regions(const struct il_collect_opts *opts, const char *home_region, const char *partition,
                                     struct s_set *out, struct il_buf *why) {
    if (opts->all_regions) {
        IL_TRY(il_buf_puts(why, "--all-regions and --only-region contradict each other: give one"));
        return IL_ERR_INVALID;
    }
    for (size_t i = 0; i < opts->only_region_count; i++) {
        const char *r = opts->only_regions[i];
        struct il_aws_partition p;
        if (!il_aws_region_is_valid(r) || il_aws_partition_for_region(r, &p) != IL_OK) {
            IL_TRY(il_buf_printf(why, "invalid --only-region '%s': use a region name such as us-east-1", r));
            return IL_ERR_INVALID;
        }
        if (strcmp(p.id, partition) != 0) {
            IL_TRY(il_buf_printf(why,
                                 "--only-region '%s' is in partition %s, but the credentials' home region %s is in "
                                 "%s: check one partition per run",
                                 r, p.id, home_region, partition));
            return IL_ERR_INVALID;
        }
        IL_TRY(s_set_add(out, r));
    }
    for (size_t i = 0; i < opts->region_count; i++) {
        if (!s_listed(opts->only_regions, opts->only_region_count, opts->regions[i])) {
            IL_TRY(il_buf_printf(why, "--region '%s' is outside the declared --only-region scope: add --only-region %s",
                                 opts->regions[i], opts->regions[i]));
            return IL_ERR_INVALID;
        }
    }
    return IL_OK;
}

static enum il_status s_regions(const struct il_collect_opts *opts, const struct il_ledger *ledger,
                                const char *home_region, const char *partition, struct s_set *out, struct il_buf *why) {
    if (opts->only_region_count > 0) {
        return s_only_regions(opts, home_region, partition, out, why);
    }
    for (size_t i = 0; i < opts->region_count; i++) {
        struct il_aws_partition p;
        if (!il_aws_region_is_valid(opts->regions[i]) || il_aws_partition_for_region(opts->regions[i], &p) != IL_OK) {
            IL_TRY(il_buf_printf(why, "invalid --region '%s': use a region name such as us-east-1", opts->regions[i]));
            return IL_ERR_INVALID;
        }
        if (strcmp(p.id, partition) != 0) {
            IL_TRY(il_buf_printf(why,
                                 "--region '%s' is in partition %s, but the credentials' home region %s is in %s: "
                                 "check one partition per run",
                                 opts->regions[i], p.id, home_region, partition));
            return IL_ERR_INVALID;
        }
        IL_TRY(s_set_add(out, opts->regions[i]));
    }
    if (opts->region_count == 0) {
        IL_TRY(s_set_add(out, home_region));
    }
    size_t n = ledger ? il_ledger_entry_count(ledger) : 0;
    for (size_t i = 0; i < n; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        struct il_aws_partition p;
        /* An entry in another partition cannot be checked with these credentials: it stays out of scope and the
         * drift rules report it not-checked. */
        if (e->arn.valid && il_aws_region_is_valid(e->arn.region) &&
            il_aws_partition_for_region(e->arn.region, &p) == IL_OK && strcmp(p.id, partition) == 0 &&
            strcmp(e->arn.partition, partition) == 0) {
            IL_TRY(s_set_add(out, e->arn.region));
        }
    }
    if (opts->all_regions) {
        char **all = NULL;
        size_t count = 0;
        IL_TRY(il_aws_partition_regions(partition, &all, &count));
        enum il_status st = IL_OK;
        for (size_t i = 0; i < count && st == IL_OK; i++) {
            st = s_set_add(out, all[i]);
        }
        il_aws_strv_free(all);
        IL_TRY(st);
    }
    return IL_OK;
}

static enum il_status s_only_accounts(const struct il_collect_opts *opts, struct il_buf *why) {
    for (size_t i = 0; i < opts->only_account_count; i++) {
        if (!s_is_account(opts->only_accounts[i])) {
            IL_TRY(il_buf_printf(why, "invalid --only-account '%s': use a 12-digit AWS account id",
                                 opts->only_accounts[i]));
            return IL_ERR_INVALID;
        }
    }
    for (size_t i = 0; opts->only_account_count > 0 && i < opts->account_count; i++) {
        if (!s_listed(opts->only_accounts, opts->only_account_count, opts->accounts[i])) {
            IL_TRY(il_buf_printf(why,
                                 "--account '%s' is outside the declared --only-account scope: add --only-account %s",
                                 opts->accounts[i], opts->accounts[i]));
            return IL_ERR_INVALID;
        }
    }
    return IL_OK;
}

static enum il_status s_accounts(const struct il_collect_opts *opts, const struct il_ledger *ledger,
                                 const char *partition, struct s_set *out, struct il_buf *why) {
    if (opts->only_account_count > 0) {
        for (size_t i = 0; i < opts->only_account_count; i++) {
            IL_TRY(s_set_add(out, opts->only_accounts[i]));
        }
        return IL_OK;
    }
    for (size_t i = 0; i < opts->account_count; i++) {
        if (!s_is_account(opts->accounts[i])) {
            IL_TRY(il_buf_printf(why, "invalid --account '%s': use a 12-digit AWS account id", opts->accounts[i]));
            return IL_ERR_INVALID;
        }
        IL_TRY(s_set_add(out, opts->accounts[i]));
    }
    for (size_t i = 0; i < opts->org_account_count; i++) {
        IL_TRY(s_set_add(out, opts->org_accounts[i]));
    }
    size_t n = ledger ? il_ledger_entry_count(ledger) : 0;
    for (size_t i = 0; i < n; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        if (e->arn.valid && s_is_account(e->arn.account) && strcmp(e->arn.partition, partition) == 0) {
            IL_TRY(s_set_add(out, e->arn.account));
        }
    }
    return IL_OK;
}

enum il_status il_collect_plan_build(const struct il_collect_opts *opts, const struct il_ledger *ledger,
                                     const char *home_region, struct il_collect_plan *plan, struct il_buf *why) {
    struct s_set regions = {0}, accounts = {0};
    struct il_aws_partition part;
    enum il_status st;
    memset(plan, 0, sizeof(*plan));
    if (home_region == NULL || il_aws_partition_for_region(home_region, &part) != IL_OK) {
        IL_TRY(il_buf_printf(why, "invalid home region '%s'", home_region ? home_region : ""));
        return IL_ERR_INVALID;
    }
    plan->use_role = opts->role_name != NULL || opts->role_arn_template != NULL;
    if (opts->role_name != NULL && opts->role_arn_template != NULL) {
        IL_TRY(il_buf_puts(why, "give --role-name or --role-arn-template, not both"));
        return IL_ERR_INVALID;
    }
    if (opts->role_arn_template != NULL && strstr(opts->role_arn_template, "{account}") == NULL) {
        IL_TRY(il_buf_printf(why,
                             "--role-arn-template '%s' has no {account} placeholder, e.g. "
                             "arn:aws:iam::{account}:role/InspectorLedgerAudit",
                             opts->role_arn_template));
        return IL_ERR_INVALID;
    }
    if (opts->role_name != NULL && (opts->role_name[0] == '\0' || strchr(opts->role_name, ':') != NULL)) {
        IL_TRY(il_buf_printf(why,
                             "invalid --role-name '%s': give the role's name (optionally with its path), not "
                             "an ARN; use --role-arn-template for a full ARN",
                             opts->role_name));
        return IL_ERR_INVALID;
    }
    /* the inspector source reads every account from the delegated administrator: accounts without a role */
    const int inspector = opts->tags_source == IL_TAGS_SOURCE_INSPECTOR;
    if (plan->use_role && inspector) {
        IL_TRY(il_buf_puts(why, "--tags-source inspector reads every account through the Inspector delegated "
                                "administrator: drop --role-name / --role-arn-template, or use another --tags-source"));
        return IL_ERR_INVALID;
    }
    if (!plan->use_role && !inspector && opts->account_count > 0) {
        IL_TRY(il_buf_puts(why, "--account needs --role-name or --role-arn-template (the role to assume there)"));
        return IL_ERR_INVALID;
    }
    if (opts->external_id != NULL && !plan->use_role) {
        IL_TRY(il_buf_puts(why, "--external-id needs --role-name or --role-arn-template"));
        return IL_ERR_INVALID;
    }
    memcpy(plan->partition, part.id, sizeof(plan->partition));
    st = s_only_accounts(opts, why);
    st = st == IL_OK ? s_regions(opts, ledger, home_region, part.id, &regions, why) : st;
    if (st == IL_OK && (plan->use_role || inspector)) {
        st = s_accounts(opts, ledger, part.id, &accounts, why);
    }
    if (st == IL_OK && plan->use_role && accounts.count == 0) {
        /* nothing would be examined, and an empty run must not pass for a checked one */
        st = il_buf_puts(why, "a role is given but there is no account to use it in: the ledger names none; add "
                              "--account ID");
        st = st == IL_OK ? IL_ERR_INVALID : st;
    }
    if (st != IL_OK) {
        s_set_free(&regions);
        s_set_free(&accounts);
        return st;
    }
    if (regions.count) {
        qsort(regions.items, regions.count, sizeof(char *), s_cmp_str);
    }
    if (accounts.count) {
        qsort(accounts.items, accounts.count, sizeof(char *), s_cmp_str);
    }
    plan->regions = regions.items;
    plan->region_count = regions.count;
    plan->accounts = accounts.items;
    plan->account_count = accounts.count;
    return IL_OK;
}

enum il_status il_collect_home_region(const struct il_collect_opts *opts, const struct il_ledger *ledger, char **out,
                                      struct il_buf *why) {
    *out = NULL;
    const char *cli = opts->region_count ? opts->regions[0] : opts->only_region_count ? opts->only_regions[0] : NULL;
    enum il_status st = il_aws_region_resolve(NULL, opts->profile_region, NULL, NULL, out, why);
    if (st == IL_ERR_NOTFOUND && cli != NULL) {
        il_buf_reset(why);
        st = il_aws_region_resolve(cli, NULL, NULL, NULL, out, why);
    }
    size_t n = ledger ? il_ledger_entry_count(ledger) : 0;
    for (size_t i = 0; st == IL_ERR_NOTFOUND && i < n; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(ledger, i);
        if (e->arn.valid && il_aws_region_is_valid(e->arn.region)) {
            il_buf_reset(why);
            *out = il_strdup(e->arn.region);
            st = *out ? IL_OK : IL_ERR_NOMEM;
        }
    }
    if (st == IL_ERR_NOTFOUND && why->len == 0) {
        IL_TRY(il_buf_puts(why, "no region: pass --region or set AWS_REGION"));
    }
    return st;
}

enum il_status il_collect_role_arn(const struct il_collect_opts *opts, const char *partition, const char *account,
                                   struct il_buf *out) {
    if (opts->role_arn_template == NULL) {
        return il_buf_printf(out, "arn:%s:iam::%s:role/%s", partition, account, opts->role_name ? opts->role_name : "");
    }
    const char *p = opts->role_arn_template;
    const char *hit;
    while ((hit = strstr(p, "{account}")) != NULL) {
        IL_TRY(il_buf_append(out, p, (size_t)(hit - p)));
        IL_TRY(il_buf_puts(out, account));
        p = hit + strlen("{account}");
    }
    return il_buf_puts(out, p);
}

void il_collect_identity_release(struct il_collect_identity *identity) {
    if (identity == NULL) {
        return;
    }
    free(identity->account);
    free(identity->arn);
    memset(identity, 0, sizeof(*identity));
}

enum il_status il_collect_plan_describe(const struct il_collect_plan *plan, const struct il_collect_opts *opts,
                                        const char *caller_account, struct il_buf *out) {
    if (!plan->use_role && plan->account_count) {
        IL_TRY(il_buf_printf(out, "account%s ", plan->account_count == 1 ? "" : "s"));
        for (size_t i = 0; i < plan->account_count; i++) {
            IL_TRY(il_buf_printf(out, "%s%s", i ? ", " : "", plan->accounts[i]));
        }
        IL_TRY(il_buf_printf(out, " through the Inspector delegated administrator %s",
                             caller_account ? caller_account : "(unknown)"));
    } else if (plan->use_role) {
        IL_TRY(il_buf_printf(out, "account%s ", plan->account_count == 1 ? "" : "s"));
        for (size_t i = 0; i < plan->account_count; i++) {
            IL_TRY(il_buf_printf(out, "%s%s", i ? ", " : "", plan->accounts[i]));
        }
        IL_TRY(il_buf_printf(out, "%s through %s %s", plan->account_count ? "" : "(none)",
                             opts->role_arn_template ? "role ARN template" : "role",
                             opts->role_arn_template ? opts->role_arn_template : opts->role_name));
    } else {
        IL_TRY(il_buf_printf(out, "account %s (the caller's)", caller_account ? caller_account : "unknown"));
    }
    IL_TRY(il_buf_printf(out, "; region%s ", plan->region_count == 1 ? "" : "s"));
    for (size_t i = 0; i < plan->region_count; i++) {
        IL_TRY(il_buf_printf(out, "%s%s", i ? ", " : "", plan->regions[i]));
    }
    if (opts->tags_source == IL_TAGS_SOURCE_INSPECTOR) {
        return il_buf_puts(out, "; functions, tags and scan status from the Inspector delegated administrator's "
                                "ListCoverage (inspector)");
    }
    return il_buf_printf(out, "; tags from %s; functions from ListFunctions%s",
                         opts->tags_source == IL_TAGS_SOURCE_LAMBDA ? "Lambda ListTags (lambda)"
                                                                    : "the Resource Groups Tagging API (tagging)",
                         opts->scan_coverage ? "; scan status from Inspector ListCoverage (--coverage)" : "");
}
