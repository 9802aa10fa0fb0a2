"""The IAM Identity Center (AWS SSO) portal API, served by the fake on the same loopback port, in its wire format
(restJson1, ../shared/aws-models/sso): GetRoleCredentials is

    GET /federation/credentials?role_name=R&account_id=A      header x-amz-sso_bearer_token: TOKEN

answering {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration": epoch ms}}. Errors as
the portal sends them: the code in x-amzn-ErrorType, {"message": ...} as the body — 401 UnauthorizedException
("Session token not found or invalid": unknown, expired or revoked token), 403 ForbiddenException ("No access":
the role is not assigned to the token's user), 400 InvalidRequestException, 429 TooManyRequestsException.

Tokens exist only once a test registers them (POST /__fake/sso/tokens), as `aws sso login` would have made the
portal issue them; the test writes the same token into the cache file the client reads. The role credentials are
temporary credentials of the fixture account (state.issue_temporary), for the role AWSReservedSSO_<role>_<hash>
with the user as session name, exactly the shape real SSO sessions have, so STS GetCallerIdentity reports them.

Registration hook: fake_aws.py keeps a list of extensions, each with `name`, handles(method, path, headers),
serve(method, path, query, headers, now) -> Response, control(method, path, body) -> dict or None, stats() and
reset(); add another API the same way.
"""

import datetime
import hashlib
import json
import threading
import urllib.parse

from fakeaws_protocol import Response

PATH = "/federation/credentials"
ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.switchboard.portal/"


def _iso(value):
    if value is None:
        return None
    dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=datetime.timezone.utc)


def _error(status, code, message):
    return Response(status, json.dumps({"message": message}), "application/json",
                    {"x-amzn-ErrorType": "%s:%s" % (code, ERROR_NAMESPACE)})


class Portal:
    name = "sso"

    def __init__(self, state):
        self.state = state
        self.lock = threading.Lock()
        self.tokens = {}     # access token -> {"user", "expires_at" (datetime or None), "assignments", "revoked"}
        self.calls = []      # one per GetRoleCredentials: account_id, role_name, status, access_key_id

    # --- registration hook -------------------------------------------------------------------------------------

    def handles(self, method, path, headers):
        return path == PATH

    def control(self, method, path, body):
        """POST /__fake/sso/tokens {"access_token", "user", "expires_at" (ISO, optional), "assignments":
        [{"account_id", "role_name", "session_seconds" (default 3600)}]}; POST /__fake/sso/revoke {"access_token"};
        GET /__fake/sso/calls."""
        if (method, path) == ("POST", "/__fake/sso/tokens"):
            token = body["access_token"]
            if not isinstance(token, str) or not token:
                raise ValueError("access_token must be a non-empty string")
            assignments = []
            for a in body.get("assignments", []):
                assignments.append({"account_id": str(a["account_id"]), "role_name": str(a["role_name"]),
                                    "session_seconds": int(a.get("session_seconds", 3600))})
            with self.lock:
                self.tokens[token] = {"user": body.get("user", "user@example.com"),
                                      "expires_at": _iso(body.get("expires_at")), "assignments": assignments,
                                      "revoked": False}
            return {"ok": True}
        if (method, path) == ("POST", "/__fake/sso/revoke"):
            with self.lock:
                entry = self.tokens.get(body.get("access_token"))
                if entry:
                    entry["revoked"] = True
            return {"revoked": bool(entry)}
        if (method, path) == ("GET", "/__fake/sso/calls"):
            return self.stats()
        return None

    def stats(self):
        with self.lock:
            return {"get_role_credentials": list(self.calls)}

    def reset(self):
        with self.lock:
            self.calls = []

    # --- the API -----------------------------------------------------------------------------------------------

    def serve(self, method, path, query, headers, now):
        resp, call = self._get_role_credentials(method, query, headers, now)
        with self.lock:
            self.calls.append(dict(call, status=resp.status))
        return resp

    def _get_role_credentials(self, method, query, headers, now):
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        call = {"account_id": params.get("account_id"), "role_name": params.get("role_name"), "access_key_id": None}
        if method != "GET":
            return _error(405, "MethodNotAllowedException", "Method not allowed"), call
        token = headers.get("x-amz-sso_bearer_token")
        # the service checks the token before the parameters
        with self.lock:
            entry = self.tokens.get(token) if token else None
        if entry is None or entry["revoked"] or (entry["expires_at"] is not None and now >= entry["expires_at"]):
            return _error(401, "UnauthorizedException", "Session token not found or invalid"), call
        if not call["account_id"] or not call["role_name"]:
            return _error(400, "InvalidRequestException", "Missing required parameter"), call
        assigned = [a for a in entry["assignments"]
                    if a["account_id"] == call["account_id"] and a["role_name"] == call["role_name"]]
        if not assigned or self.state.account(call["account_id"]) is None:
            return _error(403, "ForbiddenException", "No access"), call
        a = assigned[0]
        suffix = hashlib.sha256(("%s|%s" % (a["account_id"], a["role_name"])).encode()).hexdigest()[:16]
        role = {"name": "AWSReservedSSO_%s_%s" % (a["role_name"], suffix)}
        cred, _ = self.state.issue_temporary(a["account_id"], role, entry["user"], None, a["session_seconds"], now)
        call["access_key_id"] = cred.access_key_id
        expiration_ms = int(cred.expiration.timestamp() * 1000)
        body = {"roleCredentials": {"accessKeyId": cred.access_key_id, "secretAccessKey": cred.secret,
                                    "sessionToken": cred.token, "expiration": expiration_ms}}
        return Response(200, json.dumps(body), "application/json"), call
