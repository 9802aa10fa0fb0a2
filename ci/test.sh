#!/usr/bin/env bash
# README command 2: set up, build, and run every test twice: a normal build and an ASan+UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh --test
jobs=$(nproc 2>/dev/null || echo 2)

echo "== tests (RelWithDebInfo build)"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== tests (AddressSanitizer + UndefinedBehaviorSanitizer build)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DIL_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

if [ -f ci/fuzz.sh ]; then
    echo "== fuzz (ci/fuzz.sh: 60 s per target)"
    bash ci/fuzz.sh
fi
