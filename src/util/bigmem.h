/* Big buffers (a spec's text, its document's blocks, the audit findings of a big spec) in
 * mappings whose pages are in place before they are written: every first touch of a 4 KiB page
 * is a page fault, and under a hypervisor that shadows the guest's page tables one costs some
 * 10 µs. Past BIGMEM_HUGE a buffer is in transparent huge pages, where the kernel offers them
 * (a hint it may ignore: with THP "never", on 64 KiB-page kernels or without a free huge page
 * the memory is ordinary pages; where THP "defrag" is "madvise", the kernel's default, a fault
 * may compact memory to make one). From BIGMEM_MIN up to there its pages are populated in the
 * one mmap() call, some 4 µs each on the same VM: only for a buffer that will be written whole. */
#pragma once

#include <stddef.h>

/* Below this a buffer stays in malloc's pages: a mapping costs two calls, populating it more
 * than the few faults it saves. */
#define BIGMEM_MIN ((size_t)16 * 1024)

/* From here on, huge pages: one costs its zeroing and 2 MiB of RSS. */
#define BIGMEM_HUGE ((size_t)512 * 1024)

/* At least size bytes of zeroed memory, its pages populated (from BIGMEM_MIN) or aligned to and
 * advised to be backed by huge pages (from BIGMEM_HUGE). *ret_size: the size mapped (free it
 * with that); at least size. NULL when it cannot be mapped, and below BIGMEM_HUGE in a build
 * with AddressSanitizer: the caller falls back to malloc. */
void *bigmem_alloc(size_t size, size_t *ret_size);

void bigmem_free(void *p, size_t size);
