/* Shared between the ledger_policy*.c files only: the policy's inside. Not a public interface. */
#ifndef IL_LEDGER_POLICY_INTERNAL_H
#define IL_LEDGER_POLICY_INTERNAL_H

#include "il/doc/node.h"
#include "il/ledger/policy.h"
#include "il/schema.h"

struct il_policy {
    struct il_policy_values v;
    struct il_doc *doc;        /* the policy file (or an empty document): strings and arrays live in its arena */
    char *name;                /* the file's name in origins and diagnostics (owned) */
    struct il_doc *ticket_doc; /* {"type":"string","pattern":ticket_pattern}, compiled into ticket */
    struct il_schema *ticket;  /* NULL when no ticket_pattern */
};

/** 1 when @p a equals @p b ignoring ASCII case. */
int il_policy_ieq(const char *a, const char *b);

/** Fill @p origin from a node of the policy file. */
void il_policy_origin_at(const struct il_policy *policy, const struct il_node *node, struct il_policy_origin *origin);

/** Compile ticket_pattern (node @p at of the policy file) with the schema engine; a located "policy-file" error in
 *  @p diags and IL_ERR_INVALID when it does not compile. */
IL_MUST_CHECK enum il_status il_policy_compile_ticket(struct il_policy *policy, const struct il_node *at,
                                                      struct il_diags *diags);

#endif
