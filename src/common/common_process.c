/* The process runner: fork/exec with an argv, output into a bounded buffer, a deadline, the child always reaped. */
#include "il/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Child side: stdout to the pipe, stdin/stderr to /dev/null, the extra environment, then exec. */
static void s_child(const char *const *argv, const char *const *env, int out_fd) {
    int devnull = open("/dev/null", O_RDWR);
    if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDERR_FILENO) < 0 ||
        dup2(out_fd, STDOUT_FILENO) < 0) {
        _exit(127);
    }
    for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
        const char *eq = strchr(env[i], '=');
        char name[128];
        size_t n = eq ? (size_t)(eq - env[i]) : 0;
        if (n == 0 || n >= sizeof(name)) {
            _exit(127);
        }
        memcpy(name, env[i], n);
        name[n] = '\0';
        if (setenv(name, eq + 1, 1) != 0) {
            _exit(127);
        }
    }
    union {
        const char *const *c;
        char *const *m;
    } args = {.c = argv};
    execvp(argv[0], args.m);
    _exit(127);
}

static long long s_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the pipe until EOF, the output bound or the deadline. */
static enum il_status s_drain(int fd, pid_t pid, const struct il_process_opts *opts, struct il_buf *out) {
    long long deadline = opts && opts->timeout_ms ? s_now_ms() + opts->timeout_ms : 0;
    size_t start = out->len;
    char chunk[8192];
    for (;;) {
        int wait_ms = -1;
        if (deadline != 0) {
            long long left = deadline - s_now_ms();
            if (left <= 0) {
                kill(pid, SIGKILL);
                return IL_ERR_LIMIT;
            }
            wait_ms = left > 60000 ? 60000 : (int)left;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, wait_ms);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r == 0) {
            continue; /* the deadline check above decides */
        }
        ssize_t n = r < 0 ? -1 : read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return IL_OK;
        }
        enum il_status st = opts && opts->max_output && out->len - start + (size_t)n > opts->max_output
                                ? IL_ERR_LIMIT
                                : il_buf_append(out, chunk, (size_t)n);
        if (st != IL_OK) {
            kill(pid, SIGKILL); /* output past the bound: stop reading, stop the program */
            return st;
        }
    }
}

enum il_status il_process_run(const char *const *argv, const struct il_process_opts *opts, struct il_buf *out,
                              int *exit_code) {
    *exit_code = -1;
    if (argv == NULL || argv[0] == NULL) {
        return IL_ERR_INVALID;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        return IL_ERR_IO;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return IL_ERR_IO;
    }
    if (pid == 0) {
        close(fds[0]);
        s_child(argv, opts ? opts->env : NULL, fds[1]);
    }
    close(fds[1]);
    enum il_status st = s_drain(fds[0], pid, opts, out);
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR) {
            return IL_ERR_IO;
        }
    }
    if (st != IL_OK) {
        return st;
    }
    if (WIFEXITED(wstatus)) {
        *exit_code = WEXITSTATUS(wstatus);
    }
    return *exit_code == 127 ? IL_ERR_IO : IL_OK;
}
