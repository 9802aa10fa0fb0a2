/* The endpoint rule-set evaluator (aws_rules.h), following botocore's endpoint_provider.py for the subset used. */
#include <cjson/cJSON.h>

#include "aws/aws_rules.h"
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "il/aws/endpoint.h"
#include "il/embedded.h"

#define S_MAX_VARS 32
#define S_MAX_DEPTH 32

enum s_kind { S_UNSET = 0, S_STR, S_BOOL, S_OBJ };

struct s_value {
    enum s_kind kind;
    int b;
    const cJSON *obj; /* S_OBJ: a partition's merged outputs (owned by the evaluator's pool) */
    char *s;          /* S_STR: owned by the value */
};

struct s_var {
    const char *name; /* borrowed from the rule set or static */
    struct s_value v;
};

struct s_eval {
    struct s_var vars[S_MAX_VARS];
    size_t nvars;
    cJSON *pool; /* partition outputs built by aws.partition, freed at the end */
    struct il_buf *why;
    enum il_status fail; /* IL_OK while evaluation can go on */
};

static void s_value_clear(struct s_value *v) {
    free(v->s);
    memset(v, 0, sizeof(*v));
}

static struct s_value s_str(struct s_eval *e, const char *s) {
    struct s_value v = {.kind = S_STR, .s = il_strdup(s)};
    if (v.s == NULL) {
        e->fail = IL_ERR_NOMEM;
        v.kind = S_UNSET;
    }
    return v;
}

static void s_broken(struct s_eval *e, const char *what, const char *detail) {
    if (e->fail == IL_OK) {
        e->fail = IL_ERR_INTERNAL;
        il_buf_say(e->why, "endpoint rule set: %s%s%s", what, detail ? " " : "", detail ? detail : "");
    }
}

static const struct s_value *s_lookup(const struct s_eval *e, const char *name) {
    for (size_t i = e->nvars; i > 0; i--) {
        if (strcmp(e->vars[i - 1].name, name) == 0) {
            return &e->vars[i - 1].v;
        }
    }
    return NULL;
}

static void s_bind(struct s_eval *e, const char *name, struct s_value v) {
    if (e->nvars >= S_MAX_VARS) {
        s_value_clear(&v);
        s_broken(e, "too many variables", NULL);
        return;
    }
    e->vars[e->nvars].name = name;
    e->vars[e->nvars++].v = v;
}

static void s_unbind_to(struct s_eval *e, size_t n) {
    while (e->nvars > n) {
        s_value_clear(&e->vars[--e->nvars].v);
    }
}

/* aws.partition: the partition's outputs, with any per-region overrides merged, as botocore does. */
static struct s_value s_partition(struct s_eval *e, const char *region) {
    struct s_value v = {0};
    const cJSON *part = il_aws_partition_json(region);
    if (part == NULL) {
        return v;
    }
    cJSON *out = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(part, "outputs"), 1);
    const cJSON *over = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(part, "regions"), region);
    const cJSON *item;
    cJSON_ArrayForEach(item, over) {
        if (out != NULL && strcmp(item->string, "description") != 0) {
            cJSON_DeleteItemFromObjectCaseSensitive(out, item->string);
            cJSON_AddItemToObject(out, item->string, cJSON_Duplicate(item, 1));
        }
    }
    if (out == NULL || !cJSON_AddItemToArray(e->pool, out)) {
        cJSON_Delete(out);
        e->fail = IL_ERR_NOMEM;
        return v;
    }
    v.kind = S_OBJ;
    v.obj = out;
    return v;
}

static struct s_value s_from_json(struct s_eval *e, const cJSON *j) {
    struct s_value v = {0};
    if (cJSON_IsString(j)) {
        return s_str(e, j->valuestring);
    }
    if (cJSON_IsBool(j)) {
        v.kind = S_BOOL;
        v.b = cJSON_IsTrue(j);
    } else if (cJSON_IsObject(j)) {
        v.kind = S_OBJ;
        v.obj = j;
    }
    return v;
}

static struct s_value s_expr(struct s_eval *e, const cJSON *x, int depth);

/* "{Region}", "{PartitionResult#dnsSuffix}", "{{" and "}}" (botocore's resolve_template_string). */
static struct s_value s_template(struct s_eval *e, const char *t) {
    struct il_buf b;
    il_buf_init(&b, 4096);
    for (const char *p = t; *p && e->fail == IL_OK; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            IL_STICKY(il_buf_putc(&b, *p++));
            continue;
        }
        if (*p != '{') {
            IL_STICKY(il_buf_putc(&b, *p));
            continue;
        }
        const char *close = strchr(p, '}');
        if (close == NULL) {
            s_broken(e, "unterminated template", t);
            break;
        }
        char name[128];
        size_t len = (size_t)(close - p - 1);
        if (len == 0 || len >= sizeof(name)) {
            s_broken(e, "bad template", t);
            break;
        }
        memcpy(name, p + 1, len);
        name[len] = '\0';
        char *attr = strchr(name, '#');
        if (attr) {
            *attr++ = '\0';
        }
        const struct s_value *v = s_lookup(e, name);
        const char *text = NULL;
        if (v && attr && v->kind == S_OBJ) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(v->obj, attr);
            text = cJSON_IsString(a) ? a->valuestring : NULL;
        } else if (v && !attr && v->kind == S_STR) {
            text = v->s;
        }
        if (text == NULL) {
            s_broken(e, "template names an unset or non-string value:", t);
            break;
        }
        IL_STICKY(il_buf_puts(&b, text));
        p = close;
    }
    struct s_value out = {0};
    if (e->fail == IL_OK && il_buf_status(&b) != IL_OK) {
        e->fail = il_buf_status(&b);
    }
    if (e->fail == IL_OK) {
        out = s_str(e, il_buf_cstr(&b));
    }
    il_buf_release(&b);
    return out;
}

static int s_truth(const struct s_value *v) {
    return v->kind == S_OBJ || v->kind == S_STR || (v->kind == S_BOOL && v->b);
}

static struct s_value s_call(struct s_eval *e, const cJSON *x, int depth) {
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(x, "fn");
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(x, "argv");
    struct s_value r = {0};
    struct s_value a[2] = {{0}, {0}};
    int n = cJSON_GetArraySize(argv);
    if (!cJSON_IsString(fn) || !cJSON_IsArray(argv) || n < 1 || n > 2) {
        s_broken(e, "bad function call", cJSON_IsString(fn) ? fn->valuestring : NULL);
        return r;
    }
    for (int i = 0; i < n && e->fail == IL_OK; i++) {
        a[i] = s_expr(e, cJSON_GetArrayItem(argv, i), depth + 1);
    }
    const char *f = fn->valuestring;
    if (e->fail != IL_OK) {
        /* fall through to cleanup */
    } else if (strcmp(f, "isSet") == 0 && n == 1) {
        r = (struct s_value){.kind = S_BOOL, .b = a[0].kind != S_UNSET};
    } else if (strcmp(f, "not") == 0 && n == 1) {
        r = (struct s_value){.kind = S_BOOL, .b = !(a[0].kind == S_BOOL && a[0].b)};
    } else if (strcmp(f, "booleanEquals") == 0 && n == 2) {
        r = (struct s_value){.kind = S_BOOL, .b = a[0].kind == S_BOOL && a[1].kind == S_BOOL && a[0].b == a[1].b};
    } else if (strcmp(f, "stringEquals") == 0 && n == 2) {
        r = (struct s_value){.kind = S_BOOL,
                             .b = a[0].kind == S_STR && a[1].kind == S_STR && strcmp(a[0].s, a[1].s) == 0};
    } else if (strcmp(f, "getAttr") == 0 && n == 2 && a[1].kind == S_STR) {
        if (strpbrk(a[1].s, ".[") != NULL) {
            s_broken(e, "getAttr path not supported:", a[1].s);
        } else if (a[0].kind == S_OBJ) {
            r = s_from_json(e, cJSON_GetObjectItemCaseSensitive(a[0].obj, a[1].s));
        }
    } else if (strcmp(f, "aws.partition") == 0 && n == 1) {
        if (a[0].kind == S_STR) {
            r = s_partition(e, a[0].s);
        }
    } else {
        s_broken(e, "unsupported function", f);
    }
    s_value_clear(&a[0]);
    s_value_clear(&a[1]);
    return r;
}

static struct s_value s_expr(struct s_eval *e, const cJSON *x, int depth) {
    struct s_value v = {0};
    if (depth > S_MAX_DEPTH) {
        s_broken(e, "nested too deeply", NULL);
        return v;
    }
    if (cJSON_IsString(x)) {
        return s_template(e, x->valuestring);
    }
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(x, "ref");
    if (cJSON_IsString(ref)) {
        const struct s_value *bound = s_lookup(e, ref->valuestring);
        if (bound == NULL) {
            s_broken(e, "reference to an unknown name", ref->valuestring);
        } else if (bound->kind == S_STR) {
            return s_str(e, bound->s);
        } else {
            v = *bound;
            v.s = NULL;
        }
        return v;
    }
    if (cJSON_IsObject(x) && cJSON_GetObjectItemCaseSensitive(x, "fn") != NULL) {
        return s_call(e, x, depth);
    }
    return s_from_json(e, x);
}

struct s_result {
    char *url;
    char *signing_region;
    int done; /* an endpoint or an error rule was reached */
};

static void s_endpoint(struct s_eval *e, const cJSON *ep, struct s_result *res) {
    struct s_value url = s_expr(e, cJSON_GetObjectItemCaseSensitive(ep, "url"), 0);
    if (e->fail == IL_OK && url.kind != S_STR) {
        s_broken(e, "endpoint url is not a string", NULL);
    }
    const cJSON *schemes =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ep, "properties"), "authSchemes");
    const cJSON *region = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(schemes, 0), "signingRegion");
    if (e->fail == IL_OK && region != NULL) {
        struct s_value r = s_expr(e, region, 0);
        if (r.kind == S_STR) {
            res->signing_region = r.s;
            r.s = NULL;
        }
        s_value_clear(&r);
    }
    if (e->fail == IL_OK) {
        res->url = url.s;
        url.s = NULL;
        res->done = 1;
    }
    s_value_clear(&url);
}

static void s_rules(struct s_eval *e, const cJSON *rules, int depth, struct s_result *res) {
    const cJSON *rule;
    if (depth > S_MAX_DEPTH) {
        s_broken(e, "rules nested too deeply", NULL);
        return;
    }
    cJSON_ArrayForEach(rule, rules) {
        size_t mark = e->nvars;
        int ok = 1;
        const cJSON *cond;
        cJSON_ArrayForEach(cond, cJSON_GetObjectItemCaseSensitive(rule, "conditions")) {
            struct s_value v = s_call(e, cond, 0);
            const cJSON *assign = cJSON_GetObjectItemCaseSensitive(cond, "assign");
            ok = e->fail == IL_OK && s_truth(&v);
            if (ok && cJSON_IsString(assign)) {
                s_bind(e, assign->valuestring, v);
            } else {
                s_value_clear(&v);
            }
            if (!ok) {
                break;
            }
        }
        if (ok) {
            const cJSON *type = cJSON_GetObjectItemCaseSensitive(rule, "type");
            const char *t = cJSON_IsString(type) ? type->valuestring : "";
            if (strcmp(t, "tree") == 0) {
                s_rules(e, cJSON_GetObjectItemCaseSensitive(rule, "rules"), depth + 1, res);
            } else if (strcmp(t, "endpoint") == 0) {
                s_endpoint(e, cJSON_GetObjectItemCaseSensitive(rule, "endpoint"), res);
            } else if (strcmp(t, "error") == 0) {
                struct s_value msg = s_expr(e, cJSON_GetObjectItemCaseSensitive(rule, "error"), 0);
                if (e->fail == IL_OK) {
                    e->fail = IL_ERR_INVALID;
                    il_buf_say(e->why, "%s", msg.kind == S_STR ? msg.s : "the endpoint rule set refuses this");
                }
                s_value_clear(&msg);
                res->done = 1;
            } else {
                s_broken(e, "unknown rule type", t);
            }
        }
        s_unbind_to(e, mark);
        if (res->done || e->fail != IL_OK) {
            return;
        }
    }
}

/* Parsed once per process and kept, like partitions.json: every client resolves each service. */
static const cJSON *s_ruleset(const char *name) {
    static struct {
        const char *name;
        cJSON *root;
    } s_cache[8];
    for (size_t i = 0; i < sizeof(s_cache) / sizeof(s_cache[0]); i++) {
        if (s_cache[i].name != NULL && strcmp(s_cache[i].name, name) == 0) {
            return s_cache[i].root;
        }
        if (s_cache[i].name == NULL) {
            size_t len = 0;
            const char *text = il_embedded_get(name, &len);
            cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
            if (root != NULL) {
                s_cache[i].name = name;
                s_cache[i].root = root;
            }
            return root;
        }
    }
    return NULL;
}

enum il_status il_rules_resolve(const char *ruleset, const struct il_rules_params *params, char **url_out,
                                char **signing_region_out, struct il_buf *why) {
    *url_out = NULL;
    *signing_region_out = NULL;
    const cJSON *root = s_ruleset(ruleset);
    if (root == NULL) {
        il_buf_say(why, "endpoint rule set %s is not embedded", ruleset);
        return IL_ERR_INTERNAL;
    }
    struct s_eval e = {.why = why, .pool = cJSON_CreateArray()};
    if (e.pool == NULL) {
        return IL_ERR_NOMEM;
    }
    /* parameters: the built-ins, then each declared parameter's default when unset */
    const cJSON *param;
    cJSON_ArrayForEach(param, cJSON_GetObjectItemCaseSensitive(root, "parameters")) {
        const cJSON *builtin = cJSON_GetObjectItemCaseSensitive(param, "builtIn");
        const char *b = cJSON_IsString(builtin) ? builtin->valuestring : "";
        struct s_value v = {0};
        if (strcmp(b, "AWS::Region") == 0 && params->region) {
            v = s_str(&e, params->region);
        } else if (strcmp(b, "SDK::Endpoint") == 0 && params->endpoint) {
            v = s_str(&e, params->endpoint);
        } else if (strcmp(b, "AWS::UseFIPS") == 0) {
            v = (struct s_value){.kind = S_BOOL, .b = params->use_fips != 0};
        } else if (strcmp(b, "AWS::UseDualStack") == 0) {
            v = (struct s_value){.kind = S_BOOL, .b = params->use_dualstack != 0};
        } else if (strcmp(b, "AWS::STS::UseGlobalEndpoint") == 0) {
            v = (struct s_value){.kind = S_BOOL, .b = params->use_global_endpoint != 0};
        } else {
            v = s_from_json(&e, cJSON_GetObjectItemCaseSensitive(param, "default"));
        }
        s_bind(&e, param->string, v);
    }
    struct s_result res = {0};
    if (e.fail == IL_OK) {
        s_rules(&e, cJSON_GetObjectItemCaseSensitive(root, "rules"), 0, &res);
    }
    if (e.fail == IL_OK && !res.done) {
        s_broken(&e, "no rule matched", NULL);
    }
    s_unbind_to(&e, 0);
    cJSON_Delete(e.pool);
    if (e.fail != IL_OK) {
        free(res.url);
        free(res.signing_region);
        return e.fail;
    }
    *url_out = res.url;
    *signing_region_out = res.signing_region;
    return IL_OK;
}
