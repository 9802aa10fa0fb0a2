/*
 * SigV4 signing: string to sign, signing-key derivation (cached on the credentials object), signature, and the
 * headers handed to the HTTP layer. The canonical request lives in aws_sigv4_canonical.c; libcrypto in
 * src/common/common_crypto.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws/aws_sigv4_internal.h"
#include "aws/credentials/aws_credentials_internal.h"
#include "il/crypto.h"

#define IL_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define IL_SCOPE_MAX 256

/* "20150830/us-east-1/service/aws4_request" */
static enum il_status s_credential_scope(const struct il_sigv4_params *params, const char *amz_date,
                                         struct il_buf *out) {
    IL_TRY(il_buf_append(out, amz_date, 8));
    IL_TRY(il_buf_printf(out, "/%s/%s/aws4_request", params->region, params->service));
    return il_buf_status(out);
}

enum il_status il_sigv4_string_to_sign(const char *canonical_request, const struct il_sigv4_params *params,
                                       struct il_buf *out) {
    char amz_date[17];
    uint8_t digest[IL_SHA256_LEN];
    char hex[IL_SHA256_HEX_LEN + 1];
    if (canonical_request == NULL) {
        return IL_ERR_INVALID;
    }
    IL_TRY(il_sigv4_check_params(params));
    IL_TRY(il_sigv4_amz_date(params->time, amz_date));
    IL_TRY(il_crypto_sha256(canonical_request, strlen(canonical_request), digest));
    il_crypto_hex(digest, sizeof(digest), hex);
    IL_TRY(il_buf_printf(out, IL_SIGV4_ALGORITHM "\n%s\n", amz_date));
    IL_TRY(s_credential_scope(params, amz_date, out));
    IL_TRY(il_buf_printf(out, "\n%s", hex));
    return il_buf_status(out);
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). The key for a given
 * date/region/service is cached on the credentials object, so the secret is touched once per scope. */
static enum il_status s_signing_key(const struct il_credentials *creds, const struct il_sigv4_params *params,
                                    const char *amz_date, uint8_t key[IL_SHA256_LEN]) {
    enum il_status status = IL_OK;
    char scope[IL_SCOPE_MAX];
    uint8_t k_date[IL_SHA256_LEN], k_region[IL_SHA256_LEN], k_service[IL_SHA256_LEN];
    const char *secret = il_credentials_secret(creds);
    size_t secret_len = strlen(secret);
    char *k_secret = NULL;

    int n = snprintf(scope, sizeof(scope), "%.8s/%s/%s", amz_date, params->region, params->service);
    if (n < 0 || (size_t)n >= sizeof(scope)) {
        return IL_ERR_INVALID;
    }
    if (il_credentials_key_cache_get(creds, scope, key)) {
        return IL_OK;
    }
    /* an exact-size buffer (not a growable one) so no stray copy of the secret survives a realloc */
    k_secret = malloc(secret_len + 5);
    if (k_secret == NULL) {
        return IL_ERR_NOMEM;
    }
    memcpy(k_secret, "AWS4", 4);
    memcpy(k_secret + 4, secret, secret_len + 1);
    if ((status = il_crypto_hmac_sha256(k_secret, secret_len + 4, amz_date, 8, k_date)) != IL_OK ||
        (status = il_crypto_hmac_sha256(k_date, sizeof(k_date), params->region, strlen(params->region), k_region)) !=
            IL_OK ||
        (status = il_crypto_hmac_sha256(k_region, sizeof(k_region), params->service, strlen(params->service),
                                        k_service)) != IL_OK ||
        (status = il_crypto_hmac_sha256(k_service, sizeof(k_service), "aws4_request", 12, key)) != IL_OK) {
        goto cleanup;
    }
    il_credentials_key_cache_put(creds, scope, key);
cleanup:
    il_crypto_cleanse(k_secret, secret_len + 5);
    free(k_secret);
    il_crypto_cleanse(k_date, sizeof(k_date));
    il_crypto_cleanse(k_region, sizeof(k_region));
    il_crypto_cleanse(k_service, sizeof(k_service));
    return status;
}

enum il_status il_sigv4_signature(const char *string_to_sign, const struct il_sigv4_params *params,
                                  const struct il_credentials *creds, char out[65]) {
    enum il_status status = IL_OK;
    char amz_date[17];
    uint8_t key[IL_SHA256_LEN];
    uint8_t mac[IL_SHA256_LEN];
    out[0] = '\0';
    if (string_to_sign == NULL || creds == NULL) {
        return IL_ERR_INVALID;
    }
    IL_TRY(il_sigv4_check_params(params));
    IL_TRY(il_sigv4_amz_date(params->time, amz_date));
    if ((status = s_signing_key(creds, params, amz_date, key)) != IL_OK ||
        (status = il_crypto_hmac_sha256(key, sizeof(key), string_to_sign, strlen(string_to_sign), mac)) != IL_OK) {
        goto cleanup;
    }
    il_crypto_hex(mac, sizeof(mac), out);
cleanup:
    il_crypto_cleanse(key, sizeof(key));
    return status;
}

void il_sigv4_result_release(struct il_sigv4_result *result) {
    if (result == NULL) {
        return;
    }
    il_crypto_wipe_free(result->authorization);
    free(result->amz_date);
    il_crypto_wipe_free(result->security_token);
    free(result->content_sha256);
    memset(result, 0, sizeof(*result));
}

enum il_status il_sigv4_sign(const struct il_sigv4_request *request, const struct il_sigv4_params *params,
                             const struct il_credentials *creds, struct il_sigv4_result *result) {
    enum il_status status = IL_OK;
    struct il_buf creq, names, sts, scope, auth;
    char amz_date[17];
    char signature[65];
    uint8_t digest[IL_SHA256_LEN];
    char payload_hex[IL_SHA256_HEX_LEN + 1];
    const char *token = creds ? il_credentials_session_token(creds) : NULL;

    memset(result, 0, sizeof(*result));
    il_buf_init(&creq, 0);
    il_buf_init(&names, 0);
    il_buf_init(&sts, 0);
    il_buf_init(&scope, 0);
    il_buf_init(&auth, 0);
    if (creds == NULL || request == NULL || (request->body == NULL && request->body_len > 0)) {
        status = IL_ERR_INVALID;
        goto cleanup;
    }
    if ((status = il_sigv4_canonical_request_with(request, params, creds, &creq, &names)) != IL_OK ||
        (status = il_sigv4_string_to_sign(il_buf_cstr(&creq), params, &sts)) != IL_OK ||
        (status = il_sigv4_signature(il_buf_cstr(&sts), params, creds, signature)) != IL_OK ||
        (status = il_sigv4_amz_date(params->time, amz_date)) != IL_OK ||
        (status = s_credential_scope(params, amz_date, &scope)) != IL_OK ||
        (status = il_crypto_sha256(request->body, request->body_len, digest)) != IL_OK) {
        goto cleanup;
    }
    il_crypto_hex(digest, sizeof(digest), payload_hex);
    status = il_buf_printf(&auth, IL_SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                           il_credentials_access_key_id(creds), il_buf_cstr(&scope), il_buf_cstr(&names), signature);
    if (status != IL_OK) {
        goto cleanup;
    }
    result->authorization = il_buf_take(&auth);
    result->amz_date = il_strdup(amz_date);
    result->content_sha256 = il_strdup(payload_hex);
    result->security_token = token ? il_strdup(token) : NULL;
    if (result->authorization == NULL || result->amz_date == NULL || result->content_sha256 == NULL ||
        (token != NULL && result->security_token == NULL)) {
        status = IL_ERR_NOMEM;
        goto cleanup;
    }
cleanup:
    if (status != IL_OK) {
        il_sigv4_result_release(result);
    }
    if (creq.data != NULL) {
        il_crypto_cleanse(creq.data, creq.len); /* holds the session token */
    }
    il_buf_release(&creq);
    il_buf_release(&names);
    il_buf_release(&sts);
    il_buf_release(&scope);
    il_buf_release(&auth);
    return status;
}
