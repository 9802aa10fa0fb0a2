/*
 * The YAML loader's one diagnostic (rule "yaml") of a failed load. A file that is not valid UTF-8, or holds a character
 * YAML forbids, reports that, at the exact byte, whatever libyaml tripped over first; the UTF-8 check runs only once a
 * load has failed (libyaml's reader enforces the same character set, so a file that parses is valid UTF-8), which
 * keeps it off the path of every good ledger.
 */
#include <stdarg.h>

#include "doc/doc_yaml_internal.h"
#include "il/buf.h"

static enum il_status s_emit(struct il_yaml_report *R, enum il_status st, unsigned line, unsigned column,
                             const char *fmt, va_list ap) IL_PRINTF(5, 0);

/* Add the diagnostic and return @p st (or IL_ERR_NOMEM when even that fails). */
static enum il_status s_emit(struct il_yaml_report *R, enum il_status st, unsigned line, unsigned column,
                             const char *fmt, va_list ap) {
    if (R->diags == NULL) {
        return st;
    }
    struct il_buf msg;
    il_buf_init(&msg, 4096);
    enum il_status bst = il_buf_vprintf(&msg, fmt, ap);
    if (bst == IL_ERR_NOMEM) {
        il_buf_release(&msg);
        return IL_ERR_NOMEM;
    }
    /* a message over the bound was truncated by the buffer; still report what fits */
    struct il_diag d = {0};
    d.severity = IL_SEV_ERROR;
    d.rule = "yaml";
    d.file = R->file;
    d.line = line;
    d.column = column;
    d.message = il_buf_cstr(&msg);
    enum il_status ast = il_diags_add(R->diags, &d);
    il_buf_release(&msg);
    return ast != IL_OK ? ast : st;
}

enum il_status il_yaml_error_exact(struct il_yaml_report *R, enum il_status st, unsigned line, unsigned column,
                                   const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    st = s_emit(R, st, line, column, fmt, ap);
    va_end(ap);
    return st;
}

enum il_status il_yaml_encoding_error(struct il_yaml_report *R) {
    R->encoding_checked = 1;
    struct il_utf8_error uerr;
    if (R->data == NULL || il_utf8_check(R->data, R->len, &uerr)) {
        return IL_OK;
    }
    if (uerr.is_control) {
        return il_yaml_error_exact(R, IL_ERR_PARSE, uerr.line, uerr.column,
                                   "control character U+%04lX is not allowed in yaml; remove it", uerr.codepoint);
    }
    return il_yaml_error_exact(R, IL_ERR_PARSE, uerr.line, uerr.column,
                               "invalid utf-8 (byte 0x%02X); save the file as utf-8", uerr.byte);
}

enum il_status il_yaml_error(struct il_yaml_report *R, enum il_status st, unsigned line, unsigned column,
                             const char *fmt, ...) {
    if (R->diags == NULL) {
        return st; /* nobody to tell (the two-halves load only needs to know that a half failed) */
    }
    if (st != IL_ERR_NOMEM && !R->encoding_checked) {
        enum il_status est = il_yaml_encoding_error(R);
        if (est != IL_OK) {
            return est;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    st = s_emit(R, st, line, column, fmt, ap);
    va_end(ap);
    return st;
}

enum il_status il_yaml_parser_error(struct il_yaml_report *R, const yaml_parser_t *parser) {
    const char *problem = parser->problem ? parser->problem : "unknown error";
    if (parser->error == YAML_MEMORY_ERROR) {
        return IL_ERR_NOMEM;
    }
    if (R->diags == NULL) {
        return IL_ERR_PARSE;
    }
    if (parser->error == YAML_READER_ERROR) {
        unsigned line = 0, column = 0;
        il_utf8_position(R->data, R->len, parser->problem_offset, &line, &column);
        return il_yaml_error(R, IL_ERR_PARSE, line, column, "cannot read the file: %s", problem);
    }
    unsigned line = (unsigned)parser->problem_mark.line + 1;
    unsigned column = (unsigned)parser->problem_mark.column + 1;
    if (parser->context != NULL) {
        return il_yaml_error(R, IL_ERR_PARSE, line, column,
                             "yaml syntax error: %s %s (started at line %u, column %u); check the indentation, quoting "
                             "and punctuation here",
                             problem, parser->context, (unsigned)parser->context_mark.line + 1,
                             (unsigned)parser->context_mark.column + 1);
    }
    return il_yaml_error(R, IL_ERR_PARSE, line, column,
                         "yaml syntax error: %s; check the indentation, quoting and punctuation here", problem);
}
