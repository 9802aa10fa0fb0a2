/* Unit tests: il_read_file (regular files sized up front, pipes grown, the byte limit) and il_mem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "il/buf.h"
#include "il/mem.h"

static char s_dir[] = "/tmp/il-read-file-XXXXXX";

static void s_write(const char *path, const char *bytes, size_t len) {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static char *s_pattern(size_t len) {
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    for (size_t i = 0; i < len; i++) {
        p[i] = (char)('a' + (i * 7 + i / 4096) % 26);
    }
    return p;
}

static void test_regular_file_round_trip(void **state) {
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "%s/big", s_dir);
    const size_t len = 3 * 1024 * 1024 + 17; /* past IL_MEM_PREFAULT_MIN: the populated path */
    char *want = s_pattern(len);
    s_write(path, want, len);
    char *data = NULL;
    size_t got = 0;
    assert_int_equal(il_read_file(path, 0, &data, &got), IL_OK);
    assert_int_equal(got, len);
    assert_memory_equal(data, want, len);
    assert_int_equal(data[len], '\0');
    free(data);
    free(want);
}

static void test_limit_is_exact(void **state) {
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "%s/limit", s_dir);
    s_write(path, "0123456789", 10);
    char *data = NULL;
    size_t got = 0;
    assert_int_equal(il_read_file(path, 10, &data, &got), IL_OK); /* exactly at the limit: fine */
    assert_int_equal(got, 10);
    free(data);
    data = NULL;
    assert_int_equal(il_read_file(path, 9, &data, &got), IL_ERR_LIMIT);
    assert_null(data);
}

static void test_empty_missing_and_directory(void **state) {
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "%s/empty", s_dir);
    s_write(path, "", 0);
    char *data = NULL;
    size_t got = 99;
    assert_int_equal(il_read_file(path, 0, &data, &got), IL_OK);
    assert_int_equal(got, 0);
    assert_string_equal(data, "");
    free(data);
    snprintf(path, sizeof(path), "%s/missing", s_dir);
    assert_int_equal(il_read_file(path, 0, &data, &got), IL_ERR_NOTFOUND);
    assert_int_equal(il_read_file(s_dir, 0, &data, &got), IL_ERR_IO);
    assert_null(data);
}

/* Standard input from a pipe has no size up front: the block grows, and the limit still holds. */
static void s_stdin_from_child(const char *bytes, size_t len, size_t limit, enum il_status want_st) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        size_t off = 0;
        while (off < len) {
            ssize_t n = write(fds[1], bytes + off, len - off);
            if (n <= 0) {
                _exit(1);
            }
            off += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fds[0], STDIN_FILENO) >= 0);
    close(fds[0]);
    char *data = NULL;
    size_t got = 0;
    enum il_status st = il_read_file("-", limit, &data, &got);
    assert_true(dup2(saved, STDIN_FILENO) >= 0);
    close(saved);
    int status = 0;
    (void)waitpid(pid, &status, 0); /* the writer may die of SIGPIPE when the limit stops the read early */
    assert_int_equal(st, want_st);
    if (want_st == IL_OK) {
        assert_int_equal(got, len);
        assert_memory_equal(data, bytes, len);
        assert_int_equal(data[len], '\0');
    } else {
        assert_null(data);
    }
    free(data);
}

static void test_pipe_grows_and_is_bounded(void **state) {
    (void)state;
    const size_t len = 300 * 1024 + 5; /* several doublings from the 64 KiB start */
    char *bytes = s_pattern(len);
    s_stdin_from_child(bytes, len, 0, IL_OK);
    s_stdin_from_child(bytes, len, len, IL_OK);
    s_stdin_from_child(bytes, len, len - 1, IL_ERR_LIMIT);
    s_stdin_from_child(bytes, len, 1000, IL_ERR_LIMIT);
    free(bytes);
}

static void test_mem_calloc_large(void **state) {
    (void)state;
    const size_t n = 100000;
    uint64_t *p = il_mem_calloc_large(n, sizeof(*p));
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i], 0); /* populated memory is still zeroed */
    }
    free(p);
    assert_null(il_mem_calloc_large(SIZE_MAX / 2, 4)); /* count * size overflows */
    il_mem_prefault(NULL, 1u << 20);                   /* accepted, does nothing */
}

static int s_setup(void **state) {
    (void)state;
    return mkdtemp(s_dir) == NULL ? -1 : 0;
}

static int s_teardown(void **state) {
    (void)state;
    const char *names[] = {"big", "limit", "empty"};
    char path[64];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", s_dir, names[i]);
        (void)remove(path);
    }
    return rmdir(s_dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_file_round_trip),
        cmocka_unit_test(test_limit_is_exact),
        cmocka_unit_test(test_empty_missing_and_directory),
        cmocka_unit_test(test_pipe_grows_and_is_bounded),
        cmocka_unit_test(test_mem_calloc_large),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
