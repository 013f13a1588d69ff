/* Matching host paths against the policy's path patterns (see pathpattern.h). */
#include "util/pathpattern.h"

#include <limits.h>
#include <string.h>

/* One pass over both strings, no strlen or strchr: thousands of bind sources meet every
 * pattern of the allow list, and most differ within the first components. */
bool path_pattern_matches(const char *pattern, const char *path)
{
        const char *p = pattern, *s = path;

        for (;;) {
                while (*p == '/')
                        p++;
                while (*s == '/')
                        s++;
                if (!*p) /* a pattern ending in '/' is a prefix */
                        return !*s || (p != pattern && p[-1] == '/');
                if (!*s)
                        return false;
                if (p[0] == '*' && (p[1] == '/' || !p[1])) {
                        p++;
                        while (*s && *s != '/')
                                s++;
                        continue;
                }
                while (*p && *p != '/' && *p == *s) {
                        p++;
                        s++;
                }
                if ((*p && *p != '/') || (*s && *s != '/'))
                        return false;
        }
}

bool path_is_clean_absolute(const char *path)
{
        if (path[0] != '/' || strlen(path) >= PATH_MAX)
                return false;
        for (const char *c = path; *c; c++)
                if (c[0] == '/' &&
                    (c[1] == '/' || (c[1] == '.' && (c[2] == '/' || !c[2] ||
                                                     (c[2] == '.' && (c[3] == '/' || !c[3]))))))
                        return false;
        return strcmp(path, "/") != 0 && path[strlen(path) - 1] != '/';
}
