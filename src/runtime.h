/* The real runtime: found in trusted system directories only, exec'd in our place. */
#pragma once

#include <limits.h>

#include "cli.h"
#include "policy.h"
#include "util/error.h"

struct runtime {
        char path[PATH_MAX];
        char argv0[PATH_MAX];
        enum cli_dialect dialect;
};

/* The policy's runtime (a bare name is looked up in trusted directories, never in PATH), or
 * runc, falling back to crun. hardrun itself (an install as "runc" earlier in those
 * directories) is skipped during lookup and refused when named by path. */
int runtime_resolve(const struct policy *p, struct runtime *ret, struct hr_error *err);

/* runtime_resolve() as the hardrun binary at hardrun_path would resolve it (for hardrunctl,
 * whose own binary is not the one to skip; NULL: this process's own binary). */
int runtime_resolve_as(const struct policy *p, const char *hardrun_path, struct runtime *ret,
                       struct hr_error *err);

/* execve()s the runtime with argv[1..] unchanged and the environment as it is. Returns only on
 * failure. */
int runtime_exec(const struct runtime *rt, char **argv, struct hr_error *err);
