/* One account/region scope of the collection: the source calls, ListTags for every function (lambda source), then
 * GetFunction for the ledger's functions that did not show up. See drift_collect.c for the whole picture. */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "drift/drift_collect_internal.h"

#define S_WINDOW IL_COLLECT_WINDOW

/* ---- failures and progress ---- */

void il_collect_progress_emit(struct il_collector *c) {
    if (c->opts->progress) {
        struct il_collect_progress p = {
            .scopes_total = c->scopes_total,
            .scopes_done = c->scopes_done,
            .functions = il_inventory_count(c->inv),
            .requests = c->requests,
        };
        c->opts->progress(c->opts->progress_ctx, &p);
    }
}

void il_collect_fatal(struct il_collector *c, enum il_status st) {
    if (st != IL_OK && c->fatal == IL_OK) {
        c->fatal = st;
    }
}

static void s_scope_finish(struct il_collect_scope *s, enum il_scope_state state, const char *reason) {
    if (s->finished) {
        return;
    }
    s->finished = 1;
    il_collect_fatal(s->c, il_inventory_set_scope(s->c->inv, s->account, s->region, state, reason));
    s->c->scopes_done++;
    /* the client stays until the end: calls still in flight for this scope point at it */
    il_collect_progress_emit(s->c);
}

/* Record the first failure of a scope: "<what failed>: <AWS's answer>". */
static void s_scope_fail(struct il_collect_scope *s, const struct il_aws_error *err) {
    if (s->finished) {
        return;
    }
    struct il_buf reason;
    il_buf_init(&reason, 4096);
    enum il_scope_state state = IL_SCOPE_FAILED;
    if (s->c->opts->all_regions && err->code != NULL && il_aws_is_bad_credentials(err->code) &&
        il_collect_region_is_opt_in(s->region)) {
        /* The same credentials work elsewhere; an opt-in region answers like this until the account enables it. */
        state = IL_SCOPE_SKIPPED;
        IL_STICKY(il_buf_printf(&reason, "opt-in region %s is not enabled for account %s (%s %s answered %s)",
                                s->region, s->account, err->service ? err->service : "aws",
                                err->operation ? err->operation : "call", err->code));
    } else {
        IL_STICKY(il_aws_error_describe(err, &reason));
    }
    il_collect_fatal(s->c, il_buf_status(&reason) == IL_ERR_NOMEM ? IL_ERR_NOMEM : IL_OK);
    s_scope_finish(s, state, il_buf_cstr(&reason));
    il_buf_release(&reason);
}

void il_collect_scope_fail_text(struct il_collect_scope *s, const char *text) {
    s_scope_finish(s, IL_SCOPE_FAILED, text);
}

void il_collect_scope_fail(struct il_collect_scope *s, const struct il_aws_error *err) {
    s_scope_fail(s, err);
}

void il_collect_scope_verified(struct il_collect_scope *s) {
    s_scope_finish(s, IL_SCOPE_VERIFIED, NULL);
}

/* ---- adding what AWS showed ---- */

/* "arn:aws:lambda:r:a:function:name[:qualifier]" -> length of the unqualified part, and the name. */
static size_t s_unqualified(const char *arn, const char **name, size_t *name_len) {
    const char *p = arn;
    for (int colons = 0; *p; p++) {
        if (*p == ':' && ++colons == 6) {
            *name = p + 1;
            *name_len = strcspn(p + 1, ":");
            return (size_t)(p + 1 - arn) + *name_len;
        }
    }
    *name = arn;
    *name_len = strlen(arn);
    return strlen(arn);
}

static enum il_status s_add(struct il_collect_scope *s, const char *arn, const struct il_tag_list *tags,
                            const struct il_lambda_function *config, unsigned flags) {
    const char *name = NULL;
    size_t name_len = 0;
    size_t len = s_unqualified(arn, &name, &name_len);
    char *unq = il_strndup(arn, len);
    char *nm = il_strndup(name, name_len);
    struct il_inv_tag *t = tags && tags->count ? calloc(tags->count, sizeof(*t)) : NULL;
    enum il_status st = IL_ERR_NOMEM;
    if (unq == NULL || nm == NULL || (tags && tags->count && t == NULL)) {
        goto cleanup;
    }
    for (size_t i = 0; tags && i < tags->count; i++) {
        t[i] = (struct il_inv_tag){.key = tags->items[i].key, .value = tags->items[i].value};
    }
    struct il_inv_function fn = {
        .account = s->account,
        .region = s->region,
        .arn = unq,
        .name = nm,
        .tags = t,
        .tag_count = tags ? tags->count : 0,
        .flags = flags,
    };
    if (config) {
        fn.runtime = config->runtime;
        fn.kms_key_arn = config->kms_key_arn;
        fn.last_modified = config->last_modified;
        fn.flags |= IL_INV_CONFIG_KNOWN;
    }
    st = il_inventory_add(s->c->inv, &fn);
cleanup:
    free(unq);
    free(nm);
    free(t);
    return st;
}

/* ---- per-function steps: a work list of ARNs, S_WINDOW requests at a time ---- */

static void s_work_reset(struct il_collect_scope *s) {
    s->work_count = 0;
    s->work_next = 0;
}

static enum il_status s_work_add(struct il_collect_scope *s, const char *arn) {
    if (s->work_count == s->work_cap) {
        size_t cap = s->work_cap ? s->work_cap * 2 : 64;
        const char **grown = realloc(s->work, cap * sizeof(*grown));
        if (grown == NULL) {
            return IL_ERR_NOMEM;
        }
        s->work = grown;
        s->work_cap = cap;
    }
    s->work[s->work_count++] = arn;
    return IL_OK;
}

/* Start up to S_WINDOW requests with @p next (each finished request starts the following one). When there is no work,
 * @p next runs once on a scratch slot so the step still moves on. */
static void s_run_window(struct il_collect_scope *s, void (*next)(struct il_collect_slot *)) {
    if (s->slots == NULL && s->work_count > 0 && (s->slots = calloc(S_WINDOW, sizeof(*s->slots))) == NULL) {
        il_collect_fatal(s->c, IL_ERR_NOMEM);
        il_collect_scope_fail_text(s, "out of memory while collecting");
        return;
    }
    if (s->work_count == 0) {
        struct il_collect_slot scratch = {.scope = s};
        next(&scratch);
        return;
    }
    size_t n = s->work_count < S_WINDOW ? s->work_count : S_WINDOW;
    for (size_t i = 0; i < n && !s->finished; i++) {
        s->slots[i].scope = s;
        next(&s->slots[i]);
    }
}

/* A step's requests are all finished: go on with @p then, unless the scope failed or the run cannot go on. */
static void s_step_end(struct il_collect_scope *s, void (*then)(struct il_collect_scope *)) {
    if (s->outstanding > 0 || s->finished) {
        return;
    }
    if (s->c->fatal != IL_OK) {
        il_collect_scope_fail_text(s, "the collection stopped (out of memory)");
        return;
    }
    then(s);
}

static void s_verified(struct il_collect_scope *s) {
    s_scope_finish(s, IL_SCOPE_VERIFIED, NULL);
}

/* ---- step 3: confirm ledger entries that did not show up ---- */

static void s_confirm_next(struct il_collect_slot *slot);

static void s_confirm_done(void *ctx, const struct il_aws_error *err) {
    struct il_collect_slot *slot = ctx;
    struct il_collect_scope *s = slot->scope;
    s->c->requests++;
    s->outstanding--;
    if (err->status != IL_OK) {
        s_scope_fail(s, err);
    } else if (!s->finished) {
        const char *arn = s->work[slot->index];
        if (slot->found) {
            il_collect_fatal(s->c, s_add(s, arn, &slot->tags, &slot->function, IL_INV_TAGS_COMPLETE));
        } else {
            il_collect_fatal(s->c, il_inventory_mark_not_found(s->c->inv, s->account, s->region, arn));
        }
    }
    il_lambda_function_release(&slot->function);
    il_tag_list_release(&slot->tags);
    s_confirm_next(slot);
}

static void s_confirm_next(struct il_collect_slot *slot) {
    struct il_collect_scope *s = slot->scope;
    while (!s->finished && s->c->fatal == IL_OK && s->work_next < s->work_count) {
        slot->index = s->work_next++;
        enum il_status st = il_lambda_get_function_start(s->client, s->work[slot->index], &slot->found, &slot->function,
                                                         &slot->tags, s_confirm_done, slot);
        if (st == IL_OK) {
            s->outstanding++;
            return;
        }
        il_collect_fatal(s->c, st);
    }
    s_step_end(s, s_verified);
}

static int s_cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void s_confirm_start(struct il_collect_scope *s) {
    s_work_reset(s);
    size_t n = il_ledger_entry_count(s->c->ledger);
    for (size_t i = 0; i < n; i++) {
        const struct il_ledger_entry *e = il_ledger_entry(s->c->ledger, i);
        if (e->arn.valid && strcmp(e->arn.account, s->account) == 0 && strcmp(e->arn.region, s->region) == 0 &&
            il_inventory_find(s->c->inv, e->arn.unqualified) == NULL) {
            il_collect_fatal(s->c, s_work_add(s, e->arn.unqualified));
        }
    }
    if (s->work_count > 1) {
        qsort(s->work, s->work_count, sizeof(*s->work), s_cmp_str);
        size_t out = 1;
        for (size_t i = 1; i < s->work_count; i++) {
            if (strcmp(s->work[i], s->work[out - 1]) != 0) {
                s->work[out++] = s->work[i];
            }
        }
        s->work_count = out;
    }
    s_run_window(s, s_confirm_next);
}

/* ---- step 2 (lambda source): ListTags for every function, started as ListFunctions pages arrive ---- */

static void s_tags_fill(struct il_collect_scope *s);
static void s_after_listing(struct il_collect_scope *s);

static void s_tags_done(void *ctx, const struct il_aws_error *err) {
    struct il_collect_slot *slot = ctx;
    struct il_collect_scope *s = slot->scope;
    s->c->requests++;
    s->outstanding--;
    slot->busy = 0;
    if (err->status != IL_OK) {
        s_scope_fail(s, err);
    } else if (!s->finished) {
        il_collect_fatal(s->c, s_add(s, s->work[slot->index], &slot->tags, NULL, IL_INV_TAGS_COMPLETE));
    }
    il_tag_list_release(&slot->tags);
    s_tags_fill(s);
    s_after_listing(s);
}

/* Keep up to S_WINDOW ListTags in flight while there are listed functions whose tags are not asked yet. */
static void s_tags_fill(struct il_collect_scope *s) {
    if (s->work_next >= s->work_count || s->finished) {
        return;
    }
    if (s->slots == NULL && (s->slots = calloc(S_WINDOW, sizeof(*s->slots))) == NULL) {
        il_collect_fatal(s->c, IL_ERR_NOMEM);
        return;
    }
    for (size_t i = 0; i < S_WINDOW && s->work_next < s->work_count && s->c->fatal == IL_OK; i++) {
        struct il_collect_slot *slot = &s->slots[i];
        if (slot->busy) {
            continue;
        }
        slot->scope = s;
        slot->index = s->work_next++;
        enum il_status st = il_lambda_list_tags_start(s->client, s->work[slot->index], &slot->tags, s_tags_done, slot);
        if (st != IL_OK) {
            il_collect_fatal(s->c, st);
            return;
        }
        slot->busy = 1;
        s->outstanding++;
    }
}

/* ---- step 1: the source calls ---- */

/* A ListFunctions page: every function joins the inventory with its configuration; with the lambda source its
 * ListTags is queued at once, so tags are read while later pages are still being listed. */
static enum il_status s_functions_page(void *ctx, const struct il_lambda_function *fns, size_t count) {
    struct il_collect_scope *s = ctx;
    if (s->finished) {
        return IL_ERR_LIMIT; /* the scope already failed: stop listing (the error is not recorded again) */
    }
    for (size_t i = 0; i < count; i++) {
        IL_TRY(s_add(s, fns[i].arn, NULL, &fns[i], 0));
        if (s->c->opts->tags_source == IL_TAGS_SOURCE_LAMBDA) {
            /* borrow the inventory's copy of the ARN: it lives as long as the inventory */
            const char *name = NULL;
            size_t name_len = 0;
            size_t len = s_unqualified(fns[i].arn, &name, &name_len);
            char *unq = il_strndup(fns[i].arn, len);
            const struct il_inv_function *fn = unq ? il_inventory_find(s->c->inv, unq) : NULL;
            free(unq);
            if (fn == NULL) {
                return IL_ERR_NOMEM;
            }
            IL_TRY(s_work_add(s, fn->arn));
        }
    }
    s_tags_fill(s);
    il_collect_progress_emit(s->c);
    return s->c->fatal;
}

static void s_release_sources(struct il_collect_scope *s) {
    for (size_t k = 0; k < s->tagged_count; k++) {
        il_tagged_resource_list_release(&s->tagged[k]);
    }
}

/* Every source call and every ListTags finished: confirm the ledger's missing functions. */
static void s_after_listing(struct il_collect_scope *s) {
    if (s->source_pending > 0 || s->outstanding > 0 || s->work_next < s->work_count || s->finished) {
        return;
    }
    if (s->c->fatal != IL_OK) {
        il_collect_scope_fail_text(s, "the collection stopped (out of memory)");
        return;
    }
    s_confirm_start(s);
}

static void s_source_settle(struct il_collect_scope *s, const struct il_aws_error *err) {
    s->source_pending--;
    if (err != NULL && err->status != IL_OK) {
        s_scope_fail(s, err);
    }
    if (s->source_pending > 0) {
        return;
    }
    if (!s->finished) {
        /* the tagging API returns every tag of each resource it returns */
        for (size_t k = 0; k < s->tagged_count; k++) {
            for (size_t i = 0; i < s->tagged[k].count; i++) {
                const struct il_tagged_resource *r = &s->tagged[k].items[i];
                il_collect_fatal(s->c, s_add(s, r->arn, &r->tags, NULL, IL_INV_TAGS_COMPLETE));
            }
        }
    }
    s_release_sources(s);
    s_after_listing(s);
}

static void s_source_done(void *ctx, const struct il_aws_error *err) {
    struct il_collect_scope *s = ctx;
    s->c->requests++;
    s->outstanding--;
    s_source_settle(s, err);
}

void il_collect_source_done(struct il_collect_scope *s, const struct il_aws_error *err) {
    s_source_done(s, err);
}

static const struct il_tag_filter s_filters[2] = {
    {.key = IL_TAG_KEY_STANDARD, .values = NULL, .value_count = 0},
    {.key = IL_TAG_KEY_CODE, .values = NULL, .value_count = 0},
};

static enum il_status s_queue_source(struct il_collect_scope *s, enum il_status st) {
    if (st == IL_OK) {
        s->source_pending++;
        s->outstanding++;
    }
    return st;
}

void il_collect_scope_start(struct il_collect_scope *s) {
    const struct il_collect_opts *o = s->c->opts;
    enum il_status st = IL_OK;
    s->source_pending = 1; /* held while queueing (released below) */
    if (o->tags_source == IL_TAGS_SOURCE_TAGGING) {
        if (o->full) {
            /* unfiltered: every tagged function with all its tags, so a wrongly spelled key is seen too */
            s->tagged_count = 1;
            st = s_queue_source(s,
                                il_tagging_get_resources_start(s->client, NULL, 0, 0, &s->tagged[0], s_source_done, s));
        } else {
            /* TagFilters AND together: one query per exclusion key */
            s->tagged_count = 2;
            for (size_t k = 0; k < 2 && st == IL_OK; k++) {
                st = s_queue_source(
                    s, il_tagging_get_resources_start(s->client, &s_filters[k], 1, 0, &s->tagged[k], s_source_done, s));
            }
        }
    }
    if (st == IL_OK && s->c->extra_sources != NULL) {
        st = s->c->extra_sources(s); /* --coverage: Inspector's view of this scope (drift_inspector_collect.c) */
    }
    if (st == IL_OK && (o->tags_source == IL_TAGS_SOURCE_LAMBDA || o->full)) {
        /* streamed: one page in memory at a time, whatever the account holds */
        st = s_queue_source(s,
                            il_lambda_list_functions_stream_start(s->client, 0, s_functions_page, s, s_source_done, s));
    }
    if (st != IL_OK) {
        il_collect_fatal(s->c, st);
        il_collect_scope_fail_text(s, "could not queue the requests (out of memory)");
    }
    s_source_settle(s, NULL);
}
