#!/usr/bin/env python3
"""The organisation policy file: found at the repository root (from any folder), --policy FILE, precedence
flag > file > default shown by --print-policy and obeyed by the rules, errors located at file:line:col (schema
violations with did-you-mean, an unknown rule, a rule that may not be lowered, a bad ticket_pattern, unreadable,
not YAML), ticket-format, severity overrides and the implicit-exclusion severity."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from govlib import AS_OF, LEDGER, Repo, check, entry, findings, finish  # noqa: E402


def repo(policy, entries):
    r = Repo()
    if policy is not None:
        r.write(".inspector-ledger.yaml", policy)
    r.write_ledger(entries)
    r.commit("start", who="bob")
    return r


def test_precedence():
    long_one = entry("orders-api", applied="2026-11-01", review="2026-12-20", expires="2027-06-30")  # 241 days
    r = repo("max_days: 180\nwarn_days: 30\n", [long_one])
    rc, doc, out, err = r.run("--print-policy", LEDGER)
    check(rc == 0 and "max_days: 180  # .inspector-ledger.yaml:1:11" in out, "file value with its position", out)
    check("warn_days: 30  # .inspector-ledger.yaml:2:12" in out, "second file value with its position", out)
    check("require_distinct_approver: false  # default" in out and "max_renewals: null  # default" in out,
          "defaults say so", out)
    rc, doc, out, err = r.run("--print-policy", "--max-days", "300", "--require-distinct-approver", LEDGER)
    check("max_days: 300  # flag --max-days" in out and "require_distinct_approver: true  # flag "
          "--require-distinct-approver" in out and "warn_days: 30  # .inspector-ledger.yaml" in out,
          "a flag overrides the file; the rest stays", out)
    rc, doc, out, err = r.validate()
    f = findings(doc, "window-too-long", "error")
    check(rc == 1 and f and "180-day maximum" in f[0]["message"], "the file's max_days is enforced", out)
    rc, doc, out, err = r.validate("--max-days", "300")
    check(rc == 0 and not findings(doc, "window-too-long"), "the flag's max_days wins over the file's", (rc, out))
    r.close()
    # default: no file at all, window unbounded
    r = repo(None, [long_one])
    rc, doc, out, err = r.validate()
    check(rc == 0 and not findings(doc, "window-too-long"), "no policy file: the defaults (no max_days)", (rc, out))
    rc, doc, out, err = r.run("--print-policy", LEDGER)
    check("max_days: null  # default" in out and "warn_days: 14  # default" in out, "defaults printed", out)
    r.close()
    # warn_days: default 14, file 40, flag 5
    soon = entry("orders-api", applied="2026-11-01", review="2026-12-05", expires="2026-12-31")  # 30 days left
    r = repo("warn_days: 40\n", [soon])
    rc, doc, out, err = r.validate()
    check(findings(doc, "expiring-soon", "warning"), "file warn_days 40 makes 30 days left 'soon'", out)
    rc, doc, out, err = r.validate("--warn-days", "5")
    check(not findings(doc, "expiring-soon"), "flag warn_days 5 overrides the file", out)
    r.close()
    r = repo(None, [soon])
    rc, doc, out, err = r.validate()
    check(not findings(doc, "expiring-soon"), "default warn_days 14: 30 days left is not soon", out)
    r.close()


def test_found_from_subfolder_and_explicit():
    r = repo("max_days: 10\n", [entry("orders-api")])
    rc, doc, out, err = r.run("--print-policy", "inspector-exclusions.yaml", cwd=os.path.join(r.dir, "security"))
    check(rc == 0 and "max_days: 10  # " in out and ".inspector-ledger.yaml:1:11" in out,
          "the policy is found at the repository root from a subfolder", (rc, out, err))
    other = os.path.join(r.dir, "other-policy.yaml")
    with open(other, "w") as f:
        f.write("max_days: 20\n")
    rc, doc, out, err = r.run("--print-policy", "--policy", other, LEDGER)
    check("max_days: 20  # " + other + ":1:11" in out, "--policy FILE replaces the repository's file", out)
    rc, doc, out, err = r.run("--policy", os.path.join(r.dir, "missing.yaml"), LEDGER)
    check(rc == 2 and "cannot read policy file" in err and "no such file" in err, "a missing --policy: exit 2",
          (rc, err))
    r.close()


def test_errors_located():
    cases = [
        ("max_days: 180\nmax_dayz: 90\n", ".inspector-ledger.yaml:2:1", "did you mean `max_days`"),
        ("max_days: -3\n", ".inspector-ledger.yaml:1:11", "must be at least 1"),
        ("approvers:\n  sec: [not-an-identity]\n", ".inspector-ledger.yaml:2:9", "pattern"),
        ("ticket_pattern: \"^SEC-(\"\n", ".inspector-ledger.yaml:1:17", "ticket_pattern is not a regular expression"),
        ("severity:\n  review-overdu: error\n", ".inspector-ledger.yaml:2:3", "unknown rule `review-overdu`"),
        ("severity:\n  expired: warning\n", ".inspector-ledger.yaml:2:3", "`expired` cannot be lowered"),
        ("budgets:\n  platform: {active: 1, max: 2}\n", ".inspector-ledger.yaml:2:", "max"),
        ("max_days: [180\n", ".inspector-ledger.yaml:2:1", "yaml"),
    ]
    for text, where, what in cases:
        r = repo(text, [entry("orders-api")])
        rc, doc, out, err = r.validate()
        check(rc == 2 and where in err and what in err, "policy error located: %r" % text, (rc, err))
        check(out == "", "no findings rendered with a broken policy: %r" % text, out)
        r.close()


def test_ticket_format():
    r = repo("ticket_pattern: \"^SEC-[0-9]+$\"\n", [entry("orders-api", ticket="SEC-12"),
                                                    entry("billing-api", ticket="JIRA-9")])
    rc, doc, out, err = r.validate()
    f = findings(doc, "ticket-format", "error")
    check(rc == 1 and len(f) == 1 and f[0]["pointer"] == "/exclusions/1/reason/ticket" and "JIRA-9" in
          f[0]["message"], "ticket-format: only the non-matching ticket", (rc, out))
    r.close()


def test_severity_overrides():
    overdue = entry("orders-api", review="2026-11-15")
    r = repo("severity:\n  review-overdue: error\n", [overdue])
    rc, doc, out, err = r.validate()
    check(rc == 1 and findings(doc, "review-overdue", "error"), "severity override raises review-overdue", out)
    r.close()
    r = repo("severity:\n  review-overdue: off\n", [overdue])
    rc, doc, out, err = r.validate("--fail-on", "warning")
    check(rc == 0 and not findings(doc, "review-overdue"), "severity off drops the rule", (rc, out))
    r.close()
    r = repo("severity:\n  expired: error\nimplicit_exclusion_severity: warning\n", [overdue])
    rc, doc, out, err = r.run("--print-policy", LEDGER)
    check(rc == 0 and '"expired": error  # .inspector-ledger.yaml:2:3' in out and
          "implicit_exclusion_severity: warning  # .inspector-ledger.yaml:3:30" in out,
          "raising a protected rule is allowed; implicit severity printed", (rc, out, err))
    r.close()


for t in [test_precedence, test_found_from_subfolder_and_explicit, test_errors_located, test_ticket_format,
          test_severity_overrides]:
    try:
        t()
    except Exception as e:
        check(False, "%s raised %r" % (t.__name__, e))
finish("test_policy")
