/* Shared between the policy and gate files of src/ledger/ only: not a public interface. */
#ifndef IL_LEDGER_GATE_INTERNAL_H
#define IL_LEDGER_GATE_INTERNAL_H

#include "il/buf.h"
#include "il/diag.h"
#include "il/ledger.h"

/**
 * Add a finding about entry @p e of @p ledger, located at @p field (pointer e->pointer + @p suffix when the field is
 * there), carrying the entry's ARN, account and region, the way ledger_rules.c locates its findings.
 */
IL_MUST_CHECK enum il_status il_ledger_entry_diag(struct il_diags *diags, const struct il_ledger *ledger,
                                                  const struct il_ledger_entry *e, const struct il_ledger_str *field,
                                                  const char *suffix, enum il_severity severity, const char *rule,
                                                  const char *fmt, ...) IL_PRINTF(8, 9);

/** The entry's own node (the element of `exclusions`), or NULL. Borrowed from the ledger. */
const struct il_node *il_ledger_entry_node(const struct il_ledger *ledger, const struct il_ledger_entry *e);

/** "/exclusions/12/owner" -> 12; (size_t)-1 when @p pointer is not inside an entry. */
size_t il_ledger_pointer_index(const char *pointer);

/** 1 when the entry holds on @p rules->as_of (neither expired nor without a valid expiry). */
int il_ledger_entry_active(const struct il_ledger_entry *e, const struct il_ledger_rule_opts *rules);

#endif
