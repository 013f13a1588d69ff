/* Keeps crun's chown of its standard streams off the host's /dev/null. */
#pragma once

/* crun (1.8, maybe_chown_std_streams) fchown()s each of descriptors 0-2 that is not a terminal
 * to the container's user: on exec always, on create, run and restore before it enters a user
 * namespace. An inherited /dev/null is the host's, so every exec hardrun moves off root would
 * leave the host's /dev/null owned by 65534 (runc skips /dev/null). Each of descriptors 0-2
 * that is the null device gets a null device node of its own instead: the same device (1:3),
 * an unlinked inode whose owner nobody else sees. Where no node can be made (no CAP_MKNOD),
 * stdin gets an empty pipe, which reads the same; stdout and stderr stay as they are. Best
 * effort: returns how many descriptors were replaced, or a negative errno; the caller starts
 * the container either way. */
int devnull_private_stdio(void);
