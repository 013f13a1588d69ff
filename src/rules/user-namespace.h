/* The user_namespace rule's settings: the rule reads them, and so does idmap-spec.c, which after
 * the rules holds a container's own range and makes the ID-mapped mounts. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum userns_allocation {
        USERNS_ALLOCATION_SHARED,        /* every container maps onto the first range */
        USERNS_ALLOCATION_PER_CONTAINER, /* each its own range from the pool */
};

struct user_namespace_settings {
        uint32_t host_uid, host_gid, size; /* container 0.. → host host_uid.. */
        enum userns_allocation allocation;
        uint32_t ranges;      /* the pool: ranges of size ids from host_uid/host_gid */
        bool idmap;           /* rootfs and engine volumes become ID-mapped mounts */
        char **idmap_sources; /* NULL: the built-in list (user_namespace_idmap_sources) */
        char *subid_user;     /* owner of the pool in /etc/subuid, /etc/subgid; or NULL */
};

/* The bind sources the rule ID-maps for a container it gives a user namespace: the
 * per-container files and volumes engines manage ('*' one component, trailing '/' below). */
const char *const *user_namespace_idmap_sources(const struct user_namespace_settings *s);
