/*
 * il_aws: call one AWS operation through the library's client and print the result as JSON (for the integration
 * tests against the fake AWS and moto). Never prints a secret: assumed credentials are shown as the access key id
 * and expiry only.
 *
 *   il_aws [--region R] [--endpoint-url URL] [--max-attempts N] [--rate-limit N] [--concurrency N] [--debug]
 *          [--timeout-ms N] [--max-response N] OPERATION [ARGS...]
 *
 * Operations: list-functions | count-functions (streaming ListFunctions) | list-tags ARN | list-tags-all
 * (ListFunctions, then ListTags for every function as a batch) | get-function NAME... | tag-resource ARN K=V... |
 * untag-resource ARN K... | get-resources [K[=V,V]]... | get-caller-identity | assume-role ROLE_ARN SESSION
 * [EXTERNAL_ID] | assume-role-with-web-identity ROLE_ARN SESSION TOKEN_FILE | batch-get-account-status [ID...] |
 * list-coverage [SCAN_TYPE]. The assume-role operations then call GetCallerIdentity with the new credentials (through a
 * derived client) and print that identity too.
 *
 * Also: il_aws http-get URL [NAME=VALUE...] — one unsigned GET through il_http_fetch() (the IMDS/ECS path).
 *
 * Exit 0 success, 1 the AWS call failed (the error is printed as JSON on stdout), 2 usage.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/aws/client.h"
#include "il/aws/inspector2.h"
#include "il/aws/lambda.h"
#include "il/aws/sts.h"
#include "il/aws/tagging.h"

static void s_debug(void *ctx, const char *line) {
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

static void s_str(cJSON *obj, const char *key, const char *value) {
    if (value) {
        cJSON_AddStringToObject(obj, key, value);
    } else {
        cJSON_AddNullToObject(obj, key);
    }
}

static cJSON *s_tags(const struct il_tag_list *tags) {
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < tags->count; i++) {
        cJSON_AddStringToObject(o, tags->items[i].key, tags->items[i].value);
    }
    return o;
}

static cJSON *s_function(const struct il_lambda_function *f) {
    cJSON *o = cJSON_CreateObject();
    s_str(o, "name", f->name);
    s_str(o, "arn", f->arn);
    s_str(o, "runtime", f->runtime);
    s_str(o, "kms_key_arn", f->kms_key_arn);
    s_str(o, "package_type", f->package_type);
    s_str(o, "last_modified", f->last_modified);
    return o;
}

static cJSON *s_error(const struct il_aws_error *e) {
    cJSON *o = cJSON_CreateObject();
    s_str(o, "status", il_status_str(e->status));
    s_str(o, "service", e->service);
    s_str(o, "operation", e->operation);
    s_str(o, "region", e->region);
    s_str(o, "resource", e->resource);
    cJSON_AddNumberToObject(o, "http_status", e->http_status);
    s_str(o, "code", e->code);
    s_str(o, "message", e->message);
    s_str(o, "request_id", e->request_id);
    s_str(o, "missing_action", e->missing_action);
    cJSON_AddNumberToObject(o, "attempts", e->attempts);
    struct il_buf d;
    il_buf_init(&d, 0);
    if (il_aws_error_describe(e, &d) == IL_OK) {
        s_str(o, "description", il_buf_cstr(&d));
    }
    il_buf_release(&d);
    return o;
}

struct s_opts {
    const char *region;
    const char *endpoint_url;
    unsigned max_attempts;
    double rate_limit;
    unsigned concurrency;
    long timeout_ms;
    size_t max_response;
    int debug;
};

static int s_usage(void) {
    fprintf(stderr, "usage: il_aws [--region R] [--endpoint-url URL] [--max-attempts N] [--rate-limit N] "
                    "[--concurrency N] [--timeout-ms N] [--max-response N] [--debug] OPERATION [ARGS...]\n");
    return 2;
}

static int s_parse_opts(int argc, char **argv, struct s_opts *o, int *next) {
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(a, "--debug") == 0) {
            o->debug = 1;
            continue;
        }
        if (v == NULL) {
            return 0;
        }
        i++;
        if (strcmp(a, "--region") == 0) {
            o->region = v;
        } else if (strcmp(a, "--endpoint-url") == 0) {
            o->endpoint_url = v;
        } else if (strcmp(a, "--max-attempts") == 0) {
            if (il_aws_parse_max_attempts(v, &o->max_attempts) != IL_OK) {
                return 0;
            }
        } else if (strcmp(a, "--rate-limit") == 0) {
            if (il_aws_parse_rate_limit(v, &o->rate_limit) != IL_OK) {
                return 0;
            }
        } else if (strcmp(a, "--concurrency") == 0) {
            unsigned long long n = strtoull(v, &end, 10);
            if (*end || n == 0 || n > 256) {
                return 0;
            }
            o->concurrency = (unsigned)n;
        } else if (strcmp(a, "--timeout-ms") == 0) {
            unsigned long long n = strtoull(v, &end, 10);
            if (*end || n == 0) {
                return 0;
            }
            o->timeout_ms = (long)n;
        } else if (strcmp(a, "--max-response") == 0) {
            unsigned long long n = strtoull(v, &end, 10);
            if (*end || n == 0) {
                return 0;
            }
            o->max_response = (size_t)n;
        } else {
            return 0;
        }
    }
    *next = i;
    return i < argc;
}

struct s_count {
    size_t functions;
    size_t cmk;
    struct il_aws_error err;
};

static enum il_status s_count_page(void *ctx, const struct il_lambda_function *fns, size_t count) {
    struct s_count *c = ctx;
    c->functions += count;
    for (size_t i = 0; i < count; i++) {
        c->cmk += fns[i].kms_key_arn != NULL;
    }
    return IL_OK;
}

static void s_count_done(void *ctx, const struct il_aws_error *err) {
    struct s_count *c = ctx;
    if (il_aws_error_copy(&c->err, err) != IL_OK) {
        c->err.status = IL_ERR_NOMEM;
    }
}

/* Run one operation; fills *result or *err. Returns the status. */
static enum il_status s_run(struct il_aws_client *c, int argc, char **argv, cJSON *result, struct il_aws_error *err) {
    const char *op = argv[0];
    enum il_status st = IL_ERR_INVALID;
    if (strcmp(op, "list-functions") == 0) {
        struct il_lambda_function_list list;
        if ((st = il_lambda_list_functions(c, 0, &list, err)) == IL_OK) {
            cJSON *arr = cJSON_AddArrayToObject(result, "functions");
            for (size_t i = 0; i < list.count; i++) {
                cJSON_AddItemToArray(arr, s_function(&list.items[i]));
            }
            il_lambda_function_list_release(&list);
        }
    } else if (strcmp(op, "count-functions") == 0) {
        /* streaming ListFunctions: memory stays at one page however many functions there are */
        struct s_count cnt = {0};
        il_aws_error_init(&cnt.err);
        if ((st = il_lambda_list_functions_stream_start(c, 0, s_count_page, &cnt, s_count_done, &cnt)) == IL_OK) {
            st = il_aws_client_run(c);
        }
        if (st == IL_OK && cnt.err.status != IL_OK) {
            st = cnt.err.status;
            if (il_aws_error_copy(err, &cnt.err) != IL_OK) {
                st = IL_ERR_NOMEM;
            }
        }
        cJSON_AddNumberToObject(result, "functions", (double)cnt.functions);
        cJSON_AddNumberToObject(result, "cmk", (double)cnt.cmk);
        il_aws_error_release(&cnt.err);
    } else if (strcmp(op, "list-tags") == 0 && argc == 2) {
        struct il_tag_list tags;
        if ((st = il_lambda_list_tags(c, argv[1], &tags, err)) == IL_OK) {
            cJSON_AddItemToObject(result, "tags", s_tags(&tags));
            il_tag_list_release(&tags);
        }
    } else if (strcmp(op, "list-tags-all") == 0) {
        struct il_lambda_function_list list;
        if ((st = il_lambda_list_functions(c, 0, &list, err)) != IL_OK) {
            return st;
        }
        const char **arns = calloc(list.count + 1, sizeof(*arns));
        struct il_lambda_tags_result *res = calloc(list.count + 1, sizeof(*res));
        if (arns == NULL || res == NULL) {
            st = IL_ERR_NOMEM;
        } else {
            for (size_t i = 0; i < list.count; i++) {
                arns[i] = list.items[i].arn;
            }
            st = il_lambda_list_tags_batch(c, arns, list.count, res);
        }
        cJSON *arr = cJSON_AddArrayToObject(result, "results");
        size_t failed = 0;
        for (size_t i = 0; st == IL_OK && i < list.count; i++) {
            cJSON *o = cJSON_CreateObject();
            s_str(o, "arn", arns[i]);
            if (res[i].error.status == IL_OK) {
                cJSON_AddItemToObject(o, "tags", s_tags(&res[i].tags));
            } else {
                cJSON_AddItemToObject(o, "error", s_error(&res[i].error));
                failed++;
            }
            cJSON_AddItemToArray(arr, o);
        }
        for (size_t i = 0; res && i < list.count; i++) {
            il_lambda_tags_result_release(&res[i]);
        }
        cJSON_AddNumberToObject(result, "failed", (double)failed);
        free(arns);
        free(res);
        il_lambda_function_list_release(&list);
    } else if (strcmp(op, "get-function") == 0 && argc >= 2) {
        cJSON *arr = cJSON_AddArrayToObject(result, "functions");
        for (int i = 1; i < argc; i++) {
            int found = 0;
            struct il_lambda_function fn;
            struct il_tag_list tags;
            if ((st = il_lambda_get_function(c, argv[i], &found, &fn, &tags, err)) != IL_OK) {
                return st;
            }
            cJSON *o = cJSON_CreateObject();
            s_str(o, "query", argv[i]);
            cJSON_AddBoolToObject(o, "found", found);
            if (found) {
                cJSON_AddItemToObject(o, "function", s_function(&fn));
                cJSON_AddItemToObject(o, "tags", s_tags(&tags));
            }
            cJSON_AddItemToArray(arr, o);
            il_lambda_function_release(&fn);
            il_tag_list_release(&tags);
        }
    } else if (strcmp(op, "tag-resource") == 0 && argc >= 3) {
        struct il_tag tags[64];
        size_t n = 0;
        for (int i = 2; i < argc && n < 64; i++, n++) {
            char *eq = strchr(argv[i], '=');
            if (eq == NULL) {
                return IL_ERR_INVALID;
            }
            *eq = '\0';
            tags[n].key = argv[i];
            tags[n].value = eq + 1;
        }
        st = il_lambda_tag_resource(c, argv[1], tags, n, err);
    } else if (strcmp(op, "untag-resource") == 0 && argc >= 3) {
        st = il_lambda_untag_resource(c, argv[1], (const char *const *)(argv + 2), (size_t)argc - 2, err);
    } else if (strcmp(op, "get-resources") == 0) {
        struct il_tag_filter filters[50];
        const char *values[50][20];
        size_t n = 0;
        for (int i = 1; i < argc && n < 50; i++, n++) {
            char *eq = strchr(argv[i], '=');
            filters[n] = (struct il_tag_filter){argv[i], values[n], 0};
            if (eq) {
                *eq = '\0';
                for (char *v = eq + 1; v && filters[n].value_count < 20;) {
                    char *comma = strchr(v, ',');
                    if (comma) {
                        *comma = '\0';
                    }
                    values[n][filters[n].value_count++] = v;
                    v = comma ? comma + 1 : NULL;
                }
            }
        }
        struct il_tagged_resource_list list;
        if ((st = il_tagging_get_resources(c, filters, n, 0, &list, err)) == IL_OK) {
            cJSON *arr = cJSON_AddArrayToObject(result, "resources");
            for (size_t i = 0; i < list.count; i++) {
                cJSON *o = cJSON_CreateObject();
                s_str(o, "arn", list.items[i].arn);
                cJSON_AddItemToObject(o, "tags", s_tags(&list.items[i].tags));
                cJSON_AddItemToArray(arr, o);
            }
            il_tagged_resource_list_release(&list);
        }
    } else if (strcmp(op, "get-caller-identity") == 0) {
        struct il_sts_identity id;
        if ((st = il_sts_get_caller_identity(c, &id, err)) == IL_OK) {
            s_str(result, "account", id.account);
            s_str(result, "arn", id.arn);
            s_str(result, "user_id", id.user_id);
            il_sts_identity_release(&id);
        }
    } else if ((strcmp(op, "assume-role") == 0 && (argc == 3 || argc == 4)) ||
               (strcmp(op, "assume-role-with-web-identity") == 0 && argc == 4)) {
        struct il_sts_assume_role_params p = {.role_arn = argv[1], .session_name = argv[2]};
        char *token = NULL;
        struct il_sts_assumed out;
        if (strcmp(op, "assume-role") == 0) {
            p.external_id = argc == 4 ? argv[3] : NULL;
            st = il_sts_assume_role(c, &p, &out, err);
        } else {
            size_t len = 0;
            if (il_read_file(argv[3], 64 * 1024, &token, &len) != IL_OK) {
                return IL_ERR_IO;
            }
            while (len > 0 && (token[len - 1] == '\n' || token[len - 1] == '\r')) {
                token[--len] = '\0';
            }
            p.web_identity_token = token;
            st = il_sts_assume_role_with_web_identity(c, &p, &out, err);
            memset(token, 0, len);
            free(token);
        }
        if (st != IL_OK) {
            return st;
        }
        s_str(result, "access_key_id", il_credentials_access_key_id(out.credentials));
        cJSON_AddNumberToObject(result, "expiration", (double)out.expiration);
        s_str(result, "assumed_role_arn", out.assumed_role_arn);
        cJSON_AddBoolToObject(result, "has_session_token", il_credentials_session_token(out.credentials) != NULL);
        struct il_aws_client *derived = NULL;
        st = il_aws_client_derive(c, NULL, out.credentials, NULL, &derived, NULL);
        struct il_sts_identity id;
        if (st == IL_OK && (st = il_sts_get_caller_identity(derived, &id, err)) == IL_OK) {
            cJSON *who = cJSON_AddObjectToObject(result, "identity");
            s_str(who, "account", id.account);
            s_str(who, "arn", id.arn);
            il_sts_identity_release(&id);
        }
        il_aws_client_free(derived);
        il_sts_assumed_release(&out);
    } else if (strcmp(op, "batch-get-account-status") == 0) {
        struct il_inspector_account_list list;
        if ((st = il_inspector2_batch_get_account_status(c, (const char *const *)(argv + 1), (size_t)argc - 1, &list,
                                                         err)) == IL_OK) {
            cJSON *arr = cJSON_AddArrayToObject(result, "accounts");
            for (size_t i = 0; i < list.count; i++) {
                cJSON *o = cJSON_CreateObject();
                s_str(o, "account_id", list.items[i].account_id);
                s_str(o, "status", list.items[i].status);
                s_str(o, "lambda", list.items[i].lambda_status);
                s_str(o, "lambda_code", list.items[i].lambda_code_status);
                s_str(o, "error_code", list.items[i].error_code);
                cJSON_AddItemToArray(arr, o);
            }
            il_inspector_account_list_release(&list);
        }
    } else if (strcmp(op, "list-coverage") == 0 && argc <= 2) {
        struct il_inspector_coverage_list list;
        if ((st = il_inspector2_list_coverage(c, argc == 2 ? argv[1] : NULL, 0, &list, err)) == IL_OK) {
            cJSON *arr = cJSON_AddArrayToObject(result, "coverage");
            for (size_t i = 0; i < list.count; i++) {
                cJSON *o = cJSON_CreateObject();
                s_str(o, "resource_id", list.items[i].resource_id);
                s_str(o, "scan_type", list.items[i].scan_type);
                s_str(o, "status_code", list.items[i].status_code);
                s_str(o, "reason", list.items[i].status_reason);
                cJSON_AddItemToArray(arr, o);
            }
            il_inspector_coverage_list_release(&list);
        }
    }
    return st;
}

/* http-get URL [HEADER=VALUE...]: il_http_fetch(), no signing (the IMDS/ECS path). Prints status and body. */
static int s_http_get(int argc, char **argv) {
    struct il_http_header headers[8];
    size_t n = 0;
    for (int i = 1; i < argc && n < 8; i++, n++) {
        char *eq = strchr(argv[i], '=');
        if (eq == NULL) {
            return s_usage();
        }
        *eq = '\0';
        headers[n] = (struct il_http_header){argv[i], eq + 1};
    }
    struct il_http_request req = {.method = "GET",
                                  .url = argv[0],
                                  .headers = headers,
                                  .header_count = n,
                                  .connect_timeout_ms = 2000,
                                  .timeout_ms = 5000,
                                  .max_response_bytes = 65536};
    struct il_http_options opts = {.ca_bundle = getenv("AWS_CA_BUNDLE")};
    struct il_http_response resp;
    enum il_status st = il_http_fetch(&opts, &req, &resp);
    cJSON *out = cJSON_CreateObject();
    s_str(out, "status_text", il_status_str(st));
    s_str(out, "failure", il_http_failure_str(resp.failure));
    cJSON_AddNumberToObject(out, "http_status", resp.status);
    s_str(out, "body", il_buf_cstr(&resp.body));
    char *text = cJSON_PrintUnformatted(out);
    if (text) {
        printf("%s\n", text);
        free(text);
    }
    cJSON_Delete(out);
    int rc = st == IL_OK && resp.failure == IL_HTTP_OK ? 0 : 1;
    il_http_response_release(&resp);
    return rc;
}

int main(int argc, char **argv) {
    struct s_opts o = {0};
    int next = 0;
    if (argc >= 3 && strcmp(argv[1], "http-get") == 0) {
        return s_http_get(argc - 2, argv + 2);
    }
    if (!s_parse_opts(argc, argv, &o, &next)) {
        return s_usage();
    }
    struct il_buf why;
    il_buf_init(&why, 0);
    char *region = NULL;
    if (il_aws_region_resolve(o.region, NULL, NULL, NULL, &region, &why) != IL_OK) {
        fprintf(stderr, "il_aws: %s\n", il_buf_cstr(&why));
        il_buf_release(&why);
        return 2;
    }
    struct il_credentials_provider *provider = il_credentials_provider_default_new();
    struct il_aws_client_config cfg = {
        .region = region,
        .endpoints = {.endpoint_url = o.endpoint_url},
        .credentials = provider,
        .max_attempts = o.max_attempts,
        .rate_limit = o.rate_limit,
        .max_concurrency = o.concurrency,
        .request_timeout_ms = o.timeout_ms,
        .max_response_bytes = o.max_response,
        .debug_fn = o.debug ? s_debug : NULL,
    };
    struct il_aws_client *client = NULL;
    int rc = 2;
    if (provider == NULL || il_aws_client_new(&cfg, &client, &why) != IL_OK) {
        fprintf(stderr, "il_aws: cannot create the client: %s\n", il_buf_cstr(&why));
        goto cleanup;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON *result = cJSON_AddObjectToObject(out, "result");
    struct il_aws_error err;
    il_aws_error_init(&err);
    enum il_status st = s_run(client, argc - next, argv + next, result, &err);
    if (st == IL_ERR_INVALID && err.status == IL_OK) {
        cJSON_Delete(out);
        il_aws_error_release(&err);
        rc = s_usage();
        goto cleanup;
    }
    if (st != IL_OK) {
        if (err.status == IL_OK) {
            err.status = st;
        }
        cJSON_AddItemToObject(out, "error", s_error(&err));
    }
    struct il_aws_stats stats;
    il_aws_client_stats(client, &stats);
    cJSON *js = cJSON_AddObjectToObject(out, "stats");
    cJSON_AddNumberToObject(js, "attempts", (double)stats.attempts);
    cJSON_AddNumberToObject(js, "retries", (double)stats.retries);
    cJSON_AddNumberToObject(js, "throttled", (double)stats.throttled);
    cJSON_AddNumberToObject(js, "failures", (double)stats.failures);
    cJSON_AddNumberToObject(js, "pages", (double)stats.pages);
    cJSON_AddNumberToObject(js, "max_attempts", il_aws_client_max_attempts(client));
    char *text = cJSON_PrintUnformatted(out);
    if (text) {
        printf("%s\n", text);
        free(text);
    }
    cJSON_Delete(out);
    il_aws_error_release(&err);
    rc = st == IL_OK ? 0 : 1;
cleanup:
    il_aws_client_free(client);
    il_credentials_provider_free(provider);
    free(region);
    il_buf_release(&why);
    return rc;
}
