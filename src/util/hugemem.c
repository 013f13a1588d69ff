/* Every first touch of a 4 KiB page is a page fault, and under a hypervisor that shadows the
 * guest's page tables one costs some 10 µs: the 1 MiB spec of the benchmark touched some 2,000
 * pages, 20 ms of faults. A 2 MiB huge page takes one fault. The mapping is over-allocated by
 * one huge page so that a 2 MiB-aligned part of it exists, and the rest is unmapped again. */
#include "hugemem.h"

#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 * 1024 * 1024)

void *hugemem_alloc(size_t size, size_t *ret_size)
{
        size_t want, span;
        uintptr_t start, aligned;
        char *p;

        if (size == 0 || size > SIZE_MAX / 2 - HUGE_PAGE)
                return NULL;
        want = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        span = want + HUGE_PAGE;
        p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return NULL;
        start = (uintptr_t)p;
        aligned = (start + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (aligned > start)
                (void)munmap(p, aligned - start);
        if (aligned + want < start + span)
                (void)munmap((void *)(aligned + want), start + span - (aligned + want));
        /* Only a hint: a kernel without transparent huge pages (or with them off) maps 4 KiB
         * pages as for any other memory. */
        (void)madvise((void *)aligned, want, MADV_HUGEPAGE);
        *ret_size = want;
        return (void *)aligned;
}

void hugemem_free(void *p, size_t size)
{
        if (p)
                (void)munmap(p, size);
}
