/* Test helper (and a debugging aid): load a YAML file with il_yaml_load_file and print the tree as one line of JSON
 * (with -p, each node prefixed by @line:column, which is not JSON), or the diagnostic. Exit 0 loaded, 1 rejected,
 * 2 usage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/doc/yaml.h"

static void s_str(const char *s, size_t len) {
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void s_dump(const struct il_node *n, int pos) {
    if (pos) {
        printf("@%u:%u ", il_node_line(n), il_node_column(n));
    }
    size_t len = 0;
    switch (il_node_type(n)) {
    case IL_NODE_NULL: printf("null"); break;
    case IL_NODE_BOOL: printf(il_node_bool(n) ? "true" : "false"); break;
    case IL_NODE_NUMBER:
        /* JSON has no NaN or infinity: spell them as JSON5/Python's json module do */
        if (isnan(il_node_number(n))) {
            printf("NaN");
        } else if (isinf(il_node_number(n))) {
            printf(il_node_number(n) > 0 ? "Infinity" : "-Infinity");
        } else if (il_node_is_integer(n) && fabs(il_node_number(n)) < 1e17) {
            printf("%.0f", il_node_number(n));
        } else {
            printf("%.17g", il_node_number(n));
        }
        break;
    case IL_NODE_STRING: {
        const char *s = il_node_str(n, &len);
        s_str(s, len);
        break;
    }
    case IL_NODE_ARRAY:
        putchar('[');
        for (size_t i = 0; i < il_node_size(n); i++) {
            printf(i ? ", " : "");
            s_dump(il_node_at(n, i), pos);
        }
        putchar(']');
        break;
    case IL_NODE_OBJECT:
        putchar('{');
        for (size_t i = 0; i < il_node_size(n); i++) {
            printf(i ? ", " : "");
            const char *k = il_node_str(il_node_key_at(n, i), &len);
            s_str(k, len);
            printf(": ");
            s_dump(il_node_value_at(n, i), pos);
        }
        putchar('}');
        break;
    }
}

int main(int argc, char **argv) {
    struct il_load_limits lim;
    il_load_limits_default(&lim);
    int pos = 0, i = 1;
    for (; i + 1 < argc; i++) {
        if (strcmp(argv[i], "-p") == 0) {
            pos = 1;
        } else if (strcmp(argv[i], "-n") == 0 && i + 2 < argc) {
            lim.max_nodes = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "-d") == 0 && i + 2 < argc) {
            lim.max_depth = (unsigned)strtoul(argv[++i], NULL, 10);
        } else {
            break;
        }
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: yaml_dump [-p] [-n MAX_NODES] [-d MAX_DEPTH] FILE\n");
        return 2;
    }
    struct il_diags *diags = il_diags_new();
    struct il_doc *doc = NULL;
    if (diags == NULL) {
        return 2;
    }
    enum il_status st = il_yaml_load_file(argv[i], &lim, &doc, diags);
    for (size_t k = 0; k < il_diags_count(diags); k++) {
        const struct il_diag *d = il_diags_get(diags, k);
        printf("%s:%u:%u: %s[%s]: %s\n", d->file ? d->file : "", d->line, d->column, il_severity_str(d->severity),
               d->rule, d->message);
    }
    if (st == IL_OK) {
        s_dump(il_doc_root(doc), pos);
        putchar('\n');
    }
    il_doc_free(doc);
    il_diags_free(diags);
    return st == IL_OK ? 0 : 1;
}
