#!/usr/bin/env bash
# `il_rules_doc --ids` (how tests read the rule ids instead of holding a copy) prints exactly the catalogue's ids, in
# docs/rules.md's order, one a line; any other argument is a usage error.
set -euo pipefail
tool="$IL_TOOLS_DIR/il_rules_doc"
doc="$IL_SOURCE_DIR/docs/rules.md"
[ -x "$tool" ] || { echo "missing $tool"; exit 1; }
ids=$("$tool" --ids)
table=$(sed -n 's/^| `\([a-z-]*\)` |.*/\1/p' "$doc")
if [ "$ids" != "$table" ]; then
    diff -u <(echo "$table") <(echo "$ids") || true
    echo "il_rules_doc --ids differs from the rows of docs/rules.md"
    exit 1
fi
n=$(grep -c . <<<"$ids")
[ "$n" -ge 20 ] || { echo "only $n ids"; exit 1; }
grep -qx expired <<<"$ids" || { echo "expired is not listed"; exit 1; }
rc=0
"$tool" --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "--bogus exited $rc, not 2"; exit 1; }
echo "il_rules_doc --ids lists the $n rules of docs/rules.md"
