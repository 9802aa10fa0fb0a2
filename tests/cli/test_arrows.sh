#!/usr/bin/env bash
# The one direction of arrows (ARCHITECTURE.md): no #include and no linked call runs against
# cli -> report -> drift -> {aws, ledger} -> schema -> doc -> common (findings -> common only), and no file in
# src/cli/ but the AWS set-up calls into src/aws. ci/arrows.sh reads the includes from the sources and the calls from
# the library's objects in the build folder (nm).
set -u
cd "${IL_SOURCE_DIR:?}"
build=${IL_BUILD_DIR:?}
if ! command -v nm >/dev/null; then
    echo "SKIP: nm (binutils) is not installed" >&2
    exit 77
fi
out=$(bash ci/arrows.sh --quiet --calls "$build" 2>&1)
rc=$?
echo "$out" | tail -n 20
pass=0 fail=0
check() {
    if eval "$2"; then pass=$((pass + 1)); echo "ok: $1"; else fail=$((fail + 1)); echo "FAIL: $1"; fi
}
check "ci/arrows.sh finds no arrow against the direction (exit $rc)" '[ "$rc" -eq 0 ]'
check "no CLI file but cli_aws*.c calls into src/aws" 'grep -q "^0 CLI file -> src/aws edge" <<<"$out"'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
