#!/usr/bin/env python3
"""`inspector-ledger check` outputs from a real run against the fake AWS: JSON against schema/check-result.schema.json,
SARIF against SARIF 2.1.0, JUnit against junit-10.xsd (xmllint), GitHub annotations and the $GITHUB_STEP_SUMMARY file,
and a grep of everything the tool prints — --debug included — for the fake's secrets.
Exit 0 pass, 77 skip (no fake AWS in this tree, or python3-jsonschema missing), 1 fail.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

from checklib import (SRC, Workdir, arn, check, finish, require_jsonschema, run_check, start_fake)

jsonschema = require_jsonschema()
SEED = 14
ROLE = ["--role-name", "InspectorLedgerAudit", "--account", "333333333333"]


def load_schema(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        return json.load(f)


def test_json(fake, wd):
    schema = load_schema("schema/check-result.schema.json")
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    runs = {
        "findings": ({}, []),
        "unverified": ({"principal": "no-listtags"}, ["--tags-source", "lambda"]),
        "roles-full": ({}, ROLE + ["--full"]),
    }
    for name, (kw, args) in runs.items():
        rc, out, err = run_check(fake, wd, "--format", "json", *args, relative=True, **kw)
        doc = json.loads(out)
        errors = ["%s: %s" % (list(e.path), e.message[:150]) for e in validator.iter_errors(doc)]
        check(not errors, "json %s valid against check-result.schema.json" % name, errors[:5])
        s = doc["summary"]
        check(s["unverified"] == len(doc["unverified"]), "json %s summary.unverified" % name)
        check(s["errors"] == sum(f["severity"] == "error" for f in doc["findings"]), "json %s summary.errors" % name)
        check((rc == 3) == (len(doc["unverified"]) > 0), "json %s: exit 3 iff unverified (rc %d)" % (name, rc))
        check(doc["command"] == "check" and doc["as_of"] == "2026-11-22", "json %s header" % name)
        lines = out.splitlines()
        check(sum(1 for l in lines if l.lstrip().startswith('{"rule"')) == len(doc["findings"]) + len(doc["unverified"]),
              "json %s: one finding per line (diffable week to week)" % name)


def test_sarif(fake, wd):
    schema = load_schema("tests/data/schemas/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    for name, kw, args in (("findings", {}, []), ("unverified", {"principal": "no-listtags"}, ["--tags-source", "lambda"])):
        rc, out, err = run_check(fake, wd, "--format", "sarif", *args, relative=True, **kw)
        doc = json.loads(out)
        errors = ["%s: %s" % (list(e.path), e.message[:150]) for e in validator.iter_errors(doc)]
        check(not errors, "sarif %s valid against SARIF 2.1.0" % name, errors[:5])
        run = doc["runs"][0]
        text = json.dumps(run["results"])
        # accepted, active exclusions are not results (GitHub would open them as alerts)
        check(arn("orders-api") not in text, "sarif %s: the clean, accepted exclusion is not a result" % name)
        check("suppressions" not in text, "sarif %s: no suppressed results" % name)
        for res in run["results"]:
            uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            check(uri == "inspector-exclusions.yaml", "sarif %s: results located in the ledger" % name, uri)
        inv = run["invocations"][0]
        if name == "unverified":
            check(rc == 3 and inv["executionSuccessful"] is False and inv["toolExecutionNotifications"],
                  "sarif unverified: the run is marked unsuccessful with notifications", inv)
        else:
            check(rc == 1 and inv["executionSuccessful"] is True, "sarif findings: successful execution", inv)
            rules = {r["ruleId"] for r in run["results"]}
            check({"unrecorded-exclusion", "expired-exclusion-applied", "exclusion-not-applied",
                   "function-not-found"} <= rules, "sarif findings: the drift rules appear", rules)


def test_junit(fake, wd):
    xsd = os.path.join(SRC, "tests", "data", "schemas", "junit-10.xsd")
    xmllint = shutil.which("xmllint")
    for name, kw, args in (("findings", {}, []), ("unverified", {"principal": "no-listtags"}, ["--tags-source", "lambda"])):
        rc, out, err = run_check(fake, wd, "--format", "junit", *args, relative=True, **kw)
        root = ET.fromstring(out.encode("utf-8"))
        check(root.tag == "testsuites", "junit %s root" % name)
        failures = len(root.findall("./testsuite/testcase/failure"))
        errors = len(root.findall("./testsuite/testcase/error"))
        check(int(root.get("failures")) == failures and int(root.get("errors")) == errors, "junit %s counts" % name)
        if name == "unverified":
            check(errors > 0, "junit: unverified items are <error>s", out[:2000])
        else:
            check(failures > 0 and errors == 0, "junit: findings are <failure>s", out[:2000])
        if xmllint:
            path = wd.file("junit-%s.xml" % name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(out)
            p = subprocess.run([xmllint, "--noout", "--schema", xsd, path], capture_output=True, timeout=60)
            check(p.returncode == 0, "junit %s valid against junit-10.xsd" % name, p.stderr[:500])
        else:
            print("note: xmllint not installed; JUnit XSD validation skipped")


GH_LINE = re.compile(r"::(error|warning|notice) file=([^,:]*),line=(\d+)(,col=(\d+))?,title=([^,:]*)::(.*)")


def test_github(fake, wd):
    summary = wd.file("step-summary.md")
    with open(summary, "w") as f:
        f.write("# earlier step\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
    rc, out, err = run_check(fake, wd, "--format", "github", relative=True, env_extra=env)
    check(rc == 1, "github: exit 1 (got %d)" % rc, err)
    for line in out.splitlines():
        if line.startswith("::"):
            m = GH_LINE.fullmatch(line)
            check(m is not None, "github: well-formed workflow command", line)
            if m:
                check(m.group(2) == "inspector-exclusions.yaml", "github: annotation on the ledger", line)
        check(not line.startswith("::error file=evil"), "github: a hostile tag value cannot forge a command", line)
    check("shadow-fn" in out, "github: the unrecorded exclusion is annotated", out[:2000])
    with open(summary, encoding="utf-8") as f:
        text = f.read()
    check(text.startswith("# earlier step\n") and "shadow-fn" in text and "|" in text,
          "github: the Markdown summary is appended to $GITHUB_STEP_SUMMARY", text[:1500])
    # without GITHUB_ACTIONS=true nothing is written
    os.unlink(summary)
    run_check(fake, wd, "--format", "github", relative=True, env_extra={"GITHUB_STEP_SUMMARY": summary})
    check(not os.path.exists(summary), "github: no summary outside GitHub Actions")
    # kept under GitHub's 1 MiB cap, with a note, when the file is nearly full
    with open(summary, "w") as f:
        f.write("x" * (1024 * 1024 - 600) + "\n")
    rc, out, err = run_check(fake, wd, "--format", "github", relative=True, env_extra=env)
    size = os.path.getsize(summary)
    with open(summary, encoding="utf-8") as f:
        tail = f.read()[-600:]
    check(size <= 1024 * 1024, "github: summary file stays within 1 MiB (%d)" % size)
    check("truncat" in tail.lower(), "github: a truncated summary says so", tail)
    check(rc == 1, "github: a full summary file does not change the verdict (rc %d)" % rc, err)
    # markdown as a format of its own
    rc, out, err = run_check(fake, wd, "--format", "markdown", relative=True)
    check(rc == 1 and "shadow-fn" in out and "|" in out, "markdown output", out[:1000])


def fake_secrets(n_temp=20):
    """Every secret the fake knows or will mint in this run: the fixture's secret keys and the temporary
    credentials it issues for AssumeRole (derived from the seed, as fakeaws_state.issue_temporary does)."""
    with open(os.path.join(SRC, "tests", "fake-aws", "fixtures", "check.json")) as f:
        fixture = json.load(f)
    out = set()
    for acct in fixture["accounts"]:
        for user in acct.get("users", []):
            for key in user.get("access_keys", []):
                out.add(key["secret_access_key"])
    for n in range(1, n_temp + 1):
        out.add(base64.b64encode(hashlib.sha256(("secret|%s|%d" % (SEED, n)).encode()).digest()).decode()[:40])
        token = "FwoGZXIvYXdzE" + base64.b64encode(hashlib.sha512(("token|%s|%d" % (SEED, n)).encode())
                                                  .digest()).decode()
        out.add(token)
        out.add(token[13:60])  # any recognisable slice of a token
    out.add("FwoGZXIvYXdzE")
    return out


def test_secrets(fake, wd):
    seen = []
    for fmt in ("text", "json", "github", "sarif", "junit", "markdown"):
        for extra in (["--debug"], ["--debug", "--tags-source", "lambda", "--full"]):
            rc, out, err = run_check(fake, wd, "--format", fmt, *(ROLE + extra), relative=True)
            seen.append(out + err)
    rc, out, err = run_check(fake, wd, "--debug", principal="no-listtags", *["--tags-source", "lambda"])
    seen.append(out + err)
    blob = "\n".join(seen)
    check("[aws] ->" in blob and "Authorization: REDACTED" in blob, "--debug traced the requests", blob[:500])
    check(fake.stats()["operations"].get("sts:AssumeRole", 0) > 0, "roles were assumed (temporary credentials)")
    leaked = [s for s in fake_secrets() if s in blob]
    check(not leaked, "no secret, session token or part of one appears in any output", leaked[:3])


LOCATED = re.compile(r"^inspector-exclusions\.yaml:(\d+):(\d+): (error|warning|notice)\[([a-z-]+)\]")


def test_text_verbose(fake, wd):
    """check -v shows each ledger-located finding's source line with a caret under its column, as validate -v does."""
    with open(wd.ledger, encoding="utf-8") as f:
        ledger_lines = f.read().split("\n")
    rc, out, err = run_check(fake, wd, "-v", relative=True)
    check(rc == 1, "text -v: exit 1 (got %d)" % rc, err)
    lines = out.splitlines()
    located = 0
    for i, line in enumerate(lines):
        m = LOCATED.match(line)
        if not m:
            continue
        located += 1
        n, col = int(m.group(1)), int(m.group(2))
        src, caret = (lines[i + 1], lines[i + 2]) if i + 2 < len(lines) else ("", "")
        want = ledger_lines[n - 1]
        ok = src.endswith(want) and caret.rstrip().endswith("^") and \
            len(caret.rstrip()) - 1 - (len(src) - len(want)) == col - 1
        check(ok, "text -v: %s at %d:%d is followed by its source line and a caret under column %d"
              % (m.group(4), n, col, col), "\n".join(lines[i:i + 3]))
    check(located >= 3, "text -v: the drift findings are located in the ledger (%d)" % located, out[:2000])
    rc, out, err = run_check(fake, wd, relative=True)
    check(not any(l.rstrip().endswith("^") for l in out.splitlines()), "text without -v: no caret lines", out[:1500])


def main():
    with start_fake(seed=SEED) as fake:
        wd = Workdir("check-outputs")
        test_json(fake, wd)
        test_sarif(fake, wd)
        test_junit(fake, wd)
        test_github(fake, wd)
        test_text_verbose(fake, wd)
        test_secrets(fake, wd)
    finish()


if __name__ == "__main__":
    main()
