#!/usr/bin/env python3
"""Differential test: our SigV4 signer (tests/tools/il_sign) against botocore's SigV4Auth, the signer the AWS CLI uses.

~300 requests are generated deterministically (fixed seed): paths and query strings with reserved, unreserved and
non-ASCII characters, dot segments and empty segments; repeated, empty and value-less query keys; headers with odd
case, repeats and whitespace runs; empty, form and JSON (UTF-8) bodies; GET, POST, PUT, DELETE; with and without a
session token and x-amz-content-sha256. Each is signed by both; the canonical request and the Authorization header
must be identical.

Apples to apples -- both signers get the same request as it would go on the wire:
  * the URL botocore sees is the wire URL (path and query already percent-encoded), exactly the `path` and `query`
    il_sign gets. botocore re-encodes the wire path (quote(safe='/~')), like we do.
  * botocore signs the query string of a URL without decoding it (it only splits and sorts), so for wire spellings
    other than AWS's canonical one (lower-case hex, needlessly escaped unreserved characters) botocore is given the
    decoded pairs as `params`, which it encodes itself -- what a wire request with that query means. When the wire
    spelling is canonical, botocore parses the URL itself, half of those times.
  * a pair without '=' ("flag") is ("flag", "") for botocore; an empty pair (from "&&") is ("", ""), as botocore's
    own URL parsing has it; an empty query string ("?" alone) has no parameters.
  * botocore's clock is frozen at the request's time (it reads datetime at signing).
Exit 0 pass, 1 fail, 77 skip when no python3 with botocore exists.
"""
import datetime
import datetime as _real_datetime
import hashlib
import json
import os
import random
import subprocess
import sys

SEED = 20150830
COUNT = 300


def reexec_with_botocore():
    """Use whichever python3 has botocore: this one, or Debian's (python3-botocore)."""
    try:
        import botocore  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("IL_BOTOCORE_REEXEC"):
        print("sigv4 botocore: botocore is not importable; skipped (install python3-botocore)")
        sys.exit(77)
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.path.exists(candidate) and os.path.realpath(candidate) != os.path.realpath(sys.executable):
            probe = subprocess.run([candidate, "-c", "import botocore"], capture_output=True)
            if probe.returncode == 0:
                env = dict(os.environ, IL_BOTOCORE_REEXEC="1")
                os.execve(candidate, [candidate] + sys.argv, env)
    print("sigv4 botocore: no python3 with botocore found; skipped (install python3-botocore)")
    sys.exit(77)


reexec_with_botocore()

import botocore.auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
RESERVED = ":/?#[]@!$&'()*+,;="
OTHER = " %\"<>\\^`{|}"
NON_ASCII = ["é", "ü", "ß", "ሴ", "中文", "😀", "\u00a0", "Ω"]


def pct(byte, lower=False):
    s = "%{:02X}".format(byte)
    return s.lower() if lower else s


def encode(text, rng=None, keep="", style="canonical"):
    """Percent-encode text (UTF-8) for the wire. style: canonical (AWS: only unreserved kept, upper-case hex),
    lower (lower-case hex), over (some unreserved characters escaped too)."""
    out = []
    for ch in text:
        for b in ch.encode("utf-8"):
            c = chr(b)
            if c in UNRESERVED or c in keep:
                if style == "over" and c.isalpha() and rng.random() < 0.3:
                    out.append(pct(b))
                else:
                    out.append(c)
            else:
                out.append(pct(b, lower=(style == "lower")))
    return "".join(out)


def rand_text(rng, max_len=8, allow_empty=True):
    n = rng.randint(0 if allow_empty else 1, max_len)
    pieces = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            pieces.append(rng.choice(UNRESERVED))
        elif r < 0.75:
            pieces.append(rng.choice(RESERVED))
        elif r < 0.85:
            pieces.append(rng.choice(OTHER))
        else:
            pieces.append(rng.choice(NON_ASCII))
    return "".join(pieces)


def rand_path(rng):
    if rng.random() < 0.1:
        return "/"
    segments = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if r < 0.08:
            segments.append(".")
        elif r < 0.16:
            segments.append("..")
        elif r < 0.24:
            segments.append("")  # gives "//"
        else:
            text = rand_text(rng, 10, allow_empty=False).replace("/", "-")
            # sub-delims, ':' and '@' are legal raw in a path; sometimes leave them raw on the wire
            keep = "!$&'()*+,;=:@" if rng.random() < 0.3 else ""
            segments.append(encode(text, rng, keep=keep))
    path = "/" + "/".join(segments)
    if rng.random() < 0.3:
        path += "/"
    return path


def rand_query(rng):
    """Returns (wire query or None, decoded pairs, wire spelling is canonical)."""
    if rng.random() < 0.25:
        return None, [], True
    style = rng.choice(["canonical", "canonical", "lower", "over"])
    pairs = []
    wire = []
    keys = []
    for _ in range(rng.randint(1, 6)):
        r = rng.random()
        if keys and r < 0.25:
            key = rng.choice(keys)  # repeated key
        elif r < 0.32:
            key = ""  # empty key
        else:
            key = rand_text(rng, 6, allow_empty=False)
        keys.append(key)
        r = rng.random()
        if r < 0.12:
            wire.append(encode(key, rng, style=style))  # no '=' at all
            pairs.append((key, ""))
        elif r < 0.22:
            wire.append(encode(key, rng, style=style) + "=")  # empty value
            pairs.append((key, ""))
        else:
            value = rand_text(rng, 10)
            wire.append(encode(key, rng, style=style) + "=" + encode(value, rng, style=style))
            pairs.append((key, value))
    if rng.random() < 0.04:
        wire.append("")  # "a=1&&b": an empty pair
        pairs.append(("", ""))
    if not "".join(wire):
        return "", [], True  # "?" alone (a lone value-less empty key): an empty query has no parameters
    return "&".join(wire), pairs, style == "canonical"


def rand_headers(rng, method, body, host):
    headers = [("Host" if rng.random() < 0.7 else "host", host)]
    if body:
        headers.append(("Content-Type", rng.choice(["application/x-amz-json-1.1", "application/json",
                                                    "application/x-www-form-urlencoded; charset=utf-8"])))
    if method == "POST" and rng.random() < 0.5:
        headers.append(("X-Amz-Target", "AWSLambda.ListFunctions"))
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(["X-Custom", "x-custom", "X-CUSTOM-Two", "My-Header", "Accept", "User-Agent",
                           "X-Amzn-Trace-Id", "Expect"])
        words = [rand_text(rng, 5, allow_empty=False).replace("\\", "") for _ in range(rng.randint(1, 3))]
        ascii_words = ["".join(ch for ch in w if ord(ch) < 128 and ch not in " ") or "v" for w in words]
        sep = rng.choice([" ", "  ", " \t ", "   "])
        value = rng.choice(["", " ", "  "]) + sep.join(ascii_words) + rng.choice(["", " ", "\t"])
        headers.append((name, value))
    if rng.random() < 0.1:
        headers.append(("X-Amz-Date", "19990101T000000Z"))  # stale: both signers replace it
    if rng.random() < 0.05:
        headers.append(("Authorization", "stale"))  # both signers drop it
    return headers


def rand_body(rng, method):
    if method in ("GET", "DELETE") or rng.random() < 0.2:
        return ""
    if rng.random() < 0.3:
        return "Action=GetCallerIdentity&Version=2011-06-15"
    doc = {"Marker": rand_text(rng, 6), "MaxItems": rng.randint(1, 50), "Tags": {rand_text(rng, 4): rand_text(rng, 6)}}
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5)


def rand_creds(rng):
    b64 = UNRESERVED[:62] + "+/"
    key = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = "".join(rng.choice(b64) for _ in range(40))
    token = None
    if rng.random() < 0.5:
        token = "IQoJb3JpZ2luX2Vj" + "".join(rng.choice(b64) for _ in range(rng.randint(20, 300))) + "=="
    return key, secret, token


def generate():
    cases = []
    for i in range(COUNT):
        rng = random.Random(SEED * 1000 + i)
        method = rng.choice(["GET", "GET", "POST", "POST", "PUT", "DELETE"])
        region = rng.choice(["us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "ap-southeast-2"])
        service = rng.choice(["lambda", "tagging", "sts", "inspector2", "execute-api"])
        host = "{}.{}.amazonaws.com".format(service, region)
        body = rand_body(rng, method)
        query, pairs, canonical_wire = rand_query(rng)
        key, secret, token = rand_creds(rng)
        headers = rand_headers(rng, method, body, host)
        if token is not None and rng.random() < 0.1:
            headers.append(("X-Amz-Security-Token", "stale"))  # both signers replace it
        cases.append({
            "method": method, "path": rand_path(rng), "query": query, "pairs": pairs,
            "url_mode": canonical_wire and rng.random() < 0.5,
            "headers": headers, "body": body, "region": region, "service": service,
            "time": rng.randint(946684800, 1893456000), "access_key": key, "secret_key": secret, "token": token,
            "add_content_sha256": rng.random() < 0.2,
        })
    return cases


class _FrozenDatetime(datetime.datetime):
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen

    @classmethod
    def now(cls, tz=None):
        return cls.frozen if tz is None else cls.frozen.replace(tzinfo=tz)


class _DatetimeModule:
    """Stands in for the datetime module inside botocore.auth (botocore 1.29 calls datetime.datetime.utcnow())."""
    datetime = _FrozenDatetime
    timezone = _real_datetime.timezone
    timedelta = _real_datetime.timedelta


def botocore_sign(case):
    frozen = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    _FrozenDatetime.frozen = _FrozenDatetime(*frozen.timetuple()[:6])
    botocore.auth.datetime = _DatetimeModule
    if hasattr(botocore.auth, "get_current_datetime"):  # botocore >= 1.3x reads the clock through this
        botocore.auth.get_current_datetime = lambda remove_tzinfo=True: _FrozenDatetime.frozen

    url = "https://" + case["headers"][0][1] + case["path"]
    if case["query"] is not None:
        url += "?" + case["query"]
    params = None if case["url_mode"] or case["query"] is None else case["pairs"]
    body = case["body"].encode("utf-8")
    request = AWSRequest(method=case["method"], url=url, data=body, params=params)
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders keeps repeats, in order
    if case["add_content_sha256"]:
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()

    captured = {}

    class Capturing(botocore.auth.SigV4Auth):
        def canonical_request(self, req):
            captured["creq"] = super().canonical_request(req)
            return captured["creq"]

    creds = Credentials(case["access_key"], case["secret_key"], case["token"])
    Capturing(creds, case["service"], case["region"]).add_auth(request)
    return captured["creq"], request.headers["Authorization"], request.headers.get("X-Amz-Date")


def main():
    tools = os.environ.get("IL_TOOLS_DIR") or os.path.join(os.environ.get("IL_BUILD_DIR", "build"), "tools")
    il_sign = os.path.join(tools, "il_sign")
    if not os.access(il_sign, os.X_OK):
        print("sigv4 botocore: {} is missing: build the project first; nothing verified".format(il_sign))
        return 1
    cases = generate()
    wire = [{k: v for k, v in c.items() if k not in ("pairs", "url_mode")} for c in cases]
    proc = subprocess.run([il_sign], input=json.dumps(wire).encode("utf-8"), capture_output=True)
    if proc.returncode != 0:
        print("sigv4 botocore: il_sign failed ({}): {}".format(proc.returncode, proc.stderr.decode(errors="replace")))
        return 1
    ours = json.loads(proc.stdout)
    if len(ours) != len(cases):
        print("sigv4 botocore: il_sign answered {} of {} requests".format(len(ours), len(cases)))
        return 1

    passed = failed = 0
    for i, (case, mine) in enumerate(zip(cases, ours)):
        creq, authz, amz_date = botocore_sign(case)
        problems = []
        if "error" in mine:
            problems.append("il_sign refused it: " + mine["error"])
        else:
            if mine["canonical_request"] != creq:
                problems.append("canonical request differs")
            if mine["authorization"] != authz:
                problems.append("Authorization differs")
            if mine["amz_date"] != amz_date:
                problems.append("X-Amz-Date differs: {} vs {}".format(mine["amz_date"], amz_date))
            if mine["security_token"] != case["token"]:
                problems.append("X-Amz-Security-Token differs")
        if problems:
            failed += 1
            if failed <= 5:
                print("case {}: {}".format(i, "; ".join(problems)))
                print("  request: {} {} ? {}".format(case["method"], case["path"], case["query"]))
                print("  headers: {}".format(case["headers"]))
                print("  --- botocore canonical request\n{}".format(creq))
                print("  --- ours\n{}".format(mine.get("canonical_request")))
        else:
            passed += 1

    stats = {
        "with session token": sum(1 for c in cases if c["token"]),
        "POST/PUT with body": sum(1 for c in cases if c["body"]),
        "non-ASCII in path or query": sum(1 for c in cases if "%E" in (c["path"] + (c["query"] or "")).upper()
                                          or "%C" in (c["path"] + (c["query"] or "")).upper()
                                          or "%F0" in (c["path"] + (c["query"] or "")).upper()),
        "repeated query keys": sum(1 for c in cases if len({k for k, _ in c["pairs"]}) < len(c["pairs"])),
        "botocore parsing the URL query itself": sum(1 for c in cases if c["url_mode"] and c["query"]),
    }
    print("coverage: " + ", ".join("{} {}".format(v, k) for k, v in stats.items()))
    print("sigv4 botocore ({} {}): {} passed, {} failed".format(
        os.path.basename(sys.executable), botocore.__version__, passed, failed))
    return 0 if failed == 0 and passed == COUNT else 1


if __name__ == "__main__":
    sys.exit(main())
