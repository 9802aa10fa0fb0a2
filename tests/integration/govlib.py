"""Plumbing for the governance tests: real git repositories in temporary folders, commits by several people (through
GIT_AUTHOR_*/GIT_COMMITTER_*), ledgers written from Python dicts, and runs of the binary with JSON findings."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.path.abspath(os.environ.get("IL_BIN", "build/inspector-ledger"))
AS_OF = "2026-12-01"
LEDGER = "security/inspector-exclusions.yaml"

PEOPLE = {
    "alice": ("Alice Author", "alice@example.com"),
    "bob": ("Bob Reviewer", "bob@example.com"),
    "carol": ("Carol Lead", "carol@example.com"),
    "dave": ("Dave Dev", "12345+dave-gh@users.noreply.github.com"),
}

_failures = []
_passed = [0]


def check(cond, what, detail=None):
    if cond:
        _passed[0] += 1
        return True
    _failures.append(what)
    print("FAIL: %s%s" % (what, "" if detail is None else "\n  " + str(detail)[:3000]), file=sys.stderr)
    return False


def finish(name):
    print("%s: %d passed, %d failed" % (name, _passed[0], len(_failures)))
    sys.exit(1 if _failures else 0)


def entry(name, team="platform", approved_by="security-reviewer", applied_by="deploy-bot@example.com",
          applied="2026-11-01", review="2026-12-20", expires="2027-01-31", ticket="SEC-1", scan="standard",
          summary=None, account="111122223333"):
    tag = ("InspectorExclusion", "LambdaStandardScanning") if scan == "standard" else \
        ("InspectorCodeExclusion", "LambdaCodeScanning")
    return {
        "name": name, "arn": "arn:aws:lambda:us-east-1:%s:function:%s" % (account, name), "scan": scan,
        "tag": tag, "summary": summary or "Unreachable finding in %s" % name, "ticket": ticket, "team": team,
        "approved_by": approved_by, "applied_by": applied_by, "applied": applied, "review": review,
        "expires": expires,
    }


def ledger_yaml(entries):
    out = ["version: 1", "exclusions:" + ("" if entries else " []")]
    for e in entries:
        out += [
            "  - target:",
            "      type: lambda",
            "      function_name: %s" % e["name"],
            "      function_arn: %s" % e["arn"],
            "    scan_type: %s" % e["scan"],
            "    tag:",
            "      key: %s" % e["tag"][0],
            "      value: %s" % e["tag"][1],
            "    reason:",
            "      summary: %s" % json.dumps(e["summary"]),
            "      ticket: %s" % json.dumps(e["ticket"]),
            "      compensating_controls:",
            "        - WAF rule in front of the function",
            "    owner:",
            "      team: %s" % e["team"],
            "      approved_by: %s" % json.dumps(e["approved_by"]),
            "      applied_by: %s" % e["applied_by"],
            "    dates:",
            "      applied_at: %s" % e["applied"],
            "      next_review_at: %s" % e["review"],
            "      expires_at: %s" % e["expires"],
        ]
    return "\n".join(out) + "\n"


class Repo:
    """A git repository in a temporary folder; commits are made as one of PEOPLE."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="il-gov-")
        self.git("init", "-q", "-b", "main")
        self.time = 1767225600  # 2026-01-01, one hour later per commit: a stable order for the history walk

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def git(self, *args, who="alice", committer=None):
        name, mail = PEOPLE[who]
        cname, cmail = PEOPLE[committer or who]
        env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=mail, GIT_COMMITTER_NAME=cname,
                   GIT_COMMITTER_EMAIL=cmail, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
        if hasattr(self, "time"):
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = "@%d +0000" % self.time
        p = subprocess.run(["git", "-C", self.dir] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env)
        if p.returncode != 0:
            raise RuntimeError("git %s: %s" % (" ".join(args), p.stderr.decode()))
        return p.stdout.decode()

    def write(self, path, text):
        full = os.path.join(self.dir, path)
        os.makedirs(os.path.dirname(full) or self.dir, exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def write_ledger(self, entries):
        self.write(LEDGER, ledger_yaml(entries))

    def commit(self, message, who="alice", committer=None):
        self.time += 3600
        self.git("add", "-A", who=who)
        self.git("commit", "-q", "-m", message, who=who, committer=committer)
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name, at="HEAD"):
        self.git("checkout", "-q", "-b", name, at)

    def run(self, *args, cmd="validate", cwd=None):
        """Run the binary from the repository root; returns (exit code, parsed JSON or None, stdout, stderr)."""
        argv = [BIN, cmd] + list(args)
        p = subprocess.run(argv, cwd=cwd or self.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, NO_COLOR="1", GIT_CONFIG_GLOBAL="/dev/null"))
        out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        try:
            doc = json.loads(out)
        except ValueError:
            doc = None
        return p.returncode, doc, out, err

    def validate(self, *args):
        return self.run("--format", "json", "--as-of", AS_OF, *args, LEDGER)


def findings(doc, rule=None, severity=None):
    if doc is None:
        return []
    return [f for f in doc.get("findings", []) if (rule is None or f["rule"] == rule) and
            (severity is None or f["severity"] == severity)]
