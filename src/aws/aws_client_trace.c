/* The engine's --debug sink: the client and the engine trace through it, and it calls neither. */
#include <stdarg.h>

#include "aws/aws_client_impl.h"
#include "aws/aws_sticky.h"

void il_aws_trace(struct il_aws_engine *engine, const char *fmt, ...) {
    if (engine->debug_fn == NULL) {
        return;
    }
    struct il_buf line;
    il_buf_init(&line, 8192);
    va_list ap;
    va_start(ap, fmt);
    IL_STICKY(il_buf_vprintf(&line, fmt, ap));
    va_end(ap);
    engine->debug_fn(engine->debug_ctx, il_buf_cstr(&line));
    il_buf_release(&line);
}
