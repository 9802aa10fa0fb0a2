/* Messages to standard error, output files and the check of standard output at exit (cli_msgs.h). */
#include "cli/cli_msgs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void s_vmsg(const char *prog, const char *kind, const char *fmt, va_list ap) IL_PRINTF(3, 0);

static void s_vmsg(const char *prog, const char *kind, const char *fmt, va_list ap) {
    if (prog != NULL) {
        fprintf(stderr, "%s: %s", prog, kind);
    }
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void il_cli_errorf(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s_vmsg(prog, "", fmt, ap);
    va_end(ap);
}

void il_cli_warnf(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s_vmsg(prog, "warning: ", fmt, ap);
    va_end(ap);
}

void il_cli_notef(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s_vmsg(prog, "notice: ", fmt, ap);
    va_end(ap);
}

void il_cli_vusagef(const char *prog, const char *fmt, va_list ap) {
    s_vmsg(prog, "", fmt, ap);
    fprintf(stderr, "Try '%s --help'.\n", prog);
}

void il_cli_rawf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void il_cli_debug_line(void *ctx, const char *line) {
    (void)ctx;
    il_cli_rawf("%s\n", line);
}

int il_cli_write_output(const char *prog, const char *path, const struct il_buf *text) {
    FILE *fp = path ? fopen(path, "wb") : stdout;
    if (fp == NULL) {
        il_cli_errorf(prog, "cannot write '%s': %s", path, strerror(errno));
        return 0;
    }
    int ok = fwrite(text->data ? text->data : "", 1, text->len, fp) == text->len;
    ok = (path ? fclose(fp) == 0 : fflush(fp) == 0) && ok;
    if (!ok) {
        il_cli_errorf(prog, "writing '%s' failed", path ? path : "standard output");
    }
    return ok;
}

int il_cli_close_stdout(void) {
    int bad = ferror(stdout) != 0;
    bad |= fflush(stdout) != 0;
    /* a closed descriptor with nothing pending is fine (`cmd -q >&-`); pending output was caught by fflush */
    if (fclose(stdout) != 0 && errno != EBADF) {
        bad = 1;
    }
    return !bad;
}
