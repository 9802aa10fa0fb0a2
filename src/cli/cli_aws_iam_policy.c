/*
 * inspector-ledger iam-policy: print the least-privilege IAM policy for what the tool is asked to do. The policy is
 * built by the library from the one operations table the AWS calls are set up from (il/aws/ops.h). A cli_aws* file:
 * only these reach src/aws from the CLI.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_msgs.h"
#include "cli/cli_opts.h"
#include "il/aws/ops.h"
#include "il/ledger.h"

#define S_PROG "inspector-ledger iam-policy"

static void s_usage(FILE *out) {
    fputs(
        "usage: inspector-ledger iam-policy [options]\n"
        "\n"
        "Prints the least-privilege IAM policy (JSON) for the credentials inspector-ledger runs with: by default\n"
        "what check and report --live read; each option adds what that use calls. The policy is derived from\n"
        "the table the AWS calls are made from, so it names exactly the actions the tool can call.\n"
        "\n"
        "  --apply                add apply's tag writes (lambda:TagResource, lambda:UntagResource), on function\n"
        "                         ARNs and only for the two exclusion tag keys\n"
        "  --coverage             add the Inspector coverage and account status reads\n"
        "  --organization         add the organization's account list\n"
        "  --assume-role          add the hub's sts:AssumeRole on the role (needs one of the next three)\n"
        "  --role-name NAME       the per-account role: arn:PARTITION:iam::ACCOUNT:role/NAME (implies --assume-role)\n"
        "  --role-arn-template T  the per-account role as a template with {account} (implies --assume-role)\n"
        "  --role-arn ARN         one fixed role (implies --assume-role)\n"
        "  --account ID           name only these accounts in function and role ARNs (repeatable; default any)\n"
        "  --partition P          aws (default), aws-cn or aws-us-gov\n"
        "  --output FILE          write the policy to FILE instead of standard output\n"
        "  -h, --help             show this help\n"
        "  -V, --version          print the version\n"
        "\n"
        "sts:GetCallerIdentity needs no permission (AWS allows it to every principal), so no policy names it.\n"
        "exit codes: 0 printed, 2 usage error.\n",
        out);
}

enum { O_APPLY = 256, O_COVERAGE, O_ORG, O_ASSUME, O_ROLE_NAME, O_TEMPLATE, O_ROLE_ARN, O_ACCOUNT, O_PARTITION, O_OUT };

int il_cli_iam_policy(int argc, char **argv) {
    static const struct option longopts[] = {
        {"apply", no_argument, NULL, O_APPLY},
        {"coverage", no_argument, NULL, O_COVERAGE},
        {"organization", no_argument, NULL, O_ORG},
        {"assume-role", no_argument, NULL, O_ASSUME},
        {"role-name", required_argument, NULL, O_ROLE_NAME},
        {"role-arn-template", required_argument, NULL, O_TEMPLATE},
        {"role-arn", required_argument, NULL, O_ROLE_ARN},
        {"account", required_argument, NULL, O_ACCOUNT},
        {"partition", required_argument, NULL, O_PARTITION},
        {"output", required_argument, NULL, O_OUT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char **accounts = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(*accounts));
    const char *keys[] = {il_scan_type_tag_key(IL_SCAN_CODE), il_scan_type_tag_key(IL_SCAN_STANDARD)};
    struct il_iam_policy_opts po = {.accounts = accounts, .tag_keys = keys, .tag_key_count = 2};
    const char *output = NULL;
    if (accounts == NULL) {
        il_cli_errorf(S_PROG, "out of memory");
        return IL_EXIT_USAGE;
    }
    opterr = 0;
    optind = 1;
    int c, rc = -1;
    while (rc < 0 && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_APPLY: po.uses |= IL_IAM_USE_APPLY; break;
        case O_COVERAGE: po.uses |= IL_IAM_USE_COVERAGE; break;
        case O_ORG: po.uses |= IL_IAM_USE_ORGANIZATION; break;
        case O_ASSUME: po.uses |= IL_IAM_USE_ASSUME_ROLE; break;
        case O_ROLE_NAME: po.role_name = optarg, po.uses |= IL_IAM_USE_ASSUME_ROLE; break;
        case O_TEMPLATE: po.role_arn_template = optarg, po.uses |= IL_IAM_USE_ASSUME_ROLE; break;
        case O_ROLE_ARN: po.role_arn = optarg, po.uses |= IL_IAM_USE_ASSUME_ROLE; break;
        case O_ACCOUNT: accounts[po.account_count++] = optarg; break;
        case O_PARTITION: po.partition = optarg; break;
        case O_OUT: output = optarg; break;
        case 'h':
            s_usage(stdout);
            rc = IL_EXIT_PASS;
            break;
        case ':': rc = il_cli_usage_error(S_PROG, "option '%s' needs a value", argv[optind - 1]); break;
        default: rc = il_cli_usage_error(S_PROG, "unknown option '%s'", argv[optind - 1]); break;
        }
    }
    if (rc < 0 && optind < argc) {
        rc = il_cli_usage_error(S_PROG, "unexpected argument '%s'", argv[optind]);
    }
    if (rc < 0) {
        struct il_buf out, why;
        il_buf_init(&out, 0);
        il_buf_init(&why, 1024);
        if (il_iam_policy_json(&po, &out, &why) != IL_OK) {
            rc = il_cli_usage_error(S_PROG, "%s", why.len ? il_buf_cstr(&why) : "cannot build the policy");
        } else {
            int ok = il_cli_write_output(S_PROG, output, &out);
            rc = ok ? IL_EXIT_PASS : IL_EXIT_USAGE;
        }
        il_buf_release(&out);
        il_buf_release(&why);
    }
    free(accounts);
    return rc;
}
