"""Every command line in the ```sh blocks of README.md, ledger-example/README.md and docs/*.md runs from the repository root and exits 0
(pass) or 1 (findings), never 2 (usage or input error); a line that talks to AWS may also exit 3 (fail closed: the
fake AWS here has no such role); the invalid examples, run as ledger-example/README.md says, exit 1 with the rule
each file's header expects. AWS lines run against the fake AWS (ledger-example/demo/fake-aws.json).

Runs in a scratch copy of the repository's files the commands name (ledger-example/, schema/, security/, as a git
repository) so that the files they write do not land in the checkout. `inspector-ledger` is found on PATH, as
docs/ assume (build/ is put first); README lines call build/inspector-ledger.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeaws  # noqa: E402

SRC = os.environ.get("IL_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("IL_BIN") or os.path.join(SRC, "build", "inspector-ledger")
AWS = re.compile(r"inspector-ledger (?:whoami|check|apply)\b|--live\b")


def sh_lines(path):
    """(line number, command) for each inspector-ledger command in the file's ```sh blocks (continuations joined)."""
    out, in_sh, pending, start = [], False, "", 0
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if line.startswith("```"):
                in_sh = not in_sh and line.strip() in ("```sh", "```bash")
                continue
            if not in_sh:
                continue
            if not pending:
                start = n
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            cmd = (pending + line).strip()
            pending = ""
            if cmd and not cmd.startswith("#") and "inspector-ledger " in cmd:
                out.append((start, cmd))
    return out


def main():
    if not os.access(BIN, os.X_OK):
        print("FAIL: no binary at %s" % BIN)
        return 1
    docs = [os.path.join(SRC, "README.md"), os.path.join(SRC, "ledger-example", "README.md")] + sorted(
        os.path.join(SRC, "docs", f) for f in os.listdir(os.path.join(SRC, "docs")) if f.endswith(".md"))
    work = tempfile.mkdtemp(prefix="il-docs-")
    failures, ran = [], 0
    try:
        for d in ("ledger-example", "schema"):
            shutil.copytree(os.path.join(SRC, d), os.path.join(work, d))
        os.makedirs(os.path.join(work, "security"))
        # the repository ships security/ as a link to the example; a copy here, so `git show HEAD:` gives the YAML
        shutil.copy(os.path.join(SRC, "security", "inspector-exclusions.yaml"), os.path.join(work, "security"))
        os.makedirs(os.path.join(work, "build"))
        os.symlink(BIN, os.path.join(work, "build", "inspector-ledger"))
        for args in (["init", "-q"], ["add", "-A"],
                     ["-c", "user.name=docs", "-c", "user.email=docs@example.com", "commit", "-qm", "docs"]):
            subprocess.run(["git"] + args, cwd=work, check=True)
        with fakeaws.FakeAWS(fixture=os.path.join(SRC, "ledger-example", "demo", "fake-aws.json"), seed=1) as fake:
            env = fake.env(principal="ci")
            env["PATH"] = os.path.join(work, "build") + os.pathsep + env.get("PATH", "")
            env["GITHUB_STEP_SUMMARY"] = os.path.join(work, "step-summary.md")
            env["EXT_ID"] = "example-external-id"
            env["AWS_MAX_ATTEMPTS"] = "1"
            for path in docs:
                for lineno, cmd in sh_lines(path):
                    where = "%s:%d" % (os.path.relpath(path, SRC), lineno)
                    if re.search(r"\[--|[A-Z]{4,} ?\]", cmd):
                        continue  # a synopsis ([options] [LEDGER]), not a command
                    tools = re.findall(r"\|\s+([\w./-]+)", re.sub(r"'[^']*'", "''", cmd))  # not in quotes
                    missing = [t for t in tools if shutil.which(t, path=env["PATH"]) is None]
                    if missing:
                        print("skip: %s: `%s` needs %s, not installed" % (where, cmd, ", ".join(missing)))
                        continue
                    r = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], cwd=work, env=env,
                                       capture_output=True, text=True, timeout=300)
                    ran += 1
                    ok = (0, 1, 3) if AWS.search(cmd) else (0, 1)
                    if "ledger-example/invalid/" in cmd:
                        ok = (1,)
                    status = "ok" if r.returncode in ok else "FAIL"
                    print("%s: %s: `%s` exits %d (allowed %s)" % (status, where, cmd, r.returncode, ok))
                    if "ledger-example/invalid/" in cmd:
                        # the invalid examples, run as their headers say: findings (1) with their rules
                        ok = (1,)
                        for f in sorted(os.listdir(os.path.join(SRC, "ledger-example", "invalid"))):
                            if "invalid/" + f not in cmd and "invalid/*.yaml" not in cmd:
                                continue
                            with open(os.path.join(SRC, "ledger-example", "invalid", f), encoding="utf-8") as fh:
                                for rule in re.findall(r"^# expect: (\S+)", fh.read(), re.M):
                                    if "[%s]" % rule not in r.stdout:
                                        print("FAIL: %s: %s: no finding [%s]" % (where, f, rule))
                                        failures.append(where)
                    if r.returncode not in ok:
                        failures.append(where)
                        print("  " + "\n  ".join(r.stderr.strip().splitlines()[-5:]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("docs commands: %d run, %d failed" % (ran, len(failures)))
    if ran < 15:
        print("FAIL: fewer than 15 commands found: the extraction is broken")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
