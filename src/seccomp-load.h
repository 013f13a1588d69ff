/* Loading the seccomp profile a policy installs. */
#pragma once

#include "json.h"
#include "seccomp-profile.h"
#include "util/error.h"

/* The profile name (built-in, or an absolute path to a trusted file) as the seccomp rule
 * installs it: a file is validated and compiled with libseccomp before any container uses it
 * (remembered per content in a root-only directory on /run); a built-in one is immutable and
 * validated by the test suite instead. Refuses a profile whose defaultAction allows every
 * syscall; keeps only the host's architectures. *ret is the caller's. */
int seccomp_profile_load(const char *name, enum seccomp_unknown_names unknown, struct json **ret,
                         struct hr_error *err);
