/* Private to the SigV4 files: checks shared by the canonical-request and signing halves. */
#ifndef IL_AWS_SIGV4_INTERNAL_H
#define IL_AWS_SIGV4_INTERNAL_H

#include "il/aws/sigv4.h"

/** IL_OK when region and service are non-empty scope components (printable, no '/', ',' or space) and the time is
 *  representable as X-Amz-Date; IL_ERR_INVALID otherwise. */
IL_MUST_CHECK enum il_status il_sigv4_check_params(const struct il_sigv4_params *params);

#endif
