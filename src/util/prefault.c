/* hardrun's deepest path (a bind source resolved under the rootfs) goes some 150 KiB down the
 * stack, and each of the ~30 pages it touches would be a fault of its own. The kernel extends
 * the stack's mapping on faults alone, never for a madvise(), and maps 128 KiB below the
 * arguments at exec: the largest span below the caller that is mapped is populated. .bss is
 * the rules' tables and caches (the secrets scan's index, the stat cache): a judged start
 * touches most of its pages. */
#include "prefault.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels say EINVAL */
#endif

#define STEP ((size_t)8 * 1024)

/* A kernel that does not know MADV_POPULATE_WRITE (EINVAL; none of the mappings put in place
 * here is of a kind it refuses) is asked once. */
static bool unsupported;

static int populate(uintptr_t start, size_t len)
{
        if (unsupported) {
                errno = EINVAL;
                return -1;
        }
        if (madvise((void *)start, len, MADV_POPULATE_WRITE) == 0)
                return 0;
        if (errno == EINVAL)
                unsupported = true;
        return -1;
}

bool prefault_range(void *start, size_t len)
{
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        uintptr_t first = (uintptr_t)start & ~(uintptr_t)(page - 1);
        uintptr_t end = ((uintptr_t)start + len + page - 1) & ~(uintptr_t)(page - 1);

        if (len == 0)
                return true;
        return populate(first, end - first) == 0;
}

/* Whether the page at addr is mapped: mincore() says ENOMEM when it is not, and unlike a
 * populate that fails, it walks no page tables on the way. */
static bool is_mapped(uintptr_t addr)
{
        unsigned char resident;

        return mincore((void *)addr, 1, &resident) == 0;
}

size_t prefault_stack(size_t bytes)
{
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        uintptr_t top = (uintptr_t)__builtin_frame_address(0) & ~(uintptr_t)(page - 1);
        size_t lo = 0, hi = bytes / STEP; /* steps below top known mapped; steps that may be */

        if (bytes > top || unsupported)
                return 0;
        /* The stack is one mapping up from its lowest page, with the kernel's guard gap below
         * it: the largest span whose lowest page is mapped is all mapped. Found in a few probes,
         * not a failed populate per step (a frame deep below the top of the stack would make
         * that eight or nine calls). */
        while (lo < hi) {
                size_t mid = lo + (hi - lo + 1) / 2;
                if (is_mapped(top - mid * STEP))
                        lo = mid;
                else
                        hi = mid - 1;
        }
        return lo > 0 && populate(top - lo * STEP, lo * STEP) == 0 ? lo * STEP : 0;
}

/* Defined by the linker (GNU ld, gold and lld alike): where .bss begins and the image ends. */
extern char __bss_start[], _end[];

bool prefault_bss(void)
{
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        uintptr_t start = (uintptr_t)__bss_start & ~(uintptr_t)(page - 1);

        return populate(start, (uintptr_t)_end - start) == 0;
}
