/*
 * Carrying out an apply plan: one TagResource / UntagResource per change, in plan order, each with a client for the
 * function's account and region (derived from the collection's root client, so the rate limits, retries and
 * credentials are the ones the plan was read with; with a per-account role, that account's role). A failure is
 * recorded for its change and the next change goes ahead: what succeeded stays done.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws_sticky.h"
#include "il/aws/assume_role.h"
#include "il/aws/lambda.h"
#include "il/drift/apply_exec.h"

#define S_SESSION_NAME "inspector-ledger-apply"

/* One client per (account, region) the plan touches, and per account its role's provider. */
struct s_client {
    const char *account; /* borrowed from the actions */
    const char *region;
    struct il_aws_client *client;
};
struct s_role {
    const char *account;
    struct il_credentials_provider *provider; /* NULL when it could not be set up (see failure) */
    struct il_credentials *creds;
    char *failure; /* why the role could not be assumed, or NULL */
};
struct s_exec {
    struct il_aws_client *root;
    const struct il_apply_exec_opts *opts;
    struct s_client *clients;
    size_t client_count;
    struct s_role *roles;
    size_t role_count;
};

const char *il_apply_state_str(enum il_apply_state state) {
    switch (state) {
    case IL_APPLY_PLANNED: return "planned";
    case IL_APPLY_DONE: return "done";
    case IL_APPLY_FAILED: return "failed";
    case IL_APPLY_NOT_ATTEMPTED: return "not-attempted";
    }
    return "planned";
}

void il_apply_result_release(struct il_apply_result *result) {
    if (result == NULL) {
        return;
    }
    free(result->error_code);
    free(result->error);
    free(result->request_id);
    result->error_code = result->error = result->request_id = NULL;
}

static void s_now(char out[32]) {
    struct timespec ts;
    struct tm tm;
    char base[24];
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || gmtime_r(&ts.tv_sec, &tm) == NULL ||
        strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        memcpy(out, "1970-01-01T00:00:00.000Z", 25);
        return;
    }
    struct il_buf b;
    il_buf_init(&b, 32);
    IL_STICKY(il_buf_printf(&b, "%s.%03ldZ", base, ts.tv_nsec / 1000000L));
    size_t n = b.len < 31 ? b.len : 31;
    memcpy(out, b.data ? b.data : "", n);
    out[n] = '\0';
    il_buf_release(&b);
}

static enum il_status s_fail(struct il_apply_result *r, const char *code, const char *text, const char *request_id) {
    r->state = IL_APPLY_FAILED;
    r->error_code = code ? il_strdup(code) : NULL;
    r->error = il_strdup(text ? text : "failed");
    r->request_id = request_id ? il_strdup(request_id) : NULL;
    return (code && !r->error_code) || !r->error || (request_id && !r->request_id) ? IL_ERR_NOMEM : IL_OK;
}

/* The role of @p account, assumed once for the run (its credentials renew themselves through the provider). */
static struct s_role *s_role(struct s_exec *x, const char *account) {
    for (size_t i = 0; i < x->role_count; i++) {
        if (strcmp(x->roles[i].account, account) == 0) {
            return &x->roles[i];
        }
    }
    struct s_role *roles = realloc(x->roles, (x->role_count + 1) * sizeof(*roles));
    if (roles == NULL) {
        return NULL;
    }
    x->roles = roles;
    struct s_role *r = &roles[x->role_count++];
    memset(r, 0, sizeof(*r));
    r->account = account;
    struct il_buf arn, why;
    il_buf_init(&arn, 2048);
    il_buf_init(&why, 4096);
    enum il_status st = il_collect_role_arn(x->opts->collect, x->opts->plan->partition, account, &arn);
    if (st == IL_OK) {
        struct il_assume_role_options o = {
            .role_arn = il_buf_cstr(&arn),
            .external_id = x->opts->collect->external_id,
            .session_name = x->opts->session_name ? x->opts->session_name : S_SESSION_NAME,
        };
        r->provider = il_credentials_provider_assume_role_from_client_new(x->root, &o);
        st = r->provider ? il_credentials_provider_get(r->provider, &r->creds, &why) : IL_ERR_NOMEM;
    }
    if (st != IL_OK) {
        struct il_buf text;
        il_buf_init(&text, 4096);
        IL_STICKY(il_buf_printf(&text, "could not assume the role %s: %s", il_buf_cstr(&arn),
                                why.len ? il_buf_cstr(&why) : il_status_str(st)));
        r->failure = il_buf_take(&text);
        il_buf_release(&text);
    }
    il_buf_release(&arn);
    il_buf_release(&why);
    return r;
}

/* The client for the action's account and region; NULL with @p r failed (or IL_ERR_NOMEM in *st). */
static struct il_aws_client *s_client(struct s_exec *x, const struct il_apply_action *a, struct il_apply_result *res,
                                      enum il_status *st) {
    *st = IL_OK;
    for (size_t i = 0; i < x->client_count; i++) {
        if (strcmp(x->clients[i].account, a->account) == 0 && strcmp(x->clients[i].region, a->region) == 0) {
            return x->clients[i].client;
        }
    }
    struct s_role *role = NULL;
    if (x->opts->plan != NULL && x->opts->plan->use_role && x->opts->collect != NULL) {
        if ((role = s_role(x, a->account)) == NULL) {
            *st = IL_ERR_NOMEM;
            return NULL;
        }
        if (role->failure) {
            *st = s_fail(res, NULL, role->failure, NULL);
            return NULL;
        }
    }
    struct s_client *clients = realloc(x->clients, (x->client_count + 1) * sizeof(*clients));
    if (clients == NULL) {
        *st = IL_ERR_NOMEM;
        return NULL;
    }
    x->clients = clients;
    struct s_client *c = &clients[x->client_count];
    *c = (struct s_client){.account = a->account, .region = a->region};
    struct il_buf why;
    il_buf_init(&why, 2048);
    enum il_status ds = role ? il_aws_client_derive_refreshable(x->root, a->region, role->creds, role->provider,
                                                                a->account, &c->client, &why)
                             : il_aws_client_derive(x->root, a->region, NULL, a->account, &c->client, &why);
    if (ds != IL_OK) {
        IL_STICKY(il_buf_printf(&why, "%scould not set up a client for %s in %s (%s)", why.len ? ": " : "", a->account,
                                a->region, il_status_str(ds)));
        *st = ds == IL_ERR_NOMEM ? ds : s_fail(res, NULL, il_buf_cstr(&why), NULL);
        il_buf_release(&why);
        return NULL;
    }
    il_buf_release(&why);
    x->client_count++;
    return c->client;
}

/* One change. IL_OK whatever AWS said (the result says it); IL_ERR_NOMEM. */
static enum il_status s_one(struct s_exec *x, const struct il_apply_action *a, struct il_apply_result *res) {
    enum il_status st;
    struct il_aws_client *client = s_client(x, a, res, &st);
    if (client == NULL) {
        return st;
    }
    struct il_aws_error err;
    il_aws_error_init(&err);
    if (a->kind == IL_APPLY_TAG) {
        /* struct il_tag holds mutable strings; the action's are static */
        char *key = il_strdup(a->key), *value = il_strdup(a->value);
        struct il_tag tag = {.key = key, .value = value};
        st = key && value ? il_lambda_tag_resource(client, a->arn, &tag, 1, &err) : IL_ERR_NOMEM;
        free(key);
        free(value);
    } else {
        const char *keys[] = {a->key};
        st = il_lambda_untag_resource(client, a->arn, keys, 1, &err);
    }
    if (st == IL_OK) {
        res->state = IL_APPLY_DONE;
    } else if (st != IL_ERR_NOMEM) {
        struct il_buf why;
        il_buf_init(&why, 4096);
        if (il_aws_error_describe(&err, &why) != IL_OK) {
            il_buf_reset(&why);
        }
        st = s_fail(res, err.code, why.len ? il_buf_cstr(&why) : il_status_str(st), err.request_id);
        il_buf_release(&why);
    }
    il_aws_error_release(&err);
    return st;
}

enum il_status il_apply_execute(struct il_aws_client *root, const struct il_apply_action *actions, size_t count,
                                const struct il_apply_exec_opts *opts, struct il_apply_result *results) {
    struct s_exec x = {.root = root, .opts = opts};
    enum il_status st = IL_OK;
    for (size_t i = 0; i < count; i++) {
        results[i].state = IL_APPLY_NOT_ATTEMPTED;
    }
    for (size_t i = 0; i < count && st == IL_OK; i++) {
        st = s_one(&x, &actions[i], &results[i]);
        s_now(results[i].time);
        if (st == IL_OK && opts->on_done) {
            st = opts->on_done(opts->ctx, &actions[i], &results[i]);
        }
    }
    for (size_t i = 0; i < x.client_count; i++) {
        il_aws_client_free(x.clients[i].client);
    }
    for (size_t i = 0; i < x.role_count; i++) {
        il_credentials_free(x.roles[i].creds);
        il_credentials_provider_free(x.roles[i].provider);
        free(x.roles[i].failure);
    }
    free(x.clients);
    free(x.roles);
    return st;
}
