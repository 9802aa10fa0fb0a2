"""The default credential chain end to end against the fake AWS: static profile, credential_process (success,
failing, malformed JSON), web identity token file, ECS container and IMDSv2 credentials, the combined error, and no
secret in any output (--debug too)."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import check, fake_secrets, fakeaws, finish, write  # noqa: E402
import credlib  # noqa: E402

AKID, SECRET, ACCOUNT, USER_ARN = fakeaws.CREDENTIALS["ci"]
OIDC_TOKEN = "fake-oidc-token-main-0001"
ROLE_ARN = "arn:aws:iam::111111111111:role/GitHubActionsOIDC"


def run(env, *extra):
    """`whoami --format json` unparsed: (exit code, stdout, stderr); each step greps its own output for secrets."""
    return credlib.run(env, "whoami", "--format", "json", *extra)


ECS_TOKEN = "fake-ecs-auth-token-0001"
# The fake's temporary credentials (web identity, ECS, IMDS) derive from its seed (0 here) and a counter; its session
# tokens start with FwoGZXIvYXdzE and its IMDS tokens with AQAEAFake.
TEMPORARY = tuple(fake_secrets(0, 60)) + ("FwoGZXIvYXdzE", "AQAEAFake", ECS_TOKEN)


def no_secrets(text, what, extra=()):
    for s in (SECRET, OIDC_TOKEN) + TEMPORARY + tuple(extra):
        check(s not in text, f"{what}: a secret value appears in the output")


tmp = credlib.scratch_dir("il-creds-")
try:
    with fakeaws.FakeAWS() as fake:
        base = credlib.env_without_keys(fake, tmp)  # HOME=tmp: no real ~/.aws
        config = os.path.join(tmp, "config")
        creds = os.path.join(tmp, "credentials")

        # 1. static keys in the credentials file, a named profile selected by AWS_PROFILE
        write(creds, f"[default]\naws_access_key_id = AKIDWRONG0000000000\naws_secret_access_key = nope\n\n"
                     f"# the one we want\n[ci]\naws_access_key_id = {AKID}\nAWS_Secret_Access_Key = {SECRET}\n")
        env = dict(base, AWS_SHARED_CREDENTIALS_FILE=creds, AWS_CONFIG_FILE=config, AWS_PROFILE="ci")
        rc, out, err = run(env, "--debug")
        check(rc == 0, f"static profile: whoami exits 0 (got {rc}, {err!r})")
        if rc == 0:
            doc = json.loads(out)
            check(doc["arn"] == USER_ARN, "static profile: identity is user ci")
            check(doc["credentials"]["source"] == "profile", f"static profile: source {doc['credentials']!r}")
        no_secrets(out + err, "static profile")

        # 2. credential_process in the config file ([profile NAME]); prints temporary-looking JSON
        script = os.path.join(tmp, "creds process.sh")
        write(script, "#!/bin/sh\necho 'a line on stderr' >&2\n"
                      f"printf '{{\"Version\": 1, \"AccessKeyId\": \"{AKID}\", \"SecretAccessKey\": \"{SECRET}\", "
                      f"\"Expiration\": \"2099-01-01T00:00:00Z\"}}'\n", 0o700)
        write(config, f"[profile proc]\nregion = us-east-1\ncredential_process = \"{script}\" --flag\n"
                      "[profile fails]\ncredential_process = sh -c 'echo partial; exit 3'\n"
                      "[profile badjson]\ncredential_process = echo '{\"Version\": 1, \"AccessKeyId\": '\n"
                      "[profile norole]\nrole_arn = arn:aws:iam::111111111111:role/InspectorLedgerAudit\n")
        write(creds, "")
        env = dict(base, AWS_SHARED_CREDENTIALS_FILE=creds, AWS_CONFIG_FILE=config, AWS_PROFILE="proc")
        rc, out, err = run(env, "--debug")
        check(rc == 0, f"credential_process: whoami exits 0 (got {rc}, {err!r})")
        if rc == 0:
            doc = json.loads(out)
            check(doc["arn"] == USER_ARN, "credential_process: identity")
            check(doc["credentials"]["source"] == "credential_process",
                  f"credential_process: source {doc['credentials']!r}")
        no_secrets(out + err, "credential_process")

        env["AWS_PROFILE"] = "fails"
        rc, out, err = run(env)
        check(rc == 3, f"failing credential_process exits 3 (got {rc})")
        check("'fails'" in err and "exit status 3" in err, f"failing process named with its status: {err!r}")

        env["AWS_PROFILE"] = "badjson"
        rc, out, err = run(env)
        check(rc == 3, f"malformed credential_process output exits 3 (got {rc})")
        check("'badjson'" in err and "JSON" in err, f"malformed JSON is reported: {err!r}")
        check("AccessKeyId\": " not in err, "the process output is not echoed")

        env["AWS_PROFILE"] = "norole"
        rc, out, err = run(env)
        check(rc == 3 and "role_arn" in err, f"unsupported role_arn fails closed: {rc} {err!r}")

        # 3. web identity token file (GitHub Actions OIDC); beats the profile as in the SDKs
        token_file = os.path.join(tmp, "token")
        write(token_file, OIDC_TOKEN + "\n")
        env = dict(base, AWS_WEB_IDENTITY_TOKEN_FILE=token_file, AWS_ROLE_ARN=ROLE_ARN,
                   AWS_ROLE_SESSION_NAME="ci-run-42", AWS_CONFIG_FILE=config, AWS_PROFILE="proc")
        rc, out, err = run(env, "--debug")
        check(rc == 0, f"web identity: whoami exits 0 (got {rc}, {err!r})")
        if rc == 0:
            doc = json.loads(out)
            check(doc["account"] == ACCOUNT and "GitHubActionsOIDC" in doc["arn"],
                  f"web identity: assumed role identity {doc['arn']!r}")
            check(doc["credentials"]["source"] == "web-identity", f"web identity: source {doc['credentials']!r}")
            check(doc["credentials"]["temporary"] is True, "web identity credentials are temporary")
        no_secrets(out + err, "web identity", extra=tuple(fake.issued_secrets()))

        write(token_file, "fake-oidc-token-expired-0001\n")
        rc, out, err = run(env)
        check(rc == 3 and "AssumeRoleWithWebIdentity" in err, f"expired token is refused: {rc} {err!r}")
        check("fake-oidc-token-expired-0001" not in out + err, "refused token is not echoed")

        env.pop("AWS_ROLE_ARN")
        rc, out, err = run(env)
        check(rc == 3 and "AWS_ROLE_ARN" in err, f"token file without role fails closed: {rc} {err!r}")

        # 4. container credentials and instance metadata (IMDSv2), traced with --debug
        env = dict(base, AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.endpoint + "/ecs/credentials",
                   AWS_CONTAINER_AUTHORIZATION_TOKEN=ECS_TOKEN)
        rc, out, err = run(env, "--debug")
        check(rc == 0 and json.loads(out)["credentials"]["source"] == "ecs", f"ecs: whoami ({rc}, {err!r})")
        no_secrets(out + err, "ecs")
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "fake-ecs-wrong-token"
        rc, out, err = run(env, "--debug")
        check(rc == 3 and "HTTP 401" in err, f"ecs wrong token: refused ({rc}, {err!r})")
        no_secrets(out + err, "ecs wrong token", ("fake-ecs-wrong-token",))
        env = dict(base, AWS_EC2_METADATA_DISABLED="false", AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.endpoint)
        rc, out, err = run(env, "--debug")
        check(rc == 0 and json.loads(out)["credentials"]["source"] == "imds", f"imds: whoami ({rc}, {err!r})")
        check("X-aws-ec2-metadata-token" not in out + err, "the IMDS token header is not traced")
        no_secrets(out + err, "imds")

        # 5. nothing works: one error naming every source tried
        env = dict(base, AWS_CONFIG_FILE=os.path.join(tmp, "missing-config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "missing-credentials"))
        rc, out, err = run(env)
        check(rc == 3, f"no credentials exits 3 (got {rc})")
        for source in ("environment:", "web-identity:", "profile:", "ecs: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                       "imds: disabled by AWS_EC2_METADATA_DISABLED"):
            check(source in err, f"combined error lists {source} {err!r}")
        # with IMDS enabled but nothing listening (a laptop): still one quick error, naming the endpoint
        dead = dict(env, AWS_EC2_METADATA_DISABLED="false", AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:9")
        rc, out, err = run(dead)
        check(rc == 3 and "imds: no instance metadata service at http://127.0.0.1:9" in err,
              f"unreachable IMDS is reported as not found: {rc} {err!r}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("credentials chain")
