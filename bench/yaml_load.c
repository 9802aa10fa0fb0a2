/*
 * The loader alone: il_yaml_load_file() into a document tree, nothing else. Between the floor (yaml_floor) and
 * `validate`, it shows what the tree costs. Prints the node count. usage: yaml_load FILE
 */
#include <stdio.h>

#include "il/doc/yaml.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: yaml_load FILE\n");
        return 2;
    }
    struct il_diags *diags = il_diags_new();
    struct il_doc *doc = NULL;
    if (diags == NULL) {
        return 2;
    }
    enum il_status st = il_yaml_load_file(argv[1], NULL, &doc, diags);
    if (st != IL_OK) {
        const struct il_diag *d = il_diags_count(diags) ? il_diags_get(diags, 0) : NULL;
        fprintf(stderr, "yaml_load: %s\n", d ? d->message : il_status_str(st));
    } else {
        printf("%zu nodes\n", il_doc_node_count(doc));
    }
    il_doc_free(doc);
    il_diags_free(diags);
    return st == IL_OK ? 0 : 1;
}
