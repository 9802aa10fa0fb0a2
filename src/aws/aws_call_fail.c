/* Recording a call's failure: the completion path the engine, its bounds, the list pager, the JSON helpers and the
 * service files share. A leaf (it calls only the buffer and the credentials' scrubber), so none of them calls back
 * into another. */
#include <stdarg.h>
#include <stdlib.h>

#include "aws/aws_client_impl.h"
#include "aws/aws_sticky.h"

enum il_status il_aws_call_fail(struct il_aws_call *call, enum il_status status, const char *fmt, ...) {
    struct il_buf msg;
    il_buf_init(&msg, IL_AWS_ERROR_MAX_MESSAGE);
    va_list ap;
    va_start(ap, fmt);
    IL_STICKY(il_buf_vprintf(&msg, fmt, ap));
    va_end(ap);
    free(call->error.message);
    call->error.message = il_buf_take(&msg);
    il_buf_release(&msg);
    /* messages quote AWS's answers (a function name, a tag key): they lose the credentials like AWS's own text */
    IL_STICKY(il_credentials_scrub_inplace(call->client->creds, &call->error.message));
    free(call->error.code);
    call->error.code = NULL;
    call->error.status = status;
    return status;
}
