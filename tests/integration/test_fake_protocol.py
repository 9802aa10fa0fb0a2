#!/usr/bin/env python3
"""The fake AWS's behaviour in detail, driven in-process by botocore (an SDK nobody here wrote): pagination
limits and tokens, name/ARN resolution, validation errors, tag filters, role chaining and trust, web identity,
temporary credential expiry, every authentication failure (missing, incomplete, skewed, wrong scope, unknown
key, disabled region), partitions, Inspector2 coverage reasons, IAM denials, HTTP keep-alive and the control
endpoints. Exit 0 pass, 1 fail, 77 without botocore.
"""

import datetime
import http.client
import json
import os
import sys
import time

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

FN = "arn:aws:lambda:us-east-1:111111111111:function:"


class Env:
    def __init__(self, fake):
        self.fake = fake
        self.session = botocore.session.Session()

    def client(self, service, principal="ci", region="us-east-1", creds=None):
        akid, secret, token = (creds or fakeaws.CREDENTIALS[principal][:2] + (None,))[:3]
        cfg = Config(retries={"mode": "standard", "max_attempts": 1}, region_name=region)
        return self.session.create_client(service, endpoint_url=self.fake.endpoint, aws_access_key_id=akid,
                                          aws_secret_access_key=secret, aws_session_token=token, config=cfg)

    def assume(self, role_arn, principal="ci", creds=None, **kw):
        out = self.client("sts", principal, creds=creds).assume_role(RoleArn=role_arn, RoleSessionName="tst", **kw)
        c = out["Credentials"]
        return (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]), out


def error_code(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except ClientError as exc:
        return exc.response["Error"]["Code"], exc.response["Error"].get("Message", ""), exc.response
    raise AssertionError("%s succeeded; an error was expected" % getattr(fn, "__name__", fn))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def raw(fake, method, path, headers=None, body=b"", conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", fake.port, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        if own:
            conn.close()


def signed_headers(fake, method, path, service, body=b"", region="us-east-1", principal="ci", headers=None):
    akid, secret = fakeaws.CREDENTIALS[principal][:2]
    req = AWSRequest(method=method, url=fake.endpoint + path, data=body, headers=dict(headers or {}))
    auth = SigV4Auth(Credentials(akid, secret), service, region)
    auth.add_auth(req)
    return dict(req.headers.items())


# --- Lambda ------------------------------------------------------------------------------------------------------

def t_lambda_pagination(e):
    lam = e.client("lambda")
    names, marker, pages = [], None, 0
    while True:
        kw = {"MaxItems": 10}
        if marker:
            kw["Marker"] = marker
        page = lam.list_functions(**kw)
        pages += 1
        check(len(page["Functions"]) <= 10, "page larger than MaxItems")
        names += [f["FunctionName"] for f in page["Functions"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    check(len(names) == 132 and names == sorted(set(names)) and pages == 14, "MaxItems=10: %d names in %d pages"
          % (len(names), pages))
    check(len(lam.list_functions(MaxItems=500)["Functions"]) == 50, "MaxItems above 50 is capped at 50")
    check(error_code(lam.list_functions, Marker="not-a-marker")[0] == "InvalidParameterValueException",
          "invalid marker")
    check(lam.list_functions()["Functions"][0]["FunctionName"] == names[0], "stable order")
    empty = e.client("lambda", region="us-west-2").list_functions()
    check(empty["Functions"] == [] and "NextMarker" not in empty, "empty region")


def t_lambda_resolution(e):
    lam = e.client("lambda")
    for ident in ("payments-api", FN + "payments-api", "111111111111:function:payments-api",
                  "payments-api:$LATEST"):
        check(lam.get_function(FunctionName=ident)["Configuration"]["FunctionArn"] == FN + "payments-api",
              "get_function %s" % ident)
    code, msg, resp = error_code(lam.get_function, FunctionName="payments-api:7")
    check(code == "ResourceNotFoundException" and resp["ResponseMetadata"]["HTTPStatusCode"] == 404, "qualifier")
    check(error_code(lam.list_tags, Resource="payments-api")[0] in ("InvalidParameterValueException",
                                                                  "ValidationException"), "ListTags wants an ARN")
    code, msg, _ = error_code(lam.list_tags, Resource="arn:aws:lambda:us-east-1:222222222222:function:prod-api")
    check(code == "AccessDeniedException" and "lambda:ListTags" in msg, "cross-account ARN: %s" % msg)
    code, msg, _ = error_code(lam.list_tags, Resource="arn:aws:lambda:eu-west-1:111111111111:function:eu-orders")
    check(code == "InvalidParameterValueException" and "not reachable" in msg, "cross-region ARN: %s" % msg)
    check(error_code(lam.tag_resource, Resource=FN + "payments-api", Tags={"aws:x": "1"})[0] ==
          "InvalidParameterValueException", "aws: tag keys are reserved")
    img = lam.get_function(FunctionName="container-fn")
    check(img["Configuration"]["PackageType"] == "Image" and "Runtime" not in img["Configuration"] and
          img["Code"]["RepositoryType"] == "ECR", "image function shape")
    check("Tags" not in lam.get_function(FunctionName="untagged-fn"), "no Tags member without tags")


# --- Tagging API -------------------------------------------------------------------------------------------------

def t_tagging(e):
    tg = e.client("resourcegroupstaggingapi")
    check(error_code(tg.get_resources, ResourcesPerPage=101)[0] == "InvalidParameterException", "per page > 100")
    check(error_code(tg.get_resources, PaginationToken="garbage")[0] == "InvalidParameterException", "bad token")
    got = tg.get_resources(TagFilters=[{"Key": "InspectorExclusion",
                                        "Values": ["lambdastandardscanning", "LambdaCodeScanning"]}])
    arns = {m["ResourceARN"] for m in got["ResourceTagMappingList"]}
    check(arns == {FN + "badcase-value", FN + "wrong-value"}, "OR within Values: %r" % arns)
    check(got["PaginationToken"] == "", "empty PaginationToken at the end")
    key_only = tg.get_resources(TagFilters=[{"Key": "inspectorexclusion"}])["ResourceTagMappingList"]
    check([m["ResourceARN"] for m in key_only] == [FN + "badcase-key"], "keys are case-sensitive")
    by_arn = tg.get_resources(ResourceARNList=[FN + "payments-api"])["ResourceTagMappingList"]
    check(len(by_arn) == 1 and {"Key": "team", "Value": "payments"} in by_arn[0]["Tags"], "ResourceARNList")
    lam = e.client("lambda")
    lam.untag_resource(Resource=FN + "payments-api", TagKeys=["team", "InspectorExclusion"])
    after = tg.get_resources(ResourceARNList=[FN + "payments-api"])["ResourceTagMappingList"]
    check(after == [{"ResourceARN": FN + "payments-api", "Tags": []}], "previously tagged stays listed: %r" % after)
    check(e.fake.state("111111111111", "us-east-1")["111111111111"]["us-east-1"]["payments-api"]["tags"] == {},
          "state endpoint after untag")
    code, msg, _ = error_code(e.client("resourcegroupstaggingapi", "no-tagging-api").get_resources)
    check(code == "AccessDeniedException" and "tag:GetResources" in msg, "tagging denied: %s" % msg)


# --- STS ---------------------------------------------------------------------------------------------------------

def t_sts_roles(e):
    audit = "arn:aws:iam::111111111111:role/InspectorLedgerAudit"
    creds, out = e.assume(audit, DurationSeconds=43200)
    check(creds[0].startswith("ASIA") and len(creds[0]) == 20, "ASIA access key id")
    exp = out["Credentials"]["Expiration"]
    check(abs((exp - datetime.datetime.now(datetime.timezone.utc)).total_seconds() - 43200) < 120, "expiration")
    chained, _ = e.assume("arn:aws:iam::111111111111:role/ChainTarget", creds=creds)
    who = e.client("sts", creds=chained).get_caller_identity()
    check(who["Arn"] == "arn:aws:sts::111111111111:assumed-role/ChainTarget/tst", "chained identity %r" % who)
    code, msg, _ = error_code(e.assume, "arn:aws:iam::111111111111:role/ChainTarget", creds=creds,
                              DurationSeconds=7200)
    check(code == "ValidationError" and "role chaining" in msg, "chain duration: %s" % msg)
    code, msg, _ = error_code(e.assume, "arn:aws:iam::222222222222:role/InspectorLedgerAudit", DurationSeconds=7200)
    check(code == "ValidationError" and "MaxSessionDuration" in msg, "max session: %s" % msg)
    code, msg, _ = error_code(e.assume, "arn:aws:iam::111111111111:role/ChainTarget")
    check(code == "AccessDenied", "untrusted principal: %s" % code)
    code, msg, _ = error_code(e.assume, "arn:aws:iam::999999999999:role/Nope")
    check(code == "AccessDenied" and "arn:aws:iam::999999999999:role/Nope" in msg, "unknown role")
    e.fake.expire_credentials(creds[0])
    code, msg, resp = error_code(e.client("lambda", creds=creds).list_functions)
    check(code == "ExpiredTokenException" and resp["ResponseMetadata"]["HTTPStatusCode"] == 403, "expired")
    check(error_code(e.client("sts", creds=creds).get_caller_identity)[0] == "ExpiredToken", "sts expired")
    bad_token = (chained[0], chained[1], chained[2][:-4] + "AAAA")
    check(error_code(e.client("lambda", creds=bad_token).list_functions)[0] == "UnrecognizedClientException",
          "wrong session token")


def t_web_identity(e):
    sts = e.client("sts")
    role = "arn:aws:iam::111111111111:role/GitHubActionsOIDC"
    out = sts.assume_role_with_web_identity(RoleArn=role, RoleSessionName="gha",
                                            WebIdentityToken="fake-oidc-token-main-0001")
    check(out["Provider"] == "token.actions.githubusercontent.com" and out["Audience"] == "sts.amazonaws.com",
          "provider/audience")
    c = out["Credentials"]
    who = e.client("sts", creds=(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])).get_caller_identity()
    check(who["Arn"] == "arn:aws:sts::111111111111:assumed-role/GitHubActionsOIDC/gha", "web identity caller")
    check(error_code(sts.assume_role_with_web_identity, RoleArn=role, RoleSessionName="gha",
                     WebIdentityToken="fake-oidc-token-expired-0001")[0] == "ExpiredTokenException", "expired jwt")
    check(error_code(sts.assume_role_with_web_identity, RoleArn="arn:aws:iam::111111111111:role/ChainTarget",
                     RoleSessionName="gha", WebIdentityToken="fake-oidc-token-main-0001")[0] == "AccessDenied",
          "role without web identity trust")
    body = ("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=%s&RoleSessionName=xx&WebIdentityToken="
            "fake-oidc-token-main-0001" % role).encode()
    status, _, data = raw(e.fake, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, body)
    check(status == 200 and b"<AccessKeyId>ASIA" in data, "unsigned AssumeRoleWithWebIdentity")


# --- authentication failures -------------------------------------------------------------------------------------

def t_auth_failures(e):
    f = e.fake
    status, hdrs, body = raw(f, "GET", "/2015-03-31/functions/")
    check(status == 403 and hdrs["x-amzn-errortype"] == "MissingAuthenticationTokenException", "missing auth")
    status, hdrs, body = raw(f, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"},
                             b"Action=GetCallerIdentity&Version=2011-06-15")
    check(status == 403 and b"<Code>MissingAuthenticationToken</Code>" in body, "sts missing auth %r" % body)
    status, hdrs, body = raw(f, "GET", "/2015-03-31/functions/",
                             {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDFAKE0000000001/20260101/us-east-1/"
                                               "lambda/aws4_request", "X-Amz-Date": "20260101T000000Z"})
    check(status == 403 and hdrs["x-amzn-errortype"] == "IncompleteSignatureException" and b"Signature" in body,
          "incomplete signature %r" % body[:300])
    f.control("POST", "/__fake/clock", {"offset_seconds": 1200})     # the server is 20 minutes ahead
    h = signed_headers(f, "GET", "/2015-03-31/functions/", "lambda")
    status, hdrs, body = raw(f, "GET", "/2015-03-31/functions/", h)
    f.control("POST", "/__fake/clock", {"offset_seconds": 0})
    check(status == 403 and b"Signature expired" in body and b"15 min" in body, "clock skew %r" % body[:300])
    h = signed_headers(f, "GET", "/2015-03-31/functions/", "tagging")
    status, hdrs, body = raw(f, "GET", "/2015-03-31/functions/", h)
    check(status == 403 and b"Credential should be scoped to correct service: 'lambda'" in body, "scope %r" % body[:300])
    h = signed_headers(f, "GET", "/2015-03-31/functions/", "lambda")
    h["X-Amz-Date"] = h["X-Amz-Date"][:-3] + "00Z" if not h["X-Amz-Date"].endswith("00Z") else \
        h["X-Amz-Date"][:-3] + "01Z"
    status, hdrs, body = raw(f, "GET", "/2015-03-31/functions/", h)
    check(status == 403 and hdrs["x-amzn-errortype"] == "InvalidSignatureException", "tampered date")
    h = signed_headers(f, "GET", "/2015-03-31/functions/", "lambda")
    status, _, _ = raw(f, "GET", "/2015-03-31/functions/?MaxItems=1", h)
    check(status == 403, "query added after signing was accepted")
    code, msg, _ = error_code(e.client("lambda", region="ap-east-1").list_functions)
    check(code == "UnrecognizedClientException", "disabled opt-in region")
    gov = e.client("lambda", "gov-ci", region="us-gov-west-1").list_functions()["Functions"]
    check([x["FunctionArn"] for x in gov] == ["arn:aws-us-gov:lambda:us-gov-west-1:444444444444:function:gov-fn"],
          "GovCloud partition")
    who = e.client("sts", "gov-ci", region="us-gov-west-1").get_caller_identity()
    check(who["Arn"] == "arn:aws-us-gov:iam::444444444444:user/gov-ci", "gov identity")
    stats = f.stats()["auth_failures"]
    check(stats.get("InvalidSignatureException", 0) >= 3, "auth failures counted: %r" % stats)


def t_frozen_clock(_e):
    with fakeaws.FakeAWS(args=["--now", "2020-01-01T00:00:00Z"]) as f:
        e = Env(f)
        code, msg, _ = error_code(e.client("lambda").list_functions)
        check(code == "InvalidSignatureException" and "Signature not yet current" in msg, "frozen clock: %s" % msg)
        f.configure(max_skew_seconds=0)
        check(len(e.client("lambda").list_functions()["Functions"]) == 50, "skew check disabled")


# --- Inspector2 --------------------------------------------------------------------------------------------------

def t_inspector(e):
    insp = e.client("inspector2")
    st = insp.batch_get_account_status(accountIds=["111111111111", "222222222222"])
    check([a["accountId"] for a in st["accounts"]] == ["111111111111", "222222222222"], "delegated admin view")
    prod_state = st["accounts"][1]["resourceState"]
    check(prod_state["lambda"]["status"] == "ENABLED", "prod Lambda scanning on")
    if "lambdaCode" in prod_state:          # older botocore models do not know lambdaCode and drop it
        check(prod_state["lambdaCode"]["status"] == "DISABLED", "prod code scanning off")
    prod, _ = e.assume("arn:aws:iam::222222222222:role/InspectorLedgerAudit")
    st = e.client("inspector2", creds=prod).batch_get_account_status(accountIds=["111111111111"])
    check(st["accounts"] == [] and st["failedAccounts"][0]["errorCode"] == "ACCESS_DENIED", "non-admin view")
    cov = {}
    for page in insp.get_paginator("list_coverage").paginate():
        for c in page["coveredResources"]:
            cov[(c["resourceId"].split(":")[-1], c["scanType"])] = c["scanStatus"]["reason"]
    check(cov[("payments-api", "PACKAGE")] == "EXCLUDED_BY_TAG", "standard exclusion")
    check(cov[("payments-worker", "PACKAGE")] == "SUCCESSFUL" and cov[("payments-worker", "CODE")] ==
          "EXCLUDED_BY_TAG", "code exclusion")
    check(cov[("encrypted-fn", "PACKAGE")] == "ACCESS_DENIED_TO_ENCRYPTION_KEY", "CMK function")
    check(cov[("badcase-key", "PACKAGE")] == "SUCCESSFUL", "a malformed key does not exclude")
    check(error_code(insp.list_coverage, maxResults=201)[0] == "ValidationException", "maxResults > 200")
    sandbox, _ = e.assume("arn:aws:iam::333333333333:role/InspectorLedgerAudit")
    check(e.client("inspector2", creds=sandbox).list_coverage()["coveredResources"] == [], "disabled account")
    code, msg, _ = error_code(e.client("lambda", creds=sandbox).list_tags,
                              Resource="arn:aws:lambda:us-east-1:333333333333:function:sandbox-toy")
    check(code == "AccessDeniedException" and msg.startswith("User: arn:aws:sts::333333333333:assumed-role/"
                                                             "InspectorLedgerAudit/tst is not authorized to perform: "
                                                             "lambda:ListTags on resource: "), msg)


def t_keepalive_and_control(e):
    f = e.fake
    conn = http.client.HTTPConnection("127.0.0.1", f.port, timeout=10)
    try:
        socks = set()
        for _ in range(3):
            h = signed_headers(f, "GET", "/2015-03-31/functions/?MaxItems=1", "lambda")
            status, hdrs, body = raw(f, "GET", "/2015-03-31/functions/?MaxItems=1", h, conn=conn)
            check(status == 200 and len(json.loads(body)["Functions"]) == 1, "keep-alive request")
            socks.add(id(conn.sock))
        check(len(socks) == 1, "the connection was not kept alive")
    finally:
        conn.close()
    lam = e.client("lambda")
    lam.tag_resource(Resource=FN + "untagged-fn", Tags={"k": "v"})
    check(f.state("111111111111")["111111111111"]["us-east-1"]["untagged-fn"]["tags"] == {"k": "v"}, "state")
    f.reset(stats=False, state=True)
    check(lam.list_tags(Resource=FN + "untagged-fn")["Tags"] == {}, "reset state")
    status, _, _ = raw(f, "GET", "/__fake/nope")
    check(status == 404, "unknown control endpoint")
    f.control("POST", "/__fake/clock", {"offset_seconds": -3600})
    code, msg, _ = error_code(lam.list_functions)
    check("Signature not yet current" in msg, "clock offset: %s" % msg)
    f.control("POST", "/__fake/clock", {"offset_seconds": 0})
    ops = f.stats()["operations"]
    check(ops.get("lambda:ListFunctions", 0) == 3 and ops.get("lambda:TagResource") == 1, "stats %r" % ops)


def t_metadata(e):
    """IMDSv2 and the ECS credentials endpoint, read by botocore's own fetchers."""
    import botocore.utils as bu
    f = e.fake
    status, _, _ = raw(f, "GET", "/latest/meta-data/iam/security-credentials/")
    check(status == 401, "IMDS without a token: %d" % status)
    status, _, _ = raw(f, "PUT", "/latest/api/token")
    check(status == 400, "IMDS token without a TTL: %d" % status)
    status, _, token = raw(f, "PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    status, _, role = raw(f, "GET", "/latest/meta-data/iam/security-credentials/",
                          {"X-aws-ec2-metadata-token": token.decode()})
    check(status == 200 and role == b"InspectorLedgerAudit", "IMDS role listing %r" % role)
    # the test environment turns IMDS off (AWS_EC2_METADATA_DISABLED, cmake/tests.cmake); this fetcher is on loopback
    creds = bu.InstanceMetadataFetcher(base_url=f.endpoint, timeout=5, env={}).retrieve_iam_role_credentials()
    check(creds.get("access_key", "").startswith("ASIA") and creds.get("token"), "botocore IMDS fetcher")
    who = e.client("sts", creds=(creds["access_key"], creds["secret_key"], creds["token"])).get_caller_identity()
    check(who["Account"] == "111111111111", "instance role identity %r" % who)
    url = f.endpoint + "/ecs/credentials"
    fetcher = bu.ContainerMetadataFetcher(sleep=lambda _s: None)
    try:
        fetcher.retrieve_full_uri(url, headers={"Authorization": "wrong"})
        raise AssertionError("ECS endpoint accepted a wrong authorization token")
    except bu.MetadataRetrievalError:
        pass
    ecs = fetcher.retrieve_full_uri(url, headers={"Authorization": "fake-ecs-auth-token-0001"})
    who = e.client("sts", creds=(ecs["AccessKeyId"], ecs["SecretAccessKey"], ecs["Token"])).get_caller_identity()
    check(who["Account"] == "222222222222", "ECS role identity %r" % who)
    f.control("POST", "/__fake/metadata", {"ecs": {"path": "/ecs/credentials", "duration_seconds": 60,
                                                   "role_arn": "arn:aws:iam::222222222222:role/InspectorLedgerAudit"}})
    short = fetcher.retrieve_full_uri(url)
    left = (datetime.datetime.strptime(short["Expiration"], "%Y-%m-%dT%H:%M:%SZ") -
            datetime.datetime.utcnow()).total_seconds()
    check(0 < left <= 61, "short-lived ECS credentials: %.0fs left" % left)
    f.control("POST", "/__fake/metadata", {"ecs": None})
    check(f.stats()["metadata"]["imds"] >= 5 and f.stats()["metadata"]["ecs"] >= 3, "metadata stats")


TESTS = [t_metadata, t_lambda_pagination, t_lambda_resolution, t_tagging, t_sts_roles, t_web_identity, t_auth_failures,
         t_frozen_clock, t_inspector, t_keepalive_and_control]


def main():
    if botocore is None:
        print("SKIP: botocore is not importable (Debian: python3-botocore)")
        return 77
    passed = failed = 0
    with fakeaws.FakeAWS(seed=5) as fake:
        env = Env(fake)
        for t in TESTS:
            start = time.monotonic()
            fake.reset(state=True)
            try:
                t(env)
                passed += 1
                print("ok   %s (%.1fs)" % (t.__name__, time.monotonic() - start))
            except (AssertionError, BotoCoreError, ClientError, KeyError, ValueError, TypeError,
                    fakeaws.FakeAWSError) as exc:
                failed += 1
                print("FAIL %s: %s" % (t.__name__, exc))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
