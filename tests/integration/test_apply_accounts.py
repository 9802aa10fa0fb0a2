#!/usr/bin/env python3
"""`inspector-ledger apply` across accounts, against the fake AWS: --role-name fans out to every account of the
ledger (changes go through each account's role and the change log says so); an account whose role cannot read its
tags fails closed for that account only (named, nothing planned there, exit 3) while the others are applied; an
entry in an account the run cannot reach (no role) makes the run exit 3 naming it — nothing is silently skipped.
Exit 0 pass, 77 skip, 1 fail."""
import json
import os
import subprocess

from checklib import AS_OF, BIN, Workdir, arn, check, entry, finish, require_jsonschema, start_fake

jsonschema = require_jsonschema()
SRC = os.environ.get("IL_SOURCE_DIR", ".")
with open(os.path.join(SRC, "schema", "apply-log.schema.json"), encoding="utf-8") as f:
    LOG_SCHEMA = jsonschema.Draft202012Validator(json.load(f))

ENTRIES = [
    entry("billing-fn"),                                  # 111: active, no tag -> add
    entry("orders-worker", scan="code", applied="2026-01-05", review="2026-03-01", expires="2026-06-30"),  # expired
    entry("prod-api", account="222222222222", expires="2026-10-01", review="2026-09-01"),  # 222: expired, tagged?
    entry("sandbox-fn", account="333333333333"),          # 333: the role there cannot ListTags
]


def run(fake, wd, *args):
    cmd = [BIN, "apply", "--as-of", AS_OF, "--rate-limit", "2000", "--format", "json"] + list(args) + [wd.ledger]
    p = subprocess.run(cmd, env=fake.env("ci"), capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = None
    return p.returncode, doc, p.stderr


def tags(fake, account, name):
    return fake.state(account, "us-east-1")[account]["us-east-1"][name]["tags"]


def main():
    with start_fake() as fake:
        wd = Workdir("apply-accounts", ENTRIES)
        rc, doc, err = run(fake, wd)
        check(rc == 3 and doc is not None, "without a role, entries in other accounts make the run exit 3 (%d)" % rc,
              err)
        if doc:
            text = " ".join(doc["unverified"])
            check("222222222222" in text and "333333333333" in text, "the unreachable entries are named",
                  doc["unverified"])
            check(all(c["account"] == "111111111111" for c in doc["changes"]), "nothing planned outside the caller's "
                  "account", doc["changes"])

        log = wd.file("changes.jsonl")
        fake.reset(stats=True)
        rc, doc, err = run(fake, wd, "--role-name", "InspectorLedgerAudit", "--yes", "--log", log)
        check(rc == 3 and doc is not None, "333's role cannot ListTags: exit 3 (%d)" % rc, err)
        if doc is None:
            finish()
        got = {(c["account"], c["function_arn"], c["action"], c["result"]) for c in doc["changes"]}
        want = {("111111111111", arn("billing-fn"), "add", "done"),
                ("111111111111", arn("orders-worker"), "remove", "done"),
                ("222222222222", arn("prod-api", account="222222222222"), "remove", "done")}
        check(got == want, "changes in 111 and 222 done through the role, none in 333", sorted(got))
        check(any("333333333333" in u and "lambda:ListTags" in u for u in doc["unverified"]),
              "333 is named not verified, with the missing action", doc["unverified"])
        stats = fake.stats()
        writes = {k.split(" ", 1)[1] for k in stats["by_scope"] if k.startswith("lambda:TagResource") or
                  k.startswith("lambda:UntagResource")}
        check(writes == {"111111111111 us-east-1", "222222222222 us-east-1"},
              "each account's writes went to that account with its role's credentials", sorted(writes))
        check("InspectorExclusion" not in tags(fake, "222222222222", "prod-api"), "222's expired tag removed")
        check(tags(fake, "333333333333", "sandbox-fn").get("InspectorExclusion") == "LambdaStandardScanning",
              "nothing changed in 333 (not verified)")
        check(tags(fake, "111111111111", "billing-fn").get("InspectorExclusion") == "LambdaStandardScanning",
              "111's function tagged")
        with open(log, encoding="utf-8") as f:
            lines = [json.loads(x) for x in f.read().splitlines()]
        check(len(lines) == len(doc["changes"]), "one log line per attempted change", lines)
        for line in lines:
            errors = list(LOG_SCHEMA.iter_errors(line))
            check(not errors, "log line valid", [e.message for e in errors[:3]])
            check(line["via_role"] is True and line["caller"]["account"] == "111111111111",
                  "the log says the change went through the role, and who ran it", line)
        rc, doc, err = run(fake, wd, "--role-name", "InspectorLedgerAudit", "--only-account", "111111111111",
                           "--only-account", "222222222222", "--yes")
        check(rc == 0 and doc is not None and doc["summary"]["planned"] == 0,
              "a second run declaring 111 and 222 has nothing to do and passes", (rc, err))
    finish()


if __name__ == "__main__":
    main()
