#!/usr/bin/env python3
"""Inspector's own truth in `check` (issue 16), against the organization fixture (tests/fake-aws/fixtures/org.json):
--coverage through per-account roles, --tags-source inspector from the delegated administrator, --organization, and
every fail-closed path (denied, throttled, malformed, Organizations errors). Exit 0 pass, 77 skip, 1 fail.
"""
import json
import os
import subprocess
import sys
import tempfile

from checklib import BIN, SRC, check, finish

import fakeaws

LEDGER = os.path.join(SRC, "tests", "fake-aws", "fixtures", "org-ledger.yaml")
AS_OF = "2026-12-01"
A1, A2, A3, A4, A5, A6 = ("10000000000%d" % i for i in range(1, 7))

# An extra entry for a function Inspector scans (no tag): the exclusion is not in effect.
STILL_SCANNED = """
  - target:
      type: lambda
      function_name: checkout-web
      function_arn: arn:aws:lambda:us-east-1:100000000003:function:checkout-web
    scan_type: standard
    tag:
      key: InspectorExclusion
      value: LambdaStandardScanning
    reason:
      summary: Frontend bundle scanned elsewhere
      ticket: SEC-2199
      compensating_controls:
        - Weekly SBOM review by the owning team
    owner:
      team: checkout
      approved_by: sec-lead@example.com
      applied_by: deploy-bot@example.com
    dates:
      applied_at: 2026-10-01
      next_review_at: 2027-04-01
      expires_at: 2027-06-30
"""


def fn(account, region, name):
    return "arn:aws:lambda:%s:%s:function:%s" % (region, account, name)


def ledger_file(extra=""):
    d = tempfile.mkdtemp(prefix="il-insp-")
    path = os.path.join(d, "ledger.yaml")
    with open(LEDGER) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n" + extra)
    return path


def run(fake, principal, *args, ledger=None, fmt="json"):
    env = fake.env(principal=principal, region="us-east-1")
    cmd = [BIN, "check", ledger or LEDGER, "--as-of", AS_OF, "--format", fmt] + list(args)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    doc = None
    if fmt == "json":
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            doc = None
    return p.returncode, doc if fmt == "json" else p.stdout, p.stderr


def keys(doc, rule):
    """(function or account/region) of every finding of @rule."""
    out = set()
    for f in doc["findings"] + doc["unverified"]:
        if f["rule"] == rule:
            out.add(f.get("function_arn") or (f.get("account"), f.get("region")))
    return out


def msgs(doc, rule):
    return [f["message"] for f in doc["findings"] + doc["unverified"] if f["rule"] == rule]


def expect_inspector_findings(doc, what, role_path):
    check(keys(doc, "scanning-disabled") >= {(A1, "eu-west-1"), (A3, "eu-west-1"), (A4, "us-east-1")},
          what + ": scanning-disabled for Inspector off (A1 eu-west-1), both types off (A3 eu-west-1), code off (A4)",
          keys(doc, "scanning-disabled"))
    sd = [f for f in doc["findings"] if f["rule"] == "scanning-disabled"]
    per_type = {(f["account"], f["region"], "code" if "code scanning" in f["message"] else "standard") for f in sd}
    check(per_type == {(A1, "eu-west-1", "standard"), (A1, "eu-west-1", "code"), (A3, "eu-west-1", "standard"),
                       (A3, "eu-west-1", "code"), (A4, "us-east-1", "code")},
          what + ": one scanning-disabled per scan type, naming it", sorted(per_type))
    check(all(f["severity"] == "error" for f in sd), what + ": scanning-disabled is an error")
    unrec = keys(doc, "inspector-unrecorded-exclusion")
    check({fn(A3, "us-east-1", "legacy-batch"), fn(A4, "eu-west-1", "fleet-fn-005"),
           fn(A4, "eu-west-1", "fleet-fn-045")} <= unrec and fn(A3, "us-east-1", "payments-api") not in unrec,
          what + ": excluded by tag without an entry (and not the recorded payments-api)", sorted(unrec))
    ns = keys(doc, "inspector-not-scanned")
    want_ns = {fn(A3, "us-east-1", "secrets-rotator"), fn(A3, "us-east-1", "nightly-archiver"),
               fn(A3, "us-east-1", "old-node"), fn(A3, "us-east-1", "old-python"),
               fn(A4, "us-east-1", "orders-db-proxy"), fn(A4, "eu-west-1", "fleet-fn-000")}
    check(want_ns <= ns, what + ": not scanned for another reason", sorted(want_ns - ns))
    check(fn(A3, "us-east-1", "weekly-digest") not in ns and fn(A1, "us-east-1", "billing-export") not in ns,
          what + ": scanned functions are not reported", sorted(ns))
    text = " ".join(msgs(doc, "inspector-not-scanned"))
    for reason in ("ACCESS_DENIED_TO_ENCRYPTION_KEY", "SCAN_ELIGIBILITY_EXPIRED", "UNSUPPORTED_RUNTIME", "KMS key",
                   "90-day idle", "unsupported runtime"):
        check(reason in text, what + ": the reason is named: " + reason)
    check(all(f["severity"] == "warning" for f in doc["findings"] if f["rule"] == "inspector-not-scanned"),
          what + ": inspector-not-scanned defaults to warning")
    conf = keys(doc, "inspector-confirmed")
    check({fn(A3, "us-east-1", "payments-api"), fn(A1, "us-east-1", "org-audit-trail"),
           fn(A3, "us-east-1", "reports-worker"), fn(A4, "us-east-1", "orders-api")} <= conf,
          what + ": recorded and excluded: confirmed by Inspector", sorted(conf))
    check(all(f["severity"] == "notice" for f in doc["findings"] if f["rule"] == "inspector-confirmed"),
          what + ": confirmations are notices")
    still = keys(doc, "inspector-still-scanned")
    check(still == {fn(A3, "us-east-1", "checkout-web")}, what + ": the entry Inspector still scans", still)


def t_coverage_role(fake):
    fake.reset()
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--account", A2, "--coverage",
                       ledger=ledger_file(STILL_SCANNED))
    if not check(rc == 1 and doc is not None, "--coverage via roles: exit 1 (got %d)" % rc, err):
        return
    check(doc["unverified"] == [], "--coverage via roles: everything verified", doc["unverified"])
    expect_inspector_findings(doc, "--coverage via roles", True)
    ops = fake.stats()["operations"]
    check(ops.get("inspector2:BatchGetAccountStatus") == 8 and ops.get("inspector2:ListCoverage") == 8,
          "one BatchGetAccountStatus and one ListCoverage chain per account and region", ops)
    # --not-scanned-severity
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--coverage",
                       "--not-scanned-severity", "error")
    check(doc is not None and {f["severity"] for f in doc["findings"] if f["rule"] == "inspector-not-scanned"} ==
          {"error"}, "--not-scanned-severity error raises them", err)
    rc, out, err = run(fake, "org-mgmt-ci", "--coverage", "--not-scanned-severity", "fatal")
    check(rc == 2 and "--not-scanned-severity" in err, "a bad severity is a usage error", err)


def t_coverage_filter(fake):
    """The administrator sees every member's coverage: without the accountId filter its own scope would hold other
    accounts' functions (and fail as malformed). Its own scope passes, so the filter was sent."""
    fake.reset()
    d = tempfile.mkdtemp(prefix="il-insp-")
    empty = os.path.join(d, "ledger.yaml")
    with open(empty, "w") as f:
        f.write("version: 1\nexclusions: []\n")
    rc, doc, err = run(fake, "org-security-ci", "--coverage", ledger=empty)
    check(doc is not None and doc["unverified"] == [], "admin --coverage on its own account verifies", err)
    if doc:
        ns = keys(doc, "inspector-not-scanned")
        check(ns == {fn(A2, "us-east-1", "finding-router")}, "only the admin's own functions", sorted(ns))


def t_inspector_source(fake):
    fake.reset()
    rc, doc, err = run(fake, "org-security-ci", "--tags-source", "inspector", ledger=ledger_file(STILL_SCANNED))
    if not check(rc == 3 and doc is not None, "inspector source: exit 3 (got %d)" % rc, err):
        return
    expect_inspector_findings(doc, "inspector source", False)
    unv = {(u["account"], u["region"]) for u in doc["unverified"] if not u.get("function_arn")}
    check(unv == {(A1, "eu-west-1"), (A3, "eu-west-1")},
          "scopes where standard scanning is off are not verified (Inspector lists none of their functions)", unv)
    check(all("standard scanning is not enabled" in u["message"] for u in doc["unverified"]),
          "the reason names the disabled scanning", [u["message"] for u in doc["unverified"]])
    check(fn(A3, "us-east-1", "legacy-batch") in keys(doc, "unrecorded-exclusion"),
          "tags from functionTags feed the tag rules too", keys(doc, "unrecorded-exclusion"))
    ops = fake.stats()["operations"]
    check(set(ops) == {"sts:GetCallerIdentity", "inspector2:ListMembers", "inspector2:BatchGetAccountStatus",
                       "inspector2:ListCoverage"}, "no AssumeRole, no Lambda or tagging call", ops)
    check(ops.get("inspector2:ListCoverage") == 2, "one ListCoverage chain per region", ops)
    rc, out, err = run(fake, "org-security-ci", "--tags-source", "inspector", fmt="text")
    check("through the Inspector delegated administrator 100000000002" in out, "text names the source", out[-600:])
    rc, out, err = run(fake, "org-security-ci", "--tags-source", "inspector", "--role-name", "InspectorLedgerAudit")
    check(rc == 2 and "--tags-source inspector" in err, "inspector source with a role is a usage error", err)


def t_organization(fake):
    fake.reset()
    rc, doc, err = run(fake, "org-security-ci", "--tags-source", "inspector", "--organization")
    if not check(rc == 3 and doc is not None, "--organization via inspector: exit 3 (got %d)" % rc, err):
        return
    unv = {(u["account"], u["region"]) for u in doc["unverified"]}
    check({(A6, "us-east-1"), (A6, "eu-west-1")} <= unv, "an account Inspector does not cover is not verified", unv)
    check(any("relationship CREATED" in m for m in msgs(doc, "not-verified")), "the relationship is named")
    nc = [f for f in doc["findings"] if f["rule"] == "not-checked" and f.get("account") == A5]
    check(len(nc) == 2 and all("SUSPENDED" in f["message"] for f in nc), "the suspended account is a notice per region",
          nc)
    seen = {f.get("account") for f in doc["findings"] + doc["unverified"]}
    check("100000000009" not in seen, "an account outside the organization is not in scope")
    ops = fake.stats()["operations"]
    check(ops.get("organizations:ListAccounts") == 1, "ListAccounts is paged (6 accounts: one page)", ops)
    fake.reset()
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--organization", "--coverage")
    check(doc is not None and rc == 1 and doc["unverified"] == [], "--organization via roles: verified, exit 1", err)
    if doc:
        check(fn(A6, "us-east-1", "onboarding-hook") in keys(doc, "unrecorded-exclusion"),
              "an account the ledger never names is checked", keys(doc, "unrecorded-exclusion"))
    check(fake.stats()["operations"].get("sts:AssumeRole") == 5, "a role in every ACTIVE account",
          fake.stats()["operations"])
    d = tempfile.mkdtemp(prefix="il-insp-")
    empty = os.path.join(d, "ledger.yaml")
    with open(empty, "w") as f:
        f.write("version: 1\nexclusions: []\n")
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--organization", ledger=empty)
    check(rc == 1 and doc is not None and doc["unverified"] == [] and
          fn(A6, "us-east-1", "onboarding-hook") in keys(doc, "unrecorded-exclusion"),
          "--organization with a ledger that names no account: the organization is the scope", err)
    rc, out, err = run(fake, "org-mgmt-ci", "--organization")
    check(rc == 2 and "--organization needs" in err, "--organization without a way in is a usage error", err)


def t_fail_closed(fake):
    fake.reset()
    for who, code in (("org-security-denied", "organizations:ListAccounts"), ("org-workload-a-ci", "AccessDenied"),
                      ("org-outsider-ci", "AWSOrganizationsNotInUseException")):
        rc, doc, err = run(fake, who, "--tags-source", "inspector", "--organization")
        check(rc == 3 and code in err and "not verified" in err, "Organizations error for %s: exit 3 naming %s" %
              (who, code), err)
        check(doc is None, "no findings rendered from an unknown scope (%s)" % who)
    rc, doc, err = run(fake, "org-security-denied", "--tags-source", "inspector")
    check(rc == 3 and doc is not None and all("inspector2:List" in u["message"] for u in doc["unverified"]) and
          doc["unverified"], "ListCoverage/ListMembers denied: every scope not verified, naming the action", err)
    rc, doc, err = run(fake, "org-security-denied", "--coverage")
    check(rc == 3 and doc is not None and any("inspector2:ListCoverage" in u["message"] for u in doc["unverified"]),
          "--coverage denied: not verified", doc and doc["unverified"])
    for fault in ("throttle", "malformed"):
        fake.reset()
        fake.configure(script=[{"operation": "inspector2:ListCoverage", "fault": fault}])
        rc, doc, err = run(fake, "org-security-ci", "--tags-source", "inspector", "--max-attempts", "2")
        check(rc == 3 and doc is not None and len(doc["unverified"]) == 6, "%s on every attempt: exit 3 (6 scopes)" % fault, err)
        fake.reset()
        fake.configure(script=[{"operation": "inspector2:ListCoverage", "fault": fault, "attempts": [1]}])
        rc, doc, err = run(fake, "org-security-ci", "--tags-source", "inspector", "--max-attempts", "3")
        check(rc == 3 and doc is not None and len(doc["unverified"]) == 2, "%s once: retried, as without it" % fault,
              doc and doc["unverified"])
    fake.reset(faults=True)


def t_formats(fake):
    fake.reset()
    ids = ("scanning-disabled", "inspector-unrecorded-exclusion", "inspector-not-scanned")
    for fmt in ("text", "json", "github", "sarif", "junit", "markdown"):
        rc, out, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--coverage", fmt=fmt)
        text = out if isinstance(out, str) else json.dumps(out)
        check(rc == 1 and all(i in text for i in ids), "format %s carries the new rule ids" % fmt, text[-400:])
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    if jsonschema is not None:
        with open(os.path.join(SRC, "schema", "check-result.schema.json")) as f:
            schema = json.load(f)
        for who, args in (("org-mgmt-ci", ["--role-name", "InspectorLedgerAudit", "--coverage", "--full"]),
                          ("org-security-ci", ["--tags-source", "inspector", "--organization"])):
            rc, doc, err = run(fake, who, *args)
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str) if doc else ["no doc"]
            check(not errors, "JSON output of %s matches schema/check-result.schema.json" % " ".join(args),
                  [str(e)[:300] for e in errors[:3]])
    rc, out, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--coverage", "-v", fmt="text")
    check("confirmed by Inspector" in out, "-v shows the confirmations")
    rc, out, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--coverage", fmt="text")
    check("confirmed by Inspector" not in out, "without -v they are not shown")


def implicit_entry(name, account, reason, scan="standard"):
    return """
  - target:
      type: lambda
      function_name: %s
      function_arn: arn:aws:lambda:us-east-1:%s:function:%s
    scan_type: %s
    reason:
      summary: Not scanned by Inspector, accepted
      ticket: SEC-2300
      implicit: %s
      compensating_controls:
        - Weekly SBOM review by the owning team
    owner:
      team: platform
      approved_by: sec-lead@example.com
      applied_by: deploy-bot@example.com
    dates:
      applied_at: 2026-10-01
      next_review_at: 2027-04-01
      expires_at: 2027-06-30
""" % (name, account, name, scan, reason)


def t_implicit(fake):
    """reason.implicit on the record: validated by the schema, confirmed or contradicted live."""
    fake.reset()
    extra = (implicit_entry("secrets-rotator", A3, "kms-key") + implicit_entry("secrets-rotator", A3, "kms-key", "code")
             + implicit_entry("billing-export", A1, "kms-key") + implicit_entry("old-node", A3, "unsupported-runtime"))
    ledger = ledger_file(extra)
    p = subprocess.run([BIN, "validate", ledger, "--as-of", AS_OF, "--format", "json"], capture_output=True,
                       text=True)
    check(p.returncode == 0, "an implicit entry without a tag validates", p.stdout[-800:])
    bad = ledger_file(implicit_entry("old-python", A3, "kms-key").replace(
        "    reason:", "    tag:\n      key: InspectorExclusion\n      value: LambdaStandardScanning\n    reason:"))
    p = subprocess.run([BIN, "validate", bad, "--as-of", AS_OF], capture_output=True, text=True)
    check(p.returncode == 1 and "schema" in p.stdout, "an implicit entry with a tag is a schema error", p.stdout[-800:])
    bad = ledger_file(implicit_entry("old-python", A3, "unscannable"))
    p = subprocess.run([BIN, "validate", bad, "--as-of", AS_OF], capture_output=True, text=True)
    check(p.returncode == 1 and "implicit" in p.stdout, "an unknown implicit reason is a schema error", p.stdout[-800:])
    notag = ledger_file(implicit_entry("old-python", A3, "kms-key").replace("      implicit: kms-key\n", ""))
    p = subprocess.run([BIN, "validate", notag, "--as-of", AS_OF], capture_output=True, text=True)
    check(p.returncode == 1 and "tag" in p.stdout, "an entry with neither a tag nor reason.implicit is refused",
          p.stdout[-800:])
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--full", ledger=ledger)
    if not check(doc is not None, "--full with implicit entries runs", err):
        return
    unrec = keys(doc, "unrecorded-implicit-exclusion")
    check(fn(A3, "us-east-1", "secrets-rotator") not in unrec and fn(A3, "us-east-1", "old-node") not in unrec,
          "recorded implicit exclusions are not reported", sorted(unrec))
    check({fn(A3, "us-east-1", "old-python"), fn(A4, "us-east-1", "orders-db-proxy")} <= unrec,
          "an unsupported runtime and a CMK nobody recorded are reported", sorted(unrec))
    check(keys(doc, "implicit-exclusion-unfounded") == {fn(A1, "us-east-1", "billing-export")},
          "an implicit kms-key entry for a function without a CMK is unfounded", keys(doc, "implicit-exclusion-unfounded"))
    check(not keys(doc, "exclusion-not-applied") & {fn(A3, "us-east-1", "secrets-rotator")},
          "an implicit entry expects no tag")
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--full", "--implicit-severity",
                       "error", ledger=ledger)
    check(doc is not None and {f["severity"] for f in doc["findings"] if f["rule"] == "unrecorded-implicit-exclusion"}
          == {"error"}, "--implicit-severity sets their severity", err)
    rc, doc, err = run(fake, "org-mgmt-ci", "--role-name", "InspectorLedgerAudit", "--coverage", ledger=ledger)
    if doc:
        check(fn(A3, "us-east-1", "secrets-rotator") in keys(doc, "inspector-confirmed") and
              fn(A3, "us-east-1", "secrets-rotator") not in keys(doc, "inspector-not-scanned"),
              "Inspector's KMS reason confirms the implicit entry", keys(doc, "inspector-not-scanned"))
        still = [m for m in msgs(doc, "inspector-still-scanned") if "billing-export" in m]
        check(len(still) == 1 and "implicit" in still[0], "Inspector scanning an implicit entry's function", still)


def t_report(fake):
    """report --live --coverage: Inspector's verdict in each row's live note, in every format."""
    fake.reset()
    env = fake.env(principal="org-mgmt-ci", region="us-east-1")
    for fmt, needle in (("json", "confirmed by Inspector"), ("csv", "confirmed by Inspector"),
                        ("markdown", "confirmed by Inspector"), ("html", "confirmed by Inspector")):
        p = subprocess.run([BIN, "report", ledger_file(STILL_SCANNED), "--as-of", AS_OF, "--no-git", "--live",
                            "--role-name", "InspectorLedgerAudit", "--coverage", "--format", fmt], env=env,
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 0 and needle in p.stdout and "STILL SCANS" in p.stdout and
              "scanning-disabled" in p.stdout, "report --live --coverage (%s): verdicts in the rows" % fmt,
              p.stderr[-500:])
        if fmt == "json":
            doc = json.loads(p.stdout)
            notes = {r["function_name"]: (r.get("live") or {}).get("note") or "" for r in doc["exclusions"]}
            check(notes.get("payments-api", "").startswith("confirmed by Inspector") and
                  "STILL SCANS" in notes.get("checkout-web", "") and
                  "scanning-disabled" in notes.get("eu-payments-api", ""), "each row gets its own verdict", notes)
    p = subprocess.run([BIN, "report", LEDGER, "--as-of", AS_OF, "--no-git", "--live", "--tags-source",
                        "inspector", "--format", "json"], env=fake.env(principal="org-security-ci"),
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 3 and "not verified" in p.stderr, "report --live from the admin fails closed (exit 3)",
          p.stderr[-500:])


def t_pagination(fake_unused):
    d = tempfile.mkdtemp(prefix="il-insp-")
    fixture = os.path.join(d, "org20.json")
    with open(fixture, "w") as f:
        subprocess.run([sys.executable, os.path.join(SRC, "tests", "fake-aws", "make_org_fixture.py"), "--accounts",
                        "20", "--functions", "30"], stdout=f, check=True)
    ledger = os.path.join(d, "ledger.yaml")
    with open(ledger, "w") as f:
        f.write("version: 1\nexclusions: []\n")
    with fakeaws.FakeAWS(fixture=fixture) as fake:
        env = fake.env(region="us-east-1", principal="ci")
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = ("AKIDFAKEBENCH0000001",
                                                                  "fakeSecretKeyForTestsOnly/bench000000000001")
        p = subprocess.run([BIN, "check", ledger, "--as-of", AS_OF, "--format", "json", "--tags-source", "inspector",
                            "--organization", "--region", "us-east-1", "--region", "eu-west-1"], env=env, capture_output=True, text=True,
                           timeout=120)
        doc = json.loads(p.stdout) if p.stdout.startswith("{") else None
        ops = fake.stats()["operations"]
        check(doc is not None and doc["unverified"] == [], "20 accounts x 2 regions through the admin: verified",
              p.stderr[-500:])
        # 20 x 30 functions x 2 scan types = 1200 records per region: 6 pages of 200
        check(ops.get("inspector2:ListCoverage") == 12, "ListCoverage followed every page (6 per region)", ops)
        check(ops.get("organizations:ListAccounts") == 1, "20 accounts: one ListAccounts page of 20", ops)
        if doc:
            unrec = {f["function_arn"] for f in doc["findings"] if f["rule"] == "inspector-unrecorded-exclusion"}
            check(len(unrec) == 20 * 2 * 3, "every tagged function of every account and region (3 of 30 each)",
                  len(unrec))


def main():
    if not os.path.exists(fakeaws.ORG_FIXTURE):
        print("skip: no organization fixture")
        sys.exit(77)
    with fakeaws.FakeAWS(fixture=fakeaws.ORG_FIXTURE) as fake:
        for t in (t_coverage_role, t_coverage_filter, t_inspector_source, t_organization, t_fail_closed, t_formats, t_report, t_implicit):
            t(fake)
    t_pagination(None)
    finish()


if __name__ == "__main__":
    main()
