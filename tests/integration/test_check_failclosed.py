#!/usr/bin/env python3
"""`inspector-ledger check` fails closed: every way a call can fail after retries (access denied on ListTags,
GetResources, AssumeRole; throttling, connection resets, malformed bodies exhausted; no credentials) exits 3 and names
what was not verified and why — and a throttling storm the retries can absorb still completes with the right findings.
Exit 0 pass, 77 skip (no fake AWS in this tree), 1 fail.
"""
from checklib import MAIN_EXPECTED, Workdir, arn, check, finding_set, finish, run_check, run_json, start_fake


def expect_unverified(fake, wd, what, needles, *args, **kw):
    """Run; assert exit 3 and that the unverified list names every needle. Returns the JSON document."""
    rc, doc, err = run_json(fake, wd, *args, **kw)
    check(rc == 3, "%s: exit 3 (got %d)" % (what, rc), err)
    if not check(doc is not None, "%s: JSON result still written" % what, err):
        return None
    msgs = "\n".join("%s %s %s" % (u.get("account"), u.get("region"), u["message"]) for u in doc["unverified"])
    check(len(doc["unverified"]) > 0, "%s: unverified items listed" % what, doc)
    for n in needles:
        check(n in msgs, "%s: unverified list names %r" % (what, n), msgs)
    check(doc["summary"]["passed"] is False, "%s: summary.passed is false" % what, doc["summary"])
    # the text output says the same to a person
    rc, out, _ = run_check(fake, wd, *args, **kw)
    check(rc == 3 and "not verified:" in out and "NOT VERIFIED" in out, "%s: text names it" % what, out)
    return doc


def test_access_denied(fake):
    wd = Workdir("check-denied")
    expect_unverified(fake, wd, "ListTags denied", ["lambda:ListTags", "AccessDeniedException", "us-east-1",
                                                    "eu-west-1", "111111111111"],
                      "--tags-source", "lambda", principal="no-listtags")
    expect_unverified(fake, wd, "GetResources denied", ["tag:GetResources", "us-east-1", "eu-west-1"],
                      principal="no-tagging-api")
    expect_unverified(fake, wd, "AssumeRole denied", ["sts:AssumeRole", "222222222222", "AccessDenied"],
                      "--role-name", "InspectorLedgerAudit", principal="no-assume")


def test_exhausted_faults(fake):
    wd = Workdir("check-faults")
    cases = [
        ("throttling exhausted", {"operation": "lambda:ListTags", "fault": "throttle"}, ["--tags-source", "lambda"],
         ["ListTags", "after 2 attempts"]),
        ("resets exhausted", {"operation": "tagging:GetResources", "fault": "reset"}, [], ["GetResources"]),
        ("malformed body", {"operation": "lambda:GetFunction", "fault": "malformed"}, [],
         ["GetFunction", "malformed"]),
        ("truncated body", {"operation": "lambda:ListFunctions", "fault": "truncate"}, ["--full"],
         ["ListFunctions"]),
        ("server errors", {"operation": "sts:GetCallerIdentity", "fault": "error500"}, [],
         ["GetCallerIdentity", "could not identify the caller"]),
    ]
    for what, rule, args, needles in cases:
        fake.configure(script=[rule])
        doc = expect_unverified(fake, wd, what, needles, "--max-attempts", "2", *args)
        if doc and rule["operation"].startswith("lambda:GetFunction"):
            check(any(arn("billing-fn") in u["message"] or arn("ghost-fn") in u["message"] for u in doc["unverified"]),
                  "a failed confirmation names the function", doc["unverified"])
    fake.configure(script=[])


def test_only_one_region_fails(fake):
    """A failure in one region does not hide the other region's findings, and the verdict is still 3."""
    wd = Workdir("check-one-region")
    rc, doc, err = run_json(fake, wd, "--region", "ap-east-1", "--region", "us-east-1")
    check(rc == 3, "a region that rejects the credentials: exit 3 (got %d)" % rc, err)
    if doc:
        check(("unrecorded-exclusion", arn("shadow-fn")) in finding_set(doc),
              "findings of the verified regions are still reported")


def test_no_credentials(fake):
    wd = Workdir("check-nocreds")
    rc, doc, err = run_json(fake, wd, env_extra={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    check(rc == 3, "no credentials: exit 3 (got %d)" % rc, err)
    if doc:
        check(any("credentials" in u["message"] for u in doc["unverified"]), "says there are no credentials",
              doc["unverified"])
    rc, doc, err = run_json(fake, wd, env_extra={"AWS_SECRET_ACCESS_KEY": "wrong-secret-wrong-secret"})
    check(rc == 3, "wrong secret: exit 3 (got %d)" % rc, err)


def test_throttling_storm(fake):
    """~30% of requests throttled: the retries absorb it and the findings are exactly right."""
    wd = Workdir("check-storm")
    fake.configure(script=[], throttle_rate=0.3)
    fake.reset()
    for source in ("lambda", "tagging"):
        rc, doc, err = run_json(fake, wd, "--tags-source", source, "--max-attempts", "10")
        check(rc == 1, "storm, %s source: completes with exit 1 (got %d)" % (source, rc), err[-2000:])
        if doc:
            expected = MAIN_EXPECTED | ({("malformed-exclusion-tag", arn("badcase-fn"))} if source == "lambda"
                                        else set())
            check(finding_set(doc) == expected, "storm, %s source: exactly the expected findings" % source,
                  {"missing": sorted(expected - finding_set(doc)), "unexpected": sorted(finding_set(doc) - expected)})
            check(doc["unverified"] == [], "storm, %s source: everything verified" % source, doc["unverified"])
    stats = fake.stats()
    throttled = sum(stats.get("faults", {}).get("throttle", {}).values())
    check(throttled > 20, "the storm really throttled (%d)" % throttled, stats.get("faults"))
    fake.configure(throttle_rate=0.0)


def main():
    with start_fake(seed=13) as fake:
        test_access_denied(fake)
        test_exhausted_faults(fake)
        test_only_one_region_fails(fake)
        test_no_credentials(fake)
        test_throttling_storm(fake)
    finish()


if __name__ == "__main__":
    main()
