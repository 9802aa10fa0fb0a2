"""Server-side AWS Signature Version 4 verification for the fake AWS.

The fake recomputes the signature from what it actually received (method, raw path, raw query, headers, body), the
way an AWS front end does, so a client that signs anything differently from what it sends is caught here rather
than in production. Standard library only.
"""

import datetime
import hashlib
import hmac
import re
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
_UNRESERVED = "-_.~"


class SigV4Error(Exception):
    """A request that AWS would refuse before it reaches the service.

    kind is one of: missing, incomplete, unknown-key, bad-token, expired-token, mismatch, skew, scope.
    """

    def __init__(self, kind, message, service=None, region=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.service = service
        self.region = region


class Authorization:
    """The parsed Authorization header: who signed, for which scope, and which headers were signed."""

    def __init__(self, access_key_id, date, region, service, signed_headers, signature):
        self.access_key_id = access_key_id
        self.date = date
        self.region = region
        self.service = service
        self.signed_headers = signed_headers
        self.signature = signature

    @property
    def scope(self):
        return "%s/%s/%s/aws4_request" % (self.date, self.region, self.service)


def remove_dot_segments(path):
    """RFC 3986 5.2.4 plus AWS's collapsing of empty segments (as botocore's normalize_url_path does)."""
    if not path:
        return "/"
    out = []
    for seg in path.split("/"):
        if not seg or seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    first = "/" if path.startswith("/") else ""
    last = "/" if path.endswith("/") and out else ""
    res = first + "/".join(out) + last
    return res or "/"


def canonical_uri(raw_path):
    """The wire path is already URI-encoded once by the client; SigV4 (non-S3) encodes it a second time."""
    return urllib.parse.quote(remove_dot_segments(raw_path), safe="/" + _UNRESERVED)


def canonical_query(raw_query):
    """Decode every key and value, re-encode with AWS's rules, sort by key then value."""
    if not raw_query:
        return ""
    pairs = []
    for part in raw_query.split("&"):
        if part == "":
            continue
        key, _, value = part.partition("=")
        key = urllib.parse.quote(urllib.parse.unquote(key), safe=_UNRESERVED)
        value = urllib.parse.quote(urllib.parse.unquote(value), safe=_UNRESERVED)
        if key == "X-Amz-Signature":
            continue
        pairs.append((key, value))
    pairs.sort()
    return "&".join("%s=%s" % kv for kv in pairs)


def _trim(value):
    return re.sub(r"\s+", " ", value.strip())


def canonical_request(method, raw_path, raw_query, header_items, signed_headers, payload_hash):
    """Build the canonical request.

    header_items is a list of (name, value) exactly as received (repeated names allowed, in order).
    """
    values = {}
    for name, value in header_items:
        values.setdefault(name.lower(), []).append(_trim(value))
    lines = []
    for name in signed_headers:
        lines.append("%s:%s" % (name, ",".join(values.get(name, []))))
    return "\n".join([method, canonical_uri(raw_path), canonical_query(raw_query), "\n".join(lines) + "\n",
                      ";".join(signed_headers), payload_hash])


def string_to_sign(amz_date, scope, creq):
    return "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])


def signing_key(secret, date, region, service):
    k = hmac.new(("AWS4" + secret).encode("utf-8"), date.encode("utf-8"), hashlib.sha256).digest()
    k = hmac.new(k, region.encode("utf-8"), hashlib.sha256).digest()
    k = hmac.new(k, service.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(k, b"aws4_request", hashlib.sha256).digest()


def signature(secret, auth, sts):
    key = signing_key(secret, auth.date, auth.region, auth.service)
    return hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(header):
    """Parse 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'.

    Raises SigV4Error(missing) when there is no header and (incomplete) when a part is missing, as AWS does.
    """
    if header is None or header.strip() == "":
        raise SigV4Error("missing", "Missing Authentication Token")
    header = header.strip()
    algo, _, rest = header.partition(" ")
    if algo != ALGORITHM:
        raise SigV4Error("incomplete", "Unsupported AWS 'algorithm': '%s'" % algo[:40])
    parts = {}
    for item in rest.split(","):
        k, sep, v = item.strip().partition("=")
        if sep:
            parts[k.strip()] = v.strip()
    missing = [p for p in ("Credential", "Signature", "SignedHeaders") if not parts.get(p)]
    if missing:
        raise SigV4Error("incomplete", " ".join("Authorization header requires '%s' parameter." % p for p in missing))
    cred = parts["Credential"].split("/")
    if len(cred) != 5 or cred[4] != "aws4_request" or not cred[0]:
        raise SigV4Error("incomplete", "Credential should be scoped to a valid region, not '%s'. "
                         % (cred[2] if len(cred) > 2 else ""))
    signed = parts["SignedHeaders"].split(";")
    if signed != sorted(signed) or any(h != h.lower() for h in signed):
        # AWS computes with the list as given; an unsorted list simply fails to match. Keep it as given.
        pass
    return Authorization(cred[0], cred[1], cred[2], cred[3], signed, parts["Signature"])


def parse_amz_date(value):
    """X-Amz-Date (basic ISO 8601) -> aware datetime, or None when malformed."""
    try:
        return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


def _fmt(dt):
    return dt.strftime("%Y%m%dT%H%M%SZ")


def check_time(amz_date_value, auth, now, max_skew):
    """Refuse a request whose date is malformed, not the scope's day, or too far from the server's clock."""
    when = parse_amz_date(amz_date_value)
    if when is None:
        raise SigV4Error("incomplete", "Authorization header requires existence of either a 'X-Amz-Date' or a "
                         "'Date' header.")
    if _fmt(when)[:8] != auth.date:
        raise SigV4Error("scope", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                         "from HTTP: '%s' != '%s', from '%s'." % (auth.date, _fmt(when)[:8], amz_date_value))
    if max_skew is None or max_skew <= 0:
        return
    window = datetime.timedelta(seconds=max_skew)
    minutes = int(max_skew // 60)
    if when < now - window:
        raise SigV4Error("skew", "Signature expired: %s is now earlier than %s (%s - %d min.)"
                         % (_fmt(when), _fmt(now - window), _fmt(now), minutes))
    if when > now + window:
        raise SigV4Error("skew", "Signature not yet current: %s is still later than %s (%s + %d min.)"
                         % (_fmt(when), _fmt(now + window), _fmt(now), minutes))


def verify(method, raw_path, raw_query, header_items, body, auth, secret):
    """Recompute and compare the signature; raise SigV4Error(mismatch) on difference.

    Returns (canonical_request, string_to_sign) so a debug mode can show them.
    """
    headers = {}
    for name, value in header_items:
        headers.setdefault(name.lower(), value)
    if "host" not in auth.signed_headers:
        raise SigV4Error("incomplete", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    amz_date = headers.get("x-amz-date")
    payload_hash = hashlib.sha256(body).hexdigest()
    declared = headers.get("x-amz-content-sha256")
    if declared is not None and declared != payload_hash:
        raise SigV4Error("mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
    creq = canonical_request(method, raw_path, raw_query, header_items, auth.signed_headers, payload_hash)
    sts = string_to_sign(amz_date or "", auth.scope, creq)
    expected = signature(secret, auth, sts)
    if not hmac.compare_digest(expected, auth.signature):
        err = SigV4Error("mismatch", "The request signature we calculated does not match the signature you "
                         "provided. Check your AWS Secret Access Key and signing method. Consult the service "
                         "documentation for details.")
        err.canonical_request = creq
        err.string_to_sign = sts
        raise err
    return creq, sts
