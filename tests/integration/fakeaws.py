"""Start and stop the fake AWS (tests/fake-aws/fake_aws.py) from a Python test.

    import fakeaws
    with fakeaws.FakeAWS(seed=7, faults={"throttle_rate": 0.3}) as fake:
        env = fake.env()                 # os.environ + endpoint, test credentials, region, no config files
        subprocess.run([...], env=env)
        fake.stats()["operations"]       # {"lambda:ListFunctions": 3, ...}

The fake listens on a free loopback port; the context manager waits until it answers and always stops it (also
when the test fails). Standard library only. Test credentials come from the fixture (default
tests/fake-aws/fixtures/default.json): see CREDENTIALS below and docs/fake-aws.md.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

SOURCE_DIR = os.environ.get("IL_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FAKE_DIR = os.path.join(SOURCE_DIR, "tests", "fake-aws")
FAKE_SCRIPT = os.path.join(FAKE_DIR, "fake_aws.py")
DEFAULT_FIXTURE = os.path.join(FAKE_DIR, "fixtures", "default.json")

# Named test principals of the default fixture: (access key id, secret, account, ARN).
CREDENTIALS = {
    "ci": ("AKIDFAKE0000000001", "fakeSecretKeyForTestsOnly/0000000000000001", "111111111111",
           "arn:aws:iam::111111111111:user/ci"),
    "no-listtags": ("AKIDFAKE0000000002", "fakeSecretKeyForTestsOnly/0000000000000002", "111111111111",
                    "arn:aws:iam::111111111111:user/no-listtags"),
    "no-tagging-api": ("AKIDFAKE0000000003", "fakeSecretKeyForTestsOnly/0000000000000003", "111111111111",
                       "arn:aws:iam::111111111111:user/no-tagging-api"),
    "no-assume": ("AKIDFAKE0000000004", "fakeSecretKeyForTestsOnly/0000000000000004", "111111111111",
                  "arn:aws:iam::111111111111:user/no-assume"),
    "gov-ci": ("AKIDFAKEGOV000000001", "fakeSecretKeyForTestsOnly/gov0000000000001", "444444444444",
               "arn:aws-us-gov:iam::444444444444:user/gov-ci"),
}

# Principals of the organization fixture (fixtures/org.json): management, Inspector's delegated administrator (and
# one denied inspector2:ListCoverage/ListMembers and organizations:ListAccounts), members, an account outside it.
ORG_FIXTURE = os.path.join(FAKE_DIR, "fixtures", "org.json")
ORG_CREDENTIALS = {
    name: ("AKIDFAKEORG00000000%02d" % n, "fakeSecretKeyForTestsOnly/org00000000000%02d" % n, account,
           "arn:aws:iam::%s:user/%s" % (account, name))
    for name, n, account in (("org-mgmt-ci", 1, "100000000001"), ("org-security-ci", 2, "100000000002"),
                             ("org-security-denied", 3, "100000000002"), ("org-workload-a-ci", 4, "100000000003"),
                             ("org-workload-b-ci", 5, "100000000004"), ("org-new-joiner-ci", 6, "100000000006"),
                             ("org-outsider-ci", 9, "100000000009"))}
CREDENTIALS.update(ORG_CREDENTIALS)

# Environment that keeps SDKs and the AWS CLI on loopback and away from the user's own configuration.
ISOLATION_ENV = {
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_PAGER": "",
    "AWS_RETRY_MODE": "standard",
}
_STRIP = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CA_BUNDLE",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
          "AWS_METADATA_SERVICE_TIMEOUT", "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "AWS_ENDPOINT_URL_STS",
          "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", "AWS_ENDPOINT_URL_INSPECTOR2",
          "AWS_DEFAULT_PROFILE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
          "all_proxy", "NO_PROXY", "no_proxy")
# Nothing listens on the discard port: a request that slips past the fake's 127.0.0.1 endpoint toward a public host
# goes to this "proxy" and fails at once instead of leaving the machine. The fake itself is reached directly.
REFUSING_PROXY = "http://127.0.0.1:9"
NO_PROXY = "127.0.0.1,localhost,::1"


def proxy_guard(env, proxy=REFUSING_PROXY):
    """Set the refusing loopback proxy (or @p proxy, e.g. a recording one) in @p env, in both spellings (libcurl reads
    only lower-case http_proxy; Python and the AWS CLI read either), with NO_PROXY for loopback. Returns @p env."""
    for k in ("ALL_PROXY", "all_proxy"):
        env.pop(k, None)
    for k in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        env[k] = proxy
    env["NO_PROXY"] = env["no_proxy"] = NO_PROXY
    return env


# Every test process that imports this module is guarded too: in-process botocore clients and any child that
# inherits os.environ (ctest's environment sets the same, cmake/tests.cmake).
proxy_guard(os.environ)


def aws_cli_env(env, proxy=REFUSING_PROXY):
    """A copy of @p env for running the AWS CLI or a botocore client against the fake: guarded by proxy_guard() so an
    endpoint the CLI ignores (v2.9 reads no AWS_ENDPOINT_URL_*) fails instead of reaching AWS, and no pager."""
    out = proxy_guard(dict(env), proxy)
    out["AWS_PAGER"] = ""
    return out


class FakeAWSError(RuntimeError):
    pass


class FakeAWS:
    """Context manager running one fake AWS process.

    fixture: path of a fixture JSON (default: the default fixture); seed: fault/ID seed; faults: dict of fault
    settings (see fakeaws_faults.DEFAULTS / docs); args: extra command-line flags; log: path of a request log.
    """

    def __init__(self, fixture=None, seed=0, faults=None, args=None, log=None, python=None, startup_timeout=15):
        self.fixture = fixture or DEFAULT_FIXTURE
        self.seed = seed
        self.faults = faults
        self.args = list(args or [])
        self.log = log
        self.python = python or sys.executable
        self.startup_timeout = startup_timeout
        self.proc = None
        self.port = None
        self._tmp = None

    # --- lifecycle -------------------------------------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="fakeaws-")
        port_file = os.path.join(self._tmp.name, "port")
        cmd = [self.python, FAKE_SCRIPT, "--port", "0", "--port-file", port_file, "--fixture", self.fixture,
               "--seed", str(self.seed)]
        if self.faults:
            cmd += ["--faults-json", json.dumps(self.faults)]
        if self.log:
            cmd += ["--log", self.log]
        cmd += self.args
        self._stderr = open(os.path.join(self._tmp.name, "stderr"), "w+")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self._stderr, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.startup_timeout
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    self._stderr.seek(0)
                    raise FakeAWSError("fake AWS exited with %s: %s" % (self.proc.returncode, self._stderr.read()))
                if os.path.exists(port_file):
                    with open(port_file) as fh:
                        self.port = int(fh.read().strip())
                    try:
                        self.control("GET", "/__fake/health")
                        return self
                    except OSError:
                        pass
                time.sleep(0.05)
            raise FakeAWSError("fake AWS did not answer within %ss" % self.startup_timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None
        if getattr(self, "_stderr", None) is not None:
            self._stderr.close()
            self._stderr = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # --- what tests use --------------------------------------------------------------------------------------

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def env(self, principal="ci", region="us-east-1", base=None, endpoint_env=True):
        """An environment for a child process: isolated from the user's AWS config, pointed at the fake."""
        env = dict(os.environ if base is None else base)
        for k in _STRIP:
            env.pop(k, None)
        env.update(ISOLATION_ENV)
        akid, secret, _, _ = CREDENTIALS[principal]
        env["AWS_ACCESS_KEY_ID"] = akid
        env["AWS_SECRET_ACCESS_KEY"] = secret
        env["AWS_REGION"] = region
        env["AWS_DEFAULT_REGION"] = region
        if endpoint_env:
            env["AWS_ENDPOINT_URL"] = self.endpoint
        return proxy_guard(env)

    def control(self, method, path, body=None):
        """Call a /__fake/ control endpoint; returns the decoded JSON answer (raises on non-200)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
            resp = conn.getresponse()
            text = resp.read().decode("utf-8")
            if resp.status != 200:
                raise FakeAWSError("%s %s -> %d %s" % (method, path, resp.status, text))
            return json.loads(text)
        finally:
            conn.close()

    def configure(self, **settings):
        """Change fault settings at run time (same keys as --faults-json)."""
        return self.control("POST", "/__fake/config", settings)

    def stats(self):
        return self.control("GET", "/__fake/stats")

    def reset(self, stats=True, state=False, faults=False):
        return self.control("POST", "/__fake/reset", {"stats": stats, "state": state, "faults": faults})

    def state(self, account=None, region=None):
        """Functions and tags as the fake holds them now: {account: {region: {name: {"tags": ...}}}}."""
        q = "&".join("%s=%s" % kv for kv in (("account", account), ("region", region)) if kv[1])
        return self.control("GET", "/__fake/state" + ("?" + q if q else ""))

    def issued_secrets(self):
        """The secrets and session tokens of every temporary credential the fake issued (for secret-grep tests)."""
        out = []
        for c in self.control("GET", "/__fake/issued-credentials"):
            out += [c["secret"], c["token"]]
        return out

    def sts_sessions(self):
        """Successful AssumeRole* calls since the last stats reset: action, role_arn, session_name,
        duration_seconds (None when not asked), external_id, caller ARN, access_key_id issued, expiration."""
        return self.stats()["sts_sessions"]

    def expire_credentials(self, access_key_id=None):
        return self.control("POST", "/__fake/expire-credentials",
                            {"access_key_id": access_key_id} if access_key_id else {})


def aws_cli_honours_endpoint_env(aws):
    """Whether this AWS CLI honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> (v2 from 2.13, v1 on botocore from
    1.31): an older one (Debian's 2.9.19) would send the call to the public endpoint."""
    try:
        out = subprocess.run([aws, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    m = re.search(r"aws-cli/(\d+)\.(\d+)", out)
    if not m:
        return False
    if m.group(1) == "2":
        return int(m.group(2)) >= 13
    b = re.search(r"botocore/(\d+)\.(\d+)", out)
    return bool(b) and (int(b.group(1)), int(b.group(2))) >= (1, 31)


def find_aws_cli(endpoint_env=False):
    """Debian's /usr/bin/aws first, then whatever `aws` is on PATH; None when there is none. With @p endpoint_env, only
    a CLI that honours AWS_ENDPOINT_URL_* (for tests that rely on those variables instead of --endpoint-url).
    Run it with aws_cli_env() either way."""
    cands = ["/usr/bin/aws"] + [os.path.join(d, "aws") for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    for cand in cands:
        if os.access(cand, os.X_OK) and (not endpoint_env or aws_cli_honours_endpoint_env(cand)):
            return cand
    return None


class ConnectRecorder:
    """A loopback HTTPS proxy that records the host of each CONNECT and answers 403, so no request leaves."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.hosts = []
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                try:
                    while b"\r\n\r\n" not in data and len(data) < 65536:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    line = data.split(b"\r\n", 1)[0].decode("latin-1")
                    parts = line.split()
                    if len(parts) >= 2 and parts[0] == "CONNECT":
                        with self.lock:
                            self.hosts.append(parts[1])
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def take(self):
        with self.lock:
            hosts, self.hosts = self.hosts, []
        return hosts
