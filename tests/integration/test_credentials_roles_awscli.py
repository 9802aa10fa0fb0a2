#!/usr/bin/env python3
"""The official AWS CLI as the oracle for role profiles: for the same config files and environment, pointed at the
fake AWS (AWS_ENDPOINT_URL), `aws sts get-caller-identity --profile X` and `inspector-ledger whoami --profile X` must
report the same assumed-role identity — role_arn + source_profile (static keys), a two-hop source_profile chain, a
source profile whose static keys win over its own role_arn, credential_source = Environment under --profile (where
both ignore the environment's own keys) and Ec2InstanceMetadata (the fake's IMDSv2), a web_identity_token_file
profile alone and as a source_profile, external_id — and both must refuse the same broken profiles (a cycle, a
missing external id, a profile that does not exist while an instance metadata service answers). Exit 0 pass, 1 fail, 77 skip (no `aws` on this machine)."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import check, fakeaws, finish, no_secrets_in_output, write  # noqa: E402
import credlib  # noqa: E402


# only a CLI that honours AWS_ENDPOINT_URL in the STS client its assume-role provider makes can reach the fake
AWS = fakeaws.find_aws_cli(endpoint_env=True)
if AWS is None:
    print("skip: no AWS CLI here honours AWS_ENDPOINT_URL (needs v2.13+ or v1 on botocore 1.31+)")
    sys.exit(77)

AKID, SECRET, _, _ = fakeaws.CREDENTIALS["ci"]
AUDIT = "arn:aws:iam::111111111111:role/InspectorLedgerAudit"
CHAIN = "arn:aws:iam::111111111111:role/ChainTarget"
EXT = "arn:aws:iam::222222222222:role/ExternalIdRole"

# Every role profile names its session, so the two tools' ARNs can be compared whole (their default session names
# differ by design: botocore-session-<time> and inspector-ledger-<time>).
CONFIG = f"""[profile base]
aws_access_key_id = {AKID}
aws_secret_access_key = {SECRET}

[profile audit]
role_arn = {AUDIT}
source_profile = base
role_session_name = oracle-audit
duration_seconds = 900

[profile chain]
role_arn = {CHAIN}
source_profile = audit
role_session_name = oracle-chain

[profile keysandrole]
aws_access_key_id = {AKID}
aws_secret_access_key = {SECRET}
role_arn = {CHAIN}
role_session_name = never-used

[profile viakeys]
role_arn = {AUDIT}
source_profile = keysandrole
role_session_name = oracle-viakeys

[profile envrole]
role_arn = {AUDIT}
credential_source = Environment
role_session_name = oracle-env

[profile ext]
role_arn = {EXT}
source_profile = base
external_id = ledger-external-id-42
role_session_name = oracle-ext

[profile noext]
role_arn = {EXT}
source_profile = base
role_session_name = oracle-noext

[profile ec2role]
role_arn = {CHAIN}
credential_source = Ec2InstanceMetadata
role_session_name = oracle-ec2

[profile webprof]
web_identity_token_file = {{TOKEN_FILE}}
role_arn = arn:aws:iam::111111111111:role/GitHubActionsOIDC
role_session_name = oracle-oidc

[profile viaoidc]
role_arn = {AUDIT}
source_profile = webprof
role_session_name = oracle-viaoidc

[profile loop1]
role_arn = {AUDIT}
source_profile = loop2

[profile loop2]
role_arn = {AUDIT}
source_profile = loop1
"""


def aws_identity(env, profile):
    p = subprocess.run([AWS, "sts", "get-caller-identity", "--profile", profile, "--output", "json"],
                       env=fakeaws.aws_cli_env(env),
                       capture_output=True, text=True, timeout=120)
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else None), p.stderr


def il_identity(env, profile):
    return credlib.whoami(env, "--profile", profile)


tmp = credlib.scratch_dir("il-roles-cli-")
try:
    with fakeaws.FakeAWS() as fake:
        config = os.path.join(tmp, "config")
        token_file = os.path.join(tmp, "oidc-token")
        write(token_file, "fake-oidc-token-main-0001")  # botocore sends the file as it is, newline included
        write(config, CONFIG.replace("{TOKEN_FILE}", token_file))
        # environment keys set on purpose: with --profile both tools must ignore them (envrole uses them as its
        # credential_source)
        env = dict(fake.env("ci"), HOME=tmp, AWS_CONFIG_FILE=config,
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"))
        for profile in ("audit", "chain", "viakeys", "envrole", "ext", "webprof", "viaoidc"):
            arc, adoc, aerr = aws_identity(env, profile)
            irc, idoc, ierr = il_identity(env, profile)
            if not check(arc == 0, f"{profile}: the AWS CLI answers ({arc}: {aerr[-300:]!r})"):
                continue
            if check(irc == 0, f"{profile}: whoami answers ({irc}: {ierr[-300:]!r})"):
                check(adoc["Arn"] == idoc["arn"] and adoc["Account"] == idoc["account"],
                      f"{profile}: same identity: aws {adoc['Arn']} / inspector-ledger {idoc['arn']}")
                check(":assumed-role/" in idoc["arn"] and "/oracle-" in idoc["arn"],
                      f"{profile}: an assumed role with the configured session name ({idoc['arn']})")
        # credential_source = Ec2InstanceMetadata: both ask the fake's IMDSv2 for the instance role's credentials
        imds = dict(env, AWS_EC2_METADATA_DISABLED="false", AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.endpoint)
        arc, adoc, aerr = aws_identity(imds, "ec2role")
        irc, idoc, ierr = il_identity(imds, "ec2role")
        check(arc == 0 and irc == 0 and adoc["Arn"] == idoc["arn"],
              f"ec2role: same identity (aws {arc} {adoc and adoc['Arn']} {aerr[-200:]!r} / inspector-ledger {irc} "
              f"{idoc and idoc['arn']} {ierr[-200:]!r})")
        # refused alike; "nosuch" with an instance metadata service at hand: neither falls back to the instance role
        for profile in ("noext", "loop1", "nosuch"):
            arc, _, aerr = aws_identity(imds, profile)
            irc, _, ierr = il_identity(imds, profile)
            want = 2 if profile == "nosuch" else 3  # a missing profile is a configuration error; the others unverified
            check(arc != 0 and irc == want, f"{profile}: both refuse (aws {arc}, inspector-ledger {irc}, want {want})")
        secrets = [SECRET] + fake.issued_secrets()
        no_secrets_in_output(secrets, 1000)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("role profiles vs the AWS CLI")
