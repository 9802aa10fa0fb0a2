/* The chain that the SDK-style default chain builds on (the vtable helpers and the static provider are in
 * aws_credentials_vtable.c). */
#include <stdlib.h>
#include <string.h>

#include "il/aws/assume_role.h"
#include "il/aws/credentials.h"

#define IL_WHY_LIMIT 4096 /* a reason is one line; a chain's is a handful of them */

/* ---- chain -------------------------------------------------------------------------------------------------- */

struct il_chain_impl {
    struct il_credentials_provider **providers;
    size_t count;
};

static enum il_status s_chain_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                  struct il_buf *why) {
    struct il_chain_impl *impl = provider->impl;
    struct il_buf reason;
    il_buf_init(&reason, IL_WHY_LIMIT);
    enum il_status status = IL_ERR_CREDENTIALS;
    if (impl->count == 0) {
        il_buf_say(why, "no credential sources are configured");
    }
    for (size_t i = 0; i < impl->count; i++) {
        il_buf_reset(&reason);
        status = il_credentials_provider_get(impl->providers[i], out, &reason);
        if (status == IL_OK) {
            break;
        }
        il_buf_say(why, "%s%s: %s", i ? "; " : "", il_credentials_provider_name(impl->providers[i]),
                   il_buf_cstr(&reason));
        if (status != IL_ERR_NOTFOUND) {
            break;
        }
        status = IL_ERR_CREDENTIALS; /* nothing found anywhere, unless a later source answers */
    }
    il_buf_release(&reason);
    return status;
}

static void s_chain_destroy(struct il_credentials_provider *provider) {
    struct il_chain_impl *impl = provider->impl;
    if (impl != NULL) {
        for (size_t i = 0; i < impl->count; i++) {
            il_credentials_provider_free(impl->providers[i]);
        }
        free(impl->providers);
        free(impl);
    }
    provider->impl = NULL;
}

static const struct il_credentials_provider_vtable s_chain_vtable = {
    .name = "chain",
    .get = s_chain_get,
    .destroy = s_chain_destroy,
};

struct il_credentials_provider *il_credentials_provider_chain_new(void) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    struct il_chain_impl *impl = calloc(1, sizeof(*impl));
    if (provider == NULL || impl == NULL) {
        free(provider);
        free(impl);
        return NULL;
    }
    provider->vtable = &s_chain_vtable;
    provider->impl = impl;
    return provider;
}

enum il_status il_credentials_provider_chain_add_take(struct il_credentials_provider *chain,
                                                      struct il_credentials_provider *provider) {
    if (chain == NULL || chain->vtable != &s_chain_vtable || provider == NULL) {
        il_credentials_provider_free(provider);
        return IL_ERR_INVALID;
    }
    struct il_chain_impl *impl = chain->impl;
    struct il_credentials_provider **grown = realloc(impl->providers, (impl->count + 1) * sizeof(*grown));
    if (grown == NULL) {
        il_credentials_provider_free(provider);
        return IL_ERR_NOMEM;
    }
    impl->providers = grown;
    impl->providers[impl->count++] = provider;
    return IL_OK;
}

struct il_credentials_provider *il_credentials_provider_default_new(void) {
    return il_credentials_provider_default_new_with(NULL);
}

struct il_credentials_provider *
il_credentials_provider_default_new_with(const struct il_credentials_chain_options *options) {
    const struct il_sts_settings *sts = options ? &options->sts : NULL;
    struct il_credentials_provider *chain = il_credentials_provider_chain_new();
    if (chain == NULL) {
        return NULL;
    }
    /* botocore's order: the environment (which an explicit --profile switches off), the profile's role, web
     * identity, the profile's own keys / credential_process, then the container before instance metadata (an ECS
     * task on EC2 reaches both) */
    if ((options == NULL || !options->explicit_profile) &&
        il_credentials_provider_chain_add_take(chain, il_credentials_provider_env_new()) != IL_OK) {
        il_credentials_provider_free(chain);
        return NULL;
    }
    if (il_credentials_provider_chain_add_take(chain, il_credentials_provider_profile_role_new(sts)) != IL_OK ||
        il_credentials_provider_chain_add_take(chain, il_credentials_provider_web_identity_new_with(sts)) != IL_OK ||
        il_credentials_provider_chain_add_take(chain, il_credentials_provider_profile_new_with(sts)) != IL_OK ||
        il_credentials_provider_chain_add_take(chain, il_credentials_provider_ecs_new()) != IL_OK ||
        il_credentials_provider_chain_add_take(chain, il_credentials_provider_imds_new()) != IL_OK) {
        il_credentials_provider_free(chain);
        return NULL;
    }
    return chain;
}
