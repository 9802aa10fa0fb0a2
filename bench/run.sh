#!/usr/bin/env bash
# Benchmark: generate 1k/10k/50k-entry ledgers, then measure side by side, in one run, `inspector-ledger validate`,
# the bare libyaml parse (the floor), the loader alone and the Python baseline; write bench/results.md.
# usage: bench/run.sh [--runs N] [--quick] [SIZES...]      (default: --runs 3, sizes 1000 10000 50000)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
quick=()
sizes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --quick) quick=(--quick); shift ;;
        *) sizes+=("$1"); shift ;;
    esac
done
if [ "${#sizes[@]}" -eq 0 ]; then sizes=(1000 10000 50000); fi
AS_OF=2026-10-01

# The baseline needs PyYAML with libyaml (CSafeLoader) and jsonschema with Draft202012Validator: Debian's
# python3-yaml and python3-jsonschema; prefer Debian's interpreter, where those packages live.
py=""
for cand in /usr/bin/python3 python3; do
    if "$cand" -c 'import yaml, jsonschema; yaml.CSafeLoader; jsonschema.Draft202012Validator' 2>/dev/null; then
        py=$(command -v "$cand")
        break
    fi
done
if [ -z "$py" ]; then
    echo "bench: no python3 with PyYAML (CSafeLoader) and jsonschema; install python3-yaml python3-jsonschema" >&2
    exit 1
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_BENCH=ON >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target inspector-ledger yaml_floor yaml_load >/dev/null

mkdir -p bench/out
ledgers=()
for n in "${sizes[@]}"; do
    f="bench/out/ledger-$n.yaml"
    # the generator is deterministic: regenerate only when the file is missing or older than the generator
    if [ ! -f "$f" ] || [ bench/gen_ledger.py -nt "$f" ]; then
        python3 bench/gen_ledger.py "$n" "$f"
    fi
    ledgers+=("$f")
done

# validate must accept every generated ledger (they are valid): check once before timing anything
for f in "${ledgers[@]}"; do
    if ! ./build/inspector-ledger validate --as-of "$AS_OF" "$f" >/dev/null 2>bench/out/validate.err; then
        echo "bench: validate rejected $f (see bench/out/validate.err); it will be reported as not measured" >&2
    fi
done

python3 bench/report.py --python "$py" --as-of "$AS_OF" --runs "$runs" "${quick[@]}" --out bench/results.md \
    "${ledgers[@]}"
