#!/usr/bin/env python3
"""Every report format against the hostile ledger (tests/data/report-hostile.yaml), standard library only.

The JSON output is the reference for the values (it is checked against the YAML itself when python3-yaml is
present, and against the schema by test_report_json_schema.py). Then:
  - CSV: read back with Python's csv module; same number of records and fields, every field equal to the JSON
    value after the documented neutralisation (formula-leading cells get a leading ', other controls U+FFFD).
  - HTML: parsed with html.parser; only the renderer's own tags and attributes occur, no script/style/link/img
    from the ledger, no event handlers or javascript: URLs, and every hostile value appears as text.
  - Markdown: every table row keeps its column count (no unescaped |), no raw HTML but <br>, no line break inside
    a row, no control characters.
"""
import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys

BIN = os.environ.get("IL_BIN", "build/inspector-ledger")
SRC = os.environ.get("IL_SOURCE_DIR", ".")
HOSTILE = os.path.join(SRC, "tests/data/report-hostile.yaml")
AS_OF = "2026-05-28"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def render(fmt):
    p = subprocess.run([BIN, "report", "--no-git", "--as-of", AS_OF, "--format", fmt, HOSTILE],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("%s: exit %d: %s" % (fmt, p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout.decode("utf-8")  # every format must be valid UTF-8


def is_bad_control(ch):
    o = ord(ch)
    return (o < 0x20 and ch not in "\t\n\r") or 0x7f <= o <= 0x9f or is_hazard(ch)


def is_hazard(ch):
    """Characters that reorder or break text invisibly (Trojan Source): shown as U+FFFD by every writer."""
    o = ord(ch)
    return 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or o in (0x200E, 0x200F, 0x061C, 0x2028, 0x2029, 0xFEFF)


def csv_expected(value):
    """The CSV writer's documented transformation of one ledger string."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        value = "'" + value
    return "".join("\ufffd" if is_bad_control(c) else c for c in value)


def check_json_against_yaml(data):
    try:
        import yaml  # python3-yaml: an independent reading of the ledger
    except ImportError:
        print("note: python3-yaml missing; JSON values not compared with the YAML source")
        return
    with open(HOSTILE, encoding="utf-8") as f:
        ledger = yaml.safe_load(f)
    for src, row in zip(ledger["exclusions"], data["exclusions"]):
        pairs = [(src["reason"]["summary"], row["reason"]["summary"]), (src["reason"]["ticket"], row["reason"]["ticket"]),
                 (src["owner"]["team"], row["owner"]["team"]), (src["owner"]["approved_by"], row["owner"]["approved_by"]),
                 (src["owner"]["applied_by"], row["owner"]["applied_by"]),
                 (src["reason"]["compensating_controls"], row["reason"]["compensating_controls"])]
        for want, got in pairs:
            if want != got:
                fail("json: %r != YAML %r" % (got, want))


def check_csv(data, text):
    if not text.endswith("\r\n"):
        fail("csv: records must end in CRLF (RFC 4180)")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, records = rows[0], rows[1:]
    if len(records) != len(data["exclusions"]):
        fail("csv: %d records, expected %d" % (len(records), len(data["exclusions"])))
        return
    for rec in records:
        if len(rec) != len(header):
            fail("csv: record has %d fields, header %d" % (len(rec), len(header)))
    for rec, row in zip(records, data["exclusions"]):
        got = dict(zip(header, rec))
        expected = {
            "index": str(row["index"]), "function_name": row["function_name"], "function_arn": row["function_arn"],
            "account": row["account"], "region": row["region"], "scan_type": row["scan_type"],
            "tag_key": row["tag"]["key"], "tag_value": row["tag"]["value"], "team": row["owner"]["team"],
            "approved_by": row["owner"]["approved_by"], "applied_by": row["owner"]["applied_by"],
            "ticket": row["reason"]["ticket"], "reason_summary": row["reason"]["summary"],
            "compensating_controls": "\n".join(row["reason"]["compensating_controls"]),
            "applied_at": row["dates"]["applied_at"], "expires_at": row["dates"]["expires_at"],
            "next_review_at": row["dates"]["next_review_at"], "days_left": str(row["days_left"]),
            "days_to_review": str(row["days_to_review"]), "status": row["status"],
            "report_as_of": AS_OF, "ledger_sha256": data["stamp"]["ledger_sha256"],
            "tool_version": data["stamp"]["tool_version"],
        }
        for key, value in expected.items():
            want = value if key in ("index", "days_left", "days_to_review") else csv_expected(value)
            if got.get(key) != want:
                fail("csv: record %s field %s: %r != %r" % (row["index"], key, got.get(key), want))
        for key, value in got.items():
            if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and key not in ("days_left", "days_to_review")):
                fail("csv: field %s starts with a formula character: %r" % (key, value[:20]))


class Scan(html.parser.HTMLParser):
    ALLOWED = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "b", "i", "section",
               "dl", "dt", "dd", "div", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "span", "br",
               "ul", "li", "a", "svg", "line", "text", "g", "rect", "footer"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.text = []
        self.styles = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            self.bad.append("tag <%s>" % tag)
        if tag == "style":
            self.styles += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append("event handler %s on <%s>" % (name, tag))
            if name in ("href", "src") and not (value or "").startswith("#"):
                self.bad.append("%s=%r on <%s>" % (name, value, tag))

    def handle_data(self, data):
        self.text.append(data)


def check_html(data, text):
    p = Scan()
    p.feed(text)
    p.close()
    for b in p.bad:
        fail("html: " + b)
    if p.styles != 1:
        fail("html: %d <style> elements (the ledger added some)" % p.styles)
    shown = re.sub(r"\s+", " ", "".join(p.text))
    for row in data["exclusions"]:
        for value in [row["reason"]["summary"], row["reason"]["ticket"], row["owner"]["team"],
                      row["owner"]["approved_by"], row["owner"]["applied_by"]] + row["reason"]["compensating_controls"]:
            visible = re.sub(r"\s+", " ", "".join("\ufffd" if is_bad_control(c) else c for c in value)).strip()
            if visible not in shown:
                fail("html: value not shown literally: %r" % visible[:60])
    if any(is_bad_control(c) for c in text if c not in "\t\n\r"):
        fail("html: raw control or bidi character in output")


def check_markdown(data, text):
    if any(is_bad_control(c) for c in text if c != "\n"):
        fail("markdown: raw control character in output")
    lines = text.split("\n")
    try:
        start = lines.index("## Exclusions (%d)" % len(data["exclusions"]))
    except ValueError:
        fail("markdown: no exclusions heading")
        return
    table = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        table.append(line)
    header, rows = table[0], table[2:]
    pipes = lambda line: len(re.findall(r"(?<!\\)\|", line))  # noqa: E731
    if len(rows) != len(data["exclusions"]):
        fail("markdown: %d table rows, expected %d (a value broke the table)" % (len(rows), len(data["exclusions"])))
    for i, row in enumerate(rows):
        if pipes(row) != pipes(header):
            fail("markdown: row %d has %d cell separators, header %d" % (i + 1, pipes(row), pipes(header)))
        if not row.startswith("| %d |" % (i + 1)):
            fail("markdown: row %d does not start with its index" % (i + 1))
    raw_tags = [t for t in re.findall(r"<[^>]*>", text) if t != "<br>"]
    if raw_tags:
        fail("markdown: raw HTML in output: %s" % raw_tags[:5])


def main():
    data = json.loads(render("json"))
    if len(data["exclusions"]) != 4:
        fail("json: expected 4 exclusions")
    statuses = sorted(row["status"] for row in data["exclusions"])
    if statuses != ["active", "expired", "expiring-soon", "review-overdue"]:
        fail("json: hostile ledger should show one entry per status, got %s" % statuses)
    check_json_against_yaml(data)
    check_csv(data, render("csv"))
    check_html(data, render("html"))
    check_markdown(data, render("markdown"))
    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("ok: csv, html, markdown and json survive the hostile ledger")
    return 0


if __name__ == "__main__":
    sys.exit(main())
