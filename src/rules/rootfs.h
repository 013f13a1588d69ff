/* The rootfs rule's settings: its scratch tmpfs list. */
#pragma once

#include <stddef.h>

struct rootfs_tmpfs {
        char *path;
        char **options; /* NULL-terminated, one option each, always nosuid, nodev, noexec */
};

struct rootfs_tmpfs_list {
        struct rootfs_tmpfs *items;
        size_t n;
};

struct rootfs_settings {
        struct rootfs_tmpfs_list tmpfs; /* the policy's list replaces the default one */
};
