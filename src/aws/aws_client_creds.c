/* Credentials to sign with: the client's cached credentials, refreshed from its provider near expiry. The engine
 * calls this for every signed attempt; it reaches the provider only through il_credentials_provider_get() (the
 * vtable helpers), never the chain or a provider's constructor. */
#include <stdint.h>
#include <time.h>

#include "aws/aws_client_impl.h"
#include "aws/aws_sticky.h"

/* Temporary credentials are replaced this long before they expire, so a long scan never signs with stale ones. */
#define S_REFRESH_MARGIN_S IL_CREDENTIALS_REFRESH_MARGIN_S

static int64_t s_wall(const struct il_aws_engine *eng) {
    return eng->wall_time ? eng->wall_time() : (int64_t)time(NULL);
}

enum il_status il_aws_client_credentials(struct il_aws_client *client, const struct il_credentials **out,
                                         struct il_buf *why) {
    *out = NULL;
    int64_t exp = client->creds ? il_credentials_expiration(client->creds) : 0;
    int stale = client->creds == NULL || (exp != 0 && exp - s_wall(client->engine) < S_REFRESH_MARGIN_S);
    if (stale && !client->fixed_creds && client->provider) {
        struct il_credentials *fresh = NULL;
        enum il_status st = il_credentials_provider_get(client->provider, &fresh, why);
        if (st != IL_OK) {
            return st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
        }
        /* the source, not the provider: a chain's answer names the provider inside it that answered */
        il_aws_trace(client->engine, "[aws] credentials from provider '%s' (object %p)", il_credentials_source(fresh),
                     (void *)fresh);
        il_credentials_free(client->creds);
        client->creds = fresh;
    }
    if (client->creds == NULL) {
        if (why && why->len == 0) {
            IL_STICKY(il_buf_puts(why, "no credentials provider is configured"));
        }
        return IL_ERR_CREDENTIALS;
    }
    exp = il_credentials_expiration(client->creds);
    if (exp != 0 && exp <= s_wall(client->engine)) {
        if (why) {
            IL_STICKY(il_buf_puts(why, "the credentials have expired and cannot be refreshed"));
        }
        return IL_ERR_CREDENTIALS;
    }
    *out = client->creds;
    return IL_OK;
}
