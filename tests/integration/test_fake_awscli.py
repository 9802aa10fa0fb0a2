#!/usr/bin/env python3
"""Keeps the fake AWS honest: the official AWS CLI, pointed at the fake, must list functions (all pages), tags,
tagged resources, assume roles and use the temporary credentials, read Inspector2 status and coverage, and fail
on a wrong secret exactly as it fails against AWS. Expected values are computed here from the fixture file, not
from the fake's code. The CLI is slow to start, so only what proves the wire format is here; the rest of the
fake's behaviour is covered in-process by test_fake_botocore.py. Exit 0 pass, 1 fail, 77 skip (no `aws` on this machine).
"""

import json
import math
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

AWS = fakeaws.find_aws_cli()
FIXTURE = json.load(open(fakeaws.DEFAULT_FIXTURE, encoding="utf-8"))
EXCL = ("InspectorExclusion", "LambdaStandardScanning")
CODE_EXCL = ("InspectorCodeExclusion", "LambdaCodeScanning")


def fixture_functions(account, region):
    """Independent expansion of the fixture: name -> {runtime, tags, kms}."""
    acct = next(a for a in FIXTURE["accounts"] if a["id"] == account)
    rdef = acct.get("regions", {}).get(region, {})
    out = {}
    for f in rdef.get("functions", []):
        out[f["name"]] = {"runtime": f.get("runtime"), "tags": f.get("tags", {}), "kms": f.get("kms_key_arn")}
    for g in rdef.get("generate", []):
        for i in range(g["count"]):
            tags = dict(g.get("base_tags", {}))
            for rule in g.get("tags", []):
                off, every = rule.get("offset", 0), rule.get("every", 1)
                if i >= off and (i - off) % every == 0:
                    tags.update(rule["tags"])
            kms = bool(g.get("kms_every")) and i % g["kms_every"] == 0
            out[g["name"].format(i=i)] = {"runtime": g["runtimes"][i % len(g["runtimes"])], "tags": tags,
                                          "kms": kms or None}
    return out


class CliError(Exception):
    pass


# Runs AWS CLI commands inside one long-lived interpreter: the same clidriver the `aws` script calls, without
# paying the CLI's ~1 s start-up per command (which, on a busy 2-core machine, made this test take minutes).
_WORKER = r"""
import io, json, os, sys
import awscli.clidriver as cd
if hasattr(cd, "AWSCLIEntryPoint"):            # AWS CLI v2
    run = lambda argv: cd.AWSCLIEntryPoint().main(argv)
else:                                          # AWS CLI v1
    run = lambda argv: cd.create_clidriver().main(argv)
real_out = sys.stdout
keep = {k: v for k, v in os.environ.items() if k == "AWS_DATA_PATH"}   # set by importing awscli
for line in sys.stdin:
    req = json.loads(line)
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ.update(keep)
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    try:
        rc = run(req["argv"])
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:
        err.write("worker: %r" % exc)
        rc = 255
    finally:
        sys.stdout, sys.stderr = real_out, sys.__stderr__
    real_out.write(json.dumps({"rc": rc, "out": out.getvalue(), "err": err.getvalue()}) + "\n")
    real_out.flush()
"""


def _cli_interpreter():
    """The Python that runs the aws script, when that Python can import the CLI; else None (use processes)."""
    try:
        with open(AWS, "rb") as fh:
            first = fh.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    interp = first[2:].split()
    if subprocess.run(interp + ["-c", "import awscli.clidriver"], capture_output=True, timeout=60).returncode:
        return None
    return interp


INTERPRETER = _cli_interpreter() if AWS else None


class Runner:
    def __init__(self, fake):
        self.fake = fake
        self.worker = None
        if INTERPRETER:
            self.worker = subprocess.Popen(INTERPRETER + ["-c", _WORKER], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True, env=fake.env())

    def close(self):
        if self.worker is not None:
            self.worker.stdin.close()
            self.worker.wait(timeout=30)

    def _run(self, argv, env):
        if self.worker is None:
            p = subprocess.run([AWS] + argv, env=env, capture_output=True, text=True, timeout=60)
            return p.returncode, p.stdout, p.stderr
        self.worker.stdin.write(json.dumps({"argv": argv, "env": env}) + "\n")
        self.worker.stdin.flush()
        line = self.worker.stdout.readline()
        if not line:
            raise CliError("the AWS CLI worker died")
        ans = json.loads(line)
        return ans["rc"], ans["out"], ans["err"]

    def aws(self, *args, principal="ci", region="us-east-1", env_extra=None, expect_fail=False):
        env = self.fake.env(principal=principal, region=region, endpoint_env=False)
        if env_extra:
            env.update(env_extra)
        env = fakeaws.aws_cli_env(env)
        argv = ["--endpoint-url", self.fake.endpoint, "--region", region, "--output", "json"] + list(args)
        rc, out, err = self._run(argv, env)
        if expect_fail:
            if rc == 0:
                raise CliError("expected failure, got success: %s" % " ".join(args))
            return err
        if rc != 0:
            raise CliError("aws %s failed (%d): %s" % (" ".join(args), rc, err.strip()[-800:]))
        return json.loads(out) if out.strip() else {}


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# --- the checks --------------------------------------------------------------------------------------------------

def t_list_functions_all_pages(r):
    for region in ("us-east-1",):
        want = fixture_functions("111111111111", region)
        r.fake.reset()
        got = r.aws("lambda", "list-functions", region=region)["Functions"]
        names = [f["FunctionName"] for f in got]
        check(len(names) == len(want), "%s: %d functions listed, fixture has %d" % (region, len(names), len(want)))
        check(set(names) == set(want), "%s: listed names differ from the fixture" % region)
        calls = r.fake.stats()["operations"].get("lambda:ListFunctions", 0)
        pages = max(1, math.ceil(len(want) / 50))
        check(calls == pages, "%s: %d ListFunctions calls for %d functions, want %d pages of 50"
              % (region, calls, len(want), pages))
        for f in got:
            spec = want[f["FunctionName"]]
            check(f["FunctionArn"] == "arn:aws:lambda:%s:111111111111:function:%s" % (region, f["FunctionName"]),
                  "bad FunctionArn %s" % f["FunctionArn"])
            check(f.get("Runtime") == spec["runtime"], "runtime of %s" % f["FunctionName"])
            check(bool(f.get("KMSKeyArn")) == bool(spec["kms"]), "KMSKeyArn of %s" % f["FunctionName"])
            check(f["PackageType"] in ("Zip", "Image") and f["LastModified"], "PackageType/LastModified")


def t_list_tags_and_get_function(r):
    want = fixture_functions("111111111111", "us-east-1")
    arn = "arn:aws:lambda:us-east-1:111111111111:function:hostile-tags"
    tags = r.aws("lambda", "list-tags", "--resource", arn)["Tags"]
    check(tags == want["hostile-tags"]["tags"], "list-tags of hostile-tags: %r" % tags)
    by_name = r.aws("lambda", "get-function", "--function-name", "encrypted-fn")
    check(by_name["Configuration"]["KMSKeyArn"] == want["encrypted-fn"]["kms"], "KMSKeyArn via get-function")
    check(by_name.get("Tags") == want["encrypted-fn"]["tags"], "Tags via get-function")
    err = r.aws("lambda", "get-function", "--function-name", "no-such-function", expect_fail=True)
    check("ResourceNotFoundException" in err and "Function not found" in err, "missing function: %s" % err)


def t_tag_untag(r):
    arn = "arn:aws:lambda:us-east-1:111111111111:function:untagged-fn"
    r.aws("lambda", "tag-resource", "--resource", arn, "--tags", "InspectorExclusion=LambdaStandardScanning,x=1")
    check(r.aws("lambda", "list-tags", "--resource", arn)["Tags"] ==
          {"InspectorExclusion": "LambdaStandardScanning", "x": "1"}, "tags after tag-resource")
    r.aws("lambda", "untag-resource", "--resource", arn, "--tag-keys", "InspectorExclusion", "x")
    check(r.aws("lambda", "list-tags", "--resource", arn)["Tags"] == {}, "tags after untag-resource")
    state = r.fake.state("111111111111", "us-east-1")["111111111111"]["us-east-1"]["untagged-fn"]
    check(state["tags"] == {}, "fake state after untag: %r" % state)
    r.fake.reset(state=True)


def t_get_resources(r):
    want = fixture_functions("111111111111", "us-east-1")
    excluded = {"arn:aws:lambda:us-east-1:111111111111:function:" + n for n, s in want.items()
                if s["tags"].get(EXCL[0]) == EXCL[1]}
    r.fake.reset()
    got = r.aws("resourcegroupstaggingapi", "get-resources", "--resource-type-filters", "lambda:function",
                "--tag-filters", "Key=%s,Values=%s" % EXCL, "--page-size", "5")["ResourceTagMappingList"]
    check({m["ResourceARN"] for m in got} == excluded, "tagging API exclusion set differs from the fixture")
    calls = r.fake.stats()["operations"]["tagging:GetResources"]
    check(calls == math.ceil(len(excluded) / 5), "%d GetResources pages for %d resources at 5 per page"
          % (calls, len(excluded)))


def t_sts(r):
    ident = r.aws("sts", "get-caller-identity")
    check(ident["Account"] == "111111111111" and ident["Arn"] == fakeaws.CREDENTIALS["ci"][3], "caller identity")
    role = "arn:aws:iam::222222222222:role/InspectorLedgerAudit"
    out = r.aws("sts", "assume-role", "--role-arn", role, "--role-session-name", "ledger-test",
                "--duration-seconds", "900")
    c = out["Credentials"]
    check(c["AccessKeyId"].startswith("ASIA") and c["SessionToken"] and c["Expiration"], "temporary credentials")
    check(out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/InspectorLedgerAudit/ledger-test",
          "assumed role ARN")
    temp = {"AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
            "AWS_SESSION_TOKEN": c["SessionToken"]}
    who = r.aws("sts", "get-caller-identity", env_extra=temp)
    check(who["Account"] == "222222222222" and who["UserId"].endswith(":ledger-test"), "identity with temp creds")
    fns = r.aws("lambda", "list-functions", env_extra=temp)["Functions"]
    check({f["FunctionName"] for f in fns} == set(fixture_functions("222222222222", "us-east-1")),
          "temp creds are scoped to the role's account")


def t_inspector(r):
    st = r.aws("inspector2", "batch-get-account-status")["accounts"][0]
    check(st["accountId"] == "111111111111" and st["state"]["status"] == "ENABLED", "account status")
    check(st["resourceState"]["lambda"]["status"] == "ENABLED", "lambda scanning status")
    want = fixture_functions("111111111111", "us-east-1")
    r.fake.reset()
    cov = r.aws("inspector2", "list-coverage")["coveredResources"]
    check(len(cov) == 2 * len(want), "coverage entries %d, want %d (PACKAGE+CODE)" % (len(cov), 2 * len(want)))
    check(r.fake.stats()["operations"]["inspector2:ListCoverage"] == math.ceil(2 * len(want) / 100),
          "ListCoverage pages")
    excluded = {e["resourceId"].split(":")[-1] for e in cov if e["scanType"] == "PACKAGE" and
                e["scanStatus"]["reason"] == "EXCLUDED_BY_TAG"}
    check(excluded == {n for n, s in want.items() if s["tags"].get(EXCL[0]) == EXCL[1]}, "EXCLUDED_BY_TAG set")
    flt = json.dumps({"resourceType": [{"comparison": "EQUALS", "value": "AWS_LAMBDA_FUNCTION"}],
                      "scanType": [{"comparison": "EQUALS", "value": "PACKAGE"}]})
    pkg = r.aws("inspector2", "list-coverage", "--filter-criteria", flt)["coveredResources"]
    check(len(pkg) == len(want), "filterCriteria resourceType+scanType")


def t_bad_credentials(r):
    bad = {"AWS_SECRET_ACCESS_KEY": "wrong-secret-for-negative-test"}
    err = r.aws("lambda", "list-functions", env_extra=bad, expect_fail=True)
    check("InvalidSignatureException" in err and "signature we calculated does not match" in err, err)
    err = r.aws("sts", "get-caller-identity", env_extra=bad, expect_fail=True)
    check("SignatureDoesNotMatch" in err, err)
    check("wrong-secret" not in err and fakeaws.CREDENTIALS["ci"][1] not in err, "secret echoed in an error")


TESTS = [t_list_functions_all_pages, t_list_tags_and_get_function, t_tag_untag, t_get_resources, t_sts,
         t_inspector, t_bad_credentials]


def main():
    if AWS is None:
        print("SKIP: no aws CLI (install Debian's awscli)")
        return 77
    print("using %s (%s)" % (AWS, "in one interpreter: " + " ".join(INTERPRETER) if INTERPRETER
                             else "one process per command"))
    passed = failed = 0

    results = []
    # One fake and one CLI interpreter for all checks (CPU is what a busy CI machine lacks); each check starts
    # from the fixture's state and zeroed statistics.
    with fakeaws.FakeAWS(seed=1) as fake:
        runner = Runner(fake)
        try:
            for t in TESTS:
                start = time.monotonic()
                fake.reset(state=True)
                try:
                    t(runner)
                    results.append((t.__name__, None, time.monotonic() - start))
                except (AssertionError, CliError, KeyError, ValueError, fakeaws.FakeAWSError) as exc:
                    results.append((t.__name__, exc, time.monotonic() - start))
        finally:
            runner.close()
    for name, exc, secs in results:
        if exc is None:
            passed += 1
            print("ok   %s (%.1fs)" % (name, secs))
        else:
            failed += 1
            print("FAIL %s: %s" % (name, exc))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
