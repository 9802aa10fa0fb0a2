#!/usr/bin/env python3
"""The C AWS client against moto (`python3 -m moto.server`), an AWS mock nobody here wrote, with botocore as the
oracle: whatever botocore reads from moto, il_aws must read too. Functions and tags are created with botocore
first. moto does not paginate ListFunctions, does not return KMSKeyArn and does not check signatures, so this
complements test_aws_client_fake.py. Operations moto does not implement are reported, not failed.
Exit 0 pass, 1 fail (any disagreement), 77 skip (moto or botocore is not importable by this python).
"""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402  (importing it guards this process with the refusing loopback proxy)

try:
    import moto  # noqa: F401
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as exc:
    print("skip: %s (moto and botocore are needed for this test)" % exc)
    sys.exit(77)

TOOL = os.path.join(os.environ.get("IL_TOOLS_DIR", "build/tools"), "il_aws")
ACCOUNT = "123456789012"
FAILURES = []
OUTPUT = []
SECRET = "mOtOtEsTsEcReTkEy0000000000000000000000"


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(port):
    out_dir = os.environ.get("IL_TEST_OUT") or tempfile.gettempdir()
    os.makedirs(out_dir, exist_ok=True)
    log = open(os.path.join(out_dir, "moto-server.log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 120  # moto.server imports slowly on a loaded machine
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("moto.server exited with %s" % proc.returncode)
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/moto-api/" % port, timeout=1).read()
            return proc, log
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("moto.server did not start")


def env_for(endpoint, region):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("AWS_"):
            del env[k]
    env.update({"AWS_ACCESS_KEY_ID": "AKIDMOTOTEST0000000", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": region,
                "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                "AWS_EC2_METADATA_DISABLED": "true"})
    return fakeaws.proxy_guard(env)


def il_aws(endpoint, region, *args):
    cmd = [TOOL, "--endpoint-url", endpoint, "--region", region, "--debug"] + list(args)
    p = subprocess.run(cmd, env=env_for(endpoint, region), capture_output=True, text=True, timeout=120)
    OUTPUT.extend([p.stdout, p.stderr])
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        check(False, "%s: not JSON: %r %r" % (args[0], p.stdout[:200], p.stderr[-300:]))
        return p.returncode, {}


def client(session, service, endpoint, region):
    return session.create_client(service, region_name=region, endpoint_url=endpoint,
                                 aws_access_key_id="AKIDMOTOTEST0000000", aws_secret_access_key=SECRET,
                                 config=Config(retries={"mode": "standard"}))


def zip_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(e, c):\n    return 1\n")
    return buf.getvalue()


def seed(session, endpoint):
    iam = client(session, "iam", endpoint, "us-east-1")
    role = iam.create_role(RoleName="il-lambda-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    iam.create_role(RoleName="il-audit", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT},
                                                "Action": "sts:AssumeRole"}]}))
    code = zip_bytes()
    created = {}
    for region, count in (("us-east-1", 7), ("eu-west-1", 2)):
        lam = client(session, "lambda", endpoint, region)
        for i in range(count):
            tags = {"team": "t%d" % (i % 3), "odd value": "a=b&c d/é"}
            if i % 2 == 0:
                tags["InspectorExclusion"] = "LambdaStandardScanning"
            name = "il-fn-%s-%d" % (region, i)
            lam.create_function(FunctionName=name, Runtime=("python3.12", "nodejs20.x")[i % 2], Role=role,
                                Handler="index.handler", Code={"ZipFile": code}, Tags=tags)
            created.setdefault(region, []).append(name)
    return created


def compare(session, endpoint):
    for region in ("us-east-1", "eu-west-1"):
        lam = client(session, "lambda", endpoint, region)
        want = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
        rc, out = il_aws(endpoint, region, "list-functions")
        got = {f["name"]: f for f in out.get("result", {}).get("functions", [])}
        check(rc == 0 and set(got) == set(want), "%s ListFunctions: %s vs %s" % (region, sorted(got), sorted(want)))
        for name, f in want.items():
            g = got.get(name, {})
            check(g.get("arn") == f["FunctionArn"] and g.get("runtime") == f.get("Runtime"),
                  "%s function %s fields" % (region, name))
        rc, out = il_aws(endpoint, region, "list-tags-all")
        tags = {r["arn"]: r.get("tags") for r in out.get("result", {}).get("results", [])}
        for name, f in want.items():
            oracle = lam.list_tags(Resource=f["FunctionArn"])["Tags"]
            check(tags.get(f["FunctionArn"]) == oracle, "%s ListTags %s: %s vs %s"
                  % (region, name, tags.get(f["FunctionArn"]), oracle))
        tagging = client(session, "resourcegroupstaggingapi", endpoint, region)
        try:
            oracle = tagging.get_resources(ResourceTypeFilters=["lambda:function"],
                                           TagFilters=[{"Key": "InspectorExclusion"}])["ResourceTagMappingList"]
        except ClientError as exc:
            print("moto: GetResources not available: %s" % exc)
            oracle = None
        if oracle is not None:
            rc, out = il_aws(endpoint, region, "get-resources", "InspectorExclusion")
            got_arns = sorted(r["arn"] for r in out.get("result", {}).get("resources", []))
            check(rc == 0 and got_arns == sorted(r["ResourceARN"] for r in oracle),
                  "%s GetResources: %s vs %s" % (region, got_arns, sorted(r["ResourceARN"] for r in oracle)))

    lam = client(session, "lambda", endpoint, "us-east-1")
    name = "il-fn-us-east-1-0"
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    rc, out = il_aws(endpoint, "us-east-1", "get-function", name, "il-missing")
    fl = out.get("result", {}).get("functions", [{}, {}])
    check(rc == 0 and fl[0].get("found") and fl[0]["function"]["arn"] == arn and fl[1].get("found") is False,
          "GetFunction found / not found: %s" % out)
    rc, _ = il_aws(endpoint, "us-east-1", "tag-resource", arn, "il-new=v 1", "team=changed")
    check(rc == 0 and lam.list_tags(Resource=arn)["Tags"].get("il-new") == "v 1", "TagResource seen by botocore")
    rc, _ = il_aws(endpoint, "us-east-1", "untag-resource", arn, "il-new", "odd value")
    t = lam.list_tags(Resource=arn)["Tags"]
    check(rc == 0 and "il-new" not in t and "odd value" not in t and t.get("team") == "changed",
          "UntagResource seen by botocore: %s" % t)

    sts = client(session, "sts", endpoint, "us-east-1")
    oracle = sts.get_caller_identity()
    rc, out = il_aws(endpoint, "us-east-1", "get-caller-identity")
    check(rc == 0 and out["result"]["account"] == oracle["Account"] and out["result"]["arn"] == oracle["Arn"],
          "GetCallerIdentity: %s vs %s" % (out.get("result"), oracle))
    role_arn = "arn:aws:iam::%s:role/il-audit" % ACCOUNT
    rc, out = il_aws(endpoint, "us-east-1", "assume-role", role_arn, "il-moto")
    r = out.get("result", {})
    check(rc == 0 and r.get("assumed_role_arn", "").endswith("assumed-role/il-audit/il-moto")
          and r.get("identity", {}).get("arn", "").endswith("assumed-role/il-audit/il-moto"),
          "AssumeRole and the assumed identity: %s" % r)

    insp = client(session, "inspector2", endpoint, "us-east-1")
    try:
        oracle = insp.batch_get_account_status(accountIds=[ACCOUNT])["accounts"]
    except ClientError as exc:
        print("moto: BatchGetAccountStatus not available: %s" % exc)
        oracle = None
    if oracle is not None:
        rc, out = il_aws(endpoint, "us-east-1", "batch-get-account-status", ACCOUNT)
        got = out.get("result", {}).get("accounts", [])
        check(rc == 0 and [a["account_id"] for a in got] == [a["accountId"] for a in oracle]
              and [a["status"] for a in got] == [a["state"]["status"] for a in oracle],
              "BatchGetAccountStatus: %s vs %s" % (got, oracle))
    try:
        oracle = insp.list_coverage()["coveredResources"]
    except (ClientError, Exception) as exc:  # moto raises NotImplementedError as a 500
        print("moto: ListCoverage not available: %s" % str(exc)[:120])
        oracle = None
    if oracle is not None:
        rc, out = il_aws(endpoint, "us-east-1", "list-coverage")
        check(rc == 0, "ListCoverage: %s" % out.get("error"))


def main():
    if not os.access(TOOL, os.X_OK):
        print("il_aws tool not built at %s" % TOOL, file=sys.stderr)
        return 1
    port = free_port()
    proc, log = start_moto(port)
    endpoint = "http://127.0.0.1:%d" % port
    try:
        session = botocore.session.get_session()
        for k in ("AWS_PROFILE", "AWS_CONFIG_FILE"):
            os.environ.pop(k, None)
        seed(session, endpoint)
        compare(session, endpoint)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    text = "\n".join(OUTPUT)
    check(SECRET not in text, "the secret key appeared in the client's output")
    check("Authorization: REDACTED" in text, "the debug trace was captured")
    if FAILURES:
        print("%d disagreement(s) with moto/botocore" % len(FAILURES), file=sys.stderr)
        return 1
    print("aws client against moto: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
