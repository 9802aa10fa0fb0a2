/*
 * libFuzzer target: the AWS shared config / credentials parser (aws_ini.c) and the profile reader over it
 * (aws_credentials_profile.c). The input is the config file, then optionally a NUL and the credentials file.
 *
 * Invariants: a refused file says where (name:line:col in the reason); the profile queries never crash; the value
 * of a key is a NUL-terminated string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_profile.h"
#include "aws/credentials/aws_ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const s_profiles[] = {"default", "dev", "prod", "a b", ""};
static const char *const s_keys[] = {"region",         "aws_access_key_id", "aws_secret_access_key", "role_arn",
                                     "source_profile", "credential_source", "sso_session",           "endpoint_url"};

static enum il_status s_parse(const char *text, size_t len, const char *name, struct il_ini **out) {
    struct il_buf why;
    il_buf_init(&why, 0);
    enum il_status st = il_ini_parse(text, len, name, out, &why);
    if ((st == IL_OK) != (*out != NULL)) {
        abort();
    }
    if (st == IL_ERR_PARSE && (why.data == NULL || strncmp(why.data, name, strlen(name)) != 0)) {
        abort(); /* a syntax error names the file (and line:col) */
    }
    il_buf_release(&why);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) {
        return 0;
    }
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t clen = nul ? (size_t)(nul - text) : size;
    struct il_profile_files f;
    memset(&f, 0, sizeof(f));
    if (s_parse(text, clen, "config", &f.config) != IL_OK) {
        il_profile_files_release(&f);
        return 0;
    }
    if (nul != NULL && s_parse(nul + 1, size - clen - 1, "credentials", &f.creds) != IL_OK) {
        il_profile_files_release(&f);
        return 0;
    }
    for (size_t p = 0; p < sizeof(s_profiles) / sizeof(s_profiles[0]); p++) {
        const char *name = s_profiles[p];
        (void)il_profile_exists(&f, name);
        (void)il_profile_has_static(&f, name);
        (void)il_profile_has_role(&f, name);
        for (size_t k = 0; k < sizeof(s_keys) / sizeof(s_keys[0]); k++) {
            const char *v = il_profile_value(&f, name, s_keys[k]);
            if (v != NULL && strlen(v) > 65536) {
                abort(); /* a value is a NUL-terminated piece of the file */
            }
        }
    }
    (void)il_ini_has_section(f.config, "profile dev");
    (void)il_ini_get(f.config, "sso-session x", "sso_region");
    il_profile_files_release(&f);
    return 0;
}
