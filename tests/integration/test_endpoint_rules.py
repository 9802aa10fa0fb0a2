#!/usr/bin/env python3
"""The library's endpoint rule-set evaluator agrees with botocore's own (botocore.endpoint_provider) over the rule
sets and partitions in ../shared/aws-models, for every region of every partition (plus regex-only regions) × FIPS ×
dual-stack (× STS global endpoint) × every service the tool resolves. Also proves the embedded copies in data/ are
the shared models byte for byte. No network."""
import json
import os
import subprocess
import sys

try:
    from botocore.endpoint_provider import EndpointProvider
    from botocore.exceptions import EndpointResolutionError
except ImportError:
    print("SKIP: botocore is not installed")
    sys.exit(77)

SRC = os.environ.get("IL_SOURCE_DIR", ".")
MODELS = os.path.join(os.environ.get("IL_SHARED_DIR", os.path.join(SRC, "../shared")), "aws-models")
TOOL = os.path.join(os.environ.get("IL_TOOLS_DIR", "build/tools"), "il_endpoints")
SERVICES = ["lambda", "resourcegroupstaggingapi", "sts", "inspector2", "organizations", "sso"]


def main():
    failures = 0
    for name in SERVICES:
        with open(os.path.join(MODELS, name, "endpoint-rule-set-1.json"), "rb") as a, open(
                os.path.join(SRC, "data", f"endpoint-rules-{name}.json"), "rb") as b:
            if a.read() != b.read():
                print(f"FAIL: data/endpoint-rules-{name}.json differs from the shared model")
                failures += 1
    with open(os.path.join(MODELS, "partitions.json")) as f:
        partitions = json.load(f)
    regions = [r for p in partitions["partitions"] for r in p["regions"]]
    regions += ["us-gov-north-7", "cn-south-9", "eu-central-9", "local"]
    expected = []
    for svc in SERVICES:
        with open(os.path.join(MODELS, svc, "endpoint-rule-set-1.json")) as f:
            provider = EndpointProvider(json.load(f), partitions)
        for region in regions:
            for fips in (False, True):
                for dual in (False, True):
                    for glob in ((False, True) if svc == "sts" else (False, )):
                        params = {"Region": region, "UseFIPS": fips, "UseDualStack": dual}
                        if svc == "sts":
                            params["UseGlobalEndpoint"] = glob
                        try:
                            ep = provider.resolve_endpoint(**params)
                            schemes = ep.properties.get("authSchemes") or [{}]
                            out = ep.url + " " + schemes[0].get("signingRegion", "-")
                        except EndpointResolutionError:
                            out = "ERROR"
                        expected.append(f"{svc} {region} {int(fips)} {int(dual)} {int(glob)} {out}")
    got = subprocess.run([TOOL] + regions, capture_output=True, text=True, check=True).stdout.splitlines()
    # the tool's error lines carry the rule set's message; botocore's is compared as "ERROR"
    got = [g if " ERROR " not in g else g[:g.index(" ERROR ") + 6] for g in got]
    if len(got) != len(expected):
        print(f"FAIL: {len(got)} lines from il_endpoints, {len(expected)} from botocore")
        failures += 1
    for want, have in zip(expected, got):
        if want != have:
            print(f"FAIL: botocore: {want}\n      library:  {have}")
            failures += 1
    print(f"compared {len(expected)} endpoints ({len(regions)} regions x {len(SERVICES)} services x FIPS x dual-stack)")
    fips_hosts = sum(1 for e in expected if " 1 0 0 https://" in e)
    assert fips_hosts > 100, fips_hosts
    if failures:
        sys.exit(1)
    print("ok")


main()
