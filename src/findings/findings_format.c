/* Format dispatch and the small helpers every writer shares. */
#include "il/findings.h"

#include <string.h>

#include "findings/findings_internal.h"

static const struct {
    const char *name;
    enum il_findings_format format;
} s_formats[] = {
    {"text", IL_FINDINGS_TEXT},   {"json", IL_FINDINGS_JSON},   {"github", IL_FINDINGS_GITHUB},
    {"sarif", IL_FINDINGS_SARIF}, {"junit", IL_FINDINGS_JUNIT}, {"markdown", IL_FINDINGS_MARKDOWN},
};

enum il_status il_findings_format_parse(const char *name, enum il_findings_format *out) {
    for (size_t i = 0; name != NULL && i < sizeof(s_formats) / sizeof(s_formats[0]); i++) {
        if (strcmp(name, s_formats[i].name) == 0) {
            *out = s_formats[i].format;
            return IL_OK;
        }
    }
    return IL_ERR_INVALID;
}

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

enum il_status il_findings_write(enum il_findings_format format, const struct il_diags *diags,
                                 const struct il_findings_opts *opts, struct il_buf *out) {
    if (opts == NULL) {
        return IL_ERR_INVALID;
    }
    switch (format) {
    case IL_FINDINGS_TEXT: return il_findings_text(diags, opts, out);
    case IL_FINDINGS_JSON: return il_findings_json(diags, opts, out);
    case IL_FINDINGS_GITHUB: return il_findings_github(diags, opts, out);
    case IL_FINDINGS_SARIF: return il_findings_sarif(diags, opts, out);
    case IL_FINDINGS_JUNIT: return il_findings_junit(diags, opts, out);
    case IL_FINDINGS_MARKDOWN: return il_findings_markdown(diags, opts, out);
    }
    return IL_ERR_INVALID;
}
