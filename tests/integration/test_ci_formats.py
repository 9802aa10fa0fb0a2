#!/usr/bin/env python3
"""The CI-platform formats from real runs: `--format codequality` (validate and check) against GitLab's Code Quality
fields, `check --format asff` against the ASFF attributes BatchImportFindings takes and `check --format ocsf` against
OCSF 1.1.0 Detection Finding — each through a JSON Schema written from the vendor's documentation
(tests/data/schemas/) — plus the property-level facts a schema cannot say (stable ids, severity mapping, field limits,
hostile text escaped, nothing unverified dropped).
Exit 0 pass, 77 skip (python3-jsonschema missing or no fake AWS), 1 fail.
"""
import json
import os
import subprocess

from checklib import (BIN, SRC, Workdir, check, finish, require_jsonschema, run_check, start_fake)

jsonschema = require_jsonschema()
SEED = 14
AS_OF = ["--as-of", "2026-11-22"]


def validator(name):
    with open(os.path.join(SRC, "tests", "data", "schemas", name), encoding="utf-8") as f:
        return jsonschema.Draft202012Validator(json.load(f), format_checker=jsonschema.FormatChecker())


def errors_of(v, doc):
    return ["%s: %s" % (list(e.path), e.message[:150]) for e in v.iter_errors(doc)]


def validate(*args):
    p = subprocess.run([BIN, "validate", *AS_OF, *args], cwd=SRC, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def test_codequality_validate():
    v = validator("gitlab-codequality.schema.json")
    rc, out, err = validate("--format", "codequality", "tests/data/golden-ledger.yaml")
    doc = json.loads(out)
    check(rc == 1, "validate codequality: exit 1 with errors (rc %d)" % rc, err)
    check(not errors_of(v, doc), "validate codequality valid", errors_of(v, doc)[:5])
    rc2, jout, _ = validate("--format", "json", "tests/data/golden-ledger.yaml")
    findings = json.loads(jout)["findings"]
    check(len(doc) == len(findings), "codequality: one issue per finding (%d, %d)" % (len(doc), len(findings)))
    want = {"error": "critical", "warning": "major", "notice": "info"}
    check([i["severity"] for i in doc] == [want[f["severity"]] for f in findings], "codequality severity mapping")
    check([i["location"]["lines"]["begin"] for i in doc] == [f["line"] or 1 for f in findings], "codequality lines")
    check(len({i["fingerprint"] for i in doc}) == len(doc), "codequality fingerprints unique")
    check(any("::warning::<b>injected</b>" in i["description"] for i in doc),
          "codequality: hostile ledger text kept as data (JSON-escaped, parsed back intact)")
    # the fingerprint does not follow the line: the same ledger shifted down by two comment lines keeps it
    with open(os.path.join(SRC, "tests/data/golden-ledger.yaml"), encoding="utf-8") as f:
        text = f.read()
    wd = Workdir("ci-formats-shift")
    shifted = wd.file("shifted.yaml")
    with open(shifted, "w", encoding="utf-8") as f:
        f.write("# one\n# two\n" + text)
    rc3, out3, _ = validate("--format", "codequality", shifted)
    doc3 = json.loads(out3)
    by_arn = lambda d: [(i["check_name"], i["fingerprint"], i["location"]["lines"]["begin"]) for i in d
                        if "(arn:" in i["description"]]
    before, after = by_arn(doc), by_arn(doc3)
    check(len(before) >= 3 and [(c, f) for c, f, _ in before] == [(c, f) for c, f, _ in after] and
          all(l2 == l1 + 2 for (_, _, l1), (_, _, l2) in zip(before, after)),
          "codequality: findings moved down two lines keep their fingerprints", (before, after))
    # a clean ledger: an empty array, still valid
    rc4, out4, _ = validate("--format", "codequality", "ledger-example/security/inspector-exclusions.yaml")
    check(rc4 == 0 and json.loads(out4) == [], "codequality: clean ledger is []", out4[:300])


def test_check_formats(fake, wd):
    cq, asff, ocsf = (validator("gitlab-codequality.schema.json"), validator("asff-batch-import.schema.json"),
                      validator("ocsf-detection-finding.schema.json"))
    runs = {"findings": ({}, []), "unverified": ({"principal": "no-listtags"}, ["--tags-source", "lambda"])}
    for name, (kw, args) in runs.items():
        rc, jout, _ = run_check(fake, wd, "--format", "json", *args, relative=True, **kw)
        ref = json.loads(jout)
        n, nunv = len(ref["findings"]), len(ref["unverified"])
        check(n > 0 and (nunv > 0) == (name == "unverified"), "check %s: reference run has findings (%d, %d)" % (name, n, nunv))

        rc, out, err = run_check(fake, wd, "--format", "codequality", *args, relative=True, **kw)
        doc = json.loads(out)
        check(not errors_of(cq, doc), "check codequality %s valid" % name, errors_of(cq, doc)[:5])
        check(len(doc) == n + nunv, "check codequality %s: every finding and unverified item" % name)
        check(sum(i["severity"] == "blocker" for i in doc) == nunv, "check codequality %s: unverified are blockers" % name)

        rc, out, err = run_check(fake, wd, "--format", "asff", *args, relative=True, **kw)
        doc = json.loads(out)
        check(rc == (3 if nunv else 1), "check asff %s: the exit code does not change with the format (rc %d)" % (name, rc), err)
        check(not errors_of(asff, doc), "check asff %s valid against the ASFF attributes" % name, errors_of(asff, doc)[:5])
        check(len(doc) == n + nunv, "check asff %s: one finding per diagnostic and unverified item" % name)
        check(len({f["Id"] for f in doc}) == len(doc), "asff %s: Ids unique" % name)
        for f in doc:
            r = f["Resources"][0]
            if r["Type"] == "AwsLambdaFunction":
                parts = r["Id"].split(":")
                check(f["AwsAccountId"] == parts[4] and r["Region"] == parts[3] and r["Partition"] == parts[1],
                      "asff: account, region and partition from the function ARN", f)
            check(f["ProductArn"] == "arn:%s:securityhub:%s:%s:product/%s/default"
                  % (r["Partition"], f["Region"], f["AwsAccountId"], f["AwsAccountId"]), "asff: ProductArn shape", f)
        labels = {f["Severity"]["Original"]: f["Severity"]["Label"] for f in doc}
        check(all(labels.get(k, v) == v for k, v in (("error", "HIGH"), ("warning", "MEDIUM"), ("notice", "LOW"),
                                                        ("not-verified", "HIGH"))), "asff severity mapping", labels)
        if nunv:
            check(sum(f["Compliance"]["Status"] == "NOT_AVAILABLE" for f in doc) == nunv, "asff: unverified NOT_AVAILABLE")
        rc2, out2, _ = run_check(fake, wd, "--format", "asff", *args, relative=True, **kw)
        # the same findings get the same Ids (the order of unverified items follows the concurrent calls)
        check(sorted(f["Id"] for f in json.loads(out2)) == sorted(f["Id"] for f in doc), "asff %s: Ids stable across runs" % name)

        rc, out, err = run_check(fake, wd, "--format", "ocsf", *args, relative=True, **kw)
        doc = json.loads(out)
        check(not errors_of(ocsf, doc), "check ocsf %s valid against OCSF Detection Finding" % name, errors_of(ocsf, doc)[:5])
        check(len(doc) == n + nunv, "check ocsf %s: every finding and unverified item" % name)
        check(all(e["type_uid"] == e["class_uid"] * 100 + e["activity_id"] for e in doc), "ocsf type_uid = class*100+activity")
        check(all(e["time"] > 1_600_000_000_000 for e in doc), "ocsf time in milliseconds")
        sev = {"error": 4, "warning": 3, "notice": 2}
        check([e["severity_id"] for e in doc[:n]] == [sev[f["severity"]] for f in ref["findings"]], "ocsf severity_id mapping")


def main():
    if not os.path.exists(BIN):
        print("SKIP: no binary")
        raise SystemExit(77)
    test_codequality_validate()
    with start_fake(seed=SEED) as fake:
        test_check_formats(fake, Workdir("ci-formats"))
    finish()


if __name__ == "__main__":
    main()
