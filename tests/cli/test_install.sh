#!/usr/bin/env bash
# Install layout: cmake --install into a temporary prefix puts the binary, man page, completions, schemas and docs
# where CMakeLists.txt says; the installed binary runs; the man page renders with groff -man -ww without a warning
# and names every option that each subcommand's --help lists (a new option forces a man update); the bash
# completion loads and completes subcommands, --format values and every --help option (zsh: syntax only).
set -uo pipefail

BIN=${IL_BIN:?IL_BIN not set}
SRC=${IL_SOURCE_DIR:?IL_SOURCE_DIR not set}
BUILD=${IL_BUILD_DIR:?IL_BUILD_DIR not set}
OUT=${IL_TEST_OUT:-/tmp}/install
rm -rf "$OUT" && mkdir -p "$OUT"
PREFIX=$OUT/prefix
failures=0
checks=0
SUBCOMMANDS=(validate check report apply whoami)

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
ok() { checks=$((checks + 1)); }

if ! cmake --install "$BUILD" --prefix "$PREFIX" >"$OUT/install.log" 2>&1; then
    cat "$OUT/install.log" >&2
    echo "FAIL: cmake --install" >&2
    exit 1
fi

for f in bin/inspector-ledger share/man/man1/inspector-ledger.1 \
    share/bash-completion/completions/inspector-ledger share/zsh/site-functions/_inspector-ledger \
    share/inspector-ledger/schema/inspector-exclusions.schema.json share/doc/inspector-ledger/README.md \
    share/doc/inspector-ledger/ci-kit.md; do
    ok
    [ -f "$PREFIX/$f" ] || fail "not installed: $f"
done
ok
[ -x "$PREFIX/bin/inspector-ledger" ] || fail "installed binary is not executable"
ok
cmp -s "$BIN" "$PREFIX/bin/inspector-ledger" || fail "installed binary differs from the built one ($BIN)"
# Every embedded schema is installed, byte for byte.
for s in "$SRC"/schema/*.json; do
    ok
    cmp -s "$s" "$PREFIX/share/inspector-ledger/schema/$(basename "$s")" || fail "schema differs: $(basename "$s")"
done

# The installed binary runs from its new place and validates the example ledger (and fails a broken one).
IB=$PREFIX/bin/inspector-ledger
ok
"$IB" --help >"$OUT/help.txt" 2>&1 || fail "installed binary: --help exited $?"
ok
"$IB" validate --as-of 2026-11-22 "$SRC/ledger-example/security/inspector-exclusions.yaml" >"$OUT/valid.txt" 2>&1 ||
    fail "installed binary: validate of the example ledger exited $?"
ok
printf 'not: [a ledger\n' | "$IB" validate - >/dev/null 2>&1
[ $? = 1 ] || fail "installed binary: validate of broken YAML did not exit 1"
# The installed schema is usable as --schema.
ok
"$IB" validate --as-of 2026-11-22 --schema "$PREFIX/share/inspector-ledger/schema/inspector-exclusions.schema.json" \
    "$SRC/ledger-example/security/inspector-exclusions.yaml" >/dev/null 2>&1 || fail "installed schema not usable"

# Man page: renders with no groff warning at all (-ww), and has content.
MAN=$PREFIX/share/man/man1/inspector-ledger.1
if command -v groff >/dev/null 2>&1; then
    ok
    groff -man -ww -Tutf8 "$MAN" >"$OUT/man.txt" 2>"$OUT/man.err"
    rc=$?
    if [ $rc != 0 ] || [ -s "$OUT/man.err" ]; then
        fail "groff -man -ww: exit $rc"
        sed 's/^/    groff: /' "$OUT/man.err" | head -10 >&2
    fi
    ok
    [ "$(wc -l <"$OUT/man.txt")" -gt 200 ] || fail "rendered man page is suspiciously short"
else
    echo "FAIL: groff not installed (bash ci/setup.sh --test installs groff-base)" >&2
    exit 1
fi

# section NAME: the man source of subcommand NAME (from '.SS NAME' to the next .SS/.SH), with \- made '-'.
section() {
    awk -v want="$1" '/^\.S[SH] /{ on = ($1 == ".SS" && $2 == want) ; next } on' "$MAN" | sed 's/\\-/-/g'
}
# help_opts [CMD]: the options CMD's --help defines (no CMD: the top-level ones). Only the option column counts:
# an indented line that starts with '-', up to the first two-space gap before its description, so prose that
# mentions another command's option or a range (1-20) does not count, and names may hold capitals and digits
# (-V, --sigv4a). A line that is only an option with its description on the next line is handled alike.
help_opts() {
    "$IB" ${1:+"$1"} --help 2>&1 | awk '/^ +-/ { sub(/^ +/, ""); sub(/  .*$/, ""); print }' |
        grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed 's/^[ ,]//' | sort -u
}
# has_opt FILE OPT: FILE names OPT as a whole word (not as the prefix of a longer option).
has_opt() { grep -qE -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" "$1"; }

for c in "${SUBCOMMANDS[@]}"; do
    section "$c" >"$OUT/man-$c.txt"
    ok
    [ -s "$OUT/man-$c.txt" ] || { fail "man page has no '.SS $c' section"; continue; }
    help_opts "$c" >"$OUT/help-$c.opts"
    ok
    [ "$(wc -l <"$OUT/help-$c.opts")" -ge 3 ] || fail "$c --help: found too few options to compare"
    while read -r o; do
        ok
        has_opt "$OUT/man-$c.txt" "$o" || fail "man page section '$c' lacks $o (in $c --help)"
    done <"$OUT/help-$c.opts"
done
# The top-level options (inspector-ledger --help) are in the OPTIONS section.
awk '/^\.S[SH] /{ on = ($1 == ".SH" && $2 == "OPTIONS") ; next } on' "$MAN" | sed 's/\\-/-/g' >"$OUT/man-options.txt"
help_opts "" >"$OUT/help-top.opts"
ok
[ "$(wc -l <"$OUT/help-top.opts")" -ge 2 ] || fail "top-level --help: found too few options to compare"
while read -r o; do
    ok
    has_opt "$OUT/man-options.txt" "$o" || fail "man page OPTIONS lacks $o (in the top-level --help)"
done <"$OUT/help-top.opts"
# Every subcommand the top-level --help lists has a section, and the exit codes and environment are documented.
while read -r c; do
    ok
    grep -q "^\.SS $c\$" "$MAN" || fail "top-level --help lists '$c' but the man page has no section for it"
done < <("$IB" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
for h in 'EXIT STATUS' ENVIRONMENT FILES RULES; do
    ok
    grep -q "^\.SH $h" "$MAN" || fail "man page lacks section $h"
done
# Every rule id of docs/rules.md is in the man page.
while read -r r; do
    ok
    grep -q -- "$r" "$MAN" || fail "man page RULES lacks rule $r"
done < <(grep -oE '^\| `[a-z-]+`' "$SRC/docs/rules.md" | tr -d '|` ')

# Bash completion: loads without error and completes.
COMP=$PREFIX/share/bash-completion/completions/inspector-ledger
complete_words() { # complete_words WORD... : the candidates for the last word
    bash --norc --noprofile -c 'source "$1" || exit 9; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
        _inspector_ledger; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" inspector-ledger "$@"
}
ok
bash --norc --noprofile -c 'source "$1" && complete -p inspector-ledger' _ "$COMP" >/dev/null 2>&1 ||
    fail "bash completion does not load or does not register inspector-ledger"
got=$(complete_words "" | sort | tr '\n' ' ')
for c in "${SUBCOMMANDS[@]}"; do
    ok
    [[ " $got " == *" $c "* ]] || fail "bash completion of '' lacks subcommand $c (got: $got)"
done
ok
[ "$(complete_words va)" = validate ] || fail "bash completion of 'va' is not 'validate'"
ok
[ "$(complete_words check --format j | tr '\n' ' ')" = "json junit " ] ||
    fail "bash completion of 'check --format j' is not json junit"
for c in "${SUBCOMMANDS[@]}"; do
    got=$(complete_words "$c" - | sort -u)
    while read -r o; do
        ok
        grep -qx -- "$o" <<<"$got" || fail "bash completion of '$c -' lacks $o (in $c --help)"
    done <"$OUT/help-$c.opts"
done
# --format values the completion offers are the ones --help names (a crude check on the help's line).
for c in validate check report; do
    want=$("$IB" "$c" --help | grep -E '^ *--format' | grep -oE '\b(text|json|github|sarif|junit|markdown|html|csv)\b' | sort -u)
    got=$(complete_words "$c" --format "" | sort -u)
    ok
    [ "$want" = "$got" ] || fail "bash completion of '$c --format': $(tr '\n' ' ' <<<"$got")but --help names $(tr '\n' ' ' <<<"$want")"
done

if command -v zsh >/dev/null 2>&1; then
    ok
    zsh -n "$PREFIX/share/zsh/site-functions/_inspector-ledger" || fail "zsh completion has a syntax error"
fi
# zsh completion names every --help option too (static check; zsh may be absent).
for c in "${SUBCOMMANDS[@]}"; do
    while read -r o; do
        ok
        grep -qE -- "['{,*]${o}[[,}]" "$PREFIX/share/zsh/site-functions/_inspector-ledger" || fail "zsh completion lacks $o ($c)"
    done <"$OUT/help-$c.opts"
done

echo "install: $checks checks, $failures failed"
[ "$failures" = 0 ]
