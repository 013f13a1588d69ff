/* The seccomp rule's settings: the rule reads them, and so does the fallback to the last good
 * copy of a profile file (lastgood.c), which points the policy at another profile. */
#pragma once

#include "json.h"
#include "seccomp-profile.h"

struct seccomp_settings {
        char *profile;                      /* built-in name or absolute path */
        enum seccomp_merge_strategy merge;  /* when the spec brings its own profile */
        enum seccomp_unknown_names unknown; /* syscall names libseccomp does not know */
        struct json *loaded;                /* cache, filled by policy_seccomp_profile() */
};
