/**
 * Carrying out `apply`'s plan (il/drift/apply.h): each change through Lambda TagResource / UntagResource with a client
 * derived for the function's account and region. Prints nothing: each outcome goes to a callback, in plan order, so
 * the caller renders it (and can count, log or stop nothing: every change is attempted).
 */
#ifndef IL_DRIFT_APPLY_EXEC_H
#define IL_DRIFT_APPLY_EXEC_H

#include <stddef.h>

#include "il/aws/client.h"
#include "il/drift/apply.h"
#include "il/status.h"

/** One change's outcome: @p st IL_OK when it was made; otherwise @p why says why (AWS's error, unescaped; never
 *  NULL). Everything borrowed for the call. */
typedef void (*il_apply_done_fn)(void *ctx, const struct il_apply_action *action, enum il_status st, const char *why);

/**
 * Make each of the @p count changes in @p actions with a client derived from @p root (borrowed; the run's client and
 * its credentials), calling @p done after each. *failed gets how many failed. Returns IL_OK when every change was
 * attempted (failures are counted, not fatal).
 */
IL_MUST_CHECK enum il_status il_apply_execute(struct il_aws_client *root, const struct il_apply_action *actions,
                                              size_t count, il_apply_done_fn done, void *ctx, size_t *failed);

#endif
