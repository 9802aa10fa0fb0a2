#!/usr/bin/env bash
# README command 2: set up, build, and run every test twice: a normal build and an ASan+UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh --test
jobs=$(nproc 2>/dev/null || echo 2)

# The conformance suites live beside the clone (../shared, or cmake -DIL_SHARED_DIR=...). Without them those tests
# are skipped, not passed: say so up front, and fail instead when IL_REQUIRE_SHARED=1 (.ci/run sets it).
shared=$(sed -n 's/^IL_SHARED_DIR:PATH=//p' build/CMakeCache.txt)
for suite in json-schema-test-suite sigv4-test-suite; do
    if [ ! -d "$shared/$suite" ]; then
        echo "note: $shared/$suite is missing: its conformance tests will be SKIPPED (point cmake -DIL_SHARED_DIR=<folder>" \
             "at a folder holding json-schema-test-suite/ and sigv4-test-suite/; IL_REQUIRE_SHARED=1 makes this a failure)" >&2
    fi
done

# As root on Debian the normal pass also runs tests/cli/test_bare_debian.sh (ci/example.sh and the README's Quick
# start in a fresh debootstrap chroot); elsewhere it reports itself skipped, with the reason.
if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ]; then
    export IL_BARE_DEBIAN=${IL_BARE_DEBIAN:-1}
fi
echo "== format (ci/format.sh: clang-format 14 over every C file)"
bash ci/format.sh

echo "== tests (RelWithDebInfo build)"
ctest --test-dir build --output-on-failure -j "$jobs"
unset IL_BARE_DEBIAN # once is enough: the ASan pass skips it

echo "== tests (AddressSanitizer + UndefinedBehaviorSanitizer build)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DIL_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

if [ -f ci/fuzz.sh ]; then
    echo "== fuzz (ci/fuzz.sh: 60 s per target)"
    bash ci/fuzz.sh
fi
