/* Memory a start is about to use, mapped in one call instead of a fault per page (see
 * util/bigmem.h for what a fault costs). Hints only: a page not populated faults in later. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Populates up to bytes of the stack below the caller's frame, as much of it as the kernel has
 * mapped already; returns how much (0: none, the kernel cannot or the stack is not mapped). */
size_t prefault_stack(size_t bytes);

/* Populates this program's zero-initialised data (.bss): the rules' tables and caches. */
bool prefault_bss(void);
