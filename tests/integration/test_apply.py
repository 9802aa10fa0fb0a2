"""apply end to end against the fake AWS: dry run changes nothing, --yes makes tags follow the ledger, a second run
has nothing to do, unrecorded tags are removed only on request, failures exit 3, and a broken ledger is refused."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

BIN = os.environ["IL_BIN"]
SRC = os.environ.get("IL_SOURCE_DIR", ".")
LEDGER = os.path.join(SRC, "tests", "data", "apply", "ledger.yaml")
FIXTURE = os.path.join(SRC, "tests", "fake-aws", "fixtures", "apply.json")
ARN = "arn:aws:lambda:us-east-1:111111111111:function:"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, env):
    p = subprocess.run([BIN, "apply", "--as-of", "2026-11-22"] + args, env=env, capture_output=True, text=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def findings(env):
    p = subprocess.run([BIN, "check", "--as-of", "2026-11-22", "--tags-source", "lambda", "--format", "json",
                        "--fail-on", "never", LEDGER], env=env, capture_output=True, text=True, timeout=300)
    doc = json.loads(p.stdout)
    return sorted((f["rule"], f.get("function_arn") or "") for f in doc["findings"]), p.returncode


with fakeaws.FakeAWS(fixture=FIXTURE) as fake:
    env = fake.env("ci")
    before, rc = findings(env)
    check(("exclusion-not-applied", ARN + "alpha") in before, f"alpha's tag is missing before apply: {before}")
    check(("expired-exclusion-applied", ARN + "bravo") in before, "bravo's expired tag is applied before apply")
    check(("unrecorded-exclusion", ARN + "charlie") in before, "charlie's tag is unrecorded")

    rc, out, err = run([LEDGER], env)
    check(rc == 0, f"dry run exits 0 (got {rc}: {err})")
    check("tag" in out and ARN + "alpha" in out and ARN + "bravo" in out, f"dry run plans alpha and bravo: {out}")
    check(ARN + "delta" not in out, "delta is already right: no change planned")
    check(ARN + "charlie" not in out, "unrecorded tags are left alone without --remove-unrecorded")
    check("2 changes planned" in out, f"dry run counts the plan: {out}")
    check(findings(env)[0] == before, "a dry run changes nothing in AWS")

    bad_secret = "fakeSecretKeyForTestsOnly/0000000000000002"
    bad = dict(env, AWS_ACCESS_KEY_ID="AKIDFAKE0000000002", AWS_SECRET_ACCESS_KEY=bad_secret)
    rc, out, err = run(["--yes", LEDGER], bad)
    check(rc == 3, f"denied TagResource exits 3 (got {rc})")
    check("lambda:TagResource" in err or "AccessDenied" in err, f"the failure names the denial: {err}")
    check(bad_secret not in out + err, "no secret in output")
    check("0 changes applied, 2 FAILED" in out, f"done and failed are counted apart when all failed: {out}")

    rc, out, err = run(["--yes", LEDGER], env)
    check(rc == 0, f"--yes exits 0 (got {rc}: {err})")
    check("2 changes applied" in out, f"--yes reports what it did: {out}")
    after, rc = findings(env)
    check(("exclusion-not-applied", ARN + "alpha") not in after, f"alpha is tagged after apply: {after}")
    check(("expired-exclusion-applied", ARN + "bravo") not in after, "bravo's tag is gone after apply")
    check(("unrecorded-exclusion", ARN + "charlie") in after, "charlie untouched without --remove-unrecorded")

    rc, out, err = run(["--yes", LEDGER], env)
    check(rc == 0 and "0 changes applied" in out, f"a second apply has nothing to do: {out}")

    rc, out, err = run(["--yes", "--remove-unrecorded", LEDGER], env)
    check(rc == 0 and ARN + "charlie" in out, f"--remove-unrecorded untags charlie: {out} {err}")
    after, rc = findings(env)
    check(("unrecorded-exclusion", ARN + "charlie") not in after, f"charlie's unrecorded tag is gone: {after}")

    broken = os.path.join(os.environ.get("IL_TEST_OUT", "/tmp"), "apply-broken.yaml")
    os.makedirs(os.path.dirname(broken), exist_ok=True)
    with open(LEDGER) as f:
        text = f.read().replace("expires_at: 2027-06-01", "expire_at: 2027-06-01", 1)
    with open(broken, "w") as f:
        f.write(text)
    rc, out, err = run(["--yes", broken], env)
    check(rc == 1, f"a ledger with errors is refused with exit 1 (got {rc})")
    check("nothing was applied" in err and "expires_at" in err, f"the refusal says why: {err}")

if failures:
    print(f"apply: {len(failures)} failed")
    sys.exit(1)
print("apply: all checks passed")
