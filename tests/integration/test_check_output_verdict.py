"""check --output FILE: the findings go to FILE and the terminal still gets the verdict, one line on stderr; for
exit 3 also what was not verified. -q stays silent. Against the fake AWS with the demo ledger and its fixture."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

SRC = os.environ.get("IL_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("IL_BIN") or os.path.join(SRC, "build", "inspector-ledger")
LEDGER = os.path.join(SRC, "ledger-example", "demo", "security", "inspector-exclusions.yaml")
FIXTURE = os.path.join(SRC, "ledger-example", "demo", "fake-aws.json")
failures = 0


def check(ok, what):
    global failures
    print("%s: %s" % ("ok" if ok else "FAIL", what))
    failures += 0 if ok else 1


def run(env, *args):
    return subprocess.run([BIN, "check"] + list(args), env=env, capture_output=True, text=True, timeout=120)


def main():
    out_dir = tempfile.mkdtemp(prefix="il-verdict-")
    out = os.path.join(out_dir, "check.json")
    with fakeaws.FakeAWS(fixture=FIXTURE, seed=1) as fake:
        env = fake.env(principal="ci")
        r = run(env, "--full", "--only-account", "111111111111", "--format", "json", "--output", out, LEDGER)
        check(r.returncode == 1, "findings: exit 1 (got %d)" % r.returncode)
        check(r.stdout == "", "findings: nothing on stdout")
        lines = r.stderr.strip().splitlines()
        check(len(lines) == 1, "findings: one line on stderr (got %r)" % lines)
        # 6 warnings: --full also reports the CMK and the deprecated runtime nobody recorded as implicit exclusions
        check(": failed (3 errors, 6 warnings); findings written to %s" % out in r.stderr,
              "findings: the verdict counts errors and warnings and names the file: %r" % r.stderr)
        check(os.path.getsize(out) > 0, "findings: the file was written")

        r = run(env, "-q", "--only-account", "111111111111", "--output", out, LEDGER)
        check(r.returncode == 1 and r.stderr == "" and r.stdout == "", "-q: nothing printed, exit 1 (got %d, %r)" %
              (r.returncode, r.stderr))

        r = run(env, "--only-account", "111111111111", "--format", "sarif", "--output", out, "--fail-on", "never", LEDGER)
        check(r.returncode == 0 and ": passed (" in r.stderr, "--fail-on never: passed on stderr (got %d, %r)" %
              (r.returncode, r.stderr))

    with fakeaws.FakeAWS(fixture=FIXTURE, seed=1, faults={"error_rate": 1.0}) as fake:
        env = fake.env(principal="ci")
        env["AWS_MAX_ATTEMPTS"] = "1"
        r = run(env, "--output", out, LEDGER)
        check(r.returncode == 3, "not verified: exit 3 (got %d)" % r.returncode)
        check(r.stdout == "", "not verified: nothing on stdout")
        notv = [line for line in r.stderr.splitlines() if line.startswith("inspector-ledger check: not verified: ")]
        check(len(notv) >= 1 and all("region" in line for line in notv),
              "not verified: each unverified scope is named on stderr: %r" % r.stderr)
        check(r.stderr.strip().splitlines()[-1].find(": NOT VERIFIED (") > 0 and "fails closed" in r.stderr,
              "not verified: the last line is the NOT VERIFIED verdict: %r" % r.stderr)
    for f in os.listdir(out_dir):
        os.unlink(os.path.join(out_dir, f))
    os.rmdir(out_dir)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
