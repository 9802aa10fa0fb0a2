#!/usr/bin/env bash
# Secrets never leave: only the signer and the credentials type may read the secret access key, and no line of the
# sources passes it to a formatting or output function. (The session token is a header value the HTTP layer must
# send, so it is covered by the output greps of the tests that run the tool, not here.)
set -euo pipefail
cd "${IL_SOURCE_DIR:?}"
fail=0

readers=$(grep -rl 'il_credentials_secret(' src | sort || true)
for f in $readers; do
    case "$f" in
        src/aws/aws_sigv4.c | src/aws/credentials/aws_credentials.c) ;;
        *) echo "error: $f reads the secret access key (only src/aws/aws_sigv4.c may)"; fail=1 ;;
    esac
done
if ! grep -q 'il_credentials_secret(' src/aws/aws_sigv4.c; then
    echo "error: src/aws/aws_sigv4.c no longer reads the secret: this check is out of date"
    fail=1
fi

fmt='(printf|fprintf|vfprintf|snprintf|vsnprintf|puts|fputs|il_buf_printf|il_buf_puts|il_diags_addf|syslog)\s*\('
if grep -rnE "$fmt.*il_credentials_secret\(" src; then
    echo "error: the secret is passed to a formatting or output function (above)"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "secret access: 2 passed, 0 failed"
exit "$fail"
