/**
 * The typed ledger model: security/inspector-exclusions.yaml as C structs, and the ledger rules.
 *
 * Flow: il_ledger_schema_load() (embedded schema or --schema FILE) -> il_ledger_load_file() (read, YAML, schema,
 * model) -> il_ledger_check_rules() (expiry, order, duplicates, ...). Everything found is added to a
 * struct il_diags; nothing here prints.
 *
 * A struct il_ledger owns the parsed document (struct il_doc), so every string and node pointer reachable from an
 * entry stays valid until il_ledger_free(). It does not keep the file's bytes (only their SHA-256). The model is built
 * even when the schema rejects the ledger: a field that is missing or has the wrong type is simply absent (value NULL),
 * so the rules can still check whatever is there without crashing.
 */
#ifndef IL_LEDGER_H
#define IL_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "il/date.h"
#include "il/diag.h"
#include "il/doc/node.h"
#include "il/doc/yaml.h"
#include "il/schema.h"
#include "il/status.h"

/** The conventional ledger path, relative to the repository root (the default of every command). */
#define IL_LEDGER_DEFAULT_PATH "security/inspector-exclusions.yaml"
/** Name of the embedded ledger schema (il_embedded_get()). */
#define IL_LEDGER_SCHEMA_NAME "inspector-exclusions.schema.json"

/* Tag each scan type must carry on the function (the Inspector conventions). */
#define IL_TAG_KEY_STANDARD "InspectorExclusion"
#define IL_TAG_VALUE_STANDARD "LambdaStandardScanning"
#define IL_TAG_KEY_CODE "InspectorCodeExclusion"
#define IL_TAG_VALUE_CODE "LambdaCodeScanning"

enum il_scan_type {
    IL_SCAN_UNKNOWN = 0, /* missing or not one of the two values */
    IL_SCAN_STANDARD,    /* "standard": Lambda standard scanning (dependencies) */
    IL_SCAN_CODE,        /* "code": Lambda code scanning */
};

/** Why an implicit exclusion (reason.implicit, no tag) leaves the function unscanned. */
enum il_implicit_reason {
    IL_IMPLICIT_NONE = 0,            /* not implicit: the exclusion is a tag */
    IL_IMPLICIT_KMS_KEY,             /* "kms-key": ACCESS_DENIED_TO_ENCRYPTION_KEY */
    IL_IMPLICIT_IDLE_90_DAYS,        /* "idle-90-days": SCAN_ELIGIBILITY_EXPIRED */
    IL_IMPLICIT_UNSUPPORTED_RUNTIME, /* "unsupported-runtime": UNSUPPORTED_RUNTIME */
};
/** "kms-key", "idle-90-days", "unsupported-runtime", or NULL for IL_IMPLICIT_NONE. Static. */
const char *il_implicit_reason_str(enum il_implicit_reason reason);
/** Inspector's ListCoverage scan status reason for @p reason ("ACCESS_DENIED_TO_ENCRYPTION_KEY", ...), or NULL. */
const char *il_implicit_reason_inspector(enum il_implicit_reason reason);

/** "standard", "code", or "unknown". */
const char *il_scan_type_str(enum il_scan_type type);
/** The tag key / value an exclusion of @p type carries; NULL for IL_SCAN_UNKNOWN. */
const char *il_scan_type_tag_key(enum il_scan_type type);
const char *il_scan_type_tag_value(enum il_scan_type type);

/** One string field of an entry. */
struct il_ledger_str {
    const char *value;          /* NUL-terminated, borrowed; NULL when the key is missing or not a string */
    size_t len;                 /* bytes in value (it may hold inner NULs from YAML escapes) */
    const struct il_node *node; /* the value node whatever its type; NULL when the key is missing */
    unsigned line;              /* 1-based position of the value; when missing, of the enclosing mapping */
    unsigned column;
};

/** A date field: the text plus its parsed value. */
struct il_ledger_date {
    struct il_ledger_str text;
    int valid;           /* text is a calendar-correct YYYY-MM-DD */
    struct il_date date; /* when valid */
    int64_t days;        /* il_date_to_days(&date) when valid */
};

/** target.function_arn taken apart: arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]. */
struct il_ledger_arn {
    int valid;                 /* the shape above matched (the schema's pattern is stricter on characters) */
    const char *partition;     /* "aws", "aws-cn", "aws-us-gov"; all strings "" when !valid */
    const char *region;        /* "eu-west-1" */
    const char *account;       /* 12 digits */
    const char *function_name; /* "orders-api" */
    const char *qualifier;     /* version or alias ("7", "prod", "$LATEST"); NULL when unqualified */
    const char *unqualified;   /* the ARN without ":QUALIFIER" (equal to the ARN when unqualified) */
};

/** One element of `exclusions`. All pointers are borrowed from the ledger. */
struct il_ledger_entry {
    size_t index;        /* 0-based position in `exclusions` */
    const char *pointer; /* JSON pointer of the entry, "/exclusions/3" */
    int is_object;       /* 0 when the element is not a mapping: every field below is then missing */
    unsigned line;       /* position of the entry's mapping (its first key) */
    unsigned column;
    unsigned end_line;    /* last line of the entry's text, trailing blank and comment lines excluded (for
                             `git blame -L line,end_line`) */
    size_t schema_errors; /* schema violations located inside this entry */

    struct il_ledger_str target_type;   /* target.type ("lambda") */
    struct il_ledger_str function_name; /* target.function_name */
    struct il_ledger_str function_arn;  /* target.function_arn */
    struct il_ledger_arn arn;           /* function_arn parsed */

    struct il_ledger_str scan_type_text; /* scan_type as written */
    enum il_scan_type scan_type;

    struct il_ledger_str tag_key;   /* tag.key */
    struct il_ledger_str tag_value; /* tag.value */

    struct il_ledger_str summary;                      /* reason.summary */
    struct il_ledger_str ticket;                       /* reason.ticket */
    const struct il_ledger_str *compensating_controls; /* reason.compensating_controls (string items only) */
    size_t compensating_control_count;
    struct il_ledger_str implicit;           /* reason.implicit: "kms-key", "idle-90-days", "unsupported-runtime" */
    enum il_implicit_reason implicit_reason; /* IL_IMPLICIT_NONE: an exclusion by tag */

    struct il_ledger_str team;        /* owner.team */
    struct il_ledger_str approved_by; /* owner.approved_by */
    struct il_ledger_str applied_by;  /* owner.applied_by */

    struct il_ledger_date applied_at;     /* dates.applied_at */
    struct il_ledger_date expires_at;     /* dates.expires_at */
    struct il_ledger_date next_review_at; /* dates.next_review_at */
};

/* ---- schema ---- */

/** A compiled schema together with the document it was compiled from (opaque). */
struct il_ledger_schema;

/**
 * Load and compile a schema: @p path NULL means the embedded ledger schema; otherwise a YAML or JSON file ("-" is
 * not allowed: the ledger may be on stdin). Problems (unreadable, not YAML/JSON, not a valid schema) are added to
 * @p diags (rule "schema-file", or "yaml" for a syntax error, located in the schema file) and return IL_ERR_IO /
 * IL_ERR_NOTFOUND / IL_ERR_PARSE / IL_ERR_INVALID. On success *out is freed with il_ledger_schema_free().
 */
IL_MUST_CHECK enum il_status il_ledger_schema_load(const char *path, struct il_ledger_schema **out,
                                                   struct il_diags *diags);
void il_ledger_schema_free(struct il_ledger_schema *schema);
/** The compiled schema (borrowed). */
const struct il_schema *il_ledger_schema_get(const struct il_ledger_schema *schema);

/**
 * --schema-only: load any YAML or JSON document from @p path ("-": standard input) and validate it against
 * @p schema, without the ledger model or rules. Violations go to @p diags (rule "schema"); *errors gets their
 * number. Returns IL_OK when the document was loaded (valid or not), IL_ERR_NOTFOUND / IL_ERR_IO when it could not
 * be read, IL_ERR_PARSE / IL_ERR_LIMIT when it is not loadable (a located "yaml" diagnostic says why).
 */
IL_MUST_CHECK enum il_status il_ledger_schema_check_file(const struct il_ledger_schema *schema, const char *path,
                                                         struct il_diags *diags, size_t *errors);

/* ---- loading ---- */

struct il_ledger;

struct il_ledger_load_opts {
    const struct il_ledger_schema *schema; /* borrowed; NULL: the embedded schema is loaded for this call */
    const struct il_load_limits *limits;   /* NULL: defaults (64 MiB, depth 128, ...) */
    const char *display_name;              /* name used in diagnostics; NULL: the path ("<stdin>" for "-") */
    /* il_ledger_load_file() only: when not NULL, receives the file's bytes (NUL-terminated; the caller frees them)
     * whenever they could be read, even if the YAML does not load, e.g. to show source lines under findings. */
    char **source_out;
    size_t *source_len_out;
    /* 1: do not compute the file's SHA-256 (il_ledger_sha256() is then NULL). Gates that never show the digest
     * (validate, check) skip it: on a large ledger it costs as much as the schema pass. */
    int skip_digest;
};

/**
 * Read @p path ("-": standard input), parse it as YAML, validate it against the schema and build the model.
 *  - IL_OK: *out is a new ledger (free with il_ledger_free()); schema violations, if any, are in @p diags
 *    (rule "schema") and counted by il_ledger_schema_errors().
 *  - IL_ERR_NOTFOUND / IL_ERR_IO: the file could not be read; a "yaml" diagnostic (no line) says so; *out NULL.
 *  - IL_ERR_PARSE / IL_ERR_LIMIT: not loadable YAML (syntax, duplicate key, size/depth/alias bound, empty file);
 *    a located "yaml" diagnostic says why; *out NULL.
 *  - IL_ERR_NOMEM, IL_ERR_INTERNAL, or the schema's load error when opts->schema is NULL.
 * @p opts may be NULL.
 */
IL_MUST_CHECK enum il_status il_ledger_load_file(const char *path, const struct il_ledger_load_opts *opts,
                                                 struct il_ledger **out, struct il_diags *diags);

/** Same from bytes in memory (borrowed for the call; @p name is used in diagnostics). */
IL_MUST_CHECK enum il_status il_ledger_load_data(const char *data, size_t len, const char *name,
                                                 const struct il_ledger_load_opts *opts, struct il_ledger **out,
                                                 struct il_diags *diags);

/**
 * Build the model from an already loaded document, taking ownership of @p doc (freed on failure too). @p bytes (the
 * file's text, borrowed, read only during this call) gives the SHA-256 and the entries' end lines; it may be NULL
 * (then the SHA-256 is of nothing and end_line is the last line a node of the entry starts on). No schema validation
 * happens here (the caller did it, or unit tests build trees by hand).
 */
IL_MUST_CHECK enum il_status il_ledger_from_doc(struct il_doc *doc, const char *bytes, size_t len,
                                                struct il_ledger **out);

/** Free the ledger, its document and every string; accepts NULL. */
void il_ledger_free(struct il_ledger *ledger);

/* ---- reading ---- */

size_t il_ledger_entry_count(const struct il_ledger *ledger);
/** The i-th entry (borrowed), NULL when out of range. */
const struct il_ledger_entry *il_ledger_entry(const struct il_ledger *ledger, size_t i);
/** The file name used in diagnostics (borrowed): the path as given, or "<stdin>". */
const char *il_ledger_filename(const struct il_ledger *ledger);
/** Lower-case hex SHA-256 of the file's bytes (64 chars, borrowed); NULL when loaded with skip_digest. */
const char *il_ledger_sha256(const struct il_ledger *ledger);
/** The document (borrowed). */
const struct il_doc *il_ledger_doc(const struct il_ledger *ledger);
/** `version` when it is an integer, else -1. */
long il_ledger_version(const struct il_ledger *ledger);
/** Schema violations found while loading (0 when valid, or when built with il_ledger_from_doc()). */
size_t il_ledger_schema_errors(const struct il_ledger *ledger);
/**
 * The first entry (ledger order) whose unqualified function ARN is @p arn and whose scan_type is @p type, or NULL
 * (borrowed). Entries with an invalid ARN or scan type are never found; an entry with a qualified ARN is found by its
 * unqualified ARN, and a qualified @p arn finds nothing (exclusion tags live on the function itself). The index is
 * built once when the ledger is built, so this costs one hash lookup.
 */
const struct il_ledger_entry *il_ledger_find(const struct il_ledger *ledger, const char *arn, enum il_scan_type type);
/** Line/column of the `exclusions` value (or of the root when missing), for findings about the ledger as a whole
 *  (e.g. an exclusion tag found in AWS that has no entry). */
unsigned il_ledger_exclusions_line(const struct il_ledger *ledger);
unsigned il_ledger_exclusions_column(const struct il_ledger *ledger);

/* ---- rules ---- */

struct il_ledger_rule_opts {
    struct il_date as_of;          /* "today" (UTC) */
    unsigned warn_days;            /* expiring-soon window; default 14 */
    unsigned max_days;             /* window-too-long bound on expires_at - applied_at; 0: off (default) */
    int require_distinct_approver; /* distinct-approver: approved_by must differ from applied_by */
};

/** Defaults: as_of = today UTC, warn_days 14, max_days 0, no policy flags. Fails only if the clock cannot be read. */
IL_MUST_CHECK enum il_status il_ledger_rule_opts_default(struct il_ledger_rule_opts *opts);

/**
 * Run every ledger rule over every entry, adding findings to @p diags: expired, expiring-soon, review-overdue,
 * date-order, window-too-long, duplicate-entry, name-arn-mismatch, tag-scan-type-mismatch, qualified-arn,
 * distinct-approver. Each finding is located at the field it is about and carries the entry's function ARN.
 * Fields that are missing or malformed (already reported by the schema) are skipped, never guessed.
 */
IL_MUST_CHECK enum il_status il_ledger_check_rules(const struct il_ledger *ledger,
                                                   const struct il_ledger_rule_opts *opts, struct il_diags *diags);

enum il_entry_status {
    IL_ENTRY_ACTIVE,         /* holds, nothing due */
    IL_ENTRY_EXPIRING_SOON,  /* holds, expires within warn_days */
    IL_ENTRY_REVIEW_OVERDUE, /* holds, next_review_at has passed */
    IL_ENTRY_EXPIRED,        /* as_of is after expires_at */
    IL_ENTRY_UNKNOWN,        /* expires_at missing or not a date */
};

/**
 * The entry's status on opts->as_of (expired wins over review-overdue, which wins over expiring-soon) and, when
 * @p days_left is not NULL, expires_at - as_of in days (0 on the expiry day; negative once expired; 0 if unknown).
 */
enum il_entry_status il_ledger_entry_status(const struct il_ledger_entry *entry, const struct il_ledger_rule_opts *opts,
                                            int64_t *days_left);
/**
 * The one status decision, on day numbers (il_date_to_days): @p days_left = expires_at - as_of, @p days_to_review =
 * next_review_at - as_of when @p has_review. Expired wins over review-overdue, which wins over expiring-soon
 * (days_left <= warn_days). il_ledger_entry_status() and the report's rows both decide through it.
 */
enum il_entry_status il_entry_status_at(int64_t days_left, int has_review, int64_t days_to_review, unsigned warn_days);
/** The entry that expires next on or after @p as_of (earliest valid expires_at not before it; the first in ledger
 *  order on a tie), or NULL when none does. Borrowed from @p ledger. */
const struct il_ledger_entry *il_ledger_next_expiry(const struct il_ledger *ledger, const struct il_date *as_of);

/** "active", "expiring-soon", "review-overdue", "expired", "unknown". */
const char *il_entry_status_str(enum il_entry_status status);

/* ---- opening: schema -> load -> rules in one call (ledger_open.c) ---- */

/** Which step of il_ledger_open() failed. */
enum il_ledger_open_step {
    IL_LEDGER_OPEN_DONE = 0, /* nothing failed */
    IL_LEDGER_OPEN_SCHEMA,   /* the schema (--schema FILE or the embedded one) did not load */
    IL_LEDGER_OPEN_LOAD,     /* the ledger did not load (il_ledger_load_file()'s statuses) */
    IL_LEDGER_OPEN_RULES,    /* the ledger rules could not run (not a finding: IL_ERR_NOMEM, ...) */
};

/** What il_ledger_open() opens and how. Caller-owned; everything borrowed. */
struct il_ledger_open_opts {
    const char *schema_path;                 /* --schema FILE; NULL: the embedded ledger schema */
    const char *ledger_path;                 /* "-": standard input */
    const struct il_ledger_rule_opts *rules; /* the rules' options; NULL: the rules are not run */
    int rules_need_schema;                   /* 1: no rules on a ledger the schema rejected (report writes nothing) */
    int skip_digest;                         /* as il_ledger_load_opts */
    char **source_out;                       /* as il_ledger_load_opts (the file's bytes; the caller frees them) */
    size_t *source_len_out;
    struct il_diags *schema_diags; /* where the schema file's problems go; NULL: the same list as the ledger's */
    /* validate --schema-only: validate ledger_path as any document against the schema (il_ledger_schema_check_file),
     * no model, no rules; *schema_errors (when not NULL) gets the number of violations */
    int schema_only;
    size_t *schema_errors;
};

/**
 * The sequence every command starts with: load the schema, load the ledger against it, run the ledger rules. Findings
 * go to @p diags (schema problems to opts->schema_diags when set). *out is the ledger whenever it loaded, even when
 * the rules then failed (caller frees; NULL otherwise and with schema_only). Returns IL_OK, or the status of the step
 * that failed, named in *step: the statuses of il_ledger_schema_load(), il_ledger_load_file() /
 * il_ledger_schema_check_file(), il_ledger_check_rules().
 */
IL_MUST_CHECK enum il_status il_ledger_open(const struct il_ledger_open_opts *opts, struct il_ledger **out,
                                            struct il_diags *diags, enum il_ledger_open_step *step);

#endif
