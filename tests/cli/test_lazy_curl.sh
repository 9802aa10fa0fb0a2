#!/usr/bin/env bash
# libcurl is loaded on first use (src/aws/aws_curl_lib.c), not at startup:
#   - the offline commands (validate, report without --live, --version, --help) never load libcurl or its
#     libraries (glibc's LD_DEBUG=libs lists every library a process loads, dlopen()ed ones included);
#   - a command that makes a request does load it and reaches the transport (a refused loopback port);
#   - where libcurl.so.4 cannot be loaded, offline commands still work and the AWS commands fail closed with a
#     clear message. The dynamic loader searches LD_LIBRARY_PATH first, so a directory holding a broken
#     libcurl.so.4 (an empty file; a library without curl's functions) stands in for a machine without libcurl4.
set -uo pipefail

BIN=${IL_BIN:?IL_BIN not set}
SRC=${IL_SOURCE_DIR:?IL_SOURCE_DIR not set}
OUT=${IL_TEST_OUT:-/tmp}/lazy_curl
rm -rf "$OUT" && mkdir -p "$OUT/home" "$OUT/empty" "$OUT/nosym"
cd "$SRC" || exit 1

LEDGER=ledger-example/security/inspector-exclusions.yaml
CURL_LIBS='libcurl|libgnutls|libkrb5|libldap|libnghttp2|librtmp|libssh2'
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# A clean AWS environment on a refused loopback port: nothing from the machine's own ~/.aws is read.
aws_env=(env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_SESSION_TOKEN -u AWS_CONTAINER_CREDENTIALS_FULL_URI
    -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_ROLE_ARN
    HOME="$OUT/home" AWS_CONFIG_FILE="$OUT/home/config" AWS_SHARED_CREDENTIALS_FILE="$OUT/home/credentials"
    AWS_ACCESS_KEY_ID=AKIDLAZYCURLTEST0000 AWS_SECRET_ACCESS_KEY=lazyCurlTestSecretOnly0000000000000000000
    AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 AWS_EC2_METADATA_DISABLED=true)
ENDPOINT=http://127.0.0.1:9

# Is LD_DEBUG honoured here (glibc)? Without it nothing below can be observed.
LD_DEBUG=libs "$BIN" --version >/dev/null 2>"$OUT/probe.err"
if ! grep -q 'find library=\|calling init:' "$OUT/probe.err"; then
    echo "skip: the dynamic loader does not report loaded libraries (LD_DEBUG=libs): not glibc?"
    exit 77
fi

# offline NAME ARGS...: exit 0, and no libcurl (or its dependencies) loaded
offline() {
    local name=$1
    shift
    checks=$((checks + 1))
    LD_DEBUG=libs "$BIN" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    local rc=$?
    if [ "$rc" != 0 ]; then
        fail "$name: exit $rc, want 0 ($*)"
        grep -v '^ *[0-9]*:' "$OUT/$name.err" | head -5 >&2
        return
    fi
    if grep -E "$CURL_LIBS" "$OUT/$name.err" | head -3 | grep -q .; then
        fail "$name loaded libcurl or its libraries: $(grep -E "$CURL_LIBS" "$OUT/$name.err" | head -2)"
    fi
}

offline version --version
offline help --help
offline validate validate --as-of 2026-11-22 "$LEDGER"
offline report report --no-git --as-of 2026-11-22 --format json "$LEDGER"

# A request loads libcurl on first use and gets as far as the transport (nothing listens on port 9).
checks=$((checks + 1))
LD_DEBUG=libs "${aws_env[@]}" "$BIN" whoami --endpoint-url "$ENDPOINT" >"$OUT/whoami.out" 2>"$OUT/whoami.err"
rc=$?
msg=$(grep -v '^ *[0-9]*:' "$OUT/whoami.err")
if ! grep -q 'calling init: .*libcurl\.so\.4' "$OUT/whoami.err"; then
    fail "whoami did not load libcurl.so.4"
fi
if [ "$rc" != 3 ] || ! grep -q 'could not connect' <<<"$msg"; then
    fail "whoami against a refused port: exit $rc, want 3 with 'could not connect': $msg"
fi

# Without a loadable libcurl: offline commands are unaffected, AWS commands fail closed and say what to install.
: >"$OUT/empty/libcurl.so.4"
yaml_lib=$(ldd "$BIN" | awk '/libyaml/ {print $3; exit}')
if [ -z "$yaml_lib" ] || [ ! -e "$yaml_lib" ]; then
    fail "cannot find the binary's libyaml in ldd output (needed as a library without curl's functions)"
else
    ln -s "$yaml_lib" "$OUT/nosym/libcurl.so.4"
fi

# missing DIR WHY COMMAND ARGS...: LD_LIBRARY_PATH=DIR; the command exits non-zero naming the load failure WHY
missing() {
    local dir=$1 why=$2
    shift 2
    checks=$((checks + 1))
    LD_LIBRARY_PATH="$OUT/$dir" "${aws_env[@]}" "$BIN" "$@" >"$OUT/missing.out" 2>"$OUT/missing.err"
    local rc=$?
    local err
    err=$(cat "$OUT/missing.err")
    if [ "$rc" = 0 ]; then
        fail "$* without libcurl ($dir): exit 0, want a failure"
    fi
    if ! grep -qF "cannot load libcurl (libcurl.so.4): " <<<"$err" || ! grep -qF "$why" <<<"$err" ||
        ! grep -qF "install the Debian package libcurl4" <<<"$err"; then
        fail "$* without libcurl ($dir): message should name the load failure '$why' and libcurl4: $err"
    fi
    if grep -q 'lazyCurlTestSecretOnly' "$OUT/missing.out" "$OUT/missing.err"; then
        fail "$* printed the secret access key"
    fi
}

missing empty "file too short" whoami --endpoint-url "$ENDPOINT"
missing nosym "undefined symbol: curl_global_init" whoami --endpoint-url "$ENDPOINT"
missing empty "file too short" check --endpoint-url "$ENDPOINT" --as-of 2026-11-22 "$LEDGER"

# the credential endpoints (ECS here) reach HTTP through their own path: same message, chain fails closed
checks=$((checks + 1))
LD_LIBRARY_PATH="$OUT/empty" "${aws_env[@]}" env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
    AWS_CONTAINER_CREDENTIALS_FULL_URI="$ENDPOINT/creds" "$BIN" whoami >"$OUT/ecs.out" 2>"$OUT/ecs.err"
rc=$?
if [ "$rc" != 3 ] || ! grep -q 'ecs: cannot ask .*cannot load libcurl (libcurl.so.4)' "$OUT/ecs.err"; then
    fail "ECS credentials without libcurl: exit $rc, want 3 naming the load failure: $(cat "$OUT/ecs.err")"
fi

checks=$((checks + 1))
if ! LD_LIBRARY_PATH="$OUT/empty" "$BIN" validate --as-of 2026-11-22 "$LEDGER" >"$OUT/v.out" 2>"$OUT/v.err"; then
    fail "validate needs libcurl: $(cat "$OUT/v.err")"
fi

echo "lazy libcurl: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
