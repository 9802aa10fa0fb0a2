#!/usr/bin/env python3
"""validate on a ledger large enough to be parsed in two halves (src/doc/doc_yaml_split.c), end to end.

A 3,000-entry generated ledger (about 2.3 MB) gets defects in both halves: an expired entry, a duplicate of an early
entry, a misspelled key and a name/ARN mismatch. Then:
- every finding sits at the line and column where the defect was written, computed here from the text;
- the JSON output is byte-identical to the same run pinned to one CPU (`taskset -c 0`), where the loader does not
  split and loads the file whole;
- a defect the two-halves load must refuse (a `...` document end before the cut, after which each half alone would
  still parse) gives the whole load's yaml finding at its exact line.
Skips (77) when taskset is missing or the process may use only one CPU.
"""
import json
import os
import shutil
import subprocess
import sys

SRC = os.environ.get("IL_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.environ.get("IL_BIN", os.path.join(SRC, "build", "inspector-ledger"))
OUT = os.environ.get("IL_TEST_OUT", os.path.join(SRC, "build", "test-output"))

if shutil.which("taskset") is None:
    print("skip: taskset (util-linux) is not installed")
    sys.exit(77)
if len(os.sched_getaffinity(0)) < 2:
    print("skip: this process may use only one CPU, so the two-halves load never runs")
    sys.exit(77)

os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "large-ledger.yaml")
subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen_ledger.py"), "3000", path], check=True)
with open(path, encoding="utf-8") as f:
    lines = f.read().split("\n")
assert len("\n".join(lines)) > 2 * 1024 * 1024, "the ledger must be over the 1 MiB split threshold"

entry_starts = [i for i, l in enumerate(lines) if l.startswith("  - target:")]
assert len(entry_starts) == 3000, len(entry_starts)


def field_line(entry, key):
    """0-based index of the line of `key:` inside entry number `entry`."""
    end = entry_starts[entry + 1] if entry + 1 < len(entry_starts) else len(lines)
    for i in range(entry_starts[entry], end):
        if lines[i].lstrip().startswith(key + ":"):
            return i
    raise AssertionError("no %s in entry %d" % (key, entry))


def set_value(i, value):
    key, _, _ = lines[i].partition(":")
    lines[i] = "%s: %s" % (key, value)
    return len(key) + 3  # 1-based column of the value


expected = []  # (rule, 1-based line, 1-based column)
# first half: an expired entry
i = field_line(100, "expires_at")
col = set_value(i, "2026-01-31")
j = field_line(100, "next_review_at")
set_value(j, "2026-01-15")
expected.append(("expired", i + 1, col))
# second half: a copy of entry 5's ARN and scan type (a duplicate), a name/ARN mismatch, a misspelled key
arn5 = lines[field_line(5, "function_arn")].split(": ", 1)[1]
name5 = lines[field_line(5, "function_name")].split(": ", 1)[1]
scan5 = lines[field_line(5, "scan_type")].split(": ", 1)[1]
key5 = lines[field_line(5, "key")].split(": ", 1)[1]
value5 = lines[field_line(5, "value")].split(": ", 1)[1]
for key, value in (("function_name", name5), ("scan_type", scan5), ("key", key5), ("value", value5)):
    set_value(field_line(2500, key), value)
i = field_line(2500, "function_arn")
col = set_value(i, arn5)
expected.append(("duplicate-entry", i + 1, col))
i = field_line(2700, "function_name")
col = set_value(i, "not-the-arns-name")
expected.append(("name-arn-mismatch", i + 1, col))
i = field_line(2900, "ticket")
lines[i] = lines[i].replace("ticket:", "tickt:")
expected.append(("schema", i + 1, lines[i].index("tickt") + 1))

with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))


def validate(pin, ledger):
    cmd = ([shutil.which("taskset"), "-c", "0"] if pin else []) + [BIN, "validate", "--as-of", "2026-10-01",
                                                                    "--format", "json", ledger]
    p = subprocess.run(cmd, capture_output=True, text=True)
    assert p.returncode == 1, (p.returncode, p.stderr)
    return p.stdout


split_out = validate(False, path)
whole_out = validate(True, path)
assert split_out == whole_out, "two-halves and whole loads disagree"
found = {(f["rule"], f["line"], f["column"]) for f in json.loads(split_out)["findings"]}
for want in expected:
    rule, line, col = want
    if rule == "schema":
        hits = [f for f in found if f[0] == "schema" and f[1] == line]
        assert hits, ("no schema finding on line %d" % line, sorted(found))
    else:
        assert want in found, (want, sorted(f for f in found if f[0] == rule))
print("ok: %d findings, identical with and without the split, each at its line" % len(found))

# a document end before the cut: the two-halves load must refuse (each half alone would parse), and the whole load
# reports the content after `...` at its line
bad = os.path.join(OUT, "large-ledger-doc-end.yaml")
# the loader cuts at the first entry line starting after the middle of the file (which grows by the 4 bytes of "...")
offsets, pos = [], 0
for l in lines:
    offsets.append(pos)
    pos += len(l.encode("utf-8")) + 1
middle = (pos - 1 + 4) // 2
cut = next(i for i in entry_starts if offsets[i] + 4 > middle)
with open(bad, "w", encoding="utf-8") as f:
    f.write("\n".join(lines[:cut] + ["..."] + lines[cut:]))
p = subprocess.run([BIN, "validate", "--as-of", "2026-10-01", "--format", "json", bad], capture_output=True, text=True)
assert p.returncode == 1, (p.returncode, p.stderr)
findings = json.loads(p.stdout)["findings"]
assert [f["rule"] for f in findings] == ["yaml"], findings
assert findings[0]["line"] == cut + 2, (findings[0], cut + 2)
assert "document start" in findings[0]["message"], findings[0]  # libyaml wants `---` after `...`
print("ok: '...' before the cut: the whole load's yaml finding at line %d" % findings[0]["line"])
