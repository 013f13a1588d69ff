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

struct policy;

/* The seccomp profile the policy installs, loaded on first use (never on pass-through) with
 * seccomp_profile_load(); a built-in one is validated by the test suite instead
 * (tests/unit/test-seccomp.c), which keeps libseccomp's cost off the default start path. */
int policy_seccomp_profile(struct policy *p, const struct json **ret, struct hr_error *err);

/* Hands the loaded profile over to the caller (a later policy_seccomp_profile() loads it again);
 * NULL when none is loaded. */
struct json *policy_seccomp_profile_take(struct policy *p);
