/* Host path patterns of the policy's path lists: '*' matches one component, a trailing '/' the
 * directory and everything below it. */
#pragma once

#include <stdbool.h>

/* Both are absolute and clean (no "." or ".." components); repeated slashes are ignored. */
bool path_pattern_matches(const char *pattern, const char *path);

/* An absolute path in its one clean spelling: no empty, "." or ".." component, no trailing '/',
 * not "/" itself, shorter than PATH_MAX. */
bool path_is_clean_absolute(const char *path);
