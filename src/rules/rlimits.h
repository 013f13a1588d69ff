/* The rlimits rule's settings and the rlimit types runc knows: the rule reads them, and so does
 * the process hardrun writes for an inline exec (execproc.c), which reports its own limits. */
#pragma once

#include <stdint.h>

#define HR_RLIMIT_TYPES 16 /* RLIMIT_CPU .. RLIMIT_RTTIME, the ones runc knows */

struct rlimit_max {
        uint64_t value[HR_RLIMIT_TYPES]; /* the highest hard and soft limit, by type */
        uint32_t set;                    /* bit n: value[n] applies */
};

struct rlimits_settings {
        struct rlimit_max max;
};

/* "RLIMIT_NOFILE" → 7 (RLIMIT_NOFILE's value); -EINVAL for a name runc does not know. */
int rlimit_from_name(const char *name);
const char *rlimit_to_name(int type);
