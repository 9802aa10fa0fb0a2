/**
 * Private to src/aws: running a profile's credential_process the way the SDKs do (`/bin/sh -c COMMAND`, stdin and
 * stderr inherited so prompts work, stdout captured) and parsing its JSON answer.
 */
#ifndef IL_AWS_CREDENTIALS_PROCESS_H
#define IL_AWS_CREDENTIALS_PROCESS_H

#include "il/aws/credentials.h"
#include "il/buf.h"
#include "il/status.h"

#define IL_CREDENTIAL_PROCESS_MAX_OUTPUT ((size_t)64 << 10) /* 64 KiB of stdout */
#define IL_CREDENTIAL_PROCESS_TIMEOUT_MS 60000

/** Run @p command for profile @p profile (used only in reasons) and parse
 *  {"Version":1,"AccessKeyId","SecretAccessKey","SessionToken"?,"Expiration"?}. IL_ERR_CREDENTIALS with a
 *  secret-free reason naming the profile when the process fails, times out, prints too much or prints anything but
 *  that JSON; the command line and its output never appear in the reason. *out: caller frees. */
IL_MUST_CHECK enum il_status il_credential_process_run(const char *profile, const char *command,
                                                       struct il_credentials **out, struct il_buf *why);
/** The JSON half, for tests: parse @p len bytes of @p text. */
IL_MUST_CHECK enum il_status il_credential_process_parse(const char *profile, const char *text, size_t len,
                                                         struct il_credentials **out, struct il_buf *why);

#endif
