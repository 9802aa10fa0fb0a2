#!/usr/bin/env bash
# `inspector-ledger schema` prints the schemas built into the binary byte for byte (the ledger's by default, NAME's,
# --list the names); the ledger schema is editor-ready ($id, and a title and description on every property); a ledger
# may carry a top-level $schema key (for editors) but no other unknown key.
set -uo pipefail
BIN=${IL_BIN:?IL_BIN not set}
SRC=${IL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OUT=${IL_TEST_OUT:-/tmp}/schema-cmd.$$
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT
cd "$SRC" || exit 1
fails=0 checks=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }

# the default and every named schema equal the files in schema/ (the embedded copy is the shipped one)
ok; "$BIN" schema >"$OUT/default.json" || fail "schema: exit $?"
cmp -s "$OUT/default.json" schema/inspector-exclusions.schema.json || fail "schema: not schema/inspector-exclusions.schema.json"
n=0
for f in schema/*.schema.json; do
    name=$(basename "$f" .schema.json)
    n=$((n + 1)); ok
    "$BIN" schema "$name" >"$OUT/$name.json" && cmp -s "$OUT/$name.json" "$f" || fail "schema $name differs from $f"
    ok; "$BIN" schema "$name.schema.json" | cmp -s - "$f" || fail "schema $name.schema.json differs from $f"
    ok; "$BIN" schema --list | grep -q "^$name " || fail "schema --list does not name $name"
done
ok; [ "$("$BIN" schema --list | wc -l)" = "$n" ] || fail "schema --list: not one line per file of schema/ ($n)"
ok; "$BIN" schema --help | grep -q -- '--list' || fail "schema --help does not list --list"
ok; "$BIN" --help | grep -q '^  schema ' || fail "inspector-ledger --help does not list schema"
for bad in nope --nope "a b" "inspector-exclusions extra"; do
    ok
    # shellcheck disable=SC2086 # the last one is two words on purpose
    "$BIN" schema $bad >"$OUT/bad.out" 2>"$OUT/bad.err"; rc=$?
    [ "$rc" = 2 ] && [ ! -s "$OUT/bad.out" ] && [ -s "$OUT/bad.err" ] || fail "schema $bad: exit $rc, want 2 and a message"
done
ok; "$BIN" schema $'\e]0;x\a' 2>&1 | grep -q $'\e' && fail "schema: a hostile NAME reached the terminal raw"

# editor-ready: $id, and title + description on every property at every depth
ok; python3 - schema/inspector-exclusions.schema.json <<'PY' || fail "ledger schema lacks \$id/title/description"
import json, sys
s = json.load(open(sys.argv[1]))
bad = [] if s.get("$id", "").startswith("https://") and s.get("title") and s.get("description") else ["(root)"]
def walk(node, path):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            if not (isinstance(v.get("title"), str) and v["title"] and isinstance(v.get("description"), str) and v["description"]):
                bad.append(path + "/" + k)
        for k, v in node.items():
            walk(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s/%d" % (path, i))
walk(s, "")
print("missing:", bad) if bad else None
sys.exit(1 if bad else 0)
PY
ok; grep -q "^# yaml-language-server: \$schema=$(python3 -c 'import json;print(json.load(open("schema/inspector-exclusions.schema.json"))["$id"])')\$" README.md ||
    fail "README does not show the yaml-language-server line with the schema's \$id"

# a top-level $schema key is accepted (string), another unknown key is still an error
ID=$(python3 -c 'import json;print(json.load(open("schema/inspector-exclusions.schema.json"))["$id"])')
{ echo "# yaml-language-server: \$schema=$ID"; echo "\$schema: $ID"; cat ledger-example/security/inspector-exclusions.yaml; } >"$OUT/with-schema.yaml"
ok; "$BIN" validate --as-of 2026-12-01 "$OUT/with-schema.yaml" >"$OUT/v.out" 2>&1 || fail "a ledger with \$schema fails: $(cat "$OUT/v.out")"
{ echo "\$schemas: $ID"; cat ledger-example/security/inspector-exclusions.yaml; } >"$OUT/typo.yaml"
ok; "$BIN" validate --as-of 2026-12-01 --format json "$OUT/typo.yaml" >"$OUT/t.json" 2>&1
grep -q '"rule": "schema"' "$OUT/t.json" && grep -q '\$schemas' "$OUT/t.json" || fail "an unknown key beside \$schema passes"
{ echo "\$schema: 7"; cat ledger-example/security/inspector-exclusions.yaml; } >"$OUT/num.yaml"
ok; "$BIN" validate --as-of 2026-12-01 "$OUT/num.yaml" >/dev/null 2>&1 && fail "a non-string \$schema passes"

echo "test_schema_cmd: $checks checks, $fails failures"
[ "$fails" = 0 ]
