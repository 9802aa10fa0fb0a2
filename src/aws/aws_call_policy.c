/*
 * `inspector-ledger iam-policy`: the least-privilege policy, built from the operations table (aws_call_ops.c) the
 * calls are set up from, so it can name neither more nor less than the code can call.
 */
#include <stdarg.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "il/aws/ops.h"
#include "il/escape.h"

static const struct {
    unsigned use;
    const char *sid;
} s_uses[] = {
    {IL_IAM_USE_READ, "Read"},
    {IL_IAM_USE_APPLY, "ApplyTags"},
    {IL_IAM_USE_COVERAGE, "Coverage"},
    {IL_IAM_USE_ORGANIZATION, "Organization"},
    {IL_IAM_USE_ASSUME_ROLE, "AssumeRole"},
};

static enum il_status s_invalid(struct il_buf *why, const char *fmt, ...) IL_PRINTF(2, 3);
static enum il_status s_invalid(struct il_buf *why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    IL_STICKY(il_buf_vprintf(why, fmt, ap));
    va_end(ap);
    return IL_ERR_INVALID;
}

static int s_digits12(const char *s) {
    size_t n = strspn(s, "0123456789");
    return n == 12 && s[n] == '\0';
}

static int s_plain(const char *s) { /* a partition, a role name: no characters that would change the ARN's shape */
    return s[0] != '\0' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-/") == strlen(s);
}

static enum il_status s_check(const struct il_iam_policy_opts *o, const char *partition, struct il_buf *why) {
    if (!s_plain(partition) || strchr(partition, '/') != NULL) {
        return s_invalid(why, "invalid partition '%s'", partition);
    }
    for (size_t i = 0; i < o->account_count; i++) {
        if (!s_digits12(o->accounts[i])) {
            return s_invalid(why, "invalid account '%s': use the 12-digit account ID", o->accounts[i]);
        }
    }
    if (o->role_name && !s_plain(o->role_name)) {
        return s_invalid(why, "invalid role name '%s'", o->role_name);
    }
    if (o->role_arn_template && strstr(o->role_arn_template, "{account}") == NULL) {
        return s_invalid(why, "the role ARN template has no '{account}'");
    }
    if ((o->uses & IL_IAM_USE_ASSUME_ROLE) && !o->role_name && !o->role_arn_template && !o->role_arn) {
        return s_invalid(why, "the assume-role policy needs the role: --role-name NAME, --role-arn-template T or "
                              "--role-arn ARN");
    }
    return IL_OK;
}

/* The template with "{account}" replaced by @p account. */
static void s_template(struct il_buf *out, const char *tpl, const char *account) {
    const char *at = strstr(tpl, "{account}");
    IL_STICKY(il_buf_append(out, tpl, (size_t)(at - tpl)));
    IL_STICKY(il_buf_puts(out, account));
    IL_STICKY(il_buf_puts(out, at + strlen("{account}")));
}

/* One Resource string (quoted). */
static void s_resource(struct il_buf *out, enum il_iam_resource kind, const struct il_iam_policy_opts *o,
                       const char *partition, const char *account, int which) {
    struct il_buf arn;
    il_buf_init(&arn, 2048);
    if (kind == IL_IAM_RESOURCE_FUNCTION) {
        IL_STICKY(il_buf_printf(&arn, "arn:%s:lambda:*:%s:function:*", partition, account));
    } else if (which == 0 && o->role_arn) {
        IL_STICKY(il_buf_puts(&arn, o->role_arn));
    } else if (o->role_arn_template) {
        s_template(&arn, o->role_arn_template, account);
    } else {
        IL_STICKY(il_buf_printf(&arn, "arn:%s:iam::%s:role/%s", partition, account, o->role_name));
    }
    IL_STICKY(il_escape_json(out, il_buf_cstr(&arn)));
    IL_STICKY(il_buf_status(&arn));
    il_buf_release(&arn);
}

static void s_resources(struct il_buf *out, enum il_iam_resource kind, const struct il_iam_policy_opts *o,
                        const char *partition) {
    if (kind == IL_IAM_RESOURCE_ANY) {
        IL_STICKY(il_buf_puts(out, "\"*\""));
        return;
    }
    IL_STICKY(il_buf_putc(out, '['));
    const char *sep = "";
    if (kind == IL_IAM_RESOURCE_ROLE && o->role_arn) {
        IL_STICKY(il_buf_puts(out, "\n        "));
        s_resource(out, kind, o, partition, "*", 0);
        sep = ",";
    }
    if (kind == IL_IAM_RESOURCE_FUNCTION || o->role_name || o->role_arn_template) {
        size_t n = o->account_count ? o->account_count : 1;
        for (size_t i = 0; i < n; i++) {
            IL_STICKY(il_buf_printf(out, "%s\n        ", sep));
            s_resource(out, kind, o, partition, o->account_count ? o->accounts[i] : "*", 1);
            sep = ",";
        }
    }
    IL_STICKY(il_buf_puts(out, "\n      ]"));
}

/* Whether row @p i goes into the statement for (@p use, @p kind, @p tag_keys), and not into an earlier use's. */
static int s_in(size_t i, unsigned use, enum il_iam_resource kind, int tag_keys, unsigned asked) {
    const struct il_aws_op_info *op = il_aws_op((enum il_aws_op)i);
    if (!(op->uses & use) || op->resource != kind || op->tag_keys != tag_keys) {
        return 0;
    }
    return (op->uses & asked & (use - 1)) == 0; /* named once, in the first use asked for that has it */
}

/* The row indices of a statement, sorted by action name (a handful of rows: insertion sort). */
static size_t s_rows(unsigned use, enum il_iam_resource kind, int tag_keys, unsigned asked, size_t *rows) {
    size_t n = 0;
    for (size_t i = 0; i < IL_AWS_OP_COUNT; i++) {
        if (!s_in(i, use, kind, tag_keys, asked)) {
            continue;
        }
        size_t j = n++;
        while (j > 0 && strcmp(il_aws_op((enum il_aws_op)rows[j - 1])->iam_action, il_aws_op(i)->iam_action) > 0) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = i;
    }
    return n;
}

enum il_status il_iam_policy_json(const struct il_iam_policy_opts *o, struct il_buf *out, struct il_buf *why) {
    const char *partition = o->partition ? o->partition : "aws";
    unsigned asked = o->uses | IL_IAM_USE_READ;
    IL_TRY(s_check(o, partition, why));
    for (size_t u = 0; u < sizeof(s_uses) / sizeof(s_uses[0]); u++) {
        size_t rows[IL_AWS_OP_COUNT], any = 0;
        for (int k = IL_IAM_RESOURCE_ANY; k <= IL_IAM_RESOURCE_ROLE; k++) {
            any += s_rows(s_uses[u].use, (enum il_iam_resource)k, 0, asked, rows) +
                   s_rows(s_uses[u].use, (enum il_iam_resource)k, 1, asked, rows);
        }
        if ((asked & s_uses[u].use) && any == 0) {
            return s_invalid(why, "no AWS operation of this build needs the %s permissions", s_uses[u].sid);
        }
    }
    IL_STICKY(il_buf_puts(out, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": ["));
    const char *sep = "";
    for (size_t u = 0; u < sizeof(s_uses) / sizeof(s_uses[0]); u++) {
        if (!(asked & s_uses[u].use)) {
            continue;
        }
        for (int k = IL_IAM_RESOURCE_ANY; k <= IL_IAM_RESOURCE_ROLE; k++) {
            for (int tk = 0; tk <= 1; tk++) {
                size_t rows[IL_AWS_OP_COUNT];
                size_t n = s_rows(s_uses[u].use, (enum il_iam_resource)k, tk, asked, rows);
                if (n == 0) {
                    continue;
                }
                IL_STICKY(il_buf_printf(out, "%s\n    {\n      \"Sid\": \"InspectorLedger%s%s\",\n", sep, s_uses[u].sid,
                                        k == IL_IAM_RESOURCE_FUNCTION && s_uses[u].use == IL_IAM_USE_READ ? "Functions"
                                                                                                          : ""));
                IL_STICKY(il_buf_puts(out, "      \"Effect\": \"Allow\",\n      \"Action\": ["));
                for (size_t i = 0; i < n; i++) {
                    IL_STICKY(il_buf_printf(out, "%s\n        \"%s\"", i ? "," : "",
                                            il_aws_op((enum il_aws_op)rows[i])->iam_action));
                }
                IL_STICKY(il_buf_puts(out, "\n      ],\n      \"Resource\": "));
                s_resources(out, (enum il_iam_resource)k, o, partition);
                if (tk && o->tag_key_count) {
                    IL_STICKY(il_buf_puts(out, ",\n      \"Condition\": {\n        \"ForAllValues:StringEquals\": "
                                               "{\n          \"aws:TagKeys\": ["));
                    for (size_t i = 0; i < o->tag_key_count; i++) {
                        IL_STICKY(il_buf_puts(out, i ? ", " : ""));
                        IL_STICKY(il_escape_json(out, o->tag_keys[i]));
                    }
                    IL_STICKY(il_buf_puts(out, "]\n        }\n      }"));
                }
                IL_STICKY(il_buf_puts(out, "\n    }"));
                sep = ",";
            }
        }
    }
    return il_buf_puts(out, "\n  ]\n}\n");
}
