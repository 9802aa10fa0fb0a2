#!/usr/bin/env python3
"""The pull-request gate against real git repositories built here, with several authors (GIT_AUTHOR_*/
GIT_COMMITTER_*): self-approval caught (e-mail and @handle), approver not allowed, reviews JSON with and without the
approval (GitHub and GitLab), renewals counted through history, renewal keeping the old approval, budgets, old
warnings demoted in --base mode while expiry still fails, the policy read from the base ref, and the errors: no such
ref, not a repository, uncommitted changes (exit 3), a bad reviews file."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from govlib import AS_OF, LEDGER, Repo, check, entry, findings, finish  # noqa: E402

POLICY = """\
version: 1
approvers:
  security-reviewer: [carol@example.com, "@carol-gh"]
  dave: ["@dave-gh"]
ticket_pattern: "^SEC-[0-9]+$"
max_days: 180
max_renewals: 2
budgets:
  platform: 2
  payments: {active: 5, function_days: 250}
"""


def base_repo():
    """main: the policy and one exclusion by carol's team (approved properly); then a branch 'pr'."""
    r = Repo()
    r.write(".inspector-ledger.yaml", POLICY)
    r.write_ledger([entry("orders-api")])
    r.commit("ledger: orders-api", who="bob")
    r.branch("pr")
    return r


def rules(doc, sev=None):
    return sorted(f["rule"] for f in findings(doc, severity=sev))


def test_clean_change_passes():
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api", ticket="SEC-7")])
    r.commit("add billing-api", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(rc == 0, "a change by alice approved by security-reviewer (carol) passes", (rc, out, err))
    check(rules(doc, "error") == [], "no errors for a clean change", out)
    check(findings(doc, "approvals-not-verified", "notice"), "without --reviews: a notice that approvals were not "
                                                               "checked against the forge", out)
    rc, doc, out, err = r.run("--as-of", AS_OF, "--base", "main", LEDGER)
    check(rc == 0 and "changes since main: 1 added, 0 renewed, 0 changed, 0 removed, 1 untouched\n" in out,
          "text output says what the change is", (rc, out))
    r.close()


def test_self_approval():
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api")])
    r.commit("add billing-api", who="carol")  # carol is security-reviewer and wrote the change
    rc, doc, out, err = r.validate("--base", "main")
    f = findings(doc, "self-approval", "error")
    check(rc == 1 and len(f) == 1, "self-approval: the approver authored the change", (rc, out, err))
    check(f and "carol@example.com" in f[0]["message"] and f[0]["pointer"] == "/exclusions/1/owner/approved_by",
          "self-approval names who and points at approved_by", out)
    check(f and f[0]["line"] == 39, "self-approval is located at the approved_by line", f)
    r.close()
    # committed (not authored) by the approver counts too
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api")])
    r.commit("add billing-api", who="alice", committer="carol")
    rc, doc, out, err = r.validate("--base", "main")
    check(findings(doc, "self-approval", "error"), "self-approval: the approver committed the change", out)
    r.close()
    # a @handle matches a GitHub noreply address
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api", approved_by="dave")])
    r.commit("add billing-api", who="dave")
    rc, doc, out, err = r.validate("--base", "main")
    check(findings(doc, "self-approval", "error"), "self-approval through @handle and a noreply e-mail", out)
    r.close()
    # an earlier commit in the PR by the approver, later overwritten line by line by someone else, still counts
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api", summary="first draft")])
    r.commit("draft", who="carol")
    r.write_ledger([entry("orders-api"), entry("billing-api", summary="second draft")])
    r.commit("reword", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(findings(doc, "self-approval", "error"), "self-approval found through every commit (git log -L)", out)
    # an untouched entry whose approver changed nothing is not self-approved
    check(all(f["pointer"].startswith("/exclusions/1") for f in findings(doc, "self-approval")),
          "the untouched entry is not blamed", out)
    r.close()


def test_approver_not_allowed():
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api", approved_by="mallory")])
    r.commit("add billing-api", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    f = findings(doc, "approver-not-allowed", "error")
    check(rc == 1 and len(f) == 1 and "`mallory`" in f[0]["message"] and "security-reviewer" in f[0]["message"],
          "approver not in the policy: error naming the allowed ones", (rc, out))
    r.close()
    # in an untouched entry the same problem was already at the base: a notice, not an error
    r = Repo()
    r.write_ledger([entry("orders-api", approved_by="mallory")])
    r.commit("old ledger", who="bob")
    r.write(".inspector-ledger.yaml", POLICY)
    r.commit("policy", who="bob")
    r.branch("pr")
    r.write_ledger([entry("orders-api", approved_by="mallory"), entry("billing-api")])
    r.commit("add billing-api", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(rc == 0, "an old unlisted approver does not block someone else's change", (rc, out, err))
    check(findings(doc, "approver-not-allowed", "notice") and findings(doc, "pre-existing", "notice"),
          "the old problem is shown as a notice, with a pre-existing notice", out)
    rc, doc, out, err = r.validate()
    check(rc == 1 and findings(doc, "approver-not-allowed", "error"), "without --base it is an error", out)
    r.close()


def test_reviews():
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api")])
    r.commit("add billing-api", who="alice")
    reviews = os.path.join(r.dir, "reviews.json")
    approved = [{"id": 1, "user": {"login": "bob"}, "state": "COMMENTED", "submitted_at": "2026-11-30T10:00:00Z"},
                {"id": 2, "user": {"login": "Carol-GH"}, "state": "APPROVED", "submitted_at": "2026-11-30T11:00:00Z"}]
    with open(reviews, "w") as f:
        json.dump(approved, f)
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 0 and not findings(doc, "approval-not-reviewed"), "GitHub: the approver's APPROVED review passes",
          (rc, out, err))
    check(not findings(doc, "approvals-not-verified"), "with --reviews: no 'not verified against the forge' notice",
          out)
    with open(reviews, "w") as f:
        json.dump(approved + [{"id": 3, "user": {"login": "carol-gh"}, "state": "CHANGES_REQUESTED",
                               "submitted_at": "2026-11-30T12:00:00Z"}], f)
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    f = findings(doc, "approval-not-reviewed", "error")
    check(rc == 1 and len(f) == 1 and "github" in f[0]["message"], "GitHub: a later CHANGES_REQUESTED withdraws it",
          (rc, out))
    with open(reviews, "w") as f:
        json.dump([{"id": 1, "user": {"login": "bob"}, "state": "APPROVED", "submitted_at": "2026-11-30T10:00:00Z"},
                   {"id": 9, "user": None, "state": "APPROVED"}], f)
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 1 and findings(doc, "approval-not-reviewed"), "GitHub: someone else's approval is not the approver's",
          out)
    with open(reviews, "w") as f:
        json.dump({"id": 5, "approved": True, "approved_by": [{"user": {"username": "carol-gh", "id": 3}}]}, f)
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 0, "GitLab approvals JSON with the approver passes", (rc, out, err))
    with open(reviews, "w") as f:
        json.dump({"approved_by": [{"user": {"username": "bob"}}]}, f)
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 1 and findings(doc, "approval-not-reviewed"), "GitLab approvals JSON without the approver fails", out)
    with open(reviews, "w") as f:
        f.write('[{"user": {"login": "carol-gh"}, "state": "APPROVED"},\n {"user": {"login": 7}}]')
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 2 and "reviews.json:2:2" in err, "a malformed reviews file is a located usage error", (rc, err))
    with open(reviews, "w") as f:
        f.write('{"message": "Not Found"}')
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 2 and "neither GitHub" in err, "an API error body is not mistaken for reviews", (rc, err))
    with open(reviews, "w") as f:
        f.write('[{"user": {"login": "carol-gh"}, "state": "APPROVED"')
    rc, doc, out, err = r.validate("--base", "main", "--reviews", reviews)
    check(rc == 2 and "reviews.json:1:" in err, "truncated JSON: located error", (rc, err))
    rc, doc, out, err = r.validate("--reviews", reviews)
    check(rc == 2 and "--reviews needs --base" in err, "--reviews without --base is a usage error", (rc, err))
    r.close()


def test_renewals():
    r = Repo()
    r.write(".inspector-ledger.yaml", POLICY)
    r.write_ledger([entry("orders-api", expires="2026-12-31", applied="2026-10-01", review="2026-12-20")])
    r.commit("add", who="bob")
    r.write_ledger([entry("orders-api", expires="2027-01-31", applied="2026-11-01", review="2027-01-20")])
    r.commit("renewal 1", who="bob")
    r.write_ledger([entry("orders-api", expires="2027-02-28", applied="2026-11-20", review="2027-02-20")])
    r.commit("renewal 2", who="bob")
    r.branch("pr")
    r.write_ledger([entry("orders-api", expires="2027-03-31", applied="2026-11-30", review="2027-03-20")])
    r.commit("renewal 3", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    f = findings(doc, "too-many-renewals", "error")
    check(rc == 1 and len(f) == 1 and "renewal 3" in f[0]["message"] and "max_renewals of 2" in f[0]["message"],
          "a third renewal with max_renewals 2 fails, counted through history", (rc, out, err))
    rc, doc, out, err = r.validate("--base", "main", "--max-renewals", "3")
    check(rc == 0 and not findings(doc, "too-many-renewals"), "--max-renewals 3 overrides the file's 2", (rc, out))
    # the same renewal against the base before renewal 2: only the second one then
    rc, doc, out, err = r.validate("--base", "main~1")
    check(not findings(doc, "too-many-renewals"), "from main~1 the change is renewal 2 (history up to the base)",
          out)
    # a renewal that keeps applied_at and approved_by as they were
    r.git("checkout", "-q", "main")
    r.branch("pr2")
    r.write_ledger([entry("orders-api", expires="2027-04-30", applied="2026-11-20", review="2027-03-20")])
    r.commit("extend quietly", who="alice")
    rc, doc, out, err = r.validate("--base", "main", "--max-renewals", "5")
    f = findings(doc, "renewal-unchanged-approval", "warning")
    check(len(f) == 1 and "2027-02-28" in f[0]["message"] and "2027-04-30" in f[0]["message"],
          "a renewal keeping applied_at and approved_by warns", out)
    r.close()


def test_budgets():
    r = Repo()
    r.write(".inspector-ledger.yaml", POLICY)
    r.write_ledger([entry("a-fn"), entry("b-fn")])
    r.commit("two for platform", who="bob")
    r.branch("pr")
    r.write_ledger([entry("a-fn"), entry("b-fn"), entry("c-fn")])
    r.commit("a third", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    f = findings(doc, "budget-exceeded", "error")
    check(rc == 1 and len(f) == 1 and "`platform` holds 3 active exclusions, over its budget of 2" in f[0]["message"],
          "a team over its budget after the change: error naming team, count and budget", (rc, out))
    # an expired exclusion does not count against the budget (it fails on its own)
    r.write_ledger([entry("a-fn", applied="2026-01-01", review="2026-02-01", expires="2026-03-01"), entry("b-fn"),
                    entry("c-fn")])
    r.commit("a-fn lapsed", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(not findings(doc, "budget-exceeded") and findings(doc, "expired", "error"),
          "expired entries are not active: within budget, but expired still fails", out)
    r.close()
    # already over budget at the base; a change to another team is not blocked, one to the team is
    r = Repo()
    r.write_ledger([entry("a-fn"), entry("b-fn"), entry("c-fn")])
    r.commit("three", who="bob")
    r.write(".inspector-ledger.yaml", POLICY)
    r.commit("policy", who="bob")
    r.branch("pr")
    r.write_ledger([entry("a-fn"), entry("b-fn"), entry("c-fn"), entry("pay-fn", team="payments")])
    r.commit("payments", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(rc == 0 and findings(doc, "budget-exceeded", "notice"), "another team's old overrun is a notice", (rc, out))
    r.write_ledger([entry("a-fn"), entry("b-fn"), entry("c-fn", ticket="SEC-99"), entry("pay-fn", team="payments")])
    r.commit("touch c-fn", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(rc == 1 and findings(doc, "budget-exceeded", "error"), "changing an entry of the team over budget fails",
          out)
    # function-days
    r.write_ledger([entry("a-fn"), entry("b-fn"), entry("c-fn"), entry("pay-fn", team="payments"),
                    entry("pay2-fn", team="payments", applied="2026-11-01", expires="2027-04-30",
                          review="2027-01-15")])
    r.commit("long payments one", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    f = [x for x in findings(doc, "budget-exceeded", "error") if "function-days" in x["message"]]
    check(len(f) == 1 and "`payments` holds 271 excluded function-days, over its budget of 250" in f[0]["message"],
          "function-days budget: the sum of expires_at - applied_at over active exclusions", out)
    r.close()


def test_demotion():
    r = Repo()
    old = entry("orders-api", review="2026-11-15")  # review overdue on AS_OF: a warning
    gone = entry("legacy-fn", applied="2026-01-01", review="2026-02-01", expires="2026-11-30")  # expired on AS_OF
    r.write_ledger([old, gone])
    r.commit("old", who="bob")
    r.branch("pr")
    r.write_ledger([old, gone, entry("billing-api")])
    r.commit("add billing-api", who="alice")
    rc, doc, out, err = r.validate("--base", "main", "--fail-on", "warning")
    check(findings(doc, "review-overdue", "notice") and not findings(doc, "review-overdue", "warning"),
          "an old review-overdue warning of an untouched entry becomes a notice", out)
    check(findings(doc, "expired", "error") and rc == 1, "an expired exclusion always fails, untouched or not", out)
    r.write_ledger([old, entry("billing-api")])
    r.commit("drop the expired one", who="alice")
    rc, doc, out, err = r.validate("--base", "main", "--fail-on", "warning")
    check(rc == 0, "with the expired entry removed the PR passes at --fail-on warning", (rc, out))
    rc, doc, out, err = r.validate("--fail-on", "warning")
    check(rc == 1 and findings(doc, "review-overdue", "warning"), "without --base the warning stays", out)
    # touching the entry makes its problem this change's
    r.write_ledger([entry("orders-api", review="2026-11-15", ticket="SEC-2"), entry("billing-api")])
    r.commit("touch orders-api", who="alice")
    rc, doc, out, err = r.validate("--base", "main", "--fail-on", "warning")
    check(rc == 1 and findings(doc, "review-overdue", "warning"), "a changed entry's warning is not demoted", out)
    r.close()


def test_policy_from_base():
    r = base_repo()
    # the PR adds its author as an approver and uses them: judged by main's policy, so still not allowed
    r.write(".inspector-ledger.yaml", POLICY.replace("  dave:", "  alice: [alice@example.com]\n  dave:"))
    r.write_ledger([entry("orders-api"), entry("billing-api", approved_by="alice")])
    r.commit("let me approve", who="alice")
    rc, doc, out, err = r.validate("--base", "main")
    check(rc == 1 and findings(doc, "approver-not-allowed", "error"), "a PR cannot loosen the policy judging it", out)
    check(findings(doc, "policy-changed", "notice"), "a notice says the policy file changed", out)
    rc, doc, out, err = r.validate()
    check(findings(doc, "approver-not-allowed") == [], "without --base the working tree's policy applies", out)
    rc, doc, out, err = r.validate("--base", "main", "--policy", ".inspector-ledger.yaml")
    check(findings(doc, "self-approval", "error"), "--policy FILE is taken as given (and self-approval is caught)",
          out)
    r.close()


def test_errors():
    r = base_repo()
    r.write_ledger([entry("orders-api"), entry("billing-api")])
    r.commit("add", who="alice")
    rc, doc, out, err = r.validate("--base", "no-such-branch")
    check(rc == 2 and "no commit `no-such-branch`" in err and "fetch" in err, "an unknown REF: clear usage error",
          (rc, err))
    rc, doc, out, err = r.validate("--base", "--oops")
    check(rc == 2 and "invalid --base" in err, "a REF that looks like an option is refused", (rc, err))
    # uncommitted changes: who wrote them is unknown to git: fail closed with exit 3
    r.write_ledger([entry("orders-api"), entry("billing-api"), entry("late-fn")])
    rc, doc, out, err = r.validate("--base", "main")
    check(rc == 3 and findings(doc, "gate-not-verified", "error"), "uncommitted ledger changes: exit 3", (rc, out))
    r.close()
    import tempfile
    d = tempfile.mkdtemp(prefix="il-gov-norepo-")
    os.makedirs(os.path.join(d, "security"))
    from govlib import ledger_yaml
    with open(os.path.join(d, LEDGER), "w") as f:
        f.write(ledger_yaml([entry("orders-api")]))
    r2 = Repo.__new__(Repo)
    r2.dir = d
    rc, doc, out, err = r2.run("--as-of", AS_OF, "--base", "main", LEDGER)
    check(rc == 2 and "not in a git work tree" in err, "not a repository: clear usage error", (rc, err))
    rc, doc, out, err = r2.run("--as-of", AS_OF, LEDGER)
    check(rc == 0, "outside a repository without --base: the defaults, no error", (rc, err))
    import shutil
    shutil.rmtree(d, ignore_errors=True)


def test_large_ledger():
    """A ledger larger than any small output bound (here ~150 KB): the gate reads it whole at every step."""
    r = Repo()
    r.write(".inspector-ledger.yaml", POLICY.replace("platform: 2", "platform: 1000"))
    entries = [entry("fn-%03d" % i) for i in range(250)]
    r.write_ledger(entries)
    r.commit("many", who="bob")
    r.branch("pr")
    entries[200] = entry("fn-200", expires="2027-02-28", applied="2026-11-30")
    r.write_ledger(entries + [entry("fn-new")])
    r.commit("renew one, add one", who="carol")
    rc, doc, out, err = r.validate("--base", "main")
    size = os.path.getsize(os.path.join(r.dir, LEDGER))
    check(size > 100000, "the test ledger is large", size)
    sa = findings(doc, "self-approval", "error")
    check(rc == 1 and len(sa) == 2 and {f["pointer"] for f in sa} == {"/exclusions/200/owner/approved_by",
                                                                     "/exclusions/250/owner/approved_by"},
          "large ledger: the renewed and the added entry are carol's own", (rc, err, [f["pointer"] for f in sa]))
    r.close()


def test_check_base():
    """check takes the same gate options (its AWS part is covered elsewhere; a bad REF stops it before AWS)."""
    r = base_repo()
    rc, doc, out, err = r.run("--base", "nope", "--region", "us-east-1", LEDGER, cmd="check")
    check(rc == 2 and "no commit `nope`" in err, "check --base with an unknown REF: usage error", (rc, err))
    rc, doc, out, err = r.run("--print-policy", LEDGER, cmd="check")
    check(rc == 0 and "max_renewals: 2  # .inspector-ledger.yaml:7:15" in out, "check --print-policy", (rc, out, err))
    r.close()


for t in [test_clean_change_passes, test_self_approval, test_approver_not_allowed, test_reviews, test_renewals,
          test_budgets, test_demotion, test_policy_from_base, test_errors, test_large_ledger, test_check_base]:
    try:
        t()
    except Exception as e:  # a crash in one scenario is a failure, the others still run
        check(False, "%s raised %r" % (t.__name__, e))
finish("test_governance")
