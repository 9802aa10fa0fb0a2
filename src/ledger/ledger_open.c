/* Opening a ledger: schema -> load -> rules, the one sequence validate, check, report and apply start with. */
#include "il/ledger.h"

enum il_status il_ledger_open(const struct il_ledger_open_opts *opts, struct il_ledger **out, struct il_diags *diags,
                              enum il_ledger_open_step *step) {
    struct il_ledger_schema *schema = NULL;
    *out = NULL;
    *step = IL_LEDGER_OPEN_SCHEMA;
    enum il_status st =
        il_ledger_schema_load(opts->schema_path, &schema, opts->schema_diags ? opts->schema_diags : diags);
    if (st != IL_OK) {
        return st;
    }
    *step = IL_LEDGER_OPEN_LOAD;
    if (opts->schema_only) {
        size_t errors = 0;
        st = il_ledger_schema_check_file(schema, opts->ledger_path, diags, &errors);
        if (opts->schema_errors != NULL) {
            *opts->schema_errors = errors;
        }
    } else {
        struct il_ledger_load_opts lo = {.schema = schema,
                                         .skip_digest = opts->skip_digest,
                                         .source_out = opts->source_out,
                                         .source_len_out = opts->source_len_out};
        st = il_ledger_load_file(opts->ledger_path, &lo, out, diags);
        if (st == IL_OK && opts->rules != NULL && !(opts->rules_need_schema && il_ledger_schema_errors(*out) > 0)) {
            *step = IL_LEDGER_OPEN_RULES;
            st = il_ledger_check_rules(*out, opts->rules, diags);
        }
    }
    il_ledger_schema_free(schema); /* the ledger keeps its own document: the schema is only needed to load it */
    if (st == IL_OK) {
        *step = IL_LEDGER_OPEN_DONE;
    }
    return st;
}
