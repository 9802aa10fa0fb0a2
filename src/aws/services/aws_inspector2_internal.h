/* Internal to the Inspector2 and Organizations service files: strict JSON member helpers. Not part of the public
 * API. */
#ifndef IL_AWS_INSPECTOR2_INTERNAL_H
#define IL_AWS_INSPECTOR2_INTERNAL_H

#include "aws/aws_call.h"

/** The object member @p key of @p obj (borrowed; NULL when absent or null, or @p obj is NULL). IL_ERR_PARSE (naming
 *  the member) when it is present but not an object, or missing while @p required. */
IL_MUST_CHECK enum il_status il_inspector2_object(struct il_aws_call *call, const cJSON *obj, const char *key,
                                                  int required, const cJSON **out);
/** The string member @p key, which must be a 12-digit account id. *out is new (caller frees) or NULL when absent. */
IL_MUST_CHECK enum il_status il_inspector2_account_id(struct il_aws_call *call, const cJSON *obj, const char *key,
                                                      int required, char **out);

#endif
