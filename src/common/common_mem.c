/* Best-effort population and huge-page advice for large blocks (see il/mem.h for why). */
#include "il/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

size_t il_mem_large_size(size_t size) {
    if (size < IL_MEM_HUGE_PAGE) {
        return size;
    }
    if (size > SIZE_MAX - IL_MEM_HUGE_PAGE) {
        return 0;
    }
    /* whole huge pages, so that every page of the block can be a huge one */
    return (size + IL_MEM_HUGE_PAGE - 1) & ~(IL_MEM_HUGE_PAGE - 1);
}

void *il_mem_alloc_large(size_t size) {
    if (size < IL_MEM_HUGE_PAGE) {
        void *p = malloc(size ? size : 1);
        il_mem_prefault(p, size);
        return p;
    }
    size_t rounded = il_mem_large_size(size);
    if (rounded == 0) {
        return NULL;
    }
    void *p = aligned_alloc(IL_MEM_HUGE_PAGE, rounded);
    if (p == NULL) {
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(p, rounded, MADV_HUGEPAGE); /* must precede the population: it decides the page size */
#endif
    il_mem_prefault(p, rounded);
    return p;
}

void *il_mem_calloc_large(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    size_t bytes = count * size;
    void *p = il_mem_alloc_large(bytes);
    if (p != NULL) {
        memset(p, 0, bytes); /* the block may be reused heap memory: zero it as calloc() would */
    }
    return p;
}
