#!/usr/bin/env python3
"""`inspector-ledger apply` for production runs, against the fake AWS: the plan in text, json (validated against
schema/apply-plan.schema.json) and markdown; --yes applies and a second run has nothing to do; expired tags removed;
--remove-unrecorded; partial failure per function (fault modes on TagResource/UntagResource) with what succeeded kept
done; the change log (--log) has a line for every attempted change, failed ones too, every field validated against
schema/apply-log.schema.json and checked for its value; a broken ledger is refused; the terminal confirmation on a
pty (y and n). Exit 0 pass, 77 skip, 1 fail."""
import hashlib
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time

from checklib import AS_OF, BIN, SRC, check, finish, require_jsonschema
import fakeaws

jsonschema = require_jsonschema()
LEDGER_SRC = os.path.join(SRC, "tests", "data", "apply", "ledger.yaml")
FIXTURE = os.path.join(SRC, "tests", "fake-aws", "fixtures", "apply.json")
ARN = "arn:aws:lambda:us-east-1:111111111111:function:"
OUT = os.environ.get("IL_TEST_OUT") or "/tmp"
WORK = os.path.join(OUT, "apply-plan")


def schema(name):
    with open(os.path.join(SRC, "schema", name), encoding="utf-8") as f:
        doc = json.load(f)
    jsonschema.Draft202012Validator.check_schema(doc)
    return jsonschema.Draft202012Validator(doc, format_checker=jsonschema.FormatChecker())


PLAN_SCHEMA = schema("apply-plan.schema.json")
LOG_SCHEMA = schema("apply-log.schema.json")


def valid(validator, doc, what):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    check(not errors, what + " is valid against its schema", [e.message for e in errors[:3]])


def run(env, *args, ledger=None):
    cmd = [BIN, "apply", "--as-of", AS_OF, "--rate-limit", "2000"] + list(args) + [ledger or LEDGER]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                       timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def tags(fake, name):
    return fake.state("111111111111", "us-east-1")["111111111111"]["us-east-1"][name]["tags"]


def plan_formats(fake, env):
    rc, out, err = run(env, "--format", "json")
    check(rc == 0, "json plan exits 0 (%d)" % rc, err)
    doc = json.loads(out)
    valid(PLAN_SCHEMA, doc, "the json plan")
    got = {(c["function_arn"], c["action"], c["tag_key"], c["tag_value"], c["reason"], c["result"]) for c in
           doc["changes"]}
    want = {(ARN + "alpha", "add", "InspectorExclusion", "LambdaStandardScanning", "entry active, tag missing",
             "planned"),
            (ARN + "bravo", "remove", "InspectorExclusion", "LambdaStandardScanning", "entry expired", "planned")}
    check(got == want, "json plan: alpha tagged, bravo untagged", sorted(got))
    by = {c["function_arn"]: c for c in doc["changes"]}
    alpha = by.get(ARN + "alpha", {})
    check(alpha.get("account") == "111111111111" and alpha.get("region") == "us-east-1", "account and region", alpha)
    check(alpha.get("entry") == {"file": LEDGER, "line": 4, "pointer": "/exclusions/0", "expires_at": "2027-06-01"},
          "the entry's file:line, pointer and expiry", alpha.get("entry"))
    check(by.get(ARN + "bravo", {}).get("entry", {}).get("expires_at") == "2026-06-01", "bravo's expiry")
    check(doc["mode"] == "plan" and doc["summary"]["planned"] == 2 and doc["summary"]["add"] == 1 and
          doc["summary"]["remove"] == 1 and doc["unverified"] == [], "summary of the plan", doc["summary"])
    out_file = os.path.join(WORK, "plan.json")
    rc, out2, err = run(env, "--format", "json", "--output", out_file)
    with open(out_file, encoding="utf-8") as f:
        check(rc == 0 and out2 == "" and json.load(f)["changes"] == doc["changes"], "--output writes the plan there")
    rc, md, err = run(env, "--format", "markdown")
    check(rc == 0 and md.startswith("### inspector-ledger apply: 2 changes planned"), "markdown heading", md[:80])
    rows = [line for line in md.splitlines() if line.startswith("| add") or line.startswith("| remove")]
    check(len(rows) == 2 and all(line.count(" | ") == 8 for line in rows), "markdown: one table row per change", rows)
    check(any("alpha" in r and "2027-06-01" in r and "ledger.yaml:4" in r for r in rows),
          "markdown row names the entry's line and expiry", rows)
    rc, text, err = run(env)
    check(rc == 0 and "2 changes planned (dry run: add --yes to apply)" in text, "text plan count", text)
    check("ledger.yaml:4, expires 2027-06-01" in text, "text names the entry line and expiry", text)
    rc, _, err = run(env, "--format", "sarif")
    check(rc == 2 and "use text, json or markdown" in err, "an unknown --format is a usage error", err)
    rc, _, err = run(env, "--tags-source", "tagging")
    check(rc == 2 and "ListTags" in err, "apply refuses --tags-source (tags are read authoritatively)", err)
    check(tags(fake, "alpha") == {"team": "a"}, "no plan changed AWS", tags(fake, "alpha"))


def read_log(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f.read().splitlines()]


def apply_and_log(fake, env):
    log = os.path.join(WORK, "changes.jsonl")
    with open(LEDGER, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    rc, out, err = run(env, "--yes", "--log", log, "--format", "json")
    check(rc == 0, "--yes exits 0 (%d)" % rc, err)
    doc = json.loads(out)
    valid(PLAN_SCHEMA, doc, "the json result of --yes")
    check(doc["mode"] == "apply" and {c["result"] for c in doc["changes"]} == {"done"} and
          doc["summary"]["done"] == 2, "both changes done", doc["summary"])
    check(tags(fake, "alpha").get("InspectorExclusion") == "LambdaStandardScanning", "alpha tagged in AWS")
    check("InspectorExclusion" not in tags(fake, "bravo"), "bravo's expired exclusion removed from AWS")
    lines = read_log(log)
    check(len(lines) == 2, "one log line per change", lines)
    for line in lines:
        valid(LOG_SCHEMA, line, "a change log line")
    first = lines[0] if lines else {}
    check(first.get("caller") == {"arn": "arn:aws:iam::111111111111:user/ci", "account": "111111111111"},
          "caller identity", first.get("caller"))
    check(first.get("account") == "111111111111" and first.get("region") == "us-east-1" and
          first.get("function_arn") == ARN + "alpha" and first.get("action") == "add" and
          first.get("tag_key") == "InspectorExclusion" and first.get("tag_value") == "LambdaStandardScanning" and
          first.get("result") == "done" and first.get("error_code") is None, "the change and its result", first)
    check(first.get("entry") == {"file": LEDGER, "line": 4, "pointer": "/exclusions/0", "expires_at": "2027-06-01"},
          "the entry's file, line and pointer", first.get("entry"))
    led = first.get("ledger", {})
    check(led.get("sha256") == sha and led.get("file") == LEDGER, "the ledger's SHA-256", led)
    head = subprocess.run(["git", "-C", WORK, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    check(led.get("git_commit") == head and led.get("git_dirty") is False, "the ledger's git commit", (led, head))
    t = time.strftime("%Y-%m-%dT", time.gmtime())
    check(first.get("time", "").startswith(t) and first.get("time", "").endswith("Z"), "UTC time", first.get("time"))
    check(len({line["run_id"] for line in lines}) == 1, "one run id for the run")

    rc, out, err = run(env, "--yes", "--log", log)
    check(rc == 0 and "0 changes applied" in out, "a second run has nothing to do (idempotent)", out + err)
    check(len(read_log(log)) == 2, "nothing attempted, nothing logged; the log is appended, never truncated")

    rc, out, err = run(env, "--yes", "--remove-unrecorded", "--log", log)
    check(rc == 0 and ARN + "charlie" in out and "1 change applied" in out, "--remove-unrecorded untags charlie",
          out + err)
    check("InspectorCodeExclusion" not in tags(fake, "charlie"), "charlie's unrecorded tag is gone")
    last = read_log(log)[-1]
    valid(LOG_SCHEMA, last, "the unrecorded removal's log line")
    check(last.get("reason") == "no ledger entry" and last.get("entry") is None and last.get("action") == "remove",
          "an unrecorded removal has no entry", last)


def partial_failure(fake, env):
    fake.reset(state=True)
    log = os.path.join(WORK, "partial.jsonl")
    fake.configure(script=[{"operation": "lambda:TagResource", "fault": "denied"}])
    rc, out, err = run(env, "--yes", "--log", log)
    fake.configure(script=[])
    check(rc == 3, "a failed change exits 3 (%d)" % rc, out + err)
    check(ARN + "alpha" in out and "FAILED" in out and "1 change applied, 1 FAILED" in out,
          "the failed function named, done and failed counted apart", out)
    check("lambda:TagResource" in err and "alpha" in err, "stderr names the function and the missing action", err)
    check("InspectorExclusion" not in tags(fake, "bravo"), "what succeeded (bravo) stays done")
    lines = read_log(log)
    check(len(lines) == 2, "the failed attempt is logged too", lines)
    for line in lines:
        valid(LOG_SCHEMA, line, "a partial-failure log line")
    failed = [line for line in lines if line["result"] == "failed"]
    check(len(failed) == 1 and failed[0]["function_arn"] == ARN + "alpha" and
          failed[0]["error_code"] == "AccessDeniedException" and "lambda:TagResource" in failed[0]["error"] and
          failed[0]["request_id"], "the failed line has the AWS error code, message and request id", failed)
    # a 5xx on UntagResource through every retry
    fake.reset(state=True)
    fake.configure(script=[{"operation": "lambda:UntagResource", "fault": "error500"}])
    rc, out, err = run(env, "--yes", "--max-attempts", "2", "--format", "json")
    fake.configure(script=[])
    doc = json.loads(out) if out.startswith("{") else {"changes": [], "summary": {}}
    valid(PLAN_SCHEMA, doc, "the json result of a partial failure")
    res = {c["function_arn"]: (c["result"], c["error_code"]) for c in doc["changes"]}
    check(rc == 3 and res.get(ARN + "bravo", ("",))[0] == "failed" and res.get(ARN + "alpha") == ("done", None),
          "json: per-function results (bravo failed after retries, alpha done)", res)
    check(doc["summary"].get("failed") == 1 and doc["summary"].get("done") == 1, "json summary counts", doc["summary"])
    stats = fake.stats()
    check(stats["operations"].get("lambda:UntagResource") == 2, "UntagResource retried up to --max-attempts",
          stats["operations"])


def crash(fake, env):
    """Killed in the middle of a run: every change already made is in the log (each line reaches the disk first)."""
    log = os.path.join(WORK, "crash.jsonl")
    fake.configure(latency_ms=1500)
    cmd = [BIN, "apply", "--as-of", AS_OF, "--yes", "--log", log, LEDGER]
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(log) and os.path.getsize(log) > 0:
            break
        time.sleep(0.05)
    p.kill()
    p.wait()
    fake.configure(latency_ms=0)
    lines = read_log(log) if os.path.exists(log) else []
    check(len(lines) == 1, "killed after the first change: its line is in the log, whole", lines)
    for line in lines:
        valid(LOG_SCHEMA, line, "the line written before the kill")
        check(line["function_arn"] == ARN + "alpha" and line["result"] == "done" and
              tags(fake, "alpha").get("InspectorExclusion") == "LambdaStandardScanning",
              "the logged change is really done in AWS", line)


def refusal(fake, env):
    broken = os.path.join(WORK, "broken.yaml")
    with open(LEDGER, encoding="utf-8") as f:
        text = f.read().replace("expires_at: 2027-06-01", "expire_at: 2027-06-01", 1)
    with open(broken, "w", encoding="utf-8") as f:
        f.write(text)
    before = fake.stats()["requests"]
    rc, out, err = run(env, "--yes", ledger=broken)
    check(rc == 1 and "nothing was applied" in err and "broken.yaml:" in err, "a broken ledger is refused", err)
    check(fake.stats()["requests"] == before, "a refused ledger makes no AWS request")
    rc, out, err = run(env, "--yes", "--log", LEDGER)
    check(rc == 2 and "--log" in err and "the ledger" in err, "--log naming the ledger is refused", err)
    rc, out, err = run(env, "--yes", "--dry-run")
    check(rc == 2 and "contradict" in err, "--yes with --dry-run is a usage error", err)
    with open(LEDGER, "rb") as f:
        check(hashlib.sha256(f.read()).hexdigest() == LEDGER_SHA, "the ledger is untouched")


def pty_run(env, answer):
    """Run apply on a pseudo-terminal (stdin and stderr a tty) and answer the question."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(BIN, [BIN, "apply", "--as-of", AS_OF, "--rate-limit", "2000", LEDGER], env)
    buf, sent, deadline = b"", False, time.time() + 60
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 1)
        if fd in r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            buf += data
        if not sent and b"[y/N]" in buf:
            os.write(fd, answer.encode() + b"\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), buf.decode(errors="replace"), sent


def confirmation(fake, env):
    fake.reset(state=True)
    rc, out, sent = pty_run(env, "n")
    check(sent and "apply these 2 changes? [y/N]" in out, "on a terminal it asks once, with the count", out)
    check(out.count("[y/N]") == 1, "asked once", out)
    check(rc == 0 and "declined" in out and tags(fake, "alpha") == {"team": "a"}, "answering n changes nothing", out)
    rc, out, sent = pty_run(env, "y")
    check(rc == 0 and "2 changes applied" in out, "answering y applies", out)
    check(tags(fake, "alpha").get("InspectorExclusion") == "LambdaStandardScanning", "alpha tagged after y")
    fake.reset(state=True)
    rc, out, err = run(env)
    check(rc == 0 and "[y/N]" not in err and "2 changes planned" in out, "without a terminal: a dry run, no question",
          err)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    global LEDGER
    LEDGER = os.path.join(WORK, "ledger.yaml")
    shutil.copy(LEDGER_SRC, LEDGER)
    global LEDGER_SHA
    with open(LEDGER, "rb") as f:
        LEDGER_SHA = hashlib.sha256(f.read()).hexdigest()
    git = ["git", "-C", WORK, "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "ledger.yaml"], check=True)
    subprocess.run(git + ["commit", "-qm", "ledger"], check=True)
    with fakeaws.FakeAWS(fixture=FIXTURE) as fake:
        env = fake.env("ci")
        for step in (plan_formats, apply_and_log, partial_failure, crash, refusal, confirmation):
            fake.reset(state=True)
            step(fake, env)
    finish()


if __name__ == "__main__":
    main()
