#!/usr/bin/env bash
# `report` command behaviour: exit codes, --live usage errors, broken ledgers, ledger problems, default path, stdin,
# git evidence outside and inside a checkout, --with-history from git blame, no shell injection through paths.
set -uo pipefail
cd "$IL_SOURCE_DIR"
BIN=$(cd "$(dirname "$IL_BIN")" && pwd)/$(basename "$IL_BIN")
example=$PWD/ledger-example/security/inspector-exclusions.yaml
work="$IL_TEST_OUT/report-cli"
rm -rf "$work"
mkdir -p "$work"
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
# run EXPECTED_EXIT -- ARGS...: runs the binary, keeps stdout/stderr in $work/out, $work/err
run() {
    local want=$1
    shift 2
    local rc=0
    "$BIN" "$@" >"$work/out" 2>"$work/err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "report $* exited $rc, expected $want; stderr: $(head -c 600 "$work/err")"
        return 1
    fi
    return 0
}
# expect 'PYTHON-EXPR' WANT ['PYTHON-EXPR' WANT ...]: evaluate each expression on the JSON report in $work/out
# (as d) with one python3 start, and compare the printed value with WANT.
expect() {
    local got
    got=$(python3 - "$work/out" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
args = sys.argv[2:]
for expr, want in zip(args[0::2], args[1::2]):
    try:
        val = str(eval(expr, {"d": d, "len": len}))
    except Exception as e:  # a missing key is a failure, reported like a wrong value
        val = "error: %r" % e
    if val != want:
        print("%s is %r, expected %r" % (expr, val, want))
PY
    )
    [ -z "$got" ] || fail "$got"
}

# --live usage errors are caught before any AWS call (the live runs are in tests/integration/test_report_live.py,
# against the fake AWS); scope options are never silently ignored without --live
run 2 -- report --live --region 'not a region' "$example" && {
    grep -q "region.*'not a region'" "$work/err" || fail "--live --region: no clear message"
    [ -s "$work/out" ] && fail "--live with a bad --region: wrote a report anyway"
}
run 2 -- report --live --account 123 --role-name Audit "$example" &&
    { grep -q "invalid --account '123'" "$work/err" || fail "--live --account: no clear message"; }
run 2 -- report --live --tags-source nope "$example"
run 2 -- report --region us-east-1 "$example" &&
    { grep -q "this option needs --live: '--region'" "$work/err" || fail "--region without --live: no clear message"; }
run 2 -- report --runtimes data/lambda-runtimes.json "$example" &&
    { grep -q -- "--runtimes needs --live" "$work/err" || fail "--runtimes without --live: no clear message"; }
run 2 -- report --live=yes "$example"
run 2 -- report --format pdf "$example"
run 2 -- report --as-of 2026-02-30 "$example"
run 2 -- report --warn-days -3 "$example"
run 2 -- report --warn-days 1x "$example"
run 2 -- report --bogus "$example"
run 2 -- report --format
run 2 -- report "$example" "$example"
run 2 -- report "$work/does-not-exist.yaml"
run 0 -- report --help && grep -q -- "--with-history" "$work/out" || fail "--help does not list --with-history"

# A ledger that does not load: located error on stderr, exit 1, no report file
printf 'version: 1\nexclusions:\n  - target: [unclosed\n' >"$work/broken.yaml"
run 1 -- report --output "$work/broken.html" "$work/broken.yaml" && {
    grep -q "broken.yaml:[0-9]*:[0-9]*: error\[yaml\]" "$work/err" || fail "broken ledger: no located yaml error"
    [ -e "$work/broken.html" ] && fail "broken ledger: a report was written"
}
# Missing dates (a schema problem): no report, exit 1
sed 's/expires_at: 2027-09-14/expire_at: 2027-09-14/' "$example" >"$work/typo.yaml"
run 1 -- report --output "$work/typo.html" "$work/typo.yaml" && {
    [ -e "$work/typo.html" ] && fail "schema-invalid ledger: a report was written"
    grep -q "no report written" "$work/err" || fail "schema-invalid ledger: stderr does not say no report was written"
}

# A consistency-rule problem: the report is written with the problems listed, and the exit code is 1
python3 - "$example" "$work/order.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("next_review_at: 2027-03-15", "next_review_at: 2028-03-15", 1)  # review after expiry: date-order
open(sys.argv[2], "w").write(s)
PY
run 1 -- report --as-of 2027-01-01 --format json --no-git "$work/order.yaml" && {
    grep -q "order.yaml:[0-9]*:[0-9]*: error\[date-order\]" "$work/err" || fail "date-order: not on stderr, located"
    expect 'len(d["problems"]) >= 1' True \
        'd["problems"][0]["rule"]' date-order
}
run 1 -- report --as-of 2027-01-01 --format html --no-git "$work/order.yaml" &&
    { grep -q "Ledger problems (1)" "$work/out" || fail "date-order: HTML has no problems section"; }

# Expired entries are content, not failure: exit 0, status expired
run 0 -- report --as-of 2027-12-01 --format json --no-git "$example" &&
    { expect 'd["summary"]["by_status"]["expired"]' 6; }

# Default ledger path, --output, and outside a git checkout: a notice on stderr and in the report, exit 0
outside=$(mktemp -d)
mkdir -p "$outside/security"
cp "$example" "$outside/security/inspector-exclusions.yaml"
(cd "$outside" && "$BIN" report --format json --output report.json >"$work/out" 2>"$work/err")
rc=$?
[ "$rc" -eq 0 ] || fail "default path outside git: exit $rc: $(cat "$work/err")"
grep -q "notice: the ledger is not in a git checkout" "$work/err" || fail "outside git: no notice on stderr"
cp "$outside/report.json" "$work/out" 2>/dev/null || fail "default path: --output file missing"
expect 'd["stamp"]["git"]["state"]' not-a-checkout \
    'd["stamp"]["ledger_path"]' security/inspector-exclusions.yaml
expect 'len(d["notices"]) >= 1' True
run 0 -- report --with-history --format json "$outside/security/inspector-exclusions.yaml" &&
    { grep -q "history not available" "$work/err" || fail "history outside git: no notice"; }

# Standard input
"$BIN" report --format json - <"$example" >"$work/out" 2>"$work/err" || fail "stdin: exit $?"
expect 'd["stamp"]["ledger_path"]' "<stdin>" \
    'd["stamp"]["ledger_sha256"]' "$(sha256sum <"$example" | cut -d' ' -f1)"

# Inside a git checkout: commit, dirty state, and per-entry history from git blame
repo="$outside/repo"
mkdir -p "$repo/security"
git -C "$repo" init -q
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
cp "$example" "$repo/security/inspector-exclusions.yaml"
git -C "$repo" add security/inspector-exclusions.yaml
GIT_AUTHOR_NAME="Ann Approver" GIT_AUTHOR_EMAIL=ann@example.com GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.com \
    GIT_AUTHOR_DATE=2026-09-01T10:00:00Z GIT_COMMITTER_DATE=2026-09-01T10:00:00Z git -C "$repo" commit -q -m "add ledger"
first=$(git -C "$repo" rev-parse HEAD)
sed -i 's/ticket: SEC-1450/ticket: SEC-1451/' "$repo/security/inspector-exclusions.yaml"
GIT_AUTHOR_NAME="Bob & Reviewer" GIT_AUTHOR_EMAIL=bob@example.com GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.com \
    GIT_AUTHOR_DATE=2026-10-02T11:22:33Z GIT_COMMITTER_DATE=2026-10-02T11:22:33Z \
    git -C "$repo" commit -q -am "renew SEC-1450 as SEC-1451"
second=$(git -C "$repo" rev-parse HEAD)
run 0 -- report --with-history --format json "$repo/security/inspector-exclusions.yaml" && {
    expect 'd["stamp"]["git"]["state"]' ok \
        'd["stamp"]["git"]["head"]' "$second"
    expect 'd["stamp"]["git"]["file_commit"]' "$second" \
        'd["stamp"]["git"]["dirty"]' False
    expect 'd["exclusions"][0]["history"]["commit"]' "$first" \
        'd["exclusions"][0]["history"]["author"]' "Ann Approver"
    expect 'd["exclusions"][1]["history"]["commit"]' "$second" \
        'd["exclusions"][1]["history"]["date"]' 2026-10-02T11:22:33Z
    expect 'd["exclusions"][1]["history"]["summary"]' "renew SEC-1450 as SEC-1451" \
        'd["exclusions"][2]["history"]["commit"]' "$first"
}
run 0 -- report --with-history --format html "$repo/security/inspector-exclusions.yaml" && {
    # git itself strips < and > from names, so the markup test is the hostile ledger's; here: & is escaped
    grep -q "Bob &amp; Reviewer" "$work/out" || fail "history: author not shown (escaped) in HTML"
    grep -q "Bob & Reviewer" "$work/out" && fail "history: raw & in HTML"
}
# An uncommitted edit: dirty, and the entry's history says so
sed -i 's/ticket: SEC-1388/ticket: SEC-1390/' "$repo/security/inspector-exclusions.yaml"
run 0 -- report --with-history --format json "$repo/security/inspector-exclusions.yaml" && {
    expect 'd["stamp"]["git"]["dirty"]' True \
        'd["exclusions"][2]["history"]["uncommitted"]' True
    expect 'd["exclusions"][0]["history"]["uncommitted"]' False
    grep -q "uncommitted changes" "$work/err" || fail "git: dirty notice missing on stderr"
}

# Paths reach git as argv, never through a shell
evil="$outside/a;touch INJECTED1;\$(touch INJECTED2)\`touch INJECTED3\`"
mkdir -p "$evil"
cp "$example" "$evil/ledger.yaml"
(cd "$outside" && "$BIN" report --with-history --format json "$evil/ledger.yaml" >/dev/null 2>&1)
for f in INJECTED1 INJECTED2 INJECTED3; do
    if [ -e "$outside/$f" ] || [ -e "$IL_SOURCE_DIR/$f" ] || [ -e "$evil/$f" ]; then fail "shell injection: $f created"; fi
done

rm -rf "$outside"
if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "ok"
