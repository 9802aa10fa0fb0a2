#!/usr/bin/env bash
# Inputs that cannot be read say why (issue 13): a directory, a symlink loop, a closed standard input, a FIFO that
# nothing writes to (read with a timeout, never blocks for ever); and --output never overwrites an input (the ledger,
# --schema, through a symlink or a hard link), for validate, check and report. apply's summary wording is covered by
# tests/integration/test_apply.py.
set -euo pipefail
bin="$IL_BIN"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/il-input-errors-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ledger="$IL_SOURCE_DIR/ledger-example/security/inspector-exclusions.yaml"
pass=0 fail=0
check() { # name expected-rc expected-stderr-substring rc stderr
    if [ "$2" = "$4" ] && [[ "$5" == *"$3"* ]]; then
        echo "ok   $1"; pass=$((pass + 1))
    else
        echo "FAIL $1: expected rc $2 and [$3], got rc $4: [$5]"; fail=$((fail + 1))
    fi
}
run() { # args... -> sets rc, err
    set +e
    err=$(timeout 60 "$bin" "$@" 2>&1 >/dev/null)
    rc=$?
    set -e
}

mkdir "$tmp/dir"
ln -s loop2 "$tmp/loop1"
ln -s loop1 "$tmp/loop2"
run validate "$tmp/dir"
check "validate: a directory" 2 "cannot read \`$tmp/dir\`: is a directory" "$rc" "$err"
run validate "$tmp/loop1"
check "validate: a symlink loop" 2 "too many levels of symbolic links" "$rc" "$err"
set +e
err=$(timeout 60 "$bin" validate - <&- 2>&1 >/dev/null); rc=$?
set -e
check "validate: closed stdin" 2 "cannot read \`<stdin>\`: standard input is closed" "$rc" "$err"
run report "$tmp/dir"
check "report: a directory" 2 "is a directory" "$rc" "$err"
run apply "$tmp/dir"
check "apply: a directory" 2 "cannot read \`$tmp/dir\`: is a directory" "$rc" "$err"
set +e
err=$(timeout 60 "$bin" apply - <&- 2>&1 >/dev/null); rc=$?
set -e
check "apply: closed stdin" 2 "standard input is closed" "$rc" "$err"
run validate --schema "$tmp/dir" "$ledger"
check "validate: --schema is a directory" 2 "cannot read schema file \`$tmp/dir\`: is a directory" "$rc" "$err"

# a FIFO with no writer: the read gives up after the pipe timeout (10 s) instead of blocking for ever
mkfifo "$tmp/fifo"
start=$(date +%s)
run validate "$tmp/fifo"
took=$(( $(date +%s) - start ))
check "validate: a FIFO nothing writes to" 2 "nothing to read for 10 s" "$rc" "$err"
if [ "$took" -lt 60 ]; then echo "ok   the FIFO read ended in ${took}s"; pass=$((pass + 1)); else
    echo "FAIL the FIFO read was killed by the 60 s guard"; fail=$((fail + 1)); fi
# ... and a FIFO that is written to is read as usual
( cat "$ledger" >"$tmp/fifo" ) &
run validate "$tmp/fifo"
wait
check "validate: a FIFO with a writer" 0 "" "$rc" "$err"

# --output is refused when it is an input, by any name; the file is left untouched
cp "$ledger" "$tmp/ledger.yaml"
ln -s ledger.yaml "$tmp/link.yaml"
ln "$tmp/ledger.yaml" "$tmp/hard.yaml"
cp "$IL_SOURCE_DIR/schema/inspector-exclusions.schema.json" "$tmp/schema.json"
want=$(sha256sum <"$tmp/ledger.yaml")
run validate --output "$tmp/ledger.yaml" "$tmp/ledger.yaml"
check "validate: --output is the ledger" 2 "is the input '$tmp/ledger.yaml' (the same file): refusing to overwrite it" "$rc" "$err"
run validate --format json --output "$tmp/link.yaml" "$tmp/ledger.yaml"
check "validate: --output is a symlink to the ledger" 2 "refusing to overwrite it" "$rc" "$err"
run validate --output "$tmp/hard.yaml" "$tmp/link.yaml"
check "validate: --output is a hard link to the ledger" 2 "refusing to overwrite it" "$rc" "$err"
run validate --schema "$tmp/schema.json" --output "$tmp/schema.json" "$tmp/ledger.yaml"
check "validate: --output is the --schema file" 2 "is the input '$tmp/schema.json'" "$rc" "$err"
run check --region us-east-1 --endpoint-url http://127.0.0.1:9 --output "$tmp/link.yaml" "$tmp/ledger.yaml"
check "check: --output is the ledger" 2 "refusing to overwrite it" "$rc" "$err"
run report --output "$tmp/ledger.yaml" "$tmp/link.yaml"
check "report: --output is the ledger" 2 "refusing to overwrite it" "$rc" "$err"
set +e
err=$(timeout 60 "$bin" validate --output "$tmp/ledger.yaml" - <"$tmp/ledger.yaml" 2>&1 >/dev/null); rc=$?
set -e
check "validate: --output is the file on standard input" 2 "is the input '-'" "$rc" "$err"
if [ "$(sha256sum <"$tmp/ledger.yaml")" = "$want" ] && [ -L "$tmp/link.yaml" ]; then
    echo "ok   the ledger is untouched"; pass=$((pass + 1))
else
    echo "FAIL the ledger was changed"; fail=$((fail + 1))
fi
run validate --output "$tmp/out.txt" "$tmp/ledger.yaml"
check "validate: another --output file is written" 0 "" "$rc" "$err"
[ -s "$tmp/out.txt" ] && { echo "ok   out.txt written"; pass=$((pass + 1)); } || { echo "FAIL out.txt empty"; fail=$((fail + 1)); }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
