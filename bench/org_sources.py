#!/usr/bin/env python3
"""Benchmark: `check --organization` through the Inspector delegated administrator (--tags-source inspector) against
the per-account role fan-out (--role-name), on a generated organization of N accounts x 2 regions served by the fake
AWS with a per-request latency. Prints a markdown section for bench/results.md (requests by operation, wall time best
of --runs).

    bench/org_sources.py --accounts 20 --functions 50 --latency-ms 20 --runs 3
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
import fakeaws  # noqa: E402

BIN = os.environ.get("IL_BIN") or os.path.join(SRC, "build", "inspector-ledger")
ADMIN = ("AKIDFAKEBENCH0000001", "fakeSecretKeyForTestsOnly/bench000000000001")
RUNS = [
    ("inspector source (delegated administrator)", ["--tags-source", "inspector"]),
    ("role fan-out, tagging source", ["--role-name", "InspectorLedgerAudit"]),
    ("role fan-out, tagging source + --coverage", ["--role-name", "InspectorLedgerAudit", "--coverage"]),
    ("role fan-out, lambda source (ListTags per function)", ["--role-name", "InspectorLedgerAudit", "--tags-source",
                                                            "lambda"]),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=20)
    p.add_argument("--functions", type=int, default=50)
    p.add_argument("--latency-ms", type=int, default=20)
    p.add_argument("--runs", type=int, default=3)
    o = p.parse_args()
    d = tempfile.mkdtemp(prefix="il-bench-org-")
    fixture = os.path.join(d, "org.json")
    with open(fixture, "w") as f:
        subprocess.run([sys.executable, os.path.join(SRC, "tests", "fake-aws", "make_org_fixture.py"), "--accounts",
                        str(o.accounts), "--functions", str(o.functions)], stdout=f, check=True)
    ledger = os.path.join(d, "ledger.yaml")
    with open(ledger, "w") as f:
        f.write("version: 1\nexclusions: []\n")
    rows = []
    with fakeaws.FakeAWS(fixture=fixture, args=["--latency-ms", str(o.latency_ms)]) as fake:
        env = fake.env(region="us-east-1")
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = ADMIN
        for name, args in RUNS:
            best, ops, rc, seen = None, None, None, None
            for _ in range(o.runs):
                fake.reset()
                t0 = time.monotonic()
                r = subprocess.run([BIN, "check", ledger, "--as-of", "2026-12-01", "--format", "json", "--organization",
                                    "--region", "us-east-1", "--region", "eu-west-1"] + args, env=env,
                                   capture_output=True, text=True, timeout=900)
                dt = time.monotonic() - t0
                doc = json.loads(r.stdout) if r.stdout.startswith("{") else None
                if doc is None or doc["unverified"]:
                    sys.exit("bench: %s did not verify everything (exit %d): %s" % (name, r.returncode, r.stderr[-400:]))
                best = dt if best is None else min(best, dt)
                ops, rc = fake.stats()["operations"], r.returncode
                seen = sum(1 for f in doc["findings"] if f["rule"] in ("unrecorded-exclusion",))
            rows.append((name, best, ops, rc, seen))
    print("## Organization sources: `--tags-source inspector` against the role fan-out\n")
    print("Recorded %s by `bench/org_sources.py --accounts %d --functions %d --latency-ms %d --runs %d`: an organization "
          "of %d accounts x 2 regions x %d functions (`make_org_fixture.py`; every 10th function excluded by tag, "
          "every 17th with a CMK), served by the fake AWS with %d ms added to every request; `check --organization` "
          "from the delegated administrator. Wall time is the best of %d runs.\n"
          % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), o.accounts, o.functions, o.latency_ms, o.runs,
             o.accounts, o.functions, o.latency_ms, o.runs))
    print("| source | requests | wall s | unrecorded found | requests by operation |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, best, ops, rc, seen in rows:
        detail = ", ".join("%s %d" % (k, v) for k, v in sorted(ops.items()))
        print("| %s | %d | %.2f | %d | %s |" % (name, sum(ops.values()), best, seen, detail))
    return 0


if __name__ == "__main__":
    sys.exit(main())
