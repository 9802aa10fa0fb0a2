/*
 * libFuzzer target: the two-halves load of a large ledger (src/doc/doc_yaml_split.c) against the whole-input
 * load. At each of the first 16 line starts (each try starts a thread) the split is tried; whenever it is accepted,
 * the whole load must succeed and give an identical document, positions included. Any difference aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "doc/doc_yaml_internal.h"
#include "il/doc/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    struct il_load_limits limits = {.max_bytes = 65536, .max_depth = 32, .max_nodes = 5000};
    struct il_doc *whole = NULL;
    int whole_done = 0;
    enum il_status whole_st = IL_OK;
    size_t tried = 0;
    for (size_t at = 1; at < size && tried < 16; at++) {
        if (text[at - 1] != '\n') {
            continue;
        }
        tried++;
        struct il_doc *split = NULL;
        if (!il_yaml_load_split(text, size, "fuzz.yaml", &limits, at, &split)) {
            if (split != NULL) {
                abort(); /* a refusal leaves nothing behind */
            }
            continue;
        }
        if (!whole_done) {
            whole_st = il_yaml_load(text, size, "fuzz.yaml", &limits, &whole, NULL);
            whole_done = 1;
        }
        if (whole_st != IL_OK || !il_node_identical(il_doc_root(whole), il_doc_root(split))) {
            abort(); /* the split accepted what the whole load rejects, or built something else */
        }
        il_doc_free(split);
    }
    il_doc_free(whole);
    return 0;
}
