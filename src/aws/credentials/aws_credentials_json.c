/* The credentials JSON document that credential_process prints and the ECS / IMDS endpoints answer: one reading of
 * its members, so that what counts as a key id, a secret, a token and an expiry is the same for every source. */
#include <stdint.h>
#include <string.h>

#include "aws/credentials/aws_credentials_internal.h"
#include "il/aws/sts.h"
#include "il/crypto.h"

enum il_status il_credentials_from_json(const cJSON *root, const char *token_member, struct il_credentials **out,
                                        enum il_credentials_json_problem *problem) {
    *out = NULL;
    *problem = IL_CREDENTIALS_JSON_OK;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "AccessKeyId");
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(root, "SecretAccessKey");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(root, token_member);
    const cJSON *expiration = cJSON_GetObjectItemCaseSensitive(root, "Expiration");
    if (!cJSON_IsString(id) || !cJSON_IsString(secret) || *id->valuestring == '\0' || *secret->valuestring == '\0') {
        *problem = IL_CREDENTIALS_JSON_NO_KEYS;
        return IL_ERR_CREDENTIALS;
    }
    if (token != NULL && !cJSON_IsNull(token) && !cJSON_IsString(token)) {
        *problem = IL_CREDENTIALS_JSON_BAD_TOKEN;
        return IL_ERR_CREDENTIALS;
    }
    int64_t exp = 0;
    if (expiration != NULL && !cJSON_IsNull(expiration) &&
        (!cJSON_IsString(expiration) || il_sts_parse_time(expiration->valuestring, &exp) != IL_OK)) {
        *problem = IL_CREDENTIALS_JSON_BAD_EXPIRATION;
        return IL_ERR_CREDENTIALS;
    }
    /* an empty token is no token (the SDKs send no X-Amz-Security-Token for it) */
    const char *token_text = cJSON_IsString(token) && *token->valuestring ? token->valuestring : NULL;
    enum il_status st = il_credentials_new(id->valuestring, secret->valuestring, token_text, exp, out);
    if (st == IL_ERR_INVALID) {
        *problem = IL_CREDENTIALS_JSON_BAD_CHARACTERS;
        st = IL_ERR_CREDENTIALS;
    }
    return st;
}

static void s_wipe_member(cJSON *root, const char *name) {
    cJSON *item = cJSON_GetObjectItemCaseSensitive(root, name);
    if (cJSON_IsString(item) && item->valuestring != NULL) {
        il_crypto_cleanse(item->valuestring, strlen(item->valuestring));
    }
}

void il_credentials_json_delete(cJSON *root, const char *token_member) {
    if (root == NULL) {
        return;
    }
    s_wipe_member(root, "SecretAccessKey");
    s_wipe_member(root, token_member);
    cJSON_Delete(root);
}
