"""In-memory AWS state for the fake: accounts, principals, credentials, functions and their tags.

Loaded from a fixture file (see docs/fake-aws.md). TagResource/UntagResource mutate this state; the control
endpoint /__fake/reset can reload it. All access goes through State's lock because the HTTP server is threaded.
"""

import base64
import copy
import datetime
import fnmatch
import hashlib
import json
import threading

DEFAULT_MAX_SESSION = 3600


def partition_of(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _stable_id(prefix, *parts, length=17):
    """AWS-looking unique ids (AIDA..., AROA..., ASIA...), derived from the inputs so runs are reproducible."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    chars = "".join(alphabet[b % 32] for b in digest)
    return prefix + chars[:length]


class Principal:
    """Whoever signed a request: an IAM user (static keys) or an assumed-role session (temporary keys)."""

    def __init__(self, account, arn, user_id, denied, kind, role=None, session=None, chained=False):
        self.account = account
        self.arn = arn
        self.user_id = user_id
        self.denied = list(denied)
        self.kind = kind            # "user" or "assumed-role"
        self.role = role            # role dict for assumed-role sessions
        self.session = session
        self.chained = chained

    def is_denied(self, action):
        return any(fnmatch.fnmatchcase(action, pat) for pat in self.denied)


class Credential:
    def __init__(self, access_key_id, secret, principal, token=None, expiration=None):
        self.access_key_id = access_key_id
        self.secret = secret
        self.principal = principal
        self.token = token
        self.expiration = expiration   # aware datetime for temporary credentials
        self.revoked = False


class Function:
    """One Lambda function. Rendered into AWS's FunctionConfiguration shape on demand (keeps 100k functions cheap)."""

    __slots__ = ("name", "account", "region", "runtime", "kms_key_arn", "tags", "ever_tagged", "package_type",
                 "last_modified", "description", "memory", "timeout", "handler", "architectures", "code_size",
                 "layers", "last_invoked", "inspector")

    def __init__(self, account, region, spec):
        self.name = spec["name"]
        self.account = account
        self.region = region
        self.package_type = spec.get("package_type", "Zip")
        self.runtime = spec.get("runtime", "python3.12") if self.package_type == "Zip" else None
        self.kms_key_arn = spec.get("kms_key_arn")
        self.tags = dict(spec.get("tags", {}))
        self.ever_tagged = bool(self.tags)
        self.last_modified = spec.get("last_modified", "2026-01-15T10:00:00.000+0000")
        if "last_modified_days_ago" in spec:
            self.last_modified = _days_ago(spec["last_modified_days_ago"])
        # Invocations are invisible to Lambda's API; only Inspector's 90-day rule reads them (fakeaws_inspector2).
        # None means "invoked recently"; else the LastModified-style time of the last invocation.
        self.last_invoked = spec.get("last_invoked")
        if "last_invoked_days_ago" in spec:
            self.last_invoked = _days_ago(spec["last_invoked_days_ago"])
        self.layers = list(spec.get("layers", []))
        self.inspector = dict(spec.get("inspector", {}))   # per scan type reason override, e.g. {"PACKAGE": ...}
        self.description = spec.get("description", "")
        self.memory = int(spec.get("memory", 128))
        self.timeout = int(spec.get("timeout", 3))
        self.handler = spec.get("handler", "index.handler") if self.package_type == "Zip" else None
        self.architectures = spec.get("architectures", ["x86_64"])
        self.code_size = int(spec.get("code_size", 1024))

    @property
    def arn(self):
        return "arn:%s:lambda:%s:%s:function:%s" % (partition_of(self.region), self.region, self.account,
                                                     self.name)

    def configuration(self):
        digest = hashlib.sha256(self.name.encode()).digest()
        cfg = {
            "FunctionName": self.name,
            "FunctionArn": self.arn,
            "Role": "arn:%s:iam::%s:role/%s-role" % (partition_of(self.region), self.account, self.name[:50]),
            "CodeSize": self.code_size,
            "Description": self.description,
            "Timeout": self.timeout,
            "MemorySize": self.memory,
            "LastModified": self.last_modified,
            "CodeSha256": base64.b64encode(digest).decode(),
            "Version": "$LATEST",
            "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": "%s-%s-%s-%s-%s" % (digest[:4].hex(), digest[4:6].hex(), digest[6:8].hex(),
                                              digest[8:10].hex(), digest[10:16].hex()),
            "PackageType": self.package_type,
            "Architectures": list(self.architectures),
            "EphemeralStorage": {"Size": 512},
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": "/aws/lambda/" + self.name},
        }
        if self.runtime is not None:
            cfg["Runtime"] = self.runtime
            cfg["Handler"] = self.handler
        if self.kms_key_arn:
            cfg["KMSKeyArn"] = self.kms_key_arn
        if self.layers:
            cfg["Layers"] = [{"Arn": arn, "CodeSize": 4096} for arn in self.layers]
        return cfg


def _days_ago(days):
    """Lambda's LastModified for a function last changed @days before now (midnight UTC, so outputs are stable
    within a day)."""
    day = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return (day - datetime.timedelta(days=float(days))).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _expand_generate(directive, account, region):
    """A fixture 'generate' directive: many functions described by one rule (see docs/fake-aws.md)."""
    count = int(directive["count"])
    pattern = directive.get("name", "gen-{i:05d}")
    runtimes = directive.get("runtimes", ["python3.12"])
    kms_every = int(directive.get("kms_every", 0))
    kms_arn = directive.get("kms_key_arn", "arn:%s:kms:%s:%s:key/00000000-0000-4000-8000-00000000c0de"
                            % (partition_of(region), region, account))
    tag_rules = directive.get("tags", [])
    base_tags = directive.get("base_tags", {})
    out = []
    for i in range(count):
        spec = {"name": pattern.format(i=i), "runtime": runtimes[i % len(runtimes)], "tags": dict(base_tags)}
        if kms_every and i % kms_every == 0:
            spec["kms_key_arn"] = kms_arn
        for rule in tag_rules:
            every = int(rule.get("every", 1))
            first = int(rule.get("offset", 0))
            limit = rule.get("limit")
            if i >= first and (i - first) % every == 0:
                if limit is None or (i - first) // every < int(limit):
                    spec["tags"].update(rule["tags"])
        out.append(spec)
    return out


class State:
    def __init__(self, fixture, seed=0):
        self.lock = threading.RLock()
        self.seed = seed
        self.fixture = fixture
        self.load()

    def load(self):
        fx = copy.deepcopy(self.fixture)
        with self.lock:
            self.accounts = {}          # account id -> account dict (fixture form)
            self.credentials = {}       # access key id -> Credential
            self.functions = {}         # (account, region) -> {name: Function}
            self.sorted_names = {}      # (account, region) -> sorted list of names (pagination order)
            self.temp_counter = 0
            for acct in fx.get("accounts", []):
                aid = str(acct["id"])
                self.accounts[aid] = acct
                part = acct.get("partition", "aws")
                for user in acct.get("users", []):
                    p = Principal(aid, "arn:%s:iam::%s:user/%s" % (part, aid, user["name"]),
                                  _stable_id("AIDA", aid, user["name"]), user.get("denied_actions", []), "user")
                    for key in user.get("access_keys", []):
                        self.credentials[key["access_key_id"]] = Credential(key["access_key_id"],
                                                                            key["secret_access_key"], p)
                for region, rdef in acct.get("regions", {}).items():
                    funcs = {}
                    specs = list(rdef.get("functions", []))
                    for directive in rdef.get("generate", []):
                        specs.extend(_expand_generate(directive, aid, region))
                    for spec in specs:
                        f = Function(aid, region, spec)
                        funcs[f.name] = f
                    self.functions[(aid, region)] = funcs
                    self.sorted_names[(aid, region)] = sorted(funcs)

    # --- lookups ---------------------------------------------------------------------------------------------

    def credential(self, access_key_id):
        with self.lock:
            return self.credentials.get(access_key_id)

    def account(self, account_id):
        return self.accounts.get(account_id)

    def region_disabled(self, account_id, region):
        acct = self.accounts.get(account_id)
        return bool(acct) and region in acct.get("disabled_regions", [])

    def function_names(self, account, region):
        """Sorted names (pagination order). Shared, read-only: names never change after a load, and load()
        replaces the list instead of mutating it."""
        with self.lock:
            return self.sorted_names.get((account, region), [])

    def functions_in(self, account, region):
        """(sorted names, name -> Function) for one account and region; both shared, read-only."""
        with self.lock:
            return self.sorted_names.get((account, region), []), self.functions.get((account, region), {})

    def function(self, account, region, name):
        with self.lock:
            return self.functions.get((account, region), {}).get(name)

    def find_role(self, role_arn):
        """role ARN -> (account id, role dict) or (None, None)."""
        parts = role_arn.split(":")
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[5].startswith("role/"):
            return None, None
        acct = self.accounts.get(parts[4])
        if acct is None:
            return None, None
        name = parts[5].split("/")[-1]
        for role in acct.get("roles", []):
            if role["name"] == name:
                return parts[4], role
        return None, None

    # --- mutations -------------------------------------------------------------------------------------------

    def tag(self, fn, tags):
        with self.lock:
            fn.tags.update(tags)
            fn.ever_tagged = True

    def untag(self, fn, keys):
        with self.lock:
            for k in keys:
                fn.tags.pop(k, None)

    def issue_temporary(self, account, role, session, caller, duration, now):
        """Mint temporary credentials for an assumed role; the fake accepts them until they expire."""
        with self.lock:
            self.temp_counter += 1
            n = self.temp_counter
            part = self.accounts[account].get("partition", "aws")
            role_id = _stable_id("AROA", account, role["name"])
            principal = Principal(account, "arn:%s:sts::%s:assumed-role/%s/%s" % (part, account, role["name"], session),
                                  "%s:%s" % (role_id, session), role.get("denied_actions", []), "assumed-role",
                                  role=role, session=session,
                                  chained=caller is not None and caller.kind == "assumed-role")
            akid = _stable_id("ASIA", self.seed, n, account, role["name"], length=16)
            secret = base64.b64encode(hashlib.sha256(("secret|%s|%d" % (self.seed, n)).encode()).digest()
                                      ).decode()[:40]
            token = "FwoGZXIvYXdzE" + base64.b64encode(hashlib.sha512(("token|%s|%d" % (self.seed, n)).encode())
                                                       .digest()).decode()
            cred = Credential(akid, secret, principal, token=token,
                              expiration=now + datetime.timedelta(seconds=duration))
            self.credentials[akid] = cred
            return cred, role_id

    def issued_temporary(self):
        """Every temporary credential issued since the last load: [{access_key_id, secret, token}]."""
        with self.lock:
            return [{"access_key_id": c.access_key_id, "secret": c.secret, "token": c.token}
                    for c in self.credentials.values() if c.token is not None]

    def expire_temporary(self, access_key_id=None):
        """Mark issued temporary credentials expired (all, or one key) so tests can exercise refresh."""
        n = 0
        with self.lock:
            for cred in self.credentials.values():
                if cred.token is not None and (access_key_id is None or cred.access_key_id == access_key_id):
                    cred.revoked = True
                    n += 1
        return n

    def snapshot(self, account=None, region=None):
        """Functions and tags as plain JSON (for /__fake/state), so tests can assert what apply changed."""
        out = {}
        with self.lock:
            for (aid, reg), funcs in self.functions.items():
                if (account and aid != account) or (region and reg != region):
                    continue
                out.setdefault(aid, {})[reg] = {name: {"tags": dict(f.tags), "runtime": f.runtime,
                                                       "kms_key_arn": f.kms_key_arn}
                                                for name, f in sorted(funcs.items())}
        return out


def load_fixture(path):
    with open(path, "r", encoding="utf-8") as fh:
        return json.load(fh)
