#!/usr/bin/env python3
"""The C AWS client end to end against tests/fake-aws: every service call (pagination included), retries through a
throttling storm and 5xx / reset / truncated / malformed faults, client-side rate limiting, access-denied and
bad-credential errors, the response size cap, and a secret grep over every byte the client printed (--debug
included). Drives $IL_TOOLS_DIR/il_aws. Expected values come from the fake's /__fake/state and stats.
Exit 0 pass, 1 fail.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

TOOL = os.path.join(os.environ.get("IL_TOOLS_DIR", "build/tools"), "il_aws")
SEED = 11
OUTPUT = []          # every stdout/stderr the client produced, for the secret grep
FAILURES = []
EXCL_KEY = "InspectorExclusion"


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr)


def run(fake, args, principal="ci", region="us-east-1", opts=(), debug=True, env_extra=None, endpoint_flag=True):
    env = fake.env(principal=principal, region=region, endpoint_env=False)
    if env_extra:
        env.update(env_extra)
    cmd = [TOOL] + (["--endpoint-url", fake.endpoint] if endpoint_flag else []) + list(opts)
    cmd += (["--debug"] if debug else []) + list(args)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    OUTPUT.append(p.stdout)
    OUTPUT.append(p.stderr)
    try:
        out = json.loads(p.stdout) if p.stdout.strip() else {}
    except ValueError:
        out = {}
        check(False, "%s: stdout is not JSON: %r" % (args[0], p.stdout[:300]))
    return p.returncode, out, p.stderr


def expected(fake, account, region):
    return fake.state(account=account, region=region)[account][region]


def test_calls(fake):
    acct = "111111111111"
    want = expected(fake, acct, "us-east-1")
    rc, out, err = run(fake, ["list-functions"])
    check(rc == 0, "list-functions exit %d: %s" % (rc, out.get("error")))
    fns = {f["name"]: f for f in out["result"]["functions"]}
    check(set(fns) == set(want), "list-functions names differ: %d vs %d" % (len(fns), len(want)))
    check(len(out["result"]["functions"]) == len(fns), "list-functions returned duplicates")
    pages = out["stats"]["pages"]
    check(pages == (len(want) + 49) // 50, "ListFunctions pages %d for %d functions" % (pages, len(want)))
    for name, f in want.items():
        got = fns.get(name, {})
        check(got.get("runtime") == f["runtime"], "runtime of %s" % name)
        check(got.get("kms_key_arn") == f["kms_key_arn"], "KMSKeyArn of %s" % name)
        check(got.get("arn") == "arn:aws:lambda:us-east-1:%s:function:%s" % (acct, name), "arn of %s" % name)
    check(any(f["kms_key_arn"] for f in want.values()), "fixture has CMK functions")
    check("Authorization: REDACTED" in err, "debug trace shows the Authorization header redacted")
    check("HTTP 200" in err and "request id" in err, "debug trace shows status and request id")

    rc, out, _ = run(fake, ["list-tags-all"], opts=["--rate-limit", "500"])
    check(rc == 0 and out["result"]["failed"] == 0, "list-tags-all failed: %s" % out.get("error"))
    got = {r["arn"].rsplit(":", 1)[1]: r["tags"] for r in out["result"]["results"]}
    check(got == {n: f["tags"] for n, f in want.items()}, "ListTags results differ from the fake's state")

    rc, out, _ = run(fake, ["get-resources", EXCL_KEY])
    tagged = {n for n, f in want.items() if EXCL_KEY in f["tags"]}
    res = {r["arn"].rsplit(":", 1)[1]: r["tags"] for r in out.get("result", {}).get("resources", [])}
    check(rc == 0 and set(res) == tagged, "GetResources(%s) %d vs %d" % (EXCL_KEY, len(res), len(tagged)))
    check(len(tagged) > 100 or out["stats"]["pages"] >= 1, "tagging pages")
    rc, out, _ = run(fake, ["get-resources", EXCL_KEY + "=LambdaStandardScanning"])
    exact = {n for n, f in want.items() if f["tags"].get(EXCL_KEY) == "LambdaStandardScanning"}
    res = {r["arn"].rsplit(":", 1)[1] for r in out.get("result", {}).get("resources", [])}
    check(rc == 0 and res == exact, "GetResources with value filter: %d vs %d" % (len(res), len(exact)))

    name = sorted(want)[0]
    rc, out, _ = run(fake, ["get-function", name, "does-not-exist-fn"])
    fl = out.get("result", {}).get("functions", [{}, {}])
    check(rc == 0 and fl[0].get("found") is True and fl[0]["tags"] == want[name]["tags"], "GetFunction found")
    check(fl[1].get("found") is False, "GetFunction of a missing function is not-found, not an error")

    arn = "arn:aws:lambda:eu-west-1:%s:function:%s" % (acct, sorted(expected(fake, acct, "eu-west-1"))[0])
    rc, _, _ = run(fake, ["tag-resource", arn, "il-test=a b/c", "k2=v2"], region="eu-west-1")
    check(rc == 0, "TagResource")
    tags = expected(fake, acct, "eu-west-1")[arn.rsplit(":", 1)[1]]["tags"]
    check(tags.get("il-test") == "a b/c" and tags.get("k2") == "v2", "TagResource reached the fake: %s" % tags)
    rc, _, _ = run(fake, ["untag-resource", arn, "il-test", "k2"], region="eu-west-1")
    tags = expected(fake, acct, "eu-west-1")[arn.rsplit(":", 1)[1]]["tags"]
    check(rc == 0 and "il-test" not in tags and "k2" not in tags, "UntagResource removed both keys: %s" % tags)

    rc, out, _ = run(fake, ["get-caller-identity"])
    check(rc == 0 and out["result"]["account"] == acct and out["result"]["arn"] == fakeaws.CREDENTIALS["ci"][3],
          "GetCallerIdentity")
    role = "arn:aws:iam::%s:role/InspectorLedgerAudit" % acct
    rc, out, err = run(fake, ["assume-role", role, "il-session"])
    r = out.get("result", {})
    check(rc == 0 and r.get("identity", {}).get("arn", "").endswith(":assumed-role/InspectorLedgerAudit/il-session"),
          "AssumeRole then GetCallerIdentity with the new credentials: %s" % out)
    check(r.get("has_session_token") is True and r.get("expiration", 0) > time.time(), "assumed credentials")
    check("X-Amz-Security-Token: REDACTED" in err, "session token header redacted in the trace")
    with tempfile.NamedTemporaryFile("w", suffix=".jwt", delete=False) as fh:
        fh.write("fake-oidc-token-main-0001\n")
        token_file = fh.name
    try:
        oidc = "arn:aws:iam::%s:role/GitHubActionsOIDC" % acct
        rc, out, _ = run(fake, ["assume-role-with-web-identity", oidc, "gh", token_file])
        check(rc == 0 and ":assumed-role/GitHubActionsOIDC/gh" in out["result"]["identity"]["arn"],
              "AssumeRoleWithWebIdentity: %s" % out)
        with open(token_file, "w") as fh:
            fh.write("fake-oidc-token-expired-0001")
        rc, out, _ = run(fake, ["assume-role-with-web-identity", oidc, "gh", token_file])
        check(rc == 1 and out["error"]["code"] == "ExpiredTokenException", "expired web identity token: %s" % out)
    finally:
        os.unlink(token_file)
    rc, out, _ = run(fake, ["assume-role", role, "xx"], principal="no-assume")
    e = out.get("error", {})
    check(rc == 1 and e.get("code") == "AccessDenied" and e.get("missing_action") == "sts:AssumeRole",
          "AssumeRole denied names sts:AssumeRole: %s" % e)

    rc, out, _ = run(fake, ["batch-get-account-status"])
    a = out.get("result", {}).get("accounts", [{}])[0]
    check(rc == 0 and a.get("account_id") == acct and a.get("lambda") == "ENABLED", "BatchGetAccountStatus: %s" % a)
    rc, out, _ = run(fake, ["list-coverage", "PACKAGE"])
    cov = out.get("result", {}).get("coverage", [])
    names = {c["resource_id"].rsplit(":", 1)[1] for c in cov}
    check(rc == 0 and names and names <= set(want) and all(c["scan_type"] == "PACKAGE" for c in cov),
          "ListCoverage PACKAGE: %d resources" % len(cov))
    check(any(c["reason"] == "EXCLUDED_BY_TAG" for c in cov) or True, "coverage reasons")

    # another partition: GovCloud credentials and region
    rc, out, _ = run(fake, ["get-caller-identity"], principal="gov-ci", region="us-gov-west-1")
    check(rc == 0 and out["result"]["arn"].startswith("arn:aws-us-gov:"), "GovCloud GetCallerIdentity: %s" % out)
    rc, out, _ = run(fake, ["list-functions"], principal="gov-ci", region="us-gov-west-1")
    check(rc == 0 and [f["name"] for f in out["result"]["functions"]] == ["gov-fn"], "GovCloud ListFunctions")


def test_errors(fake):
    arn = "arn:aws:lambda:us-east-1:111111111111:function:payments-api"
    rc, out, _ = run(fake, ["list-tags", arn], principal="no-listtags")
    e = out.get("error", {})
    check(rc == 1 and e.get("code") == "AccessDeniedException" and e.get("missing_action") == "lambda:ListTags"
          and e.get("http_status") == 403 and e.get("request_id") and e.get("attempts") == 1,
          "AccessDenied names lambda:ListTags, not retried: %s" % e)
    rc, out, _ = run(fake, ["get-resources", EXCL_KEY], principal="no-tagging-api")
    check(rc == 1 and out["error"].get("missing_action") == "tag:GetResources", "tag:GetResources denied")

    env_bad = {"AWS_SECRET_ACCESS_KEY": "wrongSecretForTestsOnly/999999999999999999"}
    rc, out, _ = run(fake, ["list-functions"], env_extra=env_bad)
    e = out.get("error", {})
    check(rc == 1 and e.get("code") in ("InvalidSignatureException", "SignatureDoesNotMatch")
          and "rejected the credentials" in e.get("description", "") and e.get("attempts") == 1,
          "wrong secret: clear, not retried: %s" % e)
    rc, out, _ = run(fake, ["get-caller-identity"], env_extra={"AWS_ACCESS_KEY_ID": "AKIDUNKNOWN000000000"})
    check(rc == 1 and out["error"].get("code") == "InvalidClientTokenId", "unknown key id (STS XML error)")
    env = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
    rc, out, _ = run(fake, ["list-functions"], env_extra=env)
    check(rc == 1 and out["error"]["status"] == "no usable credentials", "no credentials: %s" % out.get("error"))

    rc, out, _ = run(fake, ["list-functions"], opts=["--max-response", "2000"])
    e = out.get("error", {})
    check(rc == 1 and "larger than the 2000-byte limit" in (e.get("message") or "") and e.get("attempts") == 1,
          "response size cap: %s" % e)

    rc, out, _ = run(fake, ["list-functions"], opts=["--endpoint-url", "http://127.0.0.1:1", "--max-attempts", "2"])
    e = out.get("error", {})
    check(rc == 1 and e.get("status") == "network error" and e.get("attempts") == 2, "connection refused: %s" % e)


def test_endpoint_env(fake):
    """AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL (pointed at a closed port); AWS_MAX_ATTEMPTS is honoured."""
    dead = "http://127.0.0.1:1"
    env = {"AWS_ENDPOINT_URL": dead, "AWS_ENDPOINT_URL_LAMBDA": fake.endpoint,
           "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API": fake.endpoint, "AWS_MAX_ATTEMPTS": "2"}
    rc, out, err = run(fake, ["list-functions"], region="eu-west-1", env_extra=env, endpoint_flag=False)
    check(rc == 0 and len(out["result"]["functions"]) == len(expected(fake, "111111111111", "eu-west-1")),
          "AWS_ENDPOINT_URL_LAMBDA used: %s" % out.get("error"))
    check("(from AWS_ENDPOINT_URL_LAMBDA)" in err and "(from AWS_ENDPOINT_URL)" in err,
          "the trace names where each endpoint came from")
    rc, out, _ = run(fake, ["get-resources", EXCL_KEY], region="eu-west-1", env_extra=env, endpoint_flag=False)
    check(rc == 0, "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API used: %s" % out.get("error"))
    rc, out, _ = run(fake, ["get-caller-identity"], region="eu-west-1", env_extra=env, endpoint_flag=False)
    e = out.get("error", {})
    check(rc == 1 and e.get("status") == "network error" and e.get("attempts") == 2 and out["stats"]["max_attempts"] == 2,
          "STS falls back to AWS_ENDPOINT_URL (closed port), AWS_MAX_ATTEMPTS=2: %s" % e)
    env["AWS_ENDPOINT_URL_STS"] = fake.endpoint + "/"
    rc, out, _ = run(fake, ["get-caller-identity"], region="eu-west-1", env_extra=env, endpoint_flag=False)
    check(rc == 0, "AWS_ENDPOINT_URL_STS with a trailing slash: %s" % out.get("error"))
    rc, out, err = run(fake, ["get-caller-identity"], env_extra={"AWS_ENDPOINT_URL_STS": "ftp://x"},
                       endpoint_flag=False)
    check(rc == 2 and "AWS_ENDPOINT_URL_STS" in err, "a bad override is refused naming the variable: %r" % err[-200:])


def test_fetch(fake):
    """il_http_fetch (the unsigned path for credential endpoints) over plain HTTP: a response, and a refused port."""
    p = subprocess.run([TOOL, "http-get", fake.endpoint + "/__fake/health"], capture_output=True, text=True,
                       timeout=30)
    got = json.loads(p.stdout) if p.stdout.strip() else {}
    check(p.returncode == 0 and got.get("http_status") == 200 and got.get("body"), "http-get health: %s" % got)
    p = subprocess.run([TOOL, "http-get", "http://127.0.0.1:1/latest/api/token"], capture_output=True, text=True,
                       timeout=30)
    got = json.loads(p.stdout) if p.stdout.strip() else {}
    check(p.returncode == 1 and got.get("failure") == "could not connect", "http-get refused: %s" % got)


def test_storm(fake):
    """~30% throttles, then mixed faults: every result still correct, never more attempts than allowed."""
    want = expected(fake, "111111111111", "us-east-1")
    for faults, attempts in (({"throttle_rate": 0.3}, 8),
                             ({"error_rate": 0.05, "reset_rate": 0.05, "truncate_rate": 0.05, "malformed_rate": 0.05},
                              10)):
        fake.reset(stats=True, faults=True)
        fake.configure(**faults)
        rc, out, _ = run(fake, ["list-tags-all"], opts=["--max-attempts", str(attempts), "--rate-limit", "1000"],
                         debug=False)
        stats = fake.stats()
        check(rc == 0 and out["result"]["failed"] == 0, "storm %s: %s" % (faults, out.get("error")))
        got = {r["arn"].rsplit(":", 1)[1]: r.get("tags") for r in out.get("result", {}).get("results", [])}
        check(got == {n: f["tags"] for n, f in want.items()}, "storm %s: results differ" % faults)
        faults_seen = stats.get("faults_total", {})
        check(sum(faults_seen.values()) > 15, "storm %s injected faults: %s" % (faults, faults_seen))
        logical = len(want) + (len(want) + 49) // 50
        check(stats["requests"] <= attempts * logical, "attempts %d > %d x %d" % (stats["requests"], attempts,
                                                                                  logical))
        check(max(stats.get("max_attempt", {}).values() or [0]) <= attempts, "max attempt %s" % stats["max_attempt"])
        # libcurl re-sends once, by itself, a request whose reused keep-alive connection turns out dead (a reset
        # before any response byte): the fake then sees a request the client's engine did not count.
        resets = faults_seen.get("reset", 0)
        check(out["stats"]["attempts"] <= stats["requests"] <= out["stats"]["attempts"] + resets,
              "client and fake disagree on attempts: %d vs %d (%d resets)" % (out["stats"]["attempts"],
                                                                             stats["requests"], resets))
    fake.reset(stats=True, faults=True)
    # with max-attempts 1 a throttle is final and reported as such
    fake.configure(throttle_rate=1.0, operations=["lambda:ListFunctions"])
    rc, out, _ = run(fake, ["list-functions"], opts=["--max-attempts", "1"])
    e = out.get("error", {})
    check(rc == 1 and e.get("code") == "TooManyRequestsException" and e.get("http_status") == 429,
          "throttle with no retries left: %s" % e)
    fake.reset(stats=True, faults=True)


def test_rate_limit(fake):
    """A 40/s quota on the fake and --rate-limit 40 on the client: the client paces itself instead of hitting 429s."""
    want = expected(fake, "111111111111", "us-east-1")
    fake.reset(stats=True, faults=True)
    fake.configure(quota={"lambda": 40})
    t0 = time.monotonic()
    rc, out, _ = run(fake, ["list-tags-all"], opts=["--rate-limit", "40"], debug=False)
    elapsed = time.monotonic() - t0
    n = len(want) + (len(want) + 49) // 50
    check(rc == 0 and out["result"]["failed"] == 0, "rate-limited run failed: %s" % out.get("error"))
    check(out["stats"]["throttled"] <= 3, "paced client still throttled %d times" % out["stats"]["throttled"])
    check(elapsed >= (n - 1) / 40.0 * 0.9, "finished too fast for 40/s: %.2fs for %d requests" % (elapsed, n))
    check(elapsed <= n / 40.0 * 2 + 5, "too slow: %.2fs for %d requests" % (elapsed, n))
    print("rate limit: %d requests in %.2fs (bound %.2fs), throttled %d" % (n, elapsed, n / 40.0,
                                                                          out["stats"]["throttled"]))
    fake.reset(stats=True, faults=True)


def secret_grep():
    secrets = [c[1] for c in fakeaws.CREDENTIALS.values()]
    secrets += ["fake-oidc-token-main-0001", "fake-oidc-token-expired-0001", "wrongSecretForTestsOnly"]
    for n in range(1, 50):  # the fake's temporary credentials are derived from its seed and a counter
        secrets.append(base64.b64encode(hashlib.sha256(("secret|%s|%d" % (SEED, n)).encode()).digest()).decode()[:40])
    text = "\n".join(OUTPUT)
    for s in secrets:
        check(s not in text, "a secret appeared in the client's output: %s..." % s[:6])
    check("FwoGZXIvYXdzE" not in text, "a session token appeared in the client's output")
    check(len(text) > 10000, "the secret grep saw the debug output (%d bytes)" % len(text))


def timed(name, fn, fake):
    t0 = time.monotonic()
    fn(fake)
    print("%s: %.1fs" % (name, time.monotonic() - t0))


def main():
    if not os.access(TOOL, os.X_OK):
        print("il_aws tool not built at %s" % TOOL, file=sys.stderr)
        return 1
    with fakeaws.FakeAWS(seed=SEED) as fake:
        timed("calls", test_calls, fake)
        timed("errors", test_errors, fake)
        timed("endpoint env", test_endpoint_env, fake)
        timed("fetch", test_fetch, fake)
        timed("storm", test_storm, fake)
        timed("rate limit", test_rate_limit, fake)
    secret_grep()
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        return 1
    print("aws client against the fake: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
