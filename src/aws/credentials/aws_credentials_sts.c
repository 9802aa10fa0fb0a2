/* The STS client of the credential providers that call STS (aws_credentials_sts.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "aws/credentials/aws_credentials_sts.h"
#include "il/aws/endpoint.h"

/* STS answers in every region; botocore falls back to the global endpoint, whose home is us-east-1. */
#define S_FALLBACK_REGION "us-east-1"

static enum il_status s_set(char **dst, const char *src) {
    char *copy = NULL;
    if (src != NULL && *src != '\0' && (copy = il_strdup(src)) == NULL) {
        return IL_ERR_NOMEM;
    }
    free(*dst);
    *dst = copy;
    return IL_OK;
}

void il_sts_settings_release(struct il_sts_settings_copy *s) {
    if (s == NULL) {
        return;
    }
    free(s->region);
    free(s->endpoint_url);
    free(s->profile_region);
    free(s->profile_endpoint_url);
    memset(s, 0, sizeof(*s));
}

enum il_status il_sts_settings_copy(struct il_sts_settings_copy *to, const struct il_sts_settings *from) {
    memset(to, 0, sizeof(*to));
    if (from == NULL) {
        return IL_OK;
    }
    to->debug_fn = from->debug_fn;
    to->debug_ctx = from->debug_ctx;
    to->settings = from->settings;
    if (s_set(&to->region, from->region) != IL_OK || s_set(&to->endpoint_url, from->endpoint_url) != IL_OK ||
        s_set(&to->profile_region, from->profile_region) != IL_OK ||
        s_set(&to->profile_endpoint_url, from->profile_endpoint_url) != IL_OK) {
        il_sts_settings_release(to);
        return IL_ERR_NOMEM;
    }
    return IL_OK;
}

enum il_status il_sts_settings_set_profile(struct il_sts_settings_copy *s, const char *region,
                                           const char *endpoint_url) {
    IL_TRY(s_set(&s->profile_region, region));
    return s_set(&s->profile_endpoint_url, endpoint_url);
}

void il_sts_settings_view(const struct il_sts_settings_copy *s, struct il_sts_settings *out) {
    *out = (struct il_sts_settings){
        .region = s->region,
        .endpoint_url = s->endpoint_url,
        .debug_fn = s->debug_fn,
        .debug_ctx = s->debug_ctx,
        .settings = s->settings,
        .profile_region = s->profile_region,
        .profile_endpoint_url = s->profile_endpoint_url,
    };
}

enum il_status il_sts_client_new(const struct il_sts_settings_copy *s, struct il_credentials_provider *credentials,
                                 struct il_aws_client **out, struct il_buf *why) {
    *out = NULL;
    char *region = NULL;
    struct il_buf reason;
    il_buf_init(&reason, 2048);
    const char *profile_region = s->profile_region;
    if (profile_region == NULL && s->settings) {
        profile_region = s->settings->region.value;
    }
    enum il_status st = il_aws_region_resolve(s->region, profile_region, NULL, NULL, &region, &reason);
    if (st == IL_ERR_NOTFOUND) {
        il_buf_reset(&reason);
        st = (region = il_strdup(S_FALLBACK_REGION)) != NULL ? IL_OK : IL_ERR_NOMEM;
    }
    if (st == IL_OK) {
        struct il_aws_client_config cfg = {
            .region = region,
            .endpoints = {.endpoint_url = s->endpoint_url, .profile_endpoint_url = s->profile_endpoint_url},
            .credentials = credentials,
            .settings = s->settings,
            .debug_fn = s->debug_fn,
            .debug_ctx = s->debug_ctx,
        };
        st = il_aws_client_new(&cfg, out, &reason);
    }
    if (st != IL_OK && why != NULL) {
        IL_STICKY(il_buf_printf(why, "cannot set up the STS client: %s",
                                reason.len ? il_buf_cstr(&reason) : il_status_str(st)));
    }
    il_buf_release(&reason);
    free(region);
    return st;
}

void il_sts_trace(const struct il_sts_settings_copy *s, const char *fmt, ...) {
    if (s->debug_fn == NULL) {
        return;
    }
    struct il_buf line;
    il_buf_init(&line, 4096);
    va_list ap;
    va_start(ap, fmt);
    enum il_status st = il_buf_vprintf(&line, fmt, ap);
    va_end(ap);
    if (st == IL_OK) {
        s->debug_fn(s->debug_ctx, il_buf_cstr(&line));
    }
    il_buf_release(&line);
}
