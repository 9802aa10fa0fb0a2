/*
 * The conformance suites live outside the repository ($IL_SHARED_DIR, default ../shared): a plain clone has none.
 * A missing suite is then a skip (exit 77, shown by ctest as "Skipped") that names the folder and the setting;
 * with IL_REQUIRE_SHARED=1 (CI sets it in .ci/run) it is a failure, so CI still proves the suites. Header-only.
 */
#ifndef IL_TEST_SHARED_SUITE_H
#define IL_TEST_SHARED_SUITE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/** The shared folder: $IL_SHARED_DIR, else "../shared". Borrowed. */
static inline const char *shared_suite_root(void) {
    const char *shared = getenv("IL_SHARED_DIR");
    return shared != NULL && *shared != '\0' ? shared : "../shared";
}

/**
 * If the directory @p path (suite @p name, from @p origin) does not exist, print why and exit: 77 (skipped), or 1
 * when IL_REQUIRE_SHARED=1. Returns only when it exists.
 */
static inline void shared_suite_require(const char *path, const char *name, const char *origin) {
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        return;
    }
    const char *req = getenv("IL_REQUIRE_SHARED");
    int required = req != NULL && strcmp(req, "1") == 0;
    fprintf(stderr,
            "%s: %s: suite folder %s is missing (%s); point cmake -DIL_SHARED_DIR=<folder> at a folder holding it "
            "(from %s)%s\n",
            required ? "FAIL" : "SKIP", name, path, required ? "IL_REQUIRE_SHARED=1" : "not verified", origin,
            required ? "" : "; IL_REQUIRE_SHARED=1 makes this a failure");
    exit(required ? 1 : 77);
}

#endif
