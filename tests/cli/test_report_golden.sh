#!/usr/bin/env bash
# Golden outputs of `report` for the bundled example at a fixed --as-of, one per format.
# --no-git keeps commits out; the ledger's SHA-256 is checked against sha256sum and then replaced by a placeholder,
# and the tool version by another, so editing the example or bumping the version needs only a regeneration:
#   IL_UPDATE_GOLDEN=1 ctest --test-dir build -R report_golden
set -euo pipefail
cd "$IL_SOURCE_DIR"
ledger=ledger-example/security/inspector-exclusions.yaml
out="$IL_TEST_OUT/report-golden"
mkdir -p "$out"
sha=$(sha256sum "$ledger" | cut -d' ' -f1)
version=$("$IL_BIN" --version | awk 'NR == 1 {print $2}')
version_re=${version//./\\.}
fail=0
for fmt in html markdown csv json; do
    ext=$fmt
    [ "$fmt" = markdown ] && ext=md
    rc=0
    "$IL_BIN" report --no-git --as-of 2027-02-25 --format "$fmt" "$ledger" >"$out/report.$ext" 2>"$out/report.$ext.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: $fmt exited $rc: $(cat "$out/report.$ext.err")"
        fail=1
        continue
    fi
    if [ -s "$out/report.$ext.err" ]; then
        echo "FAIL: $fmt wrote to stderr: $(cat "$out/report.$ext.err")"
        fail=1
    fi
    if ! grep -q "$sha" "$out/report.$ext"; then
        echo "FAIL: $fmt does not carry the ledger's SHA-256 $sha"
        fail=1
    fi
    sed -e "s/$sha/@LEDGER_SHA256@/g" -e "s/$version_re/@VERSION@/g" "$out/report.$ext" >"$out/report.$ext.norm"
    golden="tests/cli/golden/report.$ext"
    if [ "${IL_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$out/report.$ext.norm" "$golden"
        echo "updated $golden"
    elif ! diff -u "$golden" "$out/report.$ext.norm"; then
        echo "FAIL: $fmt differs from $golden (regenerate with IL_UPDATE_GOLDEN=1 if the change is intended)"
        fail=1
    fi
done
# The golden must show what it claims: the example's statuses at this date (review overdue for the two
# payments-webhook entries, every other entry active).
if ! grep -q '"review-overdue": 2' tests/cli/golden/report.json || ! grep -q '"active": 4' tests/cli/golden/report.json; then
    echo "FAIL: golden JSON does not show 2 review-overdue and 4 active entries"
    fail=1
fi
exit $fail
