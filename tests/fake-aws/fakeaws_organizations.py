"""AWS Organizations for the fake AWS: ListAccounts and DescribeOrganization (json 1.1, X-Amz-Target
AWSOrganizationsV20161128.*), and the organization model Inspector2's delegated-administrator view shares.

Shapes follow ../shared/aws-models/organizations/service-2.json. Organizations is a global service: it answers
only to requests signed for us-east-1 (aws-us-gov: us-gov-west-1, aws-cn: cn-northwest-1), as its endpoint does.
The fixture's top-level "organization" describes the organization (docs/fake-aws.md); without it no account is
in an organization (AWSOrganizationsNotInUseException).
"""

import base64
import datetime
import json

from fakeaws_protocol import AwsError, json_response
from fakeaws_state import partition_of

SERVICE = "organizations"
TARGET_PREFIX = "AWSOrganizationsV20161128."
OPERATIONS = ("ListAccounts", "DescribeOrganization")
GLOBAL_REGIONS = {"aws": "us-east-1", "aws-us-gov": "us-gov-west-1", "aws-cn": "cn-northwest-1"}
MAX_LIST_ACCOUNTS = 20
ACCOUNT_STATUSES = ("ACTIVE", "SUSPENDED", "PENDING_CLOSURE")
RELATIONSHIPS = ("CREATED", "INVITED", "DISABLED", "ENABLED", "REMOVED", "RESIGNED", "DELETED",
                 "EMAIL_VERIFICATION_IN_PROGRESS", "EMAIL_VERIFICATION_FAILED", "REGION_DISABLED",
                 "ACCOUNT_SUSPENDED", "CANNOT_CREATE_DETECTOR_IN_ORG_MASTER")


def _epoch(iso):
    dt = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


class Org:
    """The organization as the fixture describes it (read-only; rebuilt per request, it is small).

    accounts: [{"id", "name", "email", "status", "state", "joined", "joined_method", "inspector"}] in fixture
    order; management: its account id; inspector_admin: Inspector's delegated administrator (or None);
    delegated_admins: accounts that are a delegated administrator of some service (may call ListAccounts).
    """

    def __init__(self, spec, partition="aws"):
        self.id = spec["id"]
        self.partition = partition
        self.management = str(spec["management_account"])
        self.feature_set = spec.get("feature_set", "ALL")
        self.inspector_admin = spec.get("inspector_delegated_admin")
        self.delegated_admins = set(spec.get("delegated_admins", []))
        if self.inspector_admin:
            self.delegated_admins.add(self.inspector_admin)
        self.accounts = []
        for a in spec.get("accounts", []):
            status = a.get("status", "ACTIVE")
            if status not in ACCOUNT_STATUSES:
                raise ValueError("organization account %s: status %r" % (a.get("id"), status))
            rel = a.get("inspector", "ENABLED")
            if rel not in RELATIONSHIPS:
                raise ValueError("organization account %s: inspector relationship %r" % (a.get("id"), rel))
            self.accounts.append({"id": str(a["id"]), "name": a.get("name", "account-" + str(a["id"])),
                                  "email": a.get("email", "aws+%s@example.com" % a["id"]), "status": status,
                                  "state": a.get("state", status), "joined": _epoch(a.get("joined",
                                                                                         "2024-01-01T00:00:00Z")),
                                  "joined_method": a.get("joined_method", "CREATED"), "inspector": rel})
        self.by_id = {a["id"]: a for a in self.accounts}
        if self.management not in self.by_id:
            raise ValueError("organization: management account %s is not among its accounts" % self.management)

    def account_arn(self, account_id):
        return "arn:%s:organizations::%s:account/%s/%s" % (self.partition, self.management, self.id, account_id)

    def contains(self, account_id):
        return account_id in self.by_id


def organization(state):
    """The fixture's organization (Org) or None."""
    spec = state.fixture.get("organization")
    if not spec:
        return None
    mgmt = state.account(str(spec["management_account"])) or {}
    return Org(spec, mgmt.get("partition", "aws"))


def inspector_view(state, caller):
    """(admin, members) of Inspector's organization view for @caller: admin is True when @caller is Inspector's
    delegated administrator; members is {account id: relationshipStatus} of the accounts it administers.

    With an "organization" in the fixture the admin is its inspector_delegated_admin and the members are the other
    accounts of the organization. Without one (older fixtures), an account whose "inspector" says
    "delegated_admin": true administers every other account of the fixture.
    """
    org = organization(state)
    if org is not None:
        if caller != org.inspector_admin:
            return False, {}
        return True, {a["id"]: ("ACCOUNT_SUSPENDED" if a["status"] == "SUSPENDED" else a["inspector"])
                      for a in org.accounts if a["id"] != caller}
    acct = state.account(caller) or {}
    if not acct.get("inspector", {}).get("delegated_admin"):
        return False, {}
    return True, {aid: "ENABLED" for aid in sorted(state.accounts) if aid != caller}


# --- the service -------------------------------------------------------------------------------------------------

def claims(method, path, headers):
    return headers.get("x-amz-target", "").startswith(TARGET_PREFIX)


def route(ctx):
    target = ctx.headers.get("x-amz-target", "")
    op = target[len(TARGET_PREFIX):]
    if ctx.method != "POST" or op not in OPERATIONS:
        raise AwsError("UnknownOperationException", "The fake does not implement %s" % op[:64], 400)
    want = GLOBAL_REGIONS.get(partition_of(ctx.region))
    if ctx.region != want:
        # What the global endpoint says to a request signed for another region.
        raise AwsError("InvalidSignatureException", "Credential should be scoped to a valid region. ", 403)
    return op


def _invalid(message, reason):
    return AwsError("InvalidInputException", message, 400, fields={"Reason": reason})


def _member_org(ctx):
    org = organization(ctx.state)
    if org is None or not org.contains(ctx.account):
        raise AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.", 400)
    return org


def execute(ctx, op):
    body = ctx.json_body()
    ctx.authorize("organizations:" + op)
    org = _member_org(ctx)
    if op == "DescribeOrganization":
        mgmt = org.by_id[org.management]
        return json_response(SERVICE, {"Organization": {
            "Id": org.id, "Arn": "arn:%s:organizations::%s:organization/%s" % (org.partition, org.management, org.id),
            "FeatureSet": org.feature_set, "MasterAccountArn": org.account_arn(org.management),
            "MasterAccountId": org.management, "MasterAccountEmail": mgmt["email"],
            "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]}})
    # ListAccounts: the management account and delegated administrators only.
    if ctx.account != org.management and ctx.account not in org.delegated_admins:
        raise AwsError("AccessDeniedException", "You don't have permissions to access this resource.", 400)
    size = MAX_LIST_ACCOUNTS
    if body.get("MaxResults") is not None:
        size = body["MaxResults"]
        if not isinstance(size, int) or isinstance(size, bool):
            raise AwsError("SerializationException", "Start of structure or map found where not expected.", 400)
        if size < 1:
            raise _invalid("You provided a value that is less than the minimum allowed: MaxResults.",
                           "MIN_VALUE_EXCEEDED")
        if size > MAX_LIST_ACCOUNTS:
            raise _invalid("You provided a value that exceeds the maximum allowed: MaxResults.", "MAX_VALUE_EXCEEDED")
    start = 0
    token = body.get("NextToken")
    if token:
        try:
            obj = json.loads(base64.urlsafe_b64decode(str(token).encode()).decode())
            start = int(obj["org-accounts"])
            if not 0 < start < len(org.accounts):
                raise ValueError(start)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise _invalid("The specified token is not valid.", "INVALID_NEXT_TOKEN")
    page = []
    for a in org.accounts[start:start + size]:
        page.append({"Id": a["id"], "Arn": org.account_arn(a["id"]), "Email": a["email"], "Name": a["name"],
                     "Status": a["status"], "State": a["state"], "JoinedMethod": a["joined_method"],
                     "JoinedTimestamp": a["joined"]})
    out = {"Accounts": page}
    if start + size < len(org.accounts):
        out["NextToken"] = base64.urlsafe_b64encode(json.dumps({"org-accounts": start + size}).encode()).decode()
    return json_response(SERVICE, out)
