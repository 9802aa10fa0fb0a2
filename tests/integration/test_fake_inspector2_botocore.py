#!/usr/bin/env python3
"""The fake's Inspector2 and Organizations on the wire and through botocore's own parsers, paginators and retry
logic: error shapes (rest-json x-amzn-ErrorType + {"message"}, json 1.1 {"__type", "Message"}), status codes,
validation limits from the model, signature scope, coverage agreeing with Lambda's own view of the same functions
(tags, KMS key, layers, LastModified), the older fixtures' meaning kept, and moto (an AWS mock nobody here wrote)
returning the same shapes where it implements the operation. Exit 0 pass, 1 fail, 77 without botocore.
"""

import datetime
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

try:
    import botocore.session
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    botocore = None

MGMT, ADMIN, WA, WB = "100000000001", "100000000002", "100000000003", "100000000004"
ORG_TARGET = "AWSOrganizationsV20161128."


def check(cond, what):
    if not cond:
        raise AssertionError(what)


class Env:
    def __init__(self, fake):
        self.fake = fake
        self.session = botocore.session.Session()

    def client(self, service, principal="org-security-ci", region="us-east-1", attempts=1, validate=True):
        akid, secret = fakeaws.CREDENTIALS[principal][:2]
        cfg = Config(retries={"mode": "standard", "max_attempts": attempts}, region_name=region,
                     parameter_validation=validate)
        return self.session.create_client(service, endpoint_url=self.fake.endpoint, aws_access_key_id=akid,
                                          aws_secret_access_key=secret, config=cfg)

    def raw(self, service, path, body, principal="org-security-ci", region="us-east-1", target=None,
            signing=None):
        """A SigV4-signed POST (botocore's signer) -> (status, lower-case headers, decoded JSON body)."""
        akid, secret = fakeaws.CREDENTIALS[principal][:2]
        headers = {"Content-Type": "application/x-amz-json-1.1" if target else "application/json"}
        if target:
            headers["X-Amz-Target"] = target
        data = json.dumps(body).encode()
        req = AWSRequest(method="POST", url=self.fake.endpoint + path, data=data, headers=headers)
        SigV4Auth(Credentials(akid, secret), signing or service, region).add_auth(req)
        conn = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=10)
        try:
            conn.request("POST", path, body=data, headers=dict(req.headers.items()))
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, json.loads(resp.read() or b"{}")
        finally:
            conn.close()


def error(fn, **kw):
    try:
        fn(**kw)
    except ClientError as exc:
        return exc.response["Error"].get("Code"), exc.response
    raise AssertionError("%s succeeded; an error was expected" % fn.__name__)


# --- the checks --------------------------------------------------------------------------------------------------

def t_error_wire_shapes(e):
    st, hdr, body = e.raw("inspector2", "/coverage/list", {}, principal="org-security-denied")
    check(st == 403 and hdr.get("x-amzn-errortype") == "AccessDeniedException" and
          hdr.get("content-type") == "application/json" and set(body) == {"message"} and
          "inspector2:ListCoverage" in body["message"], "inspector2 AccessDenied: %s %s %s" % (st, hdr, body))
    st, hdr, body = e.raw("inspector2", "/coverage/list", {"maxResults": 201})
    check(st == 400 and hdr.get("x-amzn-errortype") == "ValidationException" and
          body.get("reason") == "FIELD_VALIDATION_FAILED" and "maxResults" in body["message"], "maxResults 201")
    st, hdr, body = e.raw("inspector2", "/coverage/list", {"filterCriteria": {"lambdaFunctionNames": []}})
    check(st == 400 and hdr.get("x-amzn-errortype") == "ValidationException", "unknown filter key refused")
    st, hdr, body = e.raw("organizations", "/", {}, principal="org-workload-a-ci", target=ORG_TARGET + "ListAccounts")
    check(st == 400 and hdr.get("x-amzn-errortype") == "AccessDeniedException" and
          hdr.get("content-type") == "application/x-amz-json-1.1" and
          body.get("__type") == "AccessDeniedException" and "Message" in body, "organizations AccessDenied: %s"
          % body)
    st, hdr, body = e.raw("organizations", "/", {}, principal="org-outsider-ci",
                          target=ORG_TARGET + "DescribeOrganization")
    check(st == 400 and body.get("__type") == "AWSOrganizationsNotInUseException", "not in use: %s" % body)
    st, hdr, body = e.raw("organizations", "/", {}, target=ORG_TARGET + "ListAccounts", signing="inspector2")
    check(st == 403 and body.get("__type") == "InvalidSignatureException" and
          "scoped to correct service" in body.get("message", ""), "organizations signed as inspector2: %s" % body)
    st, hdr, body = e.raw("inspector2", "/members/list", {}, signing="organizations")
    check(st == 403 and hdr.get("x-amzn-errortype") == "InvalidSignatureException", "inspector2 wrong scope")
    for op, path, target, status, code in (
            ("inspector2:ListMembers", "/members/list", None, 429, "ThrottlingException"),
            ("organizations:ListAccounts", "/", ORG_TARGET + "ListAccounts", 400, "TooManyRequestsException")):
        e.fake.configure(script=[{"operation": op, "fault": "throttle"}])
        st, hdr, body = e.raw(op.split(":")[0], path, {}, target=target)
        check(st == status and hdr.get("x-amzn-errortype") == code, "%s throttled: %d %s" % (op, st, hdr))
        e.fake.configure(script=[])


def t_botocore_errors_and_retries(e):
    # Without client-side validation, so the fake's own checks of the model's limits are what answers.
    insp, org = e.client("inspector2", validate=False), e.client("organizations")
    for fn, kw, code in ((insp.list_coverage, {"nextToken": "not-a-token"}, "ValidationException"),
                         (insp.batch_get_account_status, {"accountIds": ["12345"]}, "ValidationException"),
                         (insp.list_coverage, {"filterCriteria": {"accountId": [
                             {"comparison": "EQUALS", "value": WA}] * 11}}, "ValidationException"),
                         (org.list_accounts, {"NextToken": "bogus"}, "InvalidInputException")):
        got, resp = error(fn, **kw)
        check(got == code, "%s %s -> %s" % (fn.__name__, kw, got))
    for fn, kw in ((insp.list_members, {"maxResults": 51}), (insp.list_delegated_admin_accounts, {"maxResults": 6}),
                   (insp.list_coverage, {"maxResults": 0})):
        check(error(fn, **kw)[0] == "ValidationException", "%s %s out of the model's range" % (fn.__name__, kw))
    got, resp = error(e.client("organizations", validate=False).list_accounts, MaxResults=21)
    check(got == "InvalidInputException" and resp["Error"].get("Message") and resp.get("Reason") ==
          "MAX_VALUE_EXCEEDED", "MaxResults 21: %s" % resp)
    # botocore's standard retry mode must see both throttles as throttling and retry them.
    for svc, op, call in (("inspector2", "ListCoverage", "list_coverage"),
                          ("organizations", "ListAccounts", "list_accounts")):
        e.fake.reset()
        e.fake.configure(script=[{"operation": "%s:%s" % (svc, op), "attempts": [1, 2], "fault": "throttle"}])
        out = getattr(e.client(svc, attempts=3), call)()
        check(out["ResponseMetadata"]["RetryAttempts"] == 2 and e.fake.stats()["max_attempt"]["%s:%s" % (svc, op)]
              == 3, "%s retried twice" % op)
        e.fake.configure(script=[{"operation": "%s:%s" % (svc, op), "fault": "error500"}])
        code = error(getattr(e.client(svc), call))[0]
        check(code == {"inspector2": "InternalServerException", "organizations": "ServiceException"}[svc],
              "%s 500 -> %s" % (op, code))
        e.fake.configure(script=[])


def t_paginators(e):
    insp = e.client("inspector2")
    whole = insp.list_coverage(maxResults=200)
    check("nextToken" not in whole, "one page of 200 holds us-east-1")
    paged = [c for p in insp.get_paginator("list_coverage").paginate(PaginationConfig={"PageSize": 3})
             for c in p["coveredResources"]]
    check(paged == whole["coveredResources"], "paginator pages of 3 == one page")
    keys = [(c["accountId"], c["resourceId"], c["scanType"]) for c in paged]
    check(len(set(keys)) == len(keys) and keys == sorted(keys, key=lambda k: (k[0], k[1].split(":")[-1])),
          "no duplicates; accounts then functions in name order")
    mem = [m["accountId"] for p in insp.get_paginator("list_members").paginate(
        onlyAssociated=False, PaginationConfig={"PageSize": 1}) for m in p["members"]]
    check(mem == ["100000000001", WA, WB, "100000000005", "100000000006"], "members paginator: %s" % mem)
    accts = [a["Id"] for p in e.client("organizations", "org-mgmt-ci").get_paginator("list_accounts").paginate(
        PaginationConfig={"PageSize": 1}) for a in p["Accounts"]]
    check(accts == [a["id"] for a in json.load(open(fakeaws.ORG_FIXTURE))["organization"]["accounts"]],
          "list_accounts paginator: %s" % accts)
    for p in e.client("organizations", "org-mgmt-ci").get_paginator("list_accounts").paginate():
        check(all(isinstance(a["JoinedTimestamp"], datetime.datetime) for a in p["Accounts"]),
              "JoinedTimestamp parses as a timestamp")


def t_agrees_with_lambda(e):
    lam = e.client("lambda", "org-workload-a-ci")
    fns = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
    cov = [c for p in e.client("inspector2").get_paginator("list_coverage").paginate(filterCriteria={
        "accountId": [{"comparison": "EQUALS", "value": WA}]}) for c in p["coveredResources"]]
    check({c["resourceMetadata"]["lambdaFunction"]["functionName"] for c in cov} == set(fns), "same functions")
    now = datetime.datetime.now(datetime.timezone.utc)
    for c in cov:
        meta = c["resourceMetadata"]["lambdaFunction"]
        fn = fns[meta["functionName"]]
        tags = lam.list_tags(Resource=fn["FunctionArn"])["Tags"]
        reason = c["scanStatus"]["reason"]
        check(meta["functionTags"] == tags, "%s tags" % fn["FunctionName"])
        check(("KMSKeyArn" in fn) == (reason == "ACCESS_DENIED_TO_ENCRYPTION_KEY"), "%s KMS" % fn["FunctionName"])
        check([la["Arn"] for la in fn.get("Layers", [])] == meta["layers"], "%s layers" % fn["FunctionName"])
        modified = datetime.datetime.strptime(fn["LastModified"][:19], "%Y-%m-%dT%H:%M:%S").replace(
            tzinfo=datetime.timezone.utc)
        if reason == "SCAN_ELIGIBILITY_EXPIRED":
            check((now - modified).days >= 90, "%s idle but modified %s" % (fn["FunctionName"], modified))
        if reason in ("SUCCESSFUL", "SCAN_ELIGIBILITY_EXPIRED"):
            check(isinstance(c.get("lastScannedAt"), datetime.datetime) and c["lastScannedAt"] >= modified,
                  "%s lastScannedAt after LastModified" % fn["FunctionName"])
        else:
            check("lastScannedAt" not in c, "%s (%s) never scanned" % (fn["FunctionName"], reason))
    # A tag change is Inspector's truth at once: untag the exclusion, the function is scanned.
    arn = fns["legacy-batch"]["FunctionArn"]
    lam.untag_resource(Resource=arn, TagKeys=["InspectorExclusion"])
    after = e.client("inspector2").list_coverage(filterCriteria={
        "lambdaFunctionName": [{"comparison": "EQUALS", "value": "legacy-batch"}]})["coveredResources"]
    check({c["scanStatus"]["reason"] for c in after} == {"SUCCESSFUL"}, "untagged -> scanned: %s" % after)


def t_default_fixture_unchanged(e):
    with fakeaws.FakeAWS(seed=1) as fake:
        d = Env(fake)
        insp = d.client("inspector2", "ci")
        cov = [c for p in insp.get_paginator("list_coverage").paginate() for c in p["coveredResources"]]
        check({c["accountId"] for c in cov} == {"111111111111"}, "older fixture: own coverage only")
        st = insp.batch_get_account_status(accountIds=["111111111111", "222222222222"])
        check([a["accountId"] for a in st["accounts"]] == ["111111111111", "222222222222"], "older admin view")
        code = error(d.client("organizations", "ci").list_accounts)[0]
        check(code == "AWSOrganizationsNotInUseException", "no organization in the default fixture: %s" % code)


def t_ledger_fixture(e):
    """fixtures/org-ledger.yaml against the admin's view: recorded and excluded, excluded but unrecorded, and a
    recorded function in a region where scanning is disabled (no coverage at all)."""
    import re
    text = open(os.path.join(fakeaws.FAKE_DIR, "fixtures", "org-ledger.yaml"), encoding="utf-8").read()
    ledger = set(re.findall(r"function_arn: (\S+)\n    scan_type: (standard|code)", text))
    check(len(ledger) == text.count("- target:") == 5, "ledger entries parsed: %s" % ledger)
    excluded = set()
    for region in ("us-east-1", "eu-west-1"):
        for p in e.client("inspector2", region=region).get_paginator("list_coverage").paginate(filterCriteria={
                "scanStatusReason": [{"comparison": "EQUALS", "value": "EXCLUDED_BY_TAG"}]}):
            for c in p["coveredResources"]:
                excluded.add((c["resourceId"], {"PACKAGE": "standard", "CODE": "code"}[c["scanType"]]))
    tagged_standard = {(arn, "standard") for arn, st in excluded if st == "standard"}
    fn = "arn:aws:lambda:%s:%s:function:%s"
    check(ledger - excluded == {(fn % ("eu-west-1", WA, "eu-payments-api"), "standard")},
          "recorded but not in coverage (scanning disabled there): %s" % (ledger - excluded))
    check(tagged_standard - ledger == {(fn % ("us-east-1", WA, "legacy-batch"), "standard")} |
          {(fn % ("eu-west-1", WB, "fleet-fn-%03d" % i), "standard") for i in (5, 25, 45)},
          "excluded but unrecorded: %s" % sorted(tagged_standard - ledger))
    check((fn % ("us-east-1", WA, "reports-worker"), "code") in ledger & excluded, "code exclusion recorded")


def t_generated_organization(e):
    """make_org_fixture.py's 20 accounts x 2 regions: one ListCoverage chain per region from the admin covers all."""
    import subprocess
    import tempfile
    import time
    with tempfile.NamedTemporaryFile("w", suffix=".json") as fh:
        subprocess.run([sys.executable, os.path.join(fakeaws.FAKE_DIR, "make_org_fixture.py"), "--accounts", "20",
                        "--functions", "50"], stdout=fh, check=True)
        fh.flush()
        with fakeaws.FakeAWS(fixture=fh.name) as fake:
            cfg = Config(retries={"mode": "standard", "max_attempts": 1})
            start = time.monotonic()
            for region in ("us-east-1", "eu-west-1"):
                insp = botocore.session.Session().create_client(
                    "inspector2", region_name=region, endpoint_url=fake.endpoint, config=cfg,
                    aws_access_key_id="AKIDFAKEBENCH0000001",
                    aws_secret_access_key="fakeSecretKeyForTestsOnly/bench000000000001")
                cov = [c for p in insp.get_paginator("list_coverage").paginate(PaginationConfig={"PageSize": 200})
                       for c in p["coveredResources"]]
                check(len(cov) == 20 * 50 * 2 and len({c["accountId"] for c in cov}) == 20,
                      "%s: %d entries" % (region, len(cov)))
                excluded = sum(c["scanStatus"]["reason"] == "EXCLUDED_BY_TAG" for c in cov)
                check(excluded == 20 * 5 * 2, "%s: %d excluded" % (region, excluded))
            calls = fake.stats()["operations"]["inspector2:ListCoverage"]
            check(calls == 2 * 10, "ListCoverage calls %d" % calls)
            print("     20 accounts x 2 regions x 50 functions: %d ListCoverage calls, %.2fs"
                  % (calls, time.monotonic() - start))


def _shape(obj):
    if isinstance(obj, dict):
        return {k: _shape(v) for k, v in obj.items() if k != "ResponseMetadata"}
    if isinstance(obj, list):
        return [_shape(obj[0])] if obj else []
    return type(obj).__name__


def t_moto_same_shapes(e):
    try:
        from moto import mock_aws
    except ImportError:
        print("     (moto not importable: shape comparison skipped)")
        return
    fake_org = e.client("organizations", "org-mgmt-ci")
    fake_insp = e.client("inspector2", "org-mgmt-ci")
    ours = {"list_accounts": _shape(fake_org.list_accounts()["Accounts"][0]),
            "describe_organization": _shape(fake_org.describe_organization()),
            "list_delegated_admin_accounts": _shape(fake_insp.list_delegated_admin_accounts()),
            "list_members": _shape(e.client("inspector2").list_members()),
            "batch_get_account_status": _shape(fake_insp.batch_get_account_status())}
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    try:
        with mock_aws():
            s = botocore.session.Session()
            org = s.create_client("organizations", region_name="us-east-1")
            org.create_organization(FeatureSet="ALL")
            insp = s.create_client("inspector2", region_name="us-east-1")
            insp.enable_delegated_admin_account(delegatedAdminAccountId=ADMIN)
            insp.associate_member(accountId=WA)
            insp.enable(accountIds=["123456789012"], resourceTypes=["LAMBDA", "LAMBDA_CODE"])
            theirs = {"list_accounts": _shape(org.list_accounts()["Accounts"][0]),
                      "describe_organization": _shape(org.describe_organization()),
                      "list_delegated_admin_accounts": _shape(insp.list_delegated_admin_accounts()),
                      "list_members": _shape(insp.list_members()),
                      "batch_get_account_status": _shape(insp.batch_get_account_status(
                          accountIds=["123456789012"]))}
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    for op in ours:
        check(ours[op] == theirs[op], "%s: fake %s, moto %s" % (op, ours[op], theirs[op]))


TESTS = [t_error_wire_shapes, t_botocore_errors_and_retries, t_paginators, t_agrees_with_lambda,
         t_ledger_fixture, t_generated_organization, t_default_fixture_unchanged, t_moto_same_shapes]


def main():
    if botocore is None:
        print("SKIP: botocore is not importable")
        return 77
    failed = 0
    with fakeaws.FakeAWS(fixture=fakeaws.ORG_FIXTURE, seed=5) as fake:
        env = Env(fake)
        for t in TESTS:
            fake.reset(state=True, faults=True)
            try:
                t(env)
                print("ok   %s" % t.__name__)
            except (AssertionError, BotoCoreError, ClientError, KeyError, ValueError, fakeaws.FakeAWSError) as exc:
                failed += 1
                print("FAIL %s: %s" % (t.__name__, exc))
    print("%d passed, %d failed" % (len(TESTS) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
