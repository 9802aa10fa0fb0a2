/*
 * libFuzzer target: the --schema path as the CLI takes it. The input is written to a scratch file and loaded with
 * il_ledger_schema_load() (JSON when it starts with '{' or '[', else YAML: both schema readers), then the example
 * ledger is loaded and validated against it, as `validate --schema` does.
 *
 * Invariants: a schema that fails to load says why (a diagnostic); a loaded schema validates the ledger without an
 * internal error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "il/diag.h"
#include "il/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char s_ledger[] = "version: 1\n"
                               "exclusions:\n"
                               "  - function_arn: arn:aws:lambda:us-east-1:123456789012:function:pay\n"
                               "    reason:\n"
                               "      summary: vendored code scanned upstream\n"
                               "      ticket: SEC-1\n"
                               "    owner:\n"
                               "      team: payments\n"
                               "      approved_by: alice@example.com\n"
                               "    dates:\n"
                               "      applied_at: 2026-01-01\n"
                               "      expires_at: 2026-06-01\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char path[64];
    if (size > 65536) {
        return 0;
    }
    if (path[0] == '\0') {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof(path), "%s/il-fuzz-schema-%ld", tmp && strlen(tmp) < 32 ? tmp : "/tmp", (long)getpid());
    }
    FILE *fp = fopen(path, "wb");
    if (fp == NULL) {
        abort();
    }
    if (size && fwrite(data, 1, size, fp) != size) {
        abort();
    }
    if (fclose(fp) != 0) {
        abort();
    }
    struct il_diags *diags = il_diags_new();
    if (diags == NULL) {
        return 0;
    }
    struct il_ledger_schema *schema = NULL;
    enum il_status st = il_ledger_schema_load(path, &schema, diags);
    if ((st == IL_OK) != (schema != NULL)) {
        abort();
    }
    if (st != IL_OK) {
        if (st != IL_ERR_NOMEM && il_diags_count(diags) == 0) {
            abort(); /* a refused schema says why */
        }
    } else {
        struct il_ledger_load_opts opts = {.schema = schema, .skip_digest = 1};
        struct il_ledger *ledger = NULL;
        st = il_ledger_load_data(s_ledger, sizeof(s_ledger) - 1, "ledger.yaml", &opts, &ledger, diags);
        if (st != IL_OK && st != IL_ERR_NOMEM && st != IL_ERR_LIMIT) {
            abort(); /* the ledger is valid YAML: whatever the schema, loading it must not fail internally */
        }
        il_ledger_free(ledger);
    }
    il_ledger_schema_free(schema);
    il_diags_free(diags);
    unlink(path);
    return 0;
}
