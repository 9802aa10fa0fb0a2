/**
 * AWS Lambda control-plane calls (rest-json, 2015-03-31 / 2017-03-31 paths), fully paginated, paced by the client's
 * Lambda rate limit.
 *
 * Results are plain structs owned by the caller: release each with its *_release() function (accepts zeroed input).
 * On failure the call's error (code, message, request id, missing IAM action) is in the struct il_aws_error the
 * caller passed (il_aws_error_release() it); partial results are released, never returned.
 */
#ifndef IL_AWS_LAMBDA_H
#define IL_AWS_LAMBDA_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/aws/error.h"
#include "il/status.h"

/** A tag: key and value, both owned by the containing list. */
struct il_tag {
    char *key;
    char *value;
};

struct il_tag_list {
    struct il_tag *items;
    size_t count;
};
void il_tag_list_release(struct il_tag_list *tags);
/** The value of @p key (exact match), or NULL. Borrowed. */
const char *il_tag_list_get(const struct il_tag_list *tags, const char *key);

struct il_lambda_function {
    char *name;         /* FunctionName */
    char *arn;          /* FunctionArn */
    char *runtime;      /* NULL for container images */
    char *kms_key_arn;  /* KMSKeyArn: NULL when encrypted with the AWS managed key */
    char *package_type; /* "Zip" / "Image"; NULL when absent */
    char *last_modified;
};

struct il_lambda_function_list {
    struct il_lambda_function *items;
    size_t count;
};
void il_lambda_function_list_release(struct il_lambda_function_list *list);

/** ListFunctions, every page (MaxItems 50, Marker). @p max_functions bounds memory (0: 1,000,000; more is
 *  IL_ERR_LIMIT). */
IL_MUST_CHECK enum il_status il_lambda_list_functions(struct il_aws_client *client, size_t max_functions,
                                                      struct il_lambda_function_list *out, struct il_aws_error *err);

/** ListTags of one function ARN. */
IL_MUST_CHECK enum il_status il_lambda_list_tags(struct il_aws_client *client, const char *arn, struct il_tag_list *out,
                                                 struct il_aws_error *err);

/** One ARN's result in a batch: status IL_OK and tags, or the error. */
struct il_lambda_tags_result {
    struct il_tag_list tags;
    struct il_aws_error error; /* error.status == IL_OK on success */
};

/**
 * ListTags for @p count ARNs (borrowed), run concurrently under the client's rate limit and concurrency limit.
 * @p results must have @p count zeroed entries; each gets its own outcome (release each with
 * il_lambda_tags_result_release()). Returns IL_OK when the batch ran (check each result), or a fatal status
 * (out of memory) — a per-ARN failure does not fail the batch.
 */
IL_MUST_CHECK enum il_status il_lambda_list_tags_batch(struct il_aws_client *client, const char *const *arns,
                                                       size_t count, struct il_lambda_tags_result *results);
void il_lambda_tags_result_release(struct il_lambda_tags_result *result);
/** The same with a client per ARN (clients of one family, e.g. one per region or account): all run concurrently,
 *  each paced by its own (service, account, region) limiter. IL_ERR_INVALID when the clients are of different
 *  families. */
IL_MUST_CHECK enum il_status il_lambda_list_tags_multi(struct il_aws_client *const *clients, const char *const *arns,
                                                       size_t count, struct il_lambda_tags_result *results);

/** GetFunction. *found = 0 (and IL_OK) when Lambda answers ResourceNotFoundException: not an error. On success
 *  @p out (may be NULL) gets the configuration and @p tags (may be NULL) the function's tags. */
IL_MUST_CHECK enum il_status il_lambda_get_function(struct il_aws_client *client, const char *name_or_arn, int *found,
                                                    struct il_lambda_function *out, struct il_tag_list *tags,
                                                    struct il_aws_error *err);
void il_lambda_function_release(struct il_lambda_function *fn);

/** Per-ARN GetFunction result of a batch (found = 0: the function does not exist). */
struct il_lambda_get_result {
    int found;
    struct il_lambda_function function;
    struct il_aws_error error;
};
/** GetFunction for @p count names/ARNs, concurrently; same contract as il_lambda_list_tags_batch(). */
IL_MUST_CHECK enum il_status il_lambda_get_function_batch(struct il_aws_client *client, const char *const *names,
                                                          size_t count, struct il_lambda_get_result *results);
void il_lambda_get_result_release(struct il_lambda_get_result *result);
/** GetFunction with a client per name (see il_lambda_list_tags_multi). */
IL_MUST_CHECK enum il_status il_lambda_get_function_multi(struct il_aws_client *const *clients,
                                                          const char *const *names, size_t count,
                                                          struct il_lambda_get_result *results);

/** TagResource: add or overwrite @p count tags on @p arn. */
IL_MUST_CHECK enum il_status il_lambda_tag_resource(struct il_aws_client *client, const char *arn,
                                                    const struct il_tag *tags, size_t count, struct il_aws_error *err);
/** UntagResource: remove @p count keys from @p arn (tagKeys repeated in the query). */
IL_MUST_CHECK enum il_status il_lambda_untag_resource(struct il_aws_client *client, const char *arn,
                                                      const char *const *keys, size_t count, struct il_aws_error *err);

/*
 * Queued variants (see il_aws_complete_fn in client.h): each returns IL_OK once the request is queued on @p client's
 * family, and @p done is then called exactly once from inside il_aws_client_run(); on any other return nothing was
 * queued and @p done is never called. Outputs are zeroed now, must stay valid until @p done runs, and are filled on
 * success / released on failure. They let a caller keep requests for many accounts and regions in flight together.
 */
IL_MUST_CHECK enum il_status il_lambda_list_functions_start(struct il_aws_client *client, size_t max_functions,
                                                            struct il_lambda_function_list *out,
                                                            il_aws_complete_fn done, void *ctx);
/** Receives one page of ListFunctions; @p fns is borrowed for the call only (copy what you keep). Return IL_OK to go
 *  on; anything else stops the listing with that error. */
typedef enum il_status (*il_lambda_functions_fn)(void *ctx, const struct il_lambda_function *fns, size_t count);
/**
 * Streaming ListFunctions: each page is handed to @p on_functions as it arrives instead of being collected, so a
 * 100,000-function account costs one page of memory here. Pages already delivered stay delivered when a later page
 * fails: @p done then reports the error and the caller must treat what it saw as incomplete.
 */
IL_MUST_CHECK enum il_status il_lambda_list_functions_stream_start(struct il_aws_client *client, size_t max_functions,
                                                                   il_lambda_functions_fn on_functions, void *fn_ctx,
                                                                   il_aws_complete_fn done, void *ctx);
IL_MUST_CHECK enum il_status il_lambda_list_tags_start(struct il_aws_client *client, const char *arn,
                                                       struct il_tag_list *out, il_aws_complete_fn done, void *ctx);
/** *found = 0 with success when Lambda answers ResourceNotFoundException. @p out and @p tags may be NULL. */
IL_MUST_CHECK enum il_status il_lambda_get_function_start(struct il_aws_client *client, const char *name_or_arn,
                                                          int *found, struct il_lambda_function *out,
                                                          struct il_tag_list *tags, il_aws_complete_fn done, void *ctx);

#endif
