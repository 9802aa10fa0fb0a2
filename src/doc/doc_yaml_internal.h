/**
 * Internals of the YAML loader shared by its files (not part of the public API): scalar resolution, the UTF-8 check,
 * reporting a failed load.
 */
#ifndef IL_DOC_YAML_INTERNAL_H
#define IL_DOC_YAML_INTERNAL_H

#include <stddef.h>
#include <yaml.h>

#include "il/diag.h"
#include "il/doc/node.h"
#include "il/doc/yaml.h"
#include "il/status.h"

/** What a scalar's text means under a tag (or under the core schema when untagged and plain). */
enum il_yaml_kind {
    IL_YAML_KIND_STR,
    IL_YAML_KIND_NULL,
    IL_YAML_KIND_BOOL,
    IL_YAML_KIND_INT,
    IL_YAML_KIND_FLOAT,
};

/** Result of resolving one scalar. */
struct il_yaml_scalar {
    enum il_yaml_kind kind;
    int boolean;
    double number;
    int is_integer; /* for numbers: the value is integral (1, 1.0, 1e2) */
};

/**
 * Resolve @p text (@p len bytes) by the YAML 1.2 core schema: null, bool, int (decimal, 0o, 0x), float (incl.
 * .inf/.nan), otherwise str. text[len] must be readable and NUL (libyaml terminates every scalar value), so numbers
 * go to strtod without a copy.
 */
void il_yaml_resolve_core(const char *text, size_t len, struct il_yaml_scalar *out);

/**
 * Build the node for a scalar event. @p tag is the resolved tag (NULL when none), @p plain_untagged is true for a
 * plain scalar without a tag (the only kind the core schema resolves). On an unsupported tag or a value that does
 * not match its tag, returns IL_ERR_PARSE and sets *problem to a static description ("unsupported tag", ...);
 * IL_ERR_NOMEM when the node cannot be allocated. *out is borrowed from @p doc.
 */
IL_MUST_CHECK enum il_status il_yaml_scalar_node(struct il_doc *doc, const char *tag, const char *text, size_t len,
                                                 int plain_untagged, unsigned line, unsigned column,
                                                 struct il_node **out, const char **problem);

/** A tag as written: for tag:yaml.org,2002:int returns "int" and sets *prefix to "!!"; otherwise the tag itself and
 *  "" ("" for NULL). Both borrowed. */
const char *il_yaml_tag_short(const char *tag, const char **prefix);

/** Where the first bad byte of an input is, and why. */
struct il_utf8_error {
    size_t offset;
    unsigned line;           /* 1-based */
    unsigned column;         /* 1-based, in characters as libyaml counts them */
    unsigned byte;           /* the offending byte (invalid UTF-8) */
    unsigned long codepoint; /* the offending character (disallowed control character), when decoded */
    int is_control;          /* 1: a well-formed character YAML forbids; 0: malformed UTF-8 */
};

/**
 * Check that @p data is well-formed UTF-8 holding only characters YAML allows (tab, line breaks, printable
 * characters; no other C0/C1 controls, no U+FFFE/U+FFFF). Returns 1 when fine, else 0 and fills @p err.
 */
int il_utf8_check(const char *data, size_t len, struct il_utf8_error *err);

/** 1-based line and column (in characters, line breaks as libyaml counts them) of byte @p offset in @p data. */
void il_utf8_position(const char *data, size_t len, size_t offset, unsigned *line, unsigned *column);

/*
 * Reporting a failed load (doc_yaml_error.c): a load that fails adds exactly one diagnostic, rule "yaml". When the
 * input has an encoding error (invalid UTF-8, a character YAML forbids), that error is the one reported, at its byte,
 * whatever else went wrong; the check runs once, and only on failure.
 */
struct il_yaml_report {
    struct il_diags *diags; /* borrowed; NULL: nothing is added, the status is still returned */
    const char *file;       /* borrowed; the diagnostic's file name */
    const char *data;       /* borrowed: the input, for the UTF-8 check and byte positions */
    size_t len;
    int encoding_checked; /* the UTF-8 check ran already */
};

/** Report the load's failure @p st at @p line:@p column (1-based) with message @p fmt — or the input's encoding error
 *  instead, when it has one (checked on the first report; never for IL_ERR_NOMEM). Returns the status the load ends
 *  with: @p st, IL_ERR_PARSE for an encoding error, or IL_ERR_NOMEM when the diagnostic cannot be added. */
enum il_status il_yaml_error(struct il_yaml_report *R, enum il_status st, unsigned line, unsigned column,
                             const char *fmt, ...) IL_PRINTF(5, 6);
/** As il_yaml_error() but without the encoding check: for a failure the input's bytes cannot explain (its size). */
enum il_status il_yaml_error_exact(struct il_yaml_report *R, enum il_status st, unsigned line, unsigned column,
                                   const char *fmt, ...) IL_PRINTF(5, 6);
/** Run the UTF-8 check now (and mark it done): IL_OK when the bytes are fine, else the reported IL_ERR_PARSE (or
 *  IL_ERR_NOMEM). */
enum il_status il_yaml_encoding_error(struct il_yaml_report *R);
/** Report libyaml's error state in @p parser after a failed yaml_parser_parse(): a reader error at its byte,
 *  a syntax error with its context. IL_ERR_NOMEM for libyaml's memory error (nothing added); else IL_ERR_PARSE. */
enum il_status il_yaml_parser_error(struct il_yaml_report *R, const yaml_parser_t *parser);

/*
 * One run of the loader over a byte range (doc_yaml.c): the whole input, or one half of a large input parsed in two
 * halves at once (doc_yaml_split.c). The caller fills the inputs; the loader fills the results.
 */
struct il_yaml_part {
    const char *data; /* borrowed: the bytes to parse */
    size_t len;
    unsigned line_base; /* lines of the file before @p data: added to every line */
    struct il_load_limits limits;
    struct il_yaml_report report; /* where a failure is reported (report.diags NULL: only the status says it) */
    /* results of a successful run */
    struct il_doc *doc;               /* the caller owns it: il_doc_free() */
    size_t total;                     /* nodes charged, alias expansions included */
    struct il_node *last_block_seq;   /* the last sequence opened as a value of the root, if block style */
    int directives;                   /* the document has %YAML or %TAG directives */
    int explicit_start, explicit_end; /* the document has `---` / `...` */
    unsigned end_line;                /* 0-based line of the stream's end, as libyaml counts line breaks */
};

/** Parse @p part (see above) into a new document; @p filename names it. IL_ERR_PARSE / IL_ERR_LIMIT / IL_ERR_NOMEM
 *  on failure (reported through part->report), and then part->doc is NULL. */
IL_MUST_CHECK enum il_status il_yaml_parse_part(struct il_yaml_part *part, const char *filename);

/** Where a large input would be cut for the two-halves load (the start of a line that begins a top-level sequence
 *  entry, near the middle), or 0 when it is too small to gain from it, has no such line, or the process may use only
 *  one processor (its affinity mask). */
size_t il_yaml_split_point(const char *data, size_t len);

/**
 * Load @p data as two halves, [0, @p at) on this thread and [@p at, @p len) on a second one, and join them. Returns 1
 * with *out set (a document identical to the one il_yaml_parse_part() builds for the whole input) only when every
 * check of the join holds; else 0, with nothing reported and nothing allocated, and the caller loads the input whole
 * (which also produces the right diagnostic when the input is bad).
 */
int il_yaml_load_split(const char *data, size_t len, const char *filename, const struct il_load_limits *limits,
                       size_t at, struct il_doc **out);

#endif
