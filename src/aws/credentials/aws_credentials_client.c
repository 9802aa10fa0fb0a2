/*
 * A provider over a client's own credentials: what the client would sign with now (refreshed by the client's rules).
 * The per-account roles of a check are re-assumed with it, so they always start from the current (hub) credentials.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_client_impl.h"
#include "il/aws/assume_role.h"

static enum il_status s_client_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                   struct il_buf *why) {
    const struct il_credentials *creds = NULL;
    enum il_status st = il_aws_client_credentials(provider->impl, &creds, why);
    if (st != IL_OK) {
        return st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
    }
    IL_TRY(il_credentials_copy(creds, out));
    return IL_OK; /* the copy keeps the source name of whatever the client got its credentials from */
}

static const struct il_credentials_provider_vtable s_client_vtable = {
    .name = "client", .get = s_client_get, .destroy = NULL, /* the client is borrowed */
};

struct il_credentials_provider *il_credentials_provider_client_new(struct il_aws_client *client) {
    struct il_credentials_provider *provider = client ? calloc(1, sizeof(*provider)) : NULL;
    if (provider == NULL) {
        return NULL;
    }
    provider->vtable = &s_client_vtable;
    provider->impl = client;
    return provider;
}

struct il_credentials_provider *
il_credentials_provider_assume_role_from_client_new(struct il_aws_client *client,
                                                    const struct il_assume_role_options *options) {
    if (client == NULL || options == NULL) {
        return NULL;
    }
    /* STS exactly where @p client sends its STS calls (--endpoint-url, environment, regional), traced like it */
    struct il_buf endpoint;
    il_buf_init(&endpoint, 4096);
    struct il_credentials_provider *provider = NULL;
    if (il_buf_printf(&endpoint, "%s%s", client->base_url[IL_AWS_STS], client->base_path[IL_AWS_STS]) == IL_OK) {
        struct il_assume_role_options o = *options;
        o.sts.region = client->region;
        o.sts.endpoint_url = il_buf_cstr(&endpoint);
        o.sts.debug_fn = client->engine->debug_fn;
        o.sts.debug_ctx = client->engine->debug_ctx;
        o.sts.profile_region = NULL;
        o.sts.profile_endpoint_url = NULL;
        provider = il_credentials_provider_assume_role_new_take(il_credentials_provider_client_new(client), &o);
    }
    il_buf_release(&endpoint);
    return provider;
}
