/* mounts: no mount hands the container a host path on the policy's deny list. A bind source, and
 * the root filesystem (root.path), is resolved as runc and crun resolve it (relative to the
 * bundle, symbolic links followed, ".." as the kernel and as runc's lexical cleaning take it) and
 * refused at, under or above a denied path (mounting /run exposes /run/docker.sock), unless it is
 * an engine-managed source. A bind source is also judged by what it is: a UNIX socket (an engine
 * API wherever it lives) or a device node is refused unless the policy allows special files.
 * Engine directories with one subdirectory per pod or container are allowed to their owner only.
 * Rewriting cannot make such a mount safe, so it is refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/paths.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

/* What engines themselves mount into every container from under those directories. */
static const char *const default_mounts_allow[] = {
        ENGINE_MANAGED_PATHS,
        /* the init process `docker run --init` and `podman run --init` bind in */
        "/usr/bin/docker-init",
        "/usr/libexec/docker/docker-init",
        "/usr/local/bin/docker-init",
        "/usr/bin/tini",
        "/usr/bin/tini-static", /* Debian's docker-init is a link to tini */
        "/usr/bin/catatonit",
        "/usr/libexec/podman/catatonit",
        "/usr/libexec/catatonit/catatonit",
        NULL,
};

/* Where engines keep container root filesystems (their storage drivers' mount points and the
 * bundles containerd and BuildKit hand runc). */
static const char *const default_mounts_rootfs[] = {
        "/var/lib/docker/overlay2/*/merged",
        "/var/lib/docker/fuse-overlayfs/*/merged",
        "/var/lib/docker/vfs/dir/*",
        "/var/lib/docker/btrfs/subvolumes/*",
        "/var/lib/docker/zfs/graph/*",
        "/var/lib/docker/aufs/mnt/*",
        "/run/containerd/io.containerd.runtime.v2.task/*/*/rootfs",
        "/run/containerd/io.containerd.runtime.v1.linux/*/*/rootfs",
        "/var/lib/containers/storage/overlay/*/merged",
        "/var/lib/containers/storage/vfs/dir/*",
        "/var/lib/containers/storage/btrfs/subvolumes/*",
        "/run/containers/storage/overlay/*/merged",
        "/var/lib/buildkit/runc-overlayfs/executor/*/rootfs",
        "/var/lib/buildkit/runc-native/executor/*/rootfs",
        NULL,
};

const char *const *policy_mounts_rootfs(const struct policy *p)
{
        return p->mounts.rootfs ? (const char *const *)p->mounts.rootfs : default_mounts_rootfs;
}

const char *const *policy_mounts_allow(const struct policy *p)
{
        return p->mounts.allow ? (const char *const *)p->mounts.allow : default_mounts_allow;
}

static bool is_bind(struct rule_ctx *ctx, struct json *m, const char *path, struct hr_error *err,
                    int *ret_r)
{
        struct json *type, *options;
        int r;

        *ret_r = 0;
        r = rule_field(ctx, m, path, "type", JSON_STRING, false, &type, err);
        if (r < 0)
                return *ret_r = r, false;
        if (is_bind_mount(type, NULL))
                return true;
        r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &options, err);
        if (r < 0)
                return *ret_r = r, false;
        return is_bind_mount(NULL, options);
}

/* A socket answers whoever connects (the Docker API is root on the host), a device node is the
 * hardware behind it: neither is a file the container should get by a bind mount. */
static int judge_special_file(struct rule_ctx *ctx, const char *path, const struct json *source,
                              const struct host_path *hp, struct hr_error *err)
{
        char wanted[PATH_MAX + 128];
        const char *kind = S_ISSOCK(hp->mode)  ? "UNIX socket"
                           : S_ISBLK(hp->mode) ? "block device"
                           : S_ISCHR(hp->mode) ? "character device"
                                               : NULL;

        if (!hp->exists || !kind || ctx->policy->mounts.special_files)
                return 0;
        snprintf(wanted, sizeof(wanted), "no bind mount of the %s '%s'", kind, hp->resolved);
        return rule_refuse(ctx, path, source, wanted, err);
}

/* Engine directories with one subdirectory per pod or container. The allow list opens only the
 * container's own: a path into another pod's (its volumes and token, its /dev/shm) is judged
 * by the deny list like any host path, and so is one from a spec that names no owner. */
static const struct {
        const char *dir;        /* resolved, with a trailing '/' */
        const char *annotation; /* where the engine names the owner; NULL: the container id */
        const char *owner;      /* for the message */
} owned_dirs[] = {
        {"/var/lib/kubelet/pods/", "io.kubernetes.cri.sandbox-uid", "pod"},
        {"/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/", "io.kubernetes.cri.sandbox-id",
         "pod sandbox"},
        {"/run/containerd/io.containerd.grpc.v1.cri/sandboxes/", "io.kubernetes.cri.sandbox-id",
         "pod sandbox"},
        {"/var/lib/containerd/io.containerd.grpc.v1.cri/containers/", NULL, "container"},
};

/* Whether resolved lies in another owner's directory of owned_dirs (or one whose owner the spec
 * does not name); why then says whose. */
static bool is_foreign_dir(const struct rule_ctx *ctx, const struct json *doc, const char *resolved,
                           char *why, size_t size)
{
        const struct json *annotations = json_object_get(doc, "annotations");

        if (annotations && annotations->type != JSON_OBJECT)
                annotations = NULL;
        for (size_t i = 0; i < ELEMENTSOF(owned_dirs); i++) {
                size_t n = strlen(owned_dirs[i].dir), len;
                const char *entry = resolved + n, *own = NULL;
                const struct json *v;

                if (strncmp(resolved, owned_dirs[i].dir, n) != 0 || !*entry)
                        continue;
                len = strcspn(entry, "/");
                if (owned_dirs[i].annotation) {
                        v = annotations ? json_object_get(annotations, owned_dirs[i].annotation)
                                        : NULL;
                        own = json_is_clean_string(v) ? v->scalar.text : NULL;
                } else {
                        own = ctx->container_id;
                }
                if (own && *own && strlen(own) == len && strncmp(entry, own, len) == 0)
                        return false;
                if (own && *own)
                        snprintf(why, size, "another %s's directory; this container's is '%s'",
                                 owned_dirs[i].owner, own);
                else
                        snprintf(why, size, "a %s's directory, and the spec names no %s%s%s",
                                 owned_dirs[i].owner, owned_dirs[i].owner,
                                 owned_dirs[i].annotation ? ": no annotation " : "",
                                 owned_dirs[i].annotation ? owned_dirs[i].annotation : "");
                return true;
        }
        return false;
}

/* The node's /dev/shm bound at /dev/shm in a spec without an IPC namespace of its own (none
 * listed, or the host's joined by path, as containerd's pod containers join their hostIPC
 * pause container's): what a host IPC request (Kubernetes hostIPC, docker --ipc host)
 * brings. Rule namespaces judges that request, so one exemption covers both. */
static bool is_host_ipc_shm(const struct json *doc, const struct json *m, const char *resolved)
{
        const struct json *dest = json_object_get(m, "destination");
        const struct json *linux_obj = json_object_get(doc, "linux");
        const struct json *list = linux_obj ? json_object_get(linux_obj, "namespaces") : NULL;
        char clean[32];

        if (strcmp(resolved, "/dev/shm") != 0 || !json_is_clean_string(dest) ||
            !rule_clean_path(dest->scalar.text, clean, sizeof(clean)) ||
            strcmp(clean, "/dev/shm") != 0)
                return false;
        for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->array.n; i++) {
                const struct json *type = json_object_get(list->array.items[i], "type");
                const struct json *ns_path = json_object_get(list->array.items[i], "path");
                if (!json_is_clean_string(type) || strcmp(type->scalar.text, "ipc") != 0)
                        continue;
                return json_is_clean_string(ns_path) &&
                       is_host_namespace("ipc", ns_path->scalar.text);
        }
        return true;
}

static int judge_bind_sources(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        static const char *const no_allow[] = {NULL};
        const char *const *allow = policy_mounts_allow(ctx->policy);
        struct json *mounts;
        int r;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *source;
                char path[RULE_PATH_MAX], source_path[RULE_PATH_MAX], foreign[PATH_MAX];
                const char *const *use_allow = allow;
                struct host_path hp;
                bool refused;

                rule_index_path(path, "/mounts", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if (!is_bind(ctx, m, path, err, &r)) {
                        if (r < 0)
                                return r;
                        continue;
                }
                r = rule_field(ctx, m, path, "source", JSON_STRING, false, &source, err);
                if (r <= 0)
                        return r;
                rule_key_path(source_path, path, "source");
                foreign[0] = '\0';
                if ((r = host_path_resolve(ctx->bundle, source->scalar.text, &hp)) < 0)
                        return error_set(err, r, "%s: '%s': cannot resolve '%s': %s", ctx->file,
                                         source_path, source->scalar.text, strerror(-r));
                if (hp.status == HOST_PATH_OK) {
                        /* Absolute only: runc's lexical reading of a relative one may differ. */
                        if (source->scalar.text[0] == '/' && is_host_ipc_shm(doc, m, hp.resolved))
                                continue;
                        /* Another pod's directory is judged as any host path (the owner
                         * check first: it is four prefixes, the allow list is dozens). */
                        if (is_foreign_dir(ctx, doc, hp.resolved, foreign, sizeof(foreign)) &&
                            host_path_matches_any(allow, hp.resolved))
                                use_allow = no_allow;
                        else
                                foreign[0] = '\0';
                }
                /* runc joins a relative source to the bundle and cleans it as text; crun walks
                 * it from the bundle: both readings are judged. */
                r = host_path_judge_resolved(ctx, source_path, source, source->scalar.text,
                                             "bind mount of", true, use_allow,
                                             *foreign ? foreign : NULL, &hp, &refused, err);
                if (r < 0)
                        return r;
                if (!refused && (r = judge_special_file(ctx, source_path, source, &hp, err)) < 0)
                        return r;
        }
        return 0;
}

/* root.path: a host directory as the container's root (/, /etc) is a host mount too. Engines
 * keep root filesystems under their state directories: those match policy_mounts_rootfs. */
static int judge_root_path(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *root, *path;
        struct host_path hp;
        bool refused;
        int r;

        r = rule_field(ctx, doc, "", "root", JSON_OBJECT, false, &root, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, root, "/root", "path", JSON_STRING, false, &path, err);
        if (r <= 0)
                return r;
        if (!json_is_clean_string(path))
                return rule_fail(ctx, "/root/path", err, "contains a NUL byte");
        return host_path_judge(ctx, "/root/path", path, path->scalar.text, "root filesystem at",
                               true, policy_mounts_rootfs(ctx->policy), NULL, &hp, &refused, err);
}

static int apply_mounts(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        int r = judge_bind_sources(ctx, doc, err);

        return r < 0 ? r : judge_root_path(ctx, doc, err);
}

static const char *const owns[] = {"/mounts/*/source", "/root/path", NULL};

const struct rule rule_mounts = {
        .id = RULE_MOUNTS,
        .name = "mounts",
        .for_process = false,
        .owns = owns,
        .apply = apply_mounts,
};
