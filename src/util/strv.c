/* NULL-terminated string vectors. */
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

void strv_free(char **v)
{
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

char **strv_new(const char *const *src)
{
        size_t n = 0;
        char **v;

        while (src[n])
                n++;
        v = calloc(n + 1, sizeof(*v));
        for (size_t i = 0; v && i < n; i++)
                if (!(v[i] = strdup(src[i]))) {
                        strv_free(v);
                        return NULL;
                }
        return v;
}

bool strv_contains(const char *const *v, const char *s)
{
        for (size_t i = 0; v[i]; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}
