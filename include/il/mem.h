/**
 * Memory helpers for the few large, short-lived allocations of a run (the ledger's bytes, the entry table, the
 * document arena).
 *
 * Page faults are the single largest cost of loading a big ledger on virtual machines (each 4 KiB first touch is a
 * trap into the hypervisor), so large blocks are populated in one madvise(MADV_POPULATE_WRITE) call. Huge pages were
 * measured too and gained nothing here, while risking compaction stalls. Everything here is best effort: on a kernel
 * without MADV_POPULATE_WRITE (before 5.14) the memory simply faults in on first touch, with identical contents.
 */
#ifndef IL_MEM_H
#define IL_MEM_H

#include <stddef.h>

/** Below this size il_mem_prefault() does nothing: the per-call cost would exceed the faults it saves. */
#define IL_MEM_PREFAULT_MIN ((size_t)256 * 1024)

/** Ask the kernel to populate [@p p, @p p + @p len) for writing now.
 *  Only whole pages inside the range are touched by the kernel; the contents are unchanged (fresh memory stays
 *  zero). Accepts NULL. Never fails: the advice is an optimisation. */
void il_mem_prefault(void *p, size_t len);

/** calloc() for a large array, populated up front (il_mem_prefault). NULL on overflow or when out of memory;
 *  free() it. */
void *il_mem_calloc_large(size_t count, size_t size);

#endif
