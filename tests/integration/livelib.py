"""Shared helpers for the `inspector-ledger report --live` tests (test_report_live*.py, test_report_html_chromium.py).

The fake AWS runs the check fixture (tests/fake-aws/fixtures/check.json) plus a few functions this file adds: one with
hostile exclusion-tag values and no ledger entry (markup, script, a spreadsheet formula, CR/LF, a pipe), and one with
a hostile runtime and KMS key that the ledger does record. The expected live state is computed from the fake's own
state (/__fake/state), never copied from the tool's output. Standard library only.
"""
import json
import os
import subprocess
import tempfile

from checklib import AS_OF, BIN, FIXTURE, SRC, arn, declared, entry, Workdir, start_fake  # noqa: F401 (re-exported)

HOSTILE_UNRECORDED = "hostile-unrec-fn"
HOSTILE_CONFIG = "hostile-config-fn"
HOSTILE_TAGS = {
    "InspectorExclusion": "<script>alert('tag')</script><img src=x onerror=alert(2)>",
    "InspectorCodeExclusion": "=HYPERLINK(\"http://evil.example\",\"x\")\r\n| **bold** | `tick` [l](javascript:x)",
    "inspectorCODEexclusion": "@SUM(1)\t+2 -3 </style><style>body{display:none}</style>",
}
HOSTILE_RUNTIME = "<b onmouseover=alert(3)>python3.12</b>"
HOSTILE_KMS = "=cmd|' /C calc'!A0 </td><script>x</script>"
CMK_ARN = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-4333-8444-555555555555"

# The ledger of the live tests: every live state once (see expected_rows()).
LIVE_ENTRIES = [
    entry("orders-api"),                                                     # tag present
    entry("orders-worker", scan="code", applied="2026-01-05", review="2026-03-01",
          expires="2026-06-30"),                                             # expired, tag still present
    entry("billing-fn"),                                                     # tag missing
    entry("ghost-fn"),                                                       # function gone
    entry("eu-api", region="eu-west-1", review="2026-11-25", expires="2026-11-30"),
    entry("prod-api", account="222222222222"),                               # another account: only with a role
    entry("cmk-fn"),                                                         # customer managed KMS key
    entry("old-runtime-fn"),                                                 # nodejs14.x: deprecated
    entry("wrong-value-fn"),                                                 # the key with the wrong value
    entry(HOSTILE_CONFIG),                                                   # hostile runtime and KMS key
]

RUNTIMES_FILE = os.path.join(SRC, "data", "lambda-runtimes.json")


def live_fixture(path):
    """Write the live tests' fixture (check.json plus the hostile functions) to @path; returns @path."""
    with open(FIXTURE, encoding="utf-8") as f:
        fx = json.load(f)
    main = next(a for a in fx["accounts"] if a["id"] == "111111111111")
    fns = main["regions"]["us-east-1"]["functions"]
    fns.append({"name": HOSTILE_UNRECORDED, "runtime": "python3.12", "tags": dict(HOSTILE_TAGS)})
    fns.append({"name": HOSTILE_CONFIG, "runtime": HOSTILE_RUNTIME, "kms_key_arn": HOSTILE_KMS,
                "tags": {"InspectorExclusion": "LambdaStandardScanning"}})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fx, f, indent=1)
    return path


def start_live_fake(out_dir, **kw):
    # a file of its own: several tests start a live fake at once (ctest -j), and a fake must never read another
    # test's half-written fixture
    fd, path = tempfile.mkstemp(prefix="report-live-fixture-", suffix=".json", dir=out_dir)
    os.close(fd)
    kw["fixture"] = live_fixture(path)
    kw.setdefault("seed", 5)
    return start_fake(**kw)


def run_report(fake, wd, *args, principal="ci", fmt="json", relative=False, env_extra=None, timeout=300,
               declare=True):
    """`report --live` against @fake; returns (exit code, stdout text, stderr text). @declare: checklib.declared()."""
    env = fake.env(principal=principal)
    env.update(env_extra or {})
    ledger = os.path.basename(wd.ledger) if relative else wd.ledger
    cmd = [BIN, "report", "--live", "--no-git", "--as-of", AS_OF, "--rate-limit", "2000", "--format", fmt] + \
        declared(args, principal, declare) + [ledger]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       cwd=wd.path if relative else None)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def deprecation_dates():
    with open(RUNTIMES_FILE, encoding="utf-8") as f:
        # a runtime maps to its AWS dates ({"deprecation": ...}) or, in an override file, to the deprecation date
        return {k: v["deprecation"] if isinstance(v, dict) else v for k, v in json.load(f)["runtimes"].items()}


EXCLUSION_KEYS = {"inspectorexclusion": ("standard", "InspectorExclusion", "LambdaStandardScanning"),
                  "inspectorcodeexclusion": ("code", "InspectorCodeExclusion", "LambdaCodeScanning")}


def expected_rows(state, entries, verified):
    """The live state each ledger row should show, from the fake's state. @verified: {(account, region)} that the
    run verified; rows elsewhere are all "unknown"."""
    dates = deprecation_dates()
    out = []
    for e in entries:
        scan_key = "InspectorExclusion" if e["scan"] == "standard" else "InspectorCodeExclusion"
        want = "LambdaStandardScanning" if e["scan"] == "standard" else "LambdaCodeScanning"
        if (e["account"], e["region"]) not in verified:
            out.append({"function_exists": "unknown", "tag_present": "unknown", "scan_blind": "unknown",
                        "runtime_deprecated": "unknown", "runtime": None, "kms_key_arn": None, "deprecated_on": None})
            continue
        fn = state.get(e["account"], {}).get(e["region"], {}).get(e["name"])
        if fn is None:
            out.append({"function_exists": "no", "tag_present": "no", "scan_blind": "no", "runtime_deprecated": "no",
                        "runtime": None, "kms_key_arn": None, "deprecated_on": None})
            continue
        rt = fn["runtime"]
        on = dates.get(rt) if rt else None
        out.append({
            "function_exists": "yes",
            "tag_present": "yes" if fn["tags"].get(scan_key) == want else "no",
            "scan_blind": "yes" if fn["kms_key_arn"] else "no",
            "runtime_deprecated": "yes" if on is not None and AS_OF > on else "no",
            "runtime": rt,
            "kms_key_arn": fn["kms_key_arn"] or None,
            "deprecated_on": on,
        })
    return out


def expected_unrecorded(state, entries, verified):
    """{(arn, tag key, tag value, honoured)} of exclusion-key tags on functions with no ledger entry for that scan
    type, over the verified account/region pairs."""
    recorded = {(arn(e["name"], e["region"], e["account"]), e["scan"]) for e in entries}
    out = set()
    for account, regions in state.items():
        for region, fns in regions.items():
            if (account, region) not in verified:
                continue
            for name, fn in fns.items():
                a = arn(name, region, account)
                for key, value in fn["tags"].items():
                    hit = EXCLUSION_KEYS.get(key.lower())
                    if hit is None or (a, hit[0]) in recorded:
                        continue
                    out.add((a, key, value, key == hit[1] and value == hit[2]))
    return out
