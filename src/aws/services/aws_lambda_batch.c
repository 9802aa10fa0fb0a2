/* Lambda ListTags and GetFunction over many ARNs: a window of calls in flight on one client family, each finished call
 * making room for the next ARN, so that memory stays bounded by the window, not by the number of functions. */
#include <stdlib.h>

#include "aws/aws_client_impl.h"
#include "aws/services/aws_lambda_internal.h"
#include "il/aws/lambda.h"

struct s_batch;
struct s_slot {
    struct il_aws_call call; /* first member: the engine hands back &slot->call */
    struct s_batch *batch;
    struct il_lambda_get_ctx get;
    int found;
};

struct s_batch {
    struct il_aws_client *client;
    struct il_aws_client *const *clients; /* per item, or NULL: client for all */
    const char *const *names;
    size_t count;
    size_t next;
    int is_get;
    struct il_lambda_tags_result *tags_results;
    struct il_lambda_get_result *get_results;
    enum il_status fatal;
};

static enum il_status s_slot_start(struct s_slot *slot);

static void s_slot_done(struct il_aws_call *call) {
    struct s_slot *slot = (struct s_slot *)call;
    struct s_batch *b = slot->batch;
    size_t i = call->index;
    struct il_aws_error *dst = b->is_get ? &b->get_results[i].error : &b->tags_results[i].error;
    if (il_aws_error_copy(dst, &call->error) != IL_OK) {
        b->fatal = IL_ERR_NOMEM;
    }
    if (b->is_get) {
        b->get_results[i].found = call->error.status == IL_OK ? slot->found : 0;
    } else if (call->error.status != IL_OK) {
        il_tag_list_release(&b->tags_results[i].tags);
    }
    il_aws_call_release(call);
    if (b->next < b->count && b->fatal == IL_OK) {
        enum il_status st = s_slot_start(slot);
        if (st != IL_OK) {
            b->fatal = st;
        }
    }
}

static enum il_status s_slot_start(struct s_slot *slot) {
    struct s_batch *b = slot->batch;
    size_t i = b->next++;
    struct il_aws_client *client = b->clients ? b->clients[i] : b->client;
    enum il_status st;
    if (b->is_get) {
        slot->found = 0;
        slot->get = (struct il_lambda_get_ctx){.found = &slot->found, .fn = &b->get_results[i].function, .tags = NULL};
        st = il_lambda_get_init(&slot->call, client, b->names[i], &slot->get);
    } else {
        st = il_lambda_tags_init(&slot->call, client, b->names[i], &b->tags_results[i].tags);
    }
    slot->call.index = i;
    slot->call.on_done = s_slot_done;
    if (st == IL_OK) {
        st = il_aws_call_submit(&slot->call);
    }
    if (st != IL_OK) {
        il_aws_call_release(&slot->call);
    }
    return st;
}

static enum il_status s_batch_run(struct s_batch *b) {
    if (b->count == 0) {
        return IL_OK;
    }
    if (b->clients) {
        b->client = b->clients[0];
        for (size_t i = 1; i < b->count; i++) {
            if (b->clients[i]->engine != b->client->engine) {
                return IL_ERR_INVALID; /* one loop runs one client family */
            }
        }
    }
    size_t window = (size_t)b->client->engine->max_concurrency * 2;
    if (window > b->count) {
        window = b->count;
    }
    if (window == 0) {
        return IL_OK;
    }
    struct s_slot *slots = calloc(window, sizeof(*slots));
    if (slots == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = IL_OK;
    for (size_t i = 0; i < window && st == IL_OK; i++) {
        slots[i].batch = b;
        st = s_slot_start(&slots[i]);
    }
    /* Run even after a failed start: the calls already queued hold pointers into slots. */
    enum il_status run = il_aws_client_run(b->client);
    if (b->client->engine->in_flight == 0) {
        free(slots);
    } /* else the transport failed with requests in flight that still point into slots: leaking beats a
         use-after-free on a broken run */
    if (st != IL_OK) {
        return st;
    }
    return run != IL_OK ? run : b->fatal;
}

enum il_status il_lambda_list_tags_batch(struct il_aws_client *client, const char *const *arns, size_t count,
                                         struct il_lambda_tags_result *results) {
    struct s_batch b = {.client = client, .names = arns, .count = count, .tags_results = results};
    return s_batch_run(&b);
}

enum il_status il_lambda_get_function_batch(struct il_aws_client *client, const char *const *names, size_t count,
                                            struct il_lambda_get_result *results) {
    struct s_batch b = {.client = client, .names = names, .count = count, .is_get = 1, .get_results = results};
    return s_batch_run(&b);
}

enum il_status il_lambda_list_tags_multi(struct il_aws_client *const *clients, const char *const *arns, size_t count,
                                         struct il_lambda_tags_result *results) {
    struct s_batch b = {.clients = clients, .names = arns, .count = count, .tags_results = results};
    return s_batch_run(&b);
}

enum il_status il_lambda_get_function_multi(struct il_aws_client *const *clients, const char *const *names,
                                            size_t count, struct il_lambda_get_result *results) {
    struct s_batch b = {.clients = clients, .names = names, .count = count, .is_get = 1, .get_results = results};
    return s_batch_run(&b);
}
