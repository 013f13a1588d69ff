/* Host paths as runc and crun resolve them: relative to the bundle, symbolic links followed and
 * ".." taken the way the kernel's path walk takes them, and runc's lexical cleaning of a relative
 * bind source; then judged against the policy's deny list (at, under or above a denied path). */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "rules/helpers.h"

enum host_path_status {
        HOST_PATH_OK,
        HOST_PATH_MAGIC,     /* walks through a /proc magic link (a readlink cannot say where) */
        HOST_PATH_LOOP,      /* too many symbolic links */
        HOST_PATH_DOTDOT,    /* ".." after a component that does not exist: the walk fails */
        HOST_PATH_TOO_LONG,  /* longer than PATH_MAX once resolved */
        HOST_PATH_NO_BUNDLE, /* relative, and the bundle directory cannot be resolved */
        _HOST_PATH_STATUS_MAX,
};

struct host_path {
        enum host_path_status status;
        char resolved[PATH_MAX]; /* canonical; a missing tail appended as written */
        bool exists;
        mode_t mode; /* the file's type and mode, following symbolic links, when it exists */
        /* A directory on the way that a user other than root can change (rename an entry,
         * replace it with a symbolic link) after hardrun looked and before the runtime mounts:
         * racy_dir names it, racy_who who can ("its owner, uid 1000,", "any user"). */
        bool racy;
        char racy_dir[PATH_MAX];
        char racy_who[64];
};

/* Resolves path as the kernel walks it from the bundle (relative) or / (absolute). */
int host_path_resolve(const char *bundle, const char *path, struct host_path *ret);

/* runc's reading of a relative bind source or root.path: filepath.Join(bundle, path), which
 * removes ".." lexically, then the kernel's walk. Equal to host_path_resolve for an absolute
 * path. */
int host_path_resolve_lexical(const char *bundle, const char *path, struct host_path *ret);

const char *host_path_status_to_string(enum host_path_status s);

/* The deny-list entry resolved lies at, under or above, or NULL; *ret_how says which ("denied
 * host path", "under a denied host path", "contains a denied host path"). "/" in the list is
 * denied only as itself. */
const char *host_path_denied(const char *const *deny, const char *resolved, const char **ret_how);

/* Whether some pattern matches path (util/pathpattern.h). */
bool host_path_matches_any(const char *const *patterns, const char *path);

/* a equals b or lies below it. */
bool is_path_at_or_below(const char *a, const char *b);

/* Judges a host path a mount hands the container (a bind source, root.path, an overlay
 * directory) the way both runtimes could read it: refused (rule_refuse at path, with before)
 * when it cannot be resolved as the runtime will, when either reading is on the deny list and
 * not allowed, or when it is racy and the policy does not accept that. On success *ret holds
 * the kernel's reading. what names the mount in the message ("bind mount of"); lexical: also
 * judge runc's lexical reading of a relative path; note (may be NULL) is added to the reason of a
 * denied path ("another pod's directory; ..."). */
int host_path_judge(struct rule_ctx *ctx, const char *path, const struct json *before,
                    const char *value, const char *what, bool lexical, const char *const *allow,
                    const char *note, struct host_path *ret, bool *ret_refused,
                    struct hr_error *err);

/* host_path_judge of a path its caller already resolved: hp is host_path_resolve(ctx->bundle,
 * value) (a rule that looks at the kernel's reading first walks it once, not twice). */
int host_path_judge_resolved(struct rule_ctx *ctx, const char *path, const struct json *before,
                             const char *value, const char *what, bool lexical,
                             const char *const *allow, const char *note, const struct host_path *hp,
                             bool *ret_refused, struct hr_error *err);

/* The per-container files and volumes engines make for one container, under their own data
 * directories: what the mounts rule lets a container bind (each only for its own pod or
 * container) and what the user_namespace rule ID-maps. A list for both initialisers. */
/* clang-format off */
#define ENGINE_MANAGED_PATHS \
        /* Docker: per-container files and named volumes */ \
        "/var/lib/docker/containers/*/hosts", \
        "/var/lib/docker/containers/*/hostname", \
        "/var/lib/docker/containers/*/resolv.conf", \
        "/var/lib/docker/containers/*/mounts/", \
        "/var/lib/docker/volumes/*/_data/", \
        /* containerd CRI sandbox files, image VOLUMEs (each only for its own pod or \
         * container: rules/mounts.c) */ \
        "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/*/", \
        "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/*/", \
        "/var/lib/containerd/io.containerd.grpc.v1.cri/containers/*/volumes/", \
        /* kubelet: pod volumes (service account tokens, config maps, emptyDir), /etc/hosts, \
         * termination logs */ \
        "/var/lib/kubelet/pods/*/volumes/", \
        "/var/lib/kubelet/pods/*/volume-subpaths/", \
        "/var/lib/kubelet/pods/*/etc-hosts", \
        "/var/lib/kubelet/pods/*/containers/", \
        /* podman / CRI-O container files and volumes */ \
        "/var/lib/containers/storage/overlay-containers/*/userdata/", \
        "/run/containers/storage/overlay-containers/*/userdata/", \
        "/var/lib/containers/storage/volumes/*/_data/"
/* clang-format on */
