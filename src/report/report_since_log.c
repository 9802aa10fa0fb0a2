/* The change log `apply --log` writes (schema/apply-log.schema.json): one JSON object per line with time, action
 * add/remove, function_arn, tag_key/tag_value, result and the entry's file and line. Flat spellings (ledger_file,
 * ledger_line, tag.key) are read too; a line without time, action or function_arn is a located error. */
#include <stdlib.h>
#include <string.h>

#include "il/date.h"
#include "il/doc/json.h"
#include "il/rules.h"
#include "report/report_since_internal.h"

#define S_LOG_MAX_BYTES ((size_t)64 << 20)
#define S_LOG_MAX_LINES 1000000u

static int s_digits(const char *s, size_t n, long *out) {
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int il_since_parse_time(const char *t, long long *out) {
    struct il_date d;
    long hh = 0, mm = 0, ss = 0, oh = 0, om = 0;
    if (t == NULL || strlen(t) < 10 || il_date_parse(t, 10, &d) != IL_OK) {
        return -1;
    }
    const char *p = t + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        if (strlen(p) < 9 || !s_digits(p + 1, 2, &hh) || p[3] != ':' || !s_digits(p + 4, 2, &mm) || p[6] != ':' ||
            !s_digits(p + 7, 2, &ss) || hh > 23 || mm > 59 || ss > 60) {
            return -1;
        }
        p += 9;
        if (*p == '.') {
            p += 1 + strspn(p + 1, "0123456789");
        }
        if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1;
            if (strlen(p) != 6 || !s_digits(p + 1, 2, &oh) || p[3] != ':' || !s_digits(p + 4, 2, &om)) {
                return -1;
            }
            oh *= sign;
            om *= sign;
            p += 6;
        } else if (*p == 'Z' || *p == 'z') {
            p++;
        } else {
            return -1;
        }
    }
    if (*p != '\0') {
        return -1;
    }
    *out = (long long)il_date_to_days(&d) * 86400 + hh * 3600 + mm * 60 + ss - oh * 3600 - om * 60;
    return 0;
}

static const char *s_str(const struct il_node *obj, const char *key, const char *nested, const char *sub) {
    const struct il_node *n = il_node_get(obj, key);
    if (n == NULL && nested != NULL) {
        const struct il_node *o = il_node_get(obj, nested);
        n = o && il_node_type(o) == IL_NODE_OBJECT ? il_node_get(o, sub) : NULL;
    }
    return n && il_node_type(n) == IL_NODE_STRING ? il_node_str(n, NULL) : NULL;
}

static enum il_status s_bad(struct il_diags *diags, const char *path, unsigned line, unsigned col, const char *what) {
    IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_SCHEMA), path, line, col ? col : 1, NULL,
                         "change log: %s", what));
    return IL_ERR_INVALID;
}

/* One line: parsed, checked, kept when at or after @p since_time. */
static enum il_status s_line(struct il_since_build *b, const char *path, unsigned lineno, const char *text, size_t len,
                             long long since_time, struct il_diags *diags) {
    struct il_diags *scratch = il_diags_new();
    struct il_doc *doc = NULL;
    if (scratch == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = il_json_load(text, len, path, &doc, scratch);
    if (st != IL_OK) {
        const struct il_diag *why = il_diags_count(scratch) ? il_diags_get(scratch, 0) : NULL;
        st = st == IL_ERR_NOMEM ? st
                                : s_bad(diags, path, lineno, why ? why->column : 1, why ? why->message : "not JSON");
        il_diags_free(scratch); /* after s_bad(): why points into it */
        return st;
    }
    il_diags_free(scratch);
    const struct il_node *o = il_doc_root(doc);
    const char *time = NULL, *action = NULL, *arn = NULL;
    long long when = 0;
    if (il_node_type(o) != IL_NODE_OBJECT) {
        st = s_bad(diags, path, lineno, 1, "each line must be a JSON object");
    } else if ((time = s_str(o, "time", NULL, NULL)) == NULL || il_since_parse_time(time, &when) != 0) {
        st = s_bad(diags, path, lineno, 1, "`time` must be an RFC 3339 date-time (2026-11-30T10:00:00Z)");
    } else if ((action = s_str(o, "action", NULL, NULL)) == NULL ||
               (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0)) {
        st = s_bad(diags, path, lineno, 1, "`action` must be \"add\" or \"remove\"");
    } else if ((arn = s_str(o, "function_arn", NULL, NULL)) == NULL) {
        st = s_bad(diags, path, lineno, 1, "`function_arn` is missing");
    } else if (when >= since_time) {
        if (b->pub.n_tags == b->cap_tags) {
            size_t cap = b->cap_tags ? b->cap_tags * 2 : 32;
            struct il_since_tag *n = realloc(b->tags, cap * sizeof(*n));
            if (n == NULL) {
                il_doc_free(doc);
                return IL_ERR_NOMEM;
            }
            b->tags = n;
            b->cap_tags = cap;
        }
        /* apply --log (schema/apply-log.schema.json) writes the entry's place as entry.{file,line} */
        const struct il_node *ent = il_node_get(o, "entry");
        const struct il_node *ln = ent && il_node_type(ent) == IL_NODE_OBJECT ? il_node_get(ent, "line") : NULL;
        if (ln == NULL && (ln = il_node_get(o, "ledger_line")) == NULL) {
            const struct il_node *lo = il_node_get(o, "ledger");
            ln = lo && il_node_type(lo) == IL_NODE_OBJECT ? il_node_get(lo, "line") : il_node_get(o, "line");
        }
        struct il_since_tag *t = &b->tags[b->pub.n_tags++];
        t->time = il_since_keep(b, time);
        t->action = il_since_keep(b, action);
        t->function_arn = il_since_keep(b, arn);
        t->tag_key = il_since_keep(b, s_str(o, "tag_key", "tag", "key") ? s_str(o, "tag_key", "tag", "key")
                                                                        : s_str(o, "key", NULL, NULL));
        t->tag_value = il_since_keep(b, s_str(o, "tag_value", "tag", "value") ? s_str(o, "tag_value", "tag", "value")
                                                                              : s_str(o, "value", NULL, NULL));
        t->result = il_since_keep(b, s_str(o, "result", NULL, NULL));
        const char *file = s_str(o, "ledger_file", "entry", "file");
        file = file ? file : s_str(o, "ledger_file", "ledger", "file");
        t->ledger_file = il_since_keep(b, file ? file : s_str(o, "file", NULL, NULL));
        t->ledger_line = ln && il_node_type(ln) == IL_NODE_NUMBER && il_node_is_integer(ln) && il_node_number(ln) > 0 &&
                                 il_node_number(ln) < 4e9
                             ? (unsigned)il_node_number(ln)
                             : 0;
    }
    il_doc_free(doc);
    return st;
}

enum il_status il_since_read_log(struct il_since_build *b, const char *path, long long since_time,
                                 struct il_diags *diags) {
    char *data = NULL;
    size_t len = 0;
    enum il_status st = il_read_file(path, S_LOG_MAX_BYTES, &data, &len);
    if (st != IL_OK) {
        IL_TRY(il_diags_addf(diags, IL_SEV_ERROR, il_rule_id_str(IL_RULE_SCHEMA), path, 0, 0, NULL,
                             "cannot read change log `%s`: %s", path,
                             st == IL_ERR_NOTFOUND ? "no such file"
                             : st == IL_ERR_LIMIT  ? "larger than 64 MiB"
                                                   : "cannot read it"));
        return st;
    }
    unsigned lineno = 0;
    for (size_t at = 0; at < len && st == IL_OK;) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (data + at)) : len - at;
        if (++lineno > S_LOG_MAX_LINES) {
            st = s_bad(diags, path, lineno, 1, "more than 1000000 lines");
            break;
        }
        size_t blank = strspn(data + at, " \t\r");
        if (blank < n) {
            st = s_line(b, path, lineno, data + at, n, since_time, diags);
        }
        at += n + 1;
    }
    free(data);
    return st;
}
