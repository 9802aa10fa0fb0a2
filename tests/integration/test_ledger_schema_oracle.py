#!/usr/bin/env python3
"""Differential test of the ledger schema: our validator (`validate --schema-only`) against an independent oracle
(Debian's python3-jsonschema, Draft 2020-12 with format checking, over python3-yaml), on the example ledgers and on
mutations of the valid example (a dropped key, a wrong type, whitespace-only text, an impossible date, ARNs of each
partition, qualifiers, an unknown key...). Both must agree on valid/invalid, and every place the oracle flags must be
one our validator flags. Exit 77 (skip) when the oracle modules are missing.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError:
    print("skip: python3-jsonschema / python3-yaml not installed")
    sys.exit(77)

BIN = os.environ["IL_BIN"]
SRC = os.environ["IL_SOURCE_DIR"]
OUT = os.path.join(os.environ.get("IL_TEST_OUT", tempfile.gettempdir()), "schema-oracle")
SCHEMA = os.path.join(SRC, "schema", "inspector-exclusions.schema.json")
EXAMPLE = os.path.join(SRC, "ledger-example", "security", "inspector-exclusions.yaml")


class Loader(yaml.SafeLoader):
    """YAML 1.2-ish: dates stay strings (PyYAML would make them datetime.date, which is not a JSON type)."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}

schema = json.load(open(SCHEMA, encoding="utf-8"))
oracle = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def ours(doc_path):
    r = subprocess.run([BIN, "validate", "--schema-only", "--schema", SCHEMA, "--format", "json", doc_path],
                       capture_output=True, text=True, check=False)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"exit {r.returncode}: {r.stderr}")
    findings = json.loads(r.stdout)["findings"]
    return r.returncode, [f.get("pointer") or "" for f in findings]


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def check(name, data, failures):
    path = os.path.join(OUT, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)
    code, our_ptrs = ours(path)
    errors = list(oracle.iter_errors(data))
    want_valid = not errors
    if (code == 0) != want_valid:
        failures.append(f"{name}: ours {'valid' if code == 0 else 'invalid'}, oracle "
                        f"{'valid' if want_valid else 'invalid: ' + '; '.join(e.message for e in errors)}")
        return
    for e in errors:
        p = pointer(e.absolute_path)
        if not any(q == p or q.startswith(p + "/") or p.startswith(q + "/") for q in our_ptrs):
            failures.append(f"{name}: oracle flags {p or '/'} ({e.message}); ours flag {our_ptrs}")


def main():
    os.makedirs(OUT, exist_ok=True)
    failures = []
    base = yaml.load(open(EXAMPLE, encoding="utf-8"), Loader=Loader)
    check("example", base, failures)

    def mutate(name, fn):
        d = copy.deepcopy(base)
        fn(d)
        check(name, d, failures)

    e0 = lambda d: d["exclusions"][0]  # noqa: E731
    cases = {
        "no-version": lambda d: d.pop("version"),
        "version-2": lambda d: d.update(version=2),
        "version-string": lambda d: d.update(version="1"),
        "extra-top-key": lambda d: d.update(owner="x"),
        "exclusions-object": lambda d: d.update(exclusions={}),
        "exclusions-empty": lambda d: d.update(exclusions=[]),
        "entry-scalar": lambda d: d["exclusions"].append("x"),
        "no-target": lambda d: e0(d).pop("target"),
        "target-type-ec2": lambda d: e0(d)["target"].update(type="ec2"),
        "name-65": lambda d: e0(d)["target"].update(function_name="a" * 65),
        "name-64": lambda d: e0(d)["target"].update(function_name="a" * 64),
        "name-dot": lambda d: e0(d)["target"].update(function_name="orders.api"),
        "arn-cn": lambda d: e0(d)["target"].update(function_arn="arn:aws-cn:lambda:cn-north-1:111122223333:function:x"),
        "arn-gov": lambda d: e0(d)["target"].update(
            function_arn="arn:aws-us-gov:lambda:us-gov-east-1:111122223333:function:x"),
        "arn-iso": lambda d: e0(d)["target"].update(function_arn="arn:aws-iso:lambda:us-iso-east-1:111122223333:function:x"),
        "arn-qualified-alias": lambda d: e0(d)["target"].update(
            function_arn="arn:aws:lambda:us-east-1:111122223333:function:x:prod"),
        "arn-qualified-latest": lambda d: e0(d)["target"].update(
            function_arn="arn:aws:lambda:us-east-1:111122223333:function:x:$LATEST"),
        "arn-11-digit-account": lambda d: e0(d)["target"].update(
            function_arn="arn:aws:lambda:us-east-1:11112222333:function:x"),
        "arn-layer": lambda d: e0(d)["target"].update(function_arn="arn:aws:lambda:us-east-1:111122223333:layer:x"),
        "arn-trailing-space": lambda d: e0(d)["target"].update(
            function_arn="arn:aws:lambda:us-east-1:111122223333:function:x "),
        "scan-type-both": lambda d: e0(d).update(scan_type="both"),
        "tag-key-lower": lambda d: e0(d)["tag"].update(key="inspectorexclusion"),
        "tag-extra": lambda d: e0(d)["tag"].update(note="x"),
        "summary-empty": lambda d: e0(d)["reason"].update(summary=""),
        "summary-spaces": lambda d: e0(d)["reason"].update(summary="   "),
        "summary-tab-newline": lambda d: e0(d)["reason"].update(summary="\t\n"),
        "summary-padded": lambda d: e0(d)["reason"].update(summary="  ok  "),
        "ticket-number": lambda d: e0(d)["reason"].update(ticket=1412),
        "controls-empty": lambda d: e0(d)["reason"].update(compensating_controls=[]),
        "controls-blank-item": lambda d: e0(d)["reason"].update(compensating_controls=["ok", " "]),
        "controls-string": lambda d: e0(d)["reason"].update(compensating_controls="waf"),
        "owner-missing-team": lambda d: e0(d)["owner"].pop("team"),
        "owner-null": lambda d: e0(d)["owner"].update(approved_by=None),
        "expire-at-typo": lambda d: e0(d)["dates"].update(expire_at=e0(d)["dates"].pop("expires_at")),
        "date-feb-29-2026": lambda d: e0(d)["dates"].update(expires_at="2026-02-29"),
        "date-feb-29-2028": lambda d: e0(d)["dates"].update(expires_at="2028-02-29"),
        "date-april-31": lambda d: e0(d)["dates"].update(applied_at="2026-04-31"),
        "date-datetime": lambda d: e0(d)["dates"].update(applied_at="2026-04-01T00:00:00Z"),
        "date-short": lambda d: e0(d)["dates"].update(next_review_at="2026-4-1"),
        "date-number": lambda d: e0(d)["dates"].update(next_review_at=20260401),
    }
    for name, fn in cases.items():
        mutate(name, fn)

    # the invalid examples and test ledgers: same verdict as the oracle (YAML-level failures are ours alone)
    for folder in ("ledger-example/invalid", "tests/data"):
        for fname in sorted(os.listdir(os.path.join(SRC, folder))):
            if not fname.endswith(".yaml") or "schema" in fname or fname == "yaml.yaml":
                continue
            data = yaml.load(open(os.path.join(SRC, folder, fname), encoding="utf-8"), Loader=Loader)
            check(f"{folder.replace('/', '_')}_{fname[:-5]}", data, failures)

    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"test_ledger_schema_oracle: {len(cases) + 1} mutations plus the example files, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
