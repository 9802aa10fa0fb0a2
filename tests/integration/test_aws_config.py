#!/usr/bin/env python3
"""Shared-config parity end to end: the tool reads ~/.aws/config (AWS_CONFIG_FILE) and the environment as the AWS CLI
does — profile region, `[services]` endpoint_url, FIPS, dual-stack, sts_regional_endpoints, retry settings — proved
three ways:

1. against the fake AWS (whoami and check reach it only through the profile's services section and region);
2. endpoint selection with HTTPS_PROXY pointing at a loopback proxy that records the CONNECT host and refuses, so
   nothing contacts a public host; the AWS CLI run over the same config files and proxy must CONNECT to the same
   host (differential);
3. `aws configure get` / `aws configure list` agree with the region and profile the tool reports, and both refuse
   the same bad settings (AWS_PROFILE=nosuch, AWS_RETRY_MODE=bogus).

The AWS CLI oracle is /usr/bin/aws (v2) for region/FIPS/dual-stack/STS, and the pip `aws` (botocore >= 1.31, which
reads configured endpoints) for the services sections; a missing CLI skips only its comparisons."""
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

T0 = time.time()


def stage(name):
    print("%6.1fs %s" % (time.time() - T0, name), flush=True)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from credlib import BIN, check, finish, run, scratch_dir, whoami, write  # noqa: E402
import checklib  # noqa: E402
import fakeaws  # noqa: E402


ConnectRecorder = fakeaws.ConnectRecorder


def base_env(home, config, creds="/dev/null"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k.lower() not in (
        "http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    akid, secret, _, _ = fakeaws.CREDENTIALS["ci"]
    env.update(HOME=home, AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE=creds, AWS_EC2_METADATA_DISABLED="true",
               AWS_PAGER="", AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret)
    return fakeaws.aws_cli_env(env)  # the AWS CLI v2.9 ignores AWS_ENDPOINT_URL: a slip must fail on loopback


def cli_candidates():
    """(name, path) of the AWS CLIs here: v2 from /usr/bin, the pip one on PATH."""
    out = []
    if os.path.exists("/usr/bin/aws"):
        out.append(("aws-v2", "/usr/bin/aws"))
    pip = shutil.which("aws", path=os.environ.get("PATH", "").replace("/usr/bin", "/nonexistent"))
    if pip and os.path.realpath(pip) != "/usr/bin/aws":
        out.append(("aws-pip", pip))
    return out


CLIS = cli_candidates()
work = scratch_dir("il-awsconfig-")
config = os.path.join(work, "config")
proxy = ConnectRecorder()

# ---- 1. endpoint selection through the recording proxy, the tool and each AWS CLI side by side ----------------
PROFILES = """
[default]
region = eu-west-1

[profile gov]
region = us-gov-west-1
use_fips_endpoint = true

[profile fipsdual]
region = us-east-2
use_fips_endpoint = true
use_dualstack_endpoint = true

[profile dual]
region = ap-southeast-2
use_dualstack_endpoint = true

[profile legacysts]
region = eu-west-1
sts_regional_endpoints = legacy

[profile cn]
region = cn-north-1

[profile vpce]
region = eu-central-1
services = vpc

[services vpc]
sts =
  endpoint_url = https://vpce-0123.sts.eu-central-1.vpce.amazonaws.com
"""
write(config, PROFILES)

CASES = [
    # (what, profile or None, extra env, expected CONNECT host, which CLIs can report it)
    ("profile region", None, {}, "sts.eu-west-1.amazonaws.com:443", ("aws-v2", "aws-pip")),
    # the AWS CLI v1 (pip) reads only AWS_DEFAULT_REGION; v2 and botocore-based SDKs read AWS_REGION first
    ("AWS_REGION over the profile", None, {"AWS_REGION": "ca-central-1"}, "sts.ca-central-1.amazonaws.com:443",
     ("aws-v2", )),
    ("AWS_USE_FIPS_ENDPOINT", None, {"AWS_USE_FIPS_ENDPOINT": "true"}, "sts-fips.eu-west-1.amazonaws.com:443",
     ("aws-v2", "aws-pip")),
    ("GovCloud FIPS STS keeps its name", "gov", {}, "sts.us-gov-west-1.amazonaws.com:443", ("aws-v2", "aws-pip")),
    ("FIPS + dual-stack", "fipsdual", {}, "sts-fips.us-east-2.api.aws:443", ("aws-v2", "aws-pip")),
    ("dual-stack", "dual", {}, "sts.ap-southeast-2.api.aws:443", ("aws-v2", "aws-pip")),
    ("env FIPS false beats the profile", "gov", {"AWS_USE_FIPS_ENDPOINT": "false"},
     "sts.us-gov-west-1.amazonaws.com:443", ("aws-v2", "aws-pip")),
    # botocore's setting; the AWS CLI v2 here (2.9) ignores it and always goes regional, so pip's CLI is the oracle
    ("sts_regional_endpoints = legacy", "legacysts", {}, "sts.amazonaws.com:443", ("aws-pip", )),
    ("AWS_STS_REGIONAL_ENDPOINTS=regional beats it", "legacysts", {"AWS_STS_REGIONAL_ENDPOINTS": "regional"},
     "sts.eu-west-1.amazonaws.com:443", ("aws-v2", "aws-pip")),
    ("China partition", "cn", {}, "sts.cn-north-1.amazonaws.com.cn:443", ("aws-v2", "aws-pip")),
    ("services section (VPC endpoint)", "vpce", {}, "vpce-0123.sts.eu-central-1.vpce.amazonaws.com:443",
     ("aws-pip", )),
    ("AWS_ENDPOINT_URL_STS beats the services section", "vpce",
     {"AWS_ENDPOINT_URL_STS": "https://sts-override.example.internal"}, "sts-override.example.internal:443",
     ("aws-pip", )),
    ("ignore_configured_endpoint_urls", "vpce", {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
     "sts.eu-central-1.amazonaws.com:443", ("aws-pip", )),
]

stage("endpoint selection")
for what, profile, extra, want, oracles in CASES:
    env = base_env(work, config)
    env.update(extra)
    fakeaws.proxy_guard(env, "http://127.0.0.1:%d" % proxy.port)
    env.update(AWS_MAX_ATTEMPTS="1", NO_PROXY="", no_proxy="")
    if profile:
        env["AWS_PROFILE"] = profile
    proxy.take()
    rc, _, err = whoami(env, timeout=60)
    hosts = proxy.take()
    check(rc == 3 and hosts[:1] == [want], f"{what}: the tool CONNECTs to {want} (rc {rc}, hosts {hosts}, {err[-300:]!r})")
    for name, path in CLIS:
        if name not in oracles:
            continue
        p = subprocess.run([path, "sts", "get-caller-identity"], env=env, capture_output=True, text=True, timeout=60)
        cli_hosts = proxy.take()
        check(cli_hosts[:1] == [want], f"{what}: {name} CONNECTs to {want} too (got {cli_hosts}, {p.stderr[-300:]!r})")

# check: every service's endpoint follows the same settings (STS is contacted first, through the recorder; the
# others are resolved when the client is made and named by --debug)
wd0 = checklib.Workdir("awsconfig-fips")
write(config, "[default]\nregion = us-east-2\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n")
env = base_env(work, config)
fakeaws.proxy_guard(env, "http://127.0.0.1:%d" % proxy.port)
env.update(AWS_MAX_ATTEMPTS="1")
proxy.take()
p = subprocess.run([BIN, "check", "--debug", "--as-of", checklib.AS_OF, wd0.ledger], env=env, capture_output=True,
                   text=True, timeout=120)
check(p.returncode == 3 and proxy.take()[:1] == ["sts-fips.us-east-2.api.aws:443"],
      f"check: STS at the FIPS dual-stack host, then exit 3 ({p.returncode})")
for svc, host in (("lambda", "lambda-fips.us-east-2.api.aws"), ("tagging", "tagging-fips.us-east-2.api.aws"),
                  ("inspector2", "inspector2-fips.us-east-2.api.aws")):
    check("[aws] endpoint %s us-east-2: https://%s (from endpoint rule set, FIPS, dual-stack)" % (svc, host) in p.stderr,
          f"check: {svc} resolves to {host}")
write(config, PROFILES)

# ---- 2. the AWS CLI's own view of region and profile -----------------------------------------------------------
stage("configure get / list")
for profile in (None, "gov", "cn", "vpce"):
    env = base_env(work, config)
    env.update(AWS_ENDPOINT_URL="http://127.0.0.1:9")  # whoami's answer is not needed: only its region line
    if profile:
        env["AWS_PROFILE"] = profile
    rc, out, err = run(env, "whoami", "--debug", timeout=60)
    tool_region = next((l.split("= ", 1)[1].split(" (")[0] for l in err.splitlines()
                        if l.startswith("[aws] config: region = ")), None)
    tool_profile = next((l.split("= ", 1)[1].split(" (")[0] for l in err.splitlines()
                         if l.startswith("[aws] config: profile = ")), None)
    for name, path in CLIS:
        got = subprocess.run([path, "configure", "get", "region"], env=env, capture_output=True, text=True,
                             timeout=60).stdout.strip()
        check(got == tool_region, f"{profile}: {name} `configure get region` says {got!r}, the tool {tool_region!r}")
        listing = subprocess.run([path, "configure", "list"], env=env, capture_output=True, text=True,
                                 timeout=60).stdout
        prof_line = next((l.split() for l in listing.splitlines() if l.strip().startswith("profile")), [])
        cli_profile = prof_line[1] if len(prof_line) > 1 and prof_line[1] != "<not" else "default"
        check(cli_profile == tool_profile, f"{profile}: {name} `configure list` profile {cli_profile!r}, "
              f"the tool {tool_profile!r}")

# AWS_PROFILE and AWS_DEFAULT_PROFILE both set: the AWS CLI v2 takes AWS_PROFILE (botocore alone, and so the v1 CLI,
# takes AWS_DEFAULT_PROFILE first); the tool follows the v2 CLI
env = base_env(work, config)
env.update(AWS_PROFILE="gov", AWS_DEFAULT_PROFILE="cn", AWS_ENDPOINT_URL="http://127.0.0.1:9")
rc, out, err = run(env, "whoami", "--debug", timeout=60)
check("[aws] config: profile = gov (from AWS_PROFILE)" in err, f"AWS_PROFILE beats AWS_DEFAULT_PROFILE ({err[-300:]!r})")
for name, path in CLIS:
    if name == "aws-v2":
        got = subprocess.run([path, "configure", "get", "region"], env=env, capture_output=True, text=True,
                             timeout=60).stdout.strip()
        check(got == "us-gov-west-1", f"{name} takes AWS_PROFILE too (region {got!r})")

# ---- 3. refusals, and the CLI refuses the same ------------------------------------------------------------------
write(config, PROFILES + "\n[profile badattempts]\nmax_attempts = x\n")
REFUSALS = [
    ("AWS_PROFILE=nosuch with keys set", {"AWS_PROFILE": "nosuch"}, 2,
     "the config profile (nosuch) could not be found (named by AWS_PROFILE"),
    ("AWS_RETRY_MODE=bogus", {"AWS_RETRY_MODE": "bogus"}, 2, "retry_mode: 'bogus' from AWS_RETRY_MODE"),
    ("max_attempts = x", {"AWS_PROFILE": "badattempts"}, 2, "max_attempts: 'x' from profile badattempts (%s:" % config),
    ("AWS_USE_DUALSTACK_ENDPOINT=maybe", {"AWS_USE_DUALSTACK_ENDPOINT": "maybe"}, 2, "use_dualstack_endpoint: 'maybe'"),
    ("AWS_STS_REGIONAL_ENDPOINTS=global", {"AWS_STS_REGIONAL_ENDPOINTS": "global"}, 2, "sts_regional_endpoints"),
    ("FIPS with a custom endpoint", {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}, 2,
     "FIPS and custom endpoint are not supported"),
]
stage("refusals")
for what, extra, want_rc, needle in REFUSALS:
    env = base_env(work, config)
    env.update(extra)
    rc, _, err = whoami(env, timeout=60)
    check(rc == want_rc and needle in err, f"{what}: exit {want_rc} naming it (got {rc}: {err[-400:]!r})")
    if what.startswith(("AWS_PROFILE", "AWS_RETRY_MODE", "AWS_STS")):
        for name, path in CLIS:
            if what.startswith("AWS_STS") and name == "aws-v2":
                continue  # v2 does not read sts_regional_endpoints (above), so it cannot refuse a bad one
            p = subprocess.run([path, "sts", "get-caller-identity"], env=dict(env, AWS_ENDPOINT_URL="http://127.0.0.1:9",
                                                                              AWS_MAX_ATTEMPTS="1"),
                               capture_output=True, text=True, timeout=60)
            check(p.returncode != 0 and "Could not connect" not in p.stderr,
                  f"{what}: {name} refuses it too (rc {p.returncode}, {p.stderr[-200:]!r})")
rc, _, err = run(base_env(work, config), "whoami", "--profile", "nosuch")
check(rc == 2 and "(nosuch) could not be found (named by --profile" in err, f"--profile nosuch refused ({rc}: {err[-300:]!r})")

# ---- 4. against the fake: only the profile's region and services section lead there --------------------------
stage("against the fake")
with checklib.start_fake() as fake:
    ep = fake.endpoint
    services = "".join("%s =\n  endpoint_url = %s\n" % (sid, ep)
                       for sid in ("lambda", "sts", "resource_groups_tagging_api", "inspector2"))
    write(config, "[profile viafake]\nregion = us-east-1\nservices = fake\nretry_mode = adaptive\n"
          "max_attempts = 4\n\n[services fake]\n" + services)
    env = base_env(work, config)
    env["AWS_PROFILE"] = "viafake"
    rc, doc, err = whoami(env, "--debug", timeout=120)
    check(rc == 0 and doc.get("account") == "111111111111" and doc.get("region") == "us-east-1",
          f"whoami reaches the fake through the services section and profile region (rc {rc}, {doc}, {err[-300:]!r})")
    check("[aws] config: retry_mode = adaptive (from profile viafake (%s:4))" % config in err,
          "--debug names the retry mode and where it came from")
    check("[aws] config: max_attempts = 4 (from profile viafake" in err, "--debug names max_attempts and its source")
    check("attempt 1/4" in err, "max_attempts from the profile is used")
    for name, path in CLIS:
        if name != "aws-pip":
            continue
        p = subprocess.run([path, "sts", "get-caller-identity", "--output", "json"], env=env, capture_output=True,
                           text=True, timeout=60)
        cli_doc = json.loads(p.stdout) if p.returncode == 0 else {}
        check(cli_doc.get("Account") == doc.get("account") and cli_doc.get("Arn") == doc.get("arn"),
              f"{name} through the same services section agrees with whoami ({cli_doc} vs {doc})")

    wd = checklib.Workdir("awsconfig-check")
    # baseline: the usual environment (AWS_ENDPOINT_URL, AWS_REGION)
    base = fake.env()
    cmd = [BIN, "check", "--as-of", checklib.AS_OF, "--rate-limit", "2000", "--format", "json", wd.ledger]
    p0 = subprocess.run(cmd, env=base, capture_output=True, text=True, timeout=300)
    p1 = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    same = p0.returncode == p1.returncode and p0.stdout and p1.stdout and \
        checklib.finding_set(json.loads(p0.stdout)) == checklib.finding_set(json.loads(p1.stdout))
    check(same, f"check through the profile's services section finds what the environment's endpoint finds "
          f"(rc {p0.returncode}/{p1.returncode}, {p1.stderr[-400:]!r})")
    p2 = subprocess.run(cmd, env=dict(env, AWS_PROFILE="nosuch"), capture_output=True, text=True, timeout=60)
    check(p2.returncode == 2 and "(nosuch) could not be found (named by AWS_PROFILE" in p2.stderr,
          f"check refuses a missing profile ({p2.returncode}: {p2.stderr[-300:]!r})")
    p3 = subprocess.run(cmd, env=dict(env, AWS_RETRY_MODE="bogus"), capture_output=True, text=True, timeout=60)
    check(p3.returncode == 2 and "retry_mode: 'bogus' from AWS_RETRY_MODE" in p3.stderr,
          f"check refuses AWS_RETRY_MODE=bogus ({p3.returncode}: {p3.stderr[-300:]!r})")

    # adaptive mode under throttling: the limiter engages and the run still completes
    stage("adaptive under throttling")
    fake.configure(throttle_rate=0.3)
    p4 = subprocess.run(cmd[:1] + ["check", "--debug"] + cmd[2:], env=dict(env, AWS_MAX_ATTEMPTS="10"),
                        capture_output=True, text=True, timeout=300)
    check("[aws] adaptive " in p4.stderr and "throttled, send rate now" in p4.stderr,
          f"adaptive mode cuts the send rate on throttling ({p4.stderr[-600:]!r})")
    check(p4.returncode == p0.returncode, f"adaptive run under throttling ends like the baseline ({p4.returncode})")

stage("done")
shutil.rmtree(work, ignore_errors=True)
finish("shared-config parity")
