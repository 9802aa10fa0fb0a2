"""The CI kit's files are valid and call only what the binary offers.

- action.yml, ci/github/*.yml, ci/gitlab/*.yml and .pre-commit-hooks.yaml are valid YAML, and valid for their
  platform's format: tests/data/ci-schemas/ (see its README for why hand-written) through the project's own
  `inspector-ledger validate --schema-only`; a broken copy of each fails, so the check can fail.
- ci/iam/*.json are IAM policy documents with the OIDC conditions ci/README.md describes.
- Every inspector-ledger command line in them (action steps with command/args, GitLab script lines, the pre-commit
  entry) uses only subcommands, options and --format values that `<command> --help` lists, or ones listed in
  ci/planned-options.json; a planned item that has landed in --help fails the test so its mark is removed.
- Command lines with nothing planned are run offline against the example ledger where they need no AWS.
- The workflows' scope steps and the GitLab scope functions run for real with sample variables; every check and
  report line then runs against the fake AWS: the audit reaches every account (--role-name, which the fake run
  replaces by declaring the fake's one account), the PR gate declares its account (--only-account); one line
  without either is shown to fail closed (exit 3).
- The pre-commit hook runs through `pre-commit try-repo` (Debian's pre-commit), else its entry directly.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("IL_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("IL_BIN") or os.path.join(SRC, "build", "inspector-ledger")
SCHEMAS = os.path.join(SRC, "tests", "data", "ci-schemas")
AS_OF = "2026-11-22"
try:
    import yaml
except ImportError:
    print("skip: python3-yaml is not installed")
    sys.exit(77)

FAILURES = []
SILENT = [False]  # the self-test of the command-line check records failures without printing them


def check(cond, what, detail=None):
    if not cond:
        FAILURES.append(what)
        if SILENT[0]:
            return cond
        print("FAIL:", what)
        if detail:
            print("      " + str(detail)[:2000].replace("\n", "\n      "))
    return cond


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


FILES = {  # file -> schema
    "action.yml": "github-action.schema.json",
    "ci/github/pr-gate.yml": "github-workflow.schema.json",
    "ci/github/weekly-audit.yml": "github-workflow.schema.json",
    "ci/gitlab/inspector-ledger.gitlab-ci.yml": "gitlab-ci.schema.json",
    ".pre-commit-hooks.yaml": "pre-commit-hooks.schema.json",
}


def load(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return yaml.safe_load(f)


def schema_valid(doc_path, schema):
    r = run([BIN, "validate", "--schema-only", "--schema", os.path.join(SCHEMAS, schema), doc_path])
    return r.returncode, r.stdout + r.stderr


# --- YAML and platform schema -------------------------------------------------------------------------------------
def test_schemas(tmp):
    for rel, schema in FILES.items():
        try:
            load(rel)
        except (OSError, yaml.YAMLError) as e:
            check(False, "%s is valid YAML" % rel, e)
            continue
        rc, out = schema_valid(os.path.join(SRC, rel), schema)
        check(rc == 0, "%s is valid against %s" % (rel, schema), out)
    # Each schema rejects a plausible mistake, so a pass above means something.
    broken = {
        "action.yml": ("using: composite", "using: node20"),
        "ci/github/pr-gate.yml": ("runs-on:", "run-on:"),
        "ci/github/weekly-audit.yml": ("issues: write", "issues: admin"),
        "ci/gitlab/inspector-ledger.gitlab-ci.yml": ("  artifacts:\n", "  artifact:\n"),
        ".pre-commit-hooks.yaml": ("language: script", "language: shell"),
    }
    for rel, (old, new) in broken.items():
        with open(os.path.join(SRC, rel), encoding="utf-8") as f:
            text = f.read()
        if not check(old in text, "%s contains %r (for the negative check)" % (rel, old)):
            continue
        p = os.path.join(tmp, "broken-" + os.path.basename(rel))
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        rc, out = schema_valid(p, FILES[rel])
        check(rc == 1, "broken %s (%s -> %s) is rejected by %s" % (rel, old.strip(), new.strip(), FILES[rel]), out)


def test_iam():
    for name, issuer, subs in (
            ("github-oidc-trust-policy.json", "token.actions.githubusercontent.com",
             ["repo:OWNER/REPO:ref:refs/heads/main", "repo:OWNER/REPO:pull_request"]),
            ("gitlab-oidc-trust-policy.json", "gitlab.com", ["project_path:GROUP/PROJECT:ref_type:branch:ref:main"])):
        with open(os.path.join(SRC, "ci", "iam", name), encoding="utf-8") as f:
            doc = json.load(f)
        st = doc["Statement"][0]
        check(doc.get("Version") == "2012-10-17", name + ": Version 2012-10-17")
        check(st["Action"] == "sts:AssumeRoleWithWebIdentity", name + ": AssumeRoleWithWebIdentity")
        check(st["Principal"]["Federated"].endswith(":oidc-provider/" + issuer), name + ": federated " + issuer)
        check(st["Condition"]["StringEquals"].get(issuer + ":aud") == "sts.amazonaws.com", name + ": aud condition")
        check(sorted(st["Condition"]["StringLike"][issuer + ":sub"]) == sorted(subs), name + ": sub conditions")


# --- command lines ------------------------------------------------------------------------------------------------
HELP_CACHE = {}


def help_of(cmd):
    """(options, formats) that `cmd --help` lists."""
    if cmd not in HELP_CACHE:
        text = run([BIN, cmd, "--help"]).stdout
        opts = set(re.findall(r"(?:^|[\s,(])(--?[a-z][a-z-]*)", text))
        fmts = set()
        for line in text.splitlines():
            if re.match(r"\s*--format\b", line):
                fmts |= set(re.findall(r"\b(text|json|github|sarif|junit|markdown|html|csv|codequality|asff|ocsf)\b", line))
        HELP_CACHE[cmd] = (opts, fmts)
    return HELP_CACHE[cmd]


def planned():
    with open(os.path.join(SRC, "ci", "planned-options.json"), encoding="utf-8") as f:
        return json.load(f)


# Sample repository/CI variables: the audit reaches every account through a role name; the PR gate's OIDC role sees
# one account and declares it. The scope steps (GitHub) and functions (GitLab) are run with these for real.
AUDIT_VARS = {"INSPECTOR_LEDGER_REGIONS": "eu-west-1", "INSPECTOR_LEDGER_ROLE_NAME": "LedgerAudit",
              "INSPECTOR_LEDGER_ACCOUNTS": "222222222222", "INSPECTOR_LEDGER_ONLY_ACCOUNTS": ""}
GATE_VARS = {"INSPECTOR_LEDGER_REGIONS": "eu-west-1", "INSPECTOR_LEDGER_ROLE_NAME": "",
             "INSPECTOR_LEDGER_ACCOUNTS": "", "INSPECTOR_LEDGER_ONLY_ACCOUNTS": "111111111111"}
FAKE_ACCOUNT = "111111111111"  # the fake AWS's caller account (principal "ci")


def vars_for(rel, job=""):
    return GATE_VARS if ("pr-gate" in rel or job.endswith("-check")) else AUDIT_VARS


def github_scope_args(rel, step, variables):
    """Runs a workflow's `scope` step as GitHub would (its env from `vars`), returns its `args` output as argv."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for k, v in (step.get("env") or {}).items():
        m = re.fullmatch(r"\$\{\{\s*vars\.([A-Z_]+)\s*\}\}", str(v))
        check(m is not None, "%s: scope step env %s comes from a repository variable" % (rel, k))
        env[k] = variables.get(m.group(1), "") if m else ""
    with tempfile.NamedTemporaryFile("r", suffix=".out") as out:
        env["GITHUB_OUTPUT"] = out.name
        r = run(["bash", "-e", "-c", step["run"]], env=env, cwd=tempfile.gettempdir())
        check(r.returncode == 0, "%s: the scope step runs" % rel, r.stderr)
        text = out.read()
    m = re.search(r"args<<IL_EOF\n(.*?)IL_EOF", text, re.S)
    check(m is not None, "%s: the scope step writes args" % rel, text)
    return [a for a in (m.group(1).split("\n") if m else []) if a]


def gitlab_scope_args(doc, func, variables):
    """Runs the GitLab template's scope function FUNC (scope_args, gate_args) with VARIABLES, returns argv."""
    text = "\n".join(str(x) for x in (doc[".inspector-ledger"].get("before_script") or []))
    start = text.find("scope_args() {")
    m = re.search(r"\n\s*gate_args\(\) \{.*?\n\s*\}\n?", text[start:], re.S) if start >= 0 else None
    check(m is not None, "GitLab template defines scope_args and gate_args")
    if not m:
        return []
    body = text[start:start + m.end()]
    env = dict(variables, PATH=os.environ.get("PATH", "/usr/bin:/bin"))
    r = run(["bash", "-c", body + "\n" + func], env=env)
    check(r.returncode == 0, "GitLab %s runs" % func, r.stderr)
    return r.stdout.split()


def expand_lines(text, scope):
    """A GitHub `args` value, with the scope step's output replaced by SCOPE, as argv."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if re.fullmatch(r"\$\{\{\s*steps\.scope\.outputs\.args\s*\}\}", line):
            out += scope
        else:
            check("${{" not in line, "args line is literal or the scope output: %r" % line)
            out.append(line)
    return out


def action_calls(rel):
    """(where, command, argv) for every step that uses the inspector-ledger action."""
    doc = load(rel)
    calls = []
    for job_name, job in (doc.get("jobs") or {}).items():
        scope = []
        for i, step in enumerate(job.get("steps") or []):
            if step.get("id") == "scope":
                scope = github_scope_args(rel, step, vars_for(rel))
            if not str(step.get("uses", "")).startswith("OWNER/inspector-ledger@"):
                continue
            w = step.get("with") or {}
            argv = expand_lines(str(w.get("args", "")), scope)
            if str(w.get("upload-sarif", "false")) == "true":
                argv += ["--format", "sarif", "--output", w.get("sarif-file", "inspector-ledger.sarif")]
            calls.append(("%s: job %s step %d" % (rel, job_name, i + 1), w.get("command", "validate"), argv))
    return calls


def gitlab_calls(rel):
    """(where, command, argv) for every inspector-ledger line of the GitLab template's scripts."""
    doc = load(rel)
    calls = []
    for name, job in doc.items():
        if not isinstance(job, dict):
            continue
        for key in ("script", "before_script"):
            script = job.get(key) or []
            text = "\n".join(script if isinstance(script, list) else [script])
            text = text.replace("\\\n", " ")
            for line in text.splitlines():
                line = line.strip()
                m = re.match(r"^inspector-ledger\s+(\S+)(.*?)(\|\|.*)?$", line)
                if not m or m.group(1).startswith("-"):
                    continue
                variables = vars_for(rel, name)
                scope = gitlab_scope_args(doc, "scope_args", variables)
                if "$scope" in m.group(2):  # the audit job: scope=$(scope_args), plus --all-regions without regions
                    check(re.search(r"^\s*scope=\$\(scope_args\)", text, re.M) is not None,
                          "%s: job %s sets $scope from scope_args" % (rel, name))
                rest = m.group(2).replace("$(gate_args)", " ".join(gitlab_scope_args(doc, "gate_args", variables)))
                rest = rest.replace("$(scope_args)", " ".join(scope))
                rest = rest.replace("$scope", " ".join(scope))
                argv = [a.strip('"') for a in rest.split()]
                argv = [a for a in argv if a != ">/dev/null"]
                calls.append(("%s: job %s" % (rel, name), m.group(1), argv))
    return calls


def hook_calls():
    calls = []
    for hook in load(".pre-commit-hooks.yaml"):
        calls.append((".pre-commit-hooks.yaml: " + hook["id"], "validate", list(hook.get("args", []))))
    return calls


def check_call(where, cmd, argv, plan, seen_planned):
    cmds = ("validate", "check", "report", "apply", "whoami")
    if not check(cmd in cmds, "%s: subcommand %r exists" % (where, cmd)):
        return False
    opts, fmts = help_of(cmd)
    planned_opts = {(p["command"], p["option"]) for p in plan["options"]}
    planned_fmts = {(p["command"], p["format"]) for p in plan["formats"]}
    uses_planned = False
    n_format = sum(1 for a in argv if a == "--format")
    if n_format > 1:
        uses_planned = True
        seen_planned.add(("multi_output", cmd))
        check(cmd in plan["multi_output"]["commands"], "%s: several --format in one run is planned for %s" % (where, cmd))
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            break
        if a.startswith("-"):
            if a in opts:
                pass
            elif (cmd, a) in planned_opts:
                uses_planned = True
                seen_planned.add(("option", cmd, a))
            else:
                check(False, "%s: %s %s is neither in '%s --help' nor planned" % (where, cmd, a, cmd))
            if a == "--format" and i + 1 < len(argv):
                f = argv[i + 1]
                if f in fmts:
                    pass
                elif (cmd, f) in planned_fmts:
                    uses_planned = True
                    seen_planned.add(("format", cmd, f))
                else:
                    check(False, "%s: %s --format %s is neither in --help nor planned" % (where, cmd, f))
        i += 1
    return not uses_planned


def test_command_lines(tmp):
    plan = planned()
    calls = []
    for rel in ("action.yml", "ci/github/pr-gate.yml", "ci/github/weekly-audit.yml"):
        if rel != "action.yml":
            calls += action_calls(rel)
    calls += gitlab_calls("ci/gitlab/inspector-ledger.gitlab-ci.yml")
    calls += hook_calls()
    check(len(calls) >= 12, "found the kit's inspector-ledger command lines (%d)" % len(calls))
    by_cmd = {c[1] for c in calls}
    check({"validate", "check", "report", "apply"} <= by_cmd, "command lines cover validate, check, report, apply")
    seen = set()
    ran = 0
    ledger = os.path.join(SRC, "ledger-example", "security", "inspector-exclusions.yaml")
    for where, cmd, argv in calls:
        landed = check_call(where, cmd, argv, plan, seen)
        # A line with nothing planned that needs no AWS is run for real on the example ledger.
        if landed and cmd == "validate":
            argv2 = [os.path.join(tmp, os.path.basename(a)) if i > 0 and argv[i - 1] == "--output" else a
                     for i, a in enumerate(argv) if a != "--"]
            env = dict(os.environ, GITHUB_STEP_SUMMARY=os.path.join(tmp, "summary.md"))
            r = run([BIN, "validate", "--as-of", AS_OF] + argv2 + ["--", ledger], env=env)
            check(r.returncode == 0, "%s: validate %s runs on the example ledger" % (where, " ".join(argv)),
                  r.stdout + r.stderr)
            for i, a in enumerate(argv2[:-1]):
                if a == "--output":
                    check(os.path.getsize(argv2[i + 1]) > 0 if os.path.exists(argv2[i + 1]) else False,
                          "%s: validate wrote %s" % (where, argv2[i + 1]))
            ran += 1
    check(ran >= 2, "ran the landed validate lines (%d)" % ran)
    run_against_fake(tmp, [c for c in calls if c[1] in ("check", "report")], plan)
    # Every planned mark is used, and none has landed yet (then the mark must go).
    for p in plan["options"]:
        check(("option", p["command"], p["option"]) in seen, "planned %s %s is used by the kit" % (p["command"], p["option"]))
        check(p["option"] not in help_of(p["command"])[0],
              "planned %s %s is now in --help: remove its mark from ci/planned-options.json" % (p["command"], p["option"]))
    for p in plan["formats"]:
        check(("format", p["command"], p["format"]) in seen, "planned %s --format %s is used" % (p["command"], p["format"]))
        check(p["format"] not in help_of(p["command"])[1],
              "planned %s --format %s is now in --help: remove its mark" % (p["command"], p["format"]))
    # The extraction itself can fail: an unknown option is caught.
    before = len(FAILURES)
    SILENT[0] = True
    check_call("self-test", "check", ["--no-such-option"], plan, set())
    SILENT[0] = False
    caught = len(FAILURES) - before
    del FAILURES[before:]
    check(caught == 1, "an unknown option is reported by the command-line check")


def first_output_only(argv, plan):
    """@argv with only its first --format kept (and no --output), planned formats dropped: what runs today."""
    planned_fmts = {p["format"] for p in plan["formats"]}
    out, i, kept = [], 0, False
    while i < len(argv):
        a = argv[i]
        if a == "--format":
            f = argv[i + 1]
            if not kept and f not in planned_fmts:
                out += [a, f]
                kept = True
            i += 2
            if i < len(argv) and argv[i] == "--output":
                i += 2
            continue
        if a == "--output":
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def run_against_fake(tmp, calls, plan):
    """Each check and report line of the kit (its first output; the sample scope without the role options) against
    the fake AWS with the check tests' scenario: it runs, and finds what that scenario holds."""
    sys.path.insert(0, HERE)
    try:
        import checklib
    except SystemExit:
        print("note: the fake AWS is not in this tree; the check/report lines were not run")
        return
    wd = checklib.Workdir("cikit")
    ran = 0
    undeclared = False
    with checklib.start_fake() as fake:
        for where, cmd, argv in calls:
            argv = first_output_only(argv, plan)
            # Scope completeness: every live line reaches every account (--role-name) or declares what it checks
            # (--only-account); the audit never declares a partial scope, the PR gate does (its sample variables).
            audit = "--full" in argv or cmd == "report"
            if audit:
                check("--role-name" in argv and "--only-account" not in argv,
                      "%s: %s reaches every account through --role-name and declares no partial scope" % (where, cmd),
                      " ".join(argv))
            else:
                check(argv.count("--only-account") == 1 and FAKE_ACCOUNT in argv and "--role-name" not in argv,
                      "%s: %s declares the gate's one account (--only-account)" % (where, cmd), " ".join(argv))
            # The role options need roles the scenario does not have: the fake run declares the fake's account
            # instead (the one account the scenario's credentials reach), so the rest of the line runs unchanged.
            had_role = "--role-name" in argv
            for opt in ("--role-name", "--account"):
                while opt in argv:
                    j = argv.index(opt)
                    del argv[j:j + 2]
            if "--" in argv:  # the ledger operand (a CI variable) is replaced by the scenario's ledger
                argv = argv[:argv.index("--")]
            if had_role:
                argv += ["--only-account", FAKE_ACCOUNT]
            argv = [a for a in argv if a != "--with-history"]
            env = fake.env(principal="ci", region="us-east-1")
            env.pop("GITHUB_ACTIONS", None)
            env.pop("GITHUB_STEP_SUMMARY", None)
            if "--all-regions" in argv:
                argv.remove("--all-regions")
            full = [BIN, cmd, "--as-of", AS_OF, "--rate-limit", "2000"] + argv + ["--", wd.ledger]
            r = subprocess.run(full, env=env, capture_output=True, text=True, timeout=300)
            # The scenario has drift: check exits 1; report --live writes its report (exit 0, or 1 for ledger problems).
            want = (1,) if cmd == "check" else (0, 1)
            check(r.returncode in want and len(r.stdout) > 200,
                  "%s: %s %s runs against the fake AWS (exit %s, output)" % (where, cmd, " ".join(argv), want),
                  "exit %d\n%s" % (r.returncode, r.stderr[-1500:]))
            check("unrecorded-exclusion" in r.stdout or "shadow-fn" in r.stdout,
                  "%s: %s output shows the scenario's unrecorded exclusion" % (where, cmd), r.stdout[:800])
            ran += 1
            # Once: the same line without the declaration fails closed on the scenario's other account (exit 3).
            if not undeclared and cmd == "check":
                undeclared = True
                bare = full[:]
                while "--only-account" in bare:
                    j = bare.index("--only-account")
                    del bare[j:j + 2]
                r = subprocess.run(bare, env=env, capture_output=True, text=True, timeout=300)
                said = r.stdout + r.stderr
                check(r.returncode == 3 and re.search(r"not.verified.*account 222222222222", said) is not None,
                      "%s: without --only-account or --role-name the line exits 3 naming the unreached account"
                      % where, "exit %d\n%s\n%s" % (r.returncode, r.stdout[-1500:], r.stderr[-1500:]))
    check(ran >= 4 and undeclared, "ran the kit's check and report lines against the fake (%d)" % ran)


# --- action.yml: no input reaches a script except through env -----------------------------------------------------
def test_no_injection():
    for rel in ("action.yml", "ci/github/pr-gate.yml", "ci/github/weekly-audit.yml"):
        doc = load(rel)
        steps = []
        if "runs" in doc:
            steps = doc["runs"]["steps"]
        for job in (doc.get("jobs") or {}).values():
            steps += job.get("steps") or []
        for s in steps:
            if "run" in s:
                check("${{" not in s["run"], "%s: step %r has no ${{ }} inside its script" % (rel, s.get("name")))
    act = load("action.yml")
    check(set(act["inputs"]) == {"command", "args", "ledger", "working-directory", "upload-sarif", "sarif-file",
                                 "summary"}, "action inputs are the documented set")
    check("exit-code" in act["outputs"], "action has the exit-code output")
    readme = open(os.path.join(SRC, "ci", "README.md"), encoding="utf-8").read()
    for name in list(act["inputs"]) + ["exit-code"]:
        check("`%s`" % name in readme, "ci/README.md documents action input/output %s" % name)


# --- the action's run step, executed with bash as the runner would ----------------------------------------------
def test_action_run_step(tmp):
    """The 'Run inspector-ledger' script of action.yml, given hostile inputs through env as GitHub does."""
    act = load("action.yml")
    step = [s for s in act["runs"]["steps"] if s.get("id") == "run"][0]
    prefix = os.path.join(tmp, "prefix")
    os.makedirs(os.path.join(prefix, "bin"))
    os.symlink(BIN, os.path.join(prefix, "bin", "inspector-ledger"))
    wd = os.path.join(tmp, "action-wd")
    shutil.copytree(os.path.join(SRC, "ledger-example"), wd)
    canary = os.path.join(tmp, "pwned")

    def go(command, args, ledger="", upload="false", summary="true"):
        out, summ = os.path.join(tmp, "gh-output"), os.path.join(tmp, "gh-summary")
        for f in (out, summ):
            open(f, "w").close()
        env = dict(os.environ, IL_PREFIX=prefix, IL_COMMAND=command, IL_ARGS=args, IL_LEDGER=ledger,
                   IL_UPLOAD_SARIF=upload, IL_SARIF_FILE="out.sarif", IL_SUMMARY=summary, GITHUB_OUTPUT=out,
                   GITHUB_STEP_SUMMARY=summ)
        # As GitHub runs a bash step: bash --noprofile --norc -eo pipefail {0}
        r = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=wd, env=env)
        outputs = dict(l.split("=", 1) for l in open(out).read().splitlines() if "=" in l)
        return r, outputs, open(summ).read()

    r, o, summ = go("validate", "--as-of\n%s\n--format\njson\n" % AS_OF)
    check(r.returncode == 0 and o.get("exit-code") == "0", "action run step: validate passes, exit-code=0",
          r.stdout + r.stderr + str(o))
    check('"passed"' in r.stdout or "passed" in r.stdout, "action run step: args reached the tool (--format json)", r.stdout)
    check("inspector-ledger validate: exit 0 (pass)" in summ, "action run step: job summary written", summ)
    # Hostile arguments and ledger path: each is one argv element, nothing is run by a shell.
    hostile = "--as-of\n%s\n$(touch %s)\n" % (AS_OF, canary)
    r, o, _ = go("validate", hostile, ledger="x; touch %s" % canary)
    check(not os.path.exists(canary), "action run step: $(...) in args or ledger is not executed")
    check(o.get("exit-code") == "2", "action run step: an unknown argument is a usage error (exit-code=2)",
          r.stdout + r.stderr + str(o))
    r, o, _ = go("validate", "--as-of\n%s\n" % AS_OF, ledger="$(touch %s)" % canary)
    check(not os.path.exists(canary) and o.get("exit-code") != "0",
          "action run step: a hostile ledger path is a path, not a command", r.stdout + r.stderr + str(o))
    # A command outside the list is refused before anything runs.
    r, o, _ = go("rm -rf /; validate", "")
    check(r.returncode == 2 and "exit-code" not in o, "action run step: an unknown command is refused", r.stdout)
    # upload-sarif adds --format sarif --output FILE; the file is SARIF, its path an output.
    r, o, _ = go("validate", "--as-of\n%s\n" % AS_OF, upload="true", summary="false")
    sarif = o.get("sarif-file", "")
    ok = r.returncode == 0 and sarif == os.path.join(wd, "out.sarif") and os.path.exists(sarif)
    if check(ok, "action run step: upload-sarif writes the SARIF file and names it", r.stdout + r.stderr + str(o)):
        with open(sarif, encoding="utf-8") as f:
            check(json.load(f).get("version") == "2.1.0", "action run step: the SARIF file is SARIF 2.1.0")
    # A failing ledger: the step itself succeeds (so SARIF upload and summary run), exit-code carries the 1.
    with open(os.path.join(wd, "bad.yaml"), "w", encoding="utf-8") as f:
        f.write("not: [a ledger\n")
    r, o, summ = go("validate", "", ledger="bad.yaml")
    check(r.returncode == 0 and o.get("exit-code") == "1", "action run step: findings give exit-code=1, step goes on",
          r.stdout + r.stderr + str(o))
    check("exit 1 (findings" in summ, "action run step: the summary names the failing exit", summ)


# --- pre-commit ---------------------------------------------------------------------------------------------------
def sample_repo(tmp, ledger_text):
    repo = os.path.join(tmp, "sample")
    os.makedirs(os.path.join(repo, "security"))
    with open(os.path.join(repo, "security", "inspector-exclusions.yaml"), "w", encoding="utf-8") as f:
        f.write(ledger_text)
    for c in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(c, cwd=repo, check=True, capture_output=True)
    return repo


def test_pre_commit(tmp):
    good = open(os.path.join(SRC, "ledger-example", "security", "inspector-exclusions.yaml"), encoding="utf-8").read()
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    os.symlink(BIN, os.path.join(bindir, "inspector-ledger"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), HOME=tmp,
               PRE_COMMIT_HOME=os.path.join(tmp, "pre-commit-cache"),
               INSPECTOR_LEDGER_ARGS="--as-of " + AS_OF,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid")
    pc = shutil.which("pre-commit")
    # try-repo needs the hook repository as a git repository: a snapshot of this tree's hook files.
    hookrepo = os.path.join(tmp, "hookrepo")
    os.makedirs(os.path.join(hookrepo, "ci"))
    shutil.copy(os.path.join(SRC, ".pre-commit-hooks.yaml"), hookrepo)
    shutil.copy(os.path.join(SRC, "ci", "pre-commit-validate.sh"), os.path.join(hookrepo, "ci"))
    for c in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "hooks"]):
        subprocess.run(c, cwd=hookrepo, check=True, capture_output=True, env=env)
    for text, want, what in ((good, 0, "valid ledger"), (good.replace("expires_at:", "expires_on:", 1), 1,
                                                         "ledger with a misspelled expires_at")):
        wd = tempfile.mkdtemp(dir=tmp)
        repo = sample_repo(wd, text)
        if pc:
            r = run([pc, "try-repo", hookrepo, "inspector-ledger-validate", "--all-files"], cwd=repo, env=env)
            how = "pre-commit try-repo"
        else:
            r = run(["bash", os.path.join(SRC, "ci", "pre-commit-validate.sh"), "security/inspector-exclusions.yaml"],
                    cwd=repo, env=env)
            how = "hook entry (pre-commit not installed)"
        ok = (r.returncode == 0) if want == 0 else (r.returncode != 0 and "expires_on" in r.stdout + r.stderr)
        check(ok, "%s: %s exits %s" % (how, what, "0" if want == 0 else "non-zero naming the key"),
              "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    print("pre-commit:", "try-repo" if pc else "entry run directly")
    # Without inspector-ledger on PATH the entry builds this tree once into its cache, then reuses the build.
    if shutil.which("cmake") and run(["pkg-config", "--exists", "yaml-0.1", "libcjson", "libcrypto"]).returncode == 0:
        repo = sample_repo(tempfile.mkdtemp(dir=tmp), good)
        cache = os.path.join(tmp, "hook-cache")
        env2 = dict(os.environ, INSPECTOR_LEDGER_CACHE=cache, INSPECTOR_LEDGER_ARGS="--as-of " + AS_OF,
                    PATH=os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep)
                                         if not os.path.exists(os.path.join(d, "inspector-ledger"))))
        entry = os.path.join(SRC, "ci", "pre-commit-validate.sh")
        r = subprocess.run(["bash", entry, "security/inspector-exclusions.yaml"], cwd=repo, env=env2,
                           capture_output=True, text=True, timeout=900)
        built = [os.path.join(cache, d, "inspector-ledger") for d in os.listdir(cache)] if os.path.isdir(cache) else []
        check(r.returncode == 0 and len(built) == 1 and os.access(built[0], os.X_OK) and "unbound" not in r.stderr,
              "hook entry without a binary on PATH builds one into its cache and validates",
              "exit %d\n%s" % (r.returncode, r.stderr[-1500:]))
        r = run(["bash", entry, "security/inspector-exclusions.yaml"], cwd=repo, env=env2)
        check(r.returncode == 0 and "building" not in r.stderr, "hook entry reuses the cached build", r.stderr[-800:])


def main():
    if not os.access(BIN, os.X_OK):
        print("skip: %s is not built" % BIN)
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="il-cikit-")
    try:
        test_schemas(tmp)
        test_iam()
        test_command_lines(tmp)
        test_no_injection()
        test_action_run_step(tmp)
        test_pre_commit(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
