"""Every --option that README.md and docs/*.md mention exists in the --help of the subcommand it is shown with.

Context: a line that runs `inspector-ledger <command>` is checked against that command's --help; otherwise the
section or file says which commands the text is about (README's "### check", docs/check.md, the AWS settings shared
by check, report --live, whoami and apply). Lines about other programs (the fake AWS, aws, cmake, apt-get, ...) are
not ours and are left out. A doc that names an option the tool does not have (`--tag-source` for `--tags-source`)
fails with file:line.
"""
import os
import re
import subprocess
import sys

SRC = os.environ.get("IL_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("IL_BIN") or os.path.join(SRC, "build", "inspector-ledger")
COMMANDS = ("validate", "check", "report", "apply", "whoami", "iam-policy")
AWS_COMMANDS = ("check", "report", "whoami", "apply")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
RUN = re.compile(r"inspector-ledger\s+(" + "|".join(COMMANDS) + r")\b")
# prose like "as `check --full`": a code span that starts with a command word
SPAN = re.compile(r"`(" + "|".join(COMMANDS) + r")((?:\s[^`]*)?)`")
# Lines about other programs: their options are not ours.
FOREIGN = re.compile(r"fake_aws\.py|fakeaws|\baws (?:lambda|sts|--)|apt-get|cmake|ctest|debootstrap|clang|"
                     r"ci/(?:demo|setup|test|fuzz|example)\.sh|bench/run\.sh|git (?:blame|log)|python3 |libFuzzer|"
                     r"-fsanitize|chromium|xmllint|pip |\bmoto\b|botocore")
SECTION = {"validate": ("validate",), "check": ("check",), "report": ("report",), "apply": ("apply", "iam-policy"),
           "whoami": ("whoami",)}
FILE_CONTEXT = {"validate.md": ("validate",), "check.md": ("check",), "report.md": ("report",),
                "apply.md": ("apply", "iam-policy"),
                "aws-client.md": AWS_COMMANDS, "credentials.md": AWS_COMMANDS}


def help_options(cmd):
    out = subprocess.run([BIN, cmd, "--help"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit("FAIL: %s --help exited %d" % (cmd, out.returncode))
    return set(OPTION.findall(out.stdout))


def main():
    if not os.access(BIN, os.X_OK):
        print("FAIL: no binary at %s" % BIN)
        return 1
    opts = {c: help_options(c) for c in COMMANDS}
    every = set().union(*opts.values())
    docs = [os.path.join(SRC, "README.md")] + sorted(
        os.path.join(SRC, "docs", f) for f in os.listdir(os.path.join(SRC, "docs")) if f.endswith(".md"))
    failures, checked = [], 0
    for path in docs:
        name = os.path.basename(path)
        if name == "fake-aws.md":
            ctx_file = None  # the fake's own flags; only inspector-ledger command lines there are ours
        else:
            ctx_file = FILE_CONTEXT.get(name, COMMANDS)
        ctx = ctx_file
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                head = re.match(r"#{2,4}\s+(\S+)", line)
                if head and name == "README.md":
                    word = head.group(1).strip("`").lower()
                    ctx = SECTION.get(word, AWS_COMMANDS if line.startswith("### AWS settings") else COMMANDS)
                runs = list(RUN.finditer(line))
                if runs:
                    # each run's options: from its command to the next run (or the end of the line)
                    for i, m in enumerate(runs):
                        end = runs[i + 1].start() if i + 1 < len(runs) else len(line)
                        for opt in OPTION.findall(line[m.end():end]):
                            checked += 1
                            if opt not in opts[m.group(1)] and opt not in ("--help", "--version"):
                                failures.append("%s:%d: `%s` is not an option of `%s` (its --help)" %
                                                (os.path.relpath(path, SRC), lineno, opt, m.group(1)))
                    continue
                for m in SPAN.finditer(line):
                    for opt in OPTION.findall(m.group(2)):
                        checked += 1
                        if opt not in opts[m.group(1)]:
                            failures.append("%s:%d: `%s` is not an option of `%s` (its --help)" %
                                            (os.path.relpath(path, SRC), lineno, opt, m.group(1)))
                line = SPAN.sub("", line)
                if ctx is None or FOREIGN.search(line):
                    continue
                for opt in OPTION.findall(line):
                    checked += 1
                    if not any(opt in opts[c] for c in ctx):
                        where = "any of " + ", ".join(ctx) if len(ctx) > 1 else "`%s`" % ctx[0]
                        hint = " (but of %s)" % ", ".join(c for c in COMMANDS if opt in opts[c]) if opt in every else ""
                        failures.append("%s:%d: `%s` is not in the --help of %s%s" %
                                        (os.path.relpath(path, SRC), lineno, opt, where, hint))
    for f in failures:
        print("FAIL: " + f)
    print("docs options: %d mentions checked in %d files, %d not in the matching --help" %
          (checked, len(docs), len(failures)))
    if checked < 100:
        print("FAIL: fewer than 100 option mentions found: the extraction is broken")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
