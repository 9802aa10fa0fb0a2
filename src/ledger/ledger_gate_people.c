/* Who made a change: the authors and committers of the commits in BASE..HEAD that touched an entry's lines
 * (`git log -L`, which follows the lines back through every commit, not only the last one as blame would), and
 * whether an approver is among them through the policy's identities. */
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_gate_people.h"
#include "ledger/ledger_git.h"
#include "ledger/ledger_policy_internal.h"

void il_people_release(struct il_people *p) {
    for (size_t i = 0; i < p->count; i++) {
        free(p->items[i]);
    }
    free(p->items);
    memset(p, 0, sizeof(*p));
}

static enum il_status s_add(struct il_people *p, const char *s, size_t len) {
    for (size_t i = 0; i < p->count; i++) {
        if (strlen(p->items[i]) == len && strncmp(p->items[i], s, len) == 0) {
            return IL_OK;
        }
    }
    char **n = realloc(p->items, (p->count + 1) * sizeof(*n));
    if (n == NULL) {
        return IL_ERR_NOMEM;
    }
    p->items = n;
    if ((n[p->count] = il_strndup(s, len)) == NULL) {
        return IL_ERR_NOMEM;
    }
    p->count++;
    return IL_OK;
}

enum il_status il_people_of_lines(const char *dir, const char *file, const char *base_commit, unsigned start,
                                  unsigned end, struct il_people *out, int *ok) {
    struct il_buf range, span, text;
    il_buf_init(&range, 0);
    il_buf_init(&span, 0);
    il_buf_init(&text, IL_LEDGER_GIT_MAX_OUTPUT);
    il_buf_say(&range, "-L%u,%u:./%s", start, end, file);
    il_buf_say(&span, "%s..HEAD", base_commit);
    enum il_status st = il_buf_status(&range) == IL_OK && il_buf_status(&span) == IL_OK ? IL_OK : IL_ERR_NOMEM;
    if (st == IL_OK) {
        /* \x01 starts our header lines: a patch line starts with ' ', '+', '-', '@' or a diff header, never with it */
        const char *const args[] = {
            "log", "--no-color", "--format=%x01%ae%x01%ce%x01%an%x01%cn", il_buf_cstr(&range), il_buf_cstr(&span),
            NULL};
        st = il_ledger_git(dir, args, &text, ok);
    }
    for (const char *line = il_buf_cstr(&text); st == IL_OK && *ok && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (line[0] == '\x01') {
            const char *p = line + 1;
            const char *stop = line + len;
            while (p <= stop && st == IL_OK) {
                const char *sep = memchr(p, '\x01', (size_t)(stop - p));
                size_t flen = sep ? (size_t)(sep - p) : (size_t)(stop - p);
                if (flen > 0) {
                    st = s_add(out, p, flen);
                }
                p += flen + 1;
            }
        }
        line = nl ? nl + 1 : line + len;
    }
    il_buf_release(&range);
    il_buf_release(&span);
    il_buf_release(&text);
    return st;
}

/* "@bob" matches GitHub's and GitLab's noreply addresses: bob@users.noreply.github.com, 123+bob@...github.com,
 * 123-bob@users.noreply.gitlab.com. */
static int s_handle_matches(const char *handle, const char *email) {
    static const char *const domains[] = {"@users.noreply.github.com", "@users.noreply.gitlab.com"};
    const char *at = strrchr(email, '@');
    if (at == NULL) {
        return 0;
    }
    for (size_t d = 0; d < sizeof(domains) / sizeof(domains[0]); d++) {
        if (!il_policy_ieq(at, domains[d])) {
            continue;
        }
        size_t local = (size_t)(at - email);
        size_t hl = strlen(handle);
        if (hl > local) {
            continue;
        }
        const char *tail = email + local - hl;
        char buf[256];
        if (hl >= sizeof(buf)) {
            continue;
        }
        memcpy(buf, tail, hl);
        buf[hl] = '\0';
        if (il_policy_ieq(buf, handle) && (tail == email || tail[-1] == '+' || tail[-1] == '-')) {
            return 1;
        }
    }
    return 0;
}

const char *il_people_match(const struct il_people *people, const char *const *identities, size_t n) {
    for (size_t i = 0; i < people->count; i++) {
        const char *who = people->items[i];
        for (size_t j = 0; j < n; j++) {
            const char *id = identities[j];
            if (id[0] == '@' ? s_handle_matches(id + 1, who) : il_policy_ieq(id, who)) {
                return who;
            }
        }
    }
    return NULL;
}
