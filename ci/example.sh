#!/usr/bin/env bash
# README command 1: set up, build, and run the main job (validate) on the bundled example ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
echo
echo "$ ./build/inspector-ledger validate ledger-example/security/inspector-exclusions.yaml"
./build/inspector-ledger validate ledger-example/security/inspector-exclusions.yaml
echo
echo "next: 'bash ci/demo.sh' runs check, report --live, whoami and apply against a local fake AWS (no account needed);"
echo "      README.md's Quick start has the everyday commands."
