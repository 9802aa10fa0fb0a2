"""Wire formats of the four services the fake serves: success and error bodies, headers, and AWS's front-end
errors (authentication, throttling, 5xx) in each service's own shape.

Protocols (from ../shared/aws-models/*/service-2.json): lambda and inspector2 are rest-json, tagging is json 1.1
(X-Amz-Target), sts is query (form-encoded POST, XML answers).
"""

import json
from xml.sax.saxutils import escape as _xml_escape

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"

CONTENT_TYPES = {
    "lambda": "application/json",
    "inspector2": "application/json",
    "tagging": "application/x-amz-json-1.1",
    "organizations": "application/x-amz-json-1.1",
    "sts": "text/xml",
}

# Error codes whose message key AWS spells "Message" in Lambda's bodies; the rest use "message".
_LAMBDA_CAPITAL_MESSAGE = {"ResourceNotFoundException", "ServiceException", "AccessDeniedException",
                           "ResourceConflictException"}
# Front-end errors (raised before the service) use "message" even in the tagging API's json 1.1 bodies.
_FRONT_END = {"UnrecognizedClientException", "InvalidSignatureException", "MissingAuthenticationTokenException",
              "IncompleteSignatureException", "ExpiredTokenException", "ThrottlingException",
              "UnknownOperationException", "SerializationException"}


class AwsError(Exception):
    """An error as the service returns it: code, HTTP status, message, extra body fields."""

    def __init__(self, code, message, status=400, sender=True, fields=None, headers=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender
        self.fields = fields or {}
        self.headers = headers or {}


class Response:
    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})


def json_response(service, obj, status=200):
    return Response(status, json.dumps(obj, separators=(",", ":")), CONTENT_TYPES[service])


def xml_text(value):
    return _xml_escape(str(value))


def sts_response(action, result_xml, request_id):
    body = ('<%sResponse xmlns="%s">\n  <%sResult>\n%s  </%sResult>\n  <ResponseMetadata>\n'
            '    <RequestId>%s</RequestId>\n  </ResponseMetadata>\n</%sResponse>\n'
            % (action, STS_NS, action, result_xml, action, request_id, action))
    return Response(200, body, CONTENT_TYPES["sts"])


def error_response(service, err, request_id):
    """Render an AwsError in the service's wire format."""
    headers = dict(err.headers)
    if service == "sts":
        body = ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n    <Code>%s</Code>\n'
                '    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
                % (STS_NS, "Sender" if err.sender else "Receiver", xml_text(err.code), xml_text(err.message),
                   request_id))
        return Response(err.status, body, CONTENT_TYPES["sts"], headers)
    headers["x-amzn-ErrorType"] = err.code
    if service == "lambda":
        key = "Message" if err.code in _LAMBDA_CAPITAL_MESSAGE else "message"
        obj = {"Type": "User" if err.sender else "Service", key: err.message}
    elif service in ("tagging", "organizations"):     # json 1.1
        key = "message" if err.code in _FRONT_END else "Message"
        obj = {"__type": err.code, key: err.message}
    else:
        obj = {"message": err.message}
    obj.update(err.fields)
    body = json.dumps(obj, separators=(",", ":"))
    return Response(err.status, body, CONTENT_TYPES.get(service, "application/json"), headers)


# --- front-end errors, per service ---------------------------------------------------------------------------

_AUTH = {
    # kind: (json code, json status, sts code, sts status)
    "missing": ("MissingAuthenticationTokenException", 403, "MissingAuthenticationToken", 403),
    "incomplete": ("IncompleteSignatureException", 403, "IncompleteSignature", 400),
    "unknown-key": ("UnrecognizedClientException", 403, "InvalidClientTokenId", 403),
    "bad-token": ("UnrecognizedClientException", 403, "InvalidClientTokenId", 403),
    "expired-token": ("ExpiredTokenException", 403, "ExpiredToken", 400),
    "mismatch": ("InvalidSignatureException", 403, "SignatureDoesNotMatch", 403),
    "skew": ("InvalidSignatureException", 403, "SignatureDoesNotMatch", 403),
    "scope": ("InvalidSignatureException", 403, "SignatureDoesNotMatch", 403),
}


def auth_error(service, kind, message):
    jcode, jstatus, scode, sstatus = _AUTH[kind]
    if service == "sts":
        if kind == "missing":
            message = "Request is missing Authentication Token"
        return AwsError(scode, message, sstatus)
    return AwsError(jcode, message, jstatus)


def throttle_error(service, retry_after=None):
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if service == "lambda":
        return AwsError("TooManyRequestsException", "Rate exceeded", 429,
                        fields={"Reason": "CallerRateLimitExceeded"}, headers=headers)
    if service == "tagging":
        return AwsError("ThrottlingException", "Rate exceeded", 400, headers=headers)
    if service == "sts":
        return AwsError("Throttling", "Rate exceeded", 400, headers=headers)
    if service == "organizations":
        return AwsError("TooManyRequestsException", "Rate exceeded", 400, fields={"Type": "client"},
                        headers=headers)
    return AwsError("ThrottlingException", "Rate exceeded", 429, headers=headers)


def server_error(service, status):
    if status == 503:
        if service == "sts":
            return AwsError("ServiceUnavailable", "Service is unavailable. Please try again later.", 503,
                            sender=False)
        return AwsError("ServiceUnavailableException", "Service Unavailable", 503, sender=False)
    code = {"lambda": "ServiceException", "tagging": "InternalServiceException", "sts": "InternalFailure",
            "inspector2": "InternalServerException", "organizations": "ServiceException"}[service]
    return AwsError(code, "We encountered an internal error. Please try again.", 500, sender=False)


def access_denied(service, principal_arn, action, resource=None):
    """AWS's implicit-deny message, naming the missing IAM action (and resource when there is one)."""
    msg = "User: %s is not authorized to perform: %s" % (principal_arn, action)
    if resource:
        msg += " on resource: %s" % resource
    msg += " because no identity-based policy allows the %s action" % action
    if service == "sts":
        return AwsError("AccessDenied", msg, 403)
    if service in ("tagging", "organizations"):
        return AwsError("AccessDeniedException", msg, 400)
    return AwsError("AccessDeniedException", msg, 403)


def malformed_body(service, body):
    """A 200 whose body does not parse: the first part of a real answer, then garbage."""
    half = body[: max(1, len(body) // 2)]
    if service == "sts":
        return half + b"<Credentials><</unterminated"
    return half + b'\x00}{"oops": ]'
