/* FNV-1a, 64 bits: the hash for in-memory tables and change markers (not for keys an attacker
 * chooses to collide). */
#pragma once

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_fnv1a(const void *data, size_t len)
{
        const unsigned char *p = data;
        uint64_t h = UINT64_C(14695981039346656037);

        for (size_t i = 0; i < len; i++)
                h = (h ^ p[i]) * UINT64_C(1099511628211);
        return h;
}

/* The same over a NUL-terminated string, without its NUL. */
static inline uint64_t hash_fnv1a_str(const char *s)
{
        uint64_t h = UINT64_C(14695981039346656037);

        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
        return h;
}
