/* The rule catalogue. docs/rules.md is generated from this table (tests/tools/il_rules_doc.c) and a test fails when
 * the two differ, so the documentation cannot drift from the ids the code emits. */
#include "il/rules.h"

#include <string.h>

static const struct il_rule_info s_rules[] = {
    /* --- the ledger file itself (validate) --- */
    [IL_RULE_YAML] =
        {IL_RULE_YAML, "yaml", IL_SEV_ERROR, "the ledger is not well-formed YAML",
         "The ledger could not be loaded: a YAML syntax error, a duplicate mapping key, more than one document, "
         "invalid "
         "UTF-8, a NUL character in a string, an empty file, or a size, nesting-depth or alias-expansion bound was "
         "exceeded. Nothing else in the file "
         "can be trusted until it loads.",
         "Fix the YAML at the reported line and column; keep exactly one document, no duplicate keys and no anchors "
         "that "
         "expand beyond the bound.",
         "ledger"},
    [IL_RULE_SCHEMA] =
        {IL_RULE_SCHEMA, "schema", IL_SEV_ERROR, "the ledger does not match the JSON Schema",
         "A value violates schema/inspector-exclusions.schema.json (or the schema given with --schema): a missing or "
         "empty required field, an unknown key, a wrong type, an ARN, function name or date that does not match its "
         "pattern or format. An unknown key names the nearest known one, because a misspelled expiry key would "
         "otherwise "
         "make an exception permanent.",
         "Correct the field at the reported location; for an unknown key use the suggested spelling.", "ledger"},
    [IL_RULE_SCHEMA_FILE] =
        {IL_RULE_SCHEMA_FILE, "schema-file", IL_SEV_ERROR, "the JSON Schema itself is unusable",
         "The schema the ledger is checked against (the embedded one, or the file given with --schema) could not be "
         "read, "
         "is not valid JSON or YAML, or uses a keyword, regular expression or reference the validator cannot honour. "
         "Nothing was validated, so the run fails rather than pass.",
         "Fix the schema file at the reported location, or drop --schema to use the built-in schema.", "ledger"},
    [IL_RULE_EXPIRED] =
        {IL_RULE_EXPIRED, "expired", IL_SEV_ERROR, "the exclusion has expired",
         "The as-of date (today in UTC, or --as-of) is after the entry's dates.expires_at. An exclusion holds through "
         "the "
         "whole expires_at day in UTC. An expired exclusion means a function is still unscanned without a current "
         "approval.",
         "Remove the exclusion tag from the function and the entry from the ledger, or renew it: agree a new "
         "expires_at "
         "with the approver and update next_review_at.",
         "ledger"},
    [IL_RULE_EXPIRING_SOON] =
        {IL_RULE_EXPIRING_SOON, "expiring-soon", IL_SEV_WARNING, "the exclusion expires within the warning window",
         "dates.expires_at falls within --warn-days (default 14) of the as-of date.",
         "Plan the fix or the renewal now: get the exclusion re-approved or remove it before it expires.", "ledger"},
    [IL_RULE_REVIEW_OVERDUE] =
        {IL_RULE_REVIEW_OVERDUE, "review-overdue", IL_SEV_WARNING, "the exclusion's review date has passed",
         "The as-of date is after dates.next_review_at: the exclusion was due for review and nobody recorded one.",
         "Review the exclusion with its owner and set a new next_review_at (not after expires_at).", "ledger"},
    [IL_RULE_DATE_ORDER] =
        {IL_RULE_DATE_ORDER, "date-order", IL_SEV_ERROR, "the entry's dates are out of order",
         "The dates must satisfy applied_at <= next_review_at <= expires_at.",
         "Correct the dates so the review falls between when the exclusion was applied and when it expires.", "ledger"},
    [IL_RULE_WINDOW_TOO_LONG] =
        {IL_RULE_WINDOW_TOO_LONG, "window-too-long", IL_SEV_ERROR, "the exclusion window exceeds --max-days",
         "expires_at minus applied_at is longer than the organisation's maximum exclusion window given with --max-days "
         "(the rule is off unless the option is given).",
         "Shorten the window: set expires_at at most --max-days after applied_at, and renew explicitly if needed.",
         "policy"},
    [IL_RULE_DUPLICATE_ENTRY] =
        {IL_RULE_DUPLICATE_ENTRY, "duplicate-entry", IL_SEV_ERROR,
         "two entries exclude the same function for the same scan type",
         "The same function ARN and scan_type appear in more than one entry, so it is unclear which dates and approval "
         "apply.",
         "Merge the entries into one, keeping the approval and dates that are actually in force.", "ledger"},
    [IL_RULE_NAME_ARN_MISMATCH] =
        {IL_RULE_NAME_ARN_MISMATCH, "name-arn-mismatch", IL_SEV_ERROR,
         "function_name differs from the name in function_arn",
         "target.function_name must equal the function name inside target.function_arn; a mismatch means the entry may "
         "describe a different function than the one excluded.",
         "Make function_name and function_arn name the same function.", "ledger"},
    [IL_RULE_TAG_SCAN_TYPE_MISMATCH] =
        {IL_RULE_TAG_SCAN_TYPE_MISMATCH, "tag-scan-type-mismatch", IL_SEV_ERROR, "the tag does not match the scan type",
         "A standard-scan exclusion uses the tag InspectorExclusion=LambdaStandardScanning; a code-scan exclusion uses "
         "InspectorCodeExclusion=LambdaCodeScanning. Any other pairing excludes a different scan than the one "
         "approved.",
         "Use the tag key and value that belong to the entry's scan_type.", "ledger"},
    [IL_RULE_QUALIFIED_ARN] =
        {IL_RULE_QUALIFIED_ARN, "qualified-arn", IL_SEV_ERROR, "the function ARN has a version or alias qualifier",
         "Inspector reads exclusion tags from the function itself, not from a version or alias, so an entry with a "
         "qualified ARN (…:function:name:alias) never matches a tag.",
         "Use the unqualified function ARN (drop the trailing :version or :alias).", "ledger"},
    [IL_RULE_DISTINCT_APPROVER] =
        {IL_RULE_DISTINCT_APPROVER, "distinct-approver", IL_SEV_ERROR,
         "the approver is also the person who applied the exclusion",
         "With --require-distinct-approver, owner.approved_by must differ from owner.applied_by (separation of "
         "duties).",
         "Have someone other than the person applying the exclusion approve it, and record them in approved_by.",
         "policy"},
    /* --- the organisation policy (.inspector-ledger.yaml or --policy) --- */
    [IL_RULE_POLICY_FILE] =
        {IL_RULE_POLICY_FILE, "policy-file", IL_SEV_ERROR, "the policy file is unusable",
         "The organisation policy (.inspector-ledger.yaml at the repository root, or --policy FILE) could not be read, "
         "is not YAML, does not match schema/inspector-ledger-policy.schema.json, names an unknown rule, lowers a rule "
         "that must fail, or has a ticket_pattern the regular expression engine rejects. Nothing is checked against a "
         "policy that cannot be read, so the run stops (exit 2).",
         "Fix the policy file at the reported line and column; --print-policy shows what is in force.", "policy"},
    [IL_RULE_POLICY_CHANGED] =
        {IL_RULE_POLICY_CHANGED, "policy-changed", IL_SEV_NOTICE, "the change edits the policy file",
         "In --base mode the ledger is judged by the policy as committed at the base ref, so a pull request cannot "
         "loosen the rules that judge it; the edited policy applies once merged.",
         "Nothing to do if the policy change is intended; have it reviewed like any rule change.", "policy"},
    [IL_RULE_TICKET_FORMAT] = {IL_RULE_TICKET_FORMAT, "ticket-format", IL_SEV_ERROR,
                               "the ticket does not match the policy's ticket_pattern",
                               "reason.ticket must match the regular expression ticket_pattern of the policy, so every "
                               "exclusion can be traced "
                               "to the organisation's tracker.",
                               "Write the ticket in the organisation's format (see ticket_pattern in the policy).",
                               "policy"},
    [IL_RULE_APPROVER_NOT_ALLOWED] =
        {IL_RULE_APPROVER_NOT_ALLOWED, "approver-not-allowed", IL_SEV_ERROR, "the approver is not listed in the policy",
         "The policy lists who may approve exclusions (approvers); owner.approved_by names someone else. In --base "
         "mode "
         "this fails only for entries the change adds, renews or changes.",
         "Have one of the policy's approvers approve the exclusion and write their name as listed.", "policy"},
    [IL_RULE_BUDGET_EXCEEDED] =
        {IL_RULE_BUDGET_EXCEEDED, "budget-exceeded", IL_SEV_ERROR,
         "a team holds more active exclusions than its budget",
         "The policy's budgets bound how many active exclusions (and optionally how many excluded function-days: the "
         "sum "
         "of expires_at - applied_at) each owner.team may hold. In --base mode this fails only when the change adds, "
         "renews or changes an exclusion of that team.",
         "Remove or shorten exclusions of the team, or agree a larger budget in the policy.", "policy"},
    /* --- the pull-request gate (validate/check --base REF) --- */
    [IL_RULE_SELF_APPROVAL] =
        {IL_RULE_SELF_APPROVAL, "self-approval", IL_SEV_ERROR, "the approver authored or committed the change",
         "With --base REF, the git authors and committers of the commits in REF..HEAD that touched the entry's lines "
         "are "
         "matched against the approver's identities in the policy (e-mail addresses, and @handles through GitHub's "
         "noreply addresses); an approver who made the change approved their own exclusion.",
         "Have someone who did not write the change approve it, and record them in approved_by.", "gate"},
    [IL_RULE_APPROVAL_NOT_REVIEWED] =
        {IL_RULE_APPROVAL_NOT_REVIEWED, "approval-not-reviewed", IL_SEV_ERROR,
         "the approver did not approve the pull request",
         "With --reviews FILE (GitHub's list-reviews JSON or GitLab's approvals JSON), the approver of every added, "
         "renewed or changed entry must have approved the pull request (on GitHub: their latest deciding review is "
         "APPROVED).",
         "Ask the approver to approve the pull request, or correct approved_by.", "gate"},
    [IL_RULE_APPROVALS_NOT_VERIFIED] =
        {IL_RULE_APPROVALS_NOT_VERIFIED, "approvals-not-verified", IL_SEV_NOTICE,
         "approvals were not checked against the forge",
         "In --base mode without --reviews, approved_by is checked against the policy and git but not against the pull "
         "request's reviews.",
         "Pass the pull request's reviews with --reviews FILE (gh api repos/OWNER/REPO/pulls/N/reviews).", "gate"},
    [IL_RULE_TOO_MANY_RENEWALS] =
        {IL_RULE_TOO_MANY_RENEWALS, "too-many-renewals", IL_SEV_ERROR,
         "the exclusion was renewed more often than max_renewals",
         "Renewals (expires_at moved later) are counted through the ledger's git history up to the base ref, plus this "
         "change; the policy's max_renewals bounds them, so an exclusion cannot be extended for ever.",
         "Fix the finding instead of renewing, or have the policy owner raise max_renewals.", "gate"},
    [IL_RULE_RENEWAL_UNCHANGED_APPROVAL] =
        {IL_RULE_RENEWAL_UNCHANGED_APPROVAL, "renewal-unchanged-approval", IL_SEV_WARNING,
         "a renewal keeps the old approval",
         "The change moves expires_at later but keeps applied_at and approved_by as they were: the renewal looks "
         "unapproved.",
         "Record the renewal: set applied_at to the day of the new approval and approved_by to who approved it.",
         "gate"},
    [IL_RULE_PRE_EXISTING] =
        {IL_RULE_PRE_EXISTING, "pre-existing", IL_SEV_NOTICE,
         "problems the change did not introduce are shown as notices",
         "In --base mode, a problem of an entry the change does not touch that was already there at the base ref is "
         "lowered to a notice, so a pull request is not blocked by someone else's old warning. An expired exclusion "
         "always fails.",
         "Nothing to do for this change; fix the old problems separately.", "gate"},
    [IL_RULE_GATE_NOT_VERIFIED] =
        {IL_RULE_GATE_NOT_VERIFIED, "gate-not-verified", IL_SEV_ERROR, "the gate could not verify the change",
         "git could not answer (the base ref's history could not be read, the history was longer than the bound, or "
         "the "
         "ledger has uncommitted changes whose author git does not know), so self-approval or renewals were not "
         "verified. The gate fails closed with exit 3.",
         "Commit the change and run the gate in a full clone (fetch-depth: 0) so REF..HEAD is available.", "gate"},
    /* --- the ledger against live AWS (check) --- */
    [IL_RULE_UNRECORDED_EXCLUSION] =
        {IL_RULE_UNRECORDED_EXCLUSION, "unrecorded-exclusion", IL_SEV_ERROR,
         "a function carries an exclusion tag with no ledger entry",
         "A Lambda function has an Inspector exclusion tag, but the ledger has no entry for that function and scan "
         "type: "
         "the function is not scanned and nobody answers for it.",
         "Either remove the tag from the function, or add a ledger entry with an owner, reason, approval and expiry.",
         "drift"},
    [IL_RULE_EXPIRED_EXCLUSION_APPLIED] =
        {IL_RULE_EXPIRED_EXCLUSION_APPLIED, "expired-exclusion-applied", IL_SEV_ERROR,
         "an expired exclusion is still applied",
         "The ledger entry has expired but the function still carries the exclusion tag, so it is still not scanned.",
         "Remove the tag from the function (inspector-ledger apply can do it), or renew the ledger entry.", "drift"},
    [IL_RULE_EXCLUSION_NOT_APPLIED] =
        {IL_RULE_EXCLUSION_NOT_APPLIED, "exclusion-not-applied", IL_SEV_WARNING,
         "an active ledger entry has no tag on its function",
         "The ledger records an active exclusion but the function does not carry the tag: the ledger and AWS disagree.",
         "Apply the tag (inspector-ledger apply), or remove the entry if the exclusion is no longer wanted.", "drift"},
    [IL_RULE_FUNCTION_NOT_FOUND] =
        {IL_RULE_FUNCTION_NOT_FOUND, "function-not-found", IL_SEV_WARNING, "the ledger entry's function does not exist",
         "GetFunction confirmed that the function named by the entry does not exist in its account and region.",
         "Remove the stale entry, or correct its ARN if the function was renamed or moved.", "drift"},
    [IL_RULE_SCAN_BLIND_CMK] =
        {IL_RULE_SCAN_BLIND_CMK, "scan-blind-cmk", IL_SEV_NOTICE,
         "the function is encrypted with a customer managed KMS key",
         "Inspector cannot scan a function whose environment is encrypted with a customer managed key: in effect an "
         "exclusion that the ledger does not show (reported by check --full).",
         "Record the gap, or grant Inspector access / use an AWS managed key so the function can be scanned.",
         "inventory"},
    [IL_RULE_DEPRECATED_RUNTIME] =
        {IL_RULE_DEPRECATED_RUNTIME, "deprecated-runtime", IL_SEV_WARNING,
         "the function uses a deprecated Lambda runtime",
         "The function's runtime is past its deprecation date according to the embedded table of Lambda runtimes "
         "(which "
         "a file can override); it no longer receives security updates (reported by check --full).",
         "Upgrade the function to a supported runtime.", "inventory"},
    [IL_RULE_MALFORMED_EXCLUSION_TAG] =
        {IL_RULE_MALFORMED_EXCLUSION_TAG, "malformed-exclusion-tag", IL_SEV_WARNING,
         "a tag looks like an exclusion tag but is not one",
         "A tag key matches an Inspector exclusion key except in letter case, or has the right key with the wrong "
         "value. "
         "Someone meant to exclude the function, but Inspector ignores the tag.",
         "Fix or remove the tag; if the exclusion is wanted, use the exact key and value and record it in the ledger.",
         "inventory"},
    [IL_RULE_NOT_CHECKED] =
        {IL_RULE_NOT_CHECKED, "not-checked", IL_SEV_NOTICE, "the entry is outside the declared scope of this run",
         "The run was declared partial (--only-account, --only-region) and the entry's account or region is outside "
         "it, "
         "so it was neither confirmed nor contradicted; or a region with no entry in it was skipped (an opt-in region "
         "not enabled, under --all-regions). The summary says how many entries were compared and how many were "
         "outside.",
         "Drop or widen --only-account / --only-region to compare it.", "scope"},
    [IL_RULE_NOT_VERIFIED] =
        {IL_RULE_NOT_VERIFIED, "not-verified", IL_SEV_ERROR, "something in scope could not be verified",
         "A call needed to verify an account, region or function still failed after retries (access denied, throttling "
         "exhausted, network error, malformed response), or ledger entries are in an account, region or partition this "
         "run cannot reach (another account without a role, another partition, a skipped region). The check fails "
         "closed: it exits 3 and names what was not verified, why, and what would reach it.",
         "Fix the cause named in the message (permissions such as tag:GetResources or lambda:ListTags, network, "
         "quotas; "
         "--role-name for another account; a separate run for another partition), or declare a partial run with "
         "--only-account / --only-region.",
         "scope"},
    [IL_RULE_RUNTIME_DEADLINE] =
        {IL_RULE_RUNTIME_DEADLINE, "runtime-deadline", IL_SEV_WARNING,
         "a Lambda runtime date is near, or function updates are already blocked",
         "check --full: the function's runtime has an AWS date within --warn-days (default 14) of the as-of date in "
         "the runtime table (data/lambda-runtimes.json, or --runtimes): its deprecation, the day Lambda blocks "
         "function create, or the day it blocks function update; or updates are already blocked, so the function can "
         "no longer be patched on that runtime. `inspector-ledger --version` prints the table's date.",
         "Upgrade the function to a supported runtime before the date; refresh the table with --runtimes when AWS "
         "moves the dates.",
         "inventory"},
    [IL_RULE_UNRECORDED_IMPLICIT_EXCLUSION] =
        {IL_RULE_UNRECORDED_IMPLICIT_EXCLUSION, "unrecorded-implicit-exclusion", IL_SEV_WARNING,
         "a function Inspector cannot or does not scan, not recorded",
         "check --full: the function is encrypted with a customer managed KMS key or runs a runtime past its "
         "deprecation date (Inspector does not scan unsupported runtimes), and no ledger entry records it with "
         "reason.implicit. An exclusion nobody approved. The severity is set with --implicit-severity (default "
         "warning). Ninety days without an invocation or update is not guessed from LastModified (Lambda's API does "
         "not show invocations); --coverage reports it from Inspector's own reason (inspector-not-scanned).",
         "Record it in the ledger as an implicit exclusion (reason.implicit: kms-key, idle-90-days or "
         "unsupported-runtime, with an owner, approval and expiry), or remove the cause.",
         "inventory"},
    [IL_RULE_IMPLICIT_EXCLUSION_UNFOUNDED] =
        {IL_RULE_IMPLICIT_EXCLUSION_UNFOUNDED, "implicit-exclusion-unfounded", IL_SEV_WARNING,
         "an implicit exclusion whose cause is gone",
         "check --full: an active ledger entry with reason.implicit names a cause the function no longer has (no "
         "customer managed key, a supported runtime, updated within 90 days), so Inspector scans it again and the "
         "entry records an exclusion that is not there.",
         "Remove the entry, or record the exclusion the function really has.", "inventory"},
    /* --- the ledger against Inspector's own coverage (check --coverage, --tags-source inspector) --- */
    [IL_RULE_SCANNING_DISABLED] =
        {IL_RULE_SCANNING_DISABLED, "scanning-disabled", IL_SEV_ERROR,
         "Lambda standard or code scanning is not enabled in an account and region",
         "Inspector's BatchGetAccountStatus says Lambda standard scanning (resourceState.lambda) or code scanning "
         "(resourceState.lambdaCode) is not ENABLED for the account in that region, or Inspector itself is not "
         "enabled there: every function is unscanned for that scan type, whatever the ledger and the tags say. One "
         "finding per scan type.",
         "Enable Amazon Inspector with Lambda standard and code scanning in that account and region (from the "
         "delegated administrator for an organization).",
         "inspector"},
    [IL_RULE_INSPECTOR_UNRECORDED_EXCLUSION] =
        {IL_RULE_INSPECTOR_UNRECORDED_EXCLUSION, "inspector-unrecorded-exclusion", IL_SEV_ERROR,
         "Inspector reports a function excluded by tag, no ledger entry",
         "Inspector's ListCoverage reports the function INACTIVE with reason EXCLUDED_BY_TAG for a scan type, and "
         "the ledger has no entry for that function and scan type (for code scanning, a standard entry also counts: "
         "the standard exclusion tag takes the function out of both).",
         "Add an approved ledger entry for the function, or remove the exclusion tag.", "inspector"},
    [IL_RULE_INSPECTOR_STILL_SCANNED] =
        {IL_RULE_INSPECTOR_STILL_SCANNED, "inspector-still-scanned", IL_SEV_ERROR,
         "an active ledger entry's function is still scanned by Inspector",
         "The ledger records an active exclusion, but Inspector's ListCoverage reports the function ACTIVE for that "
         "scan type: the exclusion is not in effect (the tag is missing, misspelt or on another function).",
         "Apply the exact exclusion tag (inspector-ledger apply), or remove the entry if the exclusion is no longer "
         "wanted.",
         "inspector"},
    [IL_RULE_INSPECTOR_NOT_SCANNED] =
        {IL_RULE_INSPECTOR_NOT_SCANNED, "inspector-not-scanned", IL_SEV_WARNING,
         "Inspector does not scan a function for a reason other than a tag",
         "Inspector's ListCoverage reports the function INACTIVE for a scan type for a reason the ledger does not "
         "record: a customer managed KMS key Inspector may not use (ACCESS_DENIED_TO_ENCRYPTION_KEY), neither "
         "invoked nor updated in 90 days (SCAN_ELIGIBILITY_EXPIRED), an unsupported runtime (UNSUPPORTED_RUNTIME), a "
         "resource policy that denies Inspector (ACCESS_DENIED), and others; the message names it. These are "
         "exclusions nobody approved. The severity is set with --not-scanned-severity (default warning).",
         "Remove the cause (grant Inspector the key, update the function, upgrade the runtime), or record the "
         "function in the ledger as an implicit exclusion with an owner, approval and expiry.",
         "inspector"},
    [IL_RULE_INSPECTOR_CONFIRMED] =
        {IL_RULE_INSPECTOR_CONFIRMED, "inspector-confirmed", IL_SEV_NOTICE,
         "the ledger and Inspector agree the function is not scanned",
         "The ledger records an active exclusion and Inspector's ListCoverage reports the function not scanned for "
         "that scan type. Shown with -v and in the live report as \"confirmed by Inspector\"; never a failure.",
         "Nothing to do.", "inspector"},
};

_Static_assert(sizeof(s_rules) / sizeof(s_rules[0]) == IL_RULE_COUNT, "one catalogue row per enum il_rule_id");

const struct il_rule_info *il_rule_info(enum il_rule_id rule) {
    return (unsigned)rule < IL_RULE_COUNT ? &s_rules[rule] : NULL;
}

const char *il_rule_id_str(enum il_rule_id rule) {
    const struct il_rule_info *info = il_rule_info(rule);
    return info ? info->id : "unknown";
}

const struct il_rule_info *il_rules_all(size_t *count) {
    *count = sizeof(s_rules) / sizeof(s_rules[0]);
    return s_rules;
}

const struct il_rule_info *il_rule_find(const char *id) {
    if (id == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(s_rules) / sizeof(s_rules[0]); i++) {
        if (strcmp(s_rules[i].id, id) == 0) {
            return &s_rules[i];
        }
    }
    return NULL;
}
