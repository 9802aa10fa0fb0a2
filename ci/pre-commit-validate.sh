#!/usr/bin/env bash
# pre-commit entry (.pre-commit-hooks.yaml): validates each ledger file it is given. Uses inspector-ledger from
# PATH, else builds this checkout with its own set-up (ci/setup.sh's packages and cmake) into a cache directory
# keyed on the sources, so the build happens once per tool version.
# Environment: INSPECTOR_LEDGER_BIN (a binary to use), INSPECTOR_LEDGER_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/inspector-ledger), INSPECTOR_LEDGER_ARGS (extra validate options, split on spaces).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=""
trap '[ -z "$work" ] || rm -rf "$work"' EXIT

find_bin() {
    if [ -n "${INSPECTOR_LEDGER_BIN:-}" ]; then
        printf '%s\n' "$INSPECTOR_LEDGER_BIN"
        return
    fi
    if command -v inspector-ledger >/dev/null 2>&1; then
        command -v inspector-ledger
        return
    fi
    local sum cache
    sum=$(cd "$here" && find src include CMakeLists.txt cmake schema data -type f -print0 | LC_ALL=C sort -z |
        xargs -0 sha256sum | sha256sum | cut -c1-16)
    cache=${INSPECTOR_LEDGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/inspector-ledger}/$sum
    if [ ! -x "$cache/inspector-ledger" ]; then
        echo "inspector-ledger: building the tool once into $cache" >&2
        # ci/setup.sh installs the build packages a fresh Debian machine lacks and builds build/inspector-ledger;
        # the hook builds a copy of the sources so the checkout pre-commit keeps stays untouched.
        work=$(mktemp -d)
        (cd "$here" && tar cf - ci src include CMakeLists.txt cmake schema data) | (cd "$work" && tar xf -)
        if ! command -v cmake >/dev/null 2>&1 || ! pkg-config --exists yaml-0.1 libcjson libcrypto 2>/dev/null; then
            bash "$work/ci/setup.sh" >&2
        else
            cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DIL_TESTS=OFF -DIL_BENCH=OFF >/dev/null
            cmake --build "$work/build" -j "$(nproc 2>/dev/null || echo 2)" >&2
        fi
        mkdir -p "$cache"
        cp "$work/build/inspector-ledger" "$cache/inspector-ledger.tmp"
        mv "$cache/inspector-ledger.tmp" "$cache/inspector-ledger"
    fi
    printf '%s\n' "$cache/inspector-ledger"
}

bin=$(find_bin)
extra=()
if [ -n "${INSPECTOR_LEDGER_ARGS:-}" ]; then
    read -r -a extra <<<"$INSPECTOR_LEDGER_ARGS"
fi
if [ "$#" -eq 0 ]; then
    set -- security/inspector-exclusions.yaml
fi
rc=0
for f in "$@"; do
    "$bin" validate "${extra[@]}" -- "$f" || { r=$?; [ "$r" -gt "$rc" ] && rc=$r; }
done
exit "$rc"
