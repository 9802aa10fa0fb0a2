/*
 * Scratch files for unit tests that read real files (credential providers, config files): a fresh directory under
 * $IL_TEST_OUT (else /tmp) and writing a small text file, both failing the test on any error. Header-only.
 */
#ifndef IL_TEST_SCRATCH_DIR_H
#define IL_TEST_SCRATCH_DIR_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/** Make a new directory "<base>/<prefix>-XXXXXX" into @p dir (@p cap bytes), creating $IL_TEST_OUT when needed. */
static inline void scratch_dir_make(char *dir, size_t cap, const char *prefix) {
    const char *base = getenv("IL_TEST_OUT");
    int n = snprintf(dir, cap, "%s/%s-XXXXXX", base && *base ? base : "/tmp", prefix);
    assert_true(n > 0 && (size_t)n < cap);
    if (base && *base) {
        (void)mkdir(base, 0700);
    }
    assert_non_null(mkdtemp(dir));
}

/** Replace the file at @p path with @p text. */
static inline void scratch_write(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

#endif
