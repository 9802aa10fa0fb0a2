#!/usr/bin/env python3
"""Assumed-role credentials in `check`, end to end against the fake AWS:

- --role-arn as a hub: the per-account roles (--role-name) are assumed FROM the hub role's session (the fixture's
  SpokeAudit roles trust only the hub role, so the run can only pass that way);
- mid-run refresh: the fake issues sessions that last 301 s (`sts_session_seconds`), so the client, which renews
  credentials 300 s before they expire, must assume the role again within seconds; the run spans several renewals
  and must still verify everything. Covered for --role-arn, a role profile (through the default chain) and web
  identity, and for the per-account roles of a hub run (re-assumed from the hub's current session); a session
  revoked mid-run is replaced;
- apply --role-arn, and no secret in --debug output of apply and check with roles.
Exit 0 pass, 77 skip (no fake AWS in this tree), 1 fail.
"""
import os
import subprocess
import tempfile
import threading

from checklib import (AS_OF, BIN, MAIN_EXPECTED, Workdir, arn, check, entry, finding_set, finish, run_check,
                      run_json, start_fake)

import fakeaws

HUB = "arn:aws:iam::111111111111:role/LedgerHub"
AUDIT = "arn:aws:iam::111111111111:role/InspectorLedgerAudit"
OIDC_ROLE = "arn:aws:iam::111111111111:role/GitHubActionsOIDC"
SESSION_SECONDS = 301  # renewed 300 s before expiry (whole seconds): a fresh session is stale again within 2 s


def sessions(fake, role=None):
    return [s for s in fake.sts_sessions() if role is None or s["role_arn"] == role]


def test_hub(fake):
    wd = Workdir("roles-hub")
    fake.reset()
    rc, doc, err = run_json(fake, wd, "--role-name", "SpokeAudit", "--account", "333333333333")
    check(rc == 3, "without the hub, user ci cannot assume SpokeAudit: exit 3 (got %d)" % rc, err)
    fake.reset()
    rc, doc, err = run_json(fake, wd, "--role-arn", HUB, "--role-name", "SpokeAudit", "--account", "333333333333",
                            "--role-session-name", "ledger-hub")
    if not check(doc is not None and rc == 1, "hub run exits 1 with findings (got %d)" % rc, err):
        return
    check(doc["unverified"] == [], "every account verified through the hub", doc["unverified"])
    expected = (MAIN_EXPECTED - {("not-checked", arn("prod-api", account="222222222222"))}) | {
        ("unrecorded-exclusion", arn("prod-shadow", account="222222222222")),
        ("unrecorded-exclusion", arn("sandbox-fn", account="333333333333")),
    }
    got = finding_set(doc)
    check(got == expected, "hub: the three accounts' findings",
          {"missing": sorted(expected - got), "unexpected": sorted(got - expected)})
    hub = sessions(fake, HUB)
    check(len(hub) == 1 and hub[0]["caller"] == fakeaws.CREDENTIALS["ci"][3] and
          hub[0]["session_name"] == "ledger-hub", "one hub AssumeRole, by the environment's user", hub)
    spokes = [s for s in sessions(fake) if s["role_arn"].endswith(":role/SpokeAudit")]
    check(sorted(s["role_arn"].split(":")[4] for s in spokes) == ["111111111111", "222222222222", "333333333333"],
          "one SpokeAudit AssumeRole per account", spokes)
    check(all(s["caller"] == "arn:aws:sts::111111111111:assumed-role/LedgerHub/ledger-hub" for s in spokes),
          "each per-account role is assumed with the hub's session", spokes)

    # --external-id goes to the hub (and to the per-account roles, where AWS ignores one it does not ask for)
    fake.reset()
    rc, doc, err = run_json(fake, wd, "--role-arn", HUB, "--external-id", "hub-ext-1", "--role-name", "SpokeAudit")
    check(rc == 1 and doc is not None and doc["unverified"] == [], "hub + --external-id run verifies (%d)" % rc, err)
    check(all(s["external_id"] == "hub-ext-1" for s in sessions(fake)) and len(sessions(fake)) == 3,
          "every AssumeRole of the run carries the ExternalId", sessions(fake))
    rc, out, err = run_check(fake, wd, "--external-id", "x")
    check(rc == 2 and "--external-id needs --role-arn, --role-name or --role-arn-template" in err,
          "--external-id alone is a usage error", err)


def _refresh_run(fake, wd, label, role, *args, env_extra=None, min_sessions=2):
    fake.reset()
    fake.configure(sts_session_seconds=SESSION_SECONDS)
    try:
        # the lambda source at 20 requests/s reads 70 functions' tags one by one: a run of at least 3.5 s
        rc, doc, err = run_json(fake, wd, "--tags-source", "lambda", "--rate-limit", "20", *args, env_extra=env_extra)
    finally:
        fake.configure(sts_session_seconds=None)
    check(doc is not None and rc == 1, "%s: the run verifies everything and exits 1 (got %d)" % (label, rc), err)
    if doc is not None:
        check(doc["unverified"] == [], "%s: nothing unverified" % label, doc["unverified"])
    got = sessions(fake, role)
    check(len(got) >= min_sessions, "%s: the role was assumed again mid-run (%d sessions)" % (label, len(got)), got)
    stats = fake.stats()
    used = {k: n for k, n in stats["temporary_key_requests"].items() if n > 0}
    check(len(used) >= min_sessions, "%s: requests were signed with several sessions' keys" % label, used)
    check(not any("Expired" in code for code in stats["auth_failures"]),
          "%s: renewed before expiry, never refused as expired" % label, stats["auth_failures"])


def test_refresh(fake):
    wd = Workdir("roles-refresh", [entry("orders-api"), entry("billing-fn")])
    _refresh_run(fake, wd, "--role-arn", AUDIT, "--role-arn", AUDIT)
    # a role profile: the client asks the default chain again, which assumes the role again
    tmp = tempfile.mkdtemp(prefix="roles-refresh-", dir=os.environ.get("IL_TEST_OUT"))
    config = os.path.join(tmp, "config")
    with open(config, "w") as f:
        f.write("[profile audit]\nrole_arn = %s\ncredential_source = Environment\n" % AUDIT)
    _refresh_run(fake, wd, "role profile", AUDIT, "--profile", "audit", env_extra={"AWS_CONFIG_FILE": config})


def test_spoke_refresh(fake):
    """The per-account roles are re-assumed too (from the hub's current session), not only the hub."""
    wd = Workdir("roles-refresh-spokes", [entry("orders-api"), entry("billing-fn"),
                                          entry("prod-api", account="222222222222")])
    _refresh_run(fake, wd, "hub and spokes", HUB, "--role-arn", HUB, "--role-name", "SpokeAudit")
    spokes = [s for s in sessions(fake) if s["role_arn"] == "arn:aws:iam::111111111111:role/SpokeAudit"]
    check(len(spokes) >= 2, "the busy account's SpokeAudit session was re-assumed mid-run (%d)" % len(spokes), spokes)
    hub_arns = {s["caller"] for s in spokes}
    check(all(a.startswith("arn:aws:sts::111111111111:assumed-role/LedgerHub/") for a in hub_arns),
          "each re-assumption signed by a hub session", hub_arns)


def test_expired_mid_run(fake):
    """AWS revokes the assumed session mid-run (ExpiredToken before the Expiration): the client drops it, the
    assume-role provider assumes the role again with its (still valid) source credentials, and the run verifies."""
    wd = Workdir("roles-expired", [entry("orders-api"), entry("billing-fn")])
    fake.reset()
    timer = threading.Timer(1.0, fake.expire_credentials)
    timer.start()
    try:
        rc, doc, err = run_json(fake, wd, "--tags-source", "lambda", "--rate-limit", "20", "--role-arn", AUDIT)
    finally:
        timer.cancel()
    check(doc is not None and rc == 1 and doc["unverified"] == [],
          "revoked session: the run still verifies everything (got %d)" % rc, err)
    stats = fake.stats()
    check(any("Expired" in code for code in stats["auth_failures"]), "the fake did refuse the revoked session",
          stats["auth_failures"])
    check(len(sessions(fake, AUDIT)) >= 2, "the role was assumed again after the refusal", sessions(fake, AUDIT))


def test_apply_and_debug_secrets(fake):
    """apply --role-arn works like check's; and no secret — the environment's or any the fake's STS issued — shows in
    a --debug run of either command."""
    wd = Workdir("roles-apply", [entry("orders-api"), entry("billing-fn")])
    fake.reset()
    env = fake.env("ci")
    p = subprocess.run([BIN, "apply", "--as-of", AS_OF, "--rate-limit", "2000", "--role-arn", AUDIT, "--debug",
                        wd.ledger], env=env, capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and "billing-fn" in p.stdout and "1 change planned" in p.stdout,
          "apply --role-arn: the dry run plans the missing tag (exit %d)" % p.returncode, p.stdout + p.stderr[-500:])
    got = sessions(fake, AUDIT)
    check(len(got) == 1 and got[0]["caller"] == fakeaws.CREDENTIALS["ci"][3], "apply: one AssumeRole by user ci", got)
    check(sum(fake.stats()["temporary_key_requests"].values()) > 5, "apply: its Lambda calls signed by the session")
    check("[aws] credentials from provider 'assume-role (source: environment)'" in p.stderr,
          "apply --debug names the source")
    text = p.stdout + p.stderr
    fake.reset()
    rc, out, err = run_check(fake, wd, "--debug", "--role-arn", HUB, "--role-name", "SpokeAudit", "--account",
                             "333333333333")
    check(rc == 1 and "-> sts.AssumeRole" in err, "check --debug with a hub traces its AssumeRole calls (%d)" % rc)
    text += out + err
    secrets = [fakeaws.CREDENTIALS["ci"][1]] + fake.issued_secrets()
    check(len(secrets) > 8, "secrets to look for: the static one and each issued session's", len(secrets))
    check(not any(x in text for x in secrets), "no secret in apply/check output, --debug included")


def test_web_identity_refresh():
    """Web identity, with the default fixture (it has the OIDC role)."""
    wd = Workdir("roles-refresh-oidc", [entry("payments-api")])
    token = wd.file("token")
    with open(token, "w") as f:
        f.write("fake-oidc-token-main-0001\n")
    with fakeaws.FakeAWS() as fake:
        env = {"AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": OIDC_ROLE, "AWS_ACCESS_KEY_ID": "",
               "AWS_SECRET_ACCESS_KEY": ""}
        fake.reset()
        fake.configure(sts_session_seconds=SESSION_SECONDS)
        # 132 functions at 40 requests/s: at least 3.3 s
        rc, doc, err = run_json(fake, wd, "--tags-source", "lambda", "--rate-limit", "40", env_extra=env)
        check(doc is not None and rc in (0, 1) and doc["unverified"] == [],
              "web identity: the run verifies everything (got %d)" % rc, err)
        got = sessions(fake, OIDC_ROLE)
        check(len(got) >= 2 and all(s["action"] == "AssumeRoleWithWebIdentity" for s in got),
              "web identity: the token was exchanged again mid-run (%d sessions)" % len(got), got)
        check(not any("Expired" in c for c in fake.stats()["auth_failures"]), "web identity: never expired")


def main():
    with start_fake() as fake:
        test_hub(fake)
        test_refresh(fake)
        test_spoke_refresh(fake)
        test_expired_mid_run(fake)
        test_apply_and_debug_secrets(fake)
    test_web_identity_refresh()
    finish()


if __name__ == "__main__":
    main()
