/*
 * The apply change log: one JSON object per attempted change (schema/apply-log.schema.json), appended to a file and
 * flushed to disk before the next change starts, so an interrupted run keeps the record of everything it did.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/aws_sticky.h"
#include "il/drift/apply.h"
#include "il/escape.h"

struct il_apply_log {
    int fd;
    char *path;
};

/* "key":"value" (null when @p value is NULL), with a leading comma unless first. */
static void s_str(struct il_buf *out, const char *key, const char *value, int first) {
    IL_STICKY(il_buf_printf(out, "%s\"%s\":", first ? "" : ",", key));
    IL_STICKY(value ? il_escape_json(out, value) : il_buf_puts(out, "null"));
}

static void s_entry(struct il_buf *out, const struct il_apply_log_info *info, const struct il_apply_action *a) {
    const struct il_ledger_entry *e = a->entry;
    if (e == NULL) {
        IL_STICKY(il_buf_puts(out, ",\"entry\":null"));
        return;
    }
    IL_STICKY(il_buf_puts(out, ",\"entry\":{"));
    s_str(out, "file", info->ledger_file, 1);
    IL_STICKY(il_buf_printf(out, ",\"line\":%u", e->line));
    s_str(out, "pointer", e->pointer, 0);
    s_str(out, "expires_at", e->expires_at.valid ? e->expires_at.text.value : NULL, 0);
    IL_STICKY(il_buf_putc(out, '}'));
}

enum il_status il_apply_log_line(const struct il_apply_log_info *info, const struct il_apply_action *a,
                                 const struct il_apply_result *r, struct il_buf *out) {
    IL_STICKY(il_buf_putc(out, '{'));
    s_str(out, "time", r->time[0] ? r->time : NULL, 1);
    s_str(out, "run_id", info->run_id, 0);
    s_str(out, "tool_version", info->tool_version, 0);
    IL_STICKY(il_buf_puts(out, ",\"caller\":{"));
    s_str(out, "arn", info->caller_arn, 1);
    s_str(out, "account", info->caller_account, 0);
    IL_STICKY(il_buf_putc(out, '}'));
    s_str(out, "account", a->account, 0);
    s_str(out, "region", a->region, 0);
    s_str(out, "function_arn", a->arn, 0);
    s_str(out, "action", a->kind == IL_APPLY_TAG ? "add" : "remove", 0);
    s_str(out, "tag_key", a->key, 0);
    s_str(out, "tag_value", a->value, 0);
    s_str(out, "reason", a->why, 0);
    IL_STICKY(il_buf_printf(out, ",\"via_role\":%s", info->assumed_role ? "true" : "false"));
    s_str(out, "result", il_apply_state_str(r->state), 0);
    s_str(out, "error_code", r->error_code, 0);
    s_str(out, "error", r->error, 0);
    s_str(out, "request_id", r->request_id, 0);
    s_entry(out, info, a);
    IL_STICKY(il_buf_puts(out, ",\"ledger\":{"));
    s_str(out, "file", info->ledger_file, 1);
    s_str(out, "sha256", info->ledger_sha256, 0);
    s_str(out, "git_commit", info->git_commit, 0);
    s_str(out, "git_file_commit", info->git_file_commit, 0);
    IL_STICKY(il_buf_printf(out, ",\"git_dirty\":%s}}\n",
                            info->git_dirty < 0 ? "null"
                            : info->git_dirty   ? "true"
                                                : "false"));
    return il_buf_status(out);
}

enum il_status il_apply_log_open(const char *path, struct il_apply_log **out, struct il_buf *why) {
    *out = NULL;
    struct il_apply_log *log = calloc(1, sizeof(*log));
    if (log == NULL || (log->path = il_strdup(path)) == NULL) {
        free(log);
        return IL_ERR_NOMEM;
    }
    log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (log->fd < 0) {
        IL_STICKY(il_buf_printf(why, "cannot open the change log '%s': %s", path, strerror(errno)));
        free(log->path);
        free(log);
        return IL_ERR_IO;
    }
    *out = log;
    return IL_OK;
}

enum il_status il_apply_log_append(struct il_apply_log *log, const struct il_buf *line, struct il_buf *why) {
    size_t done = 0;
    while (done < line->len) {
        ssize_t n = write(log->fd, line->data + done, line->len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            IL_STICKY(il_buf_printf(why, "writing the change log '%s' failed: %s", log->path,
                                    n < 0 ? strerror(errno) : "nothing written"));
            return IL_ERR_IO;
        }
        done += (size_t)n;
    }
    /* a regular file must reach the disk; a pipe or terminal cannot be synced and needs not be */
    if (fsync(log->fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP) {
        IL_STICKY(il_buf_printf(why, "flushing the change log '%s' to disk failed: %s", log->path, strerror(errno)));
        return IL_ERR_IO;
    }
    return IL_OK;
}

enum il_status il_apply_log_close(struct il_apply_log *log, struct il_buf *why) {
    if (log == NULL) {
        return IL_OK;
    }
    enum il_status st = IL_OK;
    if (close(log->fd) != 0) {
        IL_STICKY(il_buf_printf(why, "closing the change log '%s' failed: %s", log->path, strerror(errno)));
        st = IL_ERR_IO;
    }
    free(log->path);
    free(log);
    return st;
}
