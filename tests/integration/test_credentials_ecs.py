"""ECS container credentials end to end against the fake AWS (its container endpoint, on loopback): FULL_URI with the
authorization token from the variable and from a file (re-read, and beating the variable), a wrong or missing token
refused, plain http to a host that is not allowed refused before any request, a CR/LF token refused, `check`
through ECS credentials, no secret in any output (--debug too), and the official AWS CLI finding the same identity.

RELATIVE_URI always means http://169.254.170.2 (not loopback), so it is covered by the unit tests only."""
import http.client
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import check, fake_secrets, fakeaws, finish, no_secrets_in_output, run, whoami, write  # noqa: E402
import credlib  # noqa: E402

SEED = 11
AUTH = "fake-ecs-auth-token-0001"  # what the default fixture's ECS endpoint wants (tests/fake-aws/fixtures)
ECS_ARN = "arn:aws:sts::222222222222:assumed-role/InspectorLedgerAudit/i-0fake00000000000a"


def secret_values():
    """Everything secret the fake can have handed out in this run: its temporary credentials, the ECS token."""
    return [AUTH, "wrong-ecs-token-0002", "FwoGZXIvYXdzE"] + fake_secrets(SEED, 60)


tmp = credlib.scratch_dir("il-ecs-")
try:
    with fakeaws.FakeAWS(seed=SEED) as fake:
        base = credlib.env_without_keys(fake, tmp)
        url = fake.endpoint + "/ecs/credentials"
        ecs = dict(base, AWS_CONTAINER_CREDENTIALS_FULL_URI=url, AWS_CONTAINER_AUTHORIZATION_TOKEN=AUTH)

        # 1. FULL_URI on loopback with the token variable
        rc, doc, err = whoami(ecs, "--debug")
        check(rc == 0, f"ecs: whoami exits 0 (got {rc}, {err!r})")
        check(doc.get("arn") == ECS_ARN and doc.get("account") == "222222222222", f"ecs: identity {doc!r}")
        check(doc.get("credentials", {}).get("source") == "ecs", f"ecs: source {doc.get('credentials')!r}")
        check(doc.get("credentials", {}).get("temporary") is True, "ecs: credentials are temporary")
        check("credentials from provider 'ecs'" in err, "--debug says which provider answered")
        check(fake.stats()["metadata"]["ecs"] == 1, "ecs: one request to the container endpoint")

        # 2. the token file beats the variable, and is read on every run
        token_file = os.path.join(tmp, "ecs-token")
        write(token_file, AUTH)
        env = dict(ecs, AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-ecs-token-0002",
                   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=token_file)
        rc, doc, err = whoami(env, "--debug")
        check(rc == 0 and doc.get("arn") == ECS_ARN, f"ecs token file: identity ({rc}, {err!r})")
        write(token_file, "wrong-ecs-token-0002")
        rc, doc, err = whoami(env)
        check(rc == 3 and "HTTP 401" in err, f"ecs token file rewritten with a wrong token: refused ({rc}, {err!r})")
        write(token_file, AUTH + "\n")
        rc, doc, err = whoami(env)
        check(rc == 3 and "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE holds a line break" in err,
              f"ecs token file with a newline: refused ({rc}, {err!r})")

        # 3. a wrong token, and none: the endpoint refuses; the chain stops there (fail closed), naming the endpoint
        for token, what in (("wrong-ecs-token-0002", "wrong token"), (None, "no token")):
            env = dict(ecs)
            if token is None:
                env.pop("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            else:
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token
            rc, doc, err = whoami(env, "--debug")
            check(rc == 3, f"ecs {what}: exits 3 (got {rc})")
            check(f"ecs: the container credentials endpoint {url} refused: HTTP 401 AccessDenied" in err,
                  f"ecs {what}: the refusal is explained: {err!r}")
            check("imds:" not in err, f"ecs {what}: the chain stopped at the broken source: {err!r}")

        # 4. plain http to a host that is not loopback or an ECS/EKS agent: refused before any request is made
        before = fake.stats()["metadata"]["ecs"]
        env = dict(ecs, AWS_CONTAINER_CREDENTIALS_FULL_URI="http://192.0.2.10/ecs/credentials")
        rc, doc, err = whoami(env)
        check(rc == 3 and "plain http to host '192.0.2.10' is refused" in err, f"http to 192.0.2.10: {rc} {err!r}")
        env = dict(ecs, AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1@192.0.2.10/ecs/credentials")
        rc, doc, err = whoami(env)
        check(rc == 3 and "is not an http:// or https:// URL" in err, f"user info in FULL_URI: {rc} {err!r}")
        check(fake.stats()["metadata"]["ecs"] == before, "refused URLs are never requested")
        # localhost is a loopback name the SDKs allow
        env = dict(ecs, AWS_CONTAINER_CREDENTIALS_FULL_URI="http://localhost:%d/ecs/credentials" % fake.port)
        rc, doc, err = whoami(env)
        check(rc == 0 and doc.get("arn") == ECS_ARN, f"ecs via localhost ({rc}, {err!r})")

        # 5. the container source comes after environment and profile: static keys in the environment still win
        akid, secret, _, user_arn = fakeaws.CREDENTIALS["ci"]
        env = dict(ecs, AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret)
        rc, doc, err = whoami(env)
        check(rc == 0 and doc.get("credentials", {}).get("source") == "environment", "environment beats ecs")

        # 6. a whole `check` run on ECS credentials
        ledger = os.path.join(tmp, "ledger.yaml")
        write(ledger, "version: 1\nexclusions: []\n")
        rc, out, err = run(ecs, "check", "--format", "json", "--as-of", "2026-11-22", "--rate-limit", "2000",
                           "--debug", ledger)
        # the ECS role lives in account 222222222222, whose two tagged functions the empty ledger does not record
        check(rc == 1, f"check on ecs credentials ran and found the unrecorded exclusions (exit {rc}, {err[-2000:]!r})")
        if rc == 1:
            doc = json.loads(out)
            arns = sorted(f["function_arn"] for f in doc["findings"] if f["rule"] == "unrecorded-exclusion")
            check(arns == ["arn:aws:lambda:us-east-1:222222222222:function:prod-api",
                           "arn:aws:lambda:us-east-1:222222222222:function:prod-batch"], f"check findings {arns!r}")
        check("credentials from provider 'ecs'" in err, "check --debug names the ecs provider")

        # 7. the official AWS CLI, same environment: the same identity
        aws = fakeaws.find_aws_cli()
        if aws is None:
            print("note: no aws CLI; the cross-check is skipped")
        else:
            # --endpoint-url: Debian's CLI v2.9 predates AWS_ENDPOINT_URL
            p = subprocess.run([aws, "sts", "get-caller-identity", "--output", "json", "--endpoint-url", fake.endpoint],
                               env=fakeaws.aws_cli_env(ecs), capture_output=True, text=True, timeout=120)
            cli = json.loads(p.stdout) if p.returncode == 0 else {}
            check(cli.get("Arn") == ECS_ARN, f"aws CLI finds the same ECS identity: {cli!r} {p.stderr[-500:]!r}")
            print("aws CLI (ecs):", cli.get("Arn"))

        # the derived list really holds the fake's secrets (else the grep below could not fail)
        conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=10)
        conn.request("GET", "/ecs/credentials", headers={"Authorization": AUTH})
        direct = json.loads(conn.getresponse().read())
        conn.close()
        check(direct["SecretAccessKey"] in secret_values(), "the secret list covers the fake's temporary secrets")

        # no secret value anywhere in what the tool printed
        no_secrets_in_output(secret_values(), 2000)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("ecs credentials")
