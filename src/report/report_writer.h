/* Helpers shared by the audit report writers in src/report/ (report_*.c); not a public interface. */
#ifndef IL_REPORT_WRITER_H
#define IL_REPORT_WRITER_H

#include <stddef.h>

#include "il/buf.h"
#include "il/report/report.h"
#include "il/status.h"

/* The buffer is sticky (il/buf.h): once an append fails every later one fails too, so a writer's void helpers stop at
 * the first failure and the renderer returns il_buf_status() once at the end. */
#define IL_REPORT_TRY(expr)                                                                                            \
    do {                                                                                                               \
        if ((expr) != IL_OK) {                                                                                         \
            return;                                                                                                    \
        }                                                                                                              \
    } while (0)

/** Count the account/region pairs of @p report by state into @p counts (indexed by enum il_report_scope_state, which
 *  has three values); returns how many pairs there are. Every writer's "N of M verified" line comes from here. */
static inline size_t il_report_scope_tally(const struct il_report *report, size_t counts[3]) {
    size_t n = il_report_scope_count(report);
    counts[0] = counts[1] = counts[2] = 0;
    for (size_t i = 0; i < n; i++) {
        counts[il_report_scope_at(report, i)->state]++;
    }
    return n;
}

#endif
