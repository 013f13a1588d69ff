/* The runtime half of rule user_namespace: after the rules, a container that got its user
 * namespace from hardrun gets its id range (idpool) and, with idmap, ID-mapped mounts of its
 * rootfs and engine-managed bind sources (idmap), and the spec is pointed at them. The rules
 * judged the engine's paths; what is rewritten here is hardrun's own. Non-logging. */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "findings.h"
#include "idpool.h"
#include "json.h"
#include "policy.h"
#include "util/error.h"

struct idmap_spec {
        struct idpool_entry entry; /* dirfd -1: nothing was prepared */
};

#define IDMAP_SPEC_INIT                    \
        {                                  \
                .entry = IDPOOL_ENTRY_INIT \
        }

struct idmap_spec_target {
        const char *bundle;       /* the runtime's bundle directory (relative paths start there) */
        const char *runtime_root; /* absolute: the runtime's state is runtime_root/container_id */
        const char *container_id;
        bool restore; /* `restore`: a checkpoint cannot move to another range */
};

/* Does nothing unless rule user_namespace added the config's user namespace (a finding says so)
 * and the policy allocates per container or ID-maps. Otherwise takes the range, makes the
 * mounts, rewrites linux.uidMappings/gidMappings hostID, root.path and the sources, and records
 * each change in findings (rule user_namespace, changed). *ret_changed tells whether doc
 * changed. On failure nothing is left behind. */
int idmap_spec_prepare(const struct policy *p, const struct idmap_spec_target *t, struct json *doc,
                       struct findings *findings, bool *ret_changed, struct idmap_spec *st,
                       struct hr_error *err);

/* The create will not reach the runtime: the range and the mounts are given back. */
void idmap_spec_abort(struct idmap_spec *st);

/* The runtime's state directory root: --root, or the runtime's default for root. Relative
 * paths are made absolute from the current directory (the runtime resolves them so). */
int idmap_spec_runtime_root(const char *root, enum cli_dialect dialect, char *buf, size_t size);

/* Whether the container runs in a user namespace hardrun gave it (and is not being deleted),
 * with its ranges: an exec into it is judged as inside that namespace. */
bool idmap_spec_in_userns(const char *root, enum cli_dialect dialect, const char *container_id,
                          struct idmap_range *ret_uids, struct idmap_range *ret_gids);

/* Anonymous pipes and sockets among fds 0-2 (what engines give a container as stdio) become
 * the container root's, so it can reopen them (/dev/stderr) as crun lets it. */
void idmap_spec_chown_stdio(const struct idmap_range *uids, const struct idmap_range *gids);

/* `delete` (pass-through): the container's ID-mapped mounts detached, dead containers' state
 * collected. argv as the runtime got it; index is the subcommand's word. Errors are only
 * reported: a delete must never be blocked. */
int idmap_spec_on_delete(int argc, char *const *argv, int index, const char *root,
                         enum cli_dialect dialect, struct hr_error *err);
