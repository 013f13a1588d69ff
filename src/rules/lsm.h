/* The lsm rule's host probe, exposed for unit tests only. */
#pragma once

/* Prefix of the /sys paths that tell whether the host runs AppArmor or SELinux: "" in the
 * binaries; a unit test points it at a fake tree. Nothing reads it from the environment. */
extern const char *lsm_sysfs_prefix;
