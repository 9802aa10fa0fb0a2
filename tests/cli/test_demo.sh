#!/usr/bin/env bash
# ci/demo.sh: against the fake AWS it shows whoami, check findings of several kinds, an HTML report and an apply dry
# run, within a minute; the fake is stopped when it ends, and on Ctrl-C (SIGINT) in --keep mode.
set -uo pipefail
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
cd "$IL_SOURCE_DIR"
if ! command -v python3 >/dev/null; then
    echo "SKIP: python3 is not installed (ci/demo.sh would install it)"
    exit 77
fi
out_dir="$IL_SOURCE_DIR/build/demo"
rm -f "$out_dir/exclusions.html"
start=$(date +%s)
out=$(bash ci/demo.sh 2>&1)
rc=$?
took=$(( $(date +%s) - start ))
check "demo exits 0 (got $rc)" '[ "$rc" -eq 0 ]'
check "demo takes under a minute (${took}s)" '[ "$took" -lt 60 ]'
check "whoami names the fake account" 'grep -q "^account: *111111111111" <<<"$out"'
for rule in unrecorded-exclusion expired-exclusion-applied exclusion-not-applied function-not-found \
            deprecated-runtime malformed-exclusion-tag scan-blind-cmk not-checked; do
    check "check shows $rule" 'grep -q "\[$rule\]" <<<"$out"'
done
check "the account declared out of scope is named, with the coverage line" \
    'grep -q "1 entry in account 222222222222, region us-east-1 outside the declared scope" <<<"$out" && grep -q "coverage: 5 of 6 entries compared; 1 outside the declared scope" <<<"$out"'
check "check exits 1 (findings)" 'grep -A0 -q "^(exit 1)" <<<"$out"'
check "apply plans the tag and the untag" \
    'grep -q "^tag .*payments-worker" <<<"$out" && grep -q "^untag .*legacy-report" <<<"$out" && grep -q "dry run" <<<"$out"'
check "the report path is printed" 'grep -q "report is at $out_dir/exclusions.html" <<<"$out"'
check "the HTML report was written" 'grep -q "<html" "$out_dir/exclusions.html"'
port=$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\);.*|\1|p' <<<"$out" | head -n1)
check "the fake's port is shown ($port)" '[ -n "$port" ]'
check "the fake is stopped afterwards" '! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null'

# --keep leaves it running until SIGINT, then stops it.
log=$(mktemp)
# A background job starts with SIGINT ignored (and bash could not trap it): give the demo what a terminal gives,
# SIGINT at its default, in its own process group, as Ctrl-C would reach it.
python3 -c 'import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid()
os.execvp("bash", ["bash", "ci/demo.sh", "--keep"])' >"$log" 2>&1 &
demo=$!
for _ in $(seq 1 300); do
    if grep -q "press Ctrl-C" "$log"; then break; fi
    sleep 0.1
done
port=$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\);.*|\1|p' "$log" | head -n1)
check "--keep: the fake is still up ($port)" '[ -n "$port" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null'
kill -INT -- "-$demo" 2>/dev/null
for _ in $(seq 1 100); do
    if ! kill -0 "$demo" 2>/dev/null; then break; fi
    sleep 0.1
done
if kill -0 "$demo" 2>/dev/null; then
    kill -TERM -- "-$demo" 2>/dev/null
    echo "FAIL: --keep: SIGINT did not end the demo within 10 s"
    fail=1
fi
wait "$demo"
rc=$?
check "--keep: Ctrl-C ends the demo (exit $rc)" '[ "$rc" -eq 130 ]'
check "--keep: the fake is stopped after Ctrl-C" '! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null'
check "--keep: the stop is reported" 'grep -q "fake AWS stopped" "$log"'
rm -f "$log"
exit "$fail"
