/* Unit tests for util/bigmem.c and util/prefault.c: big buffers in mappings of their own, and
 * pages put in place before they are written, checked with mincore() (which says which pages
 * are mapped in). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tap.h"
#include "util/bigmem.h"
#include "util/prefault.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static size_t page;

/* Untouched until prefault_bss(): 16 pages of .bss. */
static char untouched[64 * 1024];

/* How many of the pages of [start, start + len) are mapped in; -1 when a page is not mapped. */
static long resident(uintptr_t start, size_t len)
{
        unsigned char vec[512];
        uintptr_t first = start & ~(uintptr_t)(page - 1);
        size_t n = (start + len - first + page - 1) / page;
        long count = 0;

        if (n > sizeof(vec) || mincore((void *)first, n * page, vec) < 0)
                return -1;
        for (size_t i = 0; i < n; i++)
                count += vec[i] & 1;
        return count;
}

/* Whether this kernel populates on request (Linux 5.14 and later). */
static bool kernel_populates(void)
{
        void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        bool yes;

        if (p == MAP_FAILED)
                return false;
        yes = madvise(p, page, MADV_POPULATE_WRITE) == 0;
        munmap(p, page);
        return yes;
}

static void test_mapped(void)
{
        const size_t size = BIGMEM_MIN + 4000;
        size_t mapped = 0;
        unsigned char *p = bigmem_alloc(size, &mapped);
        bool zero = true;

        if (BIGMEM_SANITIZED) {
                ok(p != NULL && (uintptr_t)p % page == 0 && mapped == size,
                   "under AddressSanitizer: malloc's memory, page-aligned, of the size asked");
                for (size_t i = 0; p && i < size; i++)
                        zero &= p[i] == 0;
                ok(p && zero, "zeroed");
                ok(p && (!kernel_populates() || prefault_range(p, size)),
                   "its pages can be put in place");
                bigmem_free(p, mapped);
                return;
        }
        ok(p != NULL, "bigmem_alloc(%zu): %s", size, p ? "mapped" : strerror(errno));
        if (!p)
                return;
        ok(mapped >= size && mapped % page == 0 && mapped - size < page,
           "the size mapped is the request rounded up to a page: %zu", mapped);
        is_int(resident((uintptr_t)p, mapped), 0, "no page is in place before it is touched");
        if (kernel_populates()) {
                ok(prefault_range(p + page + 1, 2 * page), "prefault_range()");
                is_int(resident((uintptr_t)p, mapped), 3,
                       "puts in place the pages a range touches, no others");
                ok(prefault_range(p, mapped), "prefault_range() of all of it");
                is_int(resident((uintptr_t)p, mapped), (long)(mapped / page),
                       "every page is in place before the first write");
        }
        for (size_t i = 0; i < mapped; i++)
                zero &= p[i] == 0;
        ok(zero, "zeroed");
        memset(p, 0xa5, mapped);
        ok(p[0] == 0xa5 && p[mapped - 1] == 0xa5, "writable to its last byte");
        bigmem_free(p, mapped);
        is_int(resident((uintptr_t)p, mapped), -1, "bigmem_free() unmaps it");
        ok(prefault_range(p, 0), "an empty range needs nothing");
        ok(!prefault_range(p, mapped), "an unmapped one cannot be put in place");
}

static void test_huge(void)
{
        const size_t huge = 2u * 1024 * 1024;
        size_t mapped = 0;
        char *p = bigmem_alloc(BIGMEM_HUGE, &mapped);

        ok(p != NULL && (uintptr_t)p % huge == 0 && mapped == huge,
           "from BIGMEM_HUGE: one huge page, aligned to it (%zu mapped)", mapped);
        if (p) {
                p[mapped - 1] = 1;
                bigmem_free(p, mapped);
        }
        ok(!bigmem_is_huge(BIGMEM_HUGE - 1) && bigmem_is_huge(BIGMEM_HUGE),
           "the tier follows the request: huge pages from BIGMEM_HUGE");
        p = bigmem_alloc(BIGMEM_HUGE - 100, &mapped);
        ok(p != NULL && mapped == (BIGMEM_SANITIZED ? BIGMEM_HUGE - 100 : BIGMEM_HUGE),
           "a request just under it is %s in ordinary pages (%zu)",
           BIGMEM_SANITIZED ? "malloc's" : "rounded up to it", mapped);
        if (p)
                bigmem_free(p, mapped);
        ok(bigmem_alloc(0, &mapped) == NULL, "nothing for 0 bytes");
        ok(bigmem_alloc(SIZE_MAX, &mapped) == NULL, "nor for SIZE_MAX");
}

static void test_stack(void)
{
        char here;
        uintptr_t top = (uintptr_t)&here & ~(uintptr_t)(page - 1);
        size_t n = prefault_stack(64 * 1024);

        if (!kernel_populates()) {
                is_int(n, 0, "# SKIP: the kernel cannot populate memory (before Linux 5.14)");
                return;
        }
        /* Under valgrind the program's stack is valgrind's, mapped as it grows: there may be
         * none below the caller, and then nothing is populated. */
        if (n == 0) {
                ok(resident(top - 3 * page, page) < 0,
                   "nothing populated: no stack is mapped below the caller");
        } else {
                ok(n >= 8 * 1024 && n <= 64 * 1024, "prefault_stack(64 KiB) populated %zu bytes",
                   n);
                /* prefault_stack()'s own frame is a little below this one: two pages of slack. */
                if (n > 4 * page)
                        is_int(resident(top - n + 2 * page, n - 4 * page), (long)(n / page - 4),
                               "the stack below the caller is in place");
        }
        is_int(prefault_stack(SIZE_MAX), 0, "a span larger than the address space: nothing");
}

static void test_bss(void)
{
        bool done = prefault_bss();

        if (!kernel_populates()) {
                ok(!done, "# SKIP: the kernel cannot populate memory (before Linux 5.14)");
                return;
        }
        ok(done, "prefault_bss()");
        is_int(resident((uintptr_t)untouched, sizeof(untouched)),
               (long)((sizeof(untouched) + page - 1) / page) +
                       ((uintptr_t)untouched % page ? 1 : 0),
               "an untouched 64 KiB array in .bss is in place");
}

int main(void)
{
        page = (size_t)sysconf(_SC_PAGESIZE);
        test_mapped();
        test_huge();
        test_stack();
        test_bss();
        return tap_done();
}
