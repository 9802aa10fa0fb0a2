#!/usr/bin/env python3
"""TLS is always verified: against a loopback HTTPS endpoint with a self-signed certificate the client must refuse
to talk (a TLS failure, not retried), and must succeed once AWS_CA_BUNDLE names that certificate. A certificate for
another name is refused even with the bundle. Exit 0 pass, 1 fail, 77 skip (no openssl binary to make certificates).
"""

import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading

TOOL = os.path.join(os.environ.get("IL_TOOLS_DIR", "build/tools"), "il_aws")
BODY = (b"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
        b"<Arn>arn:aws:iam::123456789012:user/tls</Arn><UserId>AIDATLS</UserId><Account>123456789012</Account>"
        b"</GetCallerIdentityResult><ResponseMetadata><RequestId>tls-1</RequestId></ResponseMetadata>"
        b"</GetCallerIdentityResponse>")
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = json.dumps({"path": self.path, "token": self.headers.get("X-aws-ec2-metadata-token")}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 (http.server naming)
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("x-amzn-RequestId", "tls-1")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


def make_cert(tmp, name, san):
    key, crt = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                    "-days", "1", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san],
                   check=True, capture_output=True)
    return key, crt


def serve(key, crt):
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def call(port, bundle=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "AKIDTLSTEST00000000", "AWS_SECRET_ACCESS_KEY": "tlsTestSecret/000000000000000",
                "AWS_REGION": "us-east-1"})
    if bundle:
        env["AWS_CA_BUNDLE"] = bundle
    p = subprocess.run([TOOL, "--endpoint-url", "https://127.0.0.1:%d" % port, "get-caller-identity"], env=env,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, json.loads(p.stdout) if p.stdout.strip() else {}


def main():
    if shutil.which("openssl") is None:
        print("skip: no openssl binary to make a test certificate")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        key, crt = make_cert(tmp, "127.0.0.1", "IP:127.0.0.1")
        server = serve(key, crt)
        port = server.server_address[1]
        rc, out = call(port)
        e = out.get("error", {})
        check(rc == 1 and e.get("status") == "network error" and "tls" in (e.get("message") or "").lower()
              and e.get("attempts") == 1, "self-signed certificate refused, not retried: %s" % e)
        rc, out = call(port, bundle=crt)
        check(rc == 0 and out.get("result", {}).get("account") == "123456789012",
              "AWS_CA_BUNDLE trusts the certificate: %s" % out)
        # il_http_fetch (the credential endpoints' path): verified the same way, headers sent
        env = dict(os.environ, AWS_CA_BUNDLE=crt)
        url = "https://127.0.0.1:%d/latest/meta-data/iam/security-credentials/" % port
        p = subprocess.run([TOOL, "http-get", url, "X-aws-ec2-metadata-token=tok123"], env=env, capture_output=True,
                           text=True, timeout=30)
        got = json.loads(p.stdout) if p.stdout.strip() else {}
        body = json.loads(got.get("body") or "{}")
        check(p.returncode == 0 and got.get("http_status") == 200 and body.get("token") == "tok123"
              and body.get("path") == "/latest/meta-data/iam/security-credentials/", "il_http_fetch: %s" % got)
        env.pop("AWS_CA_BUNDLE")
        p = subprocess.run([TOOL, "http-get", url], env=env, capture_output=True, text=True, timeout=30)
        got = json.loads(p.stdout) if p.stdout.strip() else {}
        check(p.returncode == 1 and got.get("failure") == "tls failure", "il_http_fetch verifies TLS: %s" % got)
        server.shutdown()
        # a certificate issued for another name: refused even though its CA is trusted
        key2, crt2 = make_cert(tmp, "elsewhere.example", "DNS:elsewhere.example")
        server = serve(key2, crt2)
        rc, out = call(server.server_address[1], bundle=crt2)
        check(rc == 1 and "tls" in (out.get("error", {}).get("message") or "").lower(),
              "host name mismatch refused: %s" % out.get("error"))
        server.shutdown()
    if FAILURES:
        return 1
    print("tls verification: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
