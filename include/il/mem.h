/**
 * Memory helpers for the few large, short-lived allocations of a run (the ledger's bytes, the entry table, the
 * document arena).
 *
 * Two costs dominate loading a big ledger on virtual machines, and neither is computation:
 * - page faults: each first touch of a 4 KiB page is a trap into the hypervisor, so large blocks are populated in
 *   one madvise(MADV_POPULATE_WRITE) call;
 * - TLB misses: a 10k-entry ledger's tree spans ~10,000 4 KiB pages, and every later pass over it (schema, model,
 *   rules) missed the TLB once per page, at ~1.5 us a miss under nested paging (measured: reading one field of each
 *   entry took 14 ms). Blocks of 2 MiB and more are therefore 2 MiB-aligned and advised MADV_HUGEPAGE, which the
 *   kernel honours when transparent huge pages are in `madvise` or `always` mode (the defaults); that pass then takes
 *   0.3 ms.
 * Everything here is best effort: where the advice is unsupported (older kernels, THP off) the memory is ordinary,
 * faults in on first touch, and has identical contents.
 */
#ifndef IL_MEM_H
#define IL_MEM_H

#include <stddef.h>

/** Below this size il_mem_prefault() does nothing: the per-call cost would exceed the faults it saves. */
#define IL_MEM_PREFAULT_MIN ((size_t)256 * 1024)

/** The huge page size advised for (x86-64, and arm64 with 4 KiB pages). Blocks from il_mem_alloc_large() of at least
 *  this size are aligned to it and rounded up to a multiple of it. */
#define IL_MEM_HUGE_PAGE ((size_t)2 * 1024 * 1024)

/** The size of the block il_mem_alloc_large(@p size) really gives: @p size, rounded up to whole huge pages from
 *  IL_MEM_HUGE_PAGE on (so a caller can use the slack). 0 when that would overflow. */
size_t il_mem_large_size(size_t size);

/** Ask the kernel to populate [@p p, @p p + @p len) for writing now.
 *  Only whole pages inside the range are touched by the kernel; the contents are unchanged (fresh memory stays
 *  zero). Accepts NULL. Never fails: the advice is an optimisation. */
void il_mem_prefault(void *p, size_t len);

/** malloc() for a large block that is about to be filled: populated up front and, from IL_MEM_HUGE_PAGE on, backed
 *  by huge pages where the kernel allows. The contents are unspecified (not zeroed). NULL when out of memory. The
 *  caller owns the block and frees it with free() (it may also realloc() it). */
void *il_mem_alloc_large(size_t size);

/** calloc() for a large array, as il_mem_alloc_large() but zeroed. NULL on overflow or when out of memory; free()
 *  it. */
void *il_mem_calloc_large(size_t count, size_t size);

#endif
