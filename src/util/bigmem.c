/* A huge page takes one fault for 2 MiB; the 1 MiB spec of the benchmark touched some 2,000
 * small pages, 20 ms of faults. A huge mapping is over-allocated by one huge page so that a
 * 2 MiB-aligned part of it exists, and the rest is unmapped again. A smaller buffer is a
 * mapping of ordinary pages, whose user puts them in place as it reaches them: a part of
 * malloc's heap would fault in a page at a time, and its tail chunk's header with it. */
#include "bigmem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 * 1024 * 1024)

static void *huge_alloc(size_t size, size_t *ret_size)
{
        size_t want, span;
        uintptr_t start, aligned;
        char *p;

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

static void *plain_alloc(size_t size, size_t *ret_size)
{
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        size_t want = (size + page - 1) & ~(page - 1);
        void *p = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED)
                return NULL;
        *ret_size = want;
        return p;
}

/* What the sanitized tests and fuzzers get instead of plain_alloc(): the spec's text and the
 * documents' blocks where AddressSanitizer sees a touch past their end, with the callers'
 * code for mapped buffers (pages put in place as they are reached) still run. */
static void *sanitized_alloc(size_t size, size_t *ret_size)
{
        void *p;

        if (posix_memalign(&p, (size_t)sysconf(_SC_PAGESIZE), size) != 0)
                return NULL;
        memset(p, 0, size);
        *ret_size = size;
        return p;
}

void *bigmem_alloc(size_t size, size_t *ret_size)
{
        if (size == 0 || size > SIZE_MAX / 2 - HUGE_PAGE)
                return NULL;
        if (bigmem_is_huge(size))
                return huge_alloc(size, ret_size);
        if (BIGMEM_SANITIZED)
                return sanitized_alloc(size, ret_size);
        return plain_alloc(size, ret_size);
}

void bigmem_free(void *p, size_t size)
{
        if (!p)
                return;
        /* A huge buffer's size is whole huge pages; a sanitized one's is below BIGMEM_HUGE. */
        if (BIGMEM_SANITIZED && !bigmem_is_huge(size))
                free(p);
        else
                (void)munmap(p, size);
}
