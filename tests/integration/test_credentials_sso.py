#!/usr/bin/env python3
"""IAM Identity Center (SSO) profiles end to end against the fake AWS's SSO portal: the sso-session form and the
legacy form read the token `aws sso login` cached (~/.aws/sso/cache/<sha1>.json) and exchange it with
GetRoleCredentials; an expired, missing, revoked or unassigned token fails closed (exit 3) with "run `aws sso login
--profile P`"; missing settings are refused by name; an SSO profile works as a source_profile; AWS_ENDPOINT_URL_SSO
moves the portal; the role credentials are fetched again before they expire during a long check; the official AWS
CLI over the same files reports the same identity; no token or secret in any output, --debug included.
Exit 0 pass, 1 fail (the AWS CLI comparison is left out, with a note, when no AWS CLI here honours
AWS_ENDPOINT_URL_SSO)."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import check, fakeaws, finish, no_secrets_in_output, run, scratch_dir, sso_login, whoami, write  # noqa
import checklib  # noqa: E402
import credlib  # noqa: E402

ACCOUNT = "111111111111"
START = "https://corp.awsapps.com/start"
LEGACY_START = "https://legacy.awsapps.com/start#/"
ASSIGNED = [{"account_id": ACCOUNT, "role_name": "AuditRead"}, {"account_id": "222222222222", "role_name": "Ops"}]
AUDIT = "arn:aws:iam::111111111111:role/InspectorLedgerAudit"

CONFIG = f"""[profile dev]
sso_session = corp
sso_account_id = {ACCOUNT}
sso_role_name = AuditRead
region = us-east-1

[sso-session corp]
sso_start_url = {START}
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile ops]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = Ops

[profile legacy]
sso_start_url = {LEGACY_START}
sso_region = us-east-2
sso_account_id = {ACCOUNT}
sso_role_name = AuditRead

[profile unassigned]
sso_session = corp
sso_account_id = {ACCOUNT}
sso_role_name = AdministratorAccess

[profile halfdone]
sso_session = nosuch
sso_account_id = {ACCOUNT}
sso_role_name = AuditRead

[profile noregion]
sso_start_url = {LEGACY_START}
sso_account_id = {ACCOUNT}

[profile chained]
role_arn = {AUDIT}
source_profile = dev
role_session_name = sso-chain
"""


def sso_arn(role, account=ACCOUNT):
    """The SSO role session ARN up to the per-assignment hash (then /user)."""
    return f"arn:aws:sts::{account}:assumed-role/AWSReservedSSO_{role}_"


def calls(fake):
    return fake.control("GET", "/__fake/sso/calls")["get_role_credentials"]


def base_env(fake, home):
    env = credlib.env_without_keys(fake, home)
    env["AWS_CONFIG_FILE"] = os.path.join(home, ".aws", "config")
    return env


def test_forms(fake, home, env):
    fake.reset()
    rc, doc, err = whoami(env, "--profile", "dev")
    arn = doc.get("arn", "")
    check(rc == 0 and arn.startswith(sso_arn("AuditRead")) and arn.endswith("/alice@example.com"),
          f"sso-session form: whoami is the SSO role session (rc {rc}, {arn!r}, {err[-300:]!r})")
    check(doc.get("credentials", {}).get("source") == "profile:dev (sso)", f"source names the profile: {doc}")
    check(doc.get("credentials", {}).get("temporary") is True, "SSO role credentials are temporary")
    got = calls(fake)
    check([(c["account_id"], c["role_name"], c["status"]) for c in got] == [(ACCOUNT, "AuditRead", 200)],
          f"one GetRoleCredentials for the profile's account and role: {got}")
    rc, doc, err = whoami(env, "--profile", "ops")
    check(rc == 0 and doc.get("account") == "222222222222", f"the same session, another account (rc {rc}, {err!r})")
    rc, doc, err = whoami(env, "--profile", "legacy")
    check(rc == 0 and doc.get("arn", "").startswith(sso_arn("AuditRead")) and
          doc["credentials"]["source"] == "profile:legacy (sso)",
          f"legacy form (cache keyed by the start URL): rc {rc}, {err[-300:]!r}")
    # AWS_PROFILE selects it the same way
    rc, doc, err = whoami(dict(env, AWS_PROFILE="dev"))
    check(rc == 0 and doc.get("credentials", {}).get("source") == "profile:dev (sso)", f"AWS_PROFILE=dev: {err!r}")


def test_refusals(fake, home, env, cache_dev):
    def refused(profile, want, label, extra=None, portal_calls=None):
        fake.reset()
        rc, out, err = run(dict(env, **(extra or {})), "whoami", "--profile", profile)
        check(rc == 3, f"{label}: exit 3 (got {rc})")
        for w in want:
            check(w in err, f"{label}: the error says {w!r}: {err[-400:]!r}")
        if portal_calls is not None:
            check(len(calls(fake)) == portal_calls, f"{label}: {portal_calls} portal calls, got {calls(fake)}")

    login = "run `aws sso login --profile dev`"
    refused("unassigned", ["HTTP 403 ForbiddenException", "AdministratorAccess"], "a role not assigned to the user",
            portal_calls=1)
    refused("halfdone", ["sso_session 'nosuch' has no [sso-session nosuch] section"], "an unknown sso-session",
            portal_calls=0)
    refused("noregion", ["missing required configuration: sso_region, sso_role_name"],
            "missing settings are named", portal_calls=0)
    # the cached token expired: no call to the portal, a login hint
    saved = open(cache_dev).read()
    sso_login(fake, home, "corp", START, "eu-west-1", "ssoTokenExpired-0002", ASSIGNED, expires_in=-60)
    refused("dev", ["expired at", login], "an expired token", portal_calls=0)
    # the cache file is missing
    os.remove(cache_dev)
    refused("dev", ["no SSO token cached for sso-session 'corp'", "no such file", login], "a missing cache file",
            portal_calls=0)
    # malformed cache: located error
    write(cache_dev, '{"accessToken": "x",\n "expiresAt": }')
    refused("dev", [cache_dev + ":2:", "not valid JSON", login], "a malformed cache file names file:line:col")
    write(cache_dev, '{"accessToken": "ssoTokenNoExpiry-0003"}')
    refused("dev", ["no expiresAt", login], "a cache file without expiresAt")
    # the portal no longer knows the token (signed out, revoked): 401 UnauthorizedException
    write(cache_dev, saved)
    fake.control("POST", "/__fake/sso/revoke", {"access_token": "ssoTokenCorp-0001"})
    refused("dev", ["HTTP 401 UnauthorizedException", login], "a revoked token", portal_calls=1)
    sso_login(fake, home, "corp", START, "eu-west-1", "ssoTokenCorp-0004", ASSIGNED)


def test_chain_and_endpoint(fake, home, env):
    fake.reset()
    rc, doc, err = whoami(env, "--profile", "chained")
    check(rc == 0 and doc.get("arn") == "arn:aws:sts::111111111111:assumed-role/InspectorLedgerAudit/sso-chain",
          f"source_profile = an SSO profile: the role is assumed with the SSO session (rc {rc}, {err[-300:]!r})")
    sessions = fake.sts_sessions()
    check(len(sessions) == 1 and sessions[0]["caller"].startswith(sso_arn("AuditRead")),
          f"the AssumeRole was signed by the SSO role session: {sessions}")
    # AWS_ENDPOINT_URL_SSO alone moves the portal (STS by its own variable)
    moved = dict(env, AWS_ENDPOINT_URL_SSO=fake.endpoint, AWS_ENDPOINT_URL_STS=fake.endpoint)
    moved.pop("AWS_ENDPOINT_URL")
    rc, doc, err = whoami(moved, "--profile", "dev", "--debug")
    check(rc == 0 and f"at {fake.endpoint} (from AWS_ENDPOINT_URL_SSO)" in err,
          f"AWS_ENDPOINT_URL_SSO names the portal: rc {rc} {err[-600:]!r}")
    # without any endpoint setting the portal would be portal.sso.eu-west-1.amazonaws.com: a loopback proxy that
    # refuses everything shows that is where the request went, and nothing leaves the machine
    bare = dict(moved, HTTPS_PROXY="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")
    bare.pop("AWS_ENDPOINT_URL_SSO")
    rc, doc, err = whoami(bare, "--profile", "dev", "--debug")
    check(rc == 3 and "at https://portal.sso.eu-west-1.amazonaws.com (from endpoint rule set)" in err and
          "127.0.0.1 port 9" in err,
          f"default portal endpoint from sso_region: rc {rc} {err[-600:]!r}")
    test_portal_rules(fake, home, bare)


SERVICES_CONFIG = """
[profile svc]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = AuditRead
services = portal

[services portal]
sso =
  endpoint_url = %s
"""


def test_portal_rules(fake, home, bare):
    """The portal endpoint through the shared resolver: a `[services NAME]` sso endpoint_url reaches the fake (before
    AWS_ENDPOINT_URL, as botocore orders them); FIPS and dual-stack give the sso rule set's hostnames, seen as the
    CONNECT host at a loopback proxy that records and refuses (nothing leaves the machine)."""
    config = os.path.join(home, ".aws", "config-services")
    write(config, CONFIG + SERVICES_CONFIG % fake.endpoint)
    env = dict(bare, AWS_CONFIG_FILE=config, AWS_ENDPOINT_URL="http://127.0.0.1:9")
    env["AWS_ENDPOINT_URL_STS"] = fake.endpoint
    fake.reset()
    rc, doc, err = whoami(env, "--profile", "svc", "--debug")
    check(rc == 0 and f"at {fake.endpoint} (from profile services endpoint_url)" in err and len(calls(fake)) == 1,
          f"[services] sso endpoint_url names the portal, before AWS_ENDPOINT_URL: rc {rc} {err[-600:]!r}")
    proxy = fakeaws.ConnectRecorder()
    guarded = fakeaws.proxy_guard(dict(bare), "http://127.0.0.1:%d" % proxy.port)
    cases = [("FIPS", {"AWS_USE_FIPS_ENDPOINT": "true"}, "portal.sso-fips.eu-west-1.amazonaws.com:443"),
             ("dual-stack", {"AWS_USE_DUALSTACK_ENDPOINT": "true"}, "portal.sso.eu-west-1.api.aws:443"),
             ("FIPS and dual-stack", {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
              "portal.sso-fips.eu-west-1.api.aws:443")]
    for what, extra, want in cases:
        rc, doc, err = whoami(dict(guarded, **extra), "--profile", "dev", "--debug")
        hosts = proxy.take()
        check(rc == 3 and hosts[:1] == [want] and "https://" + want[:-4] in err,
              f"{what}: the portal is the rule set's {want} (rc {rc}, hosts {hosts}, {err[-400:]!r})")
    # ignore_configured_endpoint_urls leaves the services section aside: the rule set's portal again
    rc, doc, err = whoami(dict(guarded, AWS_CONFIG_FILE=config, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS="true"),
                          "--profile", "svc", "--endpoint-url", fake.endpoint)
    hosts = proxy.take()
    check(rc == 3 and hosts[:1] == ["portal.sso.eu-west-1.amazonaws.com:443"],
          f"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: the default portal (rc {rc}, hosts {hosts}, {err[-300:]!r})")


def test_refresh():
    """A long check with SSO role sessions that last 301 s: renewed 300 s before expiry, so the client asks the
    portal again within seconds, several times, and the run still verifies everything."""
    home = scratch_dir("sso-refresh-")
    wd = checklib.Workdir("sso-refresh", [checklib.entry("orders-api"), checklib.entry("billing-fn")])
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    write(os.path.join(home, ".aws", "config"), CONFIG)
    with checklib.start_fake() as fake:
        sso_login(fake, home, "corp", START, "eu-west-1", "ssoTokenRefresh-0005",
                  [{"account_id": ACCOUNT, "role_name": "AuditRead", "session_seconds": 301}])
        fake.reset()
        extra = {"HOME": home, "AWS_CONFIG_FILE": os.path.join(home, ".aws", "config"), "AWS_ACCESS_KEY_ID": "",
                 "AWS_SECRET_ACCESS_KEY": ""}
        rc, doc, err = checklib.run_json(fake, wd, "--profile", "dev", "--debug", "--tags-source", "lambda",
                                         "--rate-limit", "20", env_extra=extra)
        check(doc is not None and rc == 1 and doc["unverified"] == [],
              f"refresh: the run verifies everything (rc {rc}, {err[-400:]!r})")
        got = [c for c in calls(fake) if c["status"] == 200]
        check(len(got) >= 2, f"refresh: GetRoleCredentials again mid-run ({len(got)} calls)")
        check(not any("Expired" in c for c in fake.stats()["auth_failures"]), "refresh: never refused as expired")
        check(err.count("[aws] sso: GetRoleCredentials answered HTTP 200") == len(got),
              "refresh: --debug traces each exchange")
        credlib.OUTPUT.append(err)
        no_secrets_in_output(fake.issued_secrets(), 10)
    shutil.rmtree(home, ignore_errors=True)


def test_awscli(fake, home, env):
    aws = fakeaws.find_aws_cli(endpoint_env=True)
    if aws is None:
        print("note: no AWS CLI here honours AWS_ENDPOINT_URL_SSO; the comparison is skipped")
        return
    # a loopback proxy that refuses: should anything try the public portal, it goes nowhere
    cli_env = fakeaws.aws_cli_env(dict(env, AWS_ENDPOINT_URL_SSO=fake.endpoint, AWS_ENDPOINT_URL_STS=fake.endpoint))
    cli_env.pop("AWS_ENDPOINT_URL")
    for profile in ("dev", "legacy", "ops", "chained"):
        p = subprocess.run([aws, "sts", "get-caller-identity", "--profile", profile, "--output", "json"],
                           env=cli_env, capture_output=True, text=True, timeout=120)
        rc, doc, err = whoami(cli_env, "--profile", profile)
        if not check(p.returncode == 0 and rc == 0, f"AWS CLI and whoami both succeed for {profile} "
                     f"(aws {p.returncode}: {p.stderr[-300:]!r}; whoami {rc}: {err[-300:]!r})"):
            continue
        cli = json.loads(p.stdout)
        check(cli["Account"] == doc["account"] and cli["Arn"] == doc["arn"],
              f"{profile}: the AWS CLI and whoami agree: {cli['Arn']} vs {doc['arn']}")
    # both refuse the expired token
    cache = os.path.join(home, ".aws", "sso", "cache", hashlib.sha1(b"corp").hexdigest() + ".json")
    saved = open(cache).read()
    sso_login(fake, home, "corp", START, "eu-west-1", "ssoTokenCliExpired-0006", ASSIGNED, expires_in=-60)
    p = subprocess.run([aws, "sts", "get-caller-identity", "--profile", "dev"], env=cli_env, capture_output=True,
                       text=True, timeout=120)
    rc, out, err = run(cli_env, "whoami", "--profile", "dev")
    check(p.returncode != 0 and rc == 3, f"both refuse an expired token (aws {p.returncode}, whoami {rc})")
    write(cache, saved)


def test_botocore_wire(fake):
    """botocore's own sso client (an independent reading of the model) against the fake portal: the success shape,
    and the 401/403 errors decoded as the service's exceptions."""
    try:
        import botocore.session
        from botocore import UNSIGNED
        from botocore.config import Config
        from botocore.exceptions import ClientError
    except ImportError:
        print("note: no botocore here; the wire check is skipped")
        return
    for k, v in fakeaws.ISOLATION_ENV.items():
        os.environ[k] = v
    fake.control("POST", "/__fake/sso/tokens", {"access_token": "ssoTokenBotocore-0007", "user": "bob@example.com",
                                                "assignments": ASSIGNED})
    client = botocore.session.Session().create_client(
        "sso", region_name="eu-west-1", endpoint_url=fake.endpoint,
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
    r = client.get_role_credentials(roleName="AuditRead", accountId=ACCOUNT, accessToken="ssoTokenBotocore-0007")
    rc = r["roleCredentials"]
    check(rc["accessKeyId"].startswith("ASIA") and isinstance(rc["expiration"], int) and rc["expiration"] > 10**12,
          f"botocore reads the fake's GetRoleCredentials: {sorted(rc)}")
    for token, role, want_code, want_status in (("nope", "AuditRead", "UnauthorizedException", 401),
                                                ("ssoTokenBotocore-0007", "Admin", "ForbiddenException", 403)):
        try:
            client.get_role_credentials(roleName=role, accountId=ACCOUNT, accessToken=token)
            check(False, f"botocore: {want_code} expected")
        except ClientError as e:
            err = e.response["Error"]
            check(err["Code"] == want_code and e.response["ResponseMetadata"]["HTTPStatusCode"] == want_status,
                  f"botocore decodes {want_code} ({e.response['Error']}, {want_status})")
    try:
        client.get_role_credentials(roleName="AuditRead", accountId=ACCOUNT, accessToken="nope")
    except client.exceptions.UnauthorizedException:
        pass
    except ClientError as e:
        check(False, f"botocore maps 401 to its modelled UnauthorizedException: {e}")


def main():
    home = scratch_dir("sso-")
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    write(os.path.join(home, ".aws", "config"), CONFIG)
    with fakeaws.FakeAWS() as fake:
        env = base_env(fake, home)
        cache_dev = sso_login(fake, home, "corp", START, "eu-west-1", "ssoTokenCorp-0001", ASSIGNED)
        sso_login(fake, home, LEGACY_START, LEGACY_START, "us-east-2", "ssoTokenLegacy-0001", ASSIGNED)
        test_forms(fake, home, env)
        test_chain_and_endpoint(fake, home, env)
        test_awscli(fake, home, env)
        test_refusals(fake, home, env, cache_dev)
        test_botocore_wire(fake)
        rc, doc, err = whoami(env, "--profile", "dev", "--debug")
        check(rc == 0 and "[aws] sso: GetRoleCredentials" in err, f"--debug traces the exchange: {err[-300:]!r}")
        no_secrets_in_output(fake.issued_secrets() + ["fakeClientSecret-"], 2000)
    shutil.rmtree(home, ignore_errors=True)
    test_refresh()
    finish("test_credentials_sso")


if __name__ == "__main__":
    main()
