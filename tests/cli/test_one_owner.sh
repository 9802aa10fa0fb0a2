#!/usr/bin/env bash
# One file owns each dependency (ARCHITECTURE.md): OpenSSL libcrypto only in src/common/common_crypto.c (everyone else
# calls il/crypto.h), libcurl only behind src/aws/aws_curl_lib.h, used by aws_http.c and aws_curl_lib.c. A second
# owner would bring back a second spelling of "1 means success" or a second way to drive curl.
set -euo pipefail
cd "${IL_SOURCE_DIR:?}"
fail=0
passed=0

# expect LABEL EXPECTED ACTUAL: the sorted file lists must match exactly (an empty ACTUAL means the check is stale).
expect() {
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1))
    else
        echo "error: $1: expected [$2], found [$(echo "$3" | tr '\n' ' ')]"
        fail=1
    fi
}

expect "files that include OpenSSL" "src/common/common_crypto.c" \
    "$(grep -rlE '#[[:space:]]*include[[:space:]]*<openssl/' src include | sort || true)"
expect "files that call OpenSSL" "src/common/common_crypto.c" \
    "$(grep -rlE '\b(EVP_[A-Za-z0-9_]+|OPENSSL_[a-z_]+|HMAC_[A-Za-z_]+)[[:space:]]*\(' src include | sort || true)"
expect "files that include libcurl" "src/aws/aws_curl_lib.h" \
    "$(grep -rlE '#[[:space:]]*include[[:space:]]*<curl/' src include | sort || true)"
expect "files that include the libcurl loader" "src/aws/aws_curl_lib.c
src/aws/aws_http.c" "$(grep -rl '"aws/aws_curl_lib.h"' src include | sort || true)"

[ "$fail" -eq 0 ] && echo "one owner: $passed passed, 0 failed"
exit "$fail"
