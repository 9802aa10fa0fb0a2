/**
 * Carrying out `apply`'s plan (il/drift/apply.h): each change through Lambda TagResource / UntagResource with a client
 * derived for the function's account and region (through the account's role when the plan uses one). Prints nothing:
 * each outcome goes to a callback, in plan order, as soon as it is known, so the caller renders it and writes the
 * change log line before the next change starts.
 */
#ifndef IL_DRIFT_APPLY_EXEC_H
#define IL_DRIFT_APPLY_EXEC_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/drift/apply.h"
#include "il/drift/collect.h"
#include "il/status.h"

/** Called after each change, before the next one starts; a return other than IL_OK stops the run (the rest stay
 *  IL_APPLY_NOT_ATTEMPTED). */
typedef enum il_status (*il_apply_done_fn)(void *ctx, const struct il_apply_action *action,
                                           const struct il_apply_result *result);

struct il_apply_exec_opts {
    const struct il_collect_plan *plan;    /* with use_role, each account's changes go through its role */
    const struct il_collect_opts *collect; /* the role name / template and external id (as the collection) */
    const char *session_name;              /* AssumeRole session name; NULL: "inspector-ledger-apply" */
    il_apply_done_fn on_done;              /* may be NULL */
    void *ctx;
};

/**
 * Carry out @p actions in order with clients derived from @p root (the collection's client: its rate limits, retries
 * and credentials; per account the role of the plan), one TagResource / UntagResource each, touching only the
 * action's key. @p results has @p count zeroed slots, filled in (caller releases each). A failed change does not
 * stop the others. Returns IL_OK when every change was attempted, whatever AWS answered; the callback's status when
 * it stopped the run; IL_ERR_NOMEM.
 */
IL_MUST_CHECK enum il_status il_apply_execute(struct il_aws_client *root, const struct il_apply_action *actions,
                                              size_t count, const struct il_apply_exec_opts *opts,
                                              struct il_apply_result *results);

#endif
