#!/usr/bin/env bash
# The YAML loader reads standard input ("-"), names it <stdin> in diagnostics, and bounds it like a file.
set -euo pipefail
dump="$IL_TOOLS_DIR/yaml_dump"
[ -x "$dump" ] || { echo "skip: $dump not built"; exit 77; }
fail=0
check() { # name expected actual
    if [ "$2" != "$3" ]; then echo "FAIL $1: expected [$2] got [$3]"; fail=1; else echo "ok   $1"; fi
}
out=$(printf 'a: [1, "x"]\nb: ~\n' | "$dump" -) ; check "loads from stdin" '{"a": [1, "x"], "b": null}' "$out"
set +e
out=$(printf 'a: 1\na: 2\n' | "$dump" -); rc=$?
set -e
check "duplicate key on stdin is located" "<stdin>:2:1: error[yaml]: duplicate key \`a\` (first defined at line 1); remove one of them or rename it" "$out"
check "rejected input exits 1" 1 "$rc"
# a pipe has no size to check up front: the bounded reader stops at the limit instead of reading it all
set +e
out=$(head -c 70000000 /dev/zero | tr '\0' 'a' | "$dump" -); rc=$?
set -e
check "oversized stdin is refused" "<stdin>:0:0: error[yaml]: input is over the 67108864-byte size limit; split the file" "$out"
check "oversized stdin exits 1" 1 "$rc"
[ "$fail" -eq 0 ] && echo "5 passed, 0 failed" || { echo "some failed"; exit 1; }
