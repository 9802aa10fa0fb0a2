/* The helpers over a provider's vtable (get, name, free) and the static provider. A leaf of src/aws/credentials/: the
 * client and the engine reach whatever provider they were given through these, so nothing in the machinery links a
 * provider's constructor or the chain (which would close the loop client -> provider -> STS -> client). */
#include <stdlib.h>
#include <string.h>

#include "il/aws/credentials.h"

#define IL_WHY_LIMIT 4096 /* a reason is one line; a chain's is a handful of them */

enum il_status il_credentials_provider_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                           struct il_buf *why) {
    *out = NULL;
    if (provider == NULL || provider->vtable == NULL || provider->vtable->get == NULL) {
        il_buf_say(why, "no credentials provider");
        return IL_ERR_CREDENTIALS;
    }
    struct il_buf local;
    il_buf_init(&local, IL_WHY_LIMIT);
    struct il_credentials *creds = NULL;
    enum il_status status = provider->vtable->get(provider, &creds, &local);
    if (status == IL_OK && creds == NULL) {
        status = IL_ERR_INTERNAL; /* a provider that says OK must hand something over */
    }
    if (status == IL_OK) {
        /* a chain's answer already carries the name of the provider inside it that answered */
        const char *source = il_credentials_source(creds);
        if (strcmp(source, "unknown") == 0) {
            status = il_credentials_set_source(creds, il_credentials_provider_name(provider));
        }
    }
    if (status != IL_OK) {
        il_credentials_free(creds);
        creds = NULL;
        il_buf_say(why, "%s", local.len ? il_buf_cstr(&local) : il_status_str(status));
    }
    il_buf_release(&local);
    *out = creds;
    return status;
}

const char *il_credentials_provider_name(const struct il_credentials_provider *provider) {
    if (provider == NULL || provider->vtable == NULL || provider->vtable->name == NULL) {
        return "unknown";
    }
    return provider->vtable->name;
}

void il_credentials_provider_free(struct il_credentials_provider *provider) {
    if (provider == NULL) {
        return;
    }
    if (provider->vtable != NULL && provider->vtable->destroy != NULL) {
        provider->vtable->destroy(provider);
    }
    free(provider);
}

/* ---- static provider ---------------------------------------------------------------------------------------- */

struct il_static_impl {
    struct il_credentials_provider_vtable vtable; /* per instance so the name can be chosen */
    char *name;
    struct il_credentials *creds;
};

static enum il_status s_static_get(struct il_credentials_provider *provider, struct il_credentials **out,
                                   struct il_buf *why) {
    struct il_static_impl *impl = provider->impl;
    (void)why;
    IL_TRY(il_credentials_copy(impl->creds, out));
    enum il_status status = il_credentials_set_source(*out, impl->name);
    if (status != IL_OK) {
        il_credentials_free(*out);
        *out = NULL;
    }
    return status;
}

static void s_static_destroy(struct il_credentials_provider *provider) {
    struct il_static_impl *impl = provider->impl;
    if (impl != NULL) {
        il_credentials_free(impl->creds);
        free(impl->name);
        free(impl);
    }
    provider->impl = NULL;
}

struct il_credentials_provider *il_credentials_provider_static_new(const struct il_credentials *creds,
                                                                   const char *name) {
    struct il_credentials_provider *provider = calloc(1, sizeof(*provider));
    struct il_static_impl *impl = calloc(1, sizeof(*impl));
    if (provider == NULL || impl == NULL) {
        goto cleanup;
    }
    impl->name = il_strdup(name ? name : "static");
    if (impl->name == NULL || il_credentials_copy(creds, &impl->creds) != IL_OK) {
        goto cleanup;
    }
    impl->vtable.name = impl->name;
    impl->vtable.get = s_static_get;
    impl->vtable.destroy = s_static_destroy;
    provider->vtable = &impl->vtable;
    provider->impl = impl;
    return provider;
cleanup:
    if (impl != NULL) {
        il_credentials_free(impl->creds);
        free(impl->name);
        free(impl);
    }
    free(provider);
    return NULL;
}
