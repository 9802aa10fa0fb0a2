"""Inspector2 for the fake AWS (rest-json): BatchGetAccountStatus, ListCoverage, ListMembers,
ListDelegatedAdminAccounts. Shapes, limits and enum strings follow ../shared/aws-models/inspector2/service-2.json.

Coverage is derived from the fake's Lambda state (functions, tags, KMS key, runtime, LastModified, layers), so
Inspector and Lambda always agree. The delegated administrator (fakeaws_organizations.inspector_view) sees its
members' status and coverage; every other account sees only its own.
"""

import base64
import datetime
import json
import re

import fakeaws_organizations as orgs
from fakeaws_protocol import AwsError, json_response

SERVICE = "inspector2"
ROUTES = {("POST", "/status/batch/get"): "BatchGetAccountStatus",
          ("POST", "/coverage/list"): "ListCoverage",
          ("POST", "/members/list"): "ListMembers",
          ("POST", "/delegatedadminaccounts/list"): "ListDelegatedAdminAccounts"}
_PATHS = ("/status/", "/coverage/", "/findings/", "/members/", "/delegatedadminaccounts/")
EXCLUSION_STANDARD = ("InspectorExclusion", "LambdaStandardScanning")
EXCLUSION_CODE = ("InspectorCodeExclusion", "LambdaCodeScanning")
IDLE_DAYS = 90
# Runtimes Inspector no longer scans (deprecated by Lambda): their functions are INACTIVE UNSUPPORTED_RUNTIME.
UNSUPPORTED_RUNTIMES = {"python2.7", "python3.6", "python3.7", "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10",
                        "nodejs10.x", "nodejs12.x", "nodejs14.x", "go1.x", "ruby2.5", "ruby2.7", "dotnetcore1.0",
                        "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "java8", "provided"}
ACTIVE_REASONS = ("SUCCESSFUL", "PENDING_INITIAL_SCAN", "SCAN_IN_PROGRESS", "PENDING_REVIVAL_SCAN")
STATUSES = ("ENABLING", "ENABLED", "DISABLING", "DISABLED", "SUSPENDING", "SUSPENDED")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_NO_VALUE = object()


def claims(method, path, headers):
    return path.startswith(_PATHS)


def route(ctx):
    op = ROUTES.get((ctx.method, ctx.path.rstrip("/") or "/"))
    if op is None:
        raise AwsError("UnknownOperationException", "Unknown operation %s %s" % (ctx.method, ctx.path[:200]), 404)
    return op


def _validation(message, reason="FIELD_VALIDATION_FAILED"):
    return AwsError("ValidationException", message, 400, fields={"reason": reason})


def _int(body, name, lo, hi, default):
    v = body.get(name)
    if v is None:
        return default
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        raise _validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member "
                          "must have value between %d and %d" % (str(v)[:64], name, lo, hi))
    return v


def _token(kind, value):
    return base64.urlsafe_b64encode(json.dumps({"k": kind, "v": value}).encode()).decode()


def _untoken(kind, body, check):
    token = body.get("nextToken")
    if not token:
        return None
    try:
        obj = json.loads(base64.urlsafe_b64decode(str(token).encode()).decode())
        if obj.get("k") != kind or not check(obj["v"]):
            raise ValueError(kind)
        return obj["v"]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise _validation("Invalid nextToken", "OTHER")


def _parse_time(text):
    return datetime.datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def account_config(state, account, region):
    """Inspector's per-account, per-region settings (fixture "inspector" at account level, then region level).
    An account that is not ENABLED scans nothing."""
    acct = state.account(account) or {}
    cfg = {"status": "ENABLED", "ec2": "DISABLED", "ecr": "DISABLED", "lambda": "ENABLED", "lambdaCode": "ENABLED"}
    cfg.update(acct.get("inspector", {}))
    cfg.update(acct.get("regions", {}).get(region, {}).get("inspector", {}))
    if cfg["status"] != "ENABLED":
        for k in ("ec2", "ecr", "lambda", "lambdaCode"):
            cfg[k] = "DISABLED"
    return cfg


def runtime_enum(runtime):
    """Lambda runtime -> Inspector's Runtime enum spelling (python3.12 -> PYTHON_3_12; unknown -> UNSUPPORTED)."""
    if not runtime:
        return None
    m = re.match(r"^([a-z]+?)(\d+(?:\.\d+)*)(\.x)?(\.al2)?$", runtime)
    name = m and {"nodejs": "NODEJS", "python": "PYTHON", "java": "JAVA", "ruby": "RUBY", "dotnet": "DOTNET",
                  "dotnetcore": "DOTNETCORE", "go": "GO"}.get(m.group(1))
    if not name:
        return "UNSUPPORTED"
    return name + "_" + m.group(2).replace(".", "_") + ("_X" if m.group(3) else "") + ("_AL2" if m.group(4) else "")


def _status(fn, scan_type, now):
    """(statusCode, reason, lastScannedAt or None) for one function and scan type."""
    override = fn.inspector.get(scan_type)
    if override:
        return ("ACTIVE" if override in ACTIVE_REASONS else "INACTIVE"), override, None
    tags = fn.tags
    excluded = tags.get(EXCLUSION_STANDARD[0]) == EXCLUSION_STANDARD[1]
    if scan_type == "CODE":
        excluded = excluded or tags.get(EXCLUSION_CODE[0]) == EXCLUSION_CODE[1]
    modified = _parse_time(fn.last_modified)
    scanned = int(modified.timestamp()) + 300
    if excluded:
        return "INACTIVE", "EXCLUDED_BY_TAG", None
    if fn.kms_key_arn:
        return "INACTIVE", "ACCESS_DENIED_TO_ENCRYPTION_KEY", None
    if fn.runtime is not None and (fn.runtime in UNSUPPORTED_RUNTIMES or runtime_enum(fn.runtime) == "UNSUPPORTED"):
        return "INACTIVE", "UNSUPPORTED_RUNTIME", None
    # Inspector scans functions invoked or updated in the last 90 days; the model has no dedicated reason for the
    # others, SCAN_ELIGIBILITY_EXPIRED ("the configured scan duration has lapsed") is the one it reports.
    last_use = max(modified, _parse_time(fn.last_invoked)) if fn.last_invoked else None
    if last_use is not None and (now - last_use).days >= IDLE_DAYS:
        return "INACTIVE", "SCAN_ELIGIBILITY_EXPIRED", scanned
    return "ACTIVE", "SUCCESSFUL", min(scanned, int(now.timestamp()))


def coverage(fn, cfg, now):
    """The coverage entries Inspector shows for one function: PACKAGE when Lambda standard scanning is enabled,
    CODE when Lambda code scanning is too."""
    out = []
    runtime = runtime_enum(fn.runtime)
    for scan_type, on in (("PACKAGE", cfg["lambda"] == "ENABLED"),
                          ("CODE", cfg["lambda"] == "ENABLED" and cfg["lambdaCode"] == "ENABLED")):
        if not on:
            continue
        code, reason, scanned = _status(fn, scan_type, now)
        meta = {"functionName": fn.name, "functionTags": dict(fn.tags), "layers": list(fn.layers)}
        if runtime:
            meta["runtime"] = runtime
        entry = {"resourceType": "AWS_LAMBDA_FUNCTION", "resourceId": fn.arn, "accountId": fn.account,
                 "scanType": scan_type, "scanStatus": {"statusCode": code, "reason": reason},
                 "resourceMetadata": {"lambdaFunction": meta}}
        if scanned is not None:
            entry["lastScannedAt"] = scanned
        out.append(entry)
    return out


# --- filterCriteria ----------------------------------------------------------------------------------------------

def _lambda(e, key, default=None):
    return e["resourceMetadata"]["lambdaFunction"].get(key, default)


_STRING_FIELDS = {
    "resourceType": lambda e: e["resourceType"],
    "resourceId": lambda e: e["resourceId"],
    "accountId": lambda e: e["accountId"],
    "scanType": lambda e: e["scanType"],
    "scanStatusCode": lambda e: e["scanStatus"]["statusCode"],
    "scanStatusReason": lambda e: e["scanStatus"]["reason"],
    "lambdaFunctionName": lambda e: _lambda(e, "functionName"),
    "lambdaFunctionRuntime": lambda e: _lambda(e, "runtime", _NO_VALUE),
}
# Filters the model lists that no Lambda function has a value for: EQUALS matches nothing, NOT_EQUALS everything.
_ABSENT_STRING = ("ecrRepositoryName", "ecrImageTags", "scanMode", "codeRepositoryProjectName",
                  "codeRepositoryProviderType", "codeRepositoryProviderTypeVisibility", "lastScannedCommitId")
_MAP_FIELDS = {"lambdaFunctionTags": lambda e: _lambda(e, "functionTags", {}), "ec2InstanceTags": lambda e: {}}


def _check_list(criteria, key):
    flts = criteria[key]
    if not isinstance(flts, list) or not 1 <= len(flts) <= 10 or not all(isinstance(f, dict) for f in flts):
        raise _validation("filterCriteria.%s must be a list of 1 to 10 filters" % key)
    return flts


def coverage_filter(criteria):
    """filterCriteria -> predicate over coverage entries. Filters of one key: any EQUALS must match and no
    NOT_EQUALS may; different keys must all hold. Unknown or unimplemented keys are refused (no silent pass)."""
    if not isinstance(criteria, dict):
        raise _validation("filterCriteria must be an object", "CANNOT_PARSE")
    strings, maps, dates = {}, {}, []
    for key in criteria:
        if key in _STRING_FIELDS or key in _ABSENT_STRING:
            flts = _check_list(criteria, key)
            for f in flts:
                if f.get("comparison") not in ("EQUALS", "NOT_EQUALS"):
                    raise _validation("1 validation error detected: Value '%s' at 'filterCriteria.%s.member."
                                      "comparison' failed to satisfy constraint: Member must satisfy enum value set:"
                                      " [EQUALS, NOT_EQUALS]" % (str(f.get("comparison"))[:64], key))
                if not isinstance(f.get("value"), str) or not 1 <= len(f["value"]) <= 1024:
                    raise _validation("filterCriteria.%s.member.value must be a string of 1 to 1024 characters" % key)
            strings[key] = flts
        elif key in _MAP_FIELDS:
            for f in _check_list(criteria, key):
                if f.get("comparison") != "EQUALS" or not isinstance(f.get("key"), str) or not f["key"] or \
                        ("value" in f and (not isinstance(f["value"], str) or not f["value"])):
                    raise _validation("filterCriteria.%s.member needs comparison EQUALS, a key and an optional "
                                      "non-empty value" % key)
            maps[key] = criteria[key]
        elif key == "lastScannedAt":
            for f in _check_list(criteria, key):
                for bound in ("startInclusive", "endInclusive"):
                    if bound in f and not isinstance(f[bound], (int, float)):
                        raise _validation("filterCriteria.lastScannedAt.member.%s must be a timestamp" % bound)
            dates = criteria[key]
        else:
            raise _validation("the fake does not implement filterCriteria %s" % key[:64], "OTHER")

    def keep(entry):
        for key, flts in strings.items():
            value = _STRING_FIELDS[key](entry) if key in _STRING_FIELDS else _NO_VALUE
            eq = [f["value"] for f in flts if f["comparison"] == "EQUALS"]
            ne = [f["value"] for f in flts if f["comparison"] == "NOT_EQUALS"]
            if (eq and value not in eq) or value in ne:
                return False
        for key, flts in maps.items():
            tags = _MAP_FIELDS[key](entry)
            for f in flts:
                if f["key"] not in tags or ("value" in f and tags[f["key"]] != f["value"]):
                    return False
        for f in dates:
            at = entry.get("lastScannedAt")
            if at is None or at < f.get("startInclusive", at) or at > f.get("endInclusive", at):
                return False
        return True

    wanted_accounts = None
    eq_accounts = [f["value"] for f in strings.get("accountId", []) if f["comparison"] == "EQUALS"]
    if eq_accounts:
        wanted_accounts = set(eq_accounts)
    return keep, wanted_accounts


# --- operations --------------------------------------------------------------------------------------------------

def _visible(ctx, coverage=False):
    """Accounts whose Inspector data the caller sees, in listing order (by id): itself and, as delegated
    administrator, its ENABLED members. Returns (admin, members, visible list). Fixtures without an
    "organization" keep their older meaning: the admin sees the other accounts' status, but ListCoverage shows
    its own functions only."""
    admin, members = orgs.inspector_view(ctx.state, ctx.account)
    if coverage and orgs.organization(ctx.state) is None:
        members = {}
    enabled = sorted(a for a, rel in members.items() if rel == "ENABLED")
    return admin, members, sorted(set(enabled) | {ctx.account})


def _account_ids(body):
    ids = body.get("accountIds")
    if ids is None:
        return None
    if not isinstance(ids, list) or len(ids) > 100 or \
            not all(isinstance(a, str) and _ACCOUNT_ID.match(a) for a in ids):
        raise _validation("accountIds must be a list of at most 100 twelve-digit account ids")
    return ids


def batch_get_account_status(ctx, body):
    ids = _account_ids(body) or [ctx.account]
    admin, members, visible = _visible(ctx)
    known = orgs.organization(ctx.state)
    accounts, failed = [], []
    for aid in ids:
        if aid in visible:
            cfg = account_config(ctx.state, aid, ctx.region)
            accounts.append({"accountId": aid, "state": {"status": cfg["status"]},
                             "resourceState": {k: {"status": cfg[k]} for k in ("ec2", "ecr", "lambda",
                                                                                   "lambdaCode")}})
        elif admin and aid not in members and not (known and known.contains(aid)) and not ctx.state.account(aid):
            failed.append({"accountId": aid, "errorCode": "RESOURCE_NOT_FOUND",
                           "errorMessage": "Account %s is not a member of this organization" % aid})
        else:
            failed.append({"accountId": aid, "errorCode": "ACCESS_DENIED",
                           "errorMessage": "Caller is not the delegated administrator of account %s" % aid})
    return {"accounts": accounts, "failedAccounts": failed}


def list_coverage(ctx, body):
    page_size = _int(body, "maxResults", 1, 200, 100)
    keep, wanted = coverage_filter(body.get("filterCriteria") or {})
    start = _untoken("cov", body, lambda v: isinstance(v, list) and len(v) == 3 and
                     all(isinstance(x, int) and x >= 0 for x in v)) or [0, 0, 0]
    _, _, visible = _visible(ctx, coverage=True)
    accounts = [a for a in visible if wanted is None or a in wanted]
    entries, token = [], None
    # The token is (account index, function position, entry within it): a page costs what it scans, so the fake
    # stays fast with 100,000 functions.
    ai, pos, skip = start
    while ai < len(accounts) and token is None:
        cfg = account_config(ctx.state, accounts[ai], ctx.region)
        names, funcs = ctx.state.functions_in(accounts[ai], ctx.region)
        while cfg["status"] == "ENABLED" and pos < len(names) and token is None:
            fn = funcs.get(names[pos])
            found = [e for e in coverage(fn, cfg, ctx.now) if keep(e)] if fn is not None else []
            for i in range(skip, len(found)):
                if len(entries) == page_size:
                    token = [ai, pos, i]
                    break
                entries.append(found[i])
            skip = 0
            pos += 1
        if token is None:
            ai, pos = ai + 1, 0
    out = {"coveredResources": entries}
    if token is not None:
        out["nextToken"] = _token("cov", token)
    return out


def list_members(ctx, body):
    size = _int(body, "maxResults", 1, 50, 50)
    only = body.get("onlyAssociated", True)
    if not isinstance(only, bool):
        raise _validation("onlyAssociated must be a boolean", "CANNOT_PARSE")
    admin, members, _ = _visible(ctx)
    org = orgs.organization(ctx.state)
    if not admin and org is not None and org.contains(ctx.account):
        raise AwsError("AccessDeniedException", "Invoking account %s is not the delegated administrator for "
                       "Amazon Inspector" % ctx.account, 403)
    rows = [{"accountId": aid, "relationshipStatus": rel, "delegatedAdminAccountId": ctx.account,
             "updatedAt": 1704067200} for aid, rel in sorted(members.items()) if not only or rel == "ENABLED"]
    start = _untoken("mem", body, lambda v: isinstance(v, int) and 0 < v < len(rows)) or 0
    out = {"members": rows[start:start + size]}
    if start + size < len(rows):
        out["nextToken"] = _token("mem", start + size)
    return out


def list_delegated_admin_accounts(ctx, body):
    _int(body, "maxResults", 1, 5, 5)
    _untoken("dadm", body, lambda v: False)
    org = orgs.organization(ctx.state)
    if org is None or ctx.account != org.management:
        raise AwsError("AccessDeniedException", "Only the organization's management account can list delegated "
                       "administrators", 403)
    rows = [{"accountId": org.inspector_admin, "status": "ENABLED"}] if org.inspector_admin else []
    return {"delegatedAdminAccounts": rows}


_OPS = {"BatchGetAccountStatus": batch_get_account_status, "ListCoverage": list_coverage,
        "ListMembers": list_members, "ListDelegatedAdminAccounts": list_delegated_admin_accounts}


def execute(ctx, op):
    body = ctx.json_body()
    ctx.authorize("inspector2:" + op)
    return json_response(SERVICE, _OPS[op](ctx, body))
