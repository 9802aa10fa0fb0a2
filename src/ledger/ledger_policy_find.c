/* Where the policy comes from: --policy FILE, else the repository's .inspector-ledger.yaml — as committed at the base
 * ref in --base mode, so a pull request cannot loosen the rules it is judged by. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "il/rules.h"
#include "ledger/ledger_git.h"
#include "ledger/ledger_policy_internal.h"

/* ".inspector-ledger.yaml" when the root is the current directory, else ROOT/.inspector-ledger.yaml. */
static char *s_display(const char *root) {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, root) == 0) {
        return il_strdup(IL_POLICY_DEFAULT_PATH);
    }
    struct il_buf b;
    il_buf_init(&b, 0);
    il_buf_say(&b, "%s/%s", root, IL_POLICY_DEFAULT_PATH);
    return il_buf_status(&b) == IL_OK ? il_buf_take(&b) : (il_buf_release(&b), NULL);
}

/* The policy at @p ref, or the defaults when the ref holds none; a notice when the working tree's file differs. */
static enum il_status s_at_ref(const char *root, const char *path, const char *ref, struct il_policy **out,
                               struct il_diags *diags) {
    struct il_buf spec, blob, name;
    il_buf_init(&spec, 0);
    il_buf_init(&blob, IL_LEDGER_GIT_MAX_OUTPUT);
    il_buf_init(&name, 0);
    il_buf_say(&spec, "%s:%s", ref, IL_POLICY_DEFAULT_PATH);
    il_buf_say(&name, "%s:%s", ref, IL_POLICY_DEFAULT_PATH);
    enum il_status st = il_buf_status(&spec) == IL_OK && il_buf_status(&name) == IL_OK ? IL_OK : IL_ERR_NOMEM;
    int ok = 0;
    if (st == IL_OK) {
        const char *const show[] = {"show", il_buf_cstr(&spec), NULL};
        st = il_ledger_git(root, show, &blob, &ok);
    }
    char *work = NULL;
    size_t work_len = 0;
    int have_work = st == IL_OK && il_read_file(path, 1u << 20, &work, &work_len) == IL_OK;
    if (st == IL_OK) {
        st = ok ? il_policy_load_data(blob.data ? blob.data : "", blob.len, il_buf_cstr(&name), out, diags)
                : il_policy_new(out);
    }
    int differs = have_work != ok || (ok && (work_len != blob.len || memcmp(work, blob.data, work_len) != 0));
    if (st == IL_OK && differs) {
        st = il_diags_addf(diags, IL_SEV_NOTICE, il_rule_id_str(IL_RULE_POLICY_CHANGED), path, 0, 0, NULL,
                           "this change %s the policy file: it is judged by the policy at `%s`; the new one applies "
                           "once merged",
                           !ok         ? "adds"
                           : have_work ? "modifies"
                                       : "deletes",
                           ref);
    }
    free(work);
    il_buf_release(&spec);
    il_buf_release(&blob);
    il_buf_release(&name);
    return st;
}

enum il_status il_policy_discover(const char *ledger_path, const char *explicit_path, const char *base_ref,
                                  struct il_policy **out, struct il_diags *diags) {
    *out = NULL;
    if (explicit_path != NULL) {
        return il_policy_load_file(explicit_path, out, diags);
    }
    char *dir = NULL;
    const char *file = NULL;
    IL_TRY(il_ledger_git_split(strcmp(ledger_path, "-") == 0 ? "./-" : ledger_path, &dir, &file));
    char *root = NULL;
    char *path = NULL;
    enum il_status st = il_ledger_git_root(dir, &root);
    if (st == IL_OK && root == NULL) {
        st = il_policy_new(out); /* not in a repository: the defaults (and flags) */
    } else if (st == IL_OK && (path = s_display(root)) == NULL) {
        st = IL_ERR_NOMEM;
    } else if (st == IL_OK && base_ref != NULL) {
        st = s_at_ref(root, path, base_ref, out, diags);
    } else if (st == IL_OK) {
        st = access(path, F_OK) == 0 ? il_policy_load_file(path, out, diags) : il_policy_new(out);
    }
    free(path);
    free(root);
    free(dir);
    return st;
}
