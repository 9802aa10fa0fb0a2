/* Escaping untrusted text for each output medium. Every escaper walks the input code point by code point through
 * il_utf8_next(), so invalid UTF-8 is caught in one place and never reaches any medium raw. */
#include "il/escape.h"

#include <string.h>

#define S_INVALID 0xFFFFFFFFu
#define S_REPLACEMENT 0xFFFDu

size_t il_utf8_next(const unsigned char *s, size_t len, uint32_t *cp) {
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else {
        *cp = S_INVALID; /* continuation byte, C0/C1 overlong lead, or F5..FF */
        return 1;
    }
    if (len < need) {
        *cp = S_INVALID;
        return 1;
    }
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0u) != 0x80u) {
            *cp = S_INVALID;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = S_INVALID; /* overlong, out of range, or a UTF-16 surrogate */
        return 1;
    }
    *cp = v;
    return need;
}

enum il_status il_utf8_put(struct il_buf *out, uint32_t cp) {
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return il_buf_append(out, b, n);
}

/* C0, DEL and C1: never meaningful in a finding, and the carriers of terminal escape sequences. */
static int s_is_control(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Characters that reorder or break text invisibly (Trojan Source, CVE-2021-42574) or end a line in some viewers. */
static int s_is_invisible_hazard(uint32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
           cp == 0x061C || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

/* Code points XML 1.0 does not allow at all (surrogates cannot occur after decoding). */
static int s_xml_forbidden(uint32_t cp) {
    return (cp < 0x20 && cp != 0x09 && cp != 0x0A && cp != 0x0D) || cp == 0xFFFE || cp == 0xFFFF;
}

static const char s_hex[] = "0123456789ABCDEF";

static enum il_status s_put_hex_byte(struct il_buf *out, const char *prefix, unsigned char byte) {
    IL_TRY(il_buf_puts(out, prefix));
    IL_TRY(il_buf_putc(out, s_hex[byte >> 4]));
    return il_buf_putc(out, s_hex[byte & 0x0F]);
}

static enum il_status s_put_u4(struct il_buf *out, const char *prefix, uint32_t cp) {
    IL_TRY(il_buf_puts(out, prefix));
    for (int shift = 12; shift >= 0; shift -= 4) {
        IL_TRY(il_buf_putc(out, s_hex[(cp >> shift) & 0x0F]));
    }
    return IL_OK;
}

static size_t s_len(const char *s) {
    return s ? strlen(s) : 0;
}

/* Printable ASCII that @p special does not list passes through unchanged; such runs are copied in one append rather
 * than byte by byte (the escapers see every byte of large ledgers and reports). */
static int s_plain(unsigned char c, const char *special) {
    return c >= 0x20 && c < 0x7F && strchr(special, c) == NULL;
}

/* Append the pending unchanged bytes p[run, i). */
static enum il_status s_flush(struct il_buf *out, const unsigned char *p, size_t run, size_t i) {
    return i > run ? il_buf_append(out, p + run, i - run) : IL_OK;
}

/* Writes one code point the plain-run scan stopped at: @p cp as decoded (S_INVALID for a byte that is not valid UTF-8),
 * @p at its @p n bytes in the input, @p flag the escaper's variant (GitHub property, XML attribute). */
typedef enum il_status (*s_emit_fn)(struct il_buf *out, uint32_t cp, const unsigned char *at, size_t n, int flag);

/* The walk the escapers share: runs of printable ASCII outside @p special are copied in one append, everything else is
 * decoded by il_utf8_next() and handed to @p emit, so every medium sees invalid UTF-8 the same way. Markdown has its
 * own walk: what is plain there depends on the position in the line. */
static enum il_status s_walk(struct il_buf *out, const unsigned char *p, size_t len, const char *special,
                             s_emit_fn emit, int flag) {
    size_t i = 0;
    size_t run = i;
    while (i < len) {
        if (s_plain(p[i], special)) {
            i++;
            continue;
        }
        IL_TRY(s_flush(out, p, run, i));
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        IL_TRY(emit(out, cp, p + i, n, flag));
        i += n;
        run = i;
    }
    return s_flush(out, p, run, len);
}

static enum il_status s_emit_terminal(struct il_buf *out, uint32_t cp, const unsigned char *at, size_t n, int flag) {
    (void)flag;
    if (cp == S_INVALID) {
        return s_put_hex_byte(out, "\\x", at[0]);
    } else if (cp == '\\') {
        return il_buf_puts(out, "\\\\");
    } else if (cp == '\n') {
        return il_buf_puts(out, "\\n");
    } else if (cp == '\r') {
        return il_buf_puts(out, "\\r");
    } else if (cp == '\t') {
        return il_buf_puts(out, "\\t");
    } else if (cp == 0x1B) {
        return il_buf_puts(out, "\\e");
    } else if (cp < 0x80 && s_is_control(cp)) {
        return s_put_hex_byte(out, "\\x", (unsigned char)cp);
    } else if (s_is_control(cp) || s_is_invisible_hazard(cp)) {
        return s_put_u4(out, "\\u", cp);
    }
    return il_buf_append(out, at, n);
}

enum il_status il_escape_terminal_n(struct il_buf *out, const char *s, size_t len) {
    IL_TRY(s_walk(out, (const unsigned char *)s, len, "\\", s_emit_terminal, 0));
    return il_buf_status(out);
}

enum il_status il_escape_terminal(struct il_buf *out, const char *s) {
    return il_escape_terminal_n(out, s, s_len(s));
}

/* @p property: a workflow command property value, where ':' and ',' also end the value. */
static enum il_status s_emit_github(struct il_buf *out, uint32_t cp, const unsigned char *at, size_t n, int property) {
    if (cp == '%') {
        return il_buf_puts(out, "%25");
    } else if (cp == '\r') {
        return il_buf_puts(out, "%0D");
    } else if (cp == '\n') {
        return il_buf_puts(out, "%0A");
    } else if (property && cp == ':') {
        return il_buf_puts(out, "%3A");
    } else if (property && cp == ',') {
        return il_buf_puts(out, "%2C");
    } else if (cp == '\t') {
        return il_buf_putc(out, ' ');
    } else if (cp == S_INVALID || s_is_control(cp) || s_is_invisible_hazard(cp)) {
        return il_utf8_put(out, S_REPLACEMENT);
    }
    return il_buf_append(out, at, n);
}

enum il_status il_escape_github_data(struct il_buf *out, const char *s) {
    IL_TRY(s_walk(out, (const unsigned char *)s, s_len(s), "%", s_emit_github, 0));
    return il_buf_status(out);
}

enum il_status il_escape_github_property(struct il_buf *out, const char *s) {
    IL_TRY(s_walk(out, (const unsigned char *)s, s_len(s), "%:,", s_emit_github, 1));
    return il_buf_status(out);
}

/* Length of a leading "1." / "12)" ordered-list marker's digits, or 0. */
static size_t s_list_number(const unsigned char *p, size_t len) {
    size_t i = 0;
    while (i < len && i < 9 && p[i] >= '0' && p[i] <= '9') {
        i++;
    }
    return i > 0 && i < len && (p[i] == '.' || p[i] == ')') ? i : 0;
}

/* GFM's autolink extension turns bare "scheme://..." and "www...." text into links, which a hostile value could use
 * to plant a clickable URL. A character reference for the ':' (or the '.') renders the same visible text, but the
 * extension only triggers on the literal character, so no link is made. */
static int s_autolink_trigger(const unsigned char *p, size_t len, size_t i) {
    if (p[i] == ':') {
        return i + 2 < len && p[i + 1] == '/' && p[i + 2] == '/';
    }
    return p[i] == '.' && i >= 3 && (p[i - 1] | 0x20) == 'w' && (p[i - 2] | 0x20) == 'w' && (p[i - 3] | 0x20) == 'w';
}

enum il_status il_escape_markdown(struct il_buf *out, const char *s) {
    /* ASCII punctuation CommonMark/GFM gives meaning to anywhere in a line: emphasis, code, links, images, tables,
     * strikethrough, math ($), mentions (@). A backslash before ASCII punctuation is always a literal. */
    static const char special[] = "\\`*_{}[]()|~@$!";
    /* ...and what only matters where a line (or a table cell's text) starts: headings, lists, quotes, rules. */
    static const char leading[] = "#+-=";
    const unsigned char *p = (const unsigned char *)s;
    size_t len = s_len(s), i = 0;
    size_t list_dot = s_list_number(p, len); /* index of the '.' or ')' in "1. ", or 0 */
    size_t run = i;
    while (i < len) {
        if (!(i == 0 || i == list_dot) && s_plain(p[i], special) && s_plain(p[i], "&<>") &&
            !((p[i] == ':' || p[i] == '.') && s_autolink_trigger(p, len, i))) {
            i++;
            continue;
        }
        IL_TRY(s_flush(out, p, run, i));
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        if (cp == '&') {
            IL_TRY(il_buf_puts(out, "&amp;"));
        } else if (cp == '<') {
            IL_TRY(il_buf_puts(out, "&lt;"));
        } else if (cp == '>') {
            IL_TRY(il_buf_puts(out, "&gt;"));
        } else if ((cp == ':' || cp == '.') && s_autolink_trigger(p, len, i)) {
            IL_TRY(il_buf_puts(out, cp == ':' ? "&#58;" : "&#46;"));
        } else if (cp == '\n' || cp == '\r' || cp == '\t') {
            IL_TRY(il_buf_putc(out, ' '));
        } else if (cp == S_INVALID || s_is_control(cp) || s_is_invisible_hazard(cp)) {
            IL_TRY(il_utf8_put(out, S_REPLACEMENT));
        } else if ((cp < 0x80 && cp != 0 && strchr(special, (int)cp) != NULL) ||
                   (i == 0 && cp < 0x80 && cp != 0 && strchr(leading, (int)cp) != NULL) ||
                   (list_dot > 0 && i == list_dot)) {
            IL_TRY(il_buf_putc(out, '\\'));
            IL_TRY(il_buf_putc(out, (char)cp));
        } else {
            IL_TRY(il_buf_append(out, p + i, n));
        }
        i += n;
        run = i;
    }
    IL_TRY(s_flush(out, p, run, len));
    return il_buf_status(out);
}

/* @p attr: inside an attribute value, where a raw tab or newline would be normalised to a space by the parser. */
static enum il_status s_emit_xml(struct il_buf *out, uint32_t cp, const unsigned char *at, size_t n, int attr) {
    switch (cp) {
    case '&': return il_buf_puts(out, "&amp;");
    case '<': return il_buf_puts(out, "&lt;");
    case '>': return il_buf_puts(out, "&gt;");
    case '"': return il_buf_puts(out, "&quot;");
    case '\'': return il_buf_puts(out, "&#39;");
    case '\t': return il_buf_puts(out, attr ? "&#9;" : "\t");
    case '\n': return il_buf_puts(out, attr ? "&#10;" : "\n");
    case '\r': return il_buf_puts(out, "&#13;"); /* a raw CR would be normalised away by the parser */
    default:
        if (cp == S_INVALID || s_xml_forbidden(cp) || s_is_control(cp) || s_is_invisible_hazard(cp)) {
            return il_utf8_put(out, S_REPLACEMENT);
        }
        return il_buf_append(out, at, n);
    }
}

enum il_status il_escape_xml_text(struct il_buf *out, const char *s) {
    IL_TRY(s_walk(out, (const unsigned char *)s, s_len(s), "&<>\"'", s_emit_xml, 0));
    return il_buf_status(out);
}

enum il_status il_escape_xml_attr(struct il_buf *out, const char *s) {
    IL_TRY(s_walk(out, (const unsigned char *)s, s_len(s), "&<>\"'", s_emit_xml, 1));
    return il_buf_status(out);
}

static enum il_status s_emit_csv(struct il_buf *out, uint32_t cp, const unsigned char *at, size_t n, int flag) {
    (void)flag;
    if (cp == '"') {
        return il_buf_puts(out, "\"\"");
    } else if (cp == '\t' || cp == '\n' || cp == '\r') {
        return il_buf_putc(out, (char)cp); /* legal inside a quoted RFC 4180 field */
    } else if (cp == S_INVALID || s_is_control(cp) || s_is_invisible_hazard(cp)) {
        return il_utf8_put(out, S_REPLACEMENT);
    }
    return il_buf_append(out, at, n);
}

enum il_status il_escape_csv(struct il_buf *out, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t len = s_len(s);
    IL_TRY(il_buf_putc(out, '"'));
    /* A spreadsheet trims leading blanks before deciding that a cell is a formula, and a leading control character
     * (LF, CR, TAB, ...) can start one too: neutralise both, not only a formula character in the first byte. */
    size_t lead = 0;
    while (lead < len && (p[lead] == ' ' || p[lead] == '\t' || p[lead] == '\n' || p[lead] == '\r')) {
        lead++;
    }
    if (len > 0 && (p[0] < 0x20 || p[0] == 0x7f || (lead < len && strchr("=+-@", p[lead]) != NULL))) {
        IL_TRY(il_buf_putc(out, '\''));
    }
    IL_TRY(s_walk(out, p, len, "\"", s_emit_csv, 0));
    return il_buf_putc(out, '"');
}

static enum il_status s_emit_json(struct il_buf *out, uint32_t cp, const unsigned char *at, size_t n, int flag) {
    (void)flag;
    switch (cp) {
    case '"': return il_buf_puts(out, "\\\"");
    case '\\': return il_buf_puts(out, "\\\\");
    case '\n': return il_buf_puts(out, "\\n");
    case '\r': return il_buf_puts(out, "\\r");
    case '\t': return il_buf_puts(out, "\\t");
    case '<':
    case '>':
    case '&': return s_put_u4(out, "\\u", cp);
    default:
        if (cp == S_INVALID) {
            return s_put_u4(out, "\\u", S_REPLACEMENT);
        } else if (s_is_control(cp) || s_is_invisible_hazard(cp)) {
            return s_put_u4(out, "\\u", cp);
        }
        return il_buf_append(out, at, n);
    }
}

enum il_status il_escape_json(struct il_buf *out, const char *s) {
    IL_TRY(il_buf_putc(out, '"'));
    IL_TRY(s_walk(out, (const unsigned char *)s, s_len(s), "\"\\<>&", s_emit_json, 0));
    return il_buf_putc(out, '"');
}

enum il_status il_escape_uri_path(struct il_buf *out, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t len = s_len(s), i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        if (cp == S_INVALID) {
            IL_TRY(il_buf_puts(out, "%EF%BF%BD")); /* U+FFFD */
        } else if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '-' ||
                   cp == '.' || cp == '_' || cp == '~' || cp == '/') {
            IL_TRY(il_buf_putc(out, (char)cp));
        } else {
            for (size_t k = 0; k < n; k++) {
                IL_TRY(s_put_hex_byte(out, "%", p[i + k]));
            }
        }
        i += n;
    }
    return il_buf_status(out);
}

enum il_status il_escape(enum il_medium medium, struct il_buf *out, const char *s) {
    switch (medium) {
    case IL_MEDIUM_TERMINAL: return il_escape_terminal(out, s);
    case IL_MEDIUM_GITHUB_DATA: return il_escape_github_data(out, s);
    case IL_MEDIUM_GITHUB_PROPERTY: return il_escape_github_property(out, s);
    case IL_MEDIUM_MARKDOWN: return il_escape_markdown(out, s);
    case IL_MEDIUM_XML_TEXT: return il_escape_xml_text(out, s);
    case IL_MEDIUM_XML_ATTR: return il_escape_xml_attr(out, s);
    case IL_MEDIUM_CSV: return il_escape_csv(out, s);
    case IL_MEDIUM_JSON: return il_escape_json(out, s);
    case IL_MEDIUM_URI_PATH: return il_escape_uri_path(out, s);
    }
    return IL_ERR_INVALID;
}
