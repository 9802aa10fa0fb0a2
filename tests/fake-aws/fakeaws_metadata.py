"""Credential endpoints of compute environments, served by the fake on the same loopback port:

- EC2 instance metadata, IMDSv2 only (as on an instance with HttpTokens=required): PUT /latest/api/token with
  X-aws-ec2-metadata-token-ttl-seconds, then GET /latest/meta-data/iam/security-credentials/[ROLE] with
  X-aws-ec2-metadata-token. Without a valid token: 401, as EC2 answers.
- ECS container credentials: GET <fixture path> with the Authorization token the fixture names (what
  AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN point a client to).

Both hand out temporary credentials of a fixture role, which the fake then accepts like STS's.
"""

import json
import secrets
import threading
import time

from fakeaws_protocol import Response

IMDS_PREFIX = "/latest/"


class Metadata:
    def __init__(self, state):
        self.state = state
        self.lock = threading.Lock()
        self.tokens = {}            # IMDS session token -> expiry (monotonic)
        self.requests = {"imds": 0, "ecs": 0}
        self.overrides = {}

    def _config(self, key):
        if key in self.overrides:
            return self.overrides[key]
        return self.state.fixture.get(key)

    def update(self, settings):
        """POST /__fake/metadata: replace "instance_metadata" and/or "ecs" (null restores the fixture's)."""
        for key, value in settings.items():
            if key not in ("instance_metadata", "ecs"):
                raise ValueError("unknown metadata setting: %s" % key)
            if value is None:
                self.overrides.pop(key, None)
            else:
                self.overrides[key] = value

    def _mint(self, cfg, now):
        account, role = self.state.find_role(cfg["role_arn"])
        if role is None:
            return None
        cred, _ = self.state.issue_temporary(account, role, cfg.get("session_name", "i-0fake00000000000a"), None,
                                             int(cfg.get("duration_seconds", 21600)), now)
        return cred

    def handles(self, path):
        ecs = self._config("ecs") or {}
        return path.startswith(IMDS_PREFIX) or (ecs.get("path") and path == ecs["path"])

    def serve(self, method, path, headers, now):
        if path.startswith(IMDS_PREFIX):
            with self.lock:
                self.requests["imds"] += 1
            return self._imds(method, path, headers, now)
        with self.lock:
            self.requests["ecs"] += 1
        return self._ecs(method, headers, now)

    # --- IMDSv2 ----------------------------------------------------------------------------------------------

    def _imds(self, method, path, headers, now):
        cfg = self._config("instance_metadata")
        if cfg is None:
            return Response(404, "Not Found", "text/plain")
        if headers.get("x-forwarded-for"):
            return Response(403, "Forbidden", "text/plain")
        if path == "/latest/api/token":
            if method != "PUT":
                return Response(405, "Method Not Allowed", "text/plain")
            try:
                ttl = int(headers.get("x-aws-ec2-metadata-token-ttl-seconds", ""))
            except ValueError:
                return Response(400, "Bad Request", "text/plain")
            if not 1 <= ttl <= 21600:
                return Response(400, "Bad Request", "text/plain")
            token = "AQAEAFake" + secrets.token_urlsafe(32)
            with self.lock:
                self.tokens[token] = time.monotonic() + ttl
            return Response(200, token, "text/plain", {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})
        token = headers.get("x-aws-ec2-metadata-token")
        with self.lock:
            expiry = self.tokens.get(token) if token else None
        if expiry is None or expiry < time.monotonic():
            return Response(401, "Unauthorized", "text/plain")
        if method != "GET":
            return Response(405, "Method Not Allowed", "text/plain")
        role_name = cfg["role_arn"].split("/")[-1]
        base = "/latest/meta-data/iam/security-credentials/"
        if path == base:
            return Response(200, role_name, "text/plain")
        if path in (base + role_name, base + role_name + "/"):
            cred = self._mint(cfg, now)
            if cred is None:
                return Response(404, "Not Found", "text/plain")
            body = {"Code": "Success", "LastUpdated": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "Type": "AWS-HMAC",
                    "AccessKeyId": cred.access_key_id, "SecretAccessKey": cred.secret, "Token": cred.token,
                    "Expiration": cred.expiration.strftime("%Y-%m-%dT%H:%M:%SZ")}
            return Response(200, json.dumps(body, indent=2), "text/plain")
        if path == "/latest/meta-data/placement/region":
            return Response(200, cfg.get("region", "us-east-1"), "text/plain")
        return Response(404, "Not Found", "text/plain")

    # --- ECS -------------------------------------------------------------------------------------------------

    def _ecs(self, method, headers, now):
        cfg = self._config("ecs")
        want = cfg.get("authorization_token")
        if want is not None and headers.get("authorization") != want:
            return Response(401, json.dumps({"code": "AccessDenied", "message": "Unauthorized"}),
                            "application/json")
        if method != "GET":
            return Response(405, "Method Not Allowed", "text/plain")
        cred = self._mint(cfg, now)
        if cred is None:
            return Response(404, json.dumps({"code": "NotFound", "message": "role not found"}), "application/json")
        body = {"AccessKeyId": cred.access_key_id, "SecretAccessKey": cred.secret, "Token": cred.token,
                "Expiration": cred.expiration.strftime("%Y-%m-%dT%H:%M:%SZ"), "RoleArn": cfg["role_arn"]}
        return Response(200, json.dumps(body), "application/json")
