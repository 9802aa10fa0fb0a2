/* The ledger as committed at a ref: `git show REF:./FILE` into the ordinary loader. */
#include <stdlib.h>
#include <string.h>

#include "il/doc/yaml.h"
#include "il/ledger/gate.h"
#include "il/rules.h"
#include "ledger/ledger_base.h"
#include "ledger/ledger_git.h"

enum il_status il_ledger_git_where(const char *ledger_path, const char *ref, struct il_ledger_where *w,
                                   struct il_diags *diags) {
    memset(w, 0, sizeof(*w));
    if (strcmp(ledger_path, "-") == 0) {
        IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), NULL, 0, 0, NULL,
                             "the ledger was read from standard input: --base and --since need the ledger's path in "
                             "a git work tree"));
        return IL_ERR_INVALID;
    }
    IL_TRY(il_ledger_git_split(ledger_path, &w->dir, &w->file));
    struct il_buf out;
    il_buf_init(&out, 1 << 16);
    int ok = 0;
    static const char *const inside[] = {"rev-parse", "--is-inside-work-tree", NULL};
    enum il_status st = il_ledger_git(w->dir, inside, &out, &ok);
    if (st == IL_ERR_NOMEM) {
        goto cleanup;
    }
    if (st != IL_OK || !ok || strncmp(il_buf_cstr(&out), "true", 4) != 0) {
        st = il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), ledger_path, 0, 0, NULL,
                           st == IL_ERR_IO ? "git could not be run: install git to compare with a base ref"
                                           : "`%s` is not in a git work tree: --base and --since compare commits",
                           ledger_path);
        st = st == IL_OK ? IL_ERR_INVALID : st;
        goto cleanup;
    }
    if (ref != NULL) {
        struct il_buf spec;
        il_buf_init(&spec, 0);
        il_buf_say(&spec, "%s^{commit}", ref);
        const char *const verify[] = {"rev-parse", "--verify", "--quiet", "--end-of-options", il_buf_cstr(&spec), NULL};
        st = il_buf_status(&spec) == IL_OK ? il_ledger_git(w->dir, verify, &out, &ok) : IL_ERR_NOMEM;
        il_buf_release(&spec);
        size_t n = strspn(il_buf_cstr(&out), "0123456789abcdef");
        if (st == IL_OK && ok && (n == 40 || n == 64)) {
            memcpy(w->commit, out.data, n);
            w->commit[n] = '\0';
        } else if (st == IL_OK) {
            st = il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), ledger_path, 0, 0, NULL,
                               "no commit `%s` in this repository: fetch it (e.g. git fetch origin main, or "
                               "actions/checkout with fetch-depth: 0) or name an existing ref",
                               ref);
            st = st == IL_OK ? IL_ERR_NOTFOUND : st;
        }
    }
cleanup:
    il_buf_release(&out);
    if (st != IL_OK) {
        il_ledger_where_release(w);
    }
    return st;
}

void il_ledger_where_release(struct il_ledger_where *w) {
    free(w->dir);
    w->dir = NULL;
}

enum il_status il_ledger_git_show(const struct il_ledger_where *w, const char *rev, struct il_buf *out, int *exists) {
    struct il_buf spec;
    il_buf_init(&spec, 0);
    il_buf_say(&spec, "%s:./%s", rev, w->file);
    int ok = 0;
    const char *const show[] = {"show", il_buf_cstr(&spec), NULL};
    enum il_status st = il_buf_status(&spec) == IL_OK ? il_ledger_git(w->dir, show, out, &ok) : IL_ERR_NOMEM;
    il_buf_release(&spec);
    *exists = st == IL_OK && ok;
    return st;
}

enum il_status il_ledger_load_blob(const struct il_buf *blob, const char *name, const struct il_ledger_schema *schema,
                                   struct il_ledger **out) {
    struct il_diags *scratch = il_diags_new(); /* the base's own problems are not this change's */
    if (scratch == NULL) {
        return IL_ERR_NOMEM;
    }
    struct il_ledger_load_opts lo = {.schema = schema, .skip_digest = 1};
    enum il_status st = il_ledger_load_data(blob->data ? blob->data : "", blob->len, name, &lo, out, scratch);
    il_diags_free(scratch);
    return st;
}

enum il_status il_ledger_load_blob_model(const struct il_buf *blob, const char *name, struct il_ledger **out) {
    *out = NULL;
    struct il_diags *scratch = il_diags_new();
    struct il_doc *doc = NULL;
    if (scratch == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = il_yaml_load(blob->data ? blob->data : "", blob->len, name, NULL, &doc, scratch);
    il_diags_free(scratch);
    return st == IL_OK ? il_ledger_from_doc(doc, blob->data, blob->len, out) : st; /* takes doc */
}

enum il_status il_ledger_load_at(const char *ledger_path, const char *ref, const struct il_ledger_schema *schema,
                                 struct il_ledger **out, struct il_diags *diags) {
    *out = NULL;
    struct il_ledger_where w;
    IL_TRY(il_ledger_git_where(ledger_path, ref, &w, diags));
    struct il_buf blob, name;
    il_buf_init(&blob, IL_LEDGER_GIT_MAX_OUTPUT);
    il_buf_init(&name, 0);
    int exists = 0;
    enum il_status st = il_ledger_git_show(&w, w.commit, &blob, &exists);
    il_buf_say(&name, "%s:%s", ref, ledger_path);
    if (st == IL_OK && exists) {
        st = il_buf_status(&name) == IL_OK ? il_ledger_load_blob(&blob, il_buf_cstr(&name), schema, out) : IL_ERR_NOMEM;
        if (st == IL_ERR_PARSE || st == IL_ERR_LIMIT) {
            st = IL_OK; /* a base that does not load is like no base: every entry counts as added */
        }
    } else if (st != IL_OK && st != IL_ERR_NOMEM) {
        st = il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), ledger_path, 0, 0, NULL,
                           "git could not show `%s` at `%s`: %s", ledger_path, ref, il_status_str(st));
        st = st == IL_OK ? IL_ERR_INVALID : st;
    }
    il_buf_release(&blob);
    il_buf_release(&name);
    il_ledger_where_release(&w);
    return st;
}

enum il_status il_ledger_ref_time(const char *ledger_path, const char *ref, char commit[65], long long *time,
                                  struct il_diags *diags) {
    struct il_ledger_where w;
    IL_TRY(il_ledger_git_where(ledger_path, ref, &w, diags));
    memcpy(commit, w.commit, sizeof(w.commit));
    struct il_buf out;
    il_buf_init(&out, 1 << 16);
    int ok = 0;
    const char *const args[] = {"show", "-s", "--format=%ct", w.commit, NULL};
    enum il_status st = il_ledger_git(w.dir, args, &out, &ok);
    *time = st == IL_OK && ok ? strtoll(il_buf_cstr(&out), NULL, 10) : 0;
    il_buf_release(&out);
    il_ledger_where_release(&w);
    return st == IL_ERR_NOMEM ? st : IL_OK;
}
