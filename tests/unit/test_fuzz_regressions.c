/*
 * Unit test: replay every fuzz target's regression inputs (tests/fuzz/regressions/<target>/: what a fuzz run once
 * crashed on) and its committed corpus (tests/fuzz/corpus/<target>/) through the target's own entry point, in the
 * normal ctest run. The fuzz sources are compiled into this test with LLVMFuzzerTestOneInput renamed to
 * il_fuzz_<target> (cmake/tests.cmake); a target's invariant violation is an abort(), so a regression fails here.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"

#define S_TARGETS(X)                                                                                                   \
    X(aws_response)                                                                                                    \
    X(cli_opts)                                                                                                        \
    X(credentials_json)                                                                                                \
    X(ini)                                                                                                             \
    X(loader)                                                                                                          \
    X(output)                                                                                                          \
    X(schema)                                                                                                          \
    X(schema_file)                                                                                                     \
    X(schema_ref)                                                                                                      \
    X(sts_xml)                                                                                                         \
    X(yaml_split)

#define S_DECLARE(name) int il_fuzz_##name(const uint8_t *data, size_t size);
S_TARGETS(S_DECLARE)

struct s_target {
    const char *name;
    int (*fn)(const uint8_t *data, size_t size);
};

#define S_ENTRY(name) {#name, il_fuzz_##name},
static const struct s_target s_targets[] = {S_TARGETS(S_ENTRY)};

/* Replay every file of @p dir through @p fn; returns how many were replayed (0 when the folder does not exist). */
static size_t s_replay(const char *dir, int (*fn)(const uint8_t *, size_t)) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        return 0;
    }
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0) {
            continue;
        }
        char path[512];
        assert_true(snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path));
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(il_read_file(path, 0, &data, &len), IL_OK);
        assert_int_equal(fn((const uint8_t *)data, len), 0);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

/* Every crash a fuzz run found, replayed. */
static void test_regressions_replay(void **state) {
    (void)state;
    size_t total = 0;
    for (size_t i = 0; i < sizeof(s_targets) / sizeof(s_targets[0]); i++) {
        char dir[256];
        snprintf(dir, sizeof(dir), "tests/fuzz/regressions/%s", s_targets[i].name);
        total += s_replay(dir, s_targets[i].fn);
    }
    assert_true(total >= 4); /* the issue 13 "/.." inputs at least: an emptied folder is noticed */
}

/* Every target has seeds in its own folder (the layout ci/fuzz.sh relies on), and none of them fails. */
static void test_corpus_replay(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(s_targets) / sizeof(s_targets[0]); i++) {
        char dir[256];
        snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", s_targets[i].name);
        size_t n = s_replay(dir, s_targets[i].fn);
        if (n == 0) {
            print_message("no seeds in %s\n", dir);
        }
        assert_true(n > 0);
    }
}

/* Every tests/fuzz/fuzz_<name>.c is listed above, so none escapes the replay. */
static void test_every_target_listed(void **state) {
    (void)state;
    DIR *d = opendir("tests/fuzz");
    assert_non_null(d);
    struct dirent *e;
    size_t found = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "fuzz_", 5) != 0 || len < 7 || strcmp(e->d_name + len - 2, ".c") != 0) {
            continue;
        }
        int listed = 0;
        for (size_t i = 0; i < sizeof(s_targets) / sizeof(s_targets[0]); i++) {
            const char *name = s_targets[i].name;
            listed |= strlen(name) == len - 7 && strncmp(e->d_name + 5, name, len - 7) == 0;
        }
        if (!listed) {
            print_message("%s is not replayed by test_fuzz_regressions\n", e->d_name);
        }
        assert_true(listed);
        found++;
    }
    closedir(d);
    assert_int_equal(found, sizeof(s_targets) / sizeof(s_targets[0]));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_target_listed),
        cmocka_unit_test(test_regressions_replay),
        cmocka_unit_test(test_corpus_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
