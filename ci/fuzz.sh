#!/usr/bin/env bash
# Short libFuzzer run of every tests/fuzz/fuzz_<name>.c (about 45 s in total), seeded from tests/fuzz/corpus/<name>/.
# Fails on any crash, leak, sanitizer report, timeout or out-of-memory; the reproducer is left in
# build-fuzz/artifacts/. Usage: ci/fuzz.sh [total-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-${IL_FUZZ_SECONDS:-45}}
jobs=$(nproc 2>/dev/null || echo 2)

if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed (run ci/setup.sh --test); the fuzz run was NOT performed" >&2
    exit 1
fi

mkdir -p build-fuzz
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_FUZZ=ON -DIL_TESTS=OFF >/dev/null
targets=()
for src in tests/fuzz/fuzz_*.c; do
    targets+=("$(basename "$src" .c)")
done
if [ "${#targets[@]}" -eq 0 ]; then
    echo "fuzz: no targets under tests/fuzz/" >&2
    exit 1
fi
if ! cmake --build build-fuzz -j "$jobs" --target "${targets[@]}" >build-fuzz/build.log 2>&1; then
    tail -n 40 build-fuzz/build.log >&2
    echo "fuzz: build failed" >&2
    exit 1
fi

per=$(( total / ${#targets[@]} ))
if [ "$per" -lt 5 ]; then per=5; fi
mkdir -p build-fuzz/artifacts
status=0
for t in "${targets[@]}"; do
    name=${t#fuzz_}
    work="build-fuzz/corpus/$name"
    mkdir -p "$work"
    seeds=()
    if [ -d "tests/fuzz/corpus/$name" ]; then seeds+=("tests/fuzz/corpus/$name"); fi
    echo "fuzz: $t for ${per}s (seeds: ${seeds[*]:-none})"
    if ! "build-fuzz/$t" -max_total_time="$per" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$name-" "$work" "${seeds[@]}" \
            >"build-fuzz/$t.log" 2>&1; then
        echo "fuzz: $t FAILED; log tail:" >&2
        tail -n 40 "build-fuzz/$t.log" >&2
        status=1
    else
        grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "build-fuzz/$t.log" | sed "s/^/fuzz: $t /" || true
    fi
done
if [ "$status" -eq 0 ]; then
    echo "fuzz: ${#targets[@]} passed, 0 failed"
fi
exit "$status"
