/* Compiler-style text for people: `file:line:col: error[rule]: message`, grouped by the entry's function ARN, then
 * what could not be verified, then one summary line. Every untrusted string goes through the terminal escaper, so
 * ledger or tag text can neither inject escape sequences nor split a finding over two lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "findings/findings_internal.h"
#include "il/escape.h"

#define S_BOLD "\033[1m"
#define S_RESET "\033[0m"

static const char *s_sev_color(enum il_severity sev) {
    switch (sev) {
    case IL_SEV_ERROR: return "\033[1;31m";
    case IL_SEV_WARNING: return "\033[1;33m";
    case IL_SEV_NOTICE: return "\033[1;36m";
    }
    return "";
}

/* Start offsets of the lines of opts->source, built once per render so a large ledger with many findings stays linear.
 */
struct s_lines {
    size_t *starts;
    size_t count;
};

static enum il_status s_lines_build(struct s_lines *lines, const char *src, size_t len) {
    size_t count = 1;
    for (size_t i = 0; i < len; i++) {
        count += src[i] == '\n';
    }
    lines->starts = malloc(count * sizeof(*lines->starts));
    if (lines->starts == NULL) {
        return IL_ERR_NOMEM;
    }
    lines->starts[0] = 0;
    lines->count = 1;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '\n') {
            lines->starts[lines->count++] = i + 1;
        }
    }
    return IL_OK;
}

/* Number of code points in @p s (valid UTF-8: our escaper's output). */
static size_t s_width(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0u) != 0x80u;
    }
    return n;
}

/* "    <escaped prefix><escaped rest>\n    <spaces>^\n" */
static enum il_status s_source_caret(struct il_buf *out, const struct il_buf *prefix, const char *rest, size_t rest_len,
                                     int color) {
    IL_TRY(il_buf_puts(out, "    "));
    IL_TRY(il_buf_append(out, il_buf_cstr(prefix), prefix->len));
    IL_TRY(il_escape_terminal_n(out, rest, rest_len));
    IL_TRY(il_buf_puts(out, "\n    "));
    for (size_t i = 0, w = s_width(il_buf_cstr(prefix), prefix->len); i < w; i++) {
        IL_TRY(il_buf_putc(out, ' '));
    }
    return il_buf_puts(out, color ? "\033[1;32m^\033[0m\n" : "^\n");
}

/* The finding's source line, escaped, and a caret under its column (the column counts code points). */
static enum il_status s_source(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts,
                               const struct s_lines *lines) {
    if (lines == NULL || lines->starts == NULL || d->file == NULL || opts->ledger_file == NULL || d->line == 0 ||
        d->line > lines->count || strcmp(d->file, opts->ledger_file) != 0) {
        return IL_OK;
    }
    size_t start = lines->starts[d->line - 1];
    size_t end = d->line < lines->count ? lines->starts[d->line] - 1 : opts->source_len;
    if (end > start && opts->source[end - 1] == '\r') {
        end--;
    }
    /* escape the part before the column separately, so the caret lands under the same character after escaping */
    size_t split = start;
    for (unsigned col = 1; col < d->column && split < end; col++) {
        uint32_t cp;
        split += il_utf8_next((const unsigned char *)opts->source + split, end - split, &cp);
    }
    struct il_buf prefix;
    il_buf_init(&prefix, 0);
    enum il_status st = il_escape_terminal_n(&prefix, opts->source + start, split - start);
    if (st == IL_OK) {
        st = s_source_caret(out, &prefix, opts->source + split, end - split, opts->color);
    }
    il_buf_release(&prefix);
    return st;
}

/* One finding: location, severity[rule], message, the function ARN when @p show_arn (outside a function group), the
 * AWS request on its own indented line, and (verbose, @p lines non-NULL) the source line with a caret. */
static enum il_status s_line(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts,
                             const struct s_lines *lines, int show_arn) {
    const char *file = d->file;
    if (opts->color) {
        IL_TRY(il_buf_puts(out, S_BOLD));
    }
    if (file != NULL) {
        IL_TRY(il_escape_terminal(out, file));
        if (d->line > 0) {
            IL_TRY(il_buf_printf(out, ":%u", d->line));
            if (d->column > 0) {
                IL_TRY(il_buf_printf(out, ":%u", d->column));
            }
        }
    } else if (d->aws.operation == NULL) {
        /* a drift finding with no ledger line is still located at the ledger, where the fix goes */
        IL_TRY(il_escape_terminal(out, il_findings_ledger_name(opts)));
    } else {
        /* a failed AWS call: say where in AWS, e.g. "111122223333/us-east-1" */
        const char *account = d->account ? d->account : d->aws.account;
        const char *region = d->region ? d->region : d->aws.region;
        IL_TRY(il_escape_terminal(out, account ? account : "aws"));
        if (region != NULL) {
            IL_TRY(il_buf_putc(out, '/'));
            IL_TRY(il_escape_terminal(out, region));
        }
    }
    IL_TRY(il_buf_puts(out, opts->color ? ": " S_RESET : ": "));
    if (opts->color) {
        IL_TRY(il_buf_puts(out, s_sev_color(d->severity)));
    }
    IL_TRY(il_buf_puts(out, il_severity_str(d->severity)));
    IL_TRY(il_buf_putc(out, '['));
    IL_TRY(il_escape_terminal(out, d->rule ? d->rule : "?"));
    IL_TRY(il_buf_puts(out, opts->color ? "]" S_RESET ": " : "]: "));
    IL_TRY(il_escape_terminal(out, d->message));
    IL_TRY(il_buf_putc(out, '\n'));
    if (show_arn && d->function_arn != NULL) {
        IL_TRY(il_buf_puts(out, "  function: "));
        IL_TRY(il_escape_terminal(out, d->function_arn));
        IL_TRY(il_buf_putc(out, '\n'));
    }
    if (d->aws.operation != NULL) {
        IL_TRY(il_buf_puts(out, "  aws: "));
        IL_TRY(il_escape_terminal(out, d->aws.service ? d->aws.service : "?"));
        IL_TRY(il_buf_putc(out, ' '));
        IL_TRY(il_escape_terminal(out, d->aws.operation));
        if (d->aws.account != NULL) {
            IL_TRY(il_buf_puts(out, " account "));
            IL_TRY(il_escape_terminal(out, d->aws.account));
        }
        if (d->aws.region != NULL) {
            IL_TRY(il_buf_puts(out, " region "));
            IL_TRY(il_escape_terminal(out, d->aws.region));
        }
        if (d->aws.http_status > 0) {
            IL_TRY(il_buf_printf(out, ": HTTP %d", d->aws.http_status));
        } else {
            IL_TRY(il_buf_puts(out, d->aws.error_code ? ":" : ": no response"));
        }
        if (d->aws.error_code != NULL) {
            IL_TRY(il_buf_putc(out, ' '));
            IL_TRY(il_escape_terminal(out, d->aws.error_code));
        }
        if (d->aws.request_id != NULL) {
            IL_TRY(il_buf_puts(out, " (request id "));
            IL_TRY(il_escape_terminal(out, d->aws.request_id));
            IL_TRY(il_buf_putc(out, ')'));
        }
        IL_TRY(il_buf_putc(out, '\n'));
    }
    return s_source(out, d, opts, lines);
}

struct s_item {
    size_t index; /* position in the sorted diagnostics */
    size_t group; /* position of the first diagnostic with the same function ARN */
    const char *arn;
};

static int s_by_arn(const void *a, const void *b) {
    const struct s_item *x = a, *y = b;
    if (x->arn == NULL || y->arn == NULL) {
        if (x->arn != y->arn) {
            return x->arn == NULL ? 1 : -1;
        }
    } else {
        int c = strcmp(x->arn, y->arn);
        if (c) {
            return c;
        }
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

static int s_by_group(const void *a, const void *b) {
    const struct s_item *x = a, *y = b;
    if (x->group != y->group) {
        return x->group < y->group ? -1 : 1;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Order findings so all of one function's findings sit together, groups in order of their first finding and
 * findings within a group in their sorted order. O(n log n): large ledgers can carry tens of thousands. */
static struct s_item *s_grouped(const struct il_diags *diags, size_t n) {
    struct s_item *items = calloc(n ? n : 1, sizeof(*items));
    if (items == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        items[i].index = i;
        items[i].arn = il_diags_get(diags, i)->function_arn;
        items[i].group = i;
    }
    qsort(items, n, sizeof(*items), s_by_arn);
    for (size_t i = 1; i < n; i++) {
        if (items[i].arn != NULL && items[i - 1].arn != NULL && strcmp(items[i].arn, items[i - 1].arn) == 0) {
            items[i].group = items[i - 1].group; /* sorted by index within one ARN: the first holds the minimum */
        }
    }
    qsort(items, n, sizeof(*items), s_by_group);
    return items;
}

/* A blank line between groups, and "function ARN" before a function's findings. */
static enum il_status s_group_header(struct il_buf *out, const char *arn, int separate,
                                     const struct il_findings_opts *opts) {
    if (separate) {
        IL_TRY(il_buf_putc(out, '\n'));
    }
    if (arn == NULL) {
        return IL_OK;
    }
    IL_TRY(il_buf_puts(out, opts->color ? S_BOLD "function " : "function "));
    IL_TRY(il_escape_terminal(out, arn));
    return il_buf_puts(out, opts->color ? S_RESET "\n" : "\n");
}

static enum il_status s_findings(struct il_buf *out, const struct il_diags *diags, const struct il_findings_opts *opts,
                                 const struct s_lines *lines) {
    size_t n = il_diags_count(diags);
    struct s_item *items = s_grouped(diags, n);
    if (items == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = IL_OK;
    const char *current = NULL;
    int printed_any = 0;
    for (size_t i = 0; i < n && st == IL_OK; i++) {
        const struct il_diag *d = il_diags_get(diags, items[i].index);
        if (d->severity == IL_SEV_NOTICE && !opts->verbose) {
            continue;
        }
        int same = current != NULL && d->function_arn != NULL && strcmp(current, d->function_arn) == 0;
        if (!same && (d->function_arn != NULL || current != NULL)) {
            st = s_group_header(out, d->function_arn, printed_any, opts);
            current = d->function_arn;
        }
        if (st == IL_OK) {
            st = s_line(out, d, opts, lines, 0);
        }
        printed_any = 1;
    }
    free(items);
    return st != IL_OK ? st : il_buf_status(out);
}

il_findings_writer_fn il_findings_text; /* its row: findings_format.c */

enum il_status il_findings_text(const struct il_diags *diags, const struct il_findings_opts *opts, struct il_buf *out) {
    struct s_lines lines = {0};
    if (opts->verbose && opts->source != NULL) {
        IL_TRY(s_lines_build(&lines, opts->source, opts->source_len));
    }
    enum il_status st = s_findings(out, diags, opts, &lines);
    free(lines.starts);
    IL_TRY(st);
    size_t unverified = il_diags_count(opts->unverified);
    if (unverified > 0) {
        if (il_diags_count(diags) > 0) {
            IL_TRY(il_buf_putc(out, '\n'));
        }
        IL_TRY(il_buf_puts(out, opts->color ? S_BOLD "not verified:" S_RESET "\n" : "not verified:\n"));
        for (size_t i = 0; i < unverified; i++) {
            IL_TRY(s_line(out, il_diags_get(opts->unverified, i), opts, NULL, 1));
        }
    }
    size_t notices = il_diags_count_severity(diags, IL_SEV_NOTICE);
    if (il_diags_count(diags) > 0 || unverified > 0) {
        IL_TRY(il_buf_putc(out, '\n'));
    }
    IL_TRY(il_findings_count(out, il_diags_count_severity(diags, IL_SEV_ERROR), "error"));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(il_findings_count(out, il_diags_count_severity(diags, IL_SEV_WARNING), "warning"));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(il_findings_count(out, notices, "notice"));
    if (notices > 0 && !opts->verbose) {
        IL_TRY(il_buf_puts(out, " (not shown; -v shows them)"));
    }
    if (unverified > 0) {
        IL_TRY(il_buf_printf(out, "; %zu not verified", unverified));
    }
    IL_TRY(il_buf_puts(out, "\n"));
    if (opts->coverage != NULL && opts->coverage->summary != NULL) {
        IL_TRY(il_buf_puts(out, "coverage: "));
        IL_TRY(il_escape_terminal(out, opts->coverage->summary));
        IL_TRY(il_buf_puts(out, "\n"));
    }
    return il_buf_status(out);
}
