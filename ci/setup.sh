#!/usr/bin/env bash
# Installs whatever a fresh Debian machine is missing for building (and, with --test, for testing), then builds
# build/inspector-ledger. Idempotent: packages already present are not reinstalled.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PKGS=(gcc make cmake pkg-config libyaml-dev libcurl4-openssl-dev libssl-dev libcjson-dev libcmocka-dev
            ca-certificates git)
# python3 runs the fake AWS; botocore/jsonschema/yaml are independent oracles; awscli proves the fake's wire format;
# clang builds the fuzzer; chromium renders the HTML report.
TEST_PKGS=(python3 python3-botocore python3-jsonschema python3-yaml awscli clang libclang-rt-14-dev chromium
           libxml2-utils groff-base pre-commit) # groff-base: man page test; pre-commit: hook test

want=("${BUILD_PKGS[@]}")
if [ "${1:-}" = "--test" ]; then
    want+=("${TEST_PKGS[@]}")
fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
