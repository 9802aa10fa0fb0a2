"""Shared helpers for the credential-source end-to-end tests (tests/integration/test_credentials_*.py): run the real
binary against the fake AWS, remember everything it printed, and grep that for the secrets the fake handed out.

Standard library only. Every test keeps its own checks; this module only holds the plumbing they all repeat."""
import base64
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fakeaws  # noqa: E402,F401  (re-exported: tests use credlib.fakeaws)

BIN = os.environ["IL_BIN"]
FAILURES = []
OUTPUT = []  # stdout + stderr of every run, for no_secrets_in_output()


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)
    return cond


def run(env, *args, timeout=120):
    """Run the binary with @args; (exit code, stdout, stderr). What it printed is kept for the secret grep."""
    p = subprocess.run([BIN] + list(args), env=env, capture_output=True, text=True, timeout=timeout)
    OUTPUT.append(p.stdout + p.stderr)
    return p.returncode, p.stdout, p.stderr


def whoami(env, *extra, timeout=120):
    """`whoami --format json`: (exit code, parsed document or {} when it failed, stderr)."""
    rc, out, err = run(env, "whoami", "--format", "json", *extra, timeout=timeout)
    doc = json.loads(out) if rc == 0 and out.strip() else {}
    return rc, doc, err


def write(path, text, mode=0o600):
    """Write @text to @path, readable by the owner only unless @mode says otherwise (0o700 for a script)."""
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def scratch_dir(prefix):
    """A new folder under IL_TEST_OUT (else the system's temporary folder); the caller removes it."""
    if os.environ.get("IL_TEST_OUT"):
        os.makedirs(os.environ["IL_TEST_OUT"], exist_ok=True)
    return tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("IL_TEST_OUT"))


def env_without_keys(fake, home, principal="ci"):
    """The fake's environment for @principal minus the static keys, so that the source under test must answer; HOME
    points at @home (no stray ~/.aws)."""
    env = fake.env(principal)
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env.pop(k)
    env["HOME"] = home
    return env


def fake_secrets(seed, count):
    """The fake's temporary secret access keys numbered 1 .. count - 1: they derive from its seed and a counter
    (tests/fake-aws/fakeaws_state.py)."""
    return [base64.b64encode(hashlib.sha256(("secret|%s|%d" % (seed, n)).encode()).digest()).decode()[:40]
            for n in range(1, count)]


SSO_TOKENS = []  # every SSO access token sso_login() cached: no_secrets_in_output() always looks for them too


def sso_login(fake, home, key, start_url, region, token, assignments, expires_in=3600, user="alice@example.com",
              register=True):
    """What `aws sso login` leaves behind: the portal knows @token (unless @register is false) and the AWS CLI's cache
    ~/.aws/sso/cache/<sha1 of @key>.json (@key: the sso-session name, or the start URL for the legacy form) holds it,
    expiring @expires_in seconds from now (negative: already expired). Returns the cache file's path."""
    now = datetime.datetime.now(datetime.timezone.utc)
    expires = (now + datetime.timedelta(seconds=expires_in)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if register:
        fake.control("POST", "/__fake/sso/tokens", {"access_token": token, "user": user, "expires_at": expires,
                                                    "assignments": assignments})
    cache = os.path.join(home, ".aws", "sso", "cache")
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, hashlib.sha1(key.encode()).hexdigest() + ".json")
    write(path, json.dumps({"startUrl": start_url, "region": region, "accessToken": token, "expiresAt": expires,
                            "clientId": "fakeClientId", "clientSecret": "fakeClientSecret-" + token[-6:],
                            "registrationExpiresAt": expires}))
    SSO_TOKENS.append(token)
    return path


def no_secrets_in_output(secrets, min_bytes):
    """Check that no value of @secrets, nor any SSO access token sso_login() cached, appears in anything the tool
    printed, and that there was enough output (more than @min_bytes) for the grep to mean something."""
    text = "\n".join(OUTPUT)
    for s in list(secrets) + SSO_TOKENS:
        check(s not in text, f"a secret value appears in the output: {s[:6]}...")
    check(len(text) > min_bytes, f"the grep saw the debug output ({len(text)} bytes)")


def finish(name):
    if FAILURES:
        print(f"{name}: {len(FAILURES)} failed")
        sys.exit(1)
    print(f"{name}: all checks passed")
