"""Lambda and Resource Groups Tagging API operations of the fake AWS (Inspector2: fakeaws_inspector2.py).

Each service has route(ctx) -> operation name (or raises AwsError for an unknown operation) and
execute(ctx, op) -> Response. Shapes follow ../shared/aws-models/<service>/service-2.json.
"""

import base64
import bisect
import json
import re
import urllib.parse

from fakeaws_protocol import AwsError, Response, json_response, access_denied
from fakeaws_state import partition_of

MAX_LIST_FUNCTIONS = 50
MAX_RESOURCES_PER_PAGE = 100


class Ctx:
    """One request as the services see it (after authentication)."""

    def __init__(self, method, raw_path, raw_query, headers, body, service, region, principal, state, now,
                 request_id):
        self.method = method
        self.raw_path = raw_path
        self.path = urllib.parse.unquote(raw_path)
        self.raw_query = raw_query
        self.query = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
        self.headers = headers
        self.body = body
        self.service = service
        self.region = region
        self.principal = principal
        self.state = state
        self.now = now
        self.request_id = request_id
        self.params = {}
        self.op = None

    @property
    def state_partition(self):
        return partition_of(self.region)

    @property
    def account(self):
        return self.principal.account if self.principal else None

    def q(self, name):
        for k, v in self.query:
            if k == name:
                return v
        return None

    def q_all(self, name):
        return [v for k, v in self.query if k == name]

    def json_body(self):
        if not self.body:
            return {}
        try:
            obj = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise AwsError("SerializationException", "Could not parse request body into json", 400)
        if not isinstance(obj, dict):
            raise AwsError("SerializationException", "Request body must be a JSON object", 400)
        return obj

    def authorize(self, action, resource=None):
        if self.principal is not None and self.principal.is_denied(action):
            raise access_denied(self.service, self.principal.arn, action, resource)


def _token(kind, value):
    return base64.urlsafe_b64encode(json.dumps({"k": kind, "v": value}).encode()).decode()


def _untoken(kind, token, error):
    try:
        obj = json.loads(base64.urlsafe_b64decode(token.encode()).decode())
        if obj.get("k") != kind:
            raise ValueError(kind)
        return obj["v"]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise error


def _int_param(value, name, lo, hi, err_code):
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise AwsError(err_code, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: "
                       "Member must be an integer" % (str(value)[:64], name), 400)
    if n < lo or n > hi:
        raise AwsError(err_code, "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: "
                       "Member must have value between %d and %d" % (n, name, lo, hi), 400)
    return n


# --- Lambda ------------------------------------------------------------------------------------------------------

_LAMBDA_ROUTES = [
    ("GET", re.compile(r"^/2015-03-31/functions/?$"), "ListFunctions"),
    ("GET", re.compile(r"^/2015-03-31/functions/([^/]+)/?$"), "GetFunction"),
    ("GET", re.compile(r"^/2017-03-31/tags/([^/]+)$"), "ListTags"),
    ("POST", re.compile(r"^/2017-03-31/tags/([^/]+)$"), "TagResource"),
    ("DELETE", re.compile(r"^/2017-03-31/tags/([^/]+)$"), "UntagResource"),
]


def lambda_route(ctx):
    # Match on the raw path so an ARN's percent-encoded characters stay inside one segment.
    for method, rx, op in _LAMBDA_ROUTES:
        m = rx.match(ctx.raw_path)
        if m and ctx.method == method:
            ctx.params["target"] = urllib.parse.unquote(m.group(1)) if m.groups() else None
            return op
    raise AwsError("UnknownOperationException", "Unknown operation %s %s" % (ctx.method, ctx.path[:200]), 404)


def _resolve_function(ctx, ident, must_be_arn):
    """Name, partial or full ARN -> Function, or the error Lambda gives (404 / 400 / 403)."""
    region, account, name, qualifier = ctx.region, ctx.account, ident, None
    if ident.startswith("arn:"):
        parts = ident.split(":")
        if len(parts) < 7 or parts[2] != "lambda" or parts[5] != "function":
            raise AwsError("InvalidParameterValueException", "Invalid ARN: %s" % ident[:256], 400)
        region, account, name = parts[3], parts[4], parts[6]
        qualifier = parts[7] if len(parts) > 7 else None
    elif must_be_arn:
        raise AwsError("InvalidParameterValueException", "1 validation error detected: Value '%s' at 'resource' "
                       "failed to satisfy constraint: Member must satisfy regular expression pattern: arn:..."
                       % ident[:256], 400)
    elif ident.count(":") >= 2:                       # 123456789012:function:name[:qualifier]
        parts = ident.split(":")
        account, name = parts[0], parts[2]
        qualifier = parts[3] if len(parts) > 3 else None
    elif ":" in ident:                                # name:qualifier
        name, qualifier = ident.split(":", 1)
    if region != ctx.region:
        raise AwsError("InvalidParameterValueException", "Functions from '%s' are not reachable in this region "
                       "('%s')" % (region, ctx.region), 400)
    arn = "arn:%s:lambda:%s:%s:function:%s" % (ctx.state_partition, region, account, name)
    if qualifier:
        arn += ":" + qualifier
    if account != ctx.account:
        raise access_denied("lambda", ctx.principal.arn, "lambda:" + ctx.op, arn)
    fn = ctx.state.function(account, region, name)
    if fn is None or (qualifier not in (None, "$LATEST")):
        raise AwsError("ResourceNotFoundException", "Function not found: %s" % arn, 404)
    return fn


def _validate_tags(tags):
    if not isinstance(tags, dict) or not tags:
        raise AwsError("InvalidParameterValueException", "Tags must be a non-empty map", 400)
    for k, v in tags.items():
        if not isinstance(v, str) or not (1 <= len(k) <= 128) or len(v) > 256:
            raise AwsError("InvalidParameterValueException", "Invalid tag: key length must be 1-128 and value "
                           "length 0-256", 400)
        if k.lower().startswith("aws:"):
            raise AwsError("InvalidParameterValueException", "Tag keys prefixed with 'aws:' are reserved", 400)


def lambda_execute(ctx, op):
    st = ctx.state
    if op == "ListFunctions":
        ctx.authorize("lambda:ListFunctions", "*")
        max_items = MAX_LIST_FUNCTIONS
        if ctx.q("MaxItems") is not None:
            max_items = min(_int_param(ctx.q("MaxItems"), "maxItems", 1, 10000, "InvalidParameterValueException"),
                            MAX_LIST_FUNCTIONS)
        names = st.function_names(ctx.account, ctx.region)
        start = 0
        marker = ctx.q("Marker")
        if marker:
            after = _untoken("lf", marker, AwsError("InvalidParameterValueException",
                                                    "Invalid marker: %s" % marker[:64], 400))
            start = bisect.bisect_right(names, after)
        page = []
        for name in names[start:start + max_items]:
            fn = st.function(ctx.account, ctx.region, name)
            if fn is not None:
                page.append(fn.configuration())
        out = {"Functions": page}
        if start + max_items < len(names):
            out["NextMarker"] = _token("lf", names[start + max_items - 1])
        return json_response("lambda", out)
    target = ctx.params["target"]
    if op == "GetFunction":
        fn = _resolve_function(ctx, target, must_be_arn=False)
        ctx.authorize("lambda:GetFunction", fn.arn)
        out = {"Configuration": fn.configuration()}
        if fn.package_type == "Image":
            out["Code"] = {"RepositoryType": "ECR", "ImageUri": "%s.dkr.ecr.%s.amazonaws.com/%s:latest"
                           % (fn.account, fn.region, fn.name)}
        else:
            out["Code"] = {"RepositoryType": "S3", "Location": "https://awslambda-%s-tasks.s3.%s.amazonaws.com/"
                           "snapshots/%s/%s-fake-code" % (fn.region, fn.region, fn.account, fn.name)}
        if fn.tags:
            out["Tags"] = dict(fn.tags)
        return json_response("lambda", out)
    fn = _resolve_function(ctx, target, must_be_arn=True)
    if op == "ListTags":
        ctx.authorize("lambda:ListTags", fn.arn)
        return json_response("lambda", {"Tags": dict(fn.tags)})
    if op == "TagResource":
        ctx.authorize("lambda:TagResource", fn.arn)
        body = ctx.json_body()
        _validate_tags(body.get("Tags"))
        if len(set(fn.tags) | set(body["Tags"])) > 50:
            raise AwsError("InvalidParameterValueException", "Number of tags exceeds resource tag limit.", 400)
        st.tag(fn, body["Tags"])
        return Response(204, b"")
    if op == "UntagResource":
        ctx.authorize("lambda:UntagResource", fn.arn)
        keys = ctx.q_all("tagKeys")
        if not keys:
            raise AwsError("InvalidParameterValueException", "tagKeys must not be empty", 400)
        st.untag(fn, keys)
        return Response(204, b"")
    raise AwsError("UnknownOperationException", "Unknown operation", 404)


# --- Resource Groups Tagging API ---------------------------------------------------------------------------------

TAGGING_PREFIX = "ResourceGroupsTaggingAPI_20170126."


def tagging_route(ctx):
    target = ctx.headers.get("x-amz-target", "")
    if ctx.method != "POST" or not target.startswith(TAGGING_PREFIX):
        raise AwsError("UnknownOperationException", "Unknown operation", 400)
    op = target[len(TAGGING_PREFIX):]
    if op != "GetResources":
        raise AwsError("UnknownOperationException", "The fake does not implement %s" % op[:64], 400)
    return op


def _type_matches(filters):
    if not filters:
        return True
    return any(f in ("lambda", "lambda:function") for f in filters)


def _tags_match(tags, tag_filters):
    for flt in tag_filters:
        key = flt.get("Key")
        if key not in tags:
            return False
        values = flt.get("Values") or []
        if values and tags[key] not in values:
            return False
    return True


def tagging_execute(ctx, op):
    ctx.authorize("tag:GetResources")
    body = ctx.json_body()
    bad = AwsError("InvalidParameterException", "", 400)
    per_page = MAX_RESOURCES_PER_PAGE
    if body.get("ResourcesPerPage") is not None:
        per_page = _int_param(body["ResourcesPerPage"], "resourcesPerPage", 1, MAX_RESOURCES_PER_PAGE,
                              "InvalidParameterException")
    tag_filters = body.get("TagFilters") or []
    if not isinstance(tag_filters, list) or len(tag_filters) > 50 or \
            any(not isinstance(f, dict) or not f.get("Key") or len(f.get("Values") or []) > 20 for f in tag_filters):
        bad.message = "TagFilters must be at most 50 filters, each with a Key and at most 20 Values"
        raise bad
    type_filters = body.get("ResourceTypeFilters") or []
    arn_list = body.get("ResourceARNList")
    if arn_list is not None and (tag_filters or type_filters):
        bad.message = "ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters"
        raise bad
    start = 0
    if body.get("PaginationToken"):
        start = _untoken("gr", body["PaginationToken"], AwsError("InvalidParameterException",
                                                                 "PaginationToken is invalid", 400))
    names, funcs = ctx.state.functions_in(ctx.account, ctx.region)
    arn_set = set(arn_list) if arn_list is not None else None
    types_ok = _type_matches(type_filters)
    page, pos = [], start
    # The token is the position in name order where the next page resumes, so a page costs what it scans,
    # not the whole region (the fake must stay fast with 100,000 functions).
    while pos < len(names) and len(page) < per_page:
        fn = funcs.get(names[pos])
        pos += 1
        if fn is None or not fn.ever_tagged or not types_ok:
            continue
        if arn_set is not None and fn.arn not in arn_set:
            continue
        if _tags_match(fn.tags, tag_filters):
            page.append(fn)
    more = _any_left(names, pos, funcs, arn_set, types_ok, tag_filters)
    out = {"ResourceTagMappingList": [{"ResourceARN": fn.arn,
                                       "Tags": [{"Key": k, "Value": v} for k, v in sorted(fn.tags.items())]}
                                      for fn in page],
           "PaginationToken": _token("gr", pos) if more else ""}
    return json_response("tagging", out)


def _more_tagged(fn, arn_set, types_ok, tag_filters):
    return fn is not None and fn.ever_tagged and types_ok and (arn_set is None or fn.arn in arn_set) and \
        _tags_match(fn.tags, tag_filters)


def _any_left(names, pos, funcs, arn_set, types_ok, tag_filters):
    return any(_more_tagged(funcs.get(n), arn_set, types_ok, tag_filters) for n in names[pos:])
