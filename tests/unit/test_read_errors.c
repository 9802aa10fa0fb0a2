/* Unit tests: il_read_file_err says why a read failed (issue 13), and a FIFO with no writer is given up on after the
 * pipe timeout instead of blocking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "il/buf.h"

static char s_dir[] = "/tmp/il-read-errors-XXXXXX";

static void s_path(char *out, size_t cap, const char *name) {
    assert_true(snprintf(out, cap, "%s/%s", s_dir, name) < (int)cap);
}

static void s_expect(const char *path, enum il_status want_st, int want_err, const char *want_text) {
    char *data = NULL;
    size_t len = 0;
    int err = 0;
    assert_int_equal(il_read_file_err(path, 0, &data, &len, &err), want_st);
    assert_null(data);
    assert_int_equal(err, want_err);
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_read_error_say(&why, want_st, err, 0), IL_OK);
    assert_string_equal(il_buf_cstr(&why), want_text);
    il_buf_release(&why);
}

static void test_directory_loop_missing(void **state) {
    (void)state;
    char p[128];
    s_path(p, sizeof(p), "dir");
    s_expect(p, IL_ERR_IO, EISDIR, "is a directory");
    s_path(p, sizeof(p), "loop1");
    s_expect(p, IL_ERR_IO, ELOOP, "too many levels of symbolic links");
    s_path(p, sizeof(p), "missing");
    s_expect(p, IL_ERR_NOTFOUND, ENOENT, "no such file");
}

static void test_closed_stdin_is_named(void **state) {
    (void)state;
    struct il_buf why;
    il_buf_init(&why, 0);
    assert_int_equal(il_read_error_say(&why, IL_ERR_IO, EBADF, 1), IL_OK);
    assert_string_equal(il_buf_cstr(&why), "standard input is closed");
    il_buf_release(&why);
}

static void test_fifo_without_writer_times_out(void **state) {
    (void)state;
    char p[128];
    s_path(p, sizeof(p), "fifo");
    il_read_set_pipe_timeout(300);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *data = NULL;
    size_t len = 0;
    int err = 0;
    assert_int_equal(il_read_file_err(p, 0, &data, &len, &err), IL_ERR_IO); /* the open itself must not block */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    il_read_set_pipe_timeout(0);
    assert_int_equal(err, ETIMEDOUT);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(took >= 0.25 && took < 5.0);
}

static int s_setup(void **state) {
    (void)state;
    if (mkdtemp(s_dir) == NULL) {
        return -1;
    }
    char p[128], q[128];
    s_path(p, sizeof(p), "dir");
    s_path(q, sizeof(q), "fifo");
    if (mkdir(p, 0700) != 0 || mkfifo(q, 0600) != 0) {
        return -1;
    }
    s_path(p, sizeof(p), "loop1");
    s_path(q, sizeof(q), "loop2");
    return symlink("loop2", p) == 0 && symlink("loop1", q) == 0 ? 0 : -1;
}

static int s_teardown(void **state) {
    (void)state;
    static const char *const names[] = {"dir", "fifo", "loop1", "loop2"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char p[128];
        s_path(p, sizeof(p), names[i]);
        if (i == 0) {
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    rmdir(s_dir);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_directory_loop_missing),
        cmocka_unit_test(test_closed_stdin_is_named),
        cmocka_unit_test(test_fifo_without_writer_times_out),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
