/* git for the ledger (see ledger_git.h). The environment keeps a read-only gate read-only: no index refresh, no
 * fsmonitor hook, no pager, no credential prompt. */
#include "ledger/ledger_git.h"

#include <string.h>

#include "il/process.h"

enum il_status il_ledger_git(const char *dir, const char *const *args, struct il_buf *out, int *ok) {
    static const char *const env[] = {"LC_ALL", "C", "GIT_TERMINAL_PROMPT", "0", "GIT_OPTIONAL_LOCKS", "0", "GIT_PAGER",
                                      "cat",    NULL};
    const char *argv[32];
    size_t n = 0;
    *ok = 0;
    argv[n++] = "git";
    argv[n++] = "-C";
    argv[n++] = dir;
    argv[n++] = "-c";
    argv[n++] = "core.fsmonitor=false";
    for (size_t i = 0; args[i] != NULL; i++) {
        if (n + 1 >= sizeof(argv) / sizeof(argv[0])) {
            return IL_ERR_INVALID;
        }
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    il_buf_reset(out);
    const struct il_process_opts opts = {
        .env = env, .timeout_ms = 60000, .max_output = IL_LEDGER_GIT_MAX_OUTPUT, .quiet = 1};
    struct il_process_exit end;
    enum il_status st = il_process_run(argv, &opts, out, &end);
    if (st == IL_ERR_NETWORK) {
        return IL_ERR_LIMIT; /* the deadline: a bound, like the output's */
    }
    if (st != IL_OK) {
        return st == IL_ERR_LIMIT || st == IL_ERR_NOMEM ? st : IL_ERR_IO;
    }
    if (end.failed != NULL || end.code == 127) {
        return IL_ERR_IO; /* could not be reaped, or git could not be run at all */
    }
    *ok = end.code == 0;
    return IL_OK;
}

enum il_status il_ledger_git_split(const char *path, char **dir, const char **file) {
    const char *slash = strrchr(path, '/');
    *dir = slash ? il_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : il_strdup(".");
    *file = slash ? slash + 1 : path;
    return *dir ? IL_OK : IL_ERR_NOMEM;
}

enum il_status il_ledger_git_root(const char *dir, char **root) {
    *root = NULL;
    static const char *const args[] = {"rev-parse", "--show-toplevel", NULL};
    struct il_buf out;
    il_buf_init(&out, 1 << 16);
    int ok = 0;
    enum il_status st = il_ledger_git(dir, args, &out, &ok);
    if (st == IL_ERR_IO) {
        st = IL_OK; /* no git: not a repository as far as we can tell */
    }
    if (st == IL_OK && ok && out.len > 1 && out.data[out.len - 1] == '\n') {
        *root = il_strndup(out.data, out.len - 1);
        st = *root ? IL_OK : IL_ERR_NOMEM;
    }
    il_buf_release(&out);
    return st;
}
