/* Large buffers (a spec of a megabyte: its text, its document, the audit findings) in
 * transparent huge pages where the kernel offers them. A hint the kernel may ignore: with THP
 * "never", on 64 KiB-page kernels (whose huge pages are larger) or without a free huge page
 * the memory is ordinary pages. Where THP "defrag" is "madvise" (the kernel's default) a fault
 * may compact memory to make a huge page: on a fragmented host a start of such a spec can
 * wait for that instead of for two thousand faults. */
#pragma once

#include <stddef.h>

/* Below this a buffer stays in malloc's pages: a huge page costs its zeroing and 2 MiB of RSS. */
#define HUGEMEM_MIN ((size_t)512 * 1024)

/* At least size bytes of zeroed memory, aligned to a huge page and advised to be backed by huge
 * pages (a hint: without them it is ordinary memory). *ret_size: the size mapped (free it with
 * that); at least size. NULL when it cannot be mapped: the caller falls back to malloc. */
void *hugemem_alloc(size_t size, size_t *ret_size);

void hugemem_free(void *p, size_t size);
