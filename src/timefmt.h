/* RFC 3339 UTC timestamps with nanoseconds, as runc's logs and our audit records use. */
#pragma once

#include <stddef.h>
#include <time.h>

/* Writes e.g. "2026-11-27T04:30:00.123456789Z" into buf (at least 40 bytes). */
void time_format_now(char *buf, size_t size);
/* The same for the time ts. */
void time_format_at(const struct timespec *ts, char *buf, size_t size);
