#!/usr/bin/env python3
"""Differential test of the YAML loader against an independent parser: PyYAML's pure-Python SafeLoader (its own
scanner and parser, not libyaml), re-configured to resolve plain scalars by the YAML 1.2 core schema as
il_yaml_load does. Every document must load to the same data through both:
tests/data/yaml/features.yaml (block scalars, escapes, flow, anchors, tags...), the bundled example ledger, and
generated ledgers. Skips (77) when python3-yaml or the yaml_dump tool is missing.
"""
import json
import math
import os
import re
import subprocess
import sys

try:
    import yaml
except ImportError:
    print("skip: python3-yaml is not installed")
    sys.exit(77)

SRC = os.environ.get("IL_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TOOLS = os.environ.get("IL_TOOLS_DIR", os.path.join(SRC, "build", "tools"))
OUT = os.environ.get("IL_TEST_OUT", os.path.join(SRC, "build", "test-output"))
DUMP = os.path.join(TOOLS, "yaml_dump")


class CoreLoader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit resolvers instead of YAML 1.1's."""


CoreLoader.yaml_implicit_resolvers = {}
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                                 ["~", "n", "N", ""])
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
                                 list("-+0123456789"))
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def construct_float(loader, node):
    text = loader.construct_scalar(node)
    low = text.lower()
    if low.endswith(".inf"):
        return -math.inf if low.startswith("-") else math.inf
    if low == ".nan":
        return math.nan
    return float(text)


def construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


CoreLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
CoreLoader.add_constructor("tag:yaml.org,2002:float", construct_float)
CoreLoader.add_constructor("tag:yaml.org,2002:bool", construct_bool)


def same(a, b, path="$"):
    """Deep equality where numbers compare by value (1 == 1.0), as JSON Schema does."""
    num = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        ok = a is b
    elif isinstance(a, num) and isinstance(b, num):
        ok = a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
    elif isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return "%s: keys differ: %s" % (path, sorted(set(a) ^ set(b)))
        for k in a:
            err = same(a[k], b[k], "%s.%s" % (path, k))
            if err:
                return err
        return None
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "%s: lengths differ (%d vs %d)" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            err = same(x, y, "%s[%d]" % (path, i))
            if err:
                return err
        return None
    else:
        ok = type(a) is type(b) and a == b
    return None if ok else "%s: %r != %r" % (path, a, b)


def main():
    if not os.access(DUMP, os.X_OK):
        print("skip: %s is not built" % DUMP)
        return 77
    os.makedirs(OUT, exist_ok=True)
    generated = os.path.join(OUT, "oracle-ledger.yaml")
    subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen_ledger.py"), "300", generated], check=True)
    files = [os.path.join(SRC, "tests", "data", "yaml", "features.yaml"),
             os.path.join(SRC, "ledger-example", "security", "inspector-exclusions.yaml"),
             generated]
    failures = 0
    for path in files:
        if not os.path.exists(path):
            print("FAIL %s: missing" % path)
            failures += 1
            continue
        proc = subprocess.run([DUMP, path], capture_output=True, text=True)
        if proc.returncode != 0:
            print("FAIL %s: il_yaml_load rejected it: %s" % (path, proc.stdout.strip()))
            failures += 1
            continue
        ours = json.loads(proc.stdout)
        with open(path, encoding="utf-8") as f:
            theirs = yaml.load(f, Loader=CoreLoader)
        err = same(ours, theirs)
        if err:
            print("FAIL %s: %s" % (path, err))
            failures += 1
        else:
            print("ok   %s" % os.path.relpath(path, SRC))
    # the oracle must be able to tell a difference: a changed value is caught
    if same({"a": [1, "x"]}, {"a": [1, "y"]}) is None or same({"a": True}, {"a": 1}) is None:
        print("FAIL: the comparison cannot fail")
        failures += 1
    print("%d passed, %d failed" % (len(files) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
