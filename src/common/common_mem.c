/* Best-effort population of large blocks (see il/mem.h for why). */
#include "il/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void il_mem_prefault(void *p, size_t len) {
    if (p == NULL || len < IL_MEM_PREFAULT_MIN) {
        return;
    }
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) {
        return;
    }
    uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)p + len) & ~((uintptr_t)page - 1);
    if (end <= start) {
        return;
    }
    (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE); /* EINVAL before Linux 5.14: faults on touch */
#else
    (void)p;
#endif
}

void *il_mem_calloc_large(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p != NULL) {
        il_mem_prefault(p, count * size);
    }
    return p;
}
