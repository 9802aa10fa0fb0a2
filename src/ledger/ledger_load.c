/* Loading: the schema (embedded or --schema FILE) and the ledger file (read -> YAML -> schema -> model). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/doc/json.h"
#include "il/doc/yaml.h"
#include "il/embedded.h"
#include "il/ledger.h"
#include "ledger/ledger_internal.h"

/* A schema file is small; anything bigger is a mistake (or an attack), not a schema. */
#define IL_SCHEMA_MAX_BYTES (16u * 1024u * 1024u)

struct il_ledger_schema {
    struct il_doc *doc; /* the compiled schema borrows it, so it lives exactly as long */
    struct il_schema *schema;
};

/* Add a diagnostic explaining failure @p st; returns @p st, or IL_ERR_NOMEM if even that could not be recorded. */
static enum il_status s_fail(struct il_diags *diags, enum il_status st, const char *rule, const char *file,
                             unsigned line, const char *fmt, ...) IL_PRINTF(6, 7);

static enum il_status s_fail(struct il_diags *diags, enum il_status st, const char *rule, const char *file,
                             unsigned line, const char *fmt, ...) {
    struct il_buf msg;
    il_buf_init(&msg, 0);
    va_list ap;
    va_start(ap, fmt);
    enum il_status bst = il_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    struct il_diag d = {.severity = IL_SEV_ERROR,
                        .rule = rule,
                        .file = file,
                        .line = line,
                        .column = line ? 1 : 0,
                        .message = il_buf_cstr(&msg)};
    if (bst == IL_OK) {
        bst = il_diags_add(diags, &d);
    }
    il_buf_release(&msg);
    return bst == IL_OK ? st : IL_ERR_NOMEM;
}

/* "cannot read `F`: <why>" for il_read_file_err's answer: "is a directory", "standard input is closed", ... */
static enum il_status s_read_fail(struct il_diags *diags, enum il_status st, int err, const char *rule,
                                  const char *what, const char *name, int is_stdin) {
    struct il_buf why;
    il_buf_init(&why, 0);
    enum il_status bst = il_read_error_say(&why, st, err, is_stdin);
    enum il_status out = bst == IL_OK
                             ? s_fail(diags, st, rule, name, 0, "cannot read %s`%s`: %s", what, name, il_buf_cstr(&why))
                             : IL_ERR_NOMEM;
    il_buf_release(&why);
    return out;
}

/* JSON when it looks like JSON (libyaml reads most JSON, but not e.g. tab indentation); YAML otherwise. */
static enum il_status s_parse_doc(const char *data, size_t len, const char *name, const struct il_load_limits *limits,
                                  struct il_doc **doc, struct il_diags *diags) {
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    if (i < len && (data[i] == '{' || data[i] == '[')) {
        return il_json_load(data, len, name, doc, diags);
    }
    return il_yaml_load(data, len, name, limits, doc, diags);
}

enum il_status il_ledger_schema_load(const char *path, struct il_ledger_schema **out, struct il_diags *diags) {
    *out = NULL;
    char *owned = NULL;
    const char *data = NULL;
    size_t len = 0;
    enum il_status st = IL_OK;
    struct il_doc *doc = NULL;
    struct il_schema *schema = NULL;
    const char *name = path ? path : IL_LEDGER_SCHEMA_NAME;

    if (path == NULL) {
        data = il_embedded_get(IL_LEDGER_SCHEMA_NAME, &len);
        if (data == NULL) {
            st = s_fail(diags, IL_ERR_INTERNAL, "schema-file", IL_LEDGER_SCHEMA_NAME, 0,
                        "the embedded ledger schema is missing from this build: rebuild inspector-ledger");
            goto cleanup;
        }
    } else if (strcmp(path, "-") == 0) {
        st = s_fail(diags, IL_ERR_INVALID, "schema-file", NULL, 0,
                    "the schema cannot be read from standard input: give a file path to --schema");
        goto cleanup;
    } else {
        int err = 0;
        st = il_read_file_err(path, IL_SCHEMA_MAX_BYTES, &owned, &len, &err);
        if (st != IL_OK) {
            st = s_read_fail(diags, st, err, "schema-file", "schema file ", path, 0);
            goto cleanup;
        }
        data = owned;
    }
    st = s_parse_doc(data, len, name, NULL, &doc, diags);
    if (st != IL_OK) {
        goto cleanup;
    }
    st = il_schema_compile(doc, &schema, diags);
    if (st != IL_OK) {
        goto cleanup;
    }
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    (*out)->doc = doc;
    (*out)->schema = schema;
    doc = NULL;
    schema = NULL;

cleanup:
    il_schema_free(schema);
    il_doc_free(doc);
    free(owned);
    return st;
}

void il_ledger_schema_free(struct il_ledger_schema *schema) {
    if (schema == NULL) {
        return;
    }
    il_schema_free(schema->schema);
    il_doc_free(schema->doc);
    free(schema);
}

const struct il_schema *il_ledger_schema_get(const struct il_ledger_schema *schema) {
    return schema->schema;
}

/* The first string or key (document order) holding a NUL byte ("\0", "\x00", "\u0000" in a quoted scalar), or NULL.
 * Depth is bounded by the loader's nesting limit. */
static const struct il_node *s_find_nul(const struct il_node *node) {
    enum il_node_type t = il_node_type(node);
    if (t == IL_NODE_STRING) {
        size_t len = 0;
        const char *str = il_node_str(node, &len);
        return memchr(str, '\0', len) ? node : NULL;
    }
    if (t != IL_NODE_ARRAY && t != IL_NODE_OBJECT) {
        return NULL;
    }
    for (size_t i = 0; i < il_node_size(node); i++) {
        const struct il_node *hit = NULL;
        if (t == IL_NODE_OBJECT && (hit = s_find_nul(il_node_key_at(node, i))) != NULL) {
            return hit;
        }
        if ((hit = s_find_nul(t == IL_NODE_OBJECT ? il_node_value_at(node, i) : il_node_at(node, i))) != NULL) {
            return hit;
        }
    }
    return NULL;
}

/* A NUL in a ledger string would cut it short in every output and comparison (C strings end there), so the text
 * after it could hide from review: the ledger is refused, located at the string. */
static enum il_status s_refuse_nul(const struct il_node *hit, const char *name, struct il_diags *diags) {
    struct il_diag d = {.severity = IL_SEV_ERROR,
                        .rule = "yaml",
                        .file = name,
                        .line = il_node_line(hit),
                        .column = il_node_column(hit),
                        .message =
                            "this string holds a NUL character (U+0000): text after it would be dropped from every "
                            "output; remove the escape that wrote it"};
    return il_diags_add(diags, &d) == IL_OK ? IL_ERR_PARSE : IL_ERR_NOMEM;
}

/* "/exclusions/12/dates" -> 12; SIZE_MAX when the pointer is not inside an entry. */
static size_t s_entry_index(const char *pointer) {
    static const char prefix[] = "/exclusions/";
    if (pointer == NULL || strncmp(pointer, prefix, sizeof(prefix) - 1) != 0) {
        return (size_t)-1;
    }
    const char *digits = pointer + sizeof(prefix) - 1;
    char *end = NULL;
    unsigned long long n = strtoull(digits, &end, 10);
    if (end == digits || (*end != '\0' && *end != '/') || digits[0] == '-' || digits[0] == '+') {
        return (size_t)-1;
    }
    return (size_t)n;
}

enum il_status il_ledger_load_data(const char *data, size_t len, const char *name,
                                   const struct il_ledger_load_opts *opts, struct il_ledger **out,
                                   struct il_diags *diags) {
    *out = NULL;
    struct il_ledger_schema *own_schema = NULL;
    struct il_diags *found = NULL;
    struct il_doc *doc = NULL;
    struct il_ledger *ledger = NULL;
    const struct il_ledger_schema *schema = opts ? opts->schema : NULL;
    enum il_status st = IL_OK;

    if (schema == NULL) {
        st = il_ledger_schema_load(NULL, &own_schema, diags);
        if (st != IL_OK) {
            goto cleanup;
        }
        schema = own_schema;
    }
    st = il_yaml_load(data, len, name, opts ? opts->limits : NULL, &doc, diags);
    if (st != IL_OK) {
        goto cleanup;
    }
    const struct il_node *nul = s_find_nul(il_doc_root(doc));
    if (nul != NULL) {
        st = s_refuse_nul(nul, name, diags);
        goto cleanup;
    }
    /* validate into a private collection first, to attribute each violation to its entry */
    found = il_diags_new();
    if (found == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    size_t errors = 0;
    st = il_schema_validate(schema->schema, doc, found, &errors);
    if (st != IL_OK) {
        goto cleanup;
    }
    st = il_ledger_from_doc_digest(doc, data, len, !(opts && opts->skip_digest), &ledger);
    doc = NULL; /* taken, even on failure */
    if (st != IL_OK) {
        goto cleanup;
    }
    il_ledger_set_schema_errors(ledger, errors);
    /* attribute each violation to its entry, and give it the entry's function ARN like every other finding */
    for (size_t i = 0; i < il_diags_count(found) && st == IL_OK; i++) {
        struct il_diag d = *il_diags_get(found, i);
        size_t index = s_entry_index(d.pointer);
        il_ledger_count_entry_error(ledger, index);
        const struct il_ledger_entry *e = il_ledger_entry(ledger, index);
        if (e && d.function_arn == NULL && e->function_arn.value &&
            strlen(e->function_arn.value) == e->function_arn.len) {
            d.function_arn = e->function_arn.value;
            d.account = e->arn.valid ? e->arn.account : NULL;
            d.region = e->arn.valid ? e->arn.region : NULL;
        }
        st = il_diags_add(diags, &d);
    }
    if (st != IL_OK) {
        goto cleanup;
    }
    *out = ledger;
    ledger = NULL;

cleanup:
    il_ledger_free(ledger);
    il_diags_free(found);
    il_doc_free(doc);
    il_ledger_schema_free(own_schema);
    return st;
}

enum il_status il_ledger_load_file(const char *path, const struct il_ledger_load_opts *opts, struct il_ledger **out,
                                   struct il_diags *diags) {
    *out = NULL;
    const int is_stdin = strcmp(path, "-") == 0;
    const char *name = opts && opts->display_name ? opts->display_name : is_stdin ? "<stdin>" : path;
    struct il_load_limits limits;
    if (opts && opts->limits) {
        limits = *opts->limits;
    } else {
        il_load_limits_default(&limits);
    }
    char *data = NULL;
    size_t len = 0;
    int err = 0;
    enum il_status st = il_read_file_err(path, limits.max_bytes, &data, &len, &err);
    if (st == IL_ERR_LIMIT) {
        /* an oversized ledger is a defect in the file under review (a finding), not an unreadable input */
        return s_fail(diags, st, "yaml", name, 1,
                      "`%s` is larger than the %zu-byte limit: a ledger this big is a mistake, split or trim it", name,
                      limits.max_bytes);
    }
    if (st != IL_OK) {
        return s_read_fail(diags, st, err, "yaml", "", name, is_stdin);
    }
    struct il_ledger_load_opts o = {0};
    if (opts) {
        o = *opts;
    }
    o.limits = &limits;
    st = il_ledger_load_data(data, len, name, &o, out, diags);
    if (opts && opts->source_out) {
        *opts->source_out = data; /* handed over, not copied */
        if (opts->source_len_out) {
            *opts->source_len_out = len;
        }
        data = NULL;
    }
    free(data);
    return st;
}

enum il_status il_ledger_schema_check_file(const struct il_ledger_schema *schema, const char *path,
                                           struct il_diags *diags, size_t *errors) {
    *errors = 0;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    struct il_load_limits limits;
    il_load_limits_default(&limits);
    char *data = NULL;
    size_t len = 0;
    struct il_doc *doc = NULL;
    int err = 0;
    enum il_status st = il_read_file_err(path, limits.max_bytes, &data, &len, &err);
    if (st != IL_OK) {
        return s_read_fail(diags, st, err, "yaml", "", name, strcmp(path, "-") == 0);
    }
    /* YAML 1.2 is a superset of JSON, so one loader (with its limits and located errors) serves both */
    st = il_yaml_load(data, len, name, &limits, &doc, diags);
    if (st == IL_OK) {
        st = il_schema_validate(schema->schema, doc, diags, errors);
    }
    il_doc_free(doc);
    free(data);
    return st;
}
