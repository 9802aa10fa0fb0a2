#!/usr/bin/env python3
"""The fake's Inspector2 and Organizations, through the official AWS CLI (`aws inspector2 ...`, `aws organizations
...` with --endpoint-url): account status per scan type, coverage with filters and auto-pagination, members,
delegated administrators, organization accounts, the delegated administrator's view against a member's and an
outsider's, IAM denials and throttling. Expected values come from tests/fake-aws/fixtures/org.json and the table
below (what Inspector would say about each function), not from the fake's code. The botocore- and moto-level checks
are in test_fake_inspector2_botocore.py. Exit 0 pass, 1 fail, 77 skip (no `aws` on this machine).
"""

import datetime
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402
from test_fake_awscli import AWS, CliError, Runner  # noqa: E402  (one CLI interpreter for every command)

FIXTURE = json.load(open(fakeaws.ORG_FIXTURE, encoding="utf-8"))
MGMT, ADMIN, WA, WB, RETIRED, NEWBIE, OUTSIDER = ("100000000001", "100000000002", "100000000003", "100000000004",
                                                  "100000000005", "100000000006", "100000000009")
ADMIN_USER, WA_USER = "org-security-ci", "org-workload-a-ci"
EX = ("InspectorExclusion", "LambdaStandardScanning")

# workload-a, us-east-1: (PACKAGE status, CODE status, runtime enum) per function, as Inspector reports them.
WA_EAST = {
    "payments-api": ("INACTIVE EXCLUDED_BY_TAG", "INACTIVE EXCLUDED_BY_TAG", "PYTHON_3_12"),
    "legacy-batch": ("INACTIVE EXCLUDED_BY_TAG", "INACTIVE EXCLUDED_BY_TAG", "JAVA_17"),
    "reports-worker": ("ACTIVE SUCCESSFUL", "INACTIVE EXCLUDED_BY_TAG", "NODEJS_20_X"),
    "secrets-rotator": ("INACTIVE ACCESS_DENIED_TO_ENCRYPTION_KEY",) * 2 + ("PYTHON_3_12",),
    "nightly-archiver": ("INACTIVE SCAN_ELIGIBILITY_EXPIRED",) * 2 + ("PYTHON_3_12",),
    "weekly-digest": ("ACTIVE SUCCESSFUL",) * 2 + ("PYTHON_3_12",),
    "old-node": ("INACTIVE UNSUPPORTED_RUNTIME",) * 2 + ("NODEJS_14_X",),
    "old-python": ("INACTIVE UNSUPPORTED_RUNTIME",) * 2 + ("PYTHON_3_7",),
    "checkout-web": ("ACTIVE SUCCESSFUL",) * 2 + ("NODEJS_20_X",),
    "image-resizer": ("ACTIVE SUCCESSFUL",) * 2 + (None,),
}


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def account(aid):
    return next(a for a in FIXTURE["accounts"] if a["id"] == aid)


def fleet():
    """workload-b eu-west-1: name -> expected PACKAGE reason, from the fixture's generate rule and eu-orders-api."""
    rdef = account(WB)["regions"]["eu-west-1"]
    out = {f["name"]: "SUCCESSFUL" for f in rdef["functions"]}
    g = rdef["generate"][0]
    rule = g["tags"][0]
    for i in range(g["count"]):
        tagged = i >= rule["offset"] and (i - rule["offset"]) % rule["every"] == 0
        out[g["name"].format(i=i)] = ("EXCLUDED_BY_TAG" if tagged else
                                      "ACCESS_DENIED_TO_ENCRYPTION_KEY" if i % g["kms_every"] == 0 else "SUCCESSFUL")
    return out


def flt(**kw):
    """filterCriteria JSON: flt(accountId="1", scanType=["PACKAGE", "!CODE"]) ("!" = NOT_EQUALS)."""
    out = {}
    for key, vals in kw.items():
        vals = vals if isinstance(vals, list) else [vals]
        out[key] = [{"comparison": "NOT_EQUALS", "value": v[1:]} if v.startswith("!") else
                    {"comparison": "EQUALS", "value": v} for v in vals]
    return json.dumps(out)


def by_key(cov):
    return {(c["accountId"], c["resourceMetadata"]["lambdaFunction"]["functionName"], c["scanType"]):
            "%s %s" % (c["scanStatus"]["statusCode"], c["scanStatus"]["reason"]) for c in cov}


def ops(r, name):
    return r.fake.stats()["operations"].get(name, 0)


# --- the checks --------------------------------------------------------------------------------------------------

def t_account_status(r):
    ids = [MGMT, ADMIN, WA, WB, RETIRED, NEWBIE, "100000000077"]
    for region, want in (("us-east-1", {WA: ("ENABLED", "ENABLED"), WB: ("ENABLED", "DISABLED")}),
                         ("eu-west-1", {WA: ("DISABLED", "DISABLED"), WB: ("ENABLED", "ENABLED"),
                                        MGMT: ("DISABLED", "DISABLED")})):
        st = r.aws("inspector2", "batch-get-account-status", "--account-ids", *ids, principal=ADMIN_USER,
                   region=region)
        got = {a["accountId"]: a for a in st["accounts"]}
        check(sorted(got) == [MGMT, ADMIN, WA, WB], "%s: admin sees management, itself and members: %s"
              % (region, sorted(got)))
        for aid, (std, code) in want.items():
            rs = got[aid]["resourceState"]
            # Older CLI models (Debian's aws 2.9) do not know lambdaCode and drop it.
            inspector = "DISABLED" if (region, aid) == ("eu-west-1", MGMT) else "ENABLED"   # not enabled at all
            check(got[aid]["state"]["status"] == inspector and rs["lambda"]["status"] == std and
                  rs.get("lambdaCode", {"status": code})["status"] == code, "%s %s: lambda/lambdaCode %s"
                  % (region, aid, rs))
        failed = {f["accountId"]: f["errorCode"] for f in st["failedAccounts"]}
        check(failed == {RETIRED: "ACCESS_DENIED", NEWBIE: "ACCESS_DENIED", "100000000077": "RESOURCE_NOT_FOUND"},
              "%s: failedAccounts %s" % (region, failed))
    st = r.aws("inspector2", "batch-get-account-status", "--account-ids", WA, WB, principal=WA_USER)
    check([a["accountId"] for a in st["accounts"]] == [WA] and
          [(f["accountId"], f["errorCode"]) for f in st["failedAccounts"]] == [(WB, "ACCESS_DENIED")],
          "a member sees only itself: %s" % st)
    st = r.aws("inspector2", "batch-get-account-status", principal="org-outsider-ci")
    check([a["accountId"] for a in st["accounts"]] == [OUTSIDER] and not st.get("failedAccounts"),
          "no accountIds: the caller's own status")


def t_coverage_member_table(r):
    for principal in (WA_USER, ADMIN_USER):
        cov = r.aws("inspector2", "list-coverage", "--filter-criteria", flt(accountId=WA), principal=principal)
        cov = cov["coveredResources"]
        got = by_key(cov)
        want = {}
        for name, (pkg, code, _) in WA_EAST.items():
            want[(WA, name, "PACKAGE")] = pkg
            want[(WA, name, "CODE")] = code
        check(got == want, "%s: workload-a us-east-1 coverage differs: %s" % (
            principal, sorted(set(got.items()) ^ set(want.items()))))
        for c in cov:
            meta = c["resourceMetadata"]["lambdaFunction"]
            name = meta["functionName"]
            check(c["resourceType"] == "AWS_LAMBDA_FUNCTION" and
                  c["resourceId"] == "arn:aws:lambda:us-east-1:%s:function:%s" % (WA, name), "resource %s" % c)
            check(meta.get("runtime") == WA_EAST[name][2], "%s runtime %s" % (name, meta.get("runtime")))
            spec = next(f for f in account(WA)["regions"]["us-east-1"]["functions"] if f["name"] == name)
            check(meta["functionTags"] == spec.get("tags", {}) and meta["layers"] == spec.get("layers", []),
                  "%s: tags and layers as Lambda has them" % name)
            if "lastScannedAt" in c:        # older CLI models drop it; test_fake_inspector2_botocore checks it
                check(c["scanStatus"]["reason"] in ("SUCCESSFUL", "SCAN_ELIGIBILITY_EXPIRED"),
                      "%s lastScannedAt only for scanned functions" % name)
    # Standard and code scanning disabled in eu-west-1: no coverage at all, even for the admin.
    cov = r.aws("inspector2", "list-coverage", "--filter-criteria", flt(accountId=WA), principal=ADMIN_USER,
                region="eu-west-1")["coveredResources"]
    check(cov == [], "scanning disabled: no coverage (%d)" % len(cov))


def t_coverage_visibility(r):
    cov = r.aws("inspector2", "list-coverage", principal=ADMIN_USER)["coveredResources"]
    accounts = {c["accountId"] for c in cov}
    check(accounts == {MGMT, ADMIN, WA, WB}, "admin coverage accounts %s" % sorted(accounts))
    cov = r.aws("inspector2", "list-coverage", principal=WA_USER)["coveredResources"]
    check({c["accountId"] for c in cov} == {WA} and len(cov) == 2 * len(WA_EAST), "member: own coverage only")
    cov = r.aws("inspector2", "list-coverage", "--filter-criteria", flt(accountId=WB), principal=WA_USER)
    check(cov["coveredResources"] == [], "member filtering another account: nothing")
    cov = r.aws("inspector2", "list-coverage", principal="org-new-joiner-ci")["coveredResources"]
    check({c["resourceMetadata"]["lambdaFunction"]["functionName"] for c in cov} == {"onboarding-hook"},
          "a not-associated account still sees its own")
    cov = r.aws("inspector2", "list-coverage", "--filter-criteria", flt(accountId=NEWBIE), principal=ADMIN_USER)
    check(cov["coveredResources"] == [], "admin does not see an account whose relationship is CREATED")


def t_coverage_pagination(r):
    want = fleet()
    r.fake.reset()
    cov = r.aws("inspector2", "list-coverage", "--filter-criteria", flt(scanType="PACKAGE"), principal=ADMIN_USER,
                region="eu-west-1")["coveredResources"]
    got = {c["resourceMetadata"]["lambdaFunction"]["functionName"]: c["scanStatus"]["reason"]
           for c in cov if c["accountId"] == WB}
    check(got == want, "fleet PACKAGE reasons: %s" % sorted(set(got.items()) ^ set(want.items())))
    total = len(cov)
    # Only workload-b has coverage in eu-west-1: scanning is disabled for workload-a, Inspector for the management
    # account, and the security account has no functions there.
    check(total == len(want) and ops(r, "inspector2:ListCoverage") == 1, "one page of %d" % total)
    r.fake.reset()
    all_cov = r.aws("inspector2", "list-coverage", principal=ADMIN_USER, region="eu-west-1")["coveredResources"]
    pages = ops(r, "inspector2:ListCoverage")
    check(len(all_cov) == 2 * total and pages == -(-len(all_cov) // 100), "auto-pagination: %d entries in %d "
          "pages (default page 100)" % (len(all_cov), pages))
    r.fake.reset()
    small = r.aws("inspector2", "list-coverage", "--page-size", "7", principal=ADMIN_USER,
                  region="eu-west-1")["coveredResources"]
    check(small == all_cov and ops(r, "inspector2:ListCoverage") == -(-len(all_cov) // 7),
          "--page-size 7: same entries, same order, %d pages" % ops(r, "inspector2:ListCoverage"))
    first = r.aws("inspector2", "list-coverage", "--max-items", "5", principal=ADMIN_USER, region="eu-west-1")
    check(len(first["coveredResources"]) == 5 and first.get("NextToken"), "--max-items 5 gives a NextToken")
    rest = r.aws("inspector2", "list-coverage", "--starting-token", first["NextToken"], principal=ADMIN_USER,
                 region="eu-west-1")["coveredResources"]
    check(first["coveredResources"] + rest == all_cov, "--starting-token resumes where --max-items stopped")


def t_coverage_filters(r):
    def names(principal=ADMIN_USER, region="us-east-1", **kw):
        cov = r.aws("inspector2", "list-coverage", "--filter-criteria", flt(**kw), principal=principal,
                    region=region)["coveredResources"]
        return sorted((c["accountId"], c["resourceMetadata"]["lambdaFunction"]["functionName"], c["scanType"])
                      for c in cov)
    check(names(scanStatusReason="EXCLUDED_BY_TAG") == sorted([
        (MGMT, "org-audit-trail", "PACKAGE"), (MGMT, "org-audit-trail", "CODE"),
        (WA, "payments-api", "PACKAGE"), (WA, "payments-api", "CODE"), (WA, "legacy-batch", "PACKAGE"),
        (WA, "legacy-batch", "CODE"), (WA, "reports-worker", "CODE"), (WB, "orders-api", "PACKAGE")]),
        "scanStatusReason EXCLUDED_BY_TAG across the organization (workload-b: no code scanning)")
    check(names(accountId=WA, scanStatusCode="!ACTIVE", scanType="PACKAGE") ==
          sorted((WA, n, "PACKAGE") for n, v in WA_EAST.items() if v[0].startswith("INACTIVE")),
          "scanStatusCode NOT_EQUALS ACTIVE")
    check(names(scanStatusReason=["ACCESS_DENIED_TO_ENCRYPTION_KEY", "UNSUPPORTED_RUNTIME"], scanType="PACKAGE") ==
          sorted([(ADMIN, "finding-router", "PACKAGE"), (WA, "secrets-rotator", "PACKAGE"),
                  (WA, "old-node", "PACKAGE"), (WA, "old-python", "PACKAGE"), (WB, "orders-db-proxy", "PACKAGE")]),
          "two EQUALS values are either-or")
    check(names(lambdaFunctionName="payments-api", resourceType="AWS_LAMBDA_FUNCTION") ==
          [(WA, "payments-api", "CODE"), (WA, "payments-api", "PACKAGE")], "lambdaFunctionName + resourceType")
    check(names(lambdaFunctionRuntime="NODEJS_14_X") == [(WA, "old-node", "CODE"), (WA, "old-node", "PACKAGE")],
          "lambdaFunctionRuntime")
    check(names(resourceType="AWS_ECR_CONTAINER_IMAGE") == [], "no ECR images")
    tagged = r.aws("inspector2", "list-coverage", "--filter-criteria", json.dumps({
        "lambdaFunctionTags": [{"comparison": "EQUALS", "key": "team", "value": "payments"}]}),
        principal=ADMIN_USER)["coveredResources"]
    check({c["resourceMetadata"]["lambdaFunction"]["functionName"] for c in tagged} == {"payments-api"},
          "lambdaFunctionTags key+value")
    keyonly = r.aws("inspector2", "list-coverage", "--filter-criteria", json.dumps({
        "lambdaFunctionTags": [{"comparison": "EQUALS", "key": EX[0], "value": EX[1]}],
        "scanType": [{"comparison": "EQUALS", "value": "PACKAGE"}]}), principal=ADMIN_USER)["coveredResources"]
    check(sorted(c["resourceMetadata"]["lambdaFunction"]["functionName"] for c in keyonly) ==
          ["legacy-batch", "orders-api", "org-audit-trail", "payments-api"], "exclusion tag filter")
    err = r.aws("inspector2", "list-coverage", "--filter-criteria", json.dumps(
        {"lambdaFunctionName": [{"comparison": "PREFIX", "value": "pay"}]}), principal=ADMIN_USER, expect_fail=True)
    check("ValidationException" in err and "EQUALS, NOT_EQUALS" in err, "PREFIX is not in the model: %s" % err)


def t_members_and_admins(r):
    mem = r.aws("inspector2", "list-members", principal=ADMIN_USER)["members"]
    check([(m["accountId"], m["relationshipStatus"], m["delegatedAdminAccountId"]) for m in mem] ==
          [(a, "ENABLED", ADMIN) for a in (MGMT, WA, WB)], "associated members: %s" % mem)
    mem = r.aws("inspector2", "list-members", "--no-only-associated", principal=ADMIN_USER)["members"]
    check({m["accountId"]: m["relationshipStatus"] for m in mem} ==
          {MGMT: "ENABLED", WA: "ENABLED", WB: "ENABLED", RETIRED: "ACCOUNT_SUSPENDED", NEWBIE: "CREATED"},
          "all members: %s" % mem)
    r.fake.reset()
    paged = r.aws("inspector2", "list-members", "--no-only-associated", "--page-size", "2",
                  principal=ADMIN_USER)["members"]
    check(paged == mem and ops(r, "inspector2:ListMembers") == 3, "ListMembers pages of 2")
    err = r.aws("inspector2", "list-members", principal=WA_USER, expect_fail=True)
    check("AccessDeniedException" in err, "a member may not list members: %s" % err)
    check(r.aws("inspector2", "list-members", principal="org-outsider-ci")["members"] == [],
          "an account outside any organization has no members")
    adm = r.aws("inspector2", "list-delegated-admin-accounts", principal="org-mgmt-ci")["delegatedAdminAccounts"]
    check(adm == [{"accountId": ADMIN, "status": "ENABLED"}], "delegated admin: %s" % adm)
    for who in (ADMIN_USER, WA_USER, "org-outsider-ci"):
        err = r.aws("inspector2", "list-delegated-admin-accounts", principal=who, expect_fail=True)
        check("AccessDeniedException" in err, "%s: ListDelegatedAdminAccounts denied: %s" % (who, err))


def t_organizations(r):
    want = FIXTURE["organization"]["accounts"]
    r.fake.reset()
    got = r.aws("organizations", "list-accounts", "--page-size", "4", principal="org-mgmt-ci")["Accounts"]
    check(ops(r, "organizations:ListAccounts") == 2, "ListAccounts pages of 4")
    check([a["Id"] for a in got] == [a["id"] for a in want], "every account, in order")
    for g, w in zip(got, want):
        joined = datetime.datetime.fromisoformat(w["joined"].replace("Z", "+00:00"))
        at = g["JoinedTimestamp"]       # CLI v1 prints the epoch number, v2 ISO 8601
        at = datetime.datetime.fromtimestamp(at, datetime.timezone.utc) if isinstance(at, (int, float)) else \
            datetime.datetime.fromisoformat(at)
        check(g.get("State", g["Status"]) == g["Status"] and g["Status"] == w.get("status", "ACTIVE") and
              g["Name"] == w["name"] and g["Email"] == w["email"] and
              at == joined and g["JoinedMethod"] == w.get("joined_method", "CREATED") and
              g["Arn"] == "arn:aws:organizations::%s:account/o-fakeorg0001/%s" % (MGMT, w["id"]),
              "account %s: %s" % (w["id"], g))
    check(r.aws("organizations", "list-accounts", principal=ADMIN_USER)["Accounts"] == got,
          "the delegated administrator lists the same accounts (default page size 20: one page)")
    org = r.aws("organizations", "describe-organization", principal=WA_USER)["Organization"]
    check(org["Id"] == "o-fakeorg0001" and org["MasterAccountId"] == MGMT and org["FeatureSet"] == "ALL",
          "describe-organization from a member: %s" % org)
    err = r.aws("organizations", "list-accounts", principal=WA_USER, expect_fail=True)
    check("AccessDeniedException" in err, "a member may not list accounts: %s" % err)
    for op in ("list-accounts", "describe-organization"):
        err = r.aws("organizations", op, principal="org-outsider-ci", expect_fail=True)
        check("AWSOrganizationsNotInUseException" in err, "outsider %s: %s" % (op, err))
    err = r.aws("organizations", "list-accounts", principal="org-mgmt-ci", region="eu-west-1", expect_fail=True)
    check("InvalidSignatureException" in err and "valid region" in err, "global service signed for eu-west-1: %s"
          % err)


def t_denied_and_throttled(r):
    err = r.aws("inspector2", "list-coverage", principal="org-security-denied", expect_fail=True)
    check("AccessDeniedException" in err and "inspector2:ListCoverage" in err, err)
    err = r.aws("organizations", "list-accounts", principal="org-security-denied", expect_fail=True)
    check("AccessDeniedException" in err and "organizations:ListAccounts" in err, err)
    st = r.aws("inspector2", "batch-get-account-status", principal="org-security-denied")
    check(st["accounts"][0]["accountId"] == ADMIN, "other operations still allowed")
    for op, cmd, code in (("inspector2:ListCoverage", ("inspector2", "list-coverage"), "ThrottlingException"),
                          ("organizations:ListAccounts", ("organizations", "list-accounts"),
                           "TooManyRequestsException")):
        r.fake.reset()
        r.fake.configure(script=[{"operation": op, "attempts": [1], "fault": "throttle"}])
        r.aws(*cmd, principal=ADMIN_USER)
        stats = r.fake.stats()
        check(stats["faults"]["throttle"][op] >= 1 and stats["max_attempt"][op] == 2,
              "%s: the CLI retried the throttle: %s" % (op, stats["max_attempt"]))
        r.fake.configure(script=[{"operation": op, "fault": "throttle"}])
        err = r.aws(*cmd, principal=ADMIN_USER, expect_fail=True, env_extra={"AWS_MAX_ATTEMPTS": "2"})
        check(code in err, "%s: always throttled -> %s: %s" % (op, code, err))
        r.fake.configure(script=[])


TESTS = [t_account_status, t_coverage_member_table, t_coverage_visibility, t_coverage_pagination,
         t_coverage_filters, t_members_and_admins, t_organizations, t_denied_and_throttled]


def main():
    if AWS is None:
        print("SKIP: no aws CLI (install Debian's awscli)")
        return 77
    results = []
    with fakeaws.FakeAWS(fixture=fakeaws.ORG_FIXTURE, seed=3) as fake:
        runner = Runner(fake)
        try:
            for t in TESTS:
                start = time.monotonic()
                fake.reset(state=True, faults=True)
                try:
                    t(runner)
                    results.append((t.__name__, None, time.monotonic() - start))
                except (AssertionError, CliError, KeyError, ValueError, fakeaws.FakeAWSError) as exc:
                    results.append((t.__name__, exc, time.monotonic() - start))
        finally:
            runner.close()
    failed = 0
    for name, exc, secs in results:
        failed += exc is not None
        print("ok   %s (%.1fs)" % (name, secs) if exc is None else "FAIL %s: %s" % (name, exc))
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
