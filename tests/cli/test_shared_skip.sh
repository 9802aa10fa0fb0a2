#!/usr/bin/env bash
# Without ../shared (IL_SHARED_DIR) the conformance suites are skipped (77) with the reason and the setting to
# fix it; IL_REQUIRE_SHARED=1 (set by .ci/run) turns the missing suite into a failure.
set -uo pipefail
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
missing=$(mktemp -d)/no-shared
run() { # run <name> <cmd...>: sets out, rc
    out=$("${@:2}" 2>&1)
    rc=$?
}
for t in "$IL_BUILD_DIR/test_schema_conformance" "$IL_BUILD_DIR/test_sigv4_suite" \
         "python3 $IL_SOURCE_DIR/tests/integration/test_fake_sigv4_verify.py"; do
    name=$(basename "${t##* }")
    run x env -u IL_REQUIRE_SHARED IL_SHARED_DIR="$missing" $t
    check "$name: missing suite is skipped (77), got $rc" '[ "$rc" -eq 77 ]'
    check "$name: the skip names the folder and IL_SHARED_DIR" \
        'grep -q "^SKIP: .*$missing.*-DIL_SHARED_DIR=" <<<"$out"'
    run x env IL_REQUIRE_SHARED=1 IL_SHARED_DIR="$missing" $t
    check "$name: IL_REQUIRE_SHARED=1 makes it a failure (1), got $rc" '[ "$rc" -eq 1 ]'
    check "$name: the failure says why" 'grep -q "^FAIL: .*$missing" <<<"$out"'
done
check ".ci/run sets IL_REQUIRE_SHARED=1" 'grep -q "^export IL_REQUIRE_SHARED=1" "$IL_SOURCE_DIR/.ci/run"'
rm -rf "$(dirname "$missing")"
exit "$fail"
