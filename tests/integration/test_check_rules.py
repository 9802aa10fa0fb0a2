#!/usr/bin/env python3
"""`inspector-ledger check` end to end against the fake AWS: every drift rule in two regions, both tag sources giving
the same findings, --full, the text a person reads, and the exit codes 0 / 1 / 2.
Exit 0 pass, 77 skip (no fake AWS in this tree), 1 fail.
"""
import json

from checklib import (AS_OF, BADCASE, FULL_EXTRA, MAIN_ENTRIES, MAIN_EXPECTED, Workdir, arn, check, entry,
                      finding_set, finish, full_finding_set, run_check, run_json, start_fake)


def test_main_scenario(fake):
    wd = Workdir("check-rules")
    rc, doc, err = run_json(fake, wd)
    check(rc == 1, "findings at error level exit 1 (got %d)" % rc, err)
    if doc is None:
        check(False, "json output parses", err)
        return
    got = finding_set(doc)
    check(got == MAIN_EXPECTED, "tagging source: exactly the expected findings",
          {"missing": sorted(MAIN_EXPECTED - got), "unexpected": sorted(got - MAIN_EXPECTED)})
    check(doc["unverified"] == [], "nothing unverified", doc["unverified"])
    sev = {(f["rule"], f["function_arn"]): f["severity"] for f in doc["findings"]}
    check(sev.get(("unrecorded-exclusion", arn("shadow-fn"))) == "error", "unrecorded-exclusion is an error")
    check(sev.get(("expired-exclusion-applied", arn("orders-worker"))) == "error", "expired-exclusion-applied error")
    check(sev.get(("exclusion-not-applied", arn("billing-fn"))) == "warning", "exclusion-not-applied warning")
    check(sev.get(("function-not-found", arn("ghost-fn"))) == "warning", "function-not-found warning")
    check(sev.get(("not-checked", arn("prod-api", account="222222222222"))) == "notice", "not-checked notice")
    # every finding is located in the ledger and says where in AWS it is
    for f in doc["findings"]:
        check(f["file"] == wd.ledger and f["line"] >= 1, "finding %s located in the ledger" % f["rule"], f)
        if f["rule"] in ("unrecorded-exclusion", "malformed-exclusion-tag"):
            check(f["line"] == 3, "an AWS-only finding points at the `exclusions` list (line 3)", f)
        if f["function_arn"]:
            check(f.get("account") and f.get("region"), "finding %s names account and region" % f["rule"], f)
    # the expired entry is located at its expires_at line, the missing tag at its entry
    lines = {(f["rule"], f["function_arn"]): f["line"] for f in doc["findings"]}
    text = open(wd.ledger).read().splitlines()
    exp_line = lines.get(("expired-exclusion-applied", arn("orders-worker")), 0)
    check(0 < exp_line <= len(text) and "expires_at: 2026-06-30" in text[exp_line - 1],
          "expired-exclusion-applied points at the expires_at line", exp_line)

    # the other source gives the same findings, except a key in the wrong case, which only ListTags can see
    rc2, doc2, err2 = run_json(fake, wd, "--tags-source", "lambda")
    check(rc2 == 1 and doc2 is not None, "lambda source runs (exit 1)", err2)
    if doc2 is not None:
        got2 = finding_set(doc2)
        check(got2 == MAIN_EXPECTED | {BADCASE}, "lambda source: the same findings plus the case-mismatched key",
              {"missing": sorted((MAIN_EXPECTED | {BADCASE}) - got2), "unexpected": sorted(got2 - MAIN_EXPECTED)})
    # with --full both sources read every tag: identical findings, field for field
    rc3, doc3, err3 = run_json(fake, wd, "--full")
    rc4, doc4, err4 = run_json(fake, wd, "--full", "--tags-source", "lambda")
    check(doc3 is not None and doc4 is not None, "--full runs with both sources", err3 + err4)
    if doc3 is not None and doc4 is not None:
        check(finding_set(doc3) == MAIN_EXPECTED | FULL_EXTRA, "--full: the expected findings",
              {"missing": sorted((MAIN_EXPECTED | FULL_EXTRA) - finding_set(doc3)),
               "unexpected": sorted(finding_set(doc3) - (MAIN_EXPECTED | FULL_EXTRA))})
        check(full_finding_set(doc3) == full_finding_set(doc4), "--full: both tag sources give identical findings",
              set(full_finding_set(doc3)) ^ set(full_finding_set(doc4)))
        sev = {(f["rule"], f["function_arn"]): f["severity"] for f in doc3["findings"]}
        check(sev.get(("scan-blind-cmk", arn("cmk-fn"))) == "notice", "scan-blind-cmk is a notice")
        check(sev.get(("deprecated-runtime", arn("old-runtime-fn"))) == "warning", "deprecated-runtime warning")


def test_call_counts(fake):
    """The tagging source makes a handful of calls per region; the lambda source 1 + N."""
    wd = Workdir("check-calls")
    fake.reset()
    run_json(fake, wd)
    ops = fake.stats()["operations"]
    check(ops.get("tagging:GetResources") == 4, "tagging: 2 GetResources per region x 2 regions", ops)
    check("lambda:ListTags" not in ops and "lambda:ListFunctions" not in ops, "tagging: no per-function calls", ops)
    check(ops.get("lambda:GetFunction") == 2, "tagging: GetFunction only for billing-fn and ghost-fn", ops)
    fake.reset()
    run_json(fake, wd, "--tags-source", "lambda")
    ops = fake.stats()["operations"]
    check(ops.get("lambda:ListTags") == 72, "lambda: ListTags once per function (70 + 2)", ops)
    check(ops.get("lambda:ListFunctions") == 3, "lambda: ListFunctions pages (2 in us-east-1, 1 in eu-west-1)", ops)
    check(ops.get("lambda:GetFunction") == 1, "lambda: GetFunction only for ghost-fn", ops)


def test_text_output(fake):
    wd = Workdir("check-text")
    rc, out, err = run_check(fake, wd)
    check(rc == 1, "text: exit 1", err)
    check("error[unrecorded-exclusion]" in out and "shadow-fn" in out, "text names the unrecorded function", out)
    check("scope: account 111111111111; 2 regions (eu-west-1, us-east-1)" in out, "text states the scope", out)
    check("scopes: 2 verified, 0 not verified, 0 skipped" in out, "text counts verified scopes", out)
    check(out.rstrip().endswith(": 6 exclusions checked against AWS as of %s: failed" % AS_OF), "text verdict", out)
    check("<script>" not in out or "\x1b" not in out, "no raw control sequences", out)
    check("\n::error" not in out, "a hostile tag value cannot start a line of its own", out)
    check(err == "", "nothing on stderr when it is not a terminal", err)
    rc, out, err = run_check(fake, wd, "-q")
    check(rc == 1 and out == "" and err == "", "-q prints nothing and keeps the exit code", (rc, out, err))
    rc, out, _ = run_check(fake, wd, "-v")
    check("notice[not-checked]" in out and "222222222222" in out, "-v shows the not-checked notice", out)


def test_clean_pass(fake):
    """A ledger that matches AWS exactly passes (exit 0) — the gate is not always red."""
    entries = [entry("eu-api", region="eu-west-1"), entry("eu-code", region="eu-west-1", scan="code")]
    wd = Workdir("check-clean", entries)
    rc, out, err = run_check(fake, wd, "--region", "eu-west-1")
    check(rc == 0, "clean eu-west-1 passes with exit 0 (got %d)" % rc, out + err)
    check(out.rstrip().endswith("passed"), "clean verdict says passed", out)
    # --fail-on warning turns a warning into a failure; --fail-on never passes errors
    wd.write_ledger(entries + [entry("billing-fn")])
    rc, _, _ = run_check(fake, wd, "--fail-on", "warning")
    check(rc == 1, "exclusion-not-applied fails with --fail-on warning")
    rc, _, _ = run_check(fake, wd, "--fail-on", "never")
    check(rc == 0, "--fail-on never passes")


def test_regions(fake):
    """--region adds a region; with no --region the home region (AWS_REGION) is included."""
    wd = Workdir("check-regions", [entry("eu-api", region="eu-west-1")])
    rc, doc, err = run_json(fake, wd, "--region", "us-west-2")
    scopes = doc and sorted({(f.get("region")) for f in doc["findings"]})
    check(rc == 1 and doc is not None, "two regions run", err)
    if doc:
        check(not any(f["region"] == "us-east-1" for f in doc["findings"] if f.get("region")),
              "us-east-1 not in scope when --region names another", scopes)
    rc, doc, err = run_json(fake, wd, region="us-east-1")
    if check(doc is not None, "home region run", err):
        check(("unrecorded-exclusion", arn("shadow-fn")) in finding_set(doc), "home region us-east-1 checked")
        check(("unrecorded-exclusion", arn("eu-code", "eu-west-1")) in finding_set(doc), "ledger region checked")


def test_usage_errors(fake):
    wd = Workdir("check-usage")
    for args, needle in [
        (["--format", "yaml"], "invalid --format"),
        (["--tags-source", "inspectr"], "invalid --tags-source"),
        (["--account", "222222222222"], "--account needs"),
        (["--role-arn-template", "arn:aws:iam::1:role/X"], "{account}"),
        (["--max-attempts", "0"], "invalid --max-attempts"),
        (["--rate-limit", "-1"], "invalid --rate-limit"),
        (["--region", "Mars-1"], "'Mars-1'"),
        (["--as-of", "2026-02-30"], "invalid --as-of"),
        (["--runtimes", wd.file("missing.json"), "--full"], "runtimes"),
    ]:
        rc, out, err = run_check(fake, wd, *args)
        check(rc == 2, "%s exits 2 (got %d)" % (" ".join(args), rc), err)
        check(needle in err, "%s explains itself" % " ".join(args), err)
    rc, out, err = run_check(fake, wd, "--help")
    check(rc == 0 and "--tags-source" in out and "exit codes" in out, "--help", out)
    wd.ledger = wd.file("nope.yaml")
    rc, out, err = run_check(fake, wd)
    check(rc == 2 and "nope.yaml" in err, "a missing ledger exits 2 naming it", err)


def test_runtimes_override(fake):
    wd = Workdir("check-runtimes", [entry("orders-api")])
    table = wd.file("runtimes.json")
    with open(table, "w") as f:
        json.dump({"runtimes": {"python3.12": "2026-01-01"}}, f)
    rc, doc, err = run_json(fake, wd, "--full", "--runtimes", table, "--region", "us-east-1")
    if check(doc is not None, "--runtimes run", err):
        dep = {a for r, a in finding_set(doc) if r == "deprecated-runtime"}
        check(arn("orders-api") in dep and arn("old-runtime-fn") not in dep,
              "--runtimes FILE replaces the built-in table", sorted(dep)[:5])


def main():
    with start_fake(seed=11) as fake:
        test_main_scenario(fake)
        test_call_counts(fake)
        test_text_output(fake)
        test_clean_pass(fake)
        test_regions(fake)
        test_usage_errors(fake)
        test_runtimes_override(fake)
    finish()


if __name__ == "__main__":
    main()
