/**
 * Private to src/aws: the STS client the credential providers that call STS (assume-role, profile roles) make for
 * each call, from a copy of struct il_sts_settings plus what the selected profile says (region, endpoint_url).
 */
#ifndef IL_AWS_CREDENTIALS_STS_H
#define IL_AWS_CREDENTIALS_STS_H

#include "il/aws/assume_role.h"

/** A provider's own copy of struct il_sts_settings (strings owned). */
struct il_sts_settings_copy {
    char *region;
    char *endpoint_url;
    char *profile_region;                   /* the selected profile's `region`, used after the environment's */
    char *profile_endpoint_url;             /* the selected profile's `endpoint_url` */
    const struct il_aws_settings *settings; /* borrowed */
    il_aws_debug_fn debug_fn;
    void *debug_ctx;
};

/** Copy @p from (may be NULL) into @p to (zeroed first). IL_ERR_NOMEM leaves @p to released. */
IL_MUST_CHECK enum il_status il_sts_settings_copy(struct il_sts_settings_copy *to, const struct il_sts_settings *from);
/** Set the profile values (copied; NULL clears). */
IL_MUST_CHECK enum il_status il_sts_settings_set_profile(struct il_sts_settings_copy *s, const char *region,
                                                         const char *endpoint_url);
/** Free the strings; accepts NULL and zeroed. */
void il_sts_settings_release(struct il_sts_settings_copy *s);
/** The settings as the borrowed public struct (valid while @p s is). */
void il_sts_settings_view(const struct il_sts_settings_copy *s, struct il_sts_settings *out);

/** A client for STS signed by @p credentials (borrowed, may be NULL for unsigned calls) in the settings' region:
 *  explicit, AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1. Reason appended to @p why on failure. */
IL_MUST_CHECK enum il_status il_sts_client_new(const struct il_sts_settings_copy *s,
                                               struct il_credentials_provider *credentials, struct il_aws_client **out,
                                               struct il_buf *why);
/** One --debug line through the settings' debug hook (nothing when none). Never pass a credential. */
void il_sts_trace(const struct il_sts_settings_copy *s, const char *fmt, ...) IL_PRINTF(2, 3);

#endif
