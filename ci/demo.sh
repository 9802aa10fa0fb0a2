#!/usr/bin/env bash
# Try inspector-ledger against AWS without an AWS account: starts the project's fake AWS (tests/fake-aws, loopback
# only) with the state in ledger-example/demo/fake-aws.json, then runs whoami, check, report --live and an apply dry
# run on the matching demo ledger. Needs what ci/example.sh installs plus python3 (installed here if missing).
# The fake is stopped when this script ends, also on Ctrl-C.
# Usage: bash ci/demo.sh [--keep]   (--keep: leave the fake running afterwards, print the environment to try your
#                                    own commands against it from another shell, and stop it on Ctrl-C)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
keep=0
case "${1:-}" in
    --keep) keep=1 ;;
    "") ;;
    *) echo "usage: bash ci/demo.sh [--keep]" >&2; exit 2 ;;
esac

if ! command -v python3 >/dev/null; then
    echo "demo: installing python3 (runs the fake AWS)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "${0##*/}: these Debian packages are missing and installing them needs root: run this as root, or install sudo" >&2
            exit 2
        fi
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3 >/dev/null
fi
if [ -z "${IL_BIN:-}" ] && [ ! -x build/inspector-ledger ]; then
    bash ci/setup.sh
fi

bin=${IL_BIN:-$root/build/inspector-ledger} # the tests pass the binary they built
ledger=ledger-example/demo/security/inspector-exclusions.yaml
fixture=ledger-example/demo/fake-aws.json
out_dir="$root/build/demo"
mkdir -p "$out_dir"
work=$(mktemp -d)
fake_pid=""
cleanup() {
    if [ -n "$fake_pid" ]; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
        echo "demo: fake AWS stopped"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 tests/fake-aws/fake_aws.py --host 127.0.0.1 --port 0 --port-file "$work/port" --fixture "$fixture" --seed 1 \
    --log "$out_dir/fake-aws.log" >"$work/fake.out" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do
    if [ -s "$work/port" ]; then break; fi
    if ! kill -0 "$fake_pid" 2>/dev/null; then
        cat "$work/fake.out" >&2
        echo "demo: the fake AWS did not start" >&2
        exit 2
    fi
    sleep 0.1
done
if [ ! -s "$work/port" ]; then
    echo "demo: the fake AWS did not report its port within 10 s" >&2
    exit 2
fi
port=$(cat "$work/port")

# Only the fake's (fake) credentials, nothing from this machine's AWS set-up, no instance metadata, no proxy.
for v in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_CA_BUNDLE \
         AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN \
         AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE AWS_EC2_METADATA_SERVICE_ENDPOINT AWS_ENDPOINT_URL_STS \
         AWS_ENDPOINT_URL_LAMBDA AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API AWS_ENDPOINT_URL_INSPECTOR2 \
         HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy; do
    unset "$v"
done
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIDFAKE0000000001 AWS_SECRET_ACCESS_KEY=fakeSecretKeyForTestsOnly/0000000000000001
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true

# step <title> <command...>: show the command, run it, show its exit code (1 = findings is the point of the demo).
step() {
    local title=$1
    shift
    echo
    echo "== $title"
    echo "\$ inspector-ledger ${*:2}"
    set +e
    "$@"
    local rc=$?
    set -e
    echo "(exit $rc)"
    if [ "$rc" -eq 2 ]; then
        echo "demo: unexpected usage/input error" >&2
        exit 2
    fi
}

echo "demo: fake AWS (account 111111111111, us-east-1 and eu-west-1) on $AWS_ENDPOINT_URL; ledger $ledger"
step "who am I? (STS GetCallerIdentity)" "$bin" whoami
step "drift check (exit 1: findings; account 222222222222 is declared out of scope)" "$bin" check --full -v --only-account 111111111111 "$ledger"
step "auditor report with the live state" "$bin" report --live --only-account 111111111111 --format html --output "$out_dir/exclusions.html" "$ledger"
step "what apply would change (dry run; --yes would do it)" "$bin" apply --only-account 111111111111 "$ledger"
echo
echo "demo: the HTML report is at $out_dir/exclusions.html"
echo "demo: the fake's request log is at $out_dir/fake-aws.log"
if [ "$keep" -eq 1 ]; then
    echo
    echo "demo: the fake AWS keeps running; in another shell, from $root:"
    echo "  export AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL AWS_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null \\"
    echo "         AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \\"
    echo "         AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"
    echo "  build/inspector-ledger check $ledger"
    echo "demo: press Ctrl-C to stop it"
    wait "$fake_pid" || true
fi
