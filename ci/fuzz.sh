#!/usr/bin/env bash
# libFuzzer run of every tests/fuzz/fuzz_<name>.c: each target gets SECONDS (default 60, the CI run: 11 targets on
# 2 cores is about 6 minutes plus the build), seeded from tests/fuzz/corpus/<name>/ and replaying
# tests/fuzz/regressions/<name>/, with the dictionaries of tests/fuzz/dict/ that fit the target's input.
# What a run finds lands in build-fuzz/corpus/<name>/ (kept between local runs); --merge adds the inputs that reach
# new coverage to tests/fuzz/corpus/<name>/ (libFuzzer -merge=1, so the committed corpus stays minimal).
# Fails on any crash, leak, sanitizer report, timeout or out-of-memory; the reproducer is left in
# build-fuzz/artifacts/ and belongs in tests/fuzz/regressions/<name>/ once fixed (test_fuzz_regressions replays it).
#
# Usage: ci/fuzz.sh [--long SECONDS] [--jobs N] [--merge] [TARGET...]    (TARGET: schema_ref, ini, ...)
#   IL_FUZZ_SECONDS sets the per-target time as --long does; --jobs defaults to the number of cores.
set -euo pipefail
cd "$(dirname "$0")/.."
per=${IL_FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)
merge=0
only=()
while [ $# -gt 0 ]; do
    case "$1" in
    --long) per=${2:?--long needs SECONDS}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs N}; shift 2 ;;
    --merge) merge=1; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
    esac
done
case "$per" in '' | *[!0-9]*) echo "fuzz: SECONDS must be a whole number (got '$per')" >&2; exit 2 ;; esac
if [ "$per" -lt 60 ] && [ -z "${IL_FUZZ_ALLOW_SHORT:-}" ]; then
    echo "fuzz: $per s per target is too short to find anything (at least 60; IL_FUZZ_ALLOW_SHORT=1 to force)" >&2
    exit 2
fi

if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed (run ci/setup.sh --test); the fuzz run was NOT performed" >&2
    exit 1
fi

# The dictionaries each target's input is made of (tests/fuzz/dict/<dict>.dict).
dicts_for() {
    case "$1" in
    schema) echo json ;;
    schema_ref) echo uri json ;;
    schema_file) echo json yaml ;;
    loader | yaml_split) echo yaml ;;
    aws_response) echo sigv4 json xml ;;
    credentials_json) echo json ;;
    sts_xml) echo xml ;;
    ini) echo ini ;;
    cli_opts) echo cli ;;
    *) ;;
    esac
}

mkdir -p build-fuzz/artifacts build-fuzz/dict build-fuzz/corpus
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_FUZZ=ON -DIL_TESTS=OFF -DIL_BENCH=OFF >/dev/null
targets=()
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    name=${name#fuzz_}
    if [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
    # a target without seeds starts from nothing and finds little in a minute: the layout is checked, not assumed
    if [ ! -d "tests/fuzz/corpus/$name" ] || [ -z "$(ls -A "tests/fuzz/corpus/$name")" ]; then
        echo "fuzz: fuzz_$name has no seeds: add inputs under tests/fuzz/corpus/$name/" >&2
        exit 1
    fi
    targets+=("$name")
done
if [ "${#targets[@]}" -eq 0 ]; then
    echo "fuzz: no targets under tests/fuzz/ (or none named ${only[*]})" >&2
    exit 1
fi
if ! cmake --build build-fuzz -j "$jobs" --target "${targets[@]/#/fuzz_}" >build-fuzz/build.log 2>&1; then
    tail -n 40 build-fuzz/build.log >&2
    echo "fuzz: build failed" >&2
    exit 1
fi

run_one() {
    local name=$1 t=fuzz_$1 dict_opt=() d
    local work="build-fuzz/corpus/$name" dict="build-fuzz/dict/$name.dict"
    mkdir -p "$work"
    : >"$dict"
    for d in $(dicts_for "$name"); do cat "tests/fuzz/dict/$d.dict" >>"$dict"; done
    if [ -s "$dict" ]; then dict_opt=(-dict="$dict"); fi
    local seeds=("tests/fuzz/corpus/$name")
    if [ -d "tests/fuzz/regressions/$name" ]; then seeds+=("tests/fuzz/regressions/$name"); fi
    if ! "build-fuzz/$t" -max_total_time="$per" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 "${dict_opt[@]}" -artifact_prefix="build-fuzz/artifacts/$name-" \
            "$work" "${seeds[@]}" >"build-fuzz/$t.log" 2>&1; then
        {
            echo "fuzz: $t FAILED; reproducer(s): $(ls build-fuzz/artifacts/"$name"-* 2>/dev/null | tr '\n' ' ')"
            echo "fuzz: once fixed, copy the reproducer to tests/fuzz/regressions/$name/; log tail:"
            tail -n 40 "build-fuzz/$t.log"
        } >&2
        return 1
    fi
    local runs peak cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/$t.log")
    peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "build-fuzz/$t.log")
    cov=$(grep -o 'cov: [0-9]*' "build-fuzz/$t.log" | tail -n 1)
    echo "fuzz: $t ${per}s: ${runs:-?} runs, $cov, peak ${peak:-?} MB, dict: $(dicts_for "$name" | tr ' ' '+')"
    if [ "$merge" -eq 1 ]; then
        local before after
        before=$(ls "tests/fuzz/corpus/$name" | wc -l)
        "build-fuzz/$t" -merge=1 -max_len=65536 -rss_limit_mb=2048 -timeout=10 "tests/fuzz/corpus/$name" "$work" \
            >"build-fuzz/$t.merge.log" 2>&1
        after=$(ls "tests/fuzz/corpus/$name" | wc -l)
        echo "fuzz: $t merged: tests/fuzz/corpus/$name $before -> $after inputs"
    fi
}

echo "fuzz: ${#targets[@]} targets x ${per}s, $jobs at a time"
status=0
running=0
for name in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
    run_one "$name" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
if [ "$status" -eq 0 ]; then
    echo "fuzz: ${#targets[@]} passed, 0 failed"
else
    echo "fuzz: FAILED (see above)" >&2
fi
exit "$status"
