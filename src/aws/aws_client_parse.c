/* Parsing the client's numeric settings (--max-attempts, --rate-limit and their environment and config-file forms).
 * A leaf: the settings reader and the CLI use it without reaching into the client. */
#include <stdlib.h>

#include "aws/aws_client_impl.h"

enum il_status il_aws_parse_max_attempts(const char *text, unsigned *out) {
    char *end = NULL;
    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return IL_ERR_INVALID;
    }
    unsigned long long v = strtoull(text, &end, 10);
    if (*end != '\0' || v < 1 || v > 20) {
        return IL_ERR_INVALID;
    }
    *out = (unsigned)v;
    return IL_OK;
}

enum il_status il_aws_parse_rate_limit(const char *text, double *out) {
    char *end = NULL;
    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return IL_ERR_INVALID;
    }
    double v = strtod(text, &end);
    if (*end != '\0' || !(v > 0.0) || v > 10000.0) {
        return IL_ERR_INVALID;
    }
    *out = v;
    return IL_OK;
}
