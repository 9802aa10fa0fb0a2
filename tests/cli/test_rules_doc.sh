#!/usr/bin/env bash
# docs/rules.md must be exactly what the rule catalogue generates, and must name every rule id the catalogue has.
set -euo pipefail
tool="$IL_TOOLS_DIR/il_rules_doc"
doc="$IL_SOURCE_DIR/docs/rules.md"
[ -x "$tool" ] || { echo "missing $tool"; exit 1; }
mkdir -p "$IL_TEST_OUT"
"$tool" > "$IL_TEST_OUT/rules.md"
if ! diff -u "$doc" "$IL_TEST_OUT/rules.md"; then
    echo "docs/rules.md is out of date: regenerate with build/tools/il_rules_doc > docs/rules.md"
    exit 1
fi
# Belt and braces: every id the issues define appears as a table row.
for id in yaml schema schema-file expired expiring-soon review-overdue date-order window-too-long duplicate-entry \
          name-arn-mismatch tag-scan-type-mismatch qualified-arn distinct-approver unrecorded-exclusion \
          expired-exclusion-applied exclusion-not-applied function-not-found scan-blind-cmk deprecated-runtime \
          malformed-exclusion-tag not-checked not-verified policy-file policy-changed ticket-format \
          approver-not-allowed budget-exceeded self-approval approval-not-reviewed approvals-not-verified \
          too-many-renewals renewal-unchanged-approval pre-existing gate-not-verified; do
    grep -q "^| \`$id\` |" "$doc" || { echo "docs/rules.md lacks rule $id"; exit 1; }
done
echo "docs/rules.md lists all $(grep -c '^| `' "$doc") rules"
