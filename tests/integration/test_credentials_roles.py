"""Role credentials end to end against the fake AWS, through `whoami`: profile role_arn with source_profile (static
keys, a two-hop chain, a source profile whose static keys win over its own role_arn, a profile sourcing itself),
credential_source = Environment, external_id accepted and refused, duration_seconds and role_session_name passed
through, credential_source = Ec2InstanceMetadata / EcsContainer (the fake's IMDSv2 and container endpoint), the
configuration errors (cycle, both/neither source, mfa_serial, unknown credential_source, missing source
profile, bad duration), --role-arn / --external-id / --role-session-name on top of environment credentials, and no
secret — static or issued by the fake's STS — in any output, --debug included."""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import check, fakeaws, finish, no_secrets_in_output, write  # noqa: E402
import credlib  # noqa: E402

AKID, SECRET, ACCOUNT, USER_ARN = fakeaws.CREDENTIALS["ci"]
NOASSUME_AKID, NOASSUME_SECRET, _, _ = fakeaws.CREDENTIALS["no-assume"]
AUDIT = "arn:aws:iam::111111111111:role/InspectorLedgerAudit"
CHAIN = "arn:aws:iam::111111111111:role/ChainTarget"
EXT = "arn:aws:iam::222222222222:role/ExternalIdRole"
EXT_ID = "ledger-external-id-42"


def whoami(env, *extra):
    """Every run traces with --debug, so the secret grep at the end also covers the debug output."""
    return credlib.whoami(env, "--debug", *extra)


CONFIG = f"""[profile base]
region = us-east-1

[profile audit]
role_arn = {AUDIT}
source_profile = base
role_session_name = audit-session
duration_seconds = 1800

[profile chain]
role_arn = {CHAIN}
source_profile = audit

[profile keysandrole]
# static keys win over this profile's own role_arn when it is used as a source (ChainTarget would refuse user ci)
aws_access_key_id = {AKID}
aws_secret_access_key = {SECRET}
role_arn = {CHAIN}

[profile viakeys]
role_arn = {AUDIT}
source_profile = keysandrole

[profile self]
aws_access_key_id = {AKID}
aws_secret_access_key = {SECRET}
role_arn = {AUDIT}
source_profile = self

[profile ext]
role_arn = {EXT}
source_profile = base
external_id = {EXT_ID}

[profile noext]
role_arn = {EXT}
source_profile = base

[profile envrole]
role_arn = {AUDIT}
credential_source = Environment

[profile ec2role]
role_arn = {CHAIN}
credential_source = Ec2InstanceMetadata

[profile ecsrole]
role_arn = {CHAIN}
credential_source = EcsContainer

[profile webprof]
web_identity_token_file = {{TOKEN_FILE}}
role_arn = arn:aws:iam::111111111111:role/GitHubActionsOIDC
role_session_name = prof-oidc

[profile viaoidc]
role_arn = {AUDIT}
source_profile = webprof

[profile procprof]
credential_process = {{PROC}}

[profile viaproc]
role_arn = {AUDIT}
source_profile = procprof

[profile loop1]
role_arn = {AUDIT}
source_profile = loop2

[profile loop2]
role_arn = {AUDIT}
source_profile = loop1

[profile both]
role_arn = {AUDIT}
source_profile = base
credential_source = Environment

[profile neither]
role_arn = {AUDIT}

[profile mfa]
role_arn = {AUDIT}
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/ci

[profile badsource]
role_arn = {AUDIT}
credential_source = Keychain

[profile missing]
role_arn = {AUDIT}
source_profile = nosuchprofile

[profile badduration]
role_arn = {AUDIT}
source_profile = base
duration_seconds = 1h

[profile denied]
role_arn = {AUDIT}
source_profile = noassume
"""

CREDENTIALS = f"""[base]
aws_access_key_id = {AKID}
aws_secret_access_key = {SECRET}

[noassume]
aws_access_key_id = {NOASSUME_AKID}
aws_secret_access_key = {NOASSUME_SECRET}
"""


def sessions_since(fake, before):
    return fake.sts_sessions()[before:]


tmp = credlib.scratch_dir("il-roles-")
try:
    with fakeaws.FakeAWS() as fake:
        base = credlib.env_without_keys(fake, tmp)
        config, creds = os.path.join(tmp, "config"), os.path.join(tmp, "credentials")
        token_file = os.path.join(tmp, "oidc-token")
        write(token_file, "fake-oidc-token-main-0001\n")
        proc = os.path.join(tmp, "creds.sh")
        write(proc, "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n"
              % (AKID, SECRET), 0o700)
        write(config, CONFIG.replace("{TOKEN_FILE}", token_file).replace("{PROC}", proc))
        write(creds, CREDENTIALS)
        files = dict(base, AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE=creds)

        # 1. role_arn + source_profile with static keys; role_session_name and duration_seconds passed through
        n = len(fake.sts_sessions())
        t0 = time.time()
        rc, doc, err = whoami(dict(files, AWS_PROFILE="audit"))
        if check(rc == 0, f"audit: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check(doc["arn"] == "arn:aws:sts::111111111111:assumed-role/InspectorLedgerAudit/audit-session",
                  f"audit: assumed-role ARN with the configured session name ({doc['arn']})")
            check(doc["credentials"]["source"] == "profile:audit (assume-role)", f"audit: source {doc['credentials']}")
            check(doc["credentials"]["temporary"] is True, "audit: temporary credentials")
        got = sessions_since(fake, n)
        check(len(got) == 1 and got[0]["role_arn"] == AUDIT and got[0]["caller"] == USER_ARN,
              f"audit: one AssumeRole signed by user ci: {got}")
        if got:
            check(got[0]["duration_seconds"] == 1800, f"audit: DurationSeconds 1800 sent: {got[0]}")
            check(got[0]["session_name"] == "audit-session", f"audit: RoleSessionName sent: {got[0]}")
            check(got[0]["external_id"] is None, "audit: no ExternalId sent")
        check("[aws] credentials from provider 'profile:audit (assume-role)'" in err, "--debug names the provider that answered")
        check("assume-role: assuming " + AUDIT in err, "--debug traces the AssumeRole with its source")
        check("-> sts.AssumeRole" in err, "--debug traces the AssumeRole request (redacted)")
        check("Expiration" not in err and "SessionToken" not in err, "--debug shows no AssumeRole response body")

        # 2. two hops: chain -> audit -> base (static keys)
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(dict(files, AWS_PROFILE="chain"))
        if check(rc == 0, f"chain: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check(doc["arn"].startswith("arn:aws:sts::111111111111:assumed-role/ChainTarget/inspector-ledger-"),
                  f"chain: ChainTarget with the default session name ({doc['arn']})")
            check(doc["credentials"]["source"] == "profile:chain (assume-role)", f"chain: source {doc['credentials']}")
        got = sessions_since(fake, n)
        check([s["role_arn"] for s in got] == [AUDIT, CHAIN], f"chain: AssumeRole twice, inner role first: {got}")
        if len(got) == 2:
            check(got[0]["caller"] == USER_ARN and got[1]["caller"].startswith(
                "arn:aws:sts::111111111111:assumed-role/InspectorLedgerAudit/"), f"chain: each hop signed by the "
                  f"previous one: {got}")
            check(got[0]["duration_seconds"] == 1800 and got[1]["duration_seconds"] is None,
                  "chain: each hop with its own profile's duration_seconds")

        # 3. a source profile with static keys is used for its keys even though it also sets role_arn
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(dict(files, AWS_PROFILE="viakeys"))
        check(rc == 0 and doc and "assumed-role/InspectorLedgerAudit/" in doc["arn"],
              f"viakeys: the source's static keys assume the role (got {rc}: {err[-400:]!r})")
        got = sessions_since(fake, n)
        check([s["role_arn"] for s in got] == [AUDIT], f"viakeys: the source's own role_arn is not assumed: {got}")

        # 3b. a source profile with credential_process: the process's keys sign the AssumeRole
        rc, doc, err = whoami(dict(files, AWS_PROFILE="viaproc"))
        check(rc == 0 and doc and "assumed-role/InspectorLedgerAudit/" in doc["arn"],
              f"viaproc: credential_process as the source ({rc}: {err[-400:]!r})")
        check("with credentials from profile:procprof (credential_process)" in err,
              "--debug: the AssumeRole was signed with the source profile's credential_process keys")

        # 4. a profile may source itself when it has static keys (botocore's rule)
        rc, doc, err = whoami(dict(files, AWS_PROFILE="self"))
        check(rc == 0 and doc and "assumed-role/InspectorLedgerAudit/" in doc["arn"],
              f"self: a profile sourcing its own keys assumes its role (got {rc}: {err[-400:]!r})")

        # 5. credential_source = Environment; --profile switches the environment provider off (AWS CLI rule), the
        #    role still takes its source credentials from the environment
        env = dict(files, AWS_ACCESS_KEY_ID=AKID, AWS_SECRET_ACCESS_KEY=SECRET)
        rc, doc, err = whoami(env, "--profile", "envrole")
        if check(rc == 0, f"envrole: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check("assumed-role/InspectorLedgerAudit/" in doc["arn"] and
                  doc["credentials"]["source"] == "profile:envrole (assume-role)",
                  f"envrole: role assumed from environment keys: {doc}")
        rc, doc, err = whoami(dict(files, AWS_PROFILE="envrole"))
        check(rc == 3 and "envrole" in err and "AWS_ACCESS_KEY_ID" in err,
              f"envrole without environment keys fails closed and says why: {rc} {err[-400:]!r}")
        rc, doc, err = whoami(env, "--profile", "base")
        check(rc == 0 and doc and doc["credentials"]["source"] == "profile",
              f"--profile base: the profile's keys, not the environment's ({doc and doc['credentials']})")
        rc, doc, err = whoami(dict(env, AWS_PROFILE="base"))
        check(rc == 0 and doc and doc["credentials"]["source"] == "environment",
              "AWS_PROFILE (not --profile): the environment still comes first, as in botocore")

        # 5b. credential_source = Ec2InstanceMetadata / EcsContainer: the instance's or task's role session (InspectorLedgerAudit,
        #     which ChainTarget trusts) signs the AssumeRole; the fake serves IMDSv2 and the container endpoint
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(dict(files, AWS_EC2_METADATA_DISABLED="false",
                                   AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.endpoint), "--profile", "ec2role")
        if check(rc == 0, f"ec2role: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check("assumed-role/ChainTarget/" in doc["arn"] and doc["credentials"]["source"] == "profile:ec2role "
                  "(assume-role)", f"ec2role: ChainTarget assumed with the instance's credentials: {doc}")
        got = sessions_since(fake, n)
        check(len(got) == 1 and got[0]["caller"].startswith(
            "arn:aws:sts::111111111111:assumed-role/InspectorLedgerAudit/"), f"ec2role: signed by the instance role: {got}")
        fake.control("POST", "/__fake/metadata", {"ecs": {
            "path": "/ecs/credentials", "authorization_token": "fake-ecs-auth-token-0001", "role_arn": AUDIT,
            "duration_seconds": 21600}})
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(dict(files, AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.endpoint + "/ecs/credentials",
                                   AWS_CONTAINER_AUTHORIZATION_TOKEN="fake-ecs-auth-token-0001"), "--profile", "ecsrole")
        if check(rc == 0, f"ecsrole: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check("assumed-role/ChainTarget/" in doc["arn"], f"ecsrole: ChainTarget assumed: {doc}")
        got = sessions_since(fake, n)
        check(len(got) == 1 and got[0]["caller"].startswith(
            "arn:aws:sts::111111111111:assumed-role/InspectorLedgerAudit/"), f"ecsrole: signed by the task role: {got}")
        rc, doc, err = whoami(files, "--profile", "ecsrole")
        check(rc == 3 and "ecsrole" in err and "AWS_CONTAINER_CREDENTIALS" in err,
              f"ecsrole without a container endpoint fails closed and says why: {rc} {err[-400:]!r}")
        fake.control("POST", "/__fake/metadata", {"ecs": None})

        # 5c. a profile with web_identity_token_file, alone and as the source of a role profile
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(dict(files, AWS_PROFILE="webprof"))
        if check(rc == 0, f"webprof: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check(doc["arn"] == "arn:aws:sts::111111111111:assumed-role/GitHubActionsOIDC/prof-oidc" and
                  doc["credentials"]["source"] == "profile:webprof (web-identity)", f"webprof: {doc}")
        rc, doc, err = whoami(dict(files, AWS_PROFILE="viaoidc"))
        check(rc == 0 and doc and "assumed-role/InspectorLedgerAudit/" in doc["arn"],
              f"viaoidc: a role assumed with a profile's web identity session ({rc}: {err[-400:]!r})")
        got = sessions_since(fake, n)
        check([s["action"] for s in got] == ["AssumeRoleWithWebIdentity", "AssumeRoleWithWebIdentity", "AssumeRole"]
              and got[2]["caller"] == "arn:aws:sts::111111111111:assumed-role/GitHubActionsOIDC/prof-oidc",
              f"webprof/viaoidc: the token exchanged, then the role assumed by that session: {got}")

        # 5d. a named profile that does not exist stops the chain: no fallback to the instance's credentials
        imds_before = fake.stats()["metadata"]["imds"]
        for how in (["--profile", "nosuch"], []):
            env = dict(files, AWS_EC2_METADATA_DISABLED="false", AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.endpoint)
            if not how:
                env["AWS_PROFILE"] = "nosuch"
            rc, doc, err = whoami(env, *how)
            check(rc == 2 and "the config profile (nosuch) could not be found" in err
                  and f"named by {how[0] if how else 'AWS_PROFILE'}" in err,
                  f"missing profile {how or 'AWS_PROFILE'}: exit 2, named ({rc}: {err[-300:]!r})")
        check(fake.stats()["metadata"]["imds"] == imds_before, "a missing named profile never falls through to IMDS")

        # 6. external_id
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(dict(files, AWS_PROFILE="ext"))
        if check(rc == 0, f"ext: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check(doc["account"] == "222222222222", f"ext: credentials scoped to the role's account: {doc}")
        got = sessions_since(fake, n)
        check(len(got) == 1 and got[0]["external_id"] == EXT_ID, f"ext: ExternalId sent: {got}")
        rc, doc, err = whoami(dict(files, AWS_PROFILE="noext"))
        check(rc == 3 and "AccessDenied" in err and EXT in err and "sts:AssumeRole" in err,
              f"noext: refused (AccessDenied, role named): {rc} {err[-600:]!r}")

        # 7. configuration errors: each fails closed (3) with a reason naming the profile
        cases = {
            "loop1": ["loops", "'loop1' -> 'loop2' -> 'loop1'"],
            "both": ["both source_profile and credential_source"],
            "neither": ["neither source_profile nor credential_source"],
            "mfa": ["mfa_serial", "MFA"],
            "badsource": ["credential_source 'Keychain' is not valid", "Environment"],
            "missing": ["source_profile 'nosuchprofile'", "does not exist"],
            "badduration": ["duration_seconds '1h'"],
            "denied": ["AccessDenied", "no-assume"],
        }
        for profile, needles in cases.items():
            rc, doc, err = whoami(dict(files, AWS_PROFILE=profile))
            check(rc == 3, f"{profile}: exit 3 (got {rc})")
            for needle in needles:
                check(needle in err, f"{profile}: error says {needle!r}: {err[-500:]!r}")

        # 8. --role-arn / --external-id / --role-session-name on top of environment credentials
        env = dict(base, AWS_ACCESS_KEY_ID=AKID, AWS_SECRET_ACCESS_KEY=SECRET)
        n = len(fake.sts_sessions())
        rc, doc, err = whoami(env, "--role-arn", EXT, "--external-id", EXT_ID, "--role-session-name", "ci-job-7")
        if check(rc == 0, f"--role-arn: whoami exits 0 (got {rc}: {err[-600:]!r})"):
            check(doc["arn"] == "arn:aws:sts::222222222222:assumed-role/ExternalIdRole/ci-job-7",
                  f"--role-arn: the role's session ({doc['arn']})")
            check(doc["credentials"]["source"] == "assume-role (source: environment)",
                  f"--role-arn: source {doc['credentials']}")
        got = sessions_since(fake, n)
        check(len(got) == 1 and got[0]["external_id"] == EXT_ID and got[0]["caller"] == USER_ARN,
              f"--role-arn: one AssumeRole with the ExternalId, signed by the environment's user: {got}")
        check("[aws] credentials from provider 'assume-role (source: environment)'" in err, "--debug: --role-arn source")
        rc, doc, err = whoami(env, "--role-arn", EXT)
        check(rc == 3 and "AccessDenied" in err, f"--role-arn without the external id is refused: {rc} {err[-300:]!r}")
        # on top of a role profile: role chaining through --role-arn
        rc, doc, err = whoami(dict(files, AWS_PROFILE="audit"), "--role-arn", CHAIN)
        check(rc == 0 and doc and "assumed-role/ChainTarget/" in doc["arn"] and
              doc["credentials"]["source"] == "assume-role (source: profile:audit (assume-role))",
              f"--role-arn over a role profile chains the roles: {rc} {doc} {err[-300:]!r}")
        for args, needle in ((["--external-id", EXT_ID], "--external-id needs --role-arn"),
                             (["--role-arn", "InspectorLedgerAudit"], "invalid --role-arn"),
                             (["--role-arn", EXT, "--role-session-name", "bad name!"], "invalid --role-session-name")):
            rc, doc, err = whoami(env, *args)
            check(rc == 2 and needle in err, f"{args}: usage error {needle!r} (got {rc}: {err[-300:]!r})")

        # 8b. --endpoint-url alone (no AWS_ENDPOINT_URL): the providers' STS calls go there too — a role profile's
        #     AssumeRole, --role-arn's, a web identity exchange
        plain = dict(files)
        plain.pop("AWS_ENDPOINT_URL", None)
        for args, env_extra, what in ((["--profile", "chain"], {}, "role profile"),
                                      (["--role-arn", AUDIT], {"AWS_ACCESS_KEY_ID": AKID,
                                                               "AWS_SECRET_ACCESS_KEY": SECRET}, "--role-arn"),
                                      (["--profile", "webprof"], {}, "web identity profile")):
            rc, doc, err = whoami(dict(plain, **env_extra), "--endpoint-url", fake.endpoint, *args)
            check(rc == 0 and doc and ":assumed-role/" in doc["arn"],
                  f"--endpoint-url only, {what}: STS reached at the given URL ({rc}: {err[-300:]!r})")

        # 9. no secret anywhere: the static keys and every credential the fake's STS issued
        secrets = [SECRET, NOASSUME_SECRET, "fake-oidc-token-main-0001"] + fake.issued_secrets()
        check(len(secrets) > 10, f"the fake issued temporary credentials to look for ({len(secrets)})")
        no_secrets_in_output(secrets, 10000)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("role credentials")
