/* `exec` without --process: the process the runtime will really run, built the way it builds
 * it, judged by the process rules. runc 1.1 takes the bundle's config.json as it is at exec time
 * (the bundle named in the container's state.json under --root) and applies the flags; crun 1.8
 * starts from its own defaults (uid 0, gid 0, no_new_privs off, its own rlimits) and takes only
 * capabilities, env and LSM labels from the container's config when no flag gives them. */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "harden.h"
#include "policy.h"
#include "util/error.h"

/* result gets the rules' findings (a change enforce would make is DENIED: argv cannot be
 * rewritten); *ret_file names where the process came from, for messages and the audit log
 * (static or owned by the caller through *ret_owned). remapped: the container runs in a user
 * namespace hardrun gave it, so root and capabilities are judged as inside it. */
int execproc_check(struct policy *p, const struct cli_args *a, bool remapped, int argc,
                   char *const *argv, struct harden_result *result, char **ret_file,
                   struct hr_error *err);
