/* `exec` flags that choose the new process's identity (--user, --additional-gids, --cap) are
 * argv, which hardrun never rewrites: where the policy would change them, the exec is refused
 * (enforce and deny alike), and audit mode records what it would refuse. */
#pragma once

#include "cli.h"
#include "findings.h"
#include "policy.h"
#include "util/error.h"

/* Runs every rule's exec-flag check (rules/rule.h) whose mode is not off and appends one finding
 * per offending flag, with action DENIED (or WOULD_DENY in audit mode); *ret_denied is set when
 * the exec must be refused. A rule an id exemption takes out for container_id (may be NULL)
 * refuses nothing: one EXEMPTED finding says so where it would have. p is a full policy. */
int execflags_check(struct policy *p, const char *container_id, const struct cli_exec_flags *flags,
                    struct findings *out, bool *ret_denied, struct hr_error *err);
