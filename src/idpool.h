/* Host id ranges for user-namespaced containers, and the state that proves who holds one: one
 * directory per container under a root-only state directory, holding its ranges and its
 * ID-mapped mounts, published atomically and removed once the runtime no longer knows the
 * container. Every step happens under one lock, so concurrent creates never share a range and
 * a create killed at any moment leaves only what the next create or delete cleans. Non-logging. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "idmap.h"
#include "util/error.h"

#define IDPOOL_STATE_DIR "/run/hardrun/userns"

struct idpool_config {
        uint32_t host_uid, host_gid, size; /* the first range */
        uint32_t ranges;                   /* how many ranges of size ids follow it */
        bool per_container;                /* false: every container gets the first range */
        const char *subid_user;            /* NULL: the pool must avoid /etc/subuid and subgid */
};

/* One container's directory. */
struct idpool_entry {
        int dirfd;               /* -1: none */
        char path[PATH_MAX];     /* absolute path of the directory */
        struct idmap_range uids; /* the container's host uids and gids */
        struct idmap_range gids;
};

#define IDPOOL_ENTRY_INIT   \
        {                   \
                .dirfd = -1 \
        }

/* The ranges a policy pool spans must not contain id 0 or wrap: checked by the policy parser
 * already; here for a config built otherwise. */
int idpool_config_check(const struct idpool_config *cfg, struct hr_error *err);

/* Takes a range for the container the runtime will know as runtime_root/container_id and
 * publishes its directory (mode 0710, group = the range's first gid, so the container's root
 * can reach its mounts and no other id can). Collects dead containers' directories first. The
 * range avoids every live container's, and, on the host, ids of /etc/passwd and /etc/group users
 * and groups and /etc/subuid and /etc/subgid ranges (unless they belong to subid_user, whose
 * ranges must then hold it). */
int idpool_acquire(const char *state_dir, const struct idpool_config *cfg, const char *runtime_root,
                   const char *container_id, struct idpool_entry *ret, struct hr_error *err);

/* Undoes a create that will not reach the runtime: mounts detached, directory removed. */
void idpool_abandon(const char *state_dir, struct idpool_entry *e);

/* Closes the entry's directory fd; the directory stays, owned by the container. */
void idpool_entry_done(struct idpool_entry *e);

/* For `delete`: detaches the mounts of runtime_root/container_id at once (its own mount
 * namespace keeps what a live container uses), and removes every directory whose container is
 * gone. Never blocks for long; errors are only reported. */
int idpool_on_delete(const char *state_dir, const char *runtime_root, const char *container_id,
                     struct hr_error *err);

/* Removes the directories of containers the runtime no longer knows (creator gone, runtime
 * state directory gone, or an earlier boot). Takes the lock. Returns how many were removed. */
int idpool_collect(const char *state_dir, struct hr_error *err);

/* The id range of the live container runtime_root/container_id: 1 found, 0 none (also once
 * a delete was asked for). */
int idpool_lookup(const char *state_dir, const char *runtime_root, const char *container_id,
                  struct idmap_range *ret_uids, struct idmap_range *ret_gids);
