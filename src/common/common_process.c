/* The one process runner (il/process.h): report_git.c runs git with it, aws_credentials_process.c the AWS
 * credential_process. Between fork and exec the child only calls dup2/open/close/setenv/exec/_exit on data prepared
 * before the fork. */
#include "il/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "il/crypto.h"

static long long s_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Child side: stdout to the pipe, optionally stdin/stderr to /dev/null, the extra environment, then exec. */
static void s_child(const char *const *argv, const struct il_process_opts *o, int out_fd) {
    if (o->quiet) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDERR_FILENO) < 0) {
            _exit(127);
        }
    }
    if (dup2(out_fd, STDOUT_FILENO) < 0) {
        _exit(127);
    }
    close(out_fd);
    for (size_t i = 0; o->env != NULL && o->env[i] != NULL && o->env[i + 1] != NULL; i += 2) {
        setenv(o->env[i], o->env[i + 1], 1);
    }
    union {
        const char *const *c;
        char *const *m;
    } args = {.c = argv};
    if (o->path != NULL) {
        execv(o->path, args.m);
    } else {
        execvp(argv[0], args.m);
    }
    _exit(127);
}

/* The room left under the bound, and where the bytes go: the secret block or a stack chunk appended to @p out. */
struct s_sink {
    struct il_buf *out;
    char *block; /* secret mode: max_output bytes */
    size_t block_len;
    size_t max; /* bytes kept at most */
    size_t kept;
};

/* Read until EOF, the bound or the deadline (0: none). IL_OK, IL_ERR_LIMIT, IL_ERR_NETWORK (deadline), IL_ERR_IO,
 * or the status of a failed append. */
static enum il_status s_capture(int fd, long long deadline, struct s_sink *k) {
    char chunk[8192];
    enum il_status st = IL_OK;
    for (;;) {
        int wait_ms = -1;
        if (deadline != 0) {
            long long left = deadline - s_now_ms();
            if (left <= 0) {
                st = IL_ERR_NETWORK;
                break;
            }
            wait_ms = left > 1000 ? 1000 : (int)left;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int n = poll(&pfd, 1, wait_ms);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            st = IL_ERR_IO;
            break;
        }
        if (n == 0) {
            continue;
        }
        /* at the bound, one byte more decides between "complete" (EOF) and "too much" */
        char *dst = k->block ? k->block + k->block_len : chunk;
        size_t room = k->max - k->kept;
        size_t want = k->block ? room : (room < sizeof(chunk) ? room : sizeof(chunk));
        char probe;
        ssize_t got = read(fd, room == 0 ? &probe : dst, room == 0 ? 1 : want);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            st = IL_ERR_IO;
            break;
        }
        if (got == 0) {
            break;
        }
        if (room == 0) {
            st = IL_ERR_LIMIT;
            break;
        }
        k->kept += (size_t)got;
        if (k->block) {
            k->block_len += (size_t)got;
        } else if ((st = il_buf_append(k->out, chunk, (size_t)got)) != IL_OK) {
            break;
        }
    }
    il_crypto_cleanse(chunk, sizeof(chunk));
    return st;
}

/* Reap the child; with a deadline, wait until it and then kill. Returns the wait status or -1. */
static int s_reap(pid_t pid, long long deadline, int kill_now) {
    int wstatus = 0;
    if (kill_now) {
        kill(pid, SIGKILL);
    }
    for (;;) {
        int blocking = kill_now || deadline == 0;
        pid_t r = waitpid(pid, &wstatus, blocking ? 0 : WNOHANG);
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
            (void)nanosleep(&pause, NULL);
        }
    }
}

enum il_status il_process_run(const char *const *argv, const struct il_process_opts *opts, struct il_buf *out,
                              struct il_process_exit *end) {
    static const struct il_process_opts none = {0};
    const struct il_process_opts *o = opts ? opts : &none;
    end->failed = NULL;
    end->code = -1;
    end->signal = 0;
    size_t limit = out->limit ? out->limit : ((size_t)1 << 30);
    struct s_sink k = {.out = out, .max = o->max_output ? o->max_output : limit};
    if (k.max > limit - (out->len < limit ? out->len : limit)) {
        k.max = limit - (out->len < limit ? out->len : limit);
    }
    if (o->secret && (k.block = malloc(k.max ? k.max : 1)) == NULL) {
        return IL_ERR_NOMEM;
    }
    enum il_status st = IL_OK;
    int fds[2] = {-1, -1};
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0) {
        end->failed = "pipe";
        st = IL_ERR_IO;
        goto cleanup;
    }
    long long deadline = o->timeout_ms > 0 ? s_now_ms() + o->timeout_ms : 0;
    fflush(NULL); /* nothing buffered twice */
    pid_t pid = fork();
    if (pid < 0) {
        end->failed = "fork";
        st = IL_ERR_IO;
        goto cleanup;
    }
    if (pid == 0) {
        close(fds[0]);
        s_child(argv, o, fds[1]);
    }
    close(fds[1]);
    fds[1] = -1;
    st = s_capture(fds[0], deadline, &k);
    if (st != IL_OK) {
        kill(pid, SIGKILL); /* before closing the pipe, so the child ends by this signal, not by a write error */
    }
    close(fds[0]);
    fds[0] = -1;
    if (st == IL_ERR_IO) {
        end->failed = "read";
    }
    int wstatus = s_reap(pid, deadline, st != IL_OK);
    if (wstatus == -1) {
        end->failed = end->failed ? end->failed : "wait";
    } else if (WIFEXITED(wstatus)) {
        end->code = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        end->signal = WTERMSIG(wstatus);
    }
    if (st == IL_OK && k.block != NULL) {
        st = il_buf_append(out, k.block, k.block_len);
    }
cleanup:
    if (fds[0] >= 0) {
        close(fds[0]);
    }
    if (fds[1] >= 0) {
        close(fds[1]);
    }
    if (k.block != NULL) {
        il_crypto_cleanse(k.block, k.max ? k.max : 1);
        free(k.block);
    }
    return st;
}
