#!/usr/bin/env bash
# What a newcomer types first: --help/-h on every command lists -h and -V, `help <command>` is that command's
# --help, -V/--version works on every command, and usage errors are one line plus a pointer to --help (apply and
# whoami as validate and check), exit 2.
set -uo pipefail
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
BIN=${IL_BIN:?}
version=$("$BIN" --version | head -n 1)
check "--version prints a version" '[[ "$version" =~ ^inspector-ledger\ [0-9]+\.[0-9]+\.[0-9]+$ ]]'
check "-V is --version" '[ "$("$BIN" -V | head -n 1)" = "$version" ]'
check "--version prints the runtime table's date" '"$BIN" --version | grep -qE "^Lambda runtime table: [0-9]{4}-[0-9]{2}-[0-9]{2} "'
check "top-level --help lists -h and -V" '"$BIN" --help | grep -q -- "-h, --help" && "$BIN" --help | grep -q -- "-V, --version"'
for cmd in validate check report apply whoami; do
    help=$("$BIN" "$cmd" --help)
    rc=$?
    check "$cmd --help exits 0 (got $rc)" '[ "$rc" -eq 0 ]'
    check "$cmd --help lists -h, --help" 'grep -q -- "-h, --help" <<<"$help"'
    check "$cmd --help lists -V, --version" 'grep -q -- "-V, --version" <<<"$help"'
    check "$cmd -h is $cmd --help" '[ "$("$BIN" "$cmd" -h)" = "$help" ]'
    check "help $cmd is $cmd --help" '[ "$("$BIN" help "$cmd")" = "$help" ]'
    for v in -V --version; do
        out=$("$BIN" "$cmd" "$v" 2>&1)
        rc=$?
        check "$cmd $v prints the version (rc $rc)" '[ "$rc" -eq 0 ] && [ "$(head -n 1 <<<"$out")" = "$version" ]'
    done
    err=$("$BIN" "$cmd" --no-such-option 2>&1 >/dev/null)
    rc=$?
    check "$cmd: unknown option exits 2 (got $rc)" '[ "$rc" -eq 2 ]'
    check "$cmd: unknown option is two lines: the error and a pointer to --help" \
        '[ "$(wc -l <<<"$err")" -eq 2 ] && grep -q "^inspector-ledger $cmd: .*--no-such-option" <<<"$err" &&
         grep -q "^Try '"'"'inspector-ledger $cmd --help'"'"'.$" <<<"$err"'
done
for cmd in apply whoami; do
    err=$("$BIN" "$cmd" --region 2>&1 >/dev/null)
    rc=$?
    check "$cmd: a missing value is exit 2 in two lines (got $rc)" \
        '[ "$rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 2 ] && grep -q "needs a value" <<<"$err"'
done
err=$("$BIN" whoami --format yaml 2>&1 >/dev/null)
check "whoami: a bad --format is one line plus the pointer" '[ "$(wc -l <<<"$err")" -eq 2 ] && grep -q "use text or json" <<<"$err"'
err=$("$BIN" apply a.yaml b.yaml 2>&1 >/dev/null)
check "apply: two ledgers is one line plus the pointer" '[ "$(wc -l <<<"$err")" -eq 2 ] && grep -q "one ledger at most" <<<"$err"'
err=$("$BIN" help no-such-command 2>&1 >/dev/null)
rc=$?
check "help of an unknown command exits 2 (got $rc) and names it" '[ "$rc" -eq 2 ] && grep -q "no-such-command" <<<"$err"'
# "--" ends the options: a file named -V is a ledger, not the version flag
out=$(cd "$(mktemp -d)" && "$BIN" validate -- -V 2>&1)
rc=$?
check "validate -- -V reads a ledger called -V (exit 2: missing), not the version" '[ "$rc" -eq 2 ] && [ "$out" != "$version" ]'
exit "$fail"
