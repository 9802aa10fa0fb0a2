/* The pull request's reviews: GitHub's list-reviews array or GitLab's approvals object, told apart by shape, parsed
 * through the project's JSON loader (bounded, located errors). Only who approved is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/doc/json.h"
#include "il/ledger/gate.h"
#include "il/rules.h"
#include "ledger/ledger_policy_internal.h"

#define S_REVIEWS_MAX_BYTES ((size_t)16 << 20)
#define S_REVIEWS_MAX_ITEMS 100000

struct s_login {
    char *login;
    char when[40]; /* submitted_at (RFC 3339 compares as text); "" unknown */
    int approved;
};

struct il_reviews {
    const char *forge;
    struct s_login *logins;
    size_t count;
};

void il_reviews_free(struct il_reviews *r) {
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->count; i++) {
        free(r->logins[i].login);
    }
    free(r->logins);
    free(r);
}

static enum il_status s_fail(struct il_diags *diags, const char *name, const struct il_node *at, const char *what) {
    IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), name,
                         at ? il_node_line(at) : 0, at ? il_node_column(at) : 0, NULL, "reviews file: %s", what));
    return IL_ERR_INVALID;
}

static const char *s_str(const struct il_node *n) {
    return n && il_node_type(n) == IL_NODE_STRING ? il_node_str(n, NULL) : NULL;
}

/* Record a deciding review of @p login (the latest by submitted_at wins; on a tie or without dates, the later one). */
static enum il_status s_decide(struct il_reviews *r, const char *login, const char *when, int approved) {
    for (size_t i = 0; i < r->count; i++) {
        if (il_policy_ieq(r->logins[i].login, login)) {
            if (when && r->logins[i].when[0] && strcmp(when, r->logins[i].when) < 0) {
                return IL_OK;
            }
            snprintf(r->logins[i].when, sizeof(r->logins[i].when), "%s", when ? when : "");
            r->logins[i].approved = approved;
            return IL_OK;
        }
    }
    struct s_login *n = realloc(r->logins, (r->count + 1) * sizeof(*n));
    if (n == NULL) {
        return IL_ERR_NOMEM;
    }
    r->logins = n;
    if ((n[r->count].login = il_strdup(login)) == NULL) {
        return IL_ERR_NOMEM;
    }
    snprintf(n[r->count].when, sizeof(n[r->count].when), "%s", when ? when : "");
    n[r->count].approved = approved;
    r->count++;
    return IL_OK;
}

static enum il_status s_github(struct il_reviews *r, const struct il_node *root, const char *name,
                               struct il_diags *diags) {
    r->forge = "github";
    for (size_t i = 0; i < il_node_size(root); i++) {
        const struct il_node *item = il_node_at(root, i);
        if (il_node_type(item) != IL_NODE_OBJECT) {
            return s_fail(diags, name, item, "a GitHub review must be an object with user.login and state");
        }
        const struct il_node *user = il_node_get(item, "user");
        const char *state = s_str(il_node_get(item, "state"));
        if (user != NULL && il_node_type(user) == IL_NODE_NULL) {
            continue; /* a deleted account ("ghost") approves nothing */
        }
        const char *login = user ? s_str(il_node_get(user, "login")) : NULL;
        if (login == NULL || state == NULL) {
            return s_fail(diags, name, item,
                          "a GitHub review lacks user.login or state (is this the output of "
                          "gh api repos/OWNER/REPO/pulls/N/reviews?)");
        }
        int approved = strcmp(state, "APPROVED") == 0;
        if (approved || strcmp(state, "CHANGES_REQUESTED") == 0 || strcmp(state, "DISMISSED") == 0) {
            IL_TRY(s_decide(r, login, s_str(il_node_get(item, "submitted_at")), approved));
        }
    }
    return IL_OK;
}

static enum il_status s_gitlab(struct il_reviews *r, const struct il_node *list, const char *name,
                               struct il_diags *diags) {
    r->forge = "gitlab";
    if (il_node_type(list) != IL_NODE_ARRAY) {
        return s_fail(diags, name, list, "GitLab's approved_by must be an array");
    }
    for (size_t i = 0; i < il_node_size(list); i++) {
        const struct il_node *item = il_node_at(list, i);
        const struct il_node *user = il_node_type(item) == IL_NODE_OBJECT ? il_node_get(item, "user") : NULL;
        const char *login = user ? s_str(il_node_get(user, "username")) : NULL;
        if (login == NULL) {
            return s_fail(diags, name, item, "a GitLab approval lacks user.username");
        }
        IL_TRY(s_decide(r, login, NULL, 1));
    }
    return IL_OK;
}

/* One JSON document of the file: GitHub's array or GitLab's object. */
static enum il_status s_document(struct il_reviews *r, const char *data, size_t len, const char *name,
                                 struct il_diags *diags) {
    struct il_doc *doc = NULL;
    IL_TRY(il_json_load(data, len, name, &doc, diags));
    const struct il_node *root = il_doc_root(doc);
    const struct il_node *gitlab = il_node_type(root) == IL_NODE_OBJECT ? il_node_get(root, "approved_by") : NULL;
    enum il_status st = IL_OK;
    if (il_node_type(root) == IL_NODE_ARRAY && il_node_size(root) <= S_REVIEWS_MAX_ITEMS &&
        strcmp(r->forge, "gitlab") != 0) {
        st = s_github(r, root, name, diags);
    } else if (gitlab != NULL && il_node_size(gitlab) <= S_REVIEWS_MAX_ITEMS && r->forge[0] == '\0') {
        st = s_gitlab(r, gitlab, name, diags);
    } else {
        st = s_fail(diags, name, root,
                    "neither GitHub's list of pull request reviews (an array) nor GitLab's merge request approvals "
                    "(an object with approved_by), or more than 100000 items");
    }
    il_doc_free(doc);
    return st;
}

/* Where the top-level JSON values of @p data end (outside strings): `gh api --paginate` writes one array per page back
 * to back. Returns how many (at most @p max); 0 when the brackets do not balance (the parser then says where). */
static size_t s_split(const char *data, size_t len, size_t *ends, size_t max) {
    size_t n = 0;
    int depth = 0, in_str = 0, esc = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (in_str) {
            if (esc) {
                esc = 0;
            } else if (c == '\\') {
                esc = 1;
            } else if (c == '"') {
                in_str = 0;
            }
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            if (n == max) {
                return 0;
            }
            ends[n++] = i + 1;
        } else if (depth < 0 || (depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n')) {
            return 0; /* text between the values: let the parser locate it */
        }
    }
    return depth == 0 && !in_str ? n : 0;
}

enum il_status il_reviews_load_data(const char *data, size_t len, const char *name, struct il_reviews **out,
                                    struct il_diags *diags) {
    *out = NULL;
    struct il_reviews *r = calloc(1, sizeof(*r));
    size_t ends[1000];
    size_t pages = s_split(data, len, ends, sizeof(ends) / sizeof(ends[0]));
    enum il_status st = r ? IL_OK : IL_ERR_NOMEM;
    if (st == IL_OK) {
        r->forge = "";
    }
    if (st == IL_OK && pages <= 1) {
        st = s_document(r, data, len, name, diags);
    }
    /* several pages: each parsed with the others blanked (newlines kept), so positions stay those of the file */
    char *copy = st == IL_OK && pages > 1 ? malloc(len + 1) : NULL;
    if (st == IL_OK && pages > 1 && copy == NULL) {
        st = IL_ERR_NOMEM;
    }
    for (size_t p = 0, start = 0; pages > 1 && st == IL_OK && p < pages; start = ends[p++]) {
        for (size_t i = 0; i < len; i++) {
            copy[i] = (i >= start && i < ends[p]) || data[i] == '\n' ? data[i] : ' ';
        }
        copy[len] = '\0';
        st = s_document(r, copy, len, name, diags);
    }
    free(copy);
    if (st != IL_OK) {
        il_reviews_free(r);
        return st;
    }
    *out = r;
    return IL_OK;
}

enum il_status il_reviews_load_file(const char *path, struct il_reviews **out, struct il_diags *diags) {
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    enum il_status st = il_read_file(path, S_REVIEWS_MAX_BYTES, &data, &len);
    if (st != IL_OK) {
        IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_GATE_NOT_VERIFIED), path, 0, 0, NULL,
                             "cannot read reviews file `%s`: %s", path,
                             st == IL_ERR_NOTFOUND ? "no such file"
                             : st == IL_ERR_LIMIT  ? "larger than 16 MiB"
                                                   : "cannot read it"));
        return st;
    }
    st = il_reviews_load_data(data, len, path, out, diags);
    free(data);
    return st;
}

const char *il_reviews_forge(const struct il_reviews *r) {
    return r->forge;
}

int il_reviews_approved(const struct il_reviews *r, const char *login) {
    if (login != NULL && login[0] == '@') {
        login++;
    }
    for (size_t i = 0; login != NULL && i < r->count; i++) {
        if (r->logins[i].approved && il_policy_ieq(r->logins[i].login, login)) {
            return 1;
        }
    }
    return 0;
}

size_t il_reviews_count(const struct il_reviews *r) {
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++) {
        n += r->logins[i].approved;
    }
    return n;
}
