#!/usr/bin/env python3
"""Scope completeness end to end against the fake AWS: every ledger entry is compared with AWS or the run fails closed
(exit 3) naming the account/region and what would reach it — for check, report --live and apply. A partial run is
allowed only when declared (--only-account / --only-region), and then every output format says "N of M entries
compared; K outside the declared scope". Another partition's entries follow the same rule.
Exit 0 pass, 77 skip (no fake AWS in this tree), 1 fail.
"""
import csv
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ET

from checklib import (AS_OF, BIN, MAIN_ENTRIES, Workdir, arn, check, entry, finish, run_check, run_json,
                      start_fake)

# ci's credentials become account 222222222222's through this role (it trusts 111111111111)
ROLE_222 = ("--role-arn", "arn:aws:iam::222222222222:role/InspectorLedgerAudit")
ONLY_111 = ("--only-account", "111111111111")
PROD_API = arn("prod-api", account="222222222222")
CN_ARN = "arn:aws-cn:lambda:cn-north-1:111111111111:function:cn-fn"


def test_wrong_account(fake):
    """All entries in 111111111111, credentials of 222222222222: nothing compared, so it must not pass."""
    wd = Workdir("scope-wrong-account", [entry("orders-api"), entry("billing-fn"), entry("ghost-fn")])
    rc, out, err = run_check(fake, wd, *ROLE_222, declare=False)
    check(rc == 3, "wrong account: exit 3 (got %d)" % rc, out[-2000:] + err[-1000:])
    check("passed" not in out.splitlines()[-1], "wrong account: the verdict is not 'passed'", out[-500:])
    check("3 entries in account 111111111111, region us-east-1 (partition aws) not compared with AWS" in out,
          "wrong account: one line names the account/region and the count", out[-2000:])
    check("is not the caller's account (222222222222): add --role-name" in out,
          "wrong account: says --role-name would reach it", out[-2000:])
    check("--account 111111111111" not in out, "wrong account: no --account hint (it would not reach an entry)")
    check("coverage: 0 of 3 entries compared" in out, "wrong account: text says 0 of 3 compared", out[-800:])
    rc, doc, err = run_json(fake, wd, *ROLE_222, declare=False)
    if check(doc is not None, "wrong account: json parses", err):
        check(rc == 3 and len(doc["unverified"]) == 1, "wrong account: json exit 3, one unverified item",
              doc["unverified"])
        check(doc["coverage"] == {"entries": 3, "compared": 0, "outside_declared_scope": 0, "declared": False,
                                  "summary": "0 of 3 entries compared"}, "wrong account: json coverage",
              doc["coverage"])
        check(doc["summary"]["passed"] is False, "wrong account: json summary not passed")
    # declared: only the caller's account, so the ledger is entirely outside -> nothing unverified; the exit follows
    # the findings (222222222222 carries an unrecorded exclusion: 1)
    rc, out, err = run_check(fake, wd, *ROLE_222, "--only-account", "222222222222", declare=False)
    check(rc == 1 and "coverage: 0 of 3 entries compared; 3 outside the declared scope" in out and
          "error[not-verified]" not in out, "wrong account, declared: exit 1 by findings, the N of M line",
          out[-800:] + err[-500:])


def test_one_unreachable_entry(fake):
    wd = Workdir("scope-one-extra")  # the main scenario: prod-api is in 222222222222, reachable only with a role
    rc, doc, err = run_json(fake, wd, declare=False)
    if not check(doc is not None, "one extra entry: json parses", err):
        return
    check(rc == 3, "one extra entry: exit 3, not 1 (got %d)" % rc)
    items = [u for u in doc["unverified"] if u["function_arn"] == PROD_API]
    check(len(items) == 1 and items[0]["account"] == "222222222222" and items[0]["region"] == "us-east-1",
          "one extra entry: unverified names prod-api, its account and region", doc["unverified"])
    if items:
        check("--role-name" in items[0]["message"] and "--only-account" in items[0]["message"],
              "one extra entry: says how to reach it and how to declare it out", items[0]["message"])
    check(not any(f["rule"] == "not-checked" and f["function_arn"] == PROD_API for f in doc["findings"]),
          "one extra entry: no longer only a notice")
    # with the role the entry is compared: every entry covered
    rc, doc, err = run_json(fake, wd, "--role-name", "InspectorLedgerAudit", declare=False)
    if check(doc is not None, "with a role: json parses", err):
        check(doc["coverage"]["compared"] == 6 and doc["coverage"]["entries"] == 6, "with a role: 6 of 6 compared",
              doc["coverage"])


def _summary_in_formats(fake, wd, args, want, rc_want):
    """The N-of-M line in each check format; @rc_want the exit code."""
    for fmt in ("text", "json", "github", "sarif", "junit", "markdown"):
        rc, out, err = run_check(fake, wd, "--format", fmt, *args, declare=False)
        check(rc == rc_want, "%s %s: exit %d (got %d)" % (" ".join(args), fmt, rc_want, rc), err[-800:])
        if fmt == "json":
            check(json.loads(out)["coverage"]["summary"] == want, "json: coverage.summary", out[-600:])
        elif fmt == "sarif":
            props = json.loads(out)["runs"][0]["invocations"][0].get("properties", {})
            check(props.get("coverage", {}).get("summary") == want, "sarif: invocation coverage", props)
        elif fmt == "junit":
            root = ET.fromstring(out)
            suite = [s for s in root.findall("testsuite") if s.get("name") == "scope"]
            check(len(suite) == 1 and suite[0].findtext("system-out") == want, "junit: the scope suite", out[-800:])
            if suite:
                props = {p.get("name"): p.get("value") for p in suite[0].iter("property")}
                check(props.get("declared") == "true", "junit: declared property", props)
        elif fmt == "github":
            check("title=scope::" + want in out, "github: the scope notice", out[-800:])
        elif fmt == "markdown":
            check(("Scope: " + want + ".") in out.replace("\\", ""), "markdown: the scope line", out[:800])
        else:
            check(("coverage: " + want) in out, "text: the coverage line", out[-800:])


def test_declared(fake):
    wd = Workdir("scope-declared")
    _summary_in_formats(fake, wd, ONLY_111, "5 of 6 entries compared; 1 outside the declared scope", 1)
    both = ONLY_111 + ("--only-region", "us-east-1")
    _summary_in_formats(fake, wd, both, "4 of 6 entries compared; 2 outside the declared scope", 1)
    # --only-region alone does not declare prod-api's account out: it still fails closed
    rc, doc, err = run_json(fake, wd, "--only-region", "us-east-1", declare=False)
    check(rc == 3 and doc is not None and doc["coverage"]["outside_declared_scope"] == 1 and
          any(u["function_arn"] == PROD_API for u in doc["unverified"]),
          "--only-region us-east-1: eu-api out, prod-api still unverified (exit 3)", doc and doc["unverified"])
    # a declared run exits by its findings: below --fail-on it passes
    clean = Workdir("scope-declared-clean", [entry("orders-api"), entry("prod-api", account="222222222222")])
    rc, out, err = run_check(fake, clean, *ONLY_111, "--fail-on", "never", declare=False)
    check(rc == 0 and "coverage: 1 of 2 entries compared; 1 outside the declared scope" in out,
          "declared, --fail-on never: exit 0 with the N of M line", out[-800:] + err[-500:])
    rc, out, err = run_check(fake, clean, "--fail-on", "never", declare=False)
    check(rc == 3, "undeclared, --fail-on never: still exit 3 (got %d)" % rc, out[-800:])


def test_declared_account_unreachable(fake):
    """--only-account naming an account the run cannot examine (no role, not the caller's) must not pass for a check
    of it, even with no entry there; the caller's own account is then outside the declared scope."""
    wd = Workdir("scope-declared-unreachable", [entry("orders-api")])
    rc, doc, err = run_json(fake, wd, "--only-account", "333333333333", declare=False)
    if check(doc is not None, "declared unreachable: json parses", err):
        check(rc == 3 and any("account 333333333333 (--only-account) was not examined" in u["message"] and
                              "--role-name" in u["message"] for u in doc["unverified"]),
              "declared unreachable: exit 3 naming the account and --role-name", (rc, doc["unverified"]))
        check(not any(f["rule"] == "unrecorded-exclusion" for f in doc["findings"]),
              "declared unreachable: the caller's account (outside the declaration) is not judged", doc["findings"])


def test_usage(fake):
    wd = Workdir("scope-usage")
    for args, what in ((("--only-account", "12345"), "invalid --only-account '12345'"),
                       (("--only-region", "US-EAST-1"), "invalid --only-region 'US-EAST-1'"),
                       (("--only-region", "us-east-1", "--region", "eu-west-1"), "--region 'eu-west-1' is outside"),
                       (("--only-region", "us-east-1", "--all-regions"), "--all-regions and --only-region"),
                       (("--only-region", "cn-north-1"), "partition aws-cn"),
                       (("--role-name", "InspectorLedgerAudit", "--only-account", "111111111111", "--account",
                         "333333333333"), "--account '333333333333' is outside")):
        rc, out, err = run_check(fake, wd, *args, declare=False)
        check(rc == 2 and what in err, "usage: %s -> exit 2" % " ".join(args), err[-500:])


def test_other_partition(fake):
    wd = Workdir("scope-partition", [entry("orders-api")])
    with open(wd.ledger, encoding="utf-8") as f:
        text = f.read()
    cn = text.split("exclusions:\n", 1)[1].replace(arn("orders-api"), CN_ARN).replace("orders-api", "cn-fn")
    with open(wd.ledger, "w", encoding="utf-8") as f:
        f.write(text + cn)
    rc, doc, err = run_json(fake, wd, declare=False)
    if check(doc is not None, "partition: json parses", err):
        items = [u for u in doc["unverified"] if u["function_arn"] == CN_ARN]
        check(rc == 3 and len(items) == 1, "partition: an aws-cn entry fails closed (exit 3)",
              (rc, doc["unverified"], [f for f in doc["findings"] if f["severity"] == "error"]))
        if items:
            check("partition aws-cn" in items[0]["message"] and "--region cn-north-1" in items[0]["message"] and
                  "--role-name" not in items[0]["message"], "partition: says to run separately", items[0]["message"])
    rc, doc, err = run_json(fake, wd, "--only-region", "us-east-1", declare=False)
    check(doc is not None and rc == 1 and doc["unverified"] == [] and doc["coverage"]["summary"] ==
          "1 of 2 entries compared; 1 outside the declared scope", "partition, declared out: exit 1 by findings",
          (rc, doc and doc["coverage"], err[-500:]))


def _report(fake, wd, fmt, *args):
    env = fake.env(principal="ci")
    cmd = [BIN, "report", "--live", "--no-git", "--as-of", AS_OF, "--rate-limit", "2000", "--format", fmt] + \
        list(args) + [wd.ledger]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_report_live(fake):
    wd = Workdir("scope-report", MAIN_ENTRIES[:1] + MAIN_ENTRIES[-1:])  # orders-api + prod-api (222222222222)
    for fmt in ("markdown", "html", "json", "csv"):
        rc, out, err = _report(fake, wd, fmt)
        check(rc == 3, "report %s, undeclared: exit 3 (got %d)" % (fmt, rc), err[-800:])
        check("Everything in scope was verified" not in out and "Everything in the declared" not in out,
              "report %s: never 'everything verified' while a row is unknown" % fmt)
        check("account 222222222222 is not the caller's account (111111111111)" in err,
              "report %s: stderr names the unreachable account" % fmt, err[-800:])
    want = "1 of 2 entries compared; 1 outside the declared scope"
    for fmt in ("markdown", "html", "json", "csv"):
        rc, out, err = _report(fake, wd, fmt, *ONLY_111)
        check(rc == 0, "report %s, declared: exit 0 (got %d)" % (fmt, rc), err[-800:])
        if fmt == "json":
            doc = json.loads(out)
            check(doc["live"]["coverage"]["summary"] == want and doc["live"]["complete"] is True,
                  "report json: live.coverage", doc["live"].get("coverage"))
        elif fmt == "csv":
            recs = [r for r in csv.DictReader(io.StringIO(out)) if r["kind"] == "coverage"]
            check(len(recs) == 1 and recs[0]["live_note"] == want, "report csv: a coverage record", recs)
        else:
            check(want in out and "Everything in the declared scope was verified" in out,
                  "report %s: the N of M line, and 'declared scope'" % fmt, out[-3000:])
            check("Everything in scope was verified" not in out, "report %s: not 'everything in scope'" % fmt)


def _apply(fake, wd, *args):
    env = fake.env(principal="ci")
    p = subprocess.run([BIN, "apply", "--as-of", AS_OF] + list(args) + [wd.ledger], env=env, capture_output=True,
                       text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_apply(fake):
    wd = Workdir("scope-apply", [entry("orders-api"), entry("billing-fn"), entry("prod-api", account="222222222222")])
    rc, out, err = _apply(fake, wd)
    check(rc == 3, "apply, undeclared: exit 3 (got %d)" % rc, out + err)
    check("not verified: 1 entry in account 222222222222, region us-east-1" in err and
          "--role-name" in err,
          "apply: names the unreachable entry and how to reach it (--role-name, as check)", err)
    check("entries: 2 of 3 entries compared" in out, "apply: the N of M line", out)
    check("tag      add InspectorExclusion=LambdaStandardScanning on " + arn("billing-fn") in out,
          "apply: still plans what it could verify (dry run)", out)
    rc, out, err = _apply(fake, wd, *ONLY_111)
    check(rc == 0 and "entries: 2 of 3 entries compared; 1 outside the declared scope" in out,
          "apply, declared: exit 0 and the N of M line", out + err)


def main():
    with start_fake() as fake:
        test_wrong_account(fake)
        test_one_unreachable_entry(fake)
        test_declared(fake)
        test_declared_account_unreachable(fake)
        test_usage(fake)
        test_other_partition(fake)
        test_report_live(fake)
        test_apply(fake)
    finish()


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    main()
