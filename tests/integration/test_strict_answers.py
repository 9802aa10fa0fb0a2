#!/usr/bin/env python3
"""Broken AWS answers never pass, and AWS text never leaks credentials (issue 13).

1. Hostile 2xx answers from the fake (tests/fake-aws/fakeaws_faults.py: empty_object, null_list, doubled, short_body,
   other_function) on every list call and GetFunction: `check`, `report --live` and `apply` exit 3 and name the call,
   where the code before the fix exited 0 (a clean check, a complete report, an apply that keeps an expired tag).
   The fixture (tests/fake-aws/fixtures/strict.json) is built so that an empty listing looks clean.
2. A signature error that quotes the canonical request (x-amz-security-token line included) and a header quoting the
   token: no secret key, session token (plain or percent-encoded) in any output format of check, report --live,
   apply, whoami, on stdout, stderr or with --debug.
3. --max-pages and --timeout end a listing that never ends (an endpoint that keeps returning fresh tokens) with exit 3
   naming the bound.
Exit 0 pass, 77 skip, 1 fail.
"""
import os
import subprocess
import sys
import time
import urllib.parse

from checklib import AS_OF, BIN, SRC, Workdir, check, entry, finish, start_fake
import fakeaws  # noqa: E402

FIXTURE = os.path.join(SRC, "tests", "fake-aws", "fixtures", "strict.json")

CLEAN = [entry("orders-api")]  # in order in AWS: a listing that shows nothing unrecorded passes
WITH_EXPIRED = CLEAN + [entry("zz-expired-fn", scan="code", applied="2026-01-05", review="2026-03-01",
                              expires="2026-06-30")]
# every exclusion in AWS recorded, plus one function that does not exist: only GetFunction can tell
WITH_GHOST = CLEAN + [entry("zz-shadow-fn"), entry("zz-expired-fn", scan="code"), entry("ghost-fn")]


def run(fake, kind, ledger, *args, env=None, timeout=120):
    env = env or fake.env("ci")
    pace = ["--rate-limit", "2000", "--max-attempts", "2"]
    if kind == "check":
        cmd = [BIN, "check", "--as-of", AS_OF, "--region", "us-east-1"] + pace + list(args) + [ledger]
    elif kind == "report":
        cmd = [BIN, "report", "--live", "--no-git", "--as-of", AS_OF, "--region", "us-east-1"] + pace + \
            list(args) + [ledger]
    elif kind == "apply":
        cmd = [BIN, "apply", "--as-of", AS_OF] + pace + list(args) + [ledger]
    else:
        cmd = [BIN, "whoami"] + list(args)
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def test_baseline(fake):
    """Without faults the scenario is what the hostile cases must not hide."""
    fake.configure(script=[])
    wd = Workdir("strict-base", CLEAN)
    for source in ([], ["--tags-source", "lambda"]):
        rc, out, err = run(fake, "check", wd.ledger, *source)
        check(rc == 1 and "zz-shadow-fn" in out, "baseline %s: check finds the unrecorded exclusion (exit %d)" %
              (source, rc), out + err)
        rc, out, err = run(fake, "report", wd.ledger, "--format", "markdown", *source)
        check(rc == 0 and "zz-shadow-fn" in out, "baseline %s: report --live is complete (exit %d)" % (source, rc),
              err)
    wd = Workdir("strict-base-apply", WITH_EXPIRED)
    rc, out, err = run(fake, "apply", wd.ledger)
    check(rc == 0 and "zz-expired-fn" in out and "untag" in out, "baseline: apply plans the expired tag's removal",
          out + err)
    wd = Workdir("strict-base-ghost", WITH_GHOST)
    rc, out, err = run(fake, "check", wd.ledger)
    # a missing function is a warning: the gate passes, but says so
    check(rc == 0 and "function-not-found" in out, "baseline: the ghost function is not found (exit %d)" % rc, out)


def expect_3(fake, what, kind, ledger, needles, *args):
    rc, out, err = run(fake, kind, ledger, *args)
    text = out + err
    check(rc == 3, "%s: %s exits 3 (got %d)" % (what, kind, rc), text[-1500:])
    for n in needles:
        check(n in text, "%s: %s names %r" % (what, kind, n), text[-1500:])


def test_hostile_bodies(fake):
    clean = Workdir("strict-clean", CLEAN).ledger
    expired = Workdir("strict-expired", WITH_EXPIRED).ledger
    ghost = Workdir("strict-ghost", WITH_GHOST).ledger
    lam = ["--tags-source", "lambda"]
    why = {"empty_object": "is missing", "null_list": "is missing", "doubled": "unexpected bytes after",
           "short_body": "truncated response"}
    for fault in ("empty_object", "null_list", "doubled", "short_body"):
        fake.configure(script=[{"operation": "tagging:GetResources", "fault": fault}])
        for kind in ("check", "report"):
            expect_3(fake, "GetResources " + fault, kind, clean, ["GetResources", why[fault]])
        for op in ("lambda:ListFunctions", "lambda:ListTags"):
            fake.configure(script=[{"operation": op, "fault": fault}])
            for kind in ("check", "report"):
                expect_3(fake, op + " " + fault, kind, clean, [op.split(":")[1], why[fault]], *lam)
            expect_3(fake, op + " " + fault, "apply", expired, [op.split(":")[1], why[fault]])
    fake.configure(script=[{"operation": "lambda:GetFunction", "fault": "other_function"}])
    for kind in ("check", "report"):
        expect_3(fake, "GetFunction for another function", kind, ghost, ["GetFunction", "not the one asked for"])
    fake.configure(script=[])


# ---- secrets ------------------------------------------------------------------------------------------------------

def temporary_credentials(fake):
    """Session credentials from the fake's STS (AssumeRole through the AWS CLI), so requests carry a token."""
    env = fakeaws.aws_cli_env(fake.env("ci"))
    p = subprocess.run(["aws", "--endpoint-url", fake.endpoint, "sts", "assume-role", "--role-arn",
                        "arn:aws:iam::111111111111:role/StrictAudit", "--role-session-name", "strict", "--query",
                        "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]", "--output", "text"],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0:
        return None
    akid, secret, token = p.stdout.decode().split()
    env.update(AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret, AWS_SESSION_TOKEN=token)
    return env, [secret, token, urllib.parse.quote(token, safe=""), urllib.parse.quote(secret, safe="")]


def test_secret_echo(fake):
    creds = temporary_credentials(fake)
    if not check(creds is not None, "temporary credentials from the fake's STS"):
        return
    env, secrets = creds
    clean = Workdir("strict-echo", CLEAN).ledger
    expired = Workdir("strict-echo-apply", WITH_EXPIRED).ledger
    runs = []
    for op in ("tagging:GetResources", "lambda:ListFunctions", "lambda:ListTags", "sts:GetCallerIdentity"):
        fake.configure(script=[{"operation": op, "fault": "sig_echo"}])
        src = ["--tags-source", "lambda"] if op.startswith("lambda:") else []
        for debug in ([], ["--debug"]):
            for fmt in ("text", "json", "github", "sarif", "junit", "markdown"):
                runs.append(("check %s %s %s" % (op, fmt, debug), run(fake, "check", clean, "--format", fmt,
                                                                      *(src + debug), env=env)))
            for fmt in ("html", "markdown", "csv", "json"):
                runs.append(("report %s %s %s" % (op, fmt, debug), run(fake, "report", clean, "--format", fmt,
                                                                       *(src + debug), env=env)))
            if op != "tagging:GetResources":  # apply reads tags through Lambda
                runs.append(("apply %s %s" % (op, debug), run(fake, "apply", expired, *debug, env=env)))
            if op.startswith("sts:"):
                for fmt in ("text", "json"):
                    runs.append(("whoami %s %s" % (fmt, debug), run(fake, "whoami", None, "--format", fmt, *debug,
                                                                    env=env)))
    for op in ("lambda:UntagResource",):
        fake.configure(script=[{"operation": op, "fault": "sig_echo"}])
        for debug in ([], ["--debug"]):
            runs.append(("apply --yes %s %s" % (op, debug), run(fake, "apply", expired, "--yes", *debug, env=env)))
    fake.configure(script=[])
    total = 0
    for what, (rc, out, err) in runs:
        text = out + err
        total += len(text)
        check(rc == 3, "%s: exit 3 (got %d)" % (what, rc), text[-800:])
        for s in secrets:
            check(s not in text, "%s: a credential appears in the output (%s...)" % (what, s[:6]), text[-800:])
        check("InvalidSignatureException" in text or "SignatureDoesNotMatch" in text,
              "%s: the signature error is still reported" % what, text[-800:])
    # the echo really reached the tool, and was scrubbed rather than dropped
    debug_text = "".join(o + e for w, (_, o, e) in runs if "--debug" in w)
    check("x-amz-security-token:REDACTED" in debug_text, "the echoed canonical request shows the scrubbed token line")
    check("x-amzn-Remote-Echo: REDACTED" in debug_text, "the header quoting the token is scrubbed in --debug")
    check(total > 100000, "the grep saw real output (%d bytes)" % total)


# ---- bounded pages and time ---------------------------------------------------------------------------------------

def test_bounds(fake):
    clean = Workdir("strict-bounds", CLEAN).ledger
    lam = ["--tags-source", "lambda"]
    rc, out, err = run(fake, "check", clean, "--max-pages", "2", *lam)
    check(rc == 3 and "--max-pages 2" in out + err and "ListFunctions" in out + err,
          "check --max-pages 2 on a 4-page listing: exit 3 naming the bound (exit %d)" % rc, out + err)
    rc, out, err = run(fake, "report", clean, "--max-pages", "2", *lam)
    check(rc == 3 and "--max-pages 2" in out + err, "report --live --max-pages 2: exit 3 (%d)" % rc, err)
    rc, out, err = run(fake, "apply", clean, "--max-pages", "2")
    check(rc == 3 and "--max-pages 2" in out + err, "apply --max-pages 2: exit 3 (%d)" % rc, out + err)
    rc, out, err = run(fake, "check", clean, "--max-pages", "4", *lam)
    check(rc == 1, "--max-pages 4 is enough for 4 pages (exit %d)" % rc, err)
    for kind, args in (("check", ["--timeout", "x"]), ("apply", ["--max-pages", "0"]), ("report", ["--timeout", "-1"])):
        rc, out, err = run(fake, kind, clean, *args)
        check(rc == 2, "%s %s: usage error (exit %d)" % (kind, args, rc), err)
    # an endpoint that keeps returning fresh tokens: both bounds end it
    fake.configure(script=[{"operation": "lambda:ListFunctions", "fault": "fresh_tokens"}])
    rc, out, err = run(fake, "check", clean, "--max-pages", "300", *lam)
    check(rc == 3 and "--max-pages 300" in out + err, "endless listing, --max-pages 300: exit 3 (%d)" % rc, out + err)
    t0 = time.monotonic()
    rc, out, err = run(fake, "check", clean, "--timeout", "1", *lam)
    took = time.monotonic() - t0
    check(rc == 3 and "--timeout 1 s" in out + err and "ListFunctions" in out + err,
          "endless listing, --timeout 1: exit 3 naming the bound (%d)" % rc, out + err)
    check(took < 6, "endless listing, --timeout 1: ended in %.1f s" % took)
    fake.configure(script=[])
    # every answer slow: the run timeout ends the run, naming it, instead of waiting out every retry
    fake.configure(latency_ms=700)
    t0 = time.monotonic()
    rc, out, err = run(fake, "check", clean, "--timeout", "2", *lam)
    took = time.monotonic() - t0
    fake.configure(latency_ms=0)
    check(rc == 3 and "--timeout 2 s" in out + err, "check --timeout 2: exit 3 naming the bound (exit %d)" % rc,
          out + err)
    check(took < 8, "check --timeout 2 ended in %.1f s" % took)


def test_throughput(fake):
    """No idle waits: a 400-page listing over loopback runs at well over 120 requests/s. The event loop that sat in
    curl_multi_poll after a transfer had finished managed about 36/s here (1000 pages in 27.9 s); without the wait
    about 650/s (1.5 s). The floor leaves room for a loaded machine, not for the idle wait."""
    clean = Workdir("strict-rps", CLEAN).ledger
    fake.configure(script=[{"operation": "lambda:ListFunctions", "fault": "fresh_tokens", "pages": 400}])
    fake.reset()
    t0 = time.monotonic()
    rc, out, err = run(fake, "check", clean, "--tags-source", "lambda")
    took = time.monotonic() - t0
    pages = fake.stats()["operations"].get("lambda:ListFunctions", 0)
    fake.configure(script=[])
    check(rc == 0 and pages == 400, "400 empty pages are a clean listing (exit %d, %d pages)" % (rc, pages), err)
    rate = pages / took
    print("throughput: %d pages in %.2f s = %.0f requests/s" % (pages, took, rate))
    check(rate >= 120, "at least 120 requests/s over loopback (got %.0f)" % rate)


def main():
    with start_fake(seed=21, fixture=FIXTURE) as fake:
        test_baseline(fake)
        test_hostile_bodies(fake)
        test_secret_echo(fake)
        test_bounds(fake)
        test_throughput(fake)
    finish()


if __name__ == "__main__":
    main()
