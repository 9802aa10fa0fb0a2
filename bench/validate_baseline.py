#!/usr/bin/env python3
"""The Python a user would write instead of `inspector-ledger validate`: PyYAML's libyaml-backed CSafeLoader plus
jsonschema's Draft202012Validator (with format checking, as inspector-ledger asserts `format: date`), against the
same schema. Prints the number of violations; exit 0 valid, 1 invalid.

One adjustment a user meets at once: PyYAML resolves by YAML 1.1, turning `2026-09-15` into a datetime.date that
then fails `type: string`, so the timestamp resolver is removed (the usual fix) to validate the same data.

usage: validate_baseline.py SCHEMA LEDGER
"""
import json
import sys

import jsonschema
import yaml


class Loader(yaml.CSafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        doc = yaml.load(f, Loader=Loader)
    checker = getattr(jsonschema.Draft202012Validator, "FORMAT_CHECKER", None) or jsonschema.draft202012_format_checker
    validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
    errors = 0
    for err in validator.iter_errors(doc):
        errors += 1
        if errors <= 5:
            print("%s: %s" % ("/".join(str(p) for p in err.absolute_path), err.message), file=sys.stderr)
    print("%d violations" % errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
