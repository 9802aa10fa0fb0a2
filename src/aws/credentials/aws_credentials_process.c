/* credential_process: fork/exec `/bin/sh -c COMMAND` with a bounded, timed stdout capture, then parse its JSON.
 * Output is wiped after parsing: it holds the secret. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "aws/credentials/aws_credentials_internal.h"
#include "aws/credentials/aws_credentials_process.h"

static long long s_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum il_status il_credential_process_parse(const char *profile, const char *text, size_t len,
                                           struct il_credentials **out, struct il_buf *why) {
    *out = NULL;
    enum il_status st = IL_ERR_CREDENTIALS;
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(root)) {
        il_buf_say(why, "profile '%s': credential_process did not print a JSON object", profile);
        goto cleanup;
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "Version");
    if (!cJSON_IsNumber(version) || version->valuedouble != 1.0) {
        il_buf_say(why, "profile '%s': credential_process output needs \"Version\": 1", profile);
        goto cleanup;
    }
    enum il_credentials_json_problem problem = IL_CREDENTIALS_JSON_OK;
    st = il_credentials_from_json(root, "SessionToken", out, &problem);
    switch (problem) {
    case IL_CREDENTIALS_JSON_OK: break;
    case IL_CREDENTIALS_JSON_NO_KEYS:
        il_buf_say(why, "profile '%s': credential_process output lacks string AccessKeyId and SecretAccessKey",
                   profile);
        break;
    case IL_CREDENTIALS_JSON_BAD_TOKEN:
        il_buf_say(why, "profile '%s': credential_process SessionToken is not a string", profile);
        break;
    case IL_CREDENTIALS_JSON_BAD_EXPIRATION:
        il_buf_say(why, "profile '%s': credential_process Expiration is not an ISO 8601 time", profile);
        break;
    case IL_CREDENTIALS_JSON_BAD_CHARACTERS:
        il_buf_say(why,
                   "profile '%s': credential_process printed a key id, secret or token with characters credentials "
                   "cannot have",
                   profile);
        break;
    }
cleanup:
    il_credentials_json_delete(root, "SessionToken");
    return st;
}

/* Read the child's stdout until EOF, the byte bound or the deadline. IL_OK, IL_ERR_LIMIT (too much), IL_ERR_NETWORK
 * (timeout; reused to mean "timed out"), IL_ERR_IO. */
static enum il_status s_capture(int fd, long long deadline, char *buf, size_t cap, size_t *len) {
    *len = 0;
    for (;;) {
        long long left = deadline - s_now_ms();
        if (left <= 0) {
            return IL_ERR_NETWORK;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int n = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return IL_ERR_IO;
        }
        if (n == 0) {
            continue;
        }
        if (*len == cap) {
            return IL_ERR_LIMIT;
        }
        ssize_t got = read(fd, buf + *len, cap - *len);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return IL_ERR_IO;
        }
        if (got == 0) {
            return IL_OK;
        }
        *len += (size_t)got;
    }
}

/* Reap the child, waiting until the deadline; past it the child is killed. Returns the wait status or -1. */
static int s_reap(pid_t pid, long long deadline, int kill_now) {
    int wstatus = 0;
    if (kill_now) {
        kill(pid, SIGKILL);
    }
    for (;;) {
        pid_t r = waitpid(pid, &wstatus, kill_now ? 0 : WNOHANG);
        if (r == pid) {
            return wstatus;
        }
        if (r < 0 && errno != EINTR) {
            return -1;
        }
        if (r == 0) {
            if (s_now_ms() >= deadline) {
                kill_now = 1;
                kill(pid, SIGKILL);
                continue;
            }
            struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
}

enum il_status il_credential_process_run(const char *profile, const char *command, struct il_credentials **out,
                                         struct il_buf *why) {
    *out = NULL;
    enum il_status st = IL_ERR_CREDENTIALS;
    int fds[2] = {-1, -1};
    char *buf = malloc(IL_CREDENTIAL_PROCESS_MAX_OUTPUT);
    size_t len = 0;
    if (buf == NULL) {
        return IL_ERR_NOMEM;
    }
    /* argv is built before fork: between fork and exec the child may only call async-signal-safe functions */
    char *const argv[] = {(char *)(uintptr_t) "sh", (char *)(uintptr_t) "-c", (char *)(uintptr_t)command, NULL};
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0) {
        il_buf_say(why, "profile '%s': cannot create a pipe for credential_process", profile);
        goto cleanup;
    }
    long long deadline = s_now_ms() + IL_CREDENTIAL_PROCESS_TIMEOUT_MS;
    pid_t pid = fork();
    if (pid < 0) {
        il_buf_say(why, "profile '%s': cannot start credential_process", profile);
        goto cleanup;
    }
    if (pid == 0) {
        if (dup2(fds[1], STDOUT_FILENO) < 0) {
            _exit(127);
        }
        close(fds[1]);
        execv("/bin/sh", argv);
        _exit(127);
    }
    close(fds[1]);
    fds[1] = -1;
    enum il_status cap = s_capture(fds[0], deadline, buf, IL_CREDENTIAL_PROCESS_MAX_OUTPUT, &len);
    close(fds[0]);
    fds[0] = -1;
    int wstatus = s_reap(pid, deadline, cap != IL_OK);
    if (cap == IL_ERR_NETWORK || (cap == IL_OK && wstatus == -1)) {
        il_buf_say(why, "profile '%s': credential_process did not finish within %d s", profile,
                   IL_CREDENTIAL_PROCESS_TIMEOUT_MS / 1000);
    } else if (cap == IL_ERR_LIMIT) {
        il_buf_say(why, "profile '%s': credential_process printed more than %zu bytes", profile,
                   IL_CREDENTIAL_PROCESS_MAX_OUTPUT);
    } else if (cap != IL_OK) {
        il_buf_say(why, "profile '%s': cannot read credential_process output", profile);
    } else if (WIFSIGNALED(wstatus)) {
        il_buf_say(why, "profile '%s': credential_process was killed by signal %d", profile, WTERMSIG(wstatus));
    } else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        il_buf_say(why, "profile '%s': credential_process failed (exit status %d)", profile,
                   WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    } else {
        st = il_credential_process_parse(profile, buf, len, out, why);
    }
cleanup:
    if (fds[0] >= 0) {
        close(fds[0]);
    }
    if (fds[1] >= 0) {
        close(fds[1]);
    }
    OPENSSL_cleanse(buf, IL_CREDENTIAL_PROCESS_MAX_OUTPUT);
    free(buf);
    return st;
}
