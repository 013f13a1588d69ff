/* What the lsm rule judges, shared with rule privileged and the checks of the runtime's
 * command-line flags (cliflags.c), and its host probe, exposed for unit tests only. */
#pragma once

#include <stdbool.h>

#include "policy.h"

/* "unconfined" as the kernel reads an AppArmor profile name (blanks, a leading '&'). */
bool lsm_apparmor_is_unconfined(const char *name);

/* The label's type is one the policy allows (never spc_t); p is a full policy. */
bool lsm_selinux_label_allowed(const struct policy *p, const char *label);

/* Prefix of the /sys paths that tell whether the host runs AppArmor or SELinux: "" in the
 * binaries; a unit test points it at a fake tree. Nothing reads it from the environment. */
extern const char *lsm_sysfs_prefix;
