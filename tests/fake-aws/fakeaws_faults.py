"""Fault injection and request statistics for the fake AWS.

Every probabilistic decision is a pure function of (seed, fault kind, request content, attempt number), not of a
shared random stream, so a given seed produces the same faults for the same requests however the client
interleaves them across threads. The per-second quota is the one time-dependent fault (a token bucket per
service, account and region, like AWS's own rate limiting).
"""

import hashlib
import threading
import time

FAULT_KINDS = ("throttle", "error", "reset", "truncate", "malformed")

DEFAULTS = {
    "latency_ms": 0,            # added to every AWS request before it is answered
    "latency_jitter_ms": 0,     # plus a seeded amount in [0, jitter)
    "quota": None,              # requests/s per (service, account, region): a number, or {"lambda": 15, ...}
    "quota_burst": None,        # bucket size; defaults to the quota
    "throttle_rate": 0.0,       # probability of a throttling error (429 / 400 per service)
    "error_rate": 0.0,          # probability of a 5xx (500 or 503, chosen by seed)
    "reset_rate": 0.0,          # probability of closing the connection without a response
    "truncate_rate": 0.0,       # probability of a Content-Length larger than the body sent, then close
    "malformed_rate": 0.0,      # probability of a 200 whose body is not valid JSON/XML
    "operations": None,         # restrict probabilistic faults to these "service:Operation" (or "service:*")
    "script": [],               # [{"operation": "lambda:ListTags", "attempts": [1, 2], "fault": "throttle"}]
    "retry_after": None,        # if set, Retry-After header value on throttles
    "max_skew_seconds": 900,    # allowed distance between X-Amz-Date and server time (0 disables)
    "sts_session_seconds": None,  # if set, AssumeRole* credentials last this long (Expiration says so), whatever
                                  # DurationSeconds asked: short-lived sessions for refresh tests
}


def _unit(seed, *parts):
    """Deterministic float in [0, 1) from the seed and the request's identity."""
    h = hashlib.sha256(("%s|" % seed + "|".join(str(p) for p in parts)).encode()).digest()
    return int.from_bytes(h[:8], "big") / float(1 << 64)


class TokenBucket:
    def __init__(self, rate, burst):
        self.rate = float(rate)
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Faults:
    def __init__(self, seed=0, config=None):
        self.lock = threading.Lock()
        self.seed = seed
        self.config = dict(DEFAULTS)
        if config:
            self.update(config)
        self.reset_stats()

    def update(self, config):
        unknown = [k for k in config if k not in DEFAULTS and k != "seed"]
        if unknown:
            raise ValueError("unknown fault setting(s): %s" % ", ".join(sorted(unknown)))
        with self.lock:
            if "seed" in config:
                self.seed = config["seed"]
            self.config.update(config)
            self.buckets = {}

    def snapshot(self):
        with self.lock:
            out = dict(self.config)
            out["seed"] = self.seed
            return out

    def reset_stats(self):
        with self.lock:
            self.buckets = {}
            self.attempts = {}      # attempt identity -> count
            self.stats = {"requests": 0, "operations": {}, "by_scope": {}, "faults": {}, "auth_failures": {},
                          "max_attempt": {}, "attempt_histogram": {}, "control": 0, "sts_sessions": [],
                          "temporary_key_requests": {}}

    # --- accounting ------------------------------------------------------------------------------------------

    def count_attempt(self, identity):
        """Attempt number of this request: per SDK invocation id when the client sends one, else per content."""
        with self.lock:
            n = self.attempts.get(identity, 0) + 1
            self.attempts[identity] = n
            return n

    def record(self, op, account, region, attempt):
        with self.lock:
            s = self.stats
            s["requests"] += 1
            s["operations"][op] = s["operations"].get(op, 0) + 1
            scope = "%s %s %s" % (op, account, region)
            s["by_scope"][scope] = s["by_scope"].get(scope, 0) + 1
            if attempt > s["max_attempt"].get(op, 0):
                s["max_attempt"][op] = attempt
            key = str(attempt)
            s["attempt_histogram"][key] = s["attempt_histogram"].get(key, 0) + 1

    def record_fault(self, kind, op):
        with self.lock:
            per = self.stats["faults"].setdefault(kind, {})
            per[op] = per.get(op, 0) + 1

    def record_auth_failure(self, code):
        with self.lock:
            self.stats["auth_failures"][code] = self.stats["auth_failures"].get(code, 0) + 1

    def record_sts_session(self, entry):
        """One successful AssumeRole*: what was asked (no secrets) and the access key id issued."""
        with self.lock:
            self.stats["sts_sessions"].append(dict(entry))

    def record_key_use(self, access_key_id):
        """A request authenticated with issued temporary credentials."""
        with self.lock:
            per = self.stats["temporary_key_requests"]
            per[access_key_id] = per.get(access_key_id, 0) + 1

    def record_control(self):
        with self.lock:
            self.stats["control"] += 1

    def stats_json(self):
        with self.lock:
            out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.stats.items()}
            out["faults"] = {k: dict(v) for k, v in self.stats["faults"].items()}
            out["sts_sessions"] = [dict(e) for e in self.stats["sts_sessions"]]
            out["faults_total"] = {k: sum(v.values()) for k, v in self.stats["faults"].items()}
            return out

    # --- decisions -------------------------------------------------------------------------------------------

    def latency(self, content_id, attempt):
        cfg = self.config
        ms = float(cfg.get("latency_ms") or 0)
        jitter = float(cfg.get("latency_jitter_ms") or 0)
        if jitter > 0:
            ms += jitter * _unit(self.seed, "latency", content_id, attempt)
        return ms / 1000.0

    def over_quota(self, service, account, region):
        cfg = self.config
        quota = cfg.get("quota")
        if isinstance(quota, dict):
            quota = quota.get(service)
        if not quota:
            return False
        burst = cfg.get("quota_burst")
        if isinstance(burst, dict):
            burst = burst.get(service)
        key = (service, account, region)
        with self.lock:
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = TokenBucket(quota, burst or quota)
            return not bucket.take()

    def _applies(self, op):
        ops = self.config.get("operations")
        if not ops:
            return True
        service = op.split(":", 1)[0]
        return op in ops or (service + ":*") in ops

    def decide(self, op, content_id, attempt):
        """The fault for this attempt, or None. Scripted faults win over probabilities."""
        for rule in self.config.get("script") or []:
            target = rule.get("operation", "*")
            if target not in ("*", op, op.split(":", 1)[0] + ":*"):
                continue
            attempts = rule.get("attempts")
            if attempts is None or attempt in attempts:
                return rule["fault"]
        if not self._applies(op):
            return None
        for kind in FAULT_KINDS:
            rate = float(self.config.get(kind + "_rate") or 0)
            if rate > 0 and _unit(self.seed, kind, content_id, attempt) < rate:
                if kind == "error":
                    return "error500" if _unit(self.seed, "status", content_id, attempt) < 0.5 else "error503"
                return kind
        return None


# --- hostile answers (scripted faults only: {"operation": ..., "fault": NAME}) -------------------------------------
#
# Each is a 2xx a careless client would read as a complete, final page: "empty_object" ({}), "null_list" (the list
# member null), "doubled" (an empty final page, then the real answer: two JSON documents), "short_body" (an empty final
# page sent chunked under a Content-Length announcing the real answer's length), "token_type" (the next-page token as a
# number), "other_function" (GetFunction describes another, exclusion-tagged function). "sig_echo" is a 403 signature
# error whose message quotes the canonical request, x-amz-security-token line and all, as AWS services have done.

# "fresh_tokens" ({"pages": N} optional) is an endpoint that keeps paginating: see fresh_token_page().
BODY_FAULTS = ("empty_object", "null_list", "doubled", "short_body", "token_type", "other_function")

# operation -> (list member, its empty value, next-page token member)
LIST_MEMBERS = {
    "lambda:ListFunctions": ("Functions", [], "NextMarker"),
    "lambda:ListTags": ("Tags", {}, None),
    "lambda:GetFunction": ("Configuration", None, None),
    "tagging:GetResources": ("ResourceTagMappingList", [], "PaginationToken"),
    "inspector2:ListCoverage": ("coveredResources", [], "nextToken"),
}


def hostile_body(fault, op, body):
    """(body bytes, Content-Length to announce or None) for a body fault on operation @op's real 2xx @body."""
    import json
    member, empty, token = LIST_MEMBERS.get(op, ("items", [], None))
    try:
        real = json.loads(body.decode("utf-8")) if body else {}
    except ValueError:
        real = {}
    final = json.dumps({member: empty} if empty is not None else {}, separators=(",", ":")).encode()
    if fault == "empty_object":
        return b"{}", None
    if fault == "null_list":
        real[member] = None
        real.pop(token, None) if token else None
        return json.dumps(real, separators=(",", ":")).encode(), None
    if fault == "doubled":
        return final + body, None
    if fault == "short_body":
        return final, len(body) + 1
    if fault == "token_type":
        real[token or "NextToken"] = 7
        return json.dumps(real, separators=(",", ":")).encode(), None
    if fault == "other_function":
        cfg = dict(real.get("Configuration") or {})
        name = "decoy-of-" + str(cfg.get("FunctionName") or "fn")
        arn = str(cfg.get("FunctionArn") or "arn:aws:lambda:us-east-1:111111111111:function:x")
        cfg["FunctionName"] = name
        cfg["FunctionArn"] = arn.rsplit(":", 1)[0] + ":" + name
        cfg.setdefault("Runtime", "python3.12")
        out = {"Configuration": cfg, "Tags": {"InspectorExclusion": "LambdaStandardScanning",
                                              "InspectorCodeExclusion": "LambdaCodeScanning"}}
        return json.dumps(out, separators=(",", ":")).encode(), None
    return body, None


def fresh_token_page(op, raw_query, body, pages):
    """"fresh_tokens": an empty page with a next-page token never seen before, for ever (or until page @pages, when
    the rule says {"pages": N}, then an empty final page). For ListFunctions, GetResources and ListCoverage."""
    import json
    import re
    member, _, token = LIST_MEMBERS.get(op, ("items", [], "NextToken"))
    m = re.search(r"(?:^|&)Marker=ft-(\d+)", raw_query or "")
    if m is None and body:
        m = re.search(r'"ft-(\d+)"', body.decode("utf-8", "replace"))
    n = int(m.group(1)) + 1 if m else 1
    out = {member: []}
    if token and (pages is None or n < int(pages)):
        out[token] = "ft-%d" % n
    return json.dumps(out, separators=(",", ":")).encode()


def echo_message(method, raw_path, raw_query, headers):
    """A SignatureDoesNotMatch text that quotes the request as received, secrets included (the client must scrub)."""
    lines = ["%s:%s" % (k, " ".join(str(v).split())) for k, v in sorted(headers.items()) if k != "authorization"]
    signed = ";".join(sorted(k for k in headers if k != "authorization"))
    creq = "\n".join([method, raw_path, raw_query] + lines + ["", signed, "UNSIGNED-PAYLOAD"])
    return ("The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String "
            "for this request should have been\n'%s'\n\nAuthorization: %s\n" % (creq, headers.get("authorization", "")))
