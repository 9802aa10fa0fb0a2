#!/usr/bin/env python3
"""`inspector-ledger check` across accounts: every ledger account plus --account, each through AssumeRole (role name,
ARN template, external id), and opt-in regions under --all-regions.
Exit 0 pass, 77 skip (no fake AWS in this tree), 1 fail.
"""
from checklib import (MAIN_ENTRIES, MAIN_EXPECTED, Workdir, arn, check, entry, finding_set, finish, run_check,
                      run_json, start_fake)

PROD_API = arn("prod-api", account="222222222222")


def test_role_name(fake):
    wd = Workdir("check-accounts")
    fake.reset()
    rc, doc, err = run_json(fake, wd, "--role-name", "InspectorLedgerAudit", "--account", "333333333333")
    if not check(doc is not None and rc == 1, "role run exits 1 with findings (got %d)" % rc, err):
        return
    got = finding_set(doc)
    expected = (MAIN_EXPECTED - {("not-checked", PROD_API)}) | {
        ("unrecorded-exclusion", arn("prod-shadow", account="222222222222")),
        ("unrecorded-exclusion", arn("sandbox-fn", account="333333333333")),
    }
    check(got == expected, "three accounts: the expected findings",
          {"missing": sorted(expected - got), "unexpected": sorted(got - expected)})
    check(doc["unverified"] == [], "every account verified", doc["unverified"])
    stats = fake.stats()
    check(stats["operations"].get("sts:AssumeRole") == 3, "one AssumeRole per account", stats["operations"])
    scopes = {k.split(" ", 1)[1] for k in stats["by_scope"] if k.startswith("tagging:GetResources")}
    want = {"%s %s" % (a, r) for a in ("111111111111", "222222222222", "333333333333")
            for r in ("us-east-1", "eu-west-1")}
    check(scopes == want, "each account asked in each region with its own (assumed) credentials", sorted(scopes))
    # the same through a template
    rc2, doc2, err2 = run_json(fake, wd, "--role-arn-template", "arn:aws:iam::{account}:role/InspectorLedgerAudit",
                               "--account", "333333333333")
    check(doc2 is not None and finding_set(doc2) == got, "--role-arn-template gives the same result", err2)
    rc, out, err = run_check(fake, wd, "--role-name", "InspectorLedgerAudit", "--account", "333333333333")
    check("scope: 3 accounts through the role (111111111111, 222222222222, 333333333333)" in out,
          "text names the accounts", out)


def test_external_id(fake):
    wd = Workdir("check-external-id", [entry("prod-api", account="222222222222")])
    rc, doc, err = run_json(fake, wd, "--role-name", "ExternalIdRole", "--external-id", "ledger-external-id-42")
    check(rc == 1 and doc is not None and doc["unverified"] == [], "external id accepted (exit 1: prod-shadow)", err)
    if doc:
        check(finding_set(doc) == {("unrecorded-exclusion", arn("prod-shadow", account="222222222222"))},
              "external-id run findings", finding_set(doc))
    rc, doc, err = run_json(fake, wd, "--role-name", "ExternalIdRole")
    check(rc == 3, "without the external id AssumeRole is denied: exit 3 (got %d)" % rc, err)
    if doc:
        msgs = " ".join(u["message"] for u in doc["unverified"])
        check("222222222222" in msgs and "sts:AssumeRole" in msgs and "AccessDenied" in msgs,
              "the unverified item names the account, the error and the action", msgs)


def test_lambda_source_multi_account(fake):
    """Account 333's role cannot ListTags: with the lambda source that account fails closed, the others still pass
    through."""
    wd = Workdir("check-accounts-lambda")
    rc, doc, err = run_json(fake, wd, "--role-name", "InspectorLedgerAudit", "--account", "333333333333",
                            "--tags-source", "lambda")
    check(rc == 3, "an account whose role lacks lambda:ListTags makes the run exit 3 (got %d)" % rc, err)
    if doc:
        un = doc["unverified"]
        check({u["account"] for u in un} == {"333333333333"}, "only account 333 is unverified", un)
        check(all("lambda:ListTags" in u["message"] for u in un), "each names the missing action", un)
        check(("unrecorded-exclusion", arn("prod-shadow", account="222222222222")) in finding_set(doc),
              "the verified accounts still report their findings")


def test_all_regions(fake):
    wd = Workdir("check-all-regions", [entry("orders-api")])
    fake.reset()
    rc, out, err = run_check(fake, wd, "--all-regions", "-v")
    check(rc == 1, "--all-regions: findings, exit 1 (got %d)" % rc, out + err)
    check("ap-east-1 was skipped" in out and "not enabled" in out, "the disabled opt-in region is skipped, said so",
          out)
    check("not verified" not in out.split("scopes:")[0], "nothing unverified", out)
    regions = {k.split()[2] for k in fake.stats()["by_scope"] if k.startswith("tagging:GetResources")}
    check(len(regions) > 15 and "eu-north-1" in regions, "every region of the partition asked", sorted(regions))
    # named explicitly, a region that does not answer is not verified: fail closed
    rc, doc, err = run_json(fake, wd, "--region", "ap-east-1")
    check(rc == 3, "an explicitly named region that rejects the credentials exits 3 (got %d)" % rc, err)
    if doc:
        check(any(u["region"] == "ap-east-1" for u in doc["unverified"]), "ap-east-1 is listed unverified",
              doc["unverified"])


def main():
    with start_fake(seed=12) as fake:
        test_role_name(fake)
        test_external_id(fake)
        test_lambda_source_multi_account(fake)
        test_all_regions(fake)
    finish()


if __name__ == "__main__":
    main()
