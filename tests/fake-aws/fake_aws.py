#!/usr/bin/env python3
"""A faithful local fake of the AWS endpoints inspector-ledger uses (Lambda, Resource Groups Tagging API, STS,
Inspector2, Organizations), for tests. Python 3 standard library only; binds to loopback only.

One port serves every service and region: the service comes from the request's shape (path, X-Amz-Target, STS's
Action) and must agree with the SigV4 credential scope, as a real AWS endpoint would insist. Every signed request
is verified against the fixture's credentials (and the temporary ones the fake's STS issued). Faults (latency,
quota throttling, 5xx, resets, truncated and malformed bodies) are injected deterministically by --seed.

Run `fake_aws.py --help`; docs/fake-aws.md describes flags, control endpoints (/__fake/...) and the fixture.
"""

import argparse
import datetime
import http.server
import ipaddress
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakeaws_faults  # noqa: E402
import fakeaws_inspector2  # noqa: E402
import fakeaws_metadata  # noqa: E402
import fakeaws_organizations  # noqa: E402
import fakeaws_protocol as proto  # noqa: E402
import fakeaws_services as svc  # noqa: E402
import fakeaws_sigv4 as sigv4  # noqa: E402
import fakeaws_sso  # noqa: E402
import fakeaws_state  # noqa: E402
import fakeaws_sts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURE = os.path.join(HERE, "fixtures", "default.json")
MAX_BODY = 8 * 1024 * 1024

ROUTES = {
    "lambda": (svc.lambda_route, svc.lambda_execute),
    "tagging": (svc.tagging_route, svc.tagging_execute),
    "sts": (fakeaws_sts.sts_route, fakeaws_sts.sts_execute),
}
# Services in their own module: SERVICE, claims(method, path, headers) -> bool, route(ctx), execute(ctx, op).
SERVICE_MODULES = (fakeaws_inspector2, fakeaws_organizations)
ROUTES.update({m.SERVICE: (m.route, m.execute) for m in SERVICE_MODULES})
_LAMBDA_PATH = re.compile(r"^/20\d\d-\d\d-\d\d/")


class Clock:
    """Server time: real time, or frozen (--now), plus an offset; set through /__fake/clock."""

    def __init__(self, frozen=None):
        self.frozen = frozen
        self.offset = 0.0

    def now(self):
        base = self.frozen or datetime.datetime.now(datetime.timezone.utc)
        return base + datetime.timedelta(seconds=self.offset)


def parse_iso(value):
    dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=datetime.timezone.utc)


def infer_service(method, path, headers, scope_service):
    target = headers.get("x-amz-target", "")
    if target.startswith(svc.TAGGING_PREFIX):
        return "tagging"
    if _LAMBDA_PATH.match(path):
        return "lambda"
    for mod in SERVICE_MODULES:
        if mod.claims(method, path, headers):
            return mod.SERVICE
    if path in ("", "/") and not target:
        ctype = headers.get("content-type", "")
        if method == "GET" or ctype.startswith("application/x-www-form-urlencoded"):
            return "sts"
    if scope_service in ROUTES:
        return scope_service
    return None


class FakeServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, addr, state, faults, clock, options):
        self.state = state
        self.faults = faults
        self.clock = clock
        self.options = options
        self.metadata = fakeaws_metadata.Metadata(state)
        # APIs outside the SigV4 path (own auth, own control endpoints): see fakeaws_sso.Portal for the interface
        self.extensions = [fakeaws_sso.Portal(state)]
        self.log_lock = threading.Lock()
        self.log_file = open(options.log, "a", encoding="utf-8") if options.log else None
        super().__init__(addr, Handler)

    def log_line(self, text):
        if self.log_file is not None:
            with self.log_lock:
                self.log_file.write(text + "\n")
                self.log_file.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-aws"
    sys_version = ""
    timeout = 120

    def setup(self):
        super().setup()
        # Headers and body go out in one write, and without Nagle's delay: otherwise every keep-alive request
        # pays ~40 ms of delayed-ACK interplay, which would swamp the latency the tests inject on purpose.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):   # no stderr chatter; --log records requests without headers
        pass

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = lambda self: self.handle_any()

    # --- plumbing --------------------------------------------------------------------------------------------

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def send(self, resp, request_id, truncate=False):
        self.send_response(resp.status)
        self.send_header("x-amzn-RequestId", request_id)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        body = resp.body
        if resp.status != 204 or truncate:
            if resp.content_type:
                self.send_header("Content-Type", resp.content_type)
            declared = len(body) if body else 64
            self.send_header("Content-Length", str(declared))
        if truncate:
            self.send_header("Connection", "close")
            body = body[: len(body) // 2]
        elif resp.status == 204 or self.command == "HEAD":
            body = b""
        self._headers_buffer.append(b"\r\n" + body)   # end_headers() without a separate write for the body
        self.flush_headers()
        if truncate:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def reset_connection(self):
        """Close with RST and no response, like a connection dropped mid-request."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    # --- the request -----------------------------------------------------------------------------------------

    def handle_any(self):
        srv = self.server
        raw_path, _, raw_query = self.path.partition("?")
        request_id = str(uuid.uuid4())
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.send(proto.Response(413, b'{"message":"Request body too large or malformed"}',
                                     "application/json"), request_id)
            self.close_connection = True
            return
        if raw_path.startswith("/__fake/"):
            return self.handle_control(raw_path, raw_query, body, request_id)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if srv.metadata.handles(raw_path):
            resp = srv.metadata.serve(self.command, raw_path, headers, srv.clock.now())
            srv.log_line("metadata %s %s status=%d" % (self.command, raw_path[:200], resp.status))
            self.send(resp, request_id)
            return
        for ext in srv.extensions:
            if ext.handles(self.command, raw_path, headers):
                resp = ext.serve(self.command, raw_path, raw_query, headers, srv.clock.now())
                srv.log_line("%s %s %s status=%d" % (ext.name, self.command, raw_path[:200], resp.status))
                self.send(resp, request_id)
                return
        header_items = list(self.headers.items())
        scope_service = None
        auth_header = headers.get("authorization")
        m = re.search(r"Credential=[^/,\s]*/\d{8}/([^/,\s]+)/([^/,\s]+)/", auth_header or "")
        if m:
            scope_service = m.group(2)
        service = infer_service(self.command, raw_path, headers, scope_service)
        if service is None:
            self.send(proto.error_response("lambda", proto.AwsError(
                "UnknownOperationException", "Unknown operation", 404), request_id), request_id)
            return
        now = srv.clock.now()
        ctx = svc.Ctx(self.command, raw_path, raw_query, headers, body, service,
                      m.group(1) if m else srv.options.default_region, None, srv.state, now, request_id)
        ctx.faults = srv.faults
        op = "?"
        try:
            op = ROUTES[service][0](ctx)
            ctx.op = op
            unsigned_ok = service == "sts" and op in fakeaws_sts.UNSIGNED_ACTIONS and not auth_header
            if not unsigned_ok:
                ctx.principal = self.authenticate(service, raw_path, raw_query, header_items, headers, body, now)
        except proto.AwsError as err:
            srv.faults.record_auth_failure(err.code)
            self.finish_request(service, op, ctx, proto.error_response(service, err, request_id), None, 0)
            return
        self.serve(ctx, service, op)

    def authenticate(self, service, raw_path, raw_query, header_items, headers, body, now):
        srv = self.server
        try:
            auth = sigv4.parse_authorization(headers.get("authorization"))
            if auth.service != service:
                signing = {"tagging": "tagging"}.get(service, service)
                raise sigv4.SigV4Error("scope", "Credential should be scoped to correct service: '%s'. " % signing)
            cred = srv.state.credential(auth.access_key_id)
            if cred is None:
                raise sigv4.SigV4Error("unknown-key", "The security token included in the request is invalid.")
            token = headers.get("x-amz-security-token")
            if (cred.token is None and token is not None) or (cred.token is not None and token != cred.token):
                raise sigv4.SigV4Error("bad-token", "The security token included in the request is invalid.")
            if cred.token is not None and (cred.revoked or now >= cred.expiration):
                raise sigv4.SigV4Error("expired-token", "The security token included in the request is expired")
            max_skew = srv.faults.config.get("max_skew_seconds")
            sigv4.check_time(headers.get("x-amz-date"), auth, now, max_skew)
            try:
                sigv4.verify(self.command, raw_path, raw_query, header_items, body, auth, cred.secret)
            except sigv4.SigV4Error as err:
                if srv.options.debug_signatures and hasattr(err, "canonical_request"):
                    creq = err.canonical_request
                    if token:
                        creq = creq.replace(token, "<redacted>")
                    err.message += ("\n\nThe Canonical String for this request should have been\n'%s'\n\n"
                                    "The String-to-Sign should have been\n'%s'\n" % (creq, err.string_to_sign))
                raise
            if srv.state.region_disabled(cred.principal.account, auth.region):
                raise sigv4.SigV4Error("unknown-key", "The security token included in the request is invalid.")
            if cred.token is not None:
                srv.faults.record_key_use(cred.access_key_id)
            return cred.principal
        except sigv4.SigV4Error as err:
            raise proto.auth_error(service, err.kind, err.message)

    def serve(self, ctx, service, op):
        srv, faults = self.server, self.server.faults
        full_op = "%s:%s" % (service, op)
        content_id = "%s|%s|%s|%s|%s|%s|%s" % (service, ctx.account, ctx.region, self.command, ctx.raw_path,
                                               ctx.raw_query, fakeaws_state.hashlib.sha256(ctx.body).hexdigest())
        invocation = ctx.headers.get("amz-sdk-invocation-id")
        attempt = faults.count_attempt(("inv", invocation) if invocation else ("content", content_id))
        faults.record(full_op, ctx.account, ctx.region, attempt)
        delay = faults.latency(content_id, attempt)
        fault = faults.decide(full_op, content_id, attempt)
        if fault is None and faults.over_quota(service, ctx.account or "-", ctx.region):
            fault = "quota"
        if delay > 0:
            time.sleep(delay)
        if fault == "reset":
            faults.record_fault(fault, full_op)
            self.log(full_op, ctx, "reset", attempt)
            self.reset_connection()
            return
        if fault in ("throttle", "quota"):
            resp = proto.error_response(service, proto.throttle_error(service, faults.config.get("retry_after")),
                                        ctx.request_id)
            return self.finish_request(service, full_op, ctx, resp, fault, attempt)
        if fault in ("error500", "error503"):
            resp = proto.error_response(service, proto.server_error(service, int(fault[-3:])), ctx.request_id)
            return self.finish_request(service, full_op, ctx, resp, fault, attempt)
        if fault == "sig_echo":
            err = proto.auth_error(service, "mismatch", fakeaws_faults.echo_message(
                self.command, ctx.raw_path, ctx.raw_query, ctx.headers))
            resp = proto.error_response(service, err, ctx.request_id)
            # a header quoting the token too: header values reach --debug
            resp.headers["x-amzn-Remote-Echo"] = ctx.headers.get("x-amz-security-token", "none")
            return self.finish_request(service, full_op, ctx, resp, fault, attempt)
        if fault == "denied":
            resp = proto.error_response(service, proto.access_denied(service, ctx.principal.arn if ctx.principal
                                                                     else "anonymous", service + ":" + op),
                                        ctx.request_id)
            return self.finish_request(service, full_op, ctx, resp, fault, attempt)
        try:
            resp = ROUTES[service][1](ctx, op)
        except proto.AwsError as err:
            resp = proto.error_response(service, err, ctx.request_id)
        if fault == "malformed":
            resp = proto.Response(200, proto.malformed_body(service, resp.body or b'{"x":1}'),
                                  proto.CONTENT_TYPES[service])
        claim = None
        if fault == "fresh_tokens":
            body = fakeaws_faults.fresh_token_page(full_op, ctx.raw_query, ctx.body, self.fresh_token_limit(full_op))
            resp = proto.Response(200, body, proto.CONTENT_TYPES[service])
        elif fault in fakeaws_faults.BODY_FAULTS:
            if fault == "other_function" and resp.status == 404:
                resp.body, resp.status = b'{"Configuration":{"FunctionArn":"%s"}}' % (
                    ("arn:aws:lambda:%s:%s:function:missing" % (ctx.region, ctx.account)).encode()), 200
            if 200 <= resp.status < 300:
                body, claim = fakeaws_faults.hostile_body(fault, full_op, resp.body)
                resp = proto.Response(resp.status, body, proto.CONTENT_TYPES[service], resp.headers)
        self.finish_request(service, full_op, ctx, resp, fault, attempt, truncate=(fault == "truncate"), claim=claim)

    def fresh_token_limit(self, op):
        for rule in self.server.faults.config.get("script") or []:
            if rule.get("fault") == "fresh_tokens" and rule.get("operation") in (op, "*", op.split(":")[0] + ":*"):
                return rule.get("pages")
        return None

    def finish_request(self, service, op, ctx, resp, fault, attempt, truncate=False, claim=None):
        if fault:
            self.server.faults.record_fault(fault, op)
        self.log(op, ctx, resp.status, attempt, fault)
        if claim is not None:
            return self.send_chunked_claim(resp, ctx.request_id, claim)
        self.send(resp, ctx.request_id, truncate=truncate)

    def send_chunked_claim(self, resp, request_id, claim):
        """The body chunked (so the client's HTTP layer reads exactly it) under a Content-Length announcing @claim
        bytes: a short answer only a client that compares the two can tell apart."""
        self.send_response(resp.status)
        self.send_header("x-amzn-RequestId", request_id)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if resp.content_type:
            self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(claim))
        self.send_header("Transfer-Encoding", "chunked")
        body = resp.body
        self._headers_buffer.append(b"\r\n" + (b"%x\r\n" % len(body)) + body + b"\r\n0\r\n\r\n")
        self.flush_headers()
        self.close_connection = True

    def log(self, op, ctx, status, attempt, fault=None):
        self.server.log_line("%s %s %s %s %s attempt=%d status=%s%s" % (
            datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3], op, ctx.account or "-",
            ctx.region, self.command + " " + ctx.raw_path[:200], attempt, status,
            " fault=" + fault if fault else ""))

    # --- control endpoints -----------------------------------------------------------------------------------

    def handle_control(self, raw_path, raw_query, body, request_id):
        srv = self.server
        srv.faults.record_control()

        def reply(status, obj):
            self.send(proto.Response(status, json.dumps(obj, indent=1, sort_keys=True), "application/json"),
                      request_id)

        try:
            req = json.loads(body.decode("utf-8")) if body else {}
            if not isinstance(req, dict):
                raise ValueError("body must be a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            return reply(400, {"error": "invalid JSON body: %s" % exc})
        query = dict(svc.urllib.parse.parse_qsl(raw_query))
        cmd = (self.command, raw_path.rstrip("/"))
        try:
            if cmd == ("GET", "/__fake/health"):
                return reply(200, {"ok": True, "port": srv.server_address[1]})
            if cmd == ("GET", "/__fake/config"):
                return reply(200, srv.faults.snapshot())
            if cmd == ("POST", "/__fake/config"):
                srv.faults.update(req)
                return reply(200, srv.faults.snapshot())
            if cmd == ("GET", "/__fake/stats"):
                out = srv.faults.stats_json()
                out["metadata"] = dict(srv.metadata.requests)
                for ext in srv.extensions:
                    out[ext.name] = ext.stats()
                return reply(200, out)
            if cmd == ("POST", "/__fake/metadata"):
                srv.metadata.update(req)
                return reply(200, {"ok": True})
            if cmd == ("POST", "/__fake/reset"):
                if req.get("stats", True):
                    srv.faults.reset_stats()
                    for ext in srv.extensions:
                        ext.reset()
                if req.get("state", False):
                    srv.state.load()
                if req.get("faults", False):
                    srv.faults.update(dict(fakeaws_faults.DEFAULTS))
                return reply(200, {"ok": True})
            if cmd == ("GET", "/__fake/state"):
                return reply(200, srv.state.snapshot(query.get("account"), query.get("region")))
            if cmd == ("GET", "/__fake/issued-credentials"):
                # for secret-grep tests only: the temporary secrets this fake handed out, so a test can prove
                # none of them reaches the tool's output
                return reply(200, srv.state.issued_temporary())
            if cmd == ("POST", "/__fake/expire-credentials"):
                return reply(200, {"expired": srv.state.expire_temporary(req.get("access_key_id"))})
            if cmd == ("POST", "/__fake/clock"):
                if "now" in req:
                    srv.clock.frozen = parse_iso(req["now"]) if req["now"] else None
                if "offset_seconds" in req:
                    srv.clock.offset = float(req["offset_seconds"])
                return reply(200, {"now": srv.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")})
            if cmd == ("POST", "/__fake/shutdown"):
                reply(200, {"ok": True})
                threading.Thread(target=srv.shutdown, daemon=True).start()
                return None
            for ext in srv.extensions:
                out = ext.control(cmd[0], cmd[1], req)
                if out is not None:
                    return reply(200, out)
        except (ValueError, TypeError, KeyError) as exc:
            return reply(400, {"error": str(exc)})
        return reply(404, {"error": "unknown control endpoint %s %s" % cmd})


# --- command line ------------------------------------------------------------------------------------------------

def _quota(value):
    if value is None:
        return None
    if "=" not in value:
        return float(value)
    out = {}
    for part in value.split(","):
        k, _, v = part.partition("=")
        out[k.strip()] = float(v)
    return out


def build_parser():
    p = argparse.ArgumentParser(description="Local fake AWS (Lambda, tagging, STS, Inspector2, Organizations) "
                                            "for tests.")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    p.add_argument("--port-file", help="write the chosen port to this file once listening")
    p.add_argument("--fixture", default=DEFAULT_FIXTURE, help="fixture JSON (default fixtures/default.json)")
    p.add_argument("--seed", type=int, default=0, help="seed for every probabilistic fault and minted id")
    p.add_argument("--latency-ms", type=float, default=0, help="latency added to each AWS request")
    p.add_argument("--latency-jitter-ms", type=float, default=0, help="plus a seeded amount below this")
    p.add_argument("--quota", help="requests/s per service+account+region: N, or lambda=15,tagging=5")
    p.add_argument("--quota-burst", type=float, help="token bucket size (default: the quota)")
    for kind in ("throttle", "error", "reset", "truncate", "malformed"):
        p.add_argument("--%s-rate" % kind, type=float, default=0.0, help="probability of a %s fault" % kind)
    p.add_argument("--fault-operations", help="comma list of service:Operation the rates apply to")
    p.add_argument("--faults-json", help="fault settings as JSON (or @file), applied after the flags")
    p.add_argument("--max-skew", type=float, default=900, help="allowed X-Amz-Date skew in s (0: no check)")
    p.add_argument("--now", help="freeze the server clock at this ISO 8601 time")
    p.add_argument("--default-region", default="us-east-1", help="region for unsigned STS calls")
    p.add_argument("--debug-signatures", action="store_true",
                   help="include the expected canonical request in signature errors (as some AWS services do)")
    p.add_argument("--log", help="append one line per request (no headers, no bodies) to this file")
    return p


def options_to_faults(opts):
    cfg = {"latency_ms": opts.latency_ms, "latency_jitter_ms": opts.latency_jitter_ms, "quota": _quota(opts.quota),
           "quota_burst": opts.quota_burst, "max_skew_seconds": opts.max_skew}
    for kind in ("throttle", "error", "reset", "truncate", "malformed"):
        cfg[kind + "_rate"] = getattr(opts, kind + "_rate")
    if opts.fault_operations:
        cfg["operations"] = [s.strip() for s in opts.fault_operations.split(",") if s.strip()]
    if opts.faults_json:
        text = opts.faults_json
        if text.startswith("@"):
            with open(text[1:], "r", encoding="utf-8") as fh:
                text = fh.read()
        cfg.update(json.loads(text))
    return cfg


def main(argv=None):
    opts = build_parser().parse_args(argv)
    host = "127.0.0.1" if opts.host == "localhost" else opts.host
    try:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(host)
    except ValueError:
        print("fake-aws: refusing to bind %s: loopback addresses only" % opts.host, file=sys.stderr)
        return 2
    try:
        state = fakeaws_state.State(fakeaws_state.load_fixture(opts.fixture), seed=opts.seed)
        faults = fakeaws_faults.Faults(opts.seed, options_to_faults(opts))
        clock = Clock(parse_iso(opts.now) if opts.now else None)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print("fake-aws: %s" % exc, file=sys.stderr)
        return 2
    if ":" in host:
        FakeServer.address_family = socket.AF_INET6
    server = FakeServer((host, opts.port), state, faults, clock, opts)
    port = server.server_address[1]
    if opts.port_file:
        tmp = opts.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("%d\n" % port)
        os.replace(tmp, opts.port_file)
    print("fake-aws listening on http://%s:%d" % (host, port), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
