/*
 * Inspector's view in the collection (drift_collect.c has the whole picture):
 *
 *   --coverage           per account/region scope, two more source calls on the scope's own client:
 *                        BatchGetAccountStatus (inspector2:BatchGetAccountStatus) and ListCoverage filtered to the
 *                        scope's account and AWS_LAMBDA_FUNCTION (inspector2:ListCoverage).
 *   --tags-source inspector
 *                        no role per account: per region, from the caller (the delegated administrator), one
 *                        ListMembers chain (inspector2:ListMembers), BatchGetAccountStatus for the plan's accounts
 *                        (100 per request) and one unfiltered ListCoverage chain whose items carry every member's
 *                        functions, tags and scan status. An account the administrator does not cover (not a member,
 *                        relationship not ENABLED, Lambda standard scanning off) is FAILED with the reason: never
 *                        silently clean.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "drift/drift_collect_internal.h"
#include "il/aws/inspector2.h"

#define S_STATUS_CHUNK 100u /* BatchGetAccountStatus accountIds: at most 100 */

static enum il_scan_type s_scan_type(const char *inspector_type) {
    if (inspector_type != NULL && strcmp(inspector_type, "PACKAGE") == 0) {
        return IL_SCAN_STANDARD;
    }
    if (inspector_type != NULL && strcmp(inspector_type, "CODE") == 0) {
        return IL_SCAN_CODE;
    }
    return IL_SCAN_UNKNOWN;
}

/* "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]": the fields, or 0 when it is not one. */
struct s_arn {
    const char *region, *account, *name;
    size_t region_len, account_len, name_len, unqualified_len;
};

static int s_parse_arn(const char *arn, struct s_arn *out) {
    const char *field[8] = {0};
    size_t n = 0;
    field[n++] = arn;
    for (const char *p = arn; *p && n < 8; p++) {
        if (*p == ':') {
            field[n++] = p + 1;
        }
    }
    if (n < 7 || strncmp(arn, "arn:", 4) != 0 || strncmp(field[2], "lambda:", 7) != 0 ||
        strncmp(field[5], "function:", 9) != 0) {
        return 0;
    }
    out->region = field[3];
    out->region_len = (size_t)(field[4] - field[3] - 1);
    out->account = field[4];
    out->account_len = (size_t)(field[5] - field[4] - 1);
    out->name = field[6];
    out->name_len = strcspn(field[6], ":");
    out->unqualified_len = (size_t)(field[6] - arn) + out->name_len;
    return out->name_len > 0;
}

static int s_span_is(const char *p, size_t len, const char *want) {
    return strlen(want) == len && memcmp(p, want, len) == 0;
}

/* Add one covered function to the inventory (with --tags-source inspector) and its scan status to the store. */
static enum il_status s_take_item(struct il_collector *c, const char *account, const char *region,
                                  const struct il_inspector_coverage *item, int to_inventory, struct il_buf *why) {
    struct s_arn a;
    if (!s_parse_arn(item->resource_id, &a) || !s_span_is(a.account, a.account_len, account) ||
        !s_span_is(a.region, a.region_len, region)) {
        IL_TRY(il_buf_printf(why,
                             "Inspector ListCoverage in %s returned resource '%s' for account %s: not a "
                             "function of that account and region",
                             region, item->resource_id, item->account_id));
        return IL_ERR_PARSE;
    }
    char *unq = il_strndup(item->resource_id, a.unqualified_len);
    char *name = il_strndup(a.name, a.name_len);
    struct il_inv_tag *tags = item->tags.count ? calloc(item->tags.count, sizeof(*tags)) : NULL;
    enum il_status st = IL_ERR_NOMEM;
    if (unq == NULL || name == NULL || (item->tags.count && tags == NULL)) {
        goto cleanup;
    }
    if (to_inventory) {
        for (size_t i = 0; i < item->tags.count; i++) {
            tags[i] = (struct il_inv_tag){.key = item->tags.items[i].key, .value = item->tags.items[i].value};
        }
        /* functionTags are the function's own tags (absent: none) */
        struct il_inv_function fn = {.account = account,
                                     .region = region,
                                     .arn = unq,
                                     .name = name,
                                     .tags = tags,
                                     .tag_count = item->tags.count,
                                     .flags = IL_INV_TAGS_COMPLETE};
        if ((st = il_inventory_add(c->inv, &fn)) != IL_OK) {
            goto cleanup;
        }
    }
    struct il_scan_cov_entry e = {.account = account,
                                  .region = region,
                                  .arn = unq,
                                  .scan_type = s_scan_type(item->scan_type),
                                  .scanned = item->status_code != NULL && strcmp(item->status_code, "ACTIVE") == 0,
                                  .reason = item->status_reason};
    st = e.scan_type == IL_SCAN_UNKNOWN ? IL_OK : il_scan_cov_add(c->opts->scan_cov_out, &e);
cleanup:
    free(unq);
    free(name);
    free(tags);
    return st;
}

/* Inspector's state of @p account from a BatchGetAccountStatus answer into the store; 0, or -1 with @p why. */
static int s_take_status(struct il_collector *c, const char *account, const char *region,
                         const struct il_inspector_account_list *lists, size_t list_count, struct il_buf *why) {
    for (size_t k = 0; k < list_count; k++) {
        for (size_t i = 0; i < lists[k].count; i++) {
            const struct il_inspector_account *x = &lists[k].items[i];
            if (strcmp(x->account_id, account) != 0) {
                continue;
            }
            if (x->error_code) {
                IL_STICKY(il_buf_printf(
                    why, "Inspector BatchGetAccountStatus could not report account %s in %s (%s%s%s)", account, region,
                    x->error_code, x->error_message ? ": " : "", x->error_message ? x->error_message : ""));
                return -1;
            }
            struct il_scan_cov_status s = {.account = account,
                                           .region = region,
                                           .account_status = x->status,
                                           .lambda = x->lambda_status,
                                           .lambda_code = x->lambda_code_status};
            il_collect_fatal(c, il_scan_cov_set_status(c->opts->scan_cov_out, &s));
            return 0;
        }
    }
    IL_STICKY(il_buf_printf(why, "Inspector BatchGetAccountStatus did not report account %s in %s", account, region));
    return -1;
}

/* ---- --coverage: two more source calls per scope ---- */

struct s_scope_call {
    struct il_collect_scope *s;
    struct il_inspector_account_list status;
    struct il_inspector_coverage_list cov;
    struct il_inspector_coverage_query query;
    const char *ids[1];
};

static void s_scope_call_end(struct s_scope_call *k, const struct il_aws_error *err, const char *failure) {
    struct il_collect_scope *s = k->s;
    if (failure) {
        il_collect_scope_fail_text(s, failure);
    }
    il_inspector_account_list_release(&k->status);
    il_inspector_coverage_list_release(&k->cov);
    free(k);
    il_collect_source_done(s, err && err->status != IL_OK ? err : NULL);
}

static void s_scope_status_done(void *ctx, const struct il_aws_error *err) {
    struct s_scope_call *k = ctx;
    struct il_buf why;
    il_buf_init(&why, 4096);
    if (err->status == IL_OK && !k->s->finished &&
        s_take_status(k->s->c, k->s->account, k->s->region, &k->status, 1, &why) != 0) {
        s_scope_call_end(k, NULL, il_buf_cstr(&why));
    } else {
        s_scope_call_end(k, err, NULL);
    }
    il_buf_release(&why);
}

static void s_scope_cov_done(void *ctx, const struct il_aws_error *err) {
    struct s_scope_call *k = ctx;
    struct il_collect_scope *s = k->s;
    struct il_buf why;
    il_buf_init(&why, 4096);
    enum il_status st = IL_OK;
    for (size_t i = 0; err->status == IL_OK && !s->finished && st == IL_OK && i < k->cov.count; i++) {
        st = s_take_item(s->c, s->account, s->region, &k->cov.items[i], 0, &why);
    }
    if (st == IL_ERR_NOMEM) {
        il_collect_fatal(s->c, st);
    }
    s_scope_call_end(k, err, st != IL_OK ? (why.len ? il_buf_cstr(&why) : "out of memory") : NULL);
    il_buf_release(&why);
}

enum il_status il_collect_coverage_start(struct il_collect_scope *s) {
    if (s->c->opts->scan_cov_out == NULL) {
        return IL_ERR_INVALID;
    }
    struct s_scope_call *st_call = calloc(1, sizeof(*st_call));
    struct s_scope_call *cov_call = calloc(1, sizeof(*cov_call));
    if (st_call == NULL || cov_call == NULL) {
        free(st_call);
        free(cov_call);
        return IL_ERR_NOMEM;
    }
    st_call->s = cov_call->s = s;
    st_call->ids[0] = s->account;
    cov_call->query = (struct il_inspector_coverage_query){.account_id = s->account};
    enum il_status st = il_inspector2_batch_get_account_status_start(s->client, st_call->ids, 1, &st_call->status,
                                                                     s_scope_status_done, st_call);
    if (st != IL_OK) {
        free(st_call);
        free(cov_call);
        return st;
    }
    s->source_pending++;
    s->outstanding++;
    st = il_inspector2_list_coverage_start(s->client, &cov_call->query, &cov_call->cov, s_scope_cov_done, cov_call);
    if (st != IL_OK) {
        free(cov_call);
        return st;
    }
    s->source_pending++;
    s->outstanding++;
    return IL_OK;
}

/* ---- --tags-source inspector: one job per region ---- */

struct s_job {
    struct il_collector *c;
    size_t r;
    struct il_aws_client *client;
    size_t pending;
    char *failure; /* the first call that failed, described */
    struct il_inspector_member_list members;
    struct il_inspector_account_list *status; /* one per chunk of account ids */
    size_t status_count;
    const char **ids;
    struct il_inspector_coverage_list cov;
};

struct il_collect_inspector {
    struct s_job *jobs;
    size_t count;
};

static const struct il_inspector_member *s_member(const struct s_job *j, const char *account) {
    for (size_t i = 0; i < j->members.count; i++) {
        if (strcmp(j->members.items[i].account_id, account) == 0) {
            return &j->members.items[i];
        }
    }
    return NULL;
}

static struct il_collect_scope *s_scope_of(struct il_collector *c, const char *account, size_t r) {
    for (size_t i = 0; i < c->account_count; i++) {
        if (strcmp(c->accounts[i].id, account) == 0) {
            return &c->accounts[i].scopes[r];
        }
    }
    return NULL;
}

/* Whether the administrator covers @p s's account; -1 with @p why when not. */
static int s_covered(const struct s_job *j, const struct il_collect_scope *s, struct il_buf *why) {
    const char *admin = j->c->caller_account;
    if (strcmp(s->account, admin) == 0) {
        return 0;
    }
    const struct il_inspector_member *m = s_member(j, s->account);
    if (m == NULL) {
        IL_STICKY(il_buf_printf(why,
                                "account %s is not an Inspector member of the delegated administrator %s in %s "
                                "(ListMembers): its functions were not read; check it with --role-name",
                                s->account, admin, s->region));
        return -1;
    }
    if (strcmp(m->relationship_status, "ENABLED") != 0 ||
        (m->delegated_admin_id != NULL && strcmp(m->delegated_admin_id, admin) != 0)) {
        IL_STICKY(il_buf_printf(why,
                                "Inspector's delegated administrator %s does not cover account %s in %s "
                                "(relationship %s): its functions were not read; check it with --role-name",
                                admin, s->account, s->region, m->relationship_status));
        return -1;
    }
    return 0;
}

static void s_scope_settle(struct s_job *j, struct il_collect_scope *s) {
    struct il_collector *c = j->c;
    struct il_buf why;
    il_buf_init(&why, 4096);
    if (s_covered(j, s, &why) != 0 || s_take_status(c, s->account, s->region, j->status, j->status_count, &why) != 0) {
        il_collect_scope_fail_text(s, il_buf_cstr(&why));
    } else if (!il_scan_cov_scanning_on(il_scan_cov_status(c->opts->scan_cov_out, s->account, s->region),
                                        IL_SCAN_STANDARD)) {
        il_buf_reset(&why);
        IL_STICKY(il_buf_printf(&why,
                                "Lambda standard scanning is not enabled for account %s in %s, so Inspector lists "
                                "none of its functions: their tags were not read (enable it, or check the account "
                                "with --role-name)",
                                s->account, s->region));
        il_collect_scope_fail_text(s, il_buf_cstr(&why));
    }
    il_buf_release(&why);
}

/* Every call of the region finished: decide each account's scope. */
static void s_job_settle(struct s_job *j) {
    struct il_collector *c = j->c;
    if (j->failure) {
        for (size_t i = 0; i < c->account_count; i++) {
            il_collect_scope_fail_text(&c->accounts[i].scopes[j->r], j->failure);
        }
        return;
    }
    for (size_t i = 0; i < c->account_count; i++) {
        s_scope_settle(j, &c->accounts[i].scopes[j->r]);
    }
    struct il_buf why;
    il_buf_init(&why, 4096);
    for (size_t i = 0; i < j->cov.count && c->fatal == IL_OK; i++) {
        const struct il_inspector_coverage *item = &j->cov.items[i];
        struct il_collect_scope *s = s_scope_of(c, item->account_id, j->r);
        if (s == NULL || s->finished) {
            continue; /* an account outside the scope, or one already failed */
        }
        il_buf_reset(&why);
        enum il_status st = s_take_item(c, s->account, s->region, item, 1, &why);
        if (st == IL_ERR_PARSE) {
            il_collect_scope_fail_text(s, il_buf_cstr(&why));
        } else {
            il_collect_fatal(c, st);
        }
    }
    il_buf_release(&why);
    /* Standard scanning is on in every scope still open, so Inspector lists every function there: a ledger function
     * it does not list does not exist. */
    size_t n = il_ledger_entry_count(c->ledger);
    for (size_t i = 0; i < n && c->fatal == IL_OK; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(c->ledger, i);
        if (!e->arn.valid || strcmp(e->arn.region, c->plan->regions[j->r]) != 0) {
            continue;
        }
        struct il_collect_scope *s = s_scope_of(c, e->arn.account, j->r);
        if (s != NULL && !s->finished && il_inventory_find(c->inv, e->arn.unqualified) == NULL) {
            il_collect_fatal(c, il_inventory_mark_not_found(c->inv, s->account, s->region, e->arn.unqualified));
        }
    }
    for (size_t i = 0; i < c->account_count; i++) {
        struct il_collect_scope *s = &c->accounts[i].scopes[j->r];
        if (c->fatal != IL_OK) {
            il_collect_scope_fail_text(s, "the collection stopped (out of memory)");
        } else {
            il_collect_scope_verified(s);
        }
    }
}

static void s_job_done(void *ctx, const struct il_aws_error *err) {
    struct s_job *j = ctx;
    j->c->requests++;
    if (err->status != IL_OK && j->failure == NULL) {
        struct il_buf why;
        il_buf_init(&why, 4096);
        IL_STICKY(il_aws_error_describe(err, &why));
        j->failure = il_buf_take(&why);
        il_buf_release(&why);
        if (j->failure == NULL) {
            il_collect_fatal(j->c, IL_ERR_NOMEM);
        }
    }
    if (--j->pending == 0) {
        s_job_settle(j);
    }
    il_collect_progress_emit(j->c);
}

static enum il_status s_job_queue(struct s_job *j, enum il_status st) {
    if (st == IL_OK) {
        j->pending++;
    }
    return st;
}

static enum il_status s_job_start(struct s_job *j) {
    struct il_collector *c = j->c;
    struct il_buf why;
    il_buf_init(&why, 2048);
    enum il_status st =
        il_aws_client_derive(c->root, c->plan->regions[j->r], NULL, c->caller_account, &j->client, &why);
    il_buf_release(&why);
    IL_TRY(st);
    j->status_count = (c->account_count + S_STATUS_CHUNK - 1) / S_STATUS_CHUNK;
    j->status = calloc(j->status_count ? j->status_count : 1, sizeof(*j->status));
    j->ids = calloc(c->account_count ? c->account_count : 1, sizeof(*j->ids));
    if (j->status == NULL || j->ids == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < c->account_count; i++) {
        j->ids[i] = c->accounts[i].id;
    }
    j->pending = 1; /* held while queueing */
    st = s_job_queue(j, il_inspector2_list_members_start(j->client, 0, &j->members, s_job_done, j));
    for (size_t k = 0; st == IL_OK && k < j->status_count; k++) {
        size_t from = k * S_STATUS_CHUNK;
        size_t n = c->account_count - from < S_STATUS_CHUNK ? c->account_count - from : S_STATUS_CHUNK;
        st = s_job_queue(
            j, il_inspector2_batch_get_account_status_start(j->client, j->ids + from, n, &j->status[k], s_job_done, j));
    }
    static const struct il_inspector_coverage_query every = {0};
    if (st == IL_OK) {
        st = s_job_queue(j, il_inspector2_list_coverage_start(j->client, &every, &j->cov, s_job_done, j));
    }
    return st;
}

void il_collect_inspector_start(struct il_collector *c) {
    if (c->opts->scan_cov_out == NULL || c->caller_account == NULL) {
        il_collect_fatal(c, IL_ERR_INVALID);
        for (size_t i = 0; i < c->account_count; i++) {
            for (size_t r = 0; r < c->plan->region_count; r++) {
                il_collect_scope_fail_text(&c->accounts[i].scopes[r], "the inspector source has nowhere to go");
            }
        }
        return;
    }
    struct il_collect_inspector *ins = calloc(1, sizeof(*ins));
    if (ins != NULL && c->plan->region_count) {
        ins->jobs = calloc(c->plan->region_count, sizeof(*ins->jobs));
    }
    if (ins == NULL || (c->plan->region_count && ins->jobs == NULL)) {
        free(ins);
        il_collect_fatal(c, IL_ERR_NOMEM);
        return;
    }
    c->inspector = ins;
    ins->count = c->plan->region_count;
    for (size_t r = 0; r < ins->count; r++) {
        struct s_job *j = &ins->jobs[r];
        j->c = c;
        j->r = r;
        enum il_status st = s_job_start(j);
        if (st != IL_OK && j->failure == NULL) {
            il_collect_fatal(c, st == IL_ERR_NOMEM ? st : IL_OK);
            j->failure = il_strdup(st == IL_ERR_NOMEM ? "out of memory" : "could not set up the Inspector requests");
        }
        if (j->pending > 0 && --j->pending == 0) {
            s_job_settle(j);
        } else if (j->pending == 0) {
            s_job_settle(j);
        }
    }
}

void il_collect_inspector_release(struct il_collector *c) {
    struct il_collect_inspector *ins = c->inspector;
    if (ins == NULL) {
        return;
    }
    for (size_t r = 0; r < ins->count; r++) {
        struct s_job *j = &ins->jobs[r];
        il_inspector_member_list_release(&j->members);
        for (size_t k = 0; j->status && k < j->status_count; k++) {
            il_inspector_account_list_release(&j->status[k]);
        }
        free(j->status);
        free(j->ids);
        il_inspector_coverage_list_release(&j->cov);
        free(j->failure);
        il_aws_client_free(j->client);
    }
    free(ins->jobs);
    free(ins);
    c->inspector = NULL;
}
