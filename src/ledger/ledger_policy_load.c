/* Loading the policy: bytes -> YAML -> the embedded policy schema -> the typed values, every one with its origin. */
#include <stdlib.h>
#include <string.h>

#include "il/doc/json.h"
#include "il/doc/yaml.h"
#include "il/embedded.h"
#include "il/rules.h"
#include "ledger/ledger_policy_internal.h"

#define S_POLICY_MAX_BYTES ((size_t)1 << 20) /* a policy is a page of YAML; anything bigger is a mistake */

/* Rules whose findings must fail the run: the policy may raise them, never lower them. */
static int s_protected(const struct il_rule_info *rule) {
    static const enum il_rule_id ids[] = {IL_RULE_EXPIRED,          IL_RULE_YAML,        IL_RULE_SCHEMA,
                                          IL_RULE_SCHEMA_FILE,      IL_RULE_POLICY_FILE, IL_RULE_NOT_VERIFIED,
                                          IL_RULE_GATE_NOT_VERIFIED};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        if (ids[i] == rule->rule) {
            return 1;
        }
    }
    return 0;
}

static int s_severity(const char *text, int *off, enum il_severity *sev) {
    *off = strcmp(text, "off") == 0;
    if (*off) {
        *sev = IL_SEV_NOTICE;
        return 1;
    }
    return il_severity_parse(text, sev) == IL_OK;
}

static enum il_status s_validate(struct il_doc *doc, struct il_diags *diags) {
    size_t len = 0;
    const char *text = il_embedded_get(IL_POLICY_SCHEMA_NAME, &len);
    if (text == NULL) {
        IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_POLICY_FILE), IL_POLICY_SCHEMA_NAME, 0, 0,
                             NULL, "the embedded policy schema is missing from this build: rebuild inspector-ledger"));
        return IL_ERR_INTERNAL;
    }
    struct il_doc *schema_doc = NULL;
    struct il_schema *schema = NULL;
    enum il_status st = il_json_load(text, len, IL_POLICY_SCHEMA_NAME, &schema_doc, diags);
    if (st == IL_OK) {
        st = il_schema_compile(schema_doc, &schema, diags);
    }
    size_t errors = 0;
    if (st == IL_OK) {
        st = il_schema_validate(schema, doc, diags, &errors);
    }
    il_schema_free(schema);
    il_doc_free(schema_doc);
    return st == IL_OK && errors > 0 ? IL_ERR_INVALID : st;
}

static unsigned s_uint(const struct il_node *n) {
    return (unsigned)il_node_number(n);
}

static enum il_status s_approvers(struct il_policy *p, const struct il_node *obj) {
    size_t n = il_node_size(obj);
    struct il_policy_approver *list = n ? il_doc_alloc(p->doc, n * sizeof(*list)) : NULL;
    if (n && list == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct il_node *key = il_node_key_at(obj, i);
        const struct il_node *ids = il_node_value_at(obj, i);
        size_t m = il_node_size(ids);
        const char **out = il_doc_alloc(p->doc, (m ? m : 1) * sizeof(*out));
        if (out == NULL) {
            return IL_ERR_NOMEM;
        }
        for (size_t j = 0; j < m; j++) {
            out[j] = il_node_str(il_node_at(ids, j), NULL);
        }
        list[i].name = il_node_str(key, NULL);
        list[i].identities = out;
        list[i].n_identities = m;
        il_policy_origin_at(p, key, &list[i].origin);
    }
    p->v.approvers = list;
    p->v.n_approvers = n;
    return IL_OK;
}

static enum il_status s_budgets(struct il_policy *p, const struct il_node *obj) {
    size_t n = il_node_size(obj);
    struct il_policy_budget *list = n ? il_doc_alloc(p->doc, n * sizeof(*list)) : NULL;
    if (n && list == NULL) {
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct il_node *key = il_node_key_at(obj, i);
        const struct il_node *v = il_node_value_at(obj, i);
        list[i].team = il_node_str(key, NULL);
        list[i].active = -1;
        list[i].function_days = -1;
        if (il_node_type(v) == IL_NODE_NUMBER) {
            list[i].active = (long long)il_node_number(v);
        } else {
            const struct il_node *a = il_node_get(v, "active");
            const struct il_node *d = il_node_get(v, "function_days");
            list[i].active = a ? (long long)il_node_number(a) : -1;
            list[i].function_days = d ? (long long)il_node_number(d) : -1;
        }
        il_policy_origin_at(p, key, &list[i].origin);
    }
    p->v.budgets = list;
    p->v.n_budgets = n;
    return IL_OK;
}

static enum il_status s_severities(struct il_policy *p, const struct il_node *obj, struct il_diags *diags, int *bad) {
    size_t n = il_node_size(obj);
    struct il_policy_severity *list = n ? il_doc_alloc(p->doc, n * sizeof(*list)) : NULL;
    if (n && list == NULL) {
        return IL_ERR_NOMEM;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const struct il_node *key = il_node_key_at(obj, i);
        const char *rule = il_node_str(key, NULL);
        const struct il_rule_info *info = il_rule_find(rule);
        int off = 0;
        enum il_severity sev = IL_SEV_ERROR;
        (void)s_severity(il_node_str(il_node_value_at(obj, i), NULL), &off, &sev); /* the schema checked the enum */
        if (info == NULL) {
            *bad = 1;
            IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_POLICY_FILE), p->name, il_node_line(key),
                                 il_node_column(key), NULL,
                                 "unknown rule `%s` in severity: use a rule id from docs/rules.md", rule));
            continue;
        }
        if (s_protected(info) && (off || sev < info->severity)) {
            *bad = 1;
            IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_POLICY_FILE), p->name, il_node_line(key),
                                 il_node_column(key), NULL,
                                 "rule `%s` cannot be lowered: its findings always fail the run", rule));
            continue;
        }
        list[kept].rule = rule;
        list[kept].off = off;
        list[kept].severity = sev;
        il_policy_origin_at(p, key, &list[kept].origin);
        kept++;
    }
    p->v.severities = list;
    p->v.n_severities = kept;
    return IL_OK;
}

/* Type the validated document into @p p. */
static enum il_status s_type(struct il_policy *p, struct il_diags *diags) {
    const struct il_node *root = il_doc_root(p->doc);
    const struct il_node *n;
    int bad = 0;
    if ((n = il_node_get(root, "warn_days")) != NULL) {
        p->v.warn_days = s_uint(n);
        il_policy_origin_at(p, n, &p->v.warn_days_from);
    }
    if ((n = il_node_get(root, "max_days")) != NULL) {
        p->v.max_days = s_uint(n);
        il_policy_origin_at(p, n, &p->v.max_days_from);
    }
    if ((n = il_node_get(root, "require_distinct_approver")) != NULL) {
        p->v.require_distinct_approver = il_node_bool(n);
        il_policy_origin_at(p, n, &p->v.require_distinct_approver_from);
    }
    if ((n = il_node_get(root, "max_renewals")) != NULL) {
        p->v.max_renewals = (long)il_node_number(n);
        il_policy_origin_at(p, n, &p->v.max_renewals_from);
    }
    if ((n = il_node_get(root, "ticket_pattern")) != NULL) {
        p->v.ticket_pattern = il_node_str(n, NULL);
        il_policy_origin_at(p, n, &p->v.ticket_pattern_from);
        enum il_status st = il_policy_compile_ticket(p, n, diags);
        if (st == IL_ERR_INVALID) {
            bad = 1;
        } else if (st != IL_OK) {
            return st;
        }
    }
    if ((n = il_node_get(root, "approvers")) != NULL) {
        il_policy_origin_at(p, n, &p->v.approvers_from);
        IL_TRY(s_approvers(p, n));
    }
    if ((n = il_node_get(root, "budgets")) != NULL) {
        IL_TRY(s_budgets(p, n));
    }
    if ((n = il_node_get(root, "severity")) != NULL) {
        IL_TRY(s_severities(p, n, diags, &bad));
    }
    if ((n = il_node_get(root, "implicit_exclusion_severity")) != NULL) {
        (void)s_severity(il_node_str(n, NULL), &p->v.implicit_off, &p->v.implicit_severity);
        il_policy_origin_at(p, n, &p->v.implicit_from);
    }
    return bad ? IL_ERR_INVALID : IL_OK;
}

enum il_status il_policy_load_data(const char *data, size_t len, const char *name, struct il_policy **out,
                                   struct il_diags *diags) {
    *out = NULL;
    struct il_policy *p = NULL;
    IL_TRY(il_policy_new(&p));
    struct il_load_limits limits;
    il_load_limits_default(&limits);
    limits.max_bytes = S_POLICY_MAX_BYTES;
    limits.max_depth = 16;
    limits.max_nodes = 200000;
    struct il_doc *doc = NULL;
    p->name = il_strdup(name);
    enum il_status st = p->name ? il_yaml_load(data, len, name, &limits, &doc, diags) : IL_ERR_NOMEM;
    if (st == IL_OK) {
        il_doc_free(p->doc);
        p->doc = doc;
        st = s_validate(doc, diags);
    }
    if (st == IL_OK) {
        st = s_type(p, diags);
    }
    if (st != IL_OK) {
        il_policy_free(p);
        return st;
    }
    *out = p;
    return IL_OK;
}

enum il_status il_policy_load_file(const char *path, struct il_policy **out, struct il_diags *diags) {
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    enum il_status st = il_read_file(path, S_POLICY_MAX_BYTES, &data, &len);
    if (st != IL_OK) {
        IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_POLICY_FILE), path, 0, 0, NULL,
                             "cannot read policy file `%s`: %s", path,
                             st == IL_ERR_NOTFOUND ? "no such file"
                             : st == IL_ERR_LIMIT  ? "larger than 1 MiB"
                                                   : "cannot read it"));
        return st;
    }
    st = il_policy_load_data(data, len, path, out, diags);
    free(data);
    return st;
}
