/*
 * libFuzzer target: the YAML loader (and, through it, everything that reads untrusted ledger text first).
 * Small limits keep each run fast and let the fuzzer reach the limit paths; the invariants checked are the loader's
 * contract: success gives a document and no diagnostic, failure gives no document and exactly one located "yaml"
 * diagnostic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "il/yaml.h"

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
    return 0;
}
