/*
 * il_endpoints: print the endpoint the library resolves for every service × region × FIPS × dual-stack (× STS global)
 * as "service region fips dual global url signing-region" or "... ERROR message", one line each, in the order
 * tests/integration/test_endpoint_rules.py has botocore produce the same table from ../shared/aws-models.
 *
 *   il_endpoints REGION...
 */
#include <stdio.h>
#include <stdlib.h>

#include "il/aws/endpoint.h"

static const char *const s_models[IL_AWS_SERVICE_COUNT] = {
    [IL_AWS_LAMBDA] = "lambda",         [IL_AWS_TAGGING] = "resourcegroupstaggingapi", [IL_AWS_STS] = "sts",
    [IL_AWS_INSPECTOR2] = "inspector2", [IL_AWS_ORGANIZATIONS] = "organizations",      [IL_AWS_SSO] = "sso",
};

static const char *s_noenv(void *ctx, const char *name) {
    (void)ctx;
    (void)name;
    return NULL;
}

int main(int argc, char **argv) {
    for (int svc = 0; svc < IL_AWS_SERVICE_COUNT; svc++) {
        for (int r = 1; r < argc; r++) {
            for (int fips = 0; fips < 2; fips++) {
                for (int dual = 0; dual < 2; dual++) {
                    for (int glob = 0; glob < (svc == IL_AWS_STS ? 2 : 1); glob++) {
                        struct il_aws_endpoint_config cfg = {
                            .getenv_fn = s_noenv, .use_fips = fips, .use_dualstack = dual, .sts_global = glob};
                        char *url = NULL;
                        char *signing = NULL;
                        struct il_buf why;
                        il_buf_init(&why, 4096);
                        enum il_status st = il_aws_endpoint_resolve_ex(&cfg, (enum il_aws_service)svc, argv[r], &url,
                                                                       &signing, NULL, &why);
                        printf("%s %s %d %d %d ", s_models[svc], argv[r], fips, dual, glob);
                        if (st == IL_OK) {
                            printf("%s %s\n", url, signing ? signing : "-");
                        } else {
                            printf("ERROR %s\n", il_buf_cstr(&why));
                        }
                        free(url);
                        free(signing);
                        il_buf_release(&why);
                    }
                }
            }
        }
    }
    return 0;
}
