/* Memory a start is about to write, its pages put in place in one call (MADV_POPULATE_WRITE)
 * instead of a fault each (util/bigmem.h says what each costs). Hints only: a page not put in
 * place faults in when it is touched, as any other. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Puts the pages of [start, start + len) in place: false when the kernel could not (before
 * Linux 5.14, or not all of it is mapped). */
bool prefault_range(void *start, size_t len);

/* Populates up to bytes of the stack below the caller's frame, as much of it as the kernel has
 * mapped already; returns how much (0: none, the kernel cannot or the stack is not mapped). */
size_t prefault_stack(size_t bytes);

/* Populates this program's zero-initialised data (.bss): the rules' tables and caches. */
bool prefault_bss(void);
