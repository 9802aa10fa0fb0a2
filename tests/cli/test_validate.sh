#!/usr/bin/env bash
# CLI tests for `inspector-ledger validate`: every invalid example fails with exactly its expected findings at the
# right line:col (from the JSON output), the valid example passes, exit codes 0/1/2, stdin, --output, --schema with a
# stricter organisation schema, --schema-only, and golden outputs in every format.
#
# Regenerate the golden files after an intended output change: IL_UPDATE_GOLDEN=1 ctest -R cli.test_validate
set -uo pipefail

BIN=${IL_BIN:?IL_BIN not set}
SRC=${IL_SOURCE_DIR:?IL_SOURCE_DIR not set}
OUT=${IL_TEST_OUT:-/tmp}/validate
rm -rf "$OUT" && mkdir -p "$OUT"
cd "$SRC" || exit 1

AS_OF=(--as-of 2026-11-22)
VALID=ledger-example/security/inspector-exclusions.yaml
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run EXPECTED_EXIT DESCRIPTION -- ARGS...: runs the binary, keeps stdout/stderr in $OUT/last.{out,err}
run() {
    local want=$1 what=$2
    shift 3
    checks=$((checks + 1))
    "$BIN" validate "$@" >"$OUT/last.out" 2>"$OUT/last.err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "$what: exit $got, want $want (validate $*)"
        sed 's/^/    stderr: /' "$OUT/last.err" | head -5 >&2
        sed 's/^/    stdout: /' "$OUT/last.out" | head -5 >&2
        return 1
    fi
    return 0
}

# jcheck DESCRIPTION EXPR: keep the last JSON output; EXPR (Python, over d = the document and f = its findings) is
# checked at the end in one python3 run (python3 starts slowly on a loaded machine; one run, not thirty).
jn=0
jcheck() {
    jn=$((jn + 1))
    cp "$OUT/last.out" "$OUT/j$jn.json"
    printf '%s\t%s\t%s\n' "$OUT/j$jn.json" "$1" "$2" >>"$OUT/jchecks.tsv"
}
: >"$OUT/jchecks.tsv"
: >"$OUT/examples.tsv"

# ---- every invalid example: exactly the findings its header announces --------------------------------------------
for f in ledger-example/invalid/*.yaml; do
    flags=$(sed -n 's/^# flags: //p' "$f")
    # shellcheck disable=SC2086  # flags are words by design
    run 1 "$f" -- $flags --format json "$f" || continue
    cp "$OUT/last.out" "$OUT/example-$(basename "$f" .yaml).json"
    printf '%s\t%s\n' "$f" "$OUT/example-$(basename "$f" .yaml).json" >>"$OUT/examples.tsv"
done

# every rule of the catalogue that validate owns has an example
for rule in yaml schema expired expiring-soon review-overdue date-order window-too-long duplicate-entry \
    name-arn-mismatch tag-scan-type-mismatch qualified-arn distinct-approver; do
    grep -l "^# expect: $rule " ledger-example/invalid/*.yaml >/dev/null || fail "no invalid example for rule $rule"
done
grep -q 'did you mean' ledger-example/invalid/unknown-key.yaml || fail "unknown-key example lost its did-you-mean"

# ---- the valid example --------------------------------------------------------------------------------------------
run 0 "valid example" -- "${AS_OF[@]}" "$VALID"
run 0 "valid example, strictest flags" -- "${AS_OF[@]}" --fail-on warning --max-days 365 \
    --require-distinct-approver "$VALID"
run 0 "valid example as json" -- "${AS_OF[@]}" --format json "$VALID" &&
    jcheck "valid example: json has no findings" 'f == [] and d["summary"]["passed"] is True'
# clean for a good while: still no warning three months on
run 0 "valid example in three months" -- --as-of 2027-02-15 --fail-on warning "$VALID"
# ...but the expiry day is the last one that holds
run 0 "valid example on the last expiry day (warnings only)" -- --as-of 2027-06-30 "$VALID"
run 1 "valid example a day after an expiry" -- --as-of 2027-07-01 "$VALID"
# the default ledger path, from the repository root
(cd ledger-example && "$BIN" validate "${AS_OF[@]}" >/dev/null 2>&1) || fail "default ledger path: not found or failed"
checks=$((checks + 1))

# ---- exit codes ---------------------------------------------------------------------------------------------------
run 1 "expired fails by default" -- "${AS_OF[@]}" ledger-example/invalid/expired.yaml
run 0 "--fail-on never" -- "${AS_OF[@]}" --fail-on never ledger-example/invalid/expired.yaml
run 0 "warnings pass by default" -- "${AS_OF[@]}" ledger-example/invalid/expiring-soon.yaml
run 1 "--fail-on warning" -- "${AS_OF[@]}" --fail-on warning ledger-example/invalid/expiring-soon.yaml
run 0 "--warn-days 7 is quieter" -- "${AS_OF[@]}" --warn-days 7 --fail-on warning \
    ledger-example/invalid/expiring-soon.yaml
run 2 "missing ledger" -- "${AS_OF[@]}" "$OUT/no-such-ledger.yaml" &&
    { grep -q "no-such-ledger.yaml" "$OUT/last.err" || fail "missing ledger: stderr does not name the file"; }
[ -s "$OUT/last.out" ] && fail "missing ledger: something on stdout"
run 2 "ledger is a directory" -- "${AS_OF[@]}" ledger-example
(cd "$OUT" && "$BIN" validate >/dev/null 2>"$OUT/nodefault.err"; [ $? = 2 ]) ||
    fail "no ledger at the default path: want exit 2"
grep -q "security/inspector-exclusions.yaml" "$OUT/nodefault.err" || fail "default-path error does not name the path"
run 2 "bad --as-of" -- --as-of 2026-02-29 "$VALID" && { grep -q "as-of" "$OUT/last.err" || fail "bad --as-of unclear"; }
run 2 "bad --as-of text" -- --as-of tomorrow "$VALID"
run 2 "bad --format" -- --format xml "$VALID" && { grep -q "format" "$OUT/last.err" || fail "bad --format unclear"; }
run 2 "bad --fail-on" -- --fail-on sometimes "$VALID"
run 2 "bad --warn-days" -- --warn-days -3 "$VALID"
run 2 "bad --warn-days suffix" -- --warn-days 14d "$VALID"
run 2 "bad --max-days 0" -- --max-days 0 "$VALID"
run 2 "missing option value" -- "$VALID" --as-of
run 2 "unknown option" -- --frobnicate "$VALID" && { grep -q "frobnicate" "$OUT/last.err" || fail "unknown option unnamed"; }
run 2 "two ledgers" -- "$VALID" "$VALID"
run 2 "bad --schema path" -- --schema "$OUT/none.json" "$VALID"
printf '{"type": "object", "minLength": "three"}\n' >"$OUT/bad-keyword.schema.json"
run 2 "--schema that is not a valid schema" -- --schema "$OUT/bad-keyword.schema.json" "$VALID" &&
    { grep -q 'bad-keyword.schema.json:1:[0-9]*: .*minLength' "$OUT/last.err" || fail "bad schema: error not located"; }
printf '{"type": \n' >"$OUT/broken.schema.json"
run 2 "--schema that is not JSON" -- --schema "$OUT/broken.schema.json" "$VALID"
run 0 "--help" -- --help && { grep -q -- "--schema-only" "$OUT/last.out" || fail "--help lacks --schema-only"; }

# YAML problems are findings (exit 1), located, not usage errors
printf 'version: 1\nexclusions: [\n' >"$OUT/broken.yaml"
run 1 "broken yaml is a finding" -- "${AS_OF[@]}" --format json "$OUT/broken.yaml" &&
    jcheck "broken yaml: one located yaml finding" 'len(f) == 1 and f[0]["rule"] == "yaml" and f[0]["line"] >= 2'
printf 'version: 1\nexclusions: []\n' >"$OUT/no-exclusions.yaml"
run 0 "a ledger with no exclusions is valid" -- "${AS_OF[@]}" "$OUT/no-exclusions.yaml"
: >"$OUT/empty.yaml"
run 1 "empty file is a finding" -- "${AS_OF[@]}" "$OUT/empty.yaml"

# ---- stdin, --output, -q ------------------------------------------------------------------------------------------
checks=$((checks + 1))
"$BIN" validate "${AS_OF[@]}" --format json - <ledger-example/invalid/expired.yaml >"$OUT/last.out" 2>/dev/null
[ $? = 1 ] || fail "stdin: want exit 1"
jcheck "stdin: one expired finding in <stdin>" '[(x["rule"], x["file"], x["line"]) for x in f] == [("expired", "<stdin>", 31)]'
checks=$((checks + 1))
"$BIN" validate "${AS_OF[@]}" - <"$VALID" >/dev/null 2>&1 || fail "stdin: valid ledger should pass"

run 1 "--output" -- "${AS_OF[@]}" --format json --output "$OUT/findings.json" ledger-example/invalid/expired.yaml &&
    { [ -s "$OUT/last.out" ] && fail "--output: stdout not empty"; }
cp "$OUT/findings.json" "$OUT/last.out" 2>/dev/null || : >"$OUT/last.out"
jcheck "--output: the file holds the finding" '[x["rule"] for x in f] == ["expired"]'
checks=$((checks + 1))
"$BIN" validate "${AS_OF[@]}" "$VALID" >/dev/full 2>/dev/null
[ $? = 2 ] || fail "a failed write to standard output must exit 2"
run 2 "--output into a missing directory" -- "${AS_OF[@]}" --output "$OUT/no/such/dir/x.json" "$VALID"
run 1 "-q" -- "${AS_OF[@]}" -q ledger-example/invalid/expired.yaml && { [ -s "$OUT/last.out" ] && fail "-q printed"; }
run 1 "-q with --output" -- "${AS_OF[@]}" -q --output "$OUT/quiet.txt" ledger-example/invalid/expired.yaml &&
    { grep -q 'error\[expired\]' "$OUT/quiet.txt" || fail "-q --output: the file was not written"; }
run 1 "-v" -- "${AS_OF[@]}" -v ledger-example/invalid/expired.yaml &&
    { grep -qE '^ {10}expires_at: 2026-10-01$' "$OUT/last.out" && grep -qE '^ {22}\^$' "$OUT/last.out"; } ||
    fail "-v: no source line (indented 4) with a caret under column 19"

# ---- --schema: an organisation's stricter schema (tickets must be SEC-<n>), JSON and YAML -------------------------
run 0 "jira ticket passes the built-in schema" -- "${AS_OF[@]}" tests/data/ledger-jira-ticket.yaml
for s in tests/data/org-strict.schema.json tests/data/org-strict.schema.yaml; do
    run 1 "org schema $s rejects the jira ticket" -- "${AS_OF[@]}" --schema "$s" --format json \
        tests/data/ledger-jira-ticket.yaml &&
        jcheck "org schema $s: one schema finding at 16:15" '[(x["rule"], x["line"], x["column"]) for x in f] == [("schema", 16, 15)]'
    run 0 "org schema $s accepts the example" -- "${AS_OF[@]}" --schema "$s" "$VALID"
done

# ---- --schema-only: the validator on its own ----------------------------------------------------------------------
run 0 "--schema-only valid" -- --schema-only --schema tests/data/org-strict.schema.json "$VALID"
run 1 "--schema-only invalid" -- --schema-only --schema tests/data/org-strict.schema.json \
    tests/data/ledger-jira-ticket.yaml
printf '{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}\n' >"$OUT/person.json"
printf '{"name": "ada"}\n' >"$OUT/ada.json"
printf 'name: 42\n' >"$OUT/bad-person.yaml"
run 0 "--schema-only json doc" -- --schema-only --schema "$OUT/person.json" "$OUT/ada.json"
run 1 "--schema-only yaml doc" -- --schema-only --schema "$OUT/person.json" --format json "$OUT/bad-person.yaml" &&
    jcheck "--schema-only: one schema finding at 1:7" '[(x["rule"], x["line"], x["column"]) for x in f] == [("schema", 1, 7)]'
# the ledger rules do not run: an expired ledger is schema-valid
run 0 "--schema-only skips ledger rules" -- --schema-only --schema tests/data/org-strict.schema.json \
    ledger-example/invalid/expired.yaml
run 2 "--schema-only without --schema" -- --schema-only "$VALID"
run 2 "--schema-only without a document" -- --schema-only --schema "$OUT/person.json"

# ---- golden outputs -----------------------------------------------------------------------------------------------
for fmt in text json github sarif junit markdown codequality; do
    golden=tests/cli/golden/validate.$fmt
    checks=$((checks + 1))
    "$BIN" validate "${AS_OF[@]}" --format "$fmt" tests/data/golden-ledger.yaml >"$OUT/golden.$fmt" 2>"$OUT/golden.err"
    rc=$?
    [ "$rc" = 1 ] || fail "golden $fmt: exit $rc, want 1"
    if [ "${IL_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$OUT/golden.$fmt" "$golden"
        echo "updated $golden"
    elif ! diff -u "$golden" "$OUT/golden.$fmt" >"$OUT/golden.$fmt.diff"; then
        fail "golden $fmt differs (IL_UPDATE_GOLDEN=1 to accept):"
        head -40 "$OUT/golden.$fmt.diff" >&2
    fi
done
# the GitHub step summary: --format github inside GitHub Actions appends the Markdown (the golden) to the file; not
# outside Actions, not with another format; the annotations on stdout are unchanged
summary="$OUT/step-summary.md"
printf 'earlier step output\n' >"$summary"
checks=$((checks + 1))
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$summary" "$BIN" validate "${AS_OF[@]}" --format github \
    tests/data/golden-ledger.yaml >"$OUT/gha.out" 2>/dev/null
{ printf 'earlier step output\n'; cat tests/cli/golden/validate.markdown; } | cmp -s - "$summary" ||
    fail "step summary: not the earlier content followed by the Markdown golden"
cmp -s "$OUT/gha.out" tests/cli/golden/validate.github || fail "step summary run: annotations differ from the golden"
for env_fmt in "false github" "true json"; do
    set -- $env_fmt
    checks=$((checks + 1))
    rm -f "$summary"
    GITHUB_ACTIONS=$1 GITHUB_STEP_SUMMARY="$summary" "$BIN" validate "${AS_OF[@]}" --format "$2" \
        tests/data/golden-ledger.yaml >/dev/null 2>&1
    [ ! -e "$summary" ] || fail "step summary written with GITHUB_ACTIONS=$1 --format $2"
done
checks=$((checks + 1))
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$OUT/no-such-dir/s.md" "$BIN" validate "${AS_OF[@]}" --format github \
    tests/data/golden-ledger.yaml >/dev/null 2>"$OUT/gha.err"
rc=$?
[ "$rc" = 1 ] && grep -q 'could not append the job summary' "$OUT/gha.err" ||
    fail "unwritable step summary: exit $rc (want 1, the verdict) and a warning on stderr"
# junit: warnings below --fail-on are <skipped>, at --fail-on warning they are failures
checks=$((checks + 1))
grep -q '<skipped message="warning: ' tests/cli/golden/validate.junit || fail "golden junit: no skipped warning"
"$BIN" validate "${AS_OF[@]}" --format junit --fail-on warning tests/data/golden-ledger.yaml >"$OUT/jw.xml" 2>/dev/null
checks=$((checks + 1))
! grep -q '<skipped' "$OUT/jw.xml" && grep -q 'failures="6"' "$OUT/jw.xml" || fail "junit --fail-on warning: warnings not failures"
# json and sarif goldens are valid JSON with the documented shape
cp tests/cli/golden/validate.json "$OUT/last.out"
jcheck "golden json: documented finding fields and a summary" \
    'f and all(all(k in x for k in ("rule", "severity", "file", "line", "column", "function_arn", "message")) for x in f) and "summary" in d'
cp tests/cli/golden/validate.sarif "$OUT/last.out"
jcheck "golden sarif: 2.1.0 with results" 'd["version"] == "2.1.0" and len(d["runs"][0]["results"]) == 6'
# no ledger text can start a workflow command of its own: every line is one annotation or plain text
if grep -q '^::warning::<b>' tests/cli/golden/validate.github; then fail "github: injected command in golden"; fi

# ---- the JSON checks recorded above, and every invalid example against its header, in one python3 run ------------
python3 - "$OUT/jchecks.tsv" "$OUT/examples.tsv" <<'PY' || fail "json checks (see above)"
import json, re, sys
bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    path, desc, expr = line.rstrip("\n").split("\t", 2)
    try:
        d = json.load(open(path, encoding="utf-8"))
        ok = eval(expr, {}, {"d": d, "f": d.get("findings")})
    except Exception as e:  # noqa: BLE001 - any failure is a failed check
        ok, desc = False, f"{desc} ({e!r})"
    if not ok:
        print(f"FAIL: {desc}", file=sys.stderr)
        bad += 1
for line in open(sys.argv[2], encoding="utf-8"):
    path, out = line.rstrip("\n").split("\t")
    expect = []
    for text in open(path, encoding="utf-8"):
        m = re.match(r"# expect: (\S+) (\d+):(\d+)(?: (.*))?$", text.rstrip("\n"))
        if m:
            expect.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)))
    got = [(f["rule"], f["line"], f["column"], f["message"], f["file"]) for f in json.load(open(out))["findings"]]
    problems = []
    if not expect:
        problems.append("no '# expect:' header")
    for rule, ln, col, needle in expect:
        if not any(g[:3] == (rule, ln, col) and (needle is None or needle in g[3]) for g in got):
            problems.append(f"missing {rule} at {ln}:{col}" + (f" containing {needle!r}" if needle else ""))
    for g in got:
        if g[4] != path:
            problems.append(f"finding names file {g[4]!r}")
        if not any(g[:3] == e[:3] for e in expect):
            problems.append(f"unexpected {g[0]} at {g[1]}:{g[2]}: {g[3]}")
    if len(got) != len(expect):
        problems.append(f"{len(got)} findings, expected {len(expect)}")
    for p in problems:
        print(f"FAIL: {path}: {p}", file=sys.stderr)
    bad += bool(problems)
sys.exit(1 if bad else 0)
PY

echo "test_validate: $checks checks, $failures failures"
[ "$failures" = 0 ]
