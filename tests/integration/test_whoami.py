"""whoami end to end against the fake AWS: identity, credential source, JSON shape, failures, and no secret leaks."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

BIN = os.environ["IL_BIN"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, env):
    p = subprocess.run([BIN, "whoami"] + args, env=env, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


with fakeaws.FakeAWS() as fake:
    akid, secret, account, arn = fakeaws.CREDENTIALS["ci"]
    env = fake.env("ci")

    rc, out, err = run([], env)
    check(rc == 0, f"text whoami exits 0 (got {rc}, stderr {err!r})")
    check(f"account:     {account}" in out, "text names the account")
    check(arn in out, "text names the caller ARN")
    check("environment" in out, "text names the credential source")

    rc, out, err = run(["--format", "json", "--debug"], env)
    check(rc == 0, f"json whoami exits 0 (got {rc})")
    doc = json.loads(out)
    check(doc["account"] == account and doc["arn"] == arn, "json identity")
    check(doc["credentials"]["source"] == "environment", "json credential source")
    check(doc["credentials"]["temporary"] is False, "long-term keys are not temporary")
    check("GetCallerIdentity" in err or "sts" in err, "--debug traces the request")
    for text, name in ((out, "stdout"), (err, "stderr")):
        check(secret not in text, f"secret absent from {name}")
        check(akid not in text, f"full access key id absent from {name}")

    # a wrong secret: STS refuses, whoami fails closed (3) and says why, still without the secret
    bad = dict(env, AWS_SECRET_ACCESS_KEY="wrongSecretForTestsOnly/000000000000000000")
    rc, out, err = run(["--debug"], bad)
    check(rc == 3, f"refused credentials exit 3 (got {rc})")
    check("SignatureDoesNotMatch" in err or "signature" in err.lower(), f"error names the signature failure: {err!r}")
    check("wrongSecretForTestsOnly" not in out + err, "bad secret absent from output")

    # no credentials at all: every source tried is listed
    bare = {k: v for k, v in env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    rc, out, err = run([], bare)
    check(rc == 3, f"no credentials exit 3 (got {rc})")
    check("environment" in err, f"error lists the environment source: {err!r}")

    rc, out, err = run(["--format", "yaml"], env)
    check(rc == 2, "bad --format is a usage error")

if failures:
    print(f"whoami: {len(failures)} failed")
    sys.exit(1)
print("whoami: all checks passed")
