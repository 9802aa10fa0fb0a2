#!/usr/bin/env python3
"""report --since REF against a real git history (several authors): added, removed, renewed, expired since REF;
tags from apply's change log (--changes) filtered by REF's commit time; aging (first applied through history, times
renewed, days until expiry); per-team active vs budget, overdue reviews, mean lifetime; every format (JSON against
schema/report.schema.json, HTML with its inline SVG chart and escaped ledger text, Markdown, CSV columns); errors
located (no such REF, a bad change-log line, --changes without --since)."""
import csv
import html.parser
import io
import json
import os
import sys
import calendar

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from govlib import AS_OF, LEDGER, Repo, check, entry, finish  # noqa: E402

SRC = os.environ.get("IL_SOURCE_DIR", ".")
HOSTILE_TEAM = "<img src=x onerror=alert(1)>|team"


def at(r, day):
    """Make the next commit happen at noon UTC on @day (YYYY-MM-DD)."""
    r.time = calendar.timegm((int(day[:4]), int(day[5:7]), int(day[8:10]), 12, 0, 0)) - 3600


def history():
    r = Repo()
    r.write(".inspector-ledger.yaml", "budgets:\n  platform: 1\n  payments: {active: 3, function_days: 100}\n")
    # orders-api first applied 2026-05-01, renewed twice before the audit, once after
    gone = entry("gone-fn", applied="2026-07-01", review="2026-08-01", expires="2026-10-01")
    at(r, "2026-05-01")
    r.write_ledger([entry("orders-api", applied="2026-05-01", review="2026-06-01", expires="2026-07-01"),
                    entry("old-fn", applied="2026-06-01", review="2026-07-01", expires="2026-08-15")])
    r.commit("start", who="bob")
    at(r, "2026-06-25")
    r.write_ledger([entry("orders-api", applied="2026-06-25", review="2026-08-01", expires="2026-09-01"),
                    entry("old-fn", applied="2026-06-01", review="2026-07-01", expires="2026-08-15"), gone])
    r.commit("renew 1", who="carol")
    at(r, "2026-08-25")
    r.write_ledger([entry("orders-api", applied="2026-08-25", review="2026-10-01", expires="2026-11-01"),
                    entry("old-fn", applied="2026-06-01", review="2026-07-01", expires="2026-08-15"), gone])
    r.commit("renew 2", who="carol")
    r.git("tag", "audit-q3")
    audit_time = int(r.git("show", "-s", "--format=%ct", "audit-q3").strip())
    at(r, "2026-10-25")
    r.write_ledger([entry("orders-api", applied="2026-10-25", review="2026-11-20", expires="2027-01-31"), gone,
                    entry("pay-fn", team="payments", applied="2026-11-01", review="2026-12-20", expires="2027-01-31"),
                    entry("ui-fn", team=HOSTILE_TEAM)])
    r.commit("after the audit: renew orders-api, add two, drop old-fn", who="alice")
    log = os.path.join(r.dir, "apply-log.jsonl")
    with open(log, "w") as f:
        f.write(json.dumps({"time": "2026-08-25T11:59:59Z", "action": "add", "function_arn": "arn:old",
                            "tag": {"key": "InspectorExclusion", "value": "LambdaStandardScanning"},
                            "result": "ok"}) + "\n\n")
        # the shape apply --log writes (schema/apply-log.schema.json), trimmed to what the report reads
        f.write(json.dumps({"time": "2026-12-01T08:30:00.125Z", "run_id": "r1", "account": "111122223333",
                            "region": "us-east-1", "action": "remove",
                            "function_arn": "arn:aws:lambda:us-east-1:111122223333:function:old-fn",
                            "tag_key": "InspectorExclusion", "tag_value": "LambdaStandardScanning", "result": "done",
                            "entry": {"file": LEDGER, "line": 3, "pointer": "/exclusions/1",
                                      "expires_at": "2026-08-15"},
                            "ledger": {"file": LEDGER, "sha256": "0" * 64}}) + "\n")
    return r, log, audit_time


def run(r, fmt, *extra):
    return r.run("--format", fmt, "--as-of", AS_OF, "--since", "audit-q3", *extra, LEDGER, cmd="report")


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_json(r, log):
    rc, doc, out, err = run(r, "json", "--changes", log)
    check(rc == 0 and doc is not None, "report --since json runs", (rc, err))
    s = (doc or {}).get("since", {})
    check(s.get("counts") == {"added": 2, "removed": 1, "renewed": 1, "changed": 0, "expired": 1},
          "counts: added pay-fn and ui-fn, removed old-fn, renewed orders-api, expired gone-fn", s.get("counts"))
    kinds = sorted((c["kind"], c["function_name"]) for c in s.get("changes", []))
    check(("removed", "old-fn") in kinds and ("renewed", "orders-api") in kinds and ("expired", "old-fn") not in kinds
          and ("expired", "gone-fn") in kinds, "old-fn expired before the audit: removed, not 'expired since'; "
          "gone-fn expired after it", kinds)
    check(s.get("ref_date") == "2026-08-25", "ref_date is the ref's commit day", s.get("ref_date"))
    aging = {a["function_arn"].rsplit(":", 1)[1]: a for a in s.get("aging", [])}
    o = aging.get("orders-api", {})
    check(o.get("times_renewed") == 3 and o.get("first_applied_at") == "2026-05-01" and o.get("age_days") == 214 and
          o.get("days_until_expiry") == 61 and o.get("change") == "renewed",
          "aging of orders-api: first applied 2026-05-01 (history), age 214 days, renewed 3 times, 61 days left", o)
    check(aging.get("pay-fn", {}).get("times_renewed") == 0 and aging.get("pay-fn", {}).get("change") == "added",
          "aging of an added exclusion", aging.get("pay-fn"))
    tags = s.get("tag_changes")
    check(isinstance(tags, list) and len(tags) == 1 and tags[0]["action"] == "remove" and tags[0]["ledger_line"] == 3,
          "only change-log lines at or after the ref's commit time", tags)
    teams = {t["team"]: t for t in s.get("teams", [])}
    p = teams.get("platform", {})
    check(p.get("active") == 1 and p.get("budget") == 1 and p.get("over_budget") is False and
          p.get("overdue_reviews") == 1 and p.get("mean_lifetime_days") == 183.5,
          "platform: 1 active (gone-fn expired) of a budget of 1, orders-api's review overdue; mean lifetime of "
          "orders-api (2026-05-01..2027-01-31, 275 d) and gone-fn (92 d)", p)
    pay = teams.get("payments", {})
    check(pay.get("function_days") == 91 and pay.get("function_days_budget") == 100, "payments function-days", pay)
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema missing: schema check skipped", file=sys.stderr)
        return
    with open(os.path.join(SRC, "schema/report.schema.json")) as f:
        schema = json.load(f)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    check(not errors, "report --since json is valid against schema/report.schema.json", errors[:3])
    rc, doc2, out, err = run(r, "json")
    check(doc2 and doc2["since"]["tag_changes"] is None, "without --changes tag_changes is null", out[-300:])
    bad = json.loads(json.dumps(doc))
    bad["since"]["counts"]["added"] = -1
    check(list(jsonschema.Draft202012Validator(schema).iter_errors(bad)), "the since schema is not vacuous")


def test_html(r, log):
    rc, doc, out, err = run(r, "html", "--changes", log)
    check(rc == 0 and "<section id=\"since\">" in out, "html has the since section", (rc, err))
    p = Tags()
    p.feed(out)
    names = [t for t, _ in p.tags]
    check("svg" in names and "rect" in names, "html draws the inline SVG chart", names[:40])
    check("img" not in names and "onerror" not in out.replace("onerror=alert", ""), "no tag from a team name", out[:0])
    check(any(HOSTILE_TEAM in t for t in p.text), "the hostile team name appears as text", None)
    check("<script" not in out, "no script in the report", None)


def test_markdown_csv(r, log):
    rc, doc, out, err = run(r, "markdown", "--changes", log)
    check(rc == 0 and "## Since audit-q3" in out and "### Aging" in out and "### Teams" in out,
          "markdown has the since sections", (rc, out[:500]))
    for line in out.splitlines():
        if line.startswith("| ") and "img" in line:
            check(line.count(" | ") == line.replace("\\|", "").count(" | ") and "<img" not in line,
                  "markdown escapes the hostile team name", line)
    rc, doc, out, err = run(r, "csv")
    rows = list(csv.reader(io.StringIO(out)))
    head = rows[0] if rows else []
    check(head[-5:] == ["since_ref", "since_change", "first_applied_at", "age_days", "times_renewed"],
          "csv: the since columns", head)
    check(all(len(x) == len(head) for x in rows), "csv: every record has every column", [len(x) for x in rows])
    orders = [x for x in rows[1:] if x[1] == "orders-api"]
    check(orders and orders[0][-5:] == ["audit-q3", "renewed", "2026-05-01", "214", "3"], "csv: orders-api aging",
          orders)


def test_errors(r, log, audit_time):
    rc, doc, out, err = r.run("--as-of", AS_OF, "--since", "no-such-tag", LEDGER, cmd="report")
    check(rc == 2 and "no commit `no-such-tag`" in err and out == "", "--since with an unknown REF: exit 2, no report",
          (rc, err))
    rc, doc, out, err = r.run("--changes", log, LEDGER, cmd="report")
    check(rc == 2 and "--changes needs --since" in err, "--changes without --since", (rc, err))
    rc, doc, out, err = r.run("--since", "audit-q3", "--no-git", LEDGER, cmd="report")
    check(rc == 2 and "--no-git" in err, "--since with --no-git", (rc, err))
    bad = os.path.join(r.dir, "bad.jsonl")
    with open(bad, "w") as f:
        f.write('{"time": "2026-12-01T10:00:00Z", "action": "add", "function_arn": "a"}\n')
        f.write('{"time": "2026-12-01T10:00:00Z", "action": "tag", "function_arn": "a"}\n')
    rc, doc, out, err = run(r, "json", "--changes", bad)
    check(rc == 2 and "bad.jsonl:2:1" in err and "`action`" in err, "a bad change-log line is located", (rc, err))
    with open(bad, "w") as f:
        f.write('{"time": "2026-12-01T10:00:00Z", "action": "add", "function_arn": "a"}\n{"time": \n')
    rc, doc, out, err = run(r, "json", "--changes", bad)
    check(rc == 2 and "bad.jsonl:2:" in err, "broken JSON in the change log is located", (rc, err))


r, log, audit_time = history()
for t in (lambda: test_json(r, log), lambda: test_html(r, log), lambda: test_markdown_csv(r, log),
          lambda: test_errors(r, log, audit_time)):
    try:
        t()
    except Exception as e:
        check(False, "raised %r" % e)
r.close()
finish("test_report_since")
