/* Located findings about ledger entries for the policy and gate rules (ledger_rules.c keeps its own copy, s_report). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_gate_internal.h"

enum il_status il_ledger_entry_diag(struct il_diags *diags, const struct il_ledger *ledger,
                                    const struct il_ledger_entry *e, const struct il_ledger_str *field,
                                    const char *suffix, enum il_severity severity, const char *rule, const char *fmt,
                                    ...) {
    struct il_buf msg, ptr;
    il_buf_init(&msg, 0);
    il_buf_init(&ptr, 0);
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (st == IL_OK) {
        st = il_buf_printf(&ptr, "%s%s", e->pointer, field && field->node ? suffix : "");
    }
    if (st == IL_OK) {
        struct il_diag d = {
            .severity = severity,
            .rule = rule,
            .file = il_ledger_filename(ledger),
            .line = field ? field->line : e->line,
            .column = field ? field->column : e->column,
            .pointer = il_buf_cstr(&ptr),
            .function_arn = e->function_arn.value && strlen(e->function_arn.value) == e->function_arn.len
                                ? e->function_arn.value
                                : NULL,
            .account = e->arn.valid ? e->arn.account : NULL,
            .region = e->arn.valid ? e->arn.region : NULL,
            .message = il_buf_cstr(&msg),
        };
        st = il_diags_add(diags, &d);
    }
    il_buf_release(&msg);
    il_buf_release(&ptr);
    return st;
}

const struct il_node *il_ledger_entry_node(const struct il_ledger *ledger, const struct il_ledger_entry *e) {
    const struct il_node *list = il_node_get(il_doc_root(il_ledger_doc(ledger)), "exclusions");
    return list && il_node_type(list) == IL_NODE_ARRAY ? il_node_at(list, e->index) : NULL;
}

size_t il_ledger_pointer_index(const char *pointer) {
    static const char prefix[] = "/exclusions/";
    if (pointer == NULL || strncmp(pointer, prefix, sizeof(prefix) - 1) != 0) {
        return (size_t)-1;
    }
    const char *digits = pointer + sizeof(prefix) - 1;
    char *end = NULL;
    if (digits[0] < '0' || digits[0] > '9') {
        return (size_t)-1;
    }
    unsigned long long n = strtoull(digits, &end, 10);
    return *end == '\0' || *end == '/' ? (size_t)n : (size_t)-1;
}

int il_ledger_entry_active(const struct il_ledger_entry *e, const struct il_ledger_rule_opts *rules) {
    enum il_entry_status s = il_ledger_entry_status(e, rules, NULL);
    return s != IL_ENTRY_EXPIRED && s != IL_ENTRY_UNKNOWN;
}
