/* Who made a change (ledger_gate_people.c), for the self-approval rule; src/ledger/ only. */
#ifndef IL_LEDGER_GATE_PEOPLE_H
#define IL_LEDGER_GATE_PEOPLE_H

#include <stddef.h>

#include "il/status.h"

/** Distinct author/committer e-mail addresses and names (owned strings). Caller-owned; zero-initialise. */
struct il_people {
    char **items;
    size_t count;
};

void il_people_release(struct il_people *people);

/**
 * Add to @p out the authors' and committers' e-mails and names of the commits in BASE..HEAD that touched lines
 * @p start..@p end of @p file (in HEAD's version) in folder @p dir. *ok: git answered.
 */
IL_MUST_CHECK enum il_status il_people_of_lines(const char *dir, const char *file, const char *base_commit,
                                                unsigned start, unsigned end, struct il_people *out, int *ok);

/** The first person matching one of @p identities (e-mails ignoring case; "@handle" through forge noreply
 *  addresses; any other text compared with names and e-mails), or NULL. Borrowed from @p people. */
const char *il_people_match(const struct il_people *people, const char *const *identities, size_t n);

#endif
