/* Internal: the run bounds of the engine (aws_engine_bounds.c). Not part of the public API. */
#ifndef IL_AWS_ENGINE_BOUNDS_H
#define IL_AWS_ENGINE_BOUNDS_H

#include "aws/aws_client_impl.h"

/** @p ms (an attempt's connect or total timeout) capped to what is left of the run's --timeout (at least 1 ms). */
long il_aws_engine_cap_to_run(struct il_aws_engine *eng, long ms);
/** Fail @p call with IL_ERR_LIMIT: cut short @p when (static text) by --timeout, keeping its last error's text. */
void il_aws_engine_run_timeout(struct il_aws_engine *eng, struct il_aws_call *call, const char *when);
/** IL_ERR_PARSE (call->error set, "truncated response") when a 2xx body's length differs from its Content-Length. */
IL_MUST_CHECK enum il_status il_aws_body_complete(struct il_aws_call *call, const struct il_http_response *resp);

#endif
