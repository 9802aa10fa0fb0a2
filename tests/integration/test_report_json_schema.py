#!/usr/bin/env python3
"""`report --format json` validates against the shipped schema/report.schema.json (draft 2020-12).

Validated with python3-jsonschema (an independent implementation; exit 77 = skip only when it is missing): the
bundled example with git evidence and history, the hostile ledger, a ledger with a rule problem, and a ledger read
from stdin. Mutated documents must be rejected, so the schema is not vacuous.
"""
import copy
import json
import os
import subprocess
import sys

BIN = os.environ.get("IL_BIN", "build/inspector-ledger")
SRC = os.environ.get("IL_SOURCE_DIR", ".")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def report(args, stdin=None, want=0):
    p = subprocess.run([BIN, "report", "--format", "json"] + args, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != want:
        fail("report %s: exit %d (want %d): %s" % (args, p.returncode, want, p.stderr.decode(errors="replace")))
    return json.loads(p.stdout.decode("utf-8"))


def main():
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema is not installed: skipping", file=sys.stderr)
        return 77
    with open(os.path.join(SRC, "schema/report.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)

    example = os.path.join(SRC, "ledger-example/security/inspector-exclusions.yaml")
    hostile = os.path.join(SRC, "tests/data/report-hostile.yaml")
    with open(example, "rb") as f:
        example_bytes = f.read()
    broken = example_bytes.replace(b"next_review_at: 2027-03-15", b"next_review_at: 2028-03-15", 1)
    docs = {
        "example+history": report(["--as-of", "2027-02-25", "--with-history", example]),
        "example --no-git": report(["--as-of", "2027-02-25", "--no-git", example]),
        "hostile": report(["--as-of", "2026-05-28", hostile]),
        "stdin": report(["--as-of", "2027-02-25", "-"], stdin=example_bytes),
        "date-order problem": report(["--as-of", "2027-02-25", "-"], stdin=broken, want=1),
    }
    for name, doc in docs.items():
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:5]:
            fail("%s: %s at %s" % (name, e.message, "/".join(map(str, e.path))))
    if not docs["date-order problem"]["problems"]:
        fail("date-order problem: problems array is empty")
    if docs["example+history"]["stamp"]["history"] is not True:
        fail("example+history: stamp.history is not true")

    base = docs["example --no-git"]
    mutations = {
        "unknown status": lambda d: d["exclusions"][0].__setitem__("status", "fine"),
        "missing days_left": lambda d: d["exclusions"][0].pop("days_left"),
        "bad sha": lambda d: d["stamp"].__setitem__("ledger_sha256", "xyz"),
        "bad date": lambda d: d["exclusions"][0]["dates"].__setitem__("expires_at", "2026-02-30"),
        "extra key": lambda d: d.__setitem__("extra", 1),
    }
    for name, mutate in mutations.items():
        doc = copy.deepcopy(base)
        mutate(doc)
        if validator.is_valid(doc):
            fail("schema accepts a document with %s" % name)
    if failures:
        print("%d failure(s)" % len(failures), file=sys.stderr)
        return 1
    print("ok: %d reports valid against schema/report.schema.json; %d mutations rejected" % (len(docs), len(mutations)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
