#!/usr/bin/env python3
"""The fake AWS's fault injection: every fault has AWS's wire shape, probabilistic faults are a pure function of
the seed and the request (same seed -> same faults, whatever the order or concurrency; another seed -> others),
attempts are counted per SDK invocation, the quota is per service+account+region, and a real SDK (botocore, as an
independent client) survives a 30% throttling storm within its retry budget. Requests are signed by botocore's
own SigV4 signer and sent with http.client so the raw outcome is visible. Exit 0 pass, 1 fail, 77 without
botocore.
"""

import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

try:
    import botocore.session
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
except ImportError:
    botocore = None

ACCOUNT = "111111111111"
FN_ARN = "arn:aws:lambda:us-east-1:111111111111:function:"


def request(fake, method, path, service, body=b"", headers=None, region="us-east-1", principal="ci", timeout=10):
    """Sign with botocore, send with http.client; returns (outcome, status, headers, body)."""
    akid, secret, _, _ = fakeaws.CREDENTIALS[principal]
    req = AWSRequest(method=method, url=fake.endpoint + path, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(akid, secret), service, region).add_auth(req)
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=dict(req.headers.items()))
        resp = conn.getresponse()
        data = resp.read()
    except http.client.IncompleteRead:
        return "truncate", None, {}, b""
    except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError):
        return "reset", None, {}, b""
    finally:
        conn.close()
    hdrs = {k.lower(): v for k, v in resp.getheaders()}
    if resp.status in (500, 503):
        return "error%d" % resp.status, resp.status, hdrs, data
    if resp.status == 429 or b"Throttl" in data:
        return "throttle", resp.status, hdrs, data
    if resp.status == 200 and service != "sts":
        try:
            json.loads(data)
        except ValueError:
            return "malformed", resp.status, hdrs, data
    if resp.status == 200 and service == "sts" and not data.rstrip().endswith(b"Response>"):
        return "malformed", resp.status, hdrs, data
    return ("ok" if resp.status < 300 else "http%d" % resp.status), resp.status, hdrs, data


def list_tags(fake, name, **kw):
    return request(fake, "GET", "/2017-03-31/tags/" + urllib.parse.quote(FN_ARN + name, safe=""), "lambda", **kw)


def get_resources(fake, **kw):
    return request(fake, "POST", "/", "tagging", body=b'{"ResourceTypeFilters":["lambda:function"]}',
                   headers={"X-Amz-Target": "ResourceGroupsTaggingAPI_20170126.GetResources",
                            "Content-Type": "application/x-amz-json-1.1"}, **kw)


def sts_identity(fake, **kw):
    return request(fake, "POST", "/", "sts", body=b"Action=GetCallerIdentity&Version=2011-06-15",
                   headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, **kw)


def coverage(fake, **kw):
    return request(fake, "POST", "/coverage/list", "inspector2", body=b"{}",
                   headers={"Content-Type": "application/json"}, **kw)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# --- checks ------------------------------------------------------------------------------------------------------

def t_fault_shapes(fake):
    def only(op, fault):
        fake.configure(script=[{"operation": op, "fault": fault}])

    only("lambda:ListTags", "throttle")
    kind, status, hdrs, body = list_tags(fake, "payments-api")
    check((kind, status) == ("throttle", 429), "lambda throttle status %s" % status)
    check(hdrs.get("x-amzn-errortype") == "TooManyRequestsException", "lambda throttle header %r" % hdrs)
    check(json.loads(body) == {"Reason": "CallerRateLimitExceeded", "Type": "User", "message": "Rate exceeded"},
          "lambda throttle body %r" % body)
    check(hdrs.get("x-amzn-requestid"), "x-amzn-RequestId on an error")
    check(list_tags(fake, "payments-api", principal="ci")[0] == "throttle", "the script applies to every attempt")
    check(get_resources(fake)[0] == "ok", "script limited to one operation")

    only("tagging:*", "throttle")
    kind, status, hdrs, body = get_resources(fake)
    check(status == 400 and json.loads(body)["__type"] == "ThrottlingException", "tagging throttle %s %r"
          % (status, body))
    only("sts:GetCallerIdentity", "throttle")
    kind, status, hdrs, body = sts_identity(fake)
    check(status == 400 and b"<Code>Throttling</Code>" in body and b"<Type>Sender</Type>" in body,
          "sts throttle %r" % body)
    only("inspector2:ListCoverage", "throttle")
    kind, status, hdrs, body = coverage(fake)
    check(status == 429 and hdrs.get("x-amzn-errortype") == "ThrottlingException", "inspector2 throttle")

    only("lambda:*", "error500")
    kind, status, hdrs, body = list_tags(fake, "payments-api")
    check(status == 500 and hdrs.get("x-amzn-errortype") == "ServiceException" and
          json.loads(body)["Type"] == "Service", "lambda 500 %r" % body)
    only("lambda:*", "error503")
    check(list_tags(fake, "payments-api")[1] == 503, "lambda 503")
    only("sts:*", "error500")
    check(b"<Code>InternalFailure</Code>" in sts_identity(fake)[3], "sts 500")

    for fault in ("reset", "truncate", "malformed"):
        only("*", fault)
        for call in (list_tags(fake, "payments-api"), get_resources(fake), sts_identity(fake), coverage(fake)):
            check(call[0] == fault, "%s produced %s" % (fault, call[0]))
    fake.configure(script=[])
    kind, status, hdrs, body = list_tags(fake, "payments-api")
    check(kind == "ok" and hdrs.get("x-amzn-requestid"), "no fault after the script is cleared")
    faults = fake.stats()["faults_total"]
    check(faults.get("reset") == 4 and faults.get("truncate") == 4 and faults.get("malformed") == 4,
          "stats count injected faults: %r" % faults)


RATES = {"throttle_rate": 0.2, "error_rate": 0.1, "reset_rate": 0.05, "truncate_rate": 0.05,
         "malformed_rate": 0.05}
NAMES = ["bulk-fn-%04d" % i for i in range(120)]


def outcomes(fake, names, threads=1):
    out = {}
    order = list(names)
    if threads > 1:
        random.Random(99).shuffle(order)
    lock = threading.Lock()

    def work(chunk):
        for n in chunk:
            kind = list_tags(fake, n)[0]
            with lock:
                out[n] = kind

    ts = [threading.Thread(target=work, args=(order[i::threads],)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


def t_seed_determinism(_fake):
    with fakeaws.FakeAWS(seed=7, faults=RATES) as a:
        first = outcomes(a, NAMES)
    with fakeaws.FakeAWS(seed=7, faults=RATES) as b:
        again = outcomes(b, NAMES, threads=4)
    with fakeaws.FakeAWS(seed=8, faults=RATES) as c:
        other = outcomes(c, NAMES)
    check(first == again, "same seed, other order and concurrency: different faults")
    check(first != other, "another seed gave the same faults")
    kinds = {}
    for k in first.values():
        kinds[k] = kinds.get(k, 0) + 1
    for k in ("ok", "throttle", "error500", "error503", "reset", "truncate", "malformed"):
        check(kinds.get(k, 0) > 0, "seed 7 produced no %s in 120 requests: %r" % (k, kinds))
    check(0.35 < kinds["ok"] / 120.0 < 0.75, "fault rates far from configured: %r" % kinds)


def t_attempts(fake):
    fake.configure(script=[{"operation": "lambda:ListTags", "attempts": [1, 2], "fault": "throttle"}])
    inv = {"amz-sdk-invocation-id": str(uuid.uuid4())}
    got = [list_tags(fake, "payments-api", headers=inv)[0] for _ in range(3)]
    check(got == ["throttle", "throttle", "ok"], "scripted attempts per invocation: %r" % got)
    other = list_tags(fake, "payments-api", headers={"amz-sdk-invocation-id": str(uuid.uuid4())})[0]
    check(other == "throttle", "a new invocation starts again at attempt 1")
    st = fake.stats()
    check(st["max_attempt"]["lambda:ListTags"] == 3, "max attempt %r" % st["max_attempt"])
    check(st["operations"]["lambda:ListTags"] == 4 and st["faults"]["throttle"]["lambda:ListTags"] == 3,
          "stats %r" % st)
    # Without an invocation id the attempt is counted per identical request.
    fake.reset()
    got = [list_tags(fake, "legacy-node")[0] for _ in range(3)]
    check(got == ["throttle", "throttle", "ok"], "attempts by content: %r" % got)
    fake.configure(script=[])


def t_latency(fake):
    fake.configure(latency_ms=300)
    start = time.monotonic()
    check(list_tags(fake, "payments-api")[0] == "ok", "latency request failed")
    took = time.monotonic() - start
    fake.configure(latency_ms=0)
    check(took >= 0.3, "added latency %.3fs < 0.3s" % took)


def t_quota(fake):
    fake.configure(quota={"lambda": 5})
    kinds = [list_tags(fake, "payments-api")[0] for _ in range(15)]
    ok = kinds.count("ok")
    check(4 <= ok <= 7 and kinds.count("throttle") == 15 - ok, "quota 5/s over 15 quick calls: %r" % kinds)
    check(get_resources(fake)[0] == "ok", "the lambda quota throttled the tagging API")
    check(request(fake, "GET", "/2015-03-31/functions/", "lambda", region="eu-west-1")[0] == "ok",
          "the us-east-1 quota throttled eu-west-1")
    time.sleep(1.1)
    later = [list_tags(fake, "payments-api")[0] for _ in range(4)]
    check(later.count("ok") >= 4, "the bucket did not refill: %r" % later)
    check(fake.stats()["faults"]["quota"]["lambda:ListTags"] == 15 - ok, "quota throttles counted")
    fake.configure(quota=None)


def t_control(fake):
    try:
        fake.configure(no_such_setting=1)
    except fakeaws.FakeAWSError as exc:
        check("400" in str(exc), "unknown setting: %s" % exc)
    else:
        raise AssertionError("an unknown fault setting was accepted")
    check(fake.control("GET", "/__fake/config")["seed"] == 3, "config shows the seed")


def t_botocore_storm(fake):
    """A real SDK with standard retries finishes a 30% throttling storm with the right answer."""
    fake.reset(state=True)
    fake.configure(throttle_rate=0.3)
    # Keep botocore's backoff schedule but shrink it 100x: this checks attempts and results, not waiting.
    import botocore.retries.standard as std
    real_delay = std.ExponentialBackoff.delay_amount
    std.ExponentialBackoff.delay_amount = lambda self, ctx: real_delay(self, ctx) / 100.0
    akid, secret, _, _ = fakeaws.CREDENTIALS["ci"]
    sess = botocore.session.Session()
    cfg = Config(retries={"mode": "standard", "max_attempts": 8}, region_name="us-east-1")
    client = sess.create_client("lambda", endpoint_url=fake.endpoint, aws_access_key_id=akid,
                                aws_secret_access_key=secret, config=cfg)
    names = []
    for page in client.get_paginator("list_functions").paginate():
        names += [f["FunctionName"] for f in page["Functions"]]
    check(len(names) == 132 and len(set(names)) == 132, "storm: %d functions listed" % len(names))
    for n in NAMES[:30]:
        tags = client.list_tags(Resource=FN_ARN + n)["Tags"]
        check(tags.get("team") == "bulk", "storm: tags of %s" % n)
    st = fake.stats()
    throttles = sum(st["faults"].get("throttle", {}).values())
    check(throttles > 0, "the storm injected no throttles")
    check(max(st["max_attempt"].values()) <= 8, "more attempts than the retry policy allows: %r"
          % st["max_attempt"])
    check(st["attempt_histogram"].get("2", 0) > 0, "no request was retried")
    std.ExponentialBackoff.delay_amount = real_delay
    fake.configure(throttle_rate=0.0)


TESTS = [t_fault_shapes, t_attempts, t_latency, t_quota, t_control, t_botocore_storm, t_seed_determinism]


def main():
    if botocore is None:
        print("SKIP: botocore is not importable (Debian: python3-botocore)")
        return 77
    passed = failed = 0
    with fakeaws.FakeAWS(seed=3) as fake:
        for t in TESTS:
            start = time.monotonic()
            fake.reset()
            fake.configure(script=[], quota=None, throttle_rate=0.0)
            try:
                t(fake)
                passed += 1
                print("ok   %s (%.1fs)" % (t.__name__, time.monotonic() - start))
            except (AssertionError, KeyError, ValueError, fakeaws.FakeAWSError) as exc:
                failed += 1
                print("FAIL %s: %s" % (t.__name__, exc))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
