#!/usr/bin/env bash
# iam-policy is derived from the one operations table (include/il/aws/ops.h, src/aws/aws_call_ops.c):
#  1. every operation the table lists is called somewhere in src/ (a request is set up from its IL_AWS_OP_ row), and
#     every IL_AWS_OP_ the code names is in the table: the policy can name neither more nor less than the code calls;
#  2. the committed example policies under ci/iam/ are exactly what `iam-policy` prints for their mode;
#  3. the policy is valid JSON and the --help text lists each mode.
set -euo pipefail
bin="$IL_BIN"
src="$IL_SOURCE_DIR"
mkdir -p "$IL_TEST_OUT"
fail=0

table=$(sed -n '/^enum il_aws_op {/,/^};/p' "$src/include/il/aws/ops.h" | grep -o 'IL_AWS_OP_[A-Z0-9_]*' |
        grep -v '^IL_AWS_OP_COUNT$' | sort -u)
[ -n "$table" ] || { echo "no operations found in ops.h"; exit 1; }
used=$(grep -rhoE 'IL_AWS_OP_[A-Z0-9_]+' "$src/src" --include='*.c' --exclude='aws_call_ops.c' |
       grep -v '^IL_AWS_OP_COUNT$' | sort -u)
if [ "$table" != "$used" ]; then
    echo "the operations table and the calls differ:"
    diff <(echo "$table") <(echo "$used") || true
    fail=1
fi
rows=$(grep -c '^    {IL_AWS_OP_' "$src/src/aws/aws_call_ops.c")
[ "$rows" -eq "$(echo "$table" | wc -l)" ] || { echo "aws_call_ops.c has $rows rows for $(echo "$table" | wc -l) ops"; fail=1; }

for mode in read-only apply coverage; do
    args=()
    [ "$mode" = read-only ] || args=("--$mode")
    "$bin" iam-policy "${args[@]}" > "$IL_TEST_OUT/iam-$mode.json"
    python3 -m json.tool "$IL_TEST_OUT/iam-$mode.json" > /dev/null || { echo "iam-policy ${args[*]}: not JSON"; fail=1; }
    if ! diff -u "$src/ci/iam/$mode.json" "$IL_TEST_OUT/iam-$mode.json"; then
        echo "ci/iam/$mode.json is out of date: regenerate with build/inspector-ledger iam-policy ${args[*]} > ci/iam/$mode.json"
        fail=1
    fi
done
"$bin" iam-policy --output "$IL_TEST_OUT/iam-out.json"
cmp -s "$IL_TEST_OUT/iam-out.json" "$src/ci/iam/read-only.json" || { echo "--output differs from stdout"; fail=1; }
help=$("$bin" iam-policy --help)
for opt in --apply --coverage --organization --assume-role --role-name --role-arn-template --account --partition; do
    grep -q -- "$opt" <<<"$help" || { echo "--help lacks $opt"; fail=1; }
done
set +e
"$bin" iam-policy --bogus 2>/dev/null; [ $? -eq 2 ] || { echo "an unknown option must exit 2"; fail=1; }
"$bin" iam-policy extra 2>/dev/null; [ $? -eq 2 ] || { echo "an argument must exit 2"; fail=1; }
set -e
[ "$fail" -eq 0 ] && echo "iam-policy: $(echo "$table" | wc -l) operations, each called; ci/iam up to date"
exit "$fail"
