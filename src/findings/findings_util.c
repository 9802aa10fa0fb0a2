/* What every finding writer shares (findings_internal.h) and the --fail-on level: kept apart from the format table
 * (findings_format.c) so the writers never call back into the dispatcher. */
#include <string.h>

#include "findings/findings_internal.h"

enum il_status il_findings_fail_on_parse(const char *name, enum il_findings_fail_on *out) {
    if (name == NULL) {
        return IL_ERR_INVALID;
    }
    if (strcmp(name, "error") == 0) {
        *out = IL_FINDINGS_FAIL_ON_ERROR;
    } else if (strcmp(name, "warning") == 0) {
        *out = IL_FINDINGS_FAIL_ON_WARNING;
    } else if (strcmp(name, "never") == 0) {
        *out = IL_FINDINGS_FAIL_ON_NEVER;
    } else {
        return IL_ERR_INVALID;
    }
    return IL_OK;
}

int il_findings_fails(const struct il_diag *d, const struct il_findings_opts *opts) {
    switch (opts->fail_on) {
    case IL_FINDINGS_FAIL_ON_ERROR: return d->severity >= IL_SEV_ERROR;
    case IL_FINDINGS_FAIL_ON_WARNING: return d->severity >= IL_SEV_WARNING;
    case IL_FINDINGS_FAIL_ON_NEVER: return 0;
    }
    return 1; /* an unknown level fails closed */
}

int il_findings_passed(const struct il_diags *diags, const struct il_findings_opts *opts) {
    if (il_diags_count(opts->unverified) > 0) {
        return 0; /* fail closed: --fail-on never does not excuse what could not be verified */
    }
    for (size_t i = 0; i < il_diags_count(diags); i++) {
        if (il_findings_fails(il_diags_get(diags, i), opts)) {
            return 0;
        }
    }
    return 1;
}

enum il_status il_findings_count(struct il_buf *out, size_t n, const char *singular) {
    return il_buf_printf(out, "%zu %s%s", n, singular, n == 1 ? "" : "s");
}

const char *il_findings_ledger_name(const struct il_findings_opts *opts) {
    if (opts->ledger_file == NULL || opts->ledger_file[0] == '\0') {
        return "security/inspector-exclusions.yaml";
    }
    if (strcmp(opts->ledger_file, "-") == 0) {
        return "<stdin>";
    }
    return opts->ledger_file;
}
