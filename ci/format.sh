#!/usr/bin/env bash
# The formatting check CI runs (issue 14): every tracked C file must be exactly what clang-format 14 makes of it,
# with the repository's .clang-format. Pinned to 14 (Debian 12's clang-format-14): another version formats some
# constructs differently, and a check that depends on the machine is no check.
# Usage: ci/format.sh          check (exit 1 and the list of files to fix)
#        ci/format.sh --fix    format in place
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ] || ! "$cf" --version | grep -q 'version 14\.'; then
    echo "format: need clang-format 14 (Debian package clang-format-14; ci/setup.sh --test installs it)," \
         "got: ${cf:+$("$cf" --version)}${cf:-none}" >&2
    exit 1
fi
mapfile -d '' files < <(git ls-files -z '*.c' '*.h')
if [ "${#files[@]}" -eq 0 ]; then
    echo "format: no C files found (not a git checkout?)" >&2
    exit 1
fi
if [ "${1:-}" = "--fix" ]; then
    "$cf" -i "${files[@]}"
    echo "format: ${#files[@]} files formatted"
    exit 0
fi
bad=()
for f in "${files[@]}"; do
    if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then
        bad+=("$f")
    fi
done
if [ "${#bad[@]}" -gt 0 ]; then
    echo "format: ${#bad[@]} of ${#files[@]} files differ from clang-format 14 (run: bash ci/format.sh --fix):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
fi
echo "format: ${#files[@]} files, 0 differ"
