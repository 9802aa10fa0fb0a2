#!/usr/bin/env bash
# Standard output is checked once, at exit (jq's main.c): a full disk must not look like success. Every command that
# writes to standard output exits 2 with one message when the write is lost; a closed standard output that nothing
# was written to is not an error.
set -uo pipefail
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
BIN=${IL_BIN:?}
cd "${IL_SOURCE_DIR:?}" || exit 1
VALID=ledger-example/security/inspector-exclusions.yaml
for args in "--help" "--version" "help validate" "validate --help" "report --help" "apply --help" "whoami --help" \
    "report --no-git --as-of 2027-02-25 --format csv $VALID"; do
    # shellcheck disable=SC2086
    err=$("$BIN" $args 2>&1 >/dev/full)
    rc=$?
    check "'$args' >/dev/full exits 2 (got $rc)" '[ "$rc" -eq 2 ]'
    check "'$args' >/dev/full says so once" \
        '[ "$(grep -c "writing standard output failed\|writing .standard output. failed" <<<"$err")" -eq 1 ]'
done
# validate's own write check already says it (exit 2): no second message
err=$("$BIN" validate --as-of 2027-02-25 "$VALID" 2>&1 >/dev/full)
rc=$?
check "validate >/dev/full: exit 2, one line (got $rc)" '[ "$rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ]'
# nothing written, standard output closed: still a pass
"$BIN" validate -q --as-of 2027-02-25 "$VALID" >&-
rc=$?
check "validate -q with standard output closed exits 0 (got $rc)" '[ "$rc" -eq 0 ]'
# output written normally is unaffected
out=$("$BIN" --version)
rc=$?
check "--version to a pipe exits 0" '[ "$rc" -eq 0 ] && [ -n "$out" ]'
exit "$fail"
