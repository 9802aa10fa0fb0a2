#!/usr/bin/env python3
"""Generate a valid exclusion ledger with N entries, deterministically (same N and seed, same bytes).

Entries look like the bundled example: realistic function names, ARNs across the aws, aws-cn and aws-us-gov
partitions, both scan types with their matching tag, tickets, compensating controls, owners, and dates that pass
every ledger rule for --as-of 2026-10-01 (applied before it, review and expiry well after it, in order).
Python standard library only.

usage: gen_ledger.py N [OUT] [--seed S]     (OUT defaults to standard output)
"""
import argparse
import datetime
import random
import sys

AS_OF = datetime.date(2026, 10, 1)

SERVICES = ["orders", "billing", "payments", "catalog", "search", "inventory", "shipping", "identity", "reports",
            "notifications", "pricing", "checkout", "accounts", "ledger", "fraud", "media", "analytics", "support"]
COMPONENTS = ["api", "worker", "consumer", "exporter", "importer", "resizer", "renderer", "scheduler", "webhook",
              "sync", "cleanup", "indexer", "auth", "gateway", "etl", "notifier"]
REGIONS = {
    "aws": ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1"],
    "aws-cn": ["cn-north-1", "cn-northwest-1"],
    "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
}
TEAMS = ["commerce-platform", "payments-core", "documents", "data-platform", "identity", "growth", "sre",
         "mobile-backend", "search-relevance", "fulfilment"]
PEOPLE = ["maria.schmidt", "li.wei", "sam.okafor", "ana.pereira", "jonas.berg", "priya.nair", "tom.hughes",
          "fatima.zahra", "kenji.sato", "olga.ivanova", "diego.ramos", "emma.larsen"]
APPLIERS = ["deploy-bot", "terraform-ci", "platform-automation"]
STANDARD_REASONS = [
    "Vendored {lib} in the base layer is never loaded; findings are unreachable false positives",
    "Pinned {lib} is required by a partner SDK; the vulnerable code path is disabled by configuration",
    "Dependency scan reports {lib} from a test-only package that is stripped from the deployment artifact",
]
CODE_REASONS = [
    "Generated {lib} bindings exceed the code scanner's limits; handwritten code is reviewed manually",
    "Code scanning times out on minified {lib} bundles; the sources are scanned in CI instead",
    "Obfuscated {lib} vendor code cannot be analysed; the vendor supplies a signed security attestation",
]
LIBS = ["libxml2", "openssl", "pillow", "protobuf", "lodash", "jackson-databind", "urllib3", "netty", "log4j",
        "sqlite", "zlib", "moment"]
CONTROLS = [
    "Layer rebuilt weekly from the patched upstream image",
    "SBOM diffed in CI; a new parser import fails the build",
    "Semgrep runs on the handwritten sources in every pull request",
    "Quarterly manual review by the application security team",
    "Function has no internet egress; VPC endpoints only",
    "WAF rule blocks the affected request shapes",
    "Runtime protection agent alerts on unexpected child processes",
    "Execution role limited to a single DynamoDB table",
]


def entry(rng, i):
    partition = rng.choices(["aws", "aws-cn", "aws-us-gov"], weights=[90, 5, 5])[0]
    region = rng.choice(REGIONS[partition])
    account = "%012d" % rng.randrange(10 ** 11, 10 ** 12)
    # i makes each name unique, so (ARN, scan type) pairs never collide
    name = "%s-%s-%d" % (rng.choice(SERVICES), rng.choice(COMPONENTS), i)
    scan = "standard" if i % 3 != 2 else "code"
    lib = rng.choice(LIBS)
    if scan == "standard":
        tag_key, tag_value = "InspectorExclusion", "LambdaStandardScanning"
        summary = rng.choice(STANDARD_REASONS).format(lib=lib)
    else:
        tag_key, tag_value = "InspectorCodeExclusion", "LambdaCodeScanning"
        summary = rng.choice(CODE_REASONS).format(lib=lib)
    controls = rng.sample(CONTROLS, rng.choice([1, 2, 2, 3]))
    applied = AS_OF - datetime.timedelta(days=rng.randrange(1, 300))
    review = AS_OF + datetime.timedelta(days=rng.randrange(30, 180))
    expires = review + datetime.timedelta(days=rng.randrange(0, 180))
    approver = rng.choice(PEOPLE)
    lines = []
    if rng.random() < 0.3:
        lines.append("  # %s (%s scanning)." % (summary.split(";")[0], scan))
    lines += [
        "  - target:",
        "      type: lambda",
        "      function_name: %s" % name,
        "      function_arn: arn:%s:lambda:%s:%s:function:%s" % (partition, region, account, name),
        "    scan_type: %s" % scan,
        "    tag:",
        "      key: %s" % tag_key,
        "      value: %s" % tag_value,
        "    reason:",
        "      summary: %s" % summary,
        "      ticket: SEC-%d" % (1000 + i),
        "      compensating_controls:",
    ]
    lines += ["        - %s" % c for c in controls]
    lines += [
        "    owner:",
        "      team: %s" % rng.choice(TEAMS),
        "      approved_by: %s@example.com" % approver,
        "      applied_by: %s@example.com" % rng.choice(APPLIERS),
        "    dates:",
        "      applied_at: %s" % applied.isoformat(),
        "      next_review_at: %s" % review.isoformat(),
        "      expires_at: %s" % expires.isoformat(),
        "",
    ]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description="Generate a valid exclusion ledger with N entries.")
    ap.add_argument("n", type=int)
    ap.add_argument("out", nargs="?")
    ap.add_argument("--seed", type=int, default=20261001)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = open(args.out, "w", encoding="utf-8", newline="\n") if args.out else sys.stdout
    try:
        out.write("# Generated by bench/gen_ledger.py: %d entries, seed %d, valid as of %s.\n"
                  % (args.n, args.seed, AS_OF.isoformat()))
        out.write("version: 1\n\nexclusions:\n")
        for i in range(args.n):
            out.write(entry(rng, i))
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    main()
