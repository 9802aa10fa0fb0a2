/* credential_process: `/bin/sh -c COMMAND` through il_process_run() (bounded, timed stdout capture), then parse its
 * JSON. Output is wiped after parsing: it holds the secret. */
#include <string.h>

#include <cjson/cJSON.h>

#include "aws/credentials/aws_credentials_internal.h"
#include "aws/credentials/aws_credentials_process.h"
#include "il/crypto.h"
#include "il/process.h"

enum il_status il_credential_process_parse(const char *profile, const char *text, size_t len,
                                           struct il_credentials **out, struct il_buf *why) {
    *out = NULL;
    enum il_status st = IL_ERR_CREDENTIALS;
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(root)) {
        il_buf_say(why, "profile '%s': credential_process did not print a JSON object", profile);
        goto cleanup;
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "Version");
    if (!cJSON_IsNumber(version) || version->valuedouble != 1.0) {
        il_buf_say(why, "profile '%s': credential_process output needs \"Version\": 1", profile);
        goto cleanup;
    }
    enum il_credentials_json_problem problem = IL_CREDENTIALS_JSON_OK;
    st = il_credentials_from_json(root, "SessionToken", out, &problem);
    switch (problem) {
    case IL_CREDENTIALS_JSON_OK: break;
    case IL_CREDENTIALS_JSON_NO_KEYS:
        il_buf_say(why, "profile '%s': credential_process output lacks string AccessKeyId and SecretAccessKey",
                   profile);
        break;
    case IL_CREDENTIALS_JSON_BAD_TOKEN:
        il_buf_say(why, "profile '%s': credential_process SessionToken is not a string", profile);
        break;
    case IL_CREDENTIALS_JSON_BAD_EXPIRATION:
        il_buf_say(why, "profile '%s': credential_process Expiration is not an ISO 8601 time", profile);
        break;
    case IL_CREDENTIALS_JSON_BAD_CHARACTERS:
        il_buf_say(why,
                   "profile '%s': credential_process printed a key id, secret or token with characters credentials "
                   "cannot have",
                   profile);
        break;
    }
cleanup:
    il_credentials_json_delete(root, "SessionToken");
    return st;
}

enum il_status il_credential_process_run(const char *profile, const char *command, struct il_credentials **out,
                                         struct il_buf *why) {
    *out = NULL;
    enum il_status st = IL_ERR_CREDENTIALS;
    /* as the AWS CLI does: the command line goes to a shell; stderr stays the user's */
    const char *const argv[] = {"sh", "-c", command, NULL};
    const struct il_process_opts opts = {.path = "/bin/sh",
                                         .timeout_ms = IL_CREDENTIAL_PROCESS_TIMEOUT_MS,
                                         .max_output = IL_CREDENTIAL_PROCESS_MAX_OUTPUT,
                                         .secret = 1};
    struct il_buf buf;
    il_buf_init(&buf, IL_CREDENTIAL_PROCESS_MAX_OUTPUT);
    struct il_process_exit end;
    enum il_status cap = il_process_run(argv, &opts, &buf, &end);
    if (cap == IL_ERR_NOMEM) {
        st = IL_ERR_NOMEM;
    } else if (cap == IL_ERR_IO && strcmp(end.failed, "pipe") == 0) {
        il_buf_say(why, "profile '%s': cannot create a pipe for credential_process", profile);
    } else if (cap == IL_ERR_IO && strcmp(end.failed, "fork") == 0) {
        il_buf_say(why, "profile '%s': cannot start credential_process", profile);
    } else if (cap == IL_ERR_NETWORK || (cap == IL_OK && end.failed != NULL)) {
        il_buf_say(why, "profile '%s': credential_process did not finish within %d s", profile,
                   IL_CREDENTIAL_PROCESS_TIMEOUT_MS / 1000);
    } else if (cap == IL_ERR_LIMIT) {
        il_buf_say(why, "profile '%s': credential_process printed more than %zu bytes", profile,
                   IL_CREDENTIAL_PROCESS_MAX_OUTPUT);
    } else if (cap != IL_OK) {
        il_buf_say(why, "profile '%s': cannot read credential_process output", profile);
    } else if (end.signal != 0) {
        il_buf_say(why, "profile '%s': credential_process was killed by signal %d", profile, end.signal);
    } else if (end.code != 0) {
        il_buf_say(why, "profile '%s': credential_process failed (exit status %d)", profile, end.code);
    } else {
        st = il_credential_process_parse(profile, il_buf_cstr(&buf), buf.len, out, why);
    }
    il_crypto_cleanse(buf.data, buf.cap); /* it held the secret */
    il_buf_release(&buf);
    return st;
}
