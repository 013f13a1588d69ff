/* NULL-terminated string vectors: the policy's lists (paths, names, patterns). */
#pragma once

#include <stdbool.h>

void strv_free(char **v);
/* _cleanup_(strv_freep) */
static inline void strv_freep(char ***v)
{
        strv_free(*v);
}

/* A malloc'd deep copy of src; NULL on OOM. */
char **strv_new(const char *const *src);

bool strv_contains(const char *const *v, const char *s);
