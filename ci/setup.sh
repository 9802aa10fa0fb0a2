#!/usr/bin/env bash
# Installs whatever a bare Debian 12 machine is missing for building (and, with --test, for testing), then builds
# build/inspector-ledger. Idempotent and quick the second time: packages already present are not reinstalled (apt is
# not even run), and an existing build/ is rebuilt incrementally, keeping its configuration.
#   ci/setup.sh          the tool only (tests, fuzzers and bench programs off)
#   ci/setup.sh --test   also the test tools, and build/ configured with the tests and bench programs on
set -euo pipefail
cd "$(dirname "$0")/.."

# Named explicitly, never through Recommends (we install with --no-install-recommends): libc6-dev carries the C
# start files (Scrt1.o) gcc only recommends. git: the clone itself and `report --with-history` (git blame).
BUILD_PKGS=(gcc libc6-dev make cmake pkg-config libyaml-dev libcurl4-openssl-dev libssl-dev libcjson-dev
            ca-certificates git)
# cmocka: the unit tests; python3 runs the fake AWS; botocore/jsonschema/yaml are independent oracles; awscli proves
# the fake's wire format; clang builds the fuzzer; chromium renders the HTML report; debootstrap builds the bare
# Debian chroot of tests/cli/test_bare_debian.sh; groff-base renders the man page (test_install.sh); pre-commit runs
# the hook (test_ci_kit.py); clang-format checks the formatting (ci/format.sh).
TEST_PKGS=(libcmocka-dev python3 python3-botocore python3-jsonschema python3-yaml awscli clang libclang-rt-14-dev
           chromium libxml2-utils debootstrap groff-base pre-commit clang-format-14)

testing=0
if [ "${1:-}" = "--test" ]; then
    testing=1
fi
want=("${BUILD_PKGS[@]}")
if [ "$testing" -eq 1 ]; then
    want+=("${TEST_PKGS[@]}")
fi

# One dpkg-query for every package: "<name> <status>" lines; anything not "install ok installed" is missing.
missing=()
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${want[@]}" 2>/dev/null | awk '/ install ok installed$/ {print $1}' || true)
for p in "${want[@]}"; do
    if ! grep -qx -- "$p" <<<"$installed"; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "${0##*/}: these Debian packages are missing and installing them needs root: run this as root, or install sudo" >&2
            exit 2
        fi
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
if [ "$testing" -eq 1 ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_TESTS=ON -DIL_BENCH=ON >/dev/null
elif [ ! -f build/CMakeCache.txt ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIL_TESTS=OFF -DIL_BENCH=OFF >/dev/null
fi
# An existing build/ keeps its options (e.g. tests on after ci/test.sh); cmake re-runs itself only if a CMake file
# changed. Only the tool is built here; ci/test.sh builds the rest.
if [ "$testing" -eq 1 ]; then
    cmake --build build -j "$jobs"
else
    cmake --build build -j "$jobs" --target inspector-ledger
fi
