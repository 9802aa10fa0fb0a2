/**
 * Resource Groups Tagging API GetResources (json 1.1, X-Amz-Target ResourceGroupsTaggingAPI_20170126.GetResources),
 * fully paginated (PaginationToken, ResourcesPerPage 100), filtered to lambda:function.
 * Results are caller-owned; release with il_tagged_resource_list_release().
 */
#ifndef IL_AWS_TAGGING_H
#define IL_AWS_TAGGING_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/aws/error.h"
#include "il/aws/lambda.h"
#include "il/status.h"

/** One TagFilter: resources having tag @p key, with one of @p values (count 0: any value). Borrowed. */
struct il_tag_filter {
    const char *key;
    const char *const *values;
    size_t value_count;
};

struct il_tagged_resource {
    char *arn;
    struct il_tag_list tags;
};

struct il_tagged_resource_list {
    struct il_tagged_resource *items;
    size_t count;
};
void il_tagged_resource_list_release(struct il_tagged_resource_list *list);

/**
 * GetResources with ResourceTypeFilters ["lambda:function"] and the given TagFilters (AND between filters, as AWS
 * defines them; at most 50). Every page is fetched; a repeated PaginationToken is IL_ERR_LIMIT. @p max_resources
 * bounds memory (0: 1,000,000).
 */
IL_MUST_CHECK enum il_status il_tagging_get_resources(struct il_aws_client *client, const struct il_tag_filter *filters,
                                                      size_t filter_count, size_t max_resources,
                                                      struct il_tagged_resource_list *out, struct il_aws_error *err);

/**
 * Queued variant (see il_aws_complete_fn in client.h and the *_start contract in lambda.h). @p filters (and the strings
 * they point to) are borrowed until @p done runs: every page's request repeats them. IL_ERR_INVALID for more than 50
 * filters (nothing queued).
 */
IL_MUST_CHECK enum il_status il_tagging_get_resources_start(struct il_aws_client *client,
                                                            const struct il_tag_filter *filters, size_t filter_count,
                                                            size_t max_resources, struct il_tagged_resource_list *out,
                                                            il_aws_complete_fn done, void *ctx);

#endif
