/*
 * libFuzzer target: the YAML loader, then the whole offline pipeline a pull request's ledger goes through (ledger
 * load = YAML or JSON + the embedded JSON Schema + the typed model, then every ledger rule).
 * Small limits keep each run fast and let the fuzzer reach the limit paths. The loader's contract is checked
 * explicitly: success gives a document and no diagnostic, failure gives no document and exactly one located "yaml"
 * diagnostic; the rest must simply not crash, leak or trip a sanitizer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/doc/yaml.h"
#include "il/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every node of the (expanded) tree: bounded by max_nodes because expansions are charged to it. */
static size_t s_walk(const struct il_node *n, unsigned depth) {
    size_t count = 1;
    if (depth > 64) {
        abort(); /* the loader let nesting past max_depth through */
    }
    switch (il_node_type(n)) {
    case IL_NODE_STRING: {
        size_t len = 0;
        const char *s = il_node_str(n, &len);
        if (s == NULL || s[len] != '\0') {
            abort();
        }
        break;
    }
    case IL_NODE_ARRAY:
        for (size_t i = 0; i < il_node_size(n); i++) {
            count += s_walk(il_node_at(n, i), depth + 1);
        }
        break;
    case IL_NODE_OBJECT:
        for (size_t i = 0; i < il_node_size(n); i++) {
            const struct il_node *k = il_node_key_at(n, i);
            size_t klen = 0;
            const char *ks = il_node_str(k, &klen);
            if (il_node_getn(n, ks, klen) != il_node_value_at(n, i)) {
                abort(); /* a duplicate key slipped through */
            }
            count += 1 + s_walk(il_node_value_at(n, i), depth + 1);
        }
        break;
    default: break;
    }
    if (il_node_line(n) == 0 || il_node_column(n) == 0) {
        abort(); /* every node keeps a 1-based position */
    }
    return count;
}

/* The ledger pipeline on the same bytes, with the embedded schema compiled once per process. */
static void s_ledger(const uint8_t *data, size_t size, const struct il_load_limits *limits) {
    static struct il_ledger_schema *schema;
    if (schema == NULL) {
        struct il_diags *sd = il_diags_new();
        if (sd == NULL || il_ledger_schema_load(NULL, &schema, sd) != IL_OK) {
            abort(); /* the embedded schema must always compile */
        }
        il_diags_free(sd);
    }
    struct il_diags *diags = il_diags_new();
    struct il_ledger *ledger = NULL;
    if (diags == NULL) {
        return;
    }
    struct il_ledger_load_opts opts = {.schema = schema, .limits = limits, .display_name = "fuzz.yaml"};
    if (il_ledger_load_data((const char *)data, size, "fuzz.yaml", &opts, &ledger, diags) == IL_OK) {
        struct il_ledger_rule_opts ropts = {
            .as_of = {2026, 10, 1}, .warn_days = 14, .max_days = 365, .require_distinct_approver = 1};
        if (il_ledger_check_rules(ledger, &ropts, diags) == IL_OK) {
            for (size_t i = 0; i < il_ledger_entry_count(ledger); i++) {
                int64_t left = 0;
                (void)il_entry_status_str(il_ledger_entry_status(il_ledger_entry(ledger, i), &ropts, &left));
            }
        }
    }
    il_ledger_free(ledger);
    il_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct il_load_limits limits = {.max_bytes = 65536, .max_depth = 64, .max_nodes = 20000};
    struct il_diags *diags = il_diags_new();
    struct il_doc *doc = NULL;
    if (diags == NULL) {
        return 0;
    }
    enum il_status st = il_yaml_load((const char *)data, size, "fuzz.yaml", &limits, &doc, diags);
    if (st == IL_OK) {
        if (doc == NULL || il_diags_count(diags) != 0) {
            abort();
        }
        if (s_walk(il_doc_root(doc), 1) > limits.max_nodes) {
            abort(); /* alias expansion escaped the bound */
        }
        if (!il_node_equal(il_doc_root(doc), il_doc_root(doc))) {
            abort();
        }
    } else if (st != IL_ERR_NOMEM) {
        if (doc != NULL || il_diags_count(diags) != 1) {
            abort();
        }
        const struct il_diag *d = il_diags_get(diags, 0);
        if (strcmp(d->rule, "yaml") != 0 || d->message == NULL || d->message[0] == '\0' ||
            (st == IL_ERR_PARSE && d->line == 0)) {
            abort(); /* every parse error names a line */
        }
    }
    il_doc_free(doc);
    il_diags_free(diags);
    s_ledger(data, size, &limits);
    return 0;
}
