/**
 * Escaping untrusted text (ledger fields, AWS tag values, file names) for each output medium.
 *
 * Every escaper appends to @p out and never modifies its input. All are UTF-8 aware and total: any byte sequence is
 * accepted, and an invalid UTF-8 sequence (overlong, surrogate, truncated, above U+10FFFF) never passes through raw —
 * it becomes U+FFFD, or a visible \xHH in the terminal. @p s may be NULL (treated as ""). The length-taking
 * variants accept embedded NUL bytes (rendered like any other control character).
 *
 * Each returns the buffer's status: IL_ERR_LIMIT past the buffer's limit or IL_ERR_NOMEM.
 * Escape when rendering, never when storing.
 */
#ifndef IL_ESCAPE_H
#define IL_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "il/buf.h"
#include "il/status.h"

/** The media the escapers below serve (for callers that pick one at run time, e.g. a report template). */
enum il_medium {
    IL_MEDIUM_TERMINAL,
    IL_MEDIUM_GITHUB_DATA,
    IL_MEDIUM_GITHUB_PROPERTY,
    IL_MEDIUM_MARKDOWN,
    IL_MEDIUM_XML_TEXT,
    IL_MEDIUM_XML_ATTR,
    IL_MEDIUM_CSV,
    IL_MEDIUM_JSON,
    IL_MEDIUM_URI_PATH,
};

/**
 * Decode one code point from @p s (at most @p len bytes, len > 0). Returns the number of bytes consumed (≥ 1). On an
 * invalid or truncated sequence *cp is set to 0xFFFFFFFF and 1 is returned, so the caller can show that byte.
 */
size_t il_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

/** Append code point @p cp (must be a Unicode scalar value) as UTF-8. */
IL_MUST_CHECK enum il_status il_utf8_put(struct il_buf *out, uint32_t cp);

/**
 * Terminal: C0 and C1 controls, DEL and ESC are shown as visible escapes (\n, \r, \t, \e, \xHH, \u0085) so no ANSI/OSC
 * sequence can reach the terminal and one finding stays one line; Unicode bidi overrides and line/paragraph separators
 * are shown as \u202E etc. (Trojan Source); invalid UTF-8 bytes are shown as \xHH. A backslash is doubled so the
 * output is unambiguous.
 */
IL_MUST_CHECK enum il_status il_escape_terminal(struct il_buf *out, const char *s);
IL_MUST_CHECK enum il_status il_escape_terminal_n(struct il_buf *out, const char *s, size_t len);

/**
 * GitHub workflow-command message data: % → %25, CR → %0D, LF → %0A (GitHub's own escaping, which its runner
 * reverses); TAB becomes a space; other control characters, bidi overrides and invalid UTF-8 become U+FFFD.
 */
IL_MUST_CHECK enum il_status il_escape_github_data(struct il_buf *out, const char *s);

/** GitHub workflow-command property value: as message data, plus : → %3A and , → %2C. */
IL_MUST_CHECK enum il_status il_escape_github_property(struct il_buf *out, const char *s);

/**
 * Markdown (GitHub-flavoured), safe inside a table cell and in running text: ASCII punctuation that Markdown gives
 * meaning to is backslash-escaped (including | and `), & < > become HTML entities so no raw HTML survives, and CR,
 * LF and TAB become a single space; other controls, bidi overrides and invalid UTF-8 become U+FFFD.
 */
IL_MUST_CHECK enum il_status il_escape_markdown(struct il_buf *out, const char *s);

/**
 * HTML/XML character data: & < > " ' become entities. Characters XML 1.0 forbids (C0 other than TAB/LF/CR, U+FFFE,
 * U+FFFF), DEL, C1 controls, bidi overrides/isolates and invalid UTF-8 become U+FFFD.
 */
IL_MUST_CHECK enum il_status il_escape_xml_text(struct il_buf *out, const char *s);

/** HTML/XML attribute value (for use between double or single quotes): as text, plus TAB, LF, CR as &#9; &#10;
 *  &#13; so attribute-value normalisation cannot change them. */
IL_MUST_CHECK enum il_status il_escape_xml_attr(struct il_buf *out, const char *s);

/**
 * One CSV cell (RFC 4180): always quoted, " doubled. A cell beginning with a control character (LF, CR, TAB, ...) or
 * with = + - @ after any leading spaces, tabs or line breaks gets a leading ' so a spreadsheet never evaluates it as
 * a formula (OWASP CSV injection). Controls other than TAB/LF/CR, bidi
 * overrides/isolates and invalid UTF-8 become U+FFFD.
 */
IL_MUST_CHECK enum il_status il_escape_csv(struct il_buf *out, const char *s);

/**
 * A JSON string literal including its quotes (RFC 8259). Controls, DEL, C1, bidi overrides, U+2028/U+2029 and < > &
 * are written as \uXXXX (the data survives a parse; the raw text stays safe to embed in HTML <script> and to show in
 * a terminal); invalid UTF-8 becomes U+FFFD. Always valid UTF-8.
 */
IL_MUST_CHECK enum il_status il_escape_json(struct il_buf *out, const char *s);

/** A relative URI path (SARIF artifactLocation.uri): unreserved characters and / kept, everything else
 *  percent-encoded byte by byte (invalid UTF-8 first becomes U+FFFD). */
IL_MUST_CHECK enum il_status il_escape_uri_path(struct il_buf *out, const char *s);

/** Dispatch on @p medium. */
IL_MUST_CHECK enum il_status il_escape(enum il_medium medium, struct il_buf *out, const char *s);

#endif
