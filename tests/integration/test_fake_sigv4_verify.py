#!/usr/bin/env python3
"""The fake AWS's server-side SigV4 verifier against AWS's official test vectors (../shared/sigv4-test-suite):
for every case its canonical request, string to sign and signature must equal AWS's, verification must accept
the vector's signature, and must refuse it with another secret or a changed body. Stage by stage, so a failure
names the stage. Standard library only. Exit 0 pass, 1 fail, 77 when the suite is absent.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fake-aws"))
import fakeaws_sigv4 as sigv4  # noqa: E402

SHARED = os.environ.get("IL_SHARED_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                         "..", "shared")
SUITE = os.path.join(SHARED, "sigv4-test-suite")
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def parse_req(text):
    """AWS's .req files: request line, headers (continuation lines start with a space), blank line, body."""
    head, sep, body = text.partition("\n\n")
    lines = head.split("\n")
    method, rest = lines[0].split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + "\n" + line)
            continue
        name, _, value = line.partition(":")
        headers.append((name, value))
    path, _, query = target.partition("?")
    return method, path, query, headers, body.encode("utf-8") if sep else b""


def cases():
    for root, _dirs, files in os.walk(SUITE):
        for f in files:
            if f.endswith(".req"):
                yield os.path.join(root, f[:-4])


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def main():
    if not os.path.isdir(SUITE):
        required = os.environ.get("IL_REQUIRE_SHARED") == "1"
        print("%s: AWS SigV4 test suite: folder %s is missing; point cmake -DIL_SHARED_DIR=<folder> at a folder "
              "holding sigv4-test-suite/%s" % ("FAIL" if required else "SKIP", SUITE,
                                               "" if required else " (IL_REQUIRE_SHARED=1 makes this a failure)"))
        return 1 if required else 77
    passed = failed = 0
    for base in sorted(cases()):
        name = os.path.relpath(base, SUITE)
        try:
            # The signed request (.sreq) is what reaches a server: it carries the session token where there is one.
            method, path, query, headers, body = parse_req(read(base + ".sreq"))
            headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
            auth = sigv4.parse_authorization(read(base + ".authz").strip())
            creq = sigv4.canonical_request(method, path, query, headers, auth.signed_headers,
                                           sigv4.hashlib.sha256(body).hexdigest())
            want_creq = read(base + ".creq")
            if creq != want_creq:
                raise AssertionError("canonical request differs:\n%s\n--- want ---\n%s" % (creq, want_creq))
            sts = sigv4.string_to_sign(dict((k.lower(), v) for k, v in headers)["x-amz-date"], auth.scope, creq)
            if sts != read(base + ".sts"):
                raise AssertionError("string to sign differs")
            if sigv4.signature(SECRET, auth, sts) != auth.signature:
                raise AssertionError("signature differs")
            sigv4.verify(method, path, query, headers, body, auth, SECRET)
            for label, secret, data in (("wrong secret", SECRET + "x", body), ("changed body", SECRET, body + b"x")):
                try:
                    sigv4.verify(method, path, query, headers, data, auth, secret)
                except sigv4.SigV4Error as err:
                    if err.kind != "mismatch":
                        raise AssertionError("%s: error kind %s" % (label, err.kind))
                else:
                    raise AssertionError("%s was accepted" % label)
            passed += 1
        except (AssertionError, sigv4.SigV4Error, KeyError, ValueError) as exc:
            failed += 1
            print("FAIL %s: %s" % (name, exc))
    print("sigv4 verifier vs AWS test suite: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
