/*
 * Collecting the live inventory. Every account/region scope is a small state machine driven by completion callbacks,
 * so all scopes of all accounts are in flight together on one client family (one il_aws_client_run()):
 *
 *   [AssumeRole] -> source  (tagging: GetResources per exclusion key; lambda: ListFunctions; --full adds
 *                            ListFunctions, and makes the tagging query unfiltered so every tag is seen)
 *                   + tags  (lambda source: ListTags for every function, a window at a time, queued as soon as each
 *                            ListFunctions page arrives; pages are streamed, never collected)
 *                -> confirm (GetFunction for each ledger entry of the scope whose function did not show up)
 *                -> VERIFIED
 *
 * The first failed call of a scope marks it FAILED with a reason and stops its further work: a scope is verified only
 * when every call for it succeeded.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "drift/drift_collect_internal.h"

#define S_WINDOW IL_COLLECT_WINDOW
/* ---- accounts ---- */

#define S_SESSION_NAME "inspector-ledger-check"

static void s_account_scopes(struct il_collect_account *a, const struct il_credentials *creds) {
    struct il_collector *c = a->c;
    for (size_t r = 0; r < c->plan->region_count; r++) {
        struct il_collect_scope *s = &a->scopes[r];
        struct il_buf why;
        il_buf_init(&why, 2048);
        /* an assumed role's credentials are re-assumed when they near expiry, so a long run outlives a session */
        enum il_status st = a->refresher
                                ? il_aws_client_derive_refreshable(c->root, c->plan->regions[r], creds, a->refresher,
                                                                   a->id, &s->client, &why)
                                : il_aws_client_derive(c->root, c->plan->regions[r], creds, a->id, &s->client, &why);
        if (st != IL_OK) {
            IL_STICKY(il_buf_printf(&why, "%scould not set up a client (%s)", why.len ? ": " : "", il_status_str(st)));
            il_collect_scope_fail_text(s, il_buf_cstr(&why));
        } else {
            il_collect_scope_start(s);
        }
        il_buf_release(&why);
    }
}

static void s_assumed(void *ctx, const struct il_aws_error *err) {
    struct il_collect_account *a = ctx;
    a->c->requests++;
    if (err->status != IL_OK) {
        struct il_buf reason;
        il_buf_init(&reason, 4096);
        IL_STICKY(il_buf_puts(&reason, "could not assume the role: "));
        IL_STICKY(il_aws_error_describe(err, &reason));
        for (size_t r = 0; r < a->c->plan->region_count; r++) {
            il_collect_scope_fail_text(&a->scopes[r], il_buf_cstr(&reason));
        }
        il_buf_release(&reason);
        return;
    }
    struct il_assume_role_options o = {
        .role_arn = a->role_arn,
        .external_id = a->c->opts->external_id,
        .session_name = S_SESSION_NAME,
    };
    a->refresher = il_credentials_provider_assume_role_from_client_new(a->c->root, &o);
    if (a->refresher == NULL) {
        il_collect_fatal(a->c, IL_ERR_NOMEM);
        for (size_t r = 0; r < a->c->plan->region_count; r++) {
            il_collect_scope_fail_text(&a->scopes[r], "out of memory");
        }
        return;
    }
    s_account_scopes(a, a->assumed.credentials);
}

static void s_fail_all(struct il_collector *c, const char *reason) {
    for (size_t i = 0; i < c->account_count; i++) {
        for (size_t r = 0; r < c->plan->region_count; r++) {
            il_collect_scope_fail_text(&c->accounts[i].scopes[r], reason);
        }
    }
}

static void s_start_accounts(struct il_collector *c) {
    if (c->opts->tags_source == IL_TAGS_SOURCE_INSPECTOR) {
        il_collect_inspector_start(c); /* drift_inspector_collect.c */
        return;
    }
    if (!c->plan->use_role) {
        s_account_scopes(&c->accounts[0], NULL);
        return;
    }
    for (size_t i = 0; i < c->account_count; i++) {
        struct il_collect_account *a = &c->accounts[i];
        struct il_buf arn;
        il_buf_init(&arn, 2048);
        IL_STICKY(il_collect_role_arn(c->opts, c->plan->partition, a->id, &arn));
        struct il_sts_assume_role_params p = {
            .role_arn = il_buf_cstr(&arn),
            .session_name = S_SESSION_NAME,
            .external_id = c->opts->external_id,
        };
        enum il_status st = il_buf_status(&arn);
        if (st == IL_OK && (a->role_arn = il_strdup(il_buf_cstr(&arn))) == NULL) {
            st = IL_ERR_NOMEM;
        }
        if (st == IL_OK) {
            st = il_sts_assume_role_start(c->root, &p, &a->assumed, s_assumed, a);
        }
        if (st != IL_OK) {
            il_collect_fatal(c, st == IL_ERR_NOMEM ? st : IL_OK);
            for (size_t r = 0; r < c->plan->region_count; r++) {
                il_collect_scope_fail_text(&a->scopes[r], "could not build the AssumeRole request");
            }
        }
        il_buf_release(&arn);
    }
}

static enum il_status s_identify(struct il_collector *c, struct il_collect_identity *identity) {
    struct il_sts_identity id = {0};
    struct il_aws_error err;
    il_aws_error_init(&err);
    enum il_status st = il_sts_get_caller_identity(c->root, &id, &err);
    c->requests++;
    if (st == IL_OK) {
        if (identity) {
            identity->account = il_strdup(id.account);
            identity->arn = il_strdup(id.arn);
        }
        c->caller_account = il_strdup(id.account);
        st = c->caller_account ? il_aws_client_set_account(c->root, id.account) : IL_ERR_NOMEM;
        il_sts_identity_release(&id);
        il_aws_error_release(&err);
        return st;
    }
    struct il_buf reason;
    il_buf_init(&reason, 4096);
    IL_STICKY(il_buf_puts(&reason, "could not identify the caller: "));
    IL_STICKY(il_aws_error_describe(&err, &reason));
    c->identify_failure = il_buf_take(&reason);
    il_buf_release(&reason);
    il_aws_error_release(&err);
    return c->identify_failure ? IL_OK : IL_ERR_NOMEM;
}

static enum il_status s_collector_setup(struct il_collector *c) {
    const struct il_collect_plan *plan = c->plan;
    const int many = plan->use_role || (c->opts->tags_source == IL_TAGS_SOURCE_INSPECTOR && plan->account_count);
    c->account_count = many ? plan->account_count : 1;
    if (c->account_count == 0) {
        return IL_OK; /* a role but no account to use it in: nothing in scope; every entry is not-checked */
    }
    c->accounts = calloc(c->account_count, sizeof(*c->accounts));
    if (c->accounts == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < c->account_count; i++) {
        struct il_collect_account *a = &c->accounts[i];
        a->c = c;
        const char *id = many ? plan->accounts[i] : c->caller_account ? c->caller_account : "unknown";
        a->id = il_strdup(id);
        a->scopes = plan->region_count ? calloc(plan->region_count, sizeof(*a->scopes)) : NULL;
        if (a->id == NULL || (plan->region_count && a->scopes == NULL)) {
            return IL_ERR_NOMEM;
        }
        for (size_t r = 0; r < plan->region_count; r++) {
            a->scopes[r] = (struct il_collect_scope){.c = c, .account = a->id, .region = plan->regions[r]};
        }
        c->scopes_total += plan->region_count;
    }
    return IL_OK;
}

static void s_collector_release(struct il_collector *c) {
    il_collect_inspector_release(c);
    for (size_t i = 0; c->accounts && i < c->account_count; i++) {
        struct il_collect_account *a = &c->accounts[i];
        for (size_t r = 0; a->scopes && r < c->plan->region_count; r++) {
            struct il_collect_scope *s = &a->scopes[r];
            il_aws_client_free(s->client);
            for (size_t k = 0; k < 2; k++) {
                il_tagged_resource_list_release(&s->tagged[k]);
            }
            if (s->slots) {
                for (size_t k = 0; k < S_WINDOW; k++) {
                    il_lambda_function_release(&s->slots[k].function);
                    il_tag_list_release(&s->slots[k].tags);
                }
            }
            free(s->slots);
            free(s->work);
        }
        free(a->scopes);
        free(a->id);
        il_sts_assumed_release(&a->assumed);
        il_credentials_provider_free(a->refresher); /* after the scope clients that borrowed it */
        free(a->role_arn);
    }
    free(c->accounts);
    free(c->caller_account);
    free(c->identify_failure);
}

enum il_status il_collect_run(struct il_aws_client *client, const struct il_collect_plan *plan,
                              const struct il_ledger *ledger, const struct il_collect_opts *opts,
                              struct il_inventory *inv, struct il_collect_identity *identity) {
    struct il_collector c = {.root = client,
                             .plan = plan,
                             .ledger = ledger,
                             .opts = opts,
                             .inv = inv,
                             .extra_sources = opts->scan_coverage ? il_collect_coverage_start : NULL};
    if (identity) {
        memset(identity, 0, sizeof(*identity));
    }
    enum il_status st = s_identify(&c, identity);
    if (st == IL_OK) {
        st = s_collector_setup(&c);
    }
    if (st == IL_OK) {
        il_collect_progress_emit(&c);
        if (c.identify_failure) {
            s_fail_all(&c, c.identify_failure);
        } else {
            s_start_accounts(&c);
        }
        st = il_aws_client_run(client);
    }
    if (st == IL_OK) {
        st = c.fatal;
    }
    s_collector_release(&c);
    return st;
}
