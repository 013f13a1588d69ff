/* `update` changes a running container's cgroup limits (and, with crun, its device rules):
 * judged so that no limit the policy sets is lifted and no device rule widened. */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "findings.h"
#include "policy.h"
#include "util/error.h"

/* Judges the value flags, or the --resources file read as the runtime will read it (runc and
 * crun take only the file when one is given). Stdin ("-") is read once and handed on as the
 * same bytes: fd 0 becomes a memory file holding them. *ret_file names what was judged. */
int update_check(const struct policy *p, const struct cli_args *a, struct findings *out,
                 bool *ret_denied, const char **ret_file, struct hr_error *err);
