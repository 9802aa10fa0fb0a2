/* STS: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity over the query protocol. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws_call.h"
#include "aws/aws_sticky.h"
#include "aws/aws_xml.h"
#include "il/aws/sts.h"

#define S_FORM "application/x-www-form-urlencoded; charset=utf-8"
#define S_MAX_FIELD 4096 /* session tokens are ~1 KiB; anything far longer is not an STS answer */

/* Wipe a buffer that held a secret before freeing it; volatile so the stores are not optimised away. */
static void s_wipe(struct il_buf *b) {
    volatile char *p = b->data;
    for (size_t i = 0; p && i < b->cap; i++) {
        p[i] = 0;
    }
    il_buf_release(b);
}

void il_sts_identity_release(struct il_sts_identity *identity) {
    if (identity == NULL) {
        return;
    }
    free(identity->account);
    free(identity->arn);
    free(identity->user_id);
    memset(identity, 0, sizeof(*identity));
}

void il_sts_assumed_release(struct il_sts_assumed *assumed) {
    if (assumed == NULL) {
        return;
    }
    il_credentials_free(assumed->credentials);
    free(assumed->assumed_role_arn);
    memset(assumed, 0, sizeof(*assumed));
}

static int s_digits(const char *p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

enum il_status il_sts_parse_time(const char *text, int64_t *out) {
    int y, mo, d, h, mi, s;
    if (strlen(text) < 20 || !s_digits(text, 4, &y) || text[4] != '-' || !s_digits(text + 5, 2, &mo) ||
        text[7] != '-' || !s_digits(text + 8, 2, &d) || text[10] != 'T' || !s_digits(text + 11, 2, &h) ||
        text[13] != ':' || !s_digits(text + 14, 2, &mi) || text[16] != ':' || !s_digits(text + 17, 2, &s)) {
        return IL_ERR_PARSE;
    }
    const char *rest = text + 19;
    if (*rest == '.') {
        rest++;
        while (*rest >= '0' && *rest <= '9') {
            rest++;
        }
    }
    if (strcmp(rest, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
        return IL_ERR_PARSE;
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s};
    time_t t = timegm(&tm);
    if (t == (time_t)-1) {
        return IL_ERR_PARSE;
    }
    *out = (int64_t)t;
    return IL_OK;
}

/* The text of <name> inside [xml, xml+len) into a new string (bounded). */
static enum il_status s_field(struct il_aws_call *call, const char *xml, size_t len, const char *name, char **out) {
    struct il_buf b;
    il_buf_init(&b, S_MAX_FIELD);
    enum il_status st = il_xml_text(xml, len, name, &b);
    if (st != IL_OK) {
        s_wipe(&b);
        return il_aws_call_fail(call, st == IL_ERR_NOMEM ? st : IL_ERR_PARSE, "malformed response: <%s> %s", name,
                                st == IL_ERR_NOTFOUND ? "is missing" : "is not valid text");
    }
    *out = il_strndup(b.data ? b.data : "", b.len);
    s_wipe(&b);
    return *out ? IL_OK : IL_ERR_NOMEM;
}

static enum il_status s_result(struct il_aws_call *call, const struct il_http_response *resp, const char *wrapper,
                               const char **inner, size_t *inner_len) {
    if (resp->body.len == 0 || il_xml_has_dtd(resp->body.data, resp->body.len) ||
        !il_xml_find(resp->body.data, resp->body.len, wrapper, inner, inner_len)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: no complete <%s> element (%zu bytes)", wrapper,
                                resp->body.len);
    }
    /* one answer per body: a second result (two documents back to back) could name another account */
    const char *rest = *inner + *inner_len;
    size_t rest_len = resp->body.len - (size_t)(rest - resp->body.data);
    size_t wlen = strlen(wrapper);
    for (const char *p = rest; rest_len > wlen && (p = memchr(p, '<', rest_len - (size_t)(p - rest))) != NULL; p++) {
        size_t left = rest_len - (size_t)(p - rest);
        if (left > wlen + 1 && memcmp(p + 1, wrapper, wlen) == 0 &&
            (p[wlen + 1] == '>' || p[wlen + 1] == ' ' || p[wlen + 1] == '/' || p[wlen + 1] == '\t' ||
             p[wlen + 1] == '\n' || p[wlen + 1] == '\r')) {
            return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: more than one <%s> element", wrapper);
        }
    }
    return IL_OK;
}

static enum il_status s_identity_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    struct il_sts_identity *out = call->ctx;
    struct il_sts_identity id = {0};
    const char *inner = NULL;
    size_t len = 0;
    *more = 0;
    IL_TRY(s_result(call, resp, "GetCallerIdentityResult", &inner, &len));
    enum il_status st;
    if ((st = s_field(call, inner, len, "Account", &id.account)) != IL_OK ||
        (st = s_field(call, inner, len, "Arn", &id.arn)) != IL_OK ||
        (st = s_field(call, inner, len, "UserId", &id.user_id)) != IL_OK) {
        il_sts_identity_release(&id);
        return st;
    }
    il_sts_identity_release(out);
    *out = id;
    return IL_OK;
}

static enum il_status s_setup(struct il_aws_call *call, struct il_aws_client *client, enum il_aws_op op) {
    IL_TRY(il_aws_call_init(call, client, op));
    const char *action = call->operation;
    call->content_type = S_FORM;
    call->xml_errors = 1;
    call->sensitive = 1;
    IL_STICKY(il_buf_putc(&call->path, '/'));
    IL_STICKY(il_buf_printf(&call->body, "Action=%s&Version=2011-06-15", action));
    return il_buf_status(&call->body);
}

enum il_status il_sts_get_caller_identity(struct il_aws_client *client, struct il_sts_identity *out,
                                          struct il_aws_error *err) {
    struct il_aws_call call;
    memset(out, 0, sizeof(*out));
    enum il_status st = s_setup(&call, client, IL_AWS_OP_STS_GET_CALLER_IDENTITY);
    if (st == IL_OK) {
        call.on_page = s_identity_page;
        call.ctx = out;
        st = il_aws_call_run(&call);
    }
    if (st != IL_OK) {
        il_sts_identity_release(out);
    }
    return il_aws_call_finish(&call, st, err);
}

struct s_assume_ctx {
    const char *wrapper;
    struct il_sts_assumed *out;
};

static enum il_status s_assume_page(struct il_aws_call *call, const struct il_http_response *resp, int *more) {
    struct s_assume_ctx *ctx = call->ctx;
    const char *inner = NULL, *creds = NULL;
    size_t len = 0, creds_len = 0;
    char *key = NULL, *secret = NULL, *token = NULL, *expiration = NULL, *arn = NULL;
    struct il_credentials *made = NULL;
    int64_t exp = 0;
    *more = 0;
    enum il_status st = s_result(call, resp, ctx->wrapper, &inner, &len);
    if (st != IL_OK) {
        return st;
    }
    if (!il_xml_find(inner, len, "Credentials", &creds, &creds_len)) {
        return il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: no <Credentials>");
    }
    const char *user = NULL;
    size_t user_len = 0;
    if ((st = s_field(call, creds, creds_len, "AccessKeyId", &key)) != IL_OK ||
        (st = s_field(call, creds, creds_len, "SecretAccessKey", &secret)) != IL_OK ||
        (st = s_field(call, creds, creds_len, "SessionToken", &token)) != IL_OK ||
        (st = s_field(call, creds, creds_len, "Expiration", &expiration)) != IL_OK) {
        goto cleanup;
    }
    if (il_sts_parse_time(expiration, &exp) != IL_OK) {
        st = il_aws_call_fail(call, IL_ERR_PARSE, "malformed response: <Expiration> is not a timestamp");
        goto cleanup;
    }
    if (il_xml_find(inner, len, "AssumedRoleUser", &user, &user_len) &&
        (st = s_field(call, user, user_len, "Arn", &arn)) != IL_OK) {
        goto cleanup;
    }
    if ((st = il_credentials_new(key, secret, token, exp, &made)) != IL_OK) {
        goto cleanup;
    }
    il_sts_assumed_release(ctx->out);
    ctx->out->credentials = made;
    ctx->out->assumed_role_arn = arn;
    ctx->out->expiration = exp;
    arn = NULL;
cleanup:
    if (secret) {
        memset(secret, 0, strlen(secret));
    }
    if (token) {
        memset(token, 0, strlen(token));
    }
    free(key);
    free(secret);
    free(token);
    free(expiration);
    free(arn);
    return st;
}

static void s_param(struct il_buf *body, const char *name, const char *value) {
    IL_STICKY(il_buf_printf(body, "&%s=", name));
    IL_STICKY(il_aws_uri_encode(body, value));
}

static enum il_status s_assume(struct il_aws_client *client, enum il_aws_op op, const char *wrapper,
                               const struct il_sts_assume_role_params *p, struct il_sts_assumed *out,
                               struct il_aws_error *err) {
    struct il_aws_call call;
    struct s_assume_ctx ctx = {.wrapper = wrapper, .out = out};
    memset(out, 0, sizeof(*out));
    const char *action = il_aws_op(op)->operation;
    enum il_status st = s_setup(&call, client, op);
    if (st == IL_OK && (p->role_arn == NULL || p->session_name == NULL)) {
        st = il_aws_call_fail(&call, IL_ERR_INVALID, "a role ARN and a session name are required");
    }
    if (st == IL_OK) {
        s_param(&call.body, "RoleArn", p->role_arn);
        s_param(&call.body, "RoleSessionName", p->session_name);
        if (p->duration_seconds > 0) {
            IL_STICKY(il_buf_printf(&call.body, "&DurationSeconds=%d", p->duration_seconds));
        }
        if (p->external_id && strcmp(action, "AssumeRole") == 0) {
            s_param(&call.body, "ExternalId", p->external_id);
        }
        if (p->web_identity_token && strcmp(action, "AssumeRoleWithWebIdentity") == 0) {
            s_param(&call.body, "WebIdentityToken", p->web_identity_token);
            call.anonymous = 1;
        }
        call.on_page = s_assume_page;
        call.ctx = &ctx;
        st = il_buf_status(&call.body);
        if (st == IL_OK && (st = il_aws_call_set_resource(&call, p->role_arn)) == IL_OK) {
            st = il_aws_call_run(&call);
        }
    }
    if (st != IL_OK) {
        il_sts_assumed_release(out);
    }
    return il_aws_call_finish(&call, st, err);
}

enum il_status il_sts_assume_role(struct il_aws_client *client, const struct il_sts_assume_role_params *params,
                                  struct il_sts_assumed *out, struct il_aws_error *err) {
    return s_assume(client, IL_AWS_OP_STS_ASSUME_ROLE, "AssumeRoleResult", params, out, err);
}

enum il_status il_sts_assume_role_with_web_identity(struct il_aws_client *client,
                                                    const struct il_sts_assume_role_params *params,
                                                    struct il_sts_assumed *out, struct il_aws_error *err) {
    if (params->web_identity_token == NULL) {
        return IL_ERR_INVALID;
    }
    return s_assume(client, IL_AWS_OP_STS_ASSUME_ROLE_WITH_WEB_IDENTITY, "AssumeRoleWithWebIdentityResult", params, out,
                    err);
}

/* ---- queued variant of AssumeRole ---- */

struct s_async {
    struct il_aws_call call; /* first member: the engine hands back &async->call */
    struct s_assume_ctx ctx;
    il_aws_complete_fn done;
    void *done_ctx;
};

static void s_async_done(struct il_aws_call *call) {
    struct s_async *a = (struct s_async *)call;
    if (call->error.status != IL_OK) {
        il_sts_assumed_release(a->ctx.out);
    }
    a->done(a->done_ctx, &call->error);
    il_aws_call_release(call);
    free(a);
}

enum il_status il_sts_assume_role_start(struct il_aws_client *client, const struct il_sts_assume_role_params *p,
                                        struct il_sts_assumed *out, il_aws_complete_fn done, void *ctx) {
    if (p->role_arn == NULL || p->session_name == NULL) {
        return IL_ERR_INVALID;
    }
    struct s_async *a = calloc(1, sizeof(*a));
    if (a == NULL) {
        return IL_ERR_NOMEM;
    }
    memset(out, 0, sizeof(*out));
    a->ctx = (struct s_assume_ctx){.wrapper = "AssumeRoleResult", .out = out};
    a->done = done;
    a->done_ctx = ctx;
    enum il_status st = s_setup(&a->call, client, IL_AWS_OP_STS_ASSUME_ROLE);
    if (st == IL_OK) {
        s_param(&a->call.body, "RoleArn", p->role_arn);
        s_param(&a->call.body, "RoleSessionName", p->session_name);
        if (p->duration_seconds > 0) {
            IL_STICKY(il_buf_printf(&a->call.body, "&DurationSeconds=%d", p->duration_seconds));
        }
        if (p->external_id) {
            s_param(&a->call.body, "ExternalId", p->external_id);
        }
        a->call.on_page = s_assume_page;
        a->call.on_done = s_async_done;
        a->call.ctx = &a->ctx;
        st = il_buf_status(&a->call.body);
    }
    if (st == IL_OK) {
        st = il_aws_call_set_resource(&a->call, p->role_arn);
    }
    return il_aws_call_submit_owned(&a->call, st);
}
