/**
 * Diagnostics are data: every problem a run finds is collected here, then sorted and handed to a writer.
 *
 * A diagnostic never contains a credential or a raw HTTP header/body: only the fields below. Strings are copied on
 * add and owned by the collection; pointers returned by il_diags_get() are borrowed and live until il_diags_free().
 * Text is stored raw; writers escape it for their medium.
 */
#ifndef IL_DIAG_H
#define IL_DIAG_H

#include <stddef.h>

#include "il/status.h"

enum il_severity {
    IL_SEV_NOTICE = 0,
    IL_SEV_WARNING = 1,
    IL_SEV_ERROR = 2,
};

/** The AWS request a diagnostic is about (never headers or bodies). */
struct il_aws_ref {
    const char *service;   /* "lambda", "tagging", "sts", "inspector2" */
    const char *operation; /* "ListFunctions" */
    const char *region;
    const char *account;
    int http_status;        /* 0 when no response arrived */
    const char *error_code; /* "AccessDeniedException" */
    const char *request_id;
};

struct il_diag {
    enum il_severity severity;
    const char *rule;         /* stable id: "expired", "schema", "yaml", "unrecorded-exclusion" */
    const char *file;         /* NULL when not about a file */
    unsigned line;            /* 1-based; 0 unknown */
    unsigned column;          /* 1-based; 0 unknown */
    const char *pointer;      /* JSON pointer into the document, or NULL */
    const char *function_arn; /* the entry's/function's ARN when known */
    const char *account;      /* AWS account id when known */
    const char *region;       /* AWS region when known */
    struct il_aws_ref aws;    /* aws.operation == NULL when no request is involved */
    const char *message;      /* lower-case, no full stop; says what is wrong and what to do */
};

struct il_diags;

/** A new, empty collection. NULL on out of memory. Free with il_diags_free(). */
struct il_diags *il_diags_new(void);
/** Free the collection and every string it holds; accepts NULL. */
void il_diags_free(struct il_diags *diags);

/** Copy @p diag (and all strings it points to) into the collection. */
IL_MUST_CHECK enum il_status il_diags_add(struct il_diags *diags, const struct il_diag *diag);

/** Convenience: add a diagnostic with a printf-formatted message. Borrowed args are copied. */
IL_MUST_CHECK enum il_status il_diags_addf(struct il_diags *diags, enum il_severity severity, const char *rule,
                                           const char *file, unsigned line, unsigned column, const char *function_arn,
                                           const char *fmt, ...) IL_PRINTF(8, 9);

size_t il_diags_count(const struct il_diags *diags);
/** The i-th diagnostic (borrowed). */
const struct il_diag *il_diags_get(const struct il_diags *diags, size_t i);
/** Number of diagnostics at or above @p severity. */
size_t il_diags_count_at_least(const struct il_diags *diags, enum il_severity severity);
/** Number with exactly @p severity. */
size_t il_diags_count_severity(const struct il_diags *diags, enum il_severity severity);

/** Stable sort: by file, line, column, then severity (errors first), then rule. Diagnostics without file last. */
void il_diags_sort(struct il_diags *diags);

/** Move every diagnostic of @p src to the end of @p dst (src is left empty). */
IL_MUST_CHECK enum il_status il_diags_move(struct il_diags *dst, struct il_diags *src);

/** Change the severity of the i-th diagnostic (policy overrides, findings demoted in --base mode); no-op when out
 *  of range. */
void il_diags_set_severity(struct il_diags *diags, size_t i, enum il_severity severity);
/** Drop (and free) every diagnostic for which @p drop returns non-zero; the others keep their order. */
void il_diags_drop_if(struct il_diags *diags, int (*drop)(const struct il_diag *d, void *arg), void *arg);

/** "error", "warning" or "notice". */
const char *il_severity_str(enum il_severity severity);
/** Parse "error"/"warning"/"notice"; IL_ERR_INVALID otherwise. */
IL_MUST_CHECK enum il_status il_severity_parse(const char *text, enum il_severity *out);

#endif
