/* ID-mapped mounts: the kernel calls (open_tree, mount_setattr, fsopen) that show host files to a
 * container's user namespace as its own, without chown. Non-logging; root only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* Container ids 0..size-1 are host ids host..host+size-1. */
struct idmap_range {
        uint32_t host, size;
};

/* Through an ID-mapped overlayfs upper layer, overlayfs writes its own work files and whiteouts
 * with the credentials of the mounter, host root. The mapping of the mount therefore also
 * shows on-disk id 4294967294 as host id 0 (never container root: the container's own user
 * namespace maps 0..size-1 only). No image uses that id; the container cannot write it. */
#define IDMAP_HOST_ROOT_DISK_ID 4294967294u

/* A user namespace for mount_setattr(MOUNT_ATTR_IDMAP): uid 0.. onto uids->host.., gid 0.. onto
 * gids->host.., plus IDMAP_HOST_ROOT_DISK_ID onto host id 0. Made by a short-lived child that
 * is gone when this returns. */
int idmap_userns_open(const struct idmap_range *uids, const struct idmap_range *gids, int *ret_fd,
                      struct hr_error *err);

enum idmap_kind {
        IDMAP_BIND,    /* an ID-mapped bind of the tree */
        IDMAP_OVERLAY, /* a new overlayfs on ID-mapped copies of the original's layers */
};

/* A detached, ID-mapped copy of the tree at fd (an O_PATH descriptor of a directory or file):
 * an ID-mapped bind (every mount below it too when recursive), or, where fd is the root of an
 * overlayfs mount (which the kernel cannot ID-map before Linux 7.2), a new overlayfs on ID-mapped
 * copies of its lower and upper layers, sharing the upper layer. Fails with a message naming what
 * is missing: the mount API (Linux 5.12), ID-mapped mount support of the filesystem, overlayfs
 * on ID-mapped layers (Linux 5.19). layers_dirfd is where layer copies may be attached for a
 * moment on kernels whose overlayfs refuses detached layers (before Linux 6.15); the names
 * used there start with ".layer". what names the tree in messages. */
int idmap_mount_tree(int fd, const char *what, bool recursive, int userns_fd, int layers_dirfd,
                     int *ret_mnt, enum idmap_kind *ret_kind, struct hr_error *err);

/* Attaches the detached mount mnt_fd at name below dirfd, created first as an empty directory
 * or file like the mount's root. */
int idmap_attach(int mnt_fd, int dirfd, const char *name, struct hr_error *err);

/* Detaches every mount stacked at name below dirfd (lazily: a container that holds a copy in
 * its own mount namespace keeps it). Returns how many were detached, or a negative errno. */
int idmap_detach(int dirfd, const char *name);
