/* `hardrunctl seccomp diff`: two profiles compared as runc and crun would load them. Admin-only:
 * the runtime never compares profiles. */
#pragma once

#include "json.h"
#include "seccomp-profile.h"
#include "util/error.h"
#include "util/lines.h"

/* The syscalls, per architecture, that a allows and b does not ("< x86_64 ptrace") and that b
 * allows and a does not ("> x86_64 ..."), sorted by architecture (in a's order, then b's) and
 * name. A syscall allowed only for some argument values says so. Both must be valid. */
int seccomp_profile_diff(const struct json *a, const struct seccomp_source *src_a,
                         const struct json *b, const struct seccomp_source *src_b,
                         struct lines *ret, struct hr_error *err);
