/*
 * Role profiles, as botocore's AssumeRoleProvider resolves them: `role_arn` plus exactly one of `source_profile`
 * (another profile: its static keys / credential_process, or, when it has no static keys but a role_arn of its own,
 * that role, and so on) or `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer). The walk builds a
 * stack of assume-role providers, innermost first, and asks the outermost once; every hop is one STS AssumeRole.
 * Nothing is cached between calls: the profile provider is asked again only when the client refreshes.
 */
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_credentials_profile.h"
#include "il/aws/assume_role.h"

#define S_MIN_DURATION 900ULL
#define S_MAX_DURATION 43200ULL

struct s_walk {
    const struct il_profile_files *f;
    const char *visited[IL_ASSUME_ROLE_MAX_DEPTH + 1]; /* the profiles on the path, selected one first */
    size_t count;
    struct il_sts_settings sts;
};

static void s_say_path(struct il_buf *why, const struct s_walk *w, const char *last) {
    for (size_t i = 0; i < w->count; i++) {
        il_buf_say(why, "'%s' -> ", w->visited[i]);
    }
    il_buf_say(why, "'%s'", last);
}

static enum il_status s_duration(const char *profile, const char *text, int *out, struct il_buf *why) {
    *out = 0;
    if (text == NULL) {
        return IL_OK;
    }
    char *end = NULL;
    unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
    if (end == NULL || *end != '\0' || v < S_MIN_DURATION || v > S_MAX_DURATION) {
        il_buf_say(why, "profile '%s': duration_seconds '%s' is not a whole number of seconds from %llu to %llu",
                   profile, text, S_MIN_DURATION, S_MAX_DURATION);
        return IL_ERR_CREDENTIALS;
    }
    *out = (int)v;
    return IL_OK;
}

/* credential_source: botocore's canonical provider names. */
static enum il_status s_named_source(const char *profile, const char *name, struct il_credentials_provider **out,
                                     struct il_buf *why) {
    *out = NULL;
    if (strcmp(name, "Environment") == 0) {
        *out = il_credentials_provider_env_new();
    } else if (strcmp(name, "Ec2InstanceMetadata") == 0) {
        *out = il_credentials_provider_imds_new();
    } else if (strcmp(name, "EcsContainer") == 0) {
        *out = il_credentials_provider_ecs_new();
    } else {
        il_buf_say(why,
                   "profile '%s': credential_source '%s' is not valid: use Environment, Ec2InstanceMetadata or "
                   "EcsContainer",
                   profile, name);
        return IL_ERR_CREDENTIALS;
    }
    return *out ? IL_OK : IL_ERR_NOMEM;
}

/* A source profile used for its own credentials (static keys, credential_process, web identity): resolved now, since
 * the whole stack is rebuilt for every refresh anyway. Named "profile:NAME", plus how when it ran something. */
static enum il_status s_plain_source(const struct s_walk *w, const char *parent, const char *name,
                                     struct il_credentials_provider **out, struct il_buf *why) {
    struct il_credentials *creds = NULL;
    struct il_buf reason, label;
    il_buf_init(&reason, 4096);
    il_buf_init(&label, 1024);
    struct il_sts_settings_copy sts = {0};
    enum il_status st = il_sts_settings_copy(&sts, &w->sts);
    if (st == IL_OK) {
        st = il_profile_plain(w->f, name, &sts, &creds, &reason);
    }
    il_sts_settings_release(&sts);
    if (st != IL_OK) {
        il_buf_say(why, "source_profile '%s' of profile '%s' has no usable credentials: %s", name, parent,
                   il_buf_cstr(&reason));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
    } else {
        const char *how = il_credentials_source(creds);
        if (strcmp(how, "credential_process") == 0) {
            st = il_buf_printf(&label, "profile:%s (credential_process)", name);
        } else if (strncmp(how, "profile:", 8) == 0) {
            st = il_buf_puts(&label, how); /* already "profile:NAME (web-identity)" */
        } else {
            st = il_buf_printf(&label, "profile:%s", name);
        }
        *out = st == IL_OK ? il_credentials_provider_static_new(creds, il_buf_cstr(&label)) : NULL;
        st = st != IL_OK ? st : *out ? IL_OK : IL_ERR_NOMEM;
    }
    il_credentials_free(creds);
    il_buf_release(&reason);
    il_buf_release(&label);
    return st;
}

static enum il_status s_build(struct s_walk *w, const char *name, struct il_credentials_provider **out,
                              struct il_buf *why);

static enum il_status s_source_profile(struct s_walk *w, const char *name, const char *source,
                                       struct il_credentials_provider **out, struct il_buf *why) {
    if (!il_profile_exists(w->f, source)) {
        il_buf_say(why, "source_profile '%s' referenced in profile '%s' does not exist", source, name);
        return IL_ERR_CREDENTIALS;
    }
    int seen = 0;
    for (size_t i = 0; i < w->count; i++) {
        seen = seen || strcmp(w->visited[i], source) == 0;
    }
    /* botocore: a profile may name itself to use its own static keys; any other revisit is a loop */
    if (seen && (strcmp(source, name) != 0 || !il_profile_has_static(w->f, source))) {
        il_buf_say(why, "the source_profile chain loops: ");
        s_say_path(why, w, source);
        return IL_ERR_CREDENTIALS;
    }
    if (w->count >= IL_ASSUME_ROLE_MAX_DEPTH) {
        il_buf_say(why, "the source_profile chain is longer than %d profiles: ", IL_ASSUME_ROLE_MAX_DEPTH);
        s_say_path(why, w, source);
        return IL_ERR_CREDENTIALS;
    }
    w->visited[w->count++] = source;
    /* botocore: static keys win over the source profile's own role_arn */
    if (il_profile_has_static(w->f, source) || !il_profile_has_role(w->f, source)) {
        return s_plain_source(w, name, source, out, why);
    }
    return s_build(w, source, out, why);
}

static enum il_status s_build(struct s_walk *w, const char *name, struct il_credentials_provider **out,
                              struct il_buf *why) {
    *out = NULL;
    const struct il_profile_files *f = w->f;
    const char *source_profile = il_profile_value(f, name, "source_profile");
    const char *credential_source = il_profile_value(f, name, "credential_source");
    struct il_assume_role_options o = {
        .role_arn = il_profile_value(f, name, "role_arn"),
        .external_id = il_profile_value(f, name, "external_id"),
        .session_name = il_profile_value(f, name, "role_session_name"),
        .sts = w->sts,
    };
    if (il_profile_value(f, name, "mfa_serial") != NULL) {
        il_buf_say(why,
                   "profile '%s' sets mfa_serial: assuming its role needs an MFA code, which a non-interactive tool "
                   "cannot ask for (use credentials that need no MFA, or credential_process)",
                   name);
        return IL_ERR_CREDENTIALS;
    }
    if (o.role_arn == NULL || *o.role_arn == '\0') {
        il_buf_say(why, "profile '%s' sets an empty role_arn", name);
        return IL_ERR_CREDENTIALS;
    }
    if (source_profile != NULL && credential_source != NULL) {
        il_buf_say(why, "profile '%s' sets both source_profile and credential_source: keep one", name);
        return IL_ERR_CREDENTIALS;
    }
    if (source_profile == NULL && credential_source == NULL) {
        il_buf_say(why,
                   "profile '%s' sets role_arn but neither source_profile nor credential_source (the credentials to "
                   "assume the role with)",
                   name);
        return IL_ERR_CREDENTIALS;
    }
    IL_TRY(s_duration(name, il_profile_value(f, name, "duration_seconds"), &o.duration_seconds, why));
    struct il_credentials_provider *source = NULL;
    enum il_status st = credential_source ? s_named_source(name, credential_source, &source, why)
                                          : s_source_profile(w, name, source_profile, &source, why);
    struct il_buf label;
    il_buf_init(&label, 1024);
    if (st == IL_OK && (st = il_buf_printf(&label, "profile:%s (assume-role)", name)) == IL_OK) {
        o.source_name = il_buf_cstr(&label);
        *out = il_credentials_provider_assume_role_new_take(source, &o);
        source = NULL;
        st = *out ? IL_OK : IL_ERR_NOMEM;
    }
    il_credentials_provider_free(source);
    il_buf_release(&label);
    return st;
}

enum il_status il_profile_assume_role(const struct il_profile_files *f, const char *name,
                                      const struct il_sts_settings_copy *sts, struct il_credentials **out,
                                      struct il_buf *why) {
    *out = NULL;
    struct s_walk w = {.f = f, .count = 1};
    w.visited[0] = name;
    il_sts_settings_view(sts, &w.sts);
    /* botocore's STS client uses the selected profile's region and endpoint, after the environment's */
    w.sts.profile_region = il_profile_value(f, name, "region");
    w.sts.profile_endpoint_url = il_profile_value(f, name, "endpoint_url");
    struct il_credentials_provider *top = NULL;
    struct il_buf reason;
    il_buf_init(&reason, 4096);
    enum il_status st = s_build(&w, name, &top, &reason);
    if (st == IL_OK) {
        st = il_credentials_provider_get(top, out, &reason);
    }
    if (st != IL_OK) {
        il_buf_say(why, "profile '%s' (role_arn): %s", name, reason.len ? il_buf_cstr(&reason) : il_status_str(st));
        st = st == IL_ERR_NOMEM ? st : IL_ERR_CREDENTIALS;
    }
    il_credentials_provider_free(top);
    il_buf_release(&reason);
    return st;
}
