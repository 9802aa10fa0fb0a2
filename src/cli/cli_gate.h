/*
 * The governance options validate and check share (parsed with the other shared options in cli_opts.c, wired here):
 * --policy FILE, --print-policy, --base REF,
 * --reviews FILE, --max-renewals N. The CLI only wires them: the policy, the gate and their rules live in
 * src/ledger/ (il/ledger/policy.h, il/ledger/gate.h).
 */
#ifndef IL_CLI_GATE_H
#define IL_CLI_GATE_H

#include <stddef.h>

#include "il/ledger.h"
#include "il/ledger/gate.h"
#include "il/ledger/policy.h"

enum {
    IL_CLI_O_POLICY = 1150,
    IL_CLI_O_PRINT_POLICY,
    IL_CLI_O_BASE,
    IL_CLI_O_REVIEWS,
    IL_CLI_O_MAX_RENEWALS,
};

/* clang-format off */
#define IL_CLI_GATE_LONGOPTS                                                                                           \
    {"policy", required_argument, NULL, IL_CLI_O_POLICY},                                                              \
    {"print-policy", no_argument, NULL, IL_CLI_O_PRINT_POLICY},                                                        \
    {"base", required_argument, NULL, IL_CLI_O_BASE},                                                                  \
    {"reviews", required_argument, NULL, IL_CLI_O_REVIEWS},                                                            \
    {"max-renewals", required_argument, NULL, IL_CLI_O_MAX_RENEWALS}
/* clang-format on */

#define IL_CLI_GATE_HELP                                                                                               \
    "  --policy FILE          the organisation policy (default: .inspector-ledger.yaml at the repository root;\n"      \
    "                         with --base, as committed at REF); flags override it\n"                                  \
    "  --print-policy         print the effective policy and where each value came from, then exit\n"                  \
    "  --max-renewals N       error when an exclusion is renewed more than N times (counted through git)\n"            \
    "  --base REF             pull-request gate: compare with the ledger at REF; check who changed which entry,\n"     \
    "                         renewals and budgets; old problems of untouched entries become notices\n"                \
    "  --reviews FILE         with --base: the pull request's reviews (GitHub list-reviews or GitLab approvals\n"      \
    "                         JSON); each changed entry's approver must have approved\n"

/* Which shared rule flags were given (they override the policy file). */
#define IL_CLI_GIVEN_WARN_DAYS 1u
#define IL_CLI_GIVEN_MAX_DAYS 2u
#define IL_CLI_GIVEN_DISTINCT 4u
#define IL_CLI_GIVEN_MAX_RENEWALS 8u

struct il_cli_gate {
    unsigned given;
    const char *policy_path;
    int print_policy;
    const char *base_ref;
    const char *reviews_path;
    unsigned max_renewals;
    struct il_policy *policy;   /* owned, after il_cli_gate_prepare() */
    struct il_reviews *reviews; /* owned */
    struct il_gate_summary summary;
};

/**
 * Before the ledger is loaded: find and load the policy (flags override it), set @p rules from it, load --reviews.
 * Notices (policy-changed) go to @p findings. Returns -1 to go on, IL_EXIT_PASS after --print-policy, or
 * IL_EXIT_USAGE after printing located errors.
 */
int il_cli_gate_prepare(struct il_cli_gate *g, struct il_ledger_rule_opts *rules, const char *ledger_path,
                        const char *prog, struct il_diags *findings);

/**
 * After the ledger rules: the policy rules, and with --base the gate. Returns -1 to go on or IL_EXIT_USAGE after a
 * message (not a repository, no such ref).
 */
int il_cli_gate_run(struct il_cli_gate *g, const struct il_ledger_rule_opts *rules, const char *ledger_path,
                    const struct il_ledger_schema *schema, const struct il_ledger *ledger, struct il_diags *findings,
                    const char *prog);

/** Last, over every finding: the policy's severity overrides. */
void il_cli_gate_adjust(const struct il_cli_gate *g, struct il_diags *findings);

/** @p rc, or IL_EXIT_UNVERIFIED when the gate could not verify something (and @p rc is not a usage error). */
int il_cli_gate_exit(const struct il_cli_gate *g, int rc);

/** Text format, --base: "changes since REF: 1 added, 1 renewed, 0 changed, 0 removed, 4 untouched" (REF escaped). */
IL_MUST_CHECK enum il_status il_cli_gate_summary_text(const struct il_cli_gate *g, struct il_buf *out);

void il_cli_gate_release(struct il_cli_gate *g);

#endif
