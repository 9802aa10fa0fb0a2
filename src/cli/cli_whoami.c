/*
 * inspector-ledger whoami: who the credentials are (STS GetCallerIdentity) and which source of the credential chain
 * supplied them — the first thing to run when a CI job cannot authenticate. Never prints a credential: only the
 * source's name and, through il_credentials_describe(), the last four characters of the access key id.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_aws.h"
#include "cli/cli_opts.h"
#include "il/buf.h"
#include "il/escape.h"

#define S_PROG "inspector-ledger whoami"
/* STS answers in every region; with none configured, ask the partition's default like the CLI's global endpoint. */
#define S_FALLBACK_REGION "us-east-1"

struct s_opts {
    const char *region;
    const char *endpoint_url;
    struct il_cli_creds aws;
    int json;
    int debug;
};

static void s_usage(FILE *out) {
    fprintf(out,
            "usage: inspector-ledger whoami [options]\n"
            "\n"
            "Prints the AWS caller identity (STS GetCallerIdentity) and which credential source answered.\n"
            "\n"
            "  --format text|json   output format (default text)\n"
            "  --region REGION      STS region (default: AWS_REGION, AWS_DEFAULT_REGION, else " S_FALLBACK_REGION ")\n"
            "  --endpoint-url URL   send requests to URL (e.g. a local fake)\n"
            "  --profile NAME       use the named profile (sets AWS_PROFILE; environment keys are then ignored)\n"
            "  --role-arn ARN       assume this IAM role on top of the credentials the chain finds\n"
            "  --external-id ID     ExternalId for --role-arn\n"
            "  --role-session-name N\n"
            "                       session name for --role-arn (default inspector-ledger-<unix time>)\n"
            "  --debug              trace requests on stderr (credentials redacted)\n"
            "  -h, --help           show this help\n"
            "  -V, --version        print the version\n"
            "\n"
            "Exit codes: 0 identified, 2 usage error, 3 no credentials or STS refused them.\n");
}

static int s_parse(int argc, char **argv, struct s_opts *o) {
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"region", required_argument, NULL, 'r'},
        {"endpoint-url", required_argument, NULL, 'e'},
        {"profile", required_argument, NULL, 'p'},
        {"role-arn", required_argument, NULL, 'R'},
        {"external-id", required_argument, NULL, 'x'},
        {"role-session-name", required_argument, NULL, 'S'},
        {"debug", no_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0; /* one line naming the option and a pointer to --help, as validate and check */
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
                return il_cli_usage_error(S_PROG, "invalid --format '%s': use text or json", optarg);
            }
            o->json = strcmp(optarg, "json") == 0;
            break;
        case 'r': o->region = optarg; break;
        case 'e': o->endpoint_url = optarg; break;
        case 'p': o->aws.profile = optarg; break;
        case 'R': o->aws.role_arn = optarg; break;
        case 'x': o->aws.external_id = optarg; break;
        case 'S': o->aws.role_session_name = optarg; break;
        case 'd': o->debug = 1; break;
        case 'h': s_usage(stdout); return IL_EXIT_PASS;
        case ':': return il_cli_usage_error(S_PROG, "option '%s' needs a value", argv[optind - 1]);
        default: return il_cli_usage_error(S_PROG, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return il_cli_usage_error(S_PROG, "unexpected argument '%s' (whoami takes no ledger)", argv[optind]);
    }
    return -1;
}

/* Print a line "label: value" with value escaped for the terminal (AWS strings are not trusted to be clean). */
static void s_text_line(const char *label, const char *value) {
    struct il_buf b;
    il_buf_init(&b, 0);
    if (il_escape_terminal(&b, value ? value : "") == IL_OK) {
        printf("%-12s %s\n", label, il_buf_cstr(&b));
    }
    il_buf_release(&b);
}

static int s_print(const struct s_opts *o, const struct il_aws_whoami *w, const char *region) {
    const struct il_sts_identity *id = &w->identity;
    int rc = IL_EXIT_PASS;
    if (o->json) {
        cJSON *root = cJSON_CreateObject();
        cJSON *c = cJSON_CreateObject();
        if (root == NULL || c == NULL || !cJSON_AddStringToObject(root, "account", id->account) ||
            !cJSON_AddStringToObject(root, "arn", id->arn) || !cJSON_AddStringToObject(root, "user_id", id->user_id) ||
            !cJSON_AddStringToObject(root, "region", region) || !cJSON_AddStringToObject(c, "source", w->source) ||
            !cJSON_AddBoolToObject(c, "temporary", w->temporary) ||
            !cJSON_AddStringToObject(c, "description", w->description)) {
            cJSON_Delete(c);
            c = NULL;
            rc = IL_EXIT_USAGE;
        } else {
            cJSON_AddItemToObject(root, "credentials", c);
            char *text = cJSON_Print(root);
            if (text != NULL) {
                printf("%s\n", text);
                free(text);
            } else {
                rc = IL_EXIT_USAGE;
            }
        }
        cJSON_Delete(root);
    } else {
        s_text_line("account:", id->account);
        s_text_line("arn:", id->arn);
        s_text_line("user id:", id->user_id);
        s_text_line("credentials:", w->description);
        s_text_line("region:", region);
    }
    return rc;
}

int il_cli_whoami(int argc, char **argv) {
    struct s_opts o = {0};
    int rc = s_parse(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    struct il_buf why;
    il_buf_init(&why, 4096);
    char *region = NULL;
    struct il_aws_whoami w = {0};

    const struct il_aws_settings *settings = NULL;
    enum il_status st = il_cli_settings(o.aws.profile, 0, o.debug ? il_cli_debug_line : NULL, NULL, &settings, &why);
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "%s", why.len ? il_buf_cstr(&why) : il_status_str(st));
        rc = st == IL_ERR_CREDENTIALS ? IL_EXIT_UNVERIFIED : IL_EXIT_USAGE;
        goto cleanup;
    }
    st = il_cli_region(o.region, settings, &region, &why);
    if (st == IL_ERR_NOTFOUND) {
        il_buf_reset(&why);
        region = il_strdup(S_FALLBACK_REGION);
        st = region ? IL_OK : IL_ERR_NOMEM;
    }
    if (st != IL_OK) {
        il_cli_errorf(S_PROG, "%s", why.len ? il_buf_cstr(&why) : il_status_str(st));
        rc = IL_EXIT_USAGE;
        goto cleanup;
    }
    o.aws.endpoint_url = o.endpoint_url;
    o.aws.region = region;
    o.aws.debug_fn = o.debug ? il_cli_debug_line : NULL;
    /* the chain is asked once, so the answer names the source that really signed the call */
    enum il_aws_whoami_step step;
    st = il_cli_whoami_identify(&o.aws, settings, &w, &step, &why);
    if (st == IL_OK) {
        rc = s_print(&o, &w, region);
        goto cleanup;
    }
    const char *reason = why.len ? il_buf_cstr(&why) : il_status_str(st);
    rc = IL_EXIT_USAGE;
    switch (step) {
    case IL_AWS_WHOAMI_DONE: il_cli_errorf(S_PROG, "%s", reason); break; /* the options were refused */
    case IL_AWS_WHOAMI_CREDENTIALS:
        il_cli_errorf(S_PROG, "no usable AWS credentials: %s", reason);
        rc = IL_EXIT_UNVERIFIED;
        break;
    case IL_AWS_WHOAMI_CLIENT: il_cli_errorf(S_PROG, "cannot set up the AWS client: %s", reason); break;
    case IL_AWS_WHOAMI_CALL: {
        struct il_buf safe;
        il_buf_init(&safe, 0);
        if (il_escape_terminal(&safe, reason) == IL_OK) {
            il_cli_errorf(S_PROG, "sts GetCallerIdentity failed (credentials from %s): %s", w.source,
                          il_buf_cstr(&safe));
        }
        il_buf_release(&safe);
        rc = IL_EXIT_UNVERIFIED;
        break;
    }
    case IL_AWS_WHOAMI_DESCRIBE: break; /* out of memory while describing: exit 2, as before */
    }
cleanup:
    il_cli_whoami_release(&w);
    free(region);
    il_buf_release(&why);
    return rc;
}
