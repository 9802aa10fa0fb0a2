#!/usr/bin/env python3
"""`inspector-ledger iam-policy` names exactly the IAM actions the tool calls, per mode. Each mode's commands run
against the fake AWS (check with each tag source, --full, report --live, apply --yes, the per-account role); the
operations the fake received are mapped to IAM actions independently of the tool (service prefix + operation) and
compared with the policy's actions, in both directions. sts:GetCallerIdentity needs no IAM permission (AWS allows it
to every principal) and is the one operation the policy leaves out on purpose. Also: function-scoped resources, the
tag-key condition on the writes, the role pattern of --assume-role, and usage errors.
Exit 0 pass, 77 skip, 1 fail."""
import fnmatch
import json
import subprocess

from checklib import AS_OF, BIN, DECLARE_CALLER, Workdir, check, entry, finish, start_fake

PREFIX = {"lambda": "lambda", "tagging": "tag", "sts": "sts", "inspector2": "inspector2",
          "organizations": "organizations"}
NO_PERMISSION = {"sts:GetCallerIdentity"}


def policy(*args):
    p = subprocess.run([BIN, "iam-policy"] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else None), p.stderr


def actions(doc):
    return {a for s in doc["Statement"] for a in s["Action"]}


def statement_of(doc, action):
    return next(s for s in doc["Statement"] if action in s["Action"])


def observed(fake):
    """IAM actions of the AWS operations the fake received since the last reset (AWS's naming: service prefix)."""
    out = set()
    for op in fake.stats()["operations"]:
        service, name = op.split(":", 1)
        out.add("%s:%s" % (PREFIX[service], name))
    return out


def run(fake, *cmd):
    p = subprocess.run([BIN] + list(cmd), env=fake.env("ci"), capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    check(p.returncode in (0, 1, 3), "%s ran (%d)" % (" ".join(cmd[:3]), p.returncode), p.stderr)
    return p


def main():
    with start_fake() as fake:
        wd = Workdir("iam-policy", [entry("orders-api"), entry("billing-fn"), entry("ghost-fn"),
                                    entry("orders-worker", scan="code", applied="2026-01-05", review="2026-03-01",
                                          expires="2026-06-30")])
        common = ["--as-of", AS_OF, "--rate-limit", "2000"]
        # read-only: everything check and report --live can call
        fake.reset(stats=True)
        run(fake, "check", *common, *DECLARE_CALLER, wd.ledger)
        run(fake, "check", *common, *DECLARE_CALLER, "--tags-source", "lambda", wd.ledger)
        run(fake, "check", *common, *DECLARE_CALLER, "--full", wd.ledger)
        run(fake, "report", "--live", "--as-of", AS_OF, *DECLARE_CALLER, "--format", "json", wd.ledger)
        read_seen = observed(fake)
        rc, doc, err = policy()
        check(rc == 0 and doc is not None, "iam-policy exits 0", err)
        check(doc["Version"] == "2012-10-17", "policy version")
        check(actions(doc) == read_seen - NO_PERMISSION, "read-only: exactly what check and report --live called",
              {"policy only": sorted(actions(doc) - read_seen), "called only": sorted(read_seen - actions(doc))})
        check(NO_PERMISSION <= read_seen and not (actions(doc) & NO_PERMISSION),
              "GetCallerIdentity is called and left out (it needs no permission)")
        check(statement_of(doc, "lambda:ListTags")["Resource"] == ["arn:aws:lambda:*:*:function:*"] and
              statement_of(doc, "lambda:ListFunctions")["Resource"] == "*",
              "per-function actions on function ARNs, ListFunctions on *", doc)

        # apply: the reads apply makes plus its writes
        fake.reset(stats=True)
        run(fake, "apply", *common, *DECLARE_CALLER, "--yes", "--remove-unrecorded", wd.ledger)
        apply_seen = observed(fake)
        check({"lambda:TagResource", "lambda:UntagResource"} <= apply_seen, "apply --yes tagged and untagged",
              sorted(apply_seen))
        rc, doc, err = policy("--apply")
        want = (read_seen | apply_seen) - NO_PERMISSION
        check(rc == 0 and actions(doc) == want, "--apply: exactly what check, report --live and apply called",
              {"policy only": sorted(actions(doc) - want), "called only": sorted(want - actions(doc))})
        tag = statement_of(doc, "lambda:TagResource")
        check(tag["Resource"] == ["arn:aws:lambda:*:*:function:*"], "the writes are scoped to function ARNs", tag)
        check(tag.get("Condition") == {"ForAllValues:StringEquals": {"aws:TagKeys": ["InspectorCodeExclusion",
                                                                                        "InspectorExclusion"]}},
              "the writes may name only the two exclusion keys", tag)
        check(statement_of(doc, "lambda:UntagResource") is tag, "TagResource and UntagResource in one statement")

        # the per-account role: the hub's AssumeRole on the role pattern
        fake.reset(stats=True)
        run(fake, "check", *common, "--role-name", "InspectorLedgerAudit", wd.ledger)
        run(fake, "apply", *common, "--role-name", "InspectorLedgerAudit", "--yes", wd.ledger)
        role_seen = observed(fake)
        sessions = [s["role_arn"] for s in fake.stats()["sts_sessions"] if s["action"] == "AssumeRole"]
        rc, doc, err = policy("--apply", "--role-name", "InspectorLedgerAudit")
        want = (read_seen | apply_seen | role_seen) - NO_PERMISSION
        check(rc == 0 and actions(doc) == want, "--apply --role-name: exactly what the role runs called",
              {"policy only": sorted(actions(doc) - want), "called only": sorted(want - actions(doc))})
        assume = statement_of(doc, "sts:AssumeRole")
        check(assume["Resource"] == ["arn:aws:iam::*:role/InspectorLedgerAudit"], "AssumeRole on the role pattern",
              assume)
        check(sessions and all(any(fnmatch.fnmatchcase(r, pat) for pat in assume["Resource"]) for r in sessions),
              "every role the runs assumed matches the policy's pattern", sessions)
        rc, doc, err = policy("--role-arn-template", "arn:aws:iam::{account}:role/Audit", "--account",
                              "111111111111", "--account", "222222222222")
        check(rc == 0 and statement_of(doc, "sts:AssumeRole")["Resource"] ==
              ["arn:aws:iam::111111111111:role/Audit", "arn:aws:iam::222222222222:role/Audit"] and
              statement_of(doc, "lambda:ListTags")["Resource"] == ["arn:aws:lambda:*:111111111111:function:*",
                                                                  "arn:aws:lambda:*:222222222222:function:*"],
              "--account narrows the role and function ARNs", doc)

    # coverage: the Inspector reads (their calls are proven by tests/cli/test_iam_policy.sh's source check)
    rc, doc, err = policy("--coverage")
    check(rc == 0 and {"inspector2:BatchGetAccountStatus", "inspector2:ListCoverage"} <= actions(doc) and
          statement_of(doc, "inspector2:ListCoverage")["Resource"] == "*", "--coverage adds the Inspector reads", doc)
    # organization: only when this build can read the organization
    org = "--organization" in subprocess.run([BIN, "check", "--help"], capture_output=True, text=True).stdout
    rc, doc, err = policy("--organization")
    if org:
        check(rc == 0 and "organizations:ListAccounts" in actions(doc), "--organization adds ListAccounts", doc)
    else:
        check(rc == 2 and "no AWS operation of this build" in err, "--organization without the feature is refused "
              "rather than printing a policy that would not be enough", err)
    rc, doc, err = policy("--assume-role")
    check(rc == 2 and "--role-name" in err, "--assume-role needs the role", err)
    rc, doc, err = policy("--account", "12")
    check(rc == 2 and "12-digit" in err, "a bad --account is refused", err)
    rc, doc, err = policy("--partition", "aws-us-gov", "--apply")
    check(rc == 0 and statement_of(doc, "lambda:TagResource")["Resource"] ==
          ["arn:aws-us-gov:lambda:*:*:function:*"], "--partition", doc)
    finish()


if __name__ == "__main__":
    main()
