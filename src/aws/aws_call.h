/*
 * Internal: one logical AWS request (all pages, all retries) as the service files describe it to the engine
 * (aws_engine.c). A service fills method/path/query/body and an on_page callback; the engine signs, sends, paces,
 * retries and calls back. Not part of the public API.
 */
#ifndef IL_AWS_CALL_H
#define IL_AWS_CALL_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "il/aws/client.h"
#include "il/aws/error.h"
#include "il/aws/http.h"
#include "il/aws/ops.h"

struct il_aws_call;

/** A 2xx response arrived: parse it into the result. Set *more = 1 (after updating query/body with the next token)
 *  for another page. Return IL_ERR_PARSE for a malformed body (the engine retries it as transient), IL_ERR_LIMIT for
 *  a pagination loop or an over-large result (not retried), IL_ERR_NOMEM. Must not leave partial results behind on
 *  failure (a retry would duplicate them). */
typedef enum il_status (*il_aws_page_fn)(struct il_aws_call *call, const struct il_http_response *resp, int *more);
/** The call ended with call->error set: return 1 to turn it into success (GetFunction's 404 means "not found"). */
typedef int (*il_aws_error_fn)(struct il_aws_call *call);
/** The call finished (either way). Batches use it to queue the next request and collect the result. */
typedef void (*il_aws_done_fn)(struct il_aws_call *call);

struct il_aws_call {
    /* set by the service */
    struct il_aws_client *client;
    enum il_aws_op op; /* the row of the operations table (il/aws/ops.h) it was set up from */
    enum il_aws_service service;
    const char *operation; /* static */
    const char *method;    /* static */
    struct il_buf path;    /* percent-encoded, begins with '/' */
    struct il_buf query;   /* percent-encoded, no '?' */
    struct il_buf body;
    const char *content_type; /* static or NULL */
    const char *target;       /* X-Amz-Target, static or NULL */
    int xml_errors;           /* query protocol */
    int sensitive;            /* bodies may hold credentials: never traced */
    int anonymous;            /* sent unsigned (AssumeRoleWithWebIdentity: the token is the credential) */
    il_aws_page_fn on_page;
    il_aws_error_fn on_error;
    il_aws_done_fn on_done;
    void *ctx;
    size_t index;
    /* result */
    struct il_aws_error error; /* status IL_OK on success */
    /* engine state */
    unsigned attempt;       /* attempts for the current page */
    unsigned pages;         /* pages taken so far */
    char invocation_id[40]; /* amz-sdk-invocation-id of the current page (the SDKs' retry correlation id) */
    unsigned retry_cost;
    uint64_t ready_at;
    uint64_t deadline;
    uint64_t *tokens_seen;
    size_t tokens_count;
    size_t tokens_cap;
    int finished;
    int refreshed; /* credentials were re-fetched once after an ExpiredToken answer */
    struct il_aws_call *next;
};

/** Set up @p call for @p client (borrowed) from the row of @p op (service, operation, method). IL_ERR_INTERNAL for an
 *  op outside the table. */
IL_MUST_CHECK enum il_status il_aws_call_init(struct il_aws_call *call, struct il_aws_client *client,
                                              enum il_aws_op op);
void il_aws_call_release(struct il_aws_call *call);
/** The thing the call is about (an ARN), copied into error reports. */
IL_MUST_CHECK enum il_status il_aws_call_set_resource(struct il_aws_call *call, const char *resource);

/** Queue @p call on its client's engine (il_aws_client_run() finishes it). */
IL_MUST_CHECK enum il_status il_aws_call_submit(struct il_aws_call *call);
/** For a queued call that is the first member of its own heap block: submit it when @p st (how preparing it went) is
 *  IL_OK; otherwise, or when submitting fails, release it and free the block. Returns the status of the two. */
IL_MUST_CHECK enum il_status il_aws_call_submit_owned(struct il_aws_call *call, enum il_status st);
/** Submit and run until done. Returns call->error.status (IL_OK on success). */
IL_MUST_CHECK enum il_status il_aws_call_run(struct il_aws_call *call);
/** End a one-shot call: copy its error into @p err (NULL: not wanted) and release it. Returns @p st (how preparing and
 *  running it went), or IL_ERR_NOMEM when @p st was IL_OK but the error could not be copied. */
IL_MUST_CHECK enum il_status il_aws_call_finish(struct il_aws_call *call, enum il_status st, struct il_aws_error *err);

/** Record a pagination token; IL_ERR_LIMIT (and call->error says so) when it was seen before in this call. */
IL_MUST_CHECK enum il_status il_aws_call_token(struct il_aws_call *call, const char *token);
/** Parse a JSON object body; IL_ERR_PARSE with a message naming the request when it is not one. Caller deletes. */
IL_MUST_CHECK enum il_status il_aws_call_json(struct il_aws_call *call, const struct il_http_response *resp,
                                              cJSON **out);
/** Record a failure of this call (status + printf message); returns @p status. */
enum il_status il_aws_call_fail(struct il_aws_call *call, enum il_status status, const char *fmt, ...) IL_PRINTF(3, 4);

/** Move @p n items of @p size bytes at @p page onto the end of a result array that grows page by page: @p items holds
 *  *count items in room for *cap (the room doubles, from 64). IL_OK: *out is the array to keep (moved when it grew),
 *  *count grew by @p n and the items belong to it. IL_ERR_NOMEM (also when the size would overflow): nothing changed,
 *  the page still owns its items. */
IL_MUST_CHECK enum il_status il_aws_page_append(void *items, size_t *count, size_t *cap, const void *page, size_t n,
                                                size_t size, void **out);

/** How one page of a paginated JSON list operation is read (ListFunctions, GetResources, ListCoverage): the same
 *  envelope around a different item type. The callbacks find their state in call->ctx. */
struct il_aws_list_page {
    const char *items_key;  /* the array member holding the page's items */
    const char *token_key;  /* the next-page member; absent, null or "" ends the list */
    const char *token_name; /* "token" or "marker", for the "pagination %s too long" error */
    const char *limit_what; /* completes "more than %zu ..." when @p max would be passed */
    size_t item_size;
    size_t max;  /* at most this many items over all pages */
    size_t seen; /* items taken by earlier pages */
    /** Parse @p item into @p slot (zeroed). On failure the slot is still released by @p release. */
    enum il_status (*parse)(struct il_aws_call *call, const cJSON *item, void *slot);
    void (*release)(void *slot);
    /** Take the @p *n parsed items at @p page: set *n = 0 when they were moved (else they are released after). */
    enum il_status (*take)(struct il_aws_call *call, void *page, size_t *n);
    /** Put @p token into the request for the next page (query or body). */
    enum il_status (*next)(struct il_aws_call *call, const char *token);
};

/** The on_page work of a list operation described by @p page: parse the body, refuse more than page->max items in
 *  all (IL_ERR_LIMIT), parse each item, hand them to page->take, then record the next token (a repeated one is
 *  IL_ERR_LIMIT) and prepare the next request (*more = 1). Leaves nothing partial behind on failure. */
IL_MUST_CHECK enum il_status il_aws_list_page(struct il_aws_call *call, const struct il_aws_list_page *page,
                                              const struct il_http_response *resp, int *more);

/** Percent-encode @p text as an RFC 3986 unreserved-only string (':' and '/' encoded too) onto @p out. */
IL_MUST_CHECK enum il_status il_aws_uri_encode(struct il_buf *out, const char *text);

/* Engine hooks used by aws_client.c (defined in aws_engine.c). */
struct il_aws_engine;
IL_MUST_CHECK enum il_status il_aws_engine_run(struct il_aws_engine *engine);

#endif

/* JSON field helpers shared by the service files (aws_json.c). Each returns IL_ERR_PARSE (with call->error set,
 * naming the field) when a present field has the wrong type; absent or null fields give NULL / empty. */
#include "il/aws/lambda.h"
IL_MUST_CHECK enum il_status il_aws_json_string(struct il_aws_call *call, const cJSON *obj, const char *key,
                                                int required, char **out);
/** 1 when AWS always sends @p member in a 2xx answer to @p operation (the table in aws_json.c). */
int il_aws_json_always_present(enum il_aws_service service, const char *operation, const char *member);
/** The member @p key of @p obj (borrowed; NULL when absent or null). IL_ERR_PARSE (call->error set) when it is absent
 *  or null although il_aws_json_always_present() says AWS always sends it for this call. */
IL_MUST_CHECK enum il_status il_aws_json_member(struct il_aws_call *call, const cJSON *obj, const char *key,
                                                const cJSON **out);
/** The array member @p key of @p obj (borrowed; NULL when absent or null) and its length; IL_ERR_PARSE when it is
 *  not an array, or absent although AWS always sends it (il_aws_json_member()). */
IL_MUST_CHECK enum il_status il_aws_json_array(struct il_aws_call *call, const cJSON *obj, const char *key,
                                               const cJSON **out, size_t *count);
/** {"k": "v", ...} (Lambda) into @p out (replaced). */
IL_MUST_CHECK enum il_status il_aws_json_tag_map(struct il_aws_call *call, const cJSON *map, struct il_tag_list *out);
/** [{"Key": "k", "Value": "v"}, ...] (tagging API) into @p out (replaced). */
IL_MUST_CHECK enum il_status il_aws_json_tag_array(struct il_aws_call *call, const cJSON *arr, struct il_tag_list *out);
/** Append @p text to @p out as a JSON string literal (quoted, escaped). */
IL_MUST_CHECK enum il_status il_aws_json_quote(struct il_buf *out, const char *text);
