/**
 * Private to the Lambda files (aws_lambda.c, aws_lambda_batch.c, aws_lambda_async.c): the per-call contexts and the
 * functions that prepare a call, so that the single, batched and queued variants of an operation build the very
 * same request and parse its pages the same way. Not part of the public API (include/il/aws/lambda.h is).
 *
 * Ownership as in aws_call.h: a prepared call must be released with il_aws_call_release() whatever happens, and the
 * context it points at must outlive the call.
 */
#ifndef IL_AWS_LAMBDA_INTERNAL_H
#define IL_AWS_LAMBDA_INTERNAL_H

#include <stddef.h>

#include "aws/aws_call.h"
#include "il/aws/lambda.h"

/** Where ListFunctions puts what it reads: into @p out (grown as pages arrive), or page by page to @p on_functions
 *  (streaming, @p out NULL). More than @p max functions in all is IL_ERR_LIMIT. */
struct il_lambda_list_ctx {
    struct il_lambda_function_list *out; /* NULL when streaming */
    size_t cap;
    size_t max;                          /* 0 before il_lambda_list_init(): the default bound */
    il_lambda_functions_fn on_functions; /* streaming: each page goes here instead of into out */
    void *fn_ctx;
    size_t seen;
};

/** Where GetFunction puts what it reads: *found, and the function and tags when those pointers are not NULL. */
struct il_lambda_get_ctx {
    int *found;
    struct il_lambda_function *fn;
    struct il_tag_list *tags;
};

/** Prepare @p call as ListFunctions (first page, MaxItems 50) reading into @p ctx (borrowed; a zero ctx->max becomes
 *  the default bound of one million). IL_OK, or the status of il_aws_call_init() / the query buffer. */
IL_MUST_CHECK enum il_status il_lambda_list_init(struct il_aws_call *call, struct il_aws_client *client,
                                                 struct il_lambda_list_ctx *ctx);
/** Prepare @p call as ListTags of @p arn reading into @p out (borrowed, zeroed by the caller). */
IL_MUST_CHECK enum il_status il_lambda_tags_init(struct il_aws_call *call, struct il_aws_client *client,
                                                 const char *arn, struct il_tag_list *out);
/** Prepare @p call as GetFunction of @p name (a name or an ARN) reading into @p ctx (borrowed); a 404
 *  ResourceNotFoundException ends it successfully with *ctx->found = 0. */
IL_MUST_CHECK enum il_status il_lambda_get_init(struct il_aws_call *call, struct il_aws_client *client,
                                                const char *name, struct il_lambda_get_ctx *ctx);

#endif
