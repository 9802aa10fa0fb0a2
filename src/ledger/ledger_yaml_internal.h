/**
 * Internals of the YAML loader shared by its files (not part of the public API): scalar resolution and the up-front
 * UTF-8 check.
 */
#ifndef IL_LEDGER_YAML_INTERNAL_H
#define IL_LEDGER_YAML_INTERNAL_H

#include <stddef.h>
#include <yaml.h>

#include "il/node.h"
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
    unsigned line;   /* 1-based */
    unsigned column; /* 1-based, in characters as libyaml counts them */
    unsigned byte;   /* the offending byte (invalid UTF-8) */
    unsigned long codepoint; /* the offending character (disallowed control character), when decoded */
    int is_control;  /* 1: a well-formed character YAML forbids; 0: malformed UTF-8 */
};

/**
 * Check that @p data is well-formed UTF-8 holding only characters YAML allows (tab, line breaks, printable
 * characters; no other C0/C1 controls, no U+FFFE/U+FFFF). Returns 1 when fine, else 0 and fills @p err.
 */
int il_utf8_check(const char *data, size_t len, struct il_utf8_error *err);

/** 1-based line and column (in characters, line breaks as libyaml counts them) of byte @p offset in @p data. */
void il_utf8_position(const char *data, size_t len, size_t offset, unsigned *line, unsigned *column);

/*
 * Where the loader's events come from (ledger_yaml_events.c): yaml_parser_parse() directly, or a reader thread
 * running ahead through a bounded ring when @p threaded (large files; falls back to direct reading when no thread
 * can be started). The event sequence is identical either way.
 */
struct il_yaml_events;

/** Start reading from @p parser (borrowed; input already set). IL_ERR_NOMEM. Free with il_yaml_events_free(). */
IL_MUST_CHECK enum il_status il_yaml_events_new(yaml_parser_t *parser, int threaded, struct il_yaml_events **out);
/** The next event, borrowed until the next call (the caller copies what it keeps and never deletes it); NULL when
 *  the parser failed: @p parser's error fields describe it once il_yaml_events_free() has returned. Never call again
 *  after NULL or after STREAM-END. */
const yaml_event_t *il_yaml_events_next(struct il_yaml_events *events);
/** Stop the reader (it may be ahead: its unconsumed events are deleted) and free; accepts NULL. Only after this may
 *  the parser be inspected or deleted. */
void il_yaml_events_free(struct il_yaml_events *events);

#endif
