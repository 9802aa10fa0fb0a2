#!/usr/bin/env python3
"""`inspector-ledger report --live` end to end against the fake AWS, in every format.

  - Each live state per row (tag present / missing, function gone, customer managed KMS key, deprecated runtime, the
    key with the wrong value, another account out of scope), compared with the fake's own state.
  - The "Unrecorded exclusions found in AWS" section: exactly the exclusion-key tags on functions the ledger does not
    record (honoured and malformed), including hostile tag values (markup, script, formula, CR/LF, pipes) that must be
    escaped in every format: HTML parsed, Markdown table structure, CSV read back with Python's csv module and
    formula-neutralised, JSON validated against schema/report.schema.json (python3-jsonschema).
  - Fail closed: a region that rejects the credentials, a denied tag API, a denied role, no credentials -> exit 3,
    what was not verified named on stderr, the report still written with those rows "unknown" (never "no").
  - The same scope and AWS options as check: --role-name, --account, --tags-source, --role-arn/--external-id.
  - A golden file per format (fixed --as-of, seeded fake): tests/cli/golden/report-live.*; regenerate with
    IL_UPDATE_GOLDEN=1.
Exit 0 pass, 77 skip (no fake AWS, no python3-jsonschema), 1 fail.
"""
import csv
import io
import json
import os
import re
import sys

from checklib import SRC, check, finish, require_jsonschema
import livelib as L
from test_report_hostile import Scan, csv_expected, is_bad_control

jsonschema = require_jsonschema()
SCHEMA = json.load(open(os.path.join(SRC, "schema", "report.schema.json"), encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
MAIN = "111111111111"
FACTS = ("function_exists", "tag_present", "scan_blind", "runtime_deprecated")
FORMATS = ("json", "csv", "markdown", "html")


def render(fake, wd, what, *args, formats=FORMATS, want_rc=0, **kw):
    """Run every format; assert the exit code; returns {format: text} and the JSON document."""
    out = {}
    for fmt in formats:
        rc, text, err = L.run_report(fake, wd, *args, fmt=fmt, **kw)
        check(rc == want_rc, "%s, %s: exit %d (got %d)" % (what, fmt, want_rc, rc), err[-3000:])
        check(text.strip() != "", "%s, %s: report written" % (what, fmt), err[-1000:])
        out[fmt] = text
        out[fmt + ".err"] = err
    doc = None
    try:
        doc = json.loads(out["json"])
    except (KeyError, ValueError) as e:
        check(False, "%s: JSON parses" % what, e)
    if doc is not None:
        errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
        check(not errors, "%s: JSON follows schema/report.schema.json" % what,
              "\n".join("%s: %s" % (list(e.path), e.message) for e in errors[:5]))
    return out, doc


# ---- JSON: the reference -------------------------------------------------------------------------------------------

def check_json(what, doc, entries, state, verified):
    rows = doc["exclusions"]
    check(len(rows) == len(entries), "%s: one row per entry" % what)
    want = L.expected_rows(state, entries, verified)
    for e, row, exp in zip(entries, rows, want):
        live = row["live"]
        got = {k: live[k] for k in exp}
        check(got == exp, "%s: row %s live state" % (what, e["name"]), {"got": got, "expected": exp})
        if exp["function_exists"] == "unknown":
            check(live["note"] and ("not verified" in live["note"] or "not compared" in live["note"]),
                  "%s: row %s says why it is unknown" % (what, e["name"]), live["note"])
    unrec = {(u["function_arn"], u["tag_key"], u["tag_value"], u["honoured"]) for u in doc["live"]["unrecorded"]}
    exp_unrec = L.expected_unrecorded(state, entries, verified)
    check(unrec == exp_unrec, "%s: unrecorded exclusions" % what,
          {"missing": sorted(exp_unrec - unrec), "unexpected": sorted(unrec - exp_unrec)})
    keys = [(u["account"], u["region"], u["function_arn"], u["tag_key"], u["tag_value"]) for u in doc["live"]["unrecorded"]]
    check(keys == sorted(keys), "%s: unrecorded sorted by account, region, ARN, key" % what)
    scopes = {(s["account"], s["region"]): s["state"] for s in doc["live"]["scopes"]}
    check({k for k, v in scopes.items() if v == "verified"} == set(verified), "%s: verified scopes" % what, scopes)
    check(doc["live"]["complete"] == (not doc["live"]["unverified"]), "%s: complete iff nothing unverified" % what)
    check(doc["stamp"]["live"] is True, "%s: stamp.live" % what)


def check_main_facts(doc):
    """The states the fixture was built for, spelled out (the generic comparison above could share a blind spot)."""
    by = {r["function_name"]: r["live"] for r in doc["exclusions"]}
    check(by["orders-api"]["tag_present"] == "yes" and by["orders-api"]["function_exists"] == "yes", "tag present")
    check(by["billing-fn"]["tag_present"] == "no" and by["billing-fn"]["function_exists"] == "yes", "tag missing")
    check(by["ghost-fn"]["function_exists"] == "no" and "does not exist" in by["ghost-fn"]["note"], "function gone")
    check(by["cmk-fn"]["scan_blind"] == "yes" and by["cmk-fn"]["kms_key_arn"] == L.CMK_ARN, "CMK: scan-blind")
    check(by["orders-api"]["scan_blind"] == "no", "AWS managed key: not scan-blind")
    old = by["old-runtime-fn"]
    check(old["runtime_deprecated"] == "yes" and old["runtime"] == "nodejs14.x" and old["deprecated_on"] == "2023-12-04",
          "deprecated runtime with its name and date", old)
    check(by["orders-api"]["runtime_deprecated"] == "no" and by["orders-api"]["runtime"] == "python3.12",
          "supported runtime")
    wv = by["wrong-value-fn"]
    check(wv["tag_present"] == "no" and "LambdaCodeScanning" in (wv["note"] or ""), "wrong value: no, and said", wv)
    prod = by["prod-api"]
    check(all(prod[k] == "unknown" for k in FACTS) and "outside the declared scope" in prod["note"],
          "another account without a role, declared out: unknown, not compared", prod)


# ---- CSV --------------------------------------------------------------------------------------------------------------

def check_csv(what, doc, text):
    check(text.endswith("\r\n"), "%s: CSV records end in CRLF" % what)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, records = rows[0], rows[1:]
    check(header[0] == "kind", "%s: CSV first column is kind" % what, header[:3])
    for r in records:
        check(len(r) == len(header), "%s: CSV record width" % what, r[:3])
    recs = [dict(zip(header, r)) for r in records]
    kinds = [r["kind"] for r in recs]
    n_rows, n_un = len(doc["exclusions"]), len(doc["live"]["unrecorded"])
    n_sc, n_uv = len(doc["live"]["scopes"]), len(doc["live"]["unverified"])
    check(kinds == ["exclusion"] * n_rows + ["unrecorded"] * n_un + ["scope"] * n_sc + ["unverified"] * n_uv + ["coverage"],
          "%s: CSV records by kind" % what, kinds)
    exl = [r for r in recs if r["kind"] == "exclusion"]
    for r, row in zip(exl, doc["exclusions"]):
        live = row["live"]
        for k in FACTS + ("runtime", "note", "kms_key_arn"):
            col = "live_" + k
            got, want = r[col], csv_expected(live[k] or "")
            if k == "note" and want.startswith("not verified: "):
                # each format is a run of its own, and a failed scope keeps its first failure: which of its
                # concurrent calls failed first (and the request id) may differ between runs; the scope may not
                got, want = (v.split(": ")[1] for v in (got, want))
            check(got == want, "%s: CSV %s %s" % (what, row["function_name"], col), (got, want))
        check(r["live_runtime_deprecated_on"] == (live["deprecated_on"] or ""), "%s: CSV deprecation date" % what)
    got = {(r["function_arn"], r["tag_key"], r["tag_value"], r["live_tag_honoured"]) for r in recs
           if r["kind"] == "unrecorded"}
    want = {(u["function_arn"], csv_expected(u["tag_key"]), csv_expected(u["tag_value"]),
             "yes" if u["honoured"] else "no") for u in doc["live"]["unrecorded"]}
    check(got == want, "%s: CSV unrecorded records" % what, {"missing": sorted(want - got)[:3],
                                                             "unexpected": sorted(got - want)[:3]})
    scopes = {(r["account"], r["region"], r["live_scope_state"]) for r in recs if r["kind"] == "scope"}
    check(scopes == {(s["account"], s["region"], s["state"]) for s in doc["live"]["scopes"]}, "%s: CSV scopes" % what)
    for r in recs:
        for k, v in r.items():
            if k in ("days_left", "days_to_review"):
                continue
            check(v[:1] not in ("=", "+", "-", "@", "\t", "\r"), "%s: CSV %s not a formula" % (what, k), v[:30])


# ---- Markdown ---------------------------------------------------------------------------------------------------------

def md_table(lines, heading):
    try:
        start = lines.index(heading)
    except ValueError:
        return None
    table = []
    for line in lines[start + 1:]:
        if not table and not line.startswith("|"):
            continue
        if not line.startswith("|"):
            break
        table.append(line)
    return table


def cells(line):
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def check_markdown(what, doc, text):
    check(not any(is_bad_control(c) for c in text if c != "\n"), "%s: markdown has no raw control character" % what)
    raw = [t for t in re.findall(r"<[^>]*>", text) if t != "<br>"]
    check(not raw, "%s: markdown has no raw HTML" % what, raw[:5])
    lines = text.split("\n")
    table = md_table(lines, "## Exclusions (%d)" % len(doc["exclusions"]))
    if not check(table is not None, "%s: markdown exclusions table" % what):
        return
    head = cells(table[0])
    check(head[-5:] == ["Function exists", "Tag present", "Scan-blind (CMK)", "Runtime deprecated", "Live note"],
          "%s: markdown live columns" % what, head[-5:])
    body = table[2:]
    check(len(body) == len(doc["exclusions"]), "%s: markdown one line per row" % what)
    for line, row in zip(body, doc["exclusions"]):
        c = cells(line)
        check(len(c) == len(head), "%s: markdown row %s keeps its columns" % (what, row["index"]), line[:200])
        live = row["live"]
        check(c[-5:-2] == [live["function_exists"], live["tag_present"], live["scan_blind"]]
              and c[-2].split(" ")[0] == live["runtime_deprecated"],
              "%s: markdown row %s live cells" % (what, row["index"]), c[-5:])
        if live["runtime_deprecated"] == "yes":
            check(live["deprecated_on"] in c[-2], "%s: markdown shows the deprecation date" % what, c[-2])
    n_un = len(doc["live"]["unrecorded"])
    un = md_table(lines, "## Unrecorded exclusions found in AWS (%d)" % n_un)
    if n_un and check(un is not None, "%s: markdown unrecorded table" % what):
        check(len(un) - 2 == n_un, "%s: markdown unrecorded rows (a tag value broke the table?)" % what, len(un))
        for line in un[2:]:
            check(len(cells(line)) == 7, "%s: markdown unrecorded row keeps 7 columns" % what, line[:200])
    check("## Live AWS state" in text, "%s: markdown live section" % what)


# ---- HTML -------------------------------------------------------------------------------------------------------------

def visible(value):
    return re.sub(r"\s+", " ", "".join("\ufffd" if is_bad_control(c) else c for c in value)).strip()


def check_html(what, doc, text):
    p = Scan()
    p.feed(text)
    p.close()
    for b in p.bad:
        check(False, "%s: html: %s" % (what, b))
    check(p.styles == 1, "%s: html has exactly our <style>" % what, p.styles)
    shown = re.sub(r"\s+", " ", "".join(p.text))
    for u in doc["live"]["unrecorded"]:
        check(visible(u["tag_key"] + "=" + u["tag_value"]) in shown, "%s: html shows tag %r literally" %
              (what, u["tag_value"][:30]))
    for row in doc["exclusions"]:
        m = re.search(r'<tr id="x%d">(.*?)</tr>' % row["index"], text, re.S)
        if not check(m is not None, "%s: html row %d" % (what, row["index"])):
            continue
        cell = re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)[-1]
        cell_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell))
        live = row["live"]
        for label, k in (("function exists", "function_exists"), ("tag present", "tag_present"),
                         ("scan-blind (CMK)", "scan_blind"), ("runtime deprecated", "runtime_deprecated")):
            check("%s %s " % (label, live[k]) in cell_text + " ", "%s: html row %d %s" % (what, row["index"], k),
                  cell_text[:300])
    check("Live AWS state" in text and "Unrecorded exclusions found in AWS (%d)" % len(doc["live"]["unrecorded"])
          in text, "%s: html live sections" % what)


def check_all(what, out, doc, entries, state, verified):
    if doc is None:
        return
    check_json(what, doc, entries, state, verified)
    check_csv(what, doc, out["csv"])
    check_markdown(what, doc, out["markdown"])
    check_html(what, doc, out["html"])


# ---- scenarios --------------------------------------------------------------------------------------------------------

def test_main(fake, state):
    wd = L.Workdir("report-live", L.LIVE_ENTRIES)
    verified = {(MAIN, "us-east-1"), (MAIN, "eu-west-1")}
    out, doc = render(fake, wd, "caller's account")
    check_all("caller's account", out, doc, L.LIVE_ENTRIES, state, verified)
    if doc:
        check_main_facts(doc)
        check(doc["live"]["complete"] and doc["live"]["unverified"] == [], "everything verified")
        hostile = {(u["tag_key"], u["tag_value"]) for u in doc["live"]["unrecorded"]
                   if u["function_name"] == L.HOSTILE_UNRECORDED}
        check(hostile == set(L.HOSTILE_TAGS.items()), "hostile tag values carried exactly (JSON)", hostile)
        check(all(not u["honoured"] for u in doc["live"]["unrecorded"] if u["function_name"] == L.HOSTILE_UNRECORDED),
              "hostile values are malformed tags, not honoured")
        hc = next(r["live"] for r in doc["exclusions"] if r["function_name"] == L.HOSTILE_CONFIG)
        check(hc["runtime"] == L.HOSTILE_RUNTIME and hc["kms_key_arn"] == L.HOSTILE_KMS, "hostile runtime/KMS kept")
    for fmt in FORMATS:
        if fmt != "csv":  # CSV is plain text: the value is there as written, quoted and formula-neutralised
            check("<script" not in out[fmt] and "<img" not in out[fmt], "%s: no raw markup from AWS" % fmt)
        check("not verified" not in out[fmt + ".err"], "%s: nothing reported unverified" % fmt, out[fmt + ".err"])
    return wd


def test_region_fails(fake, state):
    """An entry in ap-east-1, which the fake's account has not enabled: that row unknown, the rest known, exit 3."""
    entries = L.LIVE_ENTRIES + [L.entry("asia-fn", region="ap-east-1")]
    wd = L.Workdir("report-live-region", entries)
    verified = {(MAIN, "us-east-1"), (MAIN, "eu-west-1")}
    out, doc = render(fake, wd, "region fails", want_rc=3)
    check_all("region fails", out, doc, entries, state, verified)
    for fmt in FORMATS:
        err = out[fmt + ".err"]
        check("not verified" in err and "ap-east-1" in err, "region fails, %s: stderr names the region" % fmt, err)
    if doc:
        asia = doc["exclusions"][-1]["live"]
        check(all(asia[k] == "unknown" for k in FACTS), "region fails: its row is unknown", asia)
        check(doc["live"]["complete"] is False and any("ap-east-1" in u for u in doc["live"]["unverified"]),
              "region fails: JSON lists it unverified", doc["live"]["unverified"])
        check(doc["exclusions"][0]["live"]["tag_present"] == "yes", "region fails: other rows still verified")
    rows = list(csv.DictReader(io.StringIO(out["csv"], newline="")))
    asia_csv = [r for r in rows if r["function_name"] == "asia-fn"]
    check(len(asia_csv) == 1 and all(asia_csv[0]["live_" + k] == "unknown" for k in FACTS),
          "region fails: CSV cells unknown", asia_csv)
    check(any(r["kind"] == "unverified" and "ap-east-1" in r["live_note"] for r in rows), "CSV unverified record")
    md_row = [line for line in out["markdown"].split("\n") if "asia-fn" in line and line.startswith("| ")]
    check(len(md_row) == 1 and cells(md_row[0])[-5:-1] == ["unknown"] * 4, "region fails: markdown cells unknown",
          md_row)
    check("Not verified (" in out["html"] and "Not verified (" in out["markdown"], "region fails: section shown")


def test_access_denied(fake, state):
    """The Resource Groups Tagging API denied everywhere: every in-scope fact unknown, exit 3, the action named."""
    wd = L.Workdir("report-live-denied", L.LIVE_ENTRIES)
    out, doc = render(fake, wd, "tag API denied", principal="no-tagging-api", want_rc=3, formats=("json", "csv"))
    check("tag:GetResources" in out["json.err"], "tag API denied: stderr names the action", out["json.err"])
    if doc:
        check_json("tag API denied", doc, L.LIVE_ENTRIES, state, set())
        for row in doc["exclusions"]:
            check(all(row["live"][k] == "unknown" for k in FACTS), "denied: %s unknown" % row["function_name"],
                  row["live"])
        check_csv("tag API denied", doc, out["csv"])


def test_roles(fake, state):
    """--role-name, --account and --tags-source as in check: prod-api verified through the role; the sandbox role
    cannot ListTags -> its scope unverified, exit 3."""
    wd = L.Workdir("report-live-roles", L.LIVE_ENTRIES)
    args = ("--role-name", "InspectorLedgerAudit", "--account", "333333333333", "--tags-source", "lambda")
    # 333333333333 has no function in eu-west-1: nothing to ListTags there, so that pair is verified
    verified = {(a, r) for a in (MAIN, "222222222222") for r in ("us-east-1", "eu-west-1")} | {("333333333333",
                                                                                                "eu-west-1")}
    out, doc = render(fake, wd, "roles", *args, want_rc=3, formats=("json", "csv"))
    check("333333333333" in out["json.err"] and "lambda:ListTags" in out["json.err"],
          "roles: stderr names the account and the action", out["json.err"])
    if doc:
        check_json("roles", doc, L.LIVE_ENTRIES, state, verified)
        prod = next(r["live"] for r in doc["exclusions"] if r["function_name"] == "prod-api")
        check(prod["function_exists"] == "yes" and prod["tag_present"] == "yes", "roles: prod-api verified", prod)
        check("through role InspectorLedgerAudit" in doc["live"]["scope"], "roles: scope names the role",
              doc["live"]["scope"])
        check_csv("roles", doc, out["csv"])


def test_role_arn(fake, state):
    """--role-arn/--external-id (the common AWS options): the report runs as the role, in the role's account."""
    wd = L.Workdir("report-live-role-arn", L.LIVE_ENTRIES)
    role = ("--role-arn", "arn:aws:iam::222222222222:role/ExternalIdRole", "--role-session-name", "ledger-report")
    # the role's account is 222222222222: the ledger's 111111111111 entries are out of reach, so undeclared it fails
    # closed, naming the account and the option that would reach it
    rc, text, err = L.run_report(fake, wd, *role, "--external-id", "ledger-external-id-42")
    check(rc == 3 and "account 111111111111 is not the caller's account (222222222222)" in err and
          "--role-name" in err, "--role-arn, undeclared: exit 3 naming the unreachable account", err[-1500:])
    role += ("--only-account", "222222222222")
    rc, text, err = L.run_report(fake, wd, *role, "--external-id", "ledger-external-id-42")
    check(rc == 0, "--role-arn: exit 0", err[-1500:])
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if check(doc is not None, "--role-arn: report written"):
        check_json("--role-arn", doc, L.LIVE_ENTRIES, state, {("222222222222", r) for r in ("us-east-1", "eu-west-1")})
        check(doc["live"]["scope"].startswith("account 222222222222 (the caller's)"), "--role-arn: the role's account",
              doc["live"]["scope"])
    rc, text, err = L.run_report(fake, wd, *role, "--external-id", "wrong-id")
    check(rc == 3 and "AssumeRole" in err, "--role-arn with a wrong external id: exit 3, AssumeRole named", err[-1500:])
    check("ledger-external-id-42" not in err + text, "the external id of the other run is not echoed")


def test_no_credentials(fake, state):
    wd = L.Workdir("report-live-nocreds", L.LIVE_ENTRIES)
    rc, text, err = L.run_report(fake, wd, env_extra={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    check(rc == 3 and "credentials" in err, "no credentials: exit 3, said on stderr", err[-1500:])
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if check(doc is not None, "no credentials: the report is still written"):
        check(all(r["live"][k] == "unknown" for r in doc["exclusions"] for k in FACTS), "no credentials: all unknown")
        check(doc["live"]["unrecorded"] == [] and not doc["live"]["complete"], "no credentials: nothing claimed")


def test_usage(fake):
    wd = L.Workdir("report-live-usage", L.LIVE_ENTRIES)
    rc, _, err = L.run_report(fake, wd, "--account", "333333333333")
    check(rc == 2 and "--role-name" in err, "--account without a role: usage error (as check)", err)
    rc, _, err = L.run_report(fake, wd, "--tags-source", "nope")
    check(rc == 2, "bad --tags-source: usage error", err)
    rc, out, err = L.run_report(fake, wd, "--debug")
    check(rc == 0 and "lambda" in err.lower(), "--debug traces the requests on stderr", err[-500:])
    check("fakeSecretKeyForTestsOnly" not in err + out, "no secret in the --debug output")


def test_golden(fake):
    """Deterministic output (fixed --as-of, seeded fake, relative ledger path, --no-git): compared byte for byte."""
    wd = L.Workdir("report-live-golden", L.LIVE_ENTRIES)
    version = None
    for fmt, ext in (("json", "json"), ("csv", "csv"), ("markdown", "md"), ("html", "html")):
        rc, text, err = L.run_report(fake, wd, fmt=fmt, relative=True)
        check(rc == 0, "golden %s: exit 0" % fmt, err)
        if version is None:
            version = json.loads(text)["stamp"]["tool_version"] if fmt == "json" else None
        norm = text.replace(version, "@VERSION@") if version else text
        golden = os.path.join(SRC, "tests", "cli", "golden", "report-live." + ext)
        if os.environ.get("IL_UPDATE_GOLDEN") == "1":
            with open(golden, "w", encoding="utf-8", newline="") as f:
                f.write(norm)
            print("updated", golden)
            continue
        try:
            with open(golden, encoding="utf-8", newline="") as f:
                want = f.read()
        except OSError:
            want = None
        check(want == norm, "golden %s: output equals %s (IL_UPDATE_GOLDEN=1 regenerates)" % (fmt, golden),
              None if want is None else next((("line %d" % (i + 1), a, b) for i, (a, b) in
                                               enumerate(zip(want.split("\n"), norm.split("\n"))) if a != b),
                                              "length differs"))


def main():
    out_dir = os.environ.get("IL_TEST_OUT") or "."
    os.makedirs(out_dir, exist_ok=True)
    with L.start_live_fake(out_dir) as fake:
        state = fake.state()
        test_main(fake, state)
        test_region_fails(fake, state)
        test_access_denied(fake, state)
        test_roles(fake, state)
        test_role_arn(fake, state)
        test_no_credentials(fake, state)
        test_usage(fake)
        test_golden(fake)
    finish()


if __name__ == "__main__":
    main()
