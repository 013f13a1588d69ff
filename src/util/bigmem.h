/* Big buffers (a spec's text, its document's blocks, the audit findings of a big spec) in
 * mappings of their own. Every first touch of a 4 KiB page is a page fault, and under a
 * hypervisor that shadows the guest's page tables one costs 10-20 µs; pages put in place in
 * one call for many cost some 4 µs each on the same VM. So from BIGMEM_MIN a buffer is a
 * mapping whose pages its user puts in place as it is about to write them (prefault_range(),
 * util/prefault.h), not a part of malloc's heap that faults in page by page. Past BIGMEM_HUGE
 * it is in transparent huge pages, where the kernel offers them: a hint it may ignore (with
 * THP "never", on 64 KiB-page kernels or without a free huge page the memory is ordinary
 * pages; where THP "defrag" is "madvise", the kernel's default, a fault may compact memory to
 * make one). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* A build with AddressSanitizer keeps ordinary-page buffers in malloc's memory, which it
 * instruments (bigmem_alloc()), so its tests and fuzzers run the code that fills them. */
#if defined(__SANITIZE_ADDRESS__)
#define BIGMEM_SANITIZED true
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIGMEM_SANITIZED true
#endif
#endif
#ifndef BIGMEM_SANITIZED
#define BIGMEM_SANITIZED false
#endif

/* Below this a buffer stays in malloc's pages: a mapping costs two calls more than the few
 * faults it saves. */
#define BIGMEM_MIN ((size_t)16 * 1024)

/* From here on, huge pages: one costs its zeroing and 2 MiB of RSS. */
#define BIGMEM_HUGE ((size_t)512 * 1024)

/* Whether a request of size bytes is in huge pages. The tier follows the request, not the size
 * mapped: a request just under BIGMEM_HUGE is rounded up to it in ordinary pages. */
static inline bool bigmem_is_huge(size_t size)
{
        return size >= BIGMEM_HUGE;
}

/* At least size bytes of zeroed memory: in huge pages (bigmem_is_huge()) aligned to and advised
 * to be backed by them, else page-rounded, its pages to be put in place by the caller.
 * *ret_size: the size mapped (free it with that); at least size. NULL when it cannot be mapped.
 * In a build with AddressSanitizer ordinary pages are malloc's, page-aligned and exactly size
 * bytes, so that a touch past the end is caught. */
void *bigmem_alloc(size_t size, size_t *ret_size);

void bigmem_free(void *p, size_t size);
