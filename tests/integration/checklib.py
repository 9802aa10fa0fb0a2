"""Shared helpers for the `inspector-ledger check` end-to-end tests (tests/integration/test_check_*.py).

They run the real binary against the fake AWS (tests/fake-aws, started through tests/integration/fakeaws.py) with the
fixture tests/fake-aws/fixtures/check.json and a ledger written by ledger_text(). Everything is deterministic:
--as-of fixes "today", the fake's faults are seeded. Standard library only (jsonschema where the test needs it).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("IL_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("IL_BIN") or os.path.join(SRC, "build", "inspector-ledger")
FIXTURE = os.path.join(SRC, "tests", "fake-aws", "fixtures", "check.json")
AS_OF = "2026-11-22"

sys.path.insert(0, HERE)
try:
    import fakeaws  # noqa: E402
except ImportError:
    print("skip: tests/integration/fakeaws.py (the fake AWS) is not in this tree")
    sys.exit(77)

FAILURES = []


def check(cond, what, detail=None):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)
        if detail is not None:
            print("      " + str(detail)[:3000].replace("\n", "\n      "))
    return cond


def finish():
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        sys.exit(1)
    print("ok")
    sys.exit(0)


def require_jsonschema():
    """Import jsonschema (Debian's python3-jsonschema); exit 77 when it is not installed."""
    try:
        import jsonschema
        return jsonschema
    except ImportError:
        if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
                "/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        print("skip: python3-jsonschema is not installed")
        sys.exit(77)


def arn(name, region="us-east-1", account="111111111111"):
    return "arn:aws:lambda:%s:%s:function:%s" % (region, account, name)


def entry(name, region="us-east-1", account="111111111111", scan="standard", applied="2026-06-01",
          review="2027-01-15", expires="2027-03-01"):
    return {"name": name, "region": region, "account": account, "scan": scan, "applied": applied, "review": review,
            "expires": expires}


def ledger_text(entries):
    out = ["version: 1", "exclusions:"]
    for e in entries:
        key, value = (("InspectorExclusion", "LambdaStandardScanning") if e["scan"] == "standard"
                      else ("InspectorCodeExclusion", "LambdaCodeScanning"))
        out += [
            "  - target:",
            "      type: lambda",
            "      function_name: %s" % e["name"],
            "      function_arn: %s" % arn(e["name"], e["region"], e["account"]),
            "    scan_type: %s" % e["scan"],
            "    tag:",
            "      key: %s" % key,
            "      value: %s" % value,
            "    reason:",
            "      summary: test exclusion for %s" % e["name"],
            "      ticket: SEC-%d" % (1000 + len(out)),
            "      compensating_controls:",
            "        - reviewed by hand every quarter",
            "    owner:",
            "      team: platform",
            "      approved_by: alice@example.com",
            "      applied_by: deploy-bot@example.com",
            "    dates:",
            "      applied_at: %s" % e["applied"],
            "      next_review_at: %s" % e["review"],
            "      expires_at: %s" % e["expires"],
        ]
    return "\n".join(out) + "\n"


# The main scenario: account 111111111111 in us-east-1 and eu-west-1 (see the fixture), plus one entry in an account
# that is only reachable through a role.
MAIN_ENTRIES = [
    entry("orders-api"),                                                          # tag applied, active: clean
    entry("orders-worker", scan="code", applied="2026-01-05", review="2026-03-01",
          expires="2026-06-30"),                                                  # expired, tag still applied
    entry("billing-fn"),                                                          # active, no tag
    entry("ghost-fn"),                                                            # no such function
    entry("eu-api", region="eu-west-1", review="2026-11-25", expires="2026-11-30"),  # applied, expiring soon
    entry("prod-api", account="222222222222"),                                    # another account
]

# What the main scenario finds without a role: (rule, function ARN or None).
MAIN_EXPECTED = {
    ("expired", arn("orders-worker")),
    ("expired-exclusion-applied", arn("orders-worker")),
    ("exclusion-not-applied", arn("billing-fn")),
    ("function-not-found", arn("ghost-fn")),
    ("expiring-soon", arn("eu-api", "eu-west-1")),
    ("unrecorded-exclusion", arn("shadow-fn")),
    ("unrecorded-exclusion", arn("bulk-000")),
    ("unrecorded-exclusion", arn("bulk-030")),
    ("unrecorded-exclusion", arn("eu-code", "eu-west-1")),
    ("malformed-exclusion-tag", arn("wrong-value-fn")),
    ("malformed-exclusion-tag", arn("hostile-fn")),
    ("not-checked", arn("prod-api", account="222222222222")),
}
# Seen only when every tag is read (--tags-source lambda, or --full): a key in the wrong case.
BADCASE = ("malformed-exclusion-tag", arn("badcase-fn"))
# --full adds these.
FULL_EXTRA = {
    ("scan-blind-cmk", arn("cmk-fn")),
    ("deprecated-runtime", arn("old-runtime-fn")),
    # an implicit exclusion nobody recorded (reason.implicit): the CMK and the unsupported runtime
    ("unrecorded-implicit-exclusion", arn("cmk-fn")),
    ("unrecorded-implicit-exclusion", arn("old-runtime-fn")),
    BADCASE,
}


class Workdir:
    """A scratch folder under IL_TEST_OUT holding the ledger."""

    def __init__(self, name, entries=None):
        base = os.environ.get("IL_TEST_OUT") or tempfile.gettempdir()
        os.makedirs(base, exist_ok=True)
        self.path = tempfile.mkdtemp(prefix=name + "-", dir=base)
        self.ledger = os.path.join(self.path, "inspector-exclusions.yaml")
        self.write_ledger(MAIN_ENTRIES if entries is None else entries)

    def write_ledger(self, entries):
        with open(self.ledger, "w", encoding="utf-8") as f:
            f.write(ledger_text(entries))

    def file(self, name):
        return os.path.join(self.path, name)


def start_fake(**kw):
    kw.setdefault("fixture", FIXTURE)
    return fakeaws.FakeAWS(**kw)


# The main scenario's prod-api entry (account 222222222222) is reachable only through a role. Without one a run fails
# closed (exit 3) unless it declares the partial scope, so the tests of everything else declare the caller's account.
DECLARE_CALLER = ("--only-account", "111111111111")
_SCOPE_ARGS = ("--role-name", "--role-arn-template", "--role-arn", "--only-account", "--only-region")


def declared(args, principal="ci", declare=True):
    """@args with DECLARE_CALLER added when @declare, no scope option is given and the principal is in 111111111111."""
    if not declare or principal not in fakeaws.CREDENTIALS or fakeaws.CREDENTIALS[principal][2] != "111111111111":
        return list(args)
    if any(a in _SCOPE_ARGS for a in args):
        return list(args)
    return list(DECLARE_CALLER) + list(args)


def run_check(fake, wd, *args, principal="ci", region="us-east-1", env_extra=None, timeout=300, relative=False,
              declare=True):
    """Run `inspector-ledger check` against @fake; returns (exit code, stdout, stderr) as text. @relative runs in the
    work folder with the ledger's relative path (as a CI job does from the repository root). @declare: see
    declared()."""
    env = fake.env(principal=principal, region=region)
    env.pop("GITHUB_ACTIONS", None)
    env.pop("GITHUB_STEP_SUMMARY", None)
    env.update(env_extra or {})
    ledger = os.path.basename(wd.ledger) if relative else wd.ledger
    # The lambda source is paced at 15 requests/s per account and region by default: fine for AWS, slow for a test
    # suite. Tests that are about pacing pass their own --rate-limit.
    pace = [] if "--rate-limit" in args else ["--rate-limit", "2000"]
    cmd = [BIN, "check", "--as-of", AS_OF] + pace + declared(args, principal, declare) + [ledger]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       cwd=wd.path if relative else None)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def run_json(fake, wd, *args, **kw):
    """Run with --format json; returns (exit code, parsed document, stderr)."""
    rc, out, err = run_check(fake, wd, "--format", "json", *args, **kw)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    return rc, doc, err


def finding_set(doc, rules_only=None):
    """{(rule, function_arn)} of a JSON result's findings."""
    out = set()
    for f in doc["findings"]:
        if rules_only is None or f["rule"] in rules_only:
            out.add((f["rule"], f["function_arn"]))
    return out


def full_finding_set(doc):
    """Every field a weekly diff would compare (message included), for source-independence checks."""
    return sorted(json.dumps(f, sort_keys=True) for f in doc["findings"])
