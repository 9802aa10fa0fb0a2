"""STS (query protocol: form-encoded POST, XML answers) for the fake AWS: GetCallerIdentity, AssumeRole,
AssumeRoleWithWebIdentity. Temporary credentials it issues are then accepted by every service, scoped to the
role's account.
"""

import re
import urllib.parse

from fakeaws_protocol import AwsError, sts_response, xml_text, access_denied

UNSIGNED_ACTIONS = {"AssumeRoleWithWebIdentity"}
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
CHAIN_LIMIT = 3600


def sts_params(method, raw_query, headers, body):
    """Query-protocol parameters: the form body of a POST (and the query string of a GET)."""
    params = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
    ctype = headers.get("content-type", "")
    if method == "POST" and body and ctype.startswith("application/x-www-form-urlencoded"):
        try:
            params.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            pass
    return params


def sts_route(ctx):
    params = sts_params(ctx.method, ctx.raw_query, ctx.headers, ctx.body)
    ctx.params = params
    action = params.get("Action")
    if not action:
        raise AwsError("MissingAction", "Missing Action", 400)
    if action not in ("GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity"):
        raise AwsError("InvalidAction", "Could not find operation %s for version 2011-06-15" % action[:64], 400)
    return action


def _validation(value, field, constraint):
    return AwsError("ValidationError", "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                    "constraint: %s" % (str(value)[:128], field, constraint), 400)


def _duration(params, role, chained):
    raw = params.get("DurationSeconds")
    if raw is None:
        return 3600
    try:
        n = int(raw)
    except ValueError:
        raise _validation(raw, "durationSeconds", "Member must be an integer")
    if n < 900:
        raise _validation(n, "durationSeconds", "Member must have value greater than or equal to 900")
    if n > 43200:
        raise _validation(n, "durationSeconds", "Member must have value less than or equal to 43200")
    if chained and n > CHAIN_LIMIT:
        raise AwsError("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for "
                       "roles assumed by role chaining.", 400)
    if n > int(role.get("max_session_duration", 3600)):
        raise AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for "
                       "this role.", 400)
    return n


def _trusted(role, role_account, caller):
    for entry in role.get("trust", []):
        entry = str(entry)
        if entry == "*" or entry == caller.account or entry == caller.arn:
            return True
        # A role ARN in a trust policy admits that role's sessions (role chaining).
        if caller.kind == "assumed-role" and entry.endswith(":role/" + caller.role["name"]) and \
                entry.split(":")[4] == caller.account:
            return True
    return False


def _credentials_xml(cred, role_id, session, role_arn):
    return ("    <AssumedRoleUser>\n      <AssumedRoleId>%s:%s</AssumedRoleId>\n      <Arn>%s</Arn>\n"
            "    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>%s</AccessKeyId>\n"
            "      <SecretAccessKey>%s</SecretAccessKey>\n      <SessionToken>%s</SessionToken>\n"
            "      <Expiration>%s</Expiration>\n    </Credentials>\n"
            % (role_id, xml_text(session), xml_text(role_arn), cred.access_key_id, cred.secret, cred.token,
               cred.expiration.strftime("%Y-%m-%dT%H:%M:%SZ")))


def _session_name(params):
    name = params.get("RoleSessionName")
    if name is None:
        raise _validation("null", "roleSessionName", "Member must not be null")
    if len(name) < 2:
        raise _validation(name, "roleSessionName", "Member must have length greater than or equal to 2")
    if len(name) > 64:
        raise _validation(name, "roleSessionName", "Member must have length less than or equal to 64")
    if not _SESSION_NAME.match(name):
        raise _validation(name, "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*")
    return name


def _session_seconds(ctx, duration):
    """The credentials' lifetime: the duration asked for, unless the sts_session_seconds setting shortens it."""
    faults = getattr(ctx, "faults", None)
    override = faults.config.get("sts_session_seconds") if faults is not None else None
    return float(override) if override else duration


def _record(ctx, op, params, duration, cred, caller):
    faults = getattr(ctx, "faults", None)
    if faults is not None:
        faults.record_sts_session({
            "action": op, "role_arn": params.get("RoleArn"), "session_name": params.get("RoleSessionName"),
            "duration_seconds": duration if params.get("DurationSeconds") is not None else None,
            "external_id": params.get("ExternalId"), "caller": caller.arn if caller is not None else None,
            "access_key_id": cred.access_key_id, "expiration": cred.expiration.strftime("%Y-%m-%dT%H:%M:%SZ")})


def sts_execute(ctx, op):
    p = ctx.params
    st = ctx.state
    if op == "GetCallerIdentity":
        pr = ctx.principal
        xml = ("    <Arn>%s</Arn>\n    <UserId>%s</UserId>\n    <Account>%s</Account>\n"
               % (xml_text(pr.arn), xml_text(pr.user_id), pr.account))
        return sts_response(op, xml, ctx.request_id)
    role_arn = p.get("RoleArn")
    if not role_arn:
        raise _validation("null", "roleArn", "Member must not be null")
    if len(role_arn) < 20:
        raise _validation(role_arn, "roleArn", "Member must have length greater than or equal to 20")
    session = _session_name(p)
    role_account, role = st.find_role(role_arn)
    if op == "AssumeRole":
        caller = ctx.principal
        if caller.is_denied("sts:AssumeRole"):
            raise access_denied("sts", caller.arn, "sts:AssumeRole", role_arn)
        want = (role or {}).get("external_id")
        if role is None or not _trusted(role, role_account, caller) or (want is not None and
                                                                          p.get("ExternalId") != want):
            # the trust policy's refusal (an unknown role, an untrusted caller, a missing or wrong external id):
            # AWS words it without the identity-policy clause
            raise AwsError("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                           % (caller.arn, role_arn), 403)
        duration = _duration(p, role, caller.kind == "assumed-role")
        cred, role_id = st.issue_temporary(role_account, role, session, caller, _session_seconds(ctx, duration),
                                           ctx.now)
        _record(ctx, op, p, duration, cred, caller)
        xml = _credentials_xml(cred, role_id, session, cred.principal.arn)
        xml += "    <PackedPolicySize>0</PackedPolicySize>\n" if p.get("Policy") else ""
        return sts_response(op, xml, ctx.request_id)
    # AssumeRoleWithWebIdentity: the token is the credential; no signature needed.
    token = p.get("WebIdentityToken")
    if not token or len(token) < 4:
        raise _validation("null" if not token else "***", "webIdentityToken",
                          "Member must have length greater than or equal to 4")
    web = (role or {}).get("web_identity")
    if token in (web or {}).get("expired_tokens", []):
        raise AwsError("ExpiredTokenException", "Token expired: current date/time %s must be before the expiration "
                       "date/time" % ctx.now.strftime("%Y-%m-%dT%H:%M:%SZ"), 400)
    if role is None or web is None:
        raise AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403)
    if token not in web.get("tokens", []):
        raise AwsError("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider, "
                       "please reference AssumeRoleWithWebIdentity documentation for requirements", 400)
    duration = _duration(p, role, False)
    cred, role_id = st.issue_temporary(role_account, role, session, None, _session_seconds(ctx, duration), ctx.now)
    _record(ctx, op, p, duration, cred, None)
    xml = _credentials_xml(cred, role_id, session, cred.principal.arn)
    xml += ("    <SubjectFromWebIdentityToken>%s</SubjectFromWebIdentityToken>\n    <Audience>%s</Audience>\n"
            "    <Provider>%s</Provider>\n"
            % (xml_text(web.get("subject", "repo:example/repo:ref:refs/heads/main")),
               xml_text(web.get("audience", "sts.amazonaws.com")),
               xml_text(web.get("provider", "token.actions.githubusercontent.com"))))
    return sts_response(op, xml, ctx.request_id)
