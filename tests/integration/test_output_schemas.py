#!/usr/bin/env python3
"""Validate every machine-readable output format with independent parsers and schemas.

tests/tools/il_render renders fixed diagnostics sets (a plain one and a hostile one whose strings try to break out of
every medium) in each format. Here:
  * JSON  against schema/validate-result.schema.json and schema/check-result.schema.json (jsonschema, draft 2020-12),
          plus the invariants a schema cannot state (summary counts, passed);
  * SARIF against the official SARIF 2.1.0 schema (tests/data/schemas/), plus GitHub code scanning's requirements;
  * JUnit parsed with xml.etree (and against Jenkins' junit-10.xsd when xmllint is installed);
  * GitHub workflow commands and Markdown tables checked line by line;
  * the $GITHUB_STEP_SUMMARY writer kept under 1 MiB.
Exit 0 pass, 77 skip (no jsonschema), 1 fail.
"""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:
    # Debian's python3-jsonschema lives with /usr/bin/python3; a pyenv python3 on PATH may lack it.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("skip: python3-jsonschema is not installed")
    sys.exit(77)

SRC = os.environ.get("IL_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TOOLS = os.environ.get("IL_TOOLS_DIR", os.path.join(SRC, "build", "tools"))
RENDER = os.path.join(TOOLS, "il_render")
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def render(fmt, *args):
    out = subprocess.run([RENDER, fmt, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if out.returncode != 0:
        raise SystemExit("il_render %s %s failed: %s" % (fmt, " ".join(args), out.stderr.decode(errors="replace")))
    return out.stdout


def load(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        return json.load(f)


def rule_ids_from_docs():
    with open(os.path.join(SRC, "docs", "rules.md"), encoding="utf-8") as f:
        return re.findall(r"^\| `([a-z-]+)` \|", f.read(), re.M)


RENDER_SETS = [("plain", []), ("hostile", ["--extra", "30"]), ("clean", [])]


def test_json():
    rules = rule_ids_from_docs()
    for command in ("validate", "check"):
        schema = load("schema/%s-result.schema.json" % command)
        jsonschema.Draft202012Validator.check_schema(schema)
        check(schema["$defs"]["finding"]["properties"]["rule"]["enum"] == rules,
              "%s-result schema's rule enum matches docs/rules.md" % command)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for name, extra in RENDER_SETS:
            args = ["--set", name, "--command", command] + extra + ([] if command == "check" else ["--no-unverified"])
            raw = render("json", *args)
            doc = json.loads(raw.decode("utf-8"))  # strict: must be valid UTF-8
            errors = [e.message for e in validator.iter_errors(doc)]
            check(not errors, "json %s/%s valid against schema: %s" % (command, name, errors[:3]))
            f = doc["findings"]
            s = doc["summary"]
            for sev, key in (("error", "errors"), ("warning", "warnings"), ("notice", "notices")):
                check(s[key] == sum(1 for x in f if x["severity"] == sev), "json %s/%s summary.%s" % (command, name, key))
            check(s["unverified"] == len(doc["unverified"]), "json %s/%s summary.unverified" % (command, name))
            check(s["passed"] == (s["errors"] == 0 and s["unverified"] == 0), "json %s/%s passed" % (command, name))
            check(b"</" not in raw and b"\x1b" not in raw, "json %s/%s has no raw </ or ESC" % (command, name))
        # The schema is not vacuous: broken results are rejected.
        good = json.loads(render("json", "--command", command, "--no-unverified").decode())
        for mutate in (lambda d: d["findings"][0].pop("rule"),
                       lambda d: d["findings"][0].__setitem__("severity", "fatal"),
                       lambda d: d["findings"][0].__setitem__("rule", "no-such-rule"),
                       lambda d: d["findings"][0].__setitem__("line", 0),
                       lambda d: d["summary"].__setitem__("passed", "yes"),
                       lambda d: d.__setitem__("command", "apply"),
                       lambda d: d.__setitem__("extra", 1)):
            bad = copy.deepcopy(good)
            mutate(bad)
            check(not validator.is_valid(bad), "json %s schema rejects a broken result" % command)
    validator = jsonschema.Draft202012Validator(load("schema/validate-result.schema.json"))
    with_unverified = json.loads(render("json", "--command", "validate").decode())
    check(not validator.is_valid(with_unverified), "validate result may not list unverified items")


def test_sarif():
    schema = load("tests/data/schemas/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    rules = rule_ids_from_docs()
    for name, extra in RENDER_SETS:
        for command in ("validate", "check"):
            doc = json.loads(render("sarif", "--set", name, "--command", command, *extra).decode("utf-8"))
            errors = ["%s: %s" % (list(e.path), e.message[:120]) for e in validator.iter_errors(doc)]
            check(not errors, "sarif %s/%s valid against SARIF 2.1.0: %s" % (command, name, errors[:3]))
            run = doc["runs"][0]
            driver = run["tool"]["driver"]
            check(doc["$schema"].endswith("sarif-schema-2.1.0.json"), "sarif $schema")
            check(all(k in driver for k in ("name", "version", "informationUri", "rules")), "sarif driver fields")
            check([r["id"] for r in driver["rules"]] == rules, "sarif rules are the catalogue, in order")
            for r in driver["rules"]:
                check(all(r.get(k, {}).get("text") for k in ("shortDescription", "fullDescription", "help")),
                      "sarif rule %s has short/full description and help" % r["id"])
                check(bool(r["help"].get("markdown")), "sarif rule %s has help.markdown" % r["id"])
                check(r["defaultConfiguration"]["level"] in ("error", "warning", "note"), "sarif rule level")
                check(len(r["properties"]["tags"]) > 0, "sarif rule tags")
            check(run["automationDetails"]["id"] == "inspector-ledger/%s/" % command, "sarif category per command")
            prints = {}
            for res in run["results"]:
                check(driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"], "sarif ruleIndex matches ruleId")
                locs = res.get("locations", [])
                check(len(locs) == 1, "sarif result has one location")
                phys = locs[0]["physicalLocation"]
                uri = phys["artifactLocation"]["uri"]
                check(phys["artifactLocation"].get("uriBaseId") == "%SRCROOT%" and not uri.startswith("/"),
                      "sarif uri relative to %SRCROOT%: " + uri)
                check(re.fullmatch(r"[A-Za-z0-9\-._~/%]*", uri) is not None, "sarif uri is percent-encoded: " + uri)
                check(phys["region"]["startLine"] >= 1, "sarif startLine")
                fp = res["partialFingerprints"]["inspectorLedger/v1"]
                check(re.fullmatch(r"[0-9a-f]{64}", fp) is not None, "sarif fingerprint is sha256 hex")
                if not res["message"]["text"].startswith("extra finding"):
                    check(fp not in prints, "sarif fingerprints distinct: %s" % res["message"]["text"][:40])
                    prints[fp] = res
            inv = run["invocations"][0]
            check(inv["executionSuccessful"] == (len(inv["toolExecutionNotifications"]) == 0), "sarif invocation")


def test_junit():
    xsd = os.path.join(SRC, "tests", "data", "schemas", "junit-10.xsd")
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        print("note: xmllint not installed; JUnit XSD validation skipped (xml.etree checks still run)")
    for name, extra in RENDER_SETS:
        for fail_on in ("error", "warning", "never"):
            raw = render("junit", "--set", name, "--fail-on", fail_on, *extra)
            root = ET.fromstring(raw)  # raises on malformed XML or forbidden characters
            check(root.tag == "testsuites", "junit root")
            cases = root.findall("./testsuite/testcase")
            check(int(root.get("tests")) == len(cases) and len(cases) > 0, "junit tests count %s" % name)
            check(int(root.get("failures")) == len(root.findall("./testsuite/testcase/failure")), "junit failures")
            check(int(root.get("errors")) == len(root.findall("./testsuite/testcase/error")), "junit errors")
            for suite in root.findall("testsuite"):
                check(int(suite.get("tests")) == len(suite.findall("testcase")), "junit suite tests")
            if fail_on == "never":
                check(not root.findall(".//failure"), "junit --fail-on never has no failures")
            if xmllint:
                with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
                    f.write(raw)
                out = subprocess.run([xmllint, "--noout", "--schema", xsd, f.name], capture_output=True, timeout=60)
                os.unlink(f.name)
                check(out.returncode == 0, "junit %s valid against junit-10.xsd: %s" % (name, out.stderr[:300]))


GH_LINE = re.compile(r"::(error|warning|notice) file=([^,:]*),line=(\d+)(,col=(\d+))?,title=([^,:]*)::(.*)")


def gh_unescape(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github():
    raw = render("github", "--set", "hostile", "--command", "check", "--extra", "30").decode("utf-8")
    counts = {"error": 0, "warning": 0, "notice": 0}
    lines = raw.split("\n")
    check(lines[-1] == "", "github output ends with a newline")
    for line in lines[:-1]:
        m = GH_LINE.fullmatch(line)
        check(m is not None, "github line is one well-formed command: %r" % line[:80])
        if m:
            counts[m.group(1)] += 1
            check("\r" not in line and "\x1b" not in line, "github line has no CR/ESC")
    check(counts["error"] == 10 and counts["warning"] == 10 and counts["notice"] <= 10, "github caps: %s" % counts)
    check("more findings not annotated" in raw, "github overflow notice")
    # a plain message survives GitHub's own unescaping unchanged
    plain = render("github").decode("utf-8").split("\n")[1]
    m = GH_LINE.fullmatch(plain)
    check(m is not None and gh_unescape(m.group(7)) == "unknown key 'expire_at': did you mean 'expires_at'?",
          "github message round trip")


def test_markdown_and_summary():
    md = render("markdown", "--set", "hostile", "--command", "check").decode("utf-8")
    for line in md.split("\n"):
        if line.startswith("|"):
            # five cells: six unescaped pipes, whatever the ledger text contained
            check(len(re.findall(r"(?<!\\)\|", line)) == 6, "markdown row keeps 5 cells: %r" % line[:80])
        check("<" not in line and "\x1b" not in line, "markdown has no raw HTML or ESC")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "summary.md")
        render("markdown", "--set", "hostile", "--extra", "9000", "--step-summary", path)
        size = os.path.getsize(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check(size <= 1024 * 1024, "step summary within 1 MiB (%d bytes)" % size)
        check(size > 1000 * 1024, "step summary uses the room it has (%d bytes)" % size)
        check("**Truncated:**" in text, "step summary says it was truncated")


def test_cli_end_to_end():
    """The real binary's output for every example ledger, through the same schemas (once `validate` exists)."""
    binary = os.environ.get("IL_BIN", os.path.join(SRC, "build", "inspector-ledger"))
    examples = []
    for root, _dirs, files in os.walk(os.path.join(SRC, "ledger-example")):
        examples += [os.path.join(root, f) for f in sorted(files) if f.endswith((".yaml", ".yml"))]
    if not os.access(binary, os.X_OK) or not examples:
        print("note: no binary or no example ledgers; end-to-end checks skipped")
        return
    result_schema = jsonschema.Draft202012Validator(load("schema/validate-result.schema.json"),
                                                    format_checker=jsonschema.FormatChecker())
    sarif_schema = jsonschema.Draft4Validator(load("tests/data/schemas/sarif-schema-2.1.0.json"),
                                              format_checker=jsonschema.FormatChecker())
    checked = 0
    for path in examples:
        for fmt in ("json", "sarif", "junit", "github"):
            out = subprocess.run([binary, "validate", "--as-of", "2026-06-01", "--format", fmt, path],
                                 capture_output=True, timeout=120)
            if b"not available" in out.stderr:
                print("note: validate is not available in this build; end-to-end checks skipped")
                return
            if out.returncode not in (0, 1) or not out.stdout:
                continue  # a usage-level refusal is the CLI tests' business, not the writers'
            checked += 1
            where = "%s --format %s" % (os.path.relpath(path, SRC), fmt)
            if fmt == "json":
                errors = [e.message[:120] for e in result_schema.iter_errors(json.loads(out.stdout.decode()))]
                check(not errors, "validate %s matches the result schema: %s" % (where, errors[:3]))
            elif fmt == "sarif":
                errors = [e.message[:120] for e in sarif_schema.iter_errors(json.loads(out.stdout.decode()))]
                check(not errors, "validate %s is valid SARIF 2.1.0: %s" % (where, errors[:3]))
            elif fmt == "junit":
                check(ET.fromstring(out.stdout).tag == "testsuites", "validate %s is JUnit XML" % where)
            else:
                for line in out.stdout.decode().splitlines():
                    check(GH_LINE.fullmatch(line) is not None, "validate %s: %r is a workflow command" % (where, line))
    print("end to end: %d outputs of the real binary checked" % checked)


def main():
    if not os.access(RENDER, os.X_OK):
        print("missing test tool", RENDER)
        return 1
    for test in (test_json, test_sarif, test_junit, test_github, test_markdown_and_summary, test_cli_end_to_end):
        before = len(FAILURES)
        test()
        print("%s: %s" % (test.__name__, "ok" if len(FAILURES) == before else "FAILED"))
    print("all checks passed" if not FAILURES else "%d checks failed" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
