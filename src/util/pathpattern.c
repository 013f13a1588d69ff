/* Matching host paths against the policy's path patterns (see pathpattern.h). */
#include "util/pathpattern.h"

#include <string.h>

bool path_pattern_matches(const char *pattern, const char *path)
{
        bool prefix = pattern[0] && pattern[strlen(pattern) - 1] == '/';
        const char *p = pattern, *s = path;

        for (;;) {
                const char *pe, *se;
                while (*p == '/')
                        p++;
                while (*s == '/')
                        s++;
                if (!*p)
                        return !*s || prefix;
                if (!*s)
                        return false;
                pe = strchr(p, '/');
                se = strchr(s, '/');
                if (!pe)
                        pe = p + strlen(p);
                if (!se)
                        se = s + strlen(s);
                if (!(pe - p == 1 && *p == '*') &&
                    !(pe - p == se - s && strncmp(p, s, (size_t)(pe - p)) == 0))
                        return false;
                p = pe;
                s = se;
        }
}
