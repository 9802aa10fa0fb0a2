"""EC2 instance metadata (IMDSv2) end to end against the fake AWS, whose IMDS enforces tokens (401 without one) on
loopback: AWS_EC2_METADATA_SERVICE_ENDPOINT and the profile's ec2_metadata_service_endpoint, the token-first request
sequence (proved from the fake's request log), AWS_EC2_METADATA_DISABLED, a bad endpoint mode, container credentials
winning over instance metadata, credentials that expire in the middle of a `check` run being fetched again, no secret
in any output (--debug too), and the official AWS CLI finding the same identity.

The real endpoints (169.254.169.254, fd00:ec2::254) are never contacted: every run names the fake's endpoint."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import BIN, OUTPUT, check, fake_secrets, fakeaws, finish, no_secrets_in_output, write  # noqa: E402
import credlib  # noqa: E402

SEED = 13
IMDS_ARN = "arn:aws:sts::111111111111:assumed-role/InspectorLedgerAudit/i-0fake00000000000a"


def whoami(env, *extra):
    return credlib.whoami(env, *extra, timeout=300)


def imds_count(fake):
    return fake.stats()["metadata"]["imds"]


def metadata_log(path):
    with open(path) as f:
        return [line.strip() for line in f if line.startswith("metadata ")]


tmp = credlib.scratch_dir("il-imds-")
log = os.path.join(tmp, "fake.log")
try:
    with fakeaws.FakeAWS(seed=SEED, log=log) as fake:
        base = credlib.env_without_keys(fake, tmp)
        imds = dict(base, AWS_EC2_METADATA_DISABLED="false", AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.endpoint)

        # 0. the fake really enforces IMDSv2: a request without a token is refused
        conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=10)
        conn.request("GET", "/latest/meta-data/iam/security-credentials/")
        check(conn.getresponse().status == 401, "the fake refuses an IMDS request without a token")
        conn.close()

        # 1. IMDSv2 through AWS_EC2_METADATA_SERVICE_ENDPOINT: token, role, credentials, each sent with the token
        start = len(metadata_log(log))
        rc, doc, err = whoami(imds, "--debug")
        check(rc == 0, f"imds: whoami exits 0 (got {rc}, {err!r})")
        check(doc.get("arn") == IMDS_ARN and doc.get("account") == "111111111111", f"imds: identity {doc!r}")
        check(doc.get("credentials", {}).get("source") == "imds", f"imds: source {doc.get('credentials')!r}")
        check(doc.get("credentials", {}).get("temporary") is True, "imds: credentials are temporary")
        check("credentials from provider 'imds'" in err, "--debug says which provider answered")
        lines = metadata_log(log)[start:]
        check(lines == ["metadata PUT /latest/api/token status=200",
                        "metadata GET /latest/meta-data/iam/security-credentials/ status=200",
                        "metadata GET /latest/meta-data/iam/security-credentials/InspectorLedgerAudit status=200"],
              f"imds: token first, then role and credentials, all accepted (the fake answers 401 without the "
              f"token): {lines!r}")

        # 2. the same endpoint from the profile (trailing slash and all)
        config = os.path.join(tmp, "config")
        write(config, f"[profile ec2]\nec2_metadata_service_endpoint = {fake.endpoint}/\n"
                      "ec2_metadata_service_endpoint_mode = IPv6\nmetadata_service_timeout = 2\n")
        env = dict(base, AWS_EC2_METADATA_DISABLED="false", AWS_CONFIG_FILE=config, AWS_PROFILE="ec2")
        rc, doc, err = whoami(env)
        check(rc == 0 and doc.get("credentials", {}).get("source") == "imds" and doc.get("arn") == IMDS_ARN,
              f"imds endpoint from the profile ({rc}, {err!r})")

        # 3. disabled: nothing is asked; the combined error says so
        before = imds_count(fake)
        rc, doc, err = whoami(dict(imds, AWS_EC2_METADATA_DISABLED="TRUE"))
        check(rc == 3 and "imds: disabled by AWS_EC2_METADATA_DISABLED" in err, f"imds disabled: {rc} {err!r}")
        check(imds_count(fake) == before, "imds disabled: no request reached the metadata service")

        # 4. a bad endpoint mode or timeout is a configuration error that stops the chain
        rc, doc, err = whoami(dict(imds, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE="IPv5"))
        check(rc == 3 and "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6" in err,
              f"bad endpoint mode: {rc} {err!r}")
        rc, doc, err = whoami(dict(imds, AWS_METADATA_SERVICE_TIMEOUT="0.5"))
        check(rc == 3 and "AWS_METADATA_SERVICE_TIMEOUT must be a whole number" in err, f"bad timeout: {rc} {err!r}")
        check(imds_count(fake) == before, "a bad setting sends nothing")

        # 5. botocore's order: container credentials before instance metadata
        env = dict(imds, AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.endpoint + "/ecs/credentials",
                   AWS_CONTAINER_AUTHORIZATION_TOKEN="fake-ecs-auth-token-0001")
        rc, doc, err = whoami(env)
        check(rc == 0 and doc.get("credentials", {}).get("source") == "ecs", f"ecs before imds ({rc}, {err!r})")
        check(imds_count(fake) == before, "imds is not asked when the container answered")

        # 6. credentials that expire in the middle of a run are fetched again from IMDS
        ledger = os.path.join(tmp, "ledger.yaml")
        write(ledger, "version: 1\nexclusions: []\n")
        cmd = [BIN, "check", "--format", "json", "--as-of", "2026-11-22", "--rate-limit", "2000", "--debug", ledger]
        p = subprocess.run(cmd, env=imds, capture_output=True, text=True, timeout=300)
        OUTPUT.append(p.stdout + p.stderr)
        check(p.returncode == 1, f"check on imds credentials: exit {p.returncode} {p.stderr[-1500:]!r}")
        reference = sorted(f["function_arn"] for f in json.loads(p.stdout)["findings"]) if p.returncode == 1 else []
        check(len(reference) > 0, "the reference check run found the unrecorded exclusions")

        fake.configure(latency_ms=150)
        fake.reset(stats=True)
        before = imds_count(fake)
        proc = subprocess.Popen(cmd, env=imds, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        expired = []

        def expire_after_first_calls():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                if imds_count(fake) >= before + 3 and fake.stats()["requests"] >= 1:
                    expired.append(fake.expire_credentials())
                    return
                time.sleep(0.01)

        t = threading.Thread(target=expire_after_first_calls)
        t.start()
        out, err = proc.communicate(timeout=300)
        t.join()
        fake.configure(latency_ms=0)
        OUTPUT.append(out + err)
        check(expired and expired[0].get("expired", 0) >= 1, f"the credentials were expired mid-run: {expired!r}")
        check(proc.returncode == 1, f"check survives expiry mid-run: exit {proc.returncode} {err[-1500:]!r}")
        after = sorted(f["function_arn"] for f in json.loads(out)["findings"]) if proc.returncode == 1 else None
        check(after == reference, "the same findings after the refresh")
        check(imds_count(fake) >= before + 6, f"imds asked again (3 requests a time): {imds_count(fake) - before}")
        print("refresh mid-run: %d imds requests, auth failures %r" % (imds_count(fake) - before,
                                                                       fake.stats()["auth_failures"]))
        check("credentials expired, asking the provider again" in err, "--debug shows the refresh")
        check(fake.stats()["auth_failures"], "the fake refused the expired credentials at least once")

        # 7. the official AWS CLI, same environment: the same identity
        aws = fakeaws.find_aws_cli()
        if aws is None:
            print("note: no aws CLI; the cross-check is skipped")
        else:
            # --endpoint-url: Debian's CLI v2.9 predates AWS_ENDPOINT_URL
            # the trailing slash: that CLI's botocore appends "latest/..." to the endpoint as given (inspector-ledger
            # accepts both spellings); check that inspector-ledger agrees on the CLI's exact environment
            cli_env = fakeaws.aws_cli_env(dict(imds, AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.endpoint + "/"))
            p = subprocess.run([aws, "sts", "get-caller-identity", "--output", "json", "--endpoint-url", fake.endpoint],
                               env=cli_env, capture_output=True, text=True, timeout=120)
            cli = json.loads(p.stdout) if p.returncode == 0 else {}
            check(cli.get("Arn") == IMDS_ARN, f"aws CLI finds the same IMDS identity: {cli!r} {p.stderr[-500:]!r}")
            rc, doc, err = whoami(cli_env)
            check(rc == 0 and doc.get("arn") == cli.get("Arn"), f"whoami agrees with the aws CLI ({rc}, {err!r})")
            print("aws CLI (imds):", cli.get("Arn"))

        # no secret value anywhere in what the tool printed: the fake's temporary credentials derive from its seed
        # and a counter; its IMDS tokens start with AQAEAFake, its session tokens with FwoGZXIvYXdzE
        no_secrets_in_output(["AQAEAFake", "FwoGZXIvYXdzE"] + fake_secrets(SEED, 80), 5000)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("imds credentials")
