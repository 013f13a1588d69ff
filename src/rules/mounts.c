/* mounts: no mount hands the container a host path on the policy's deny list. A bind source, and
 * the root filesystem (root.path), is resolved as runc and crun resolve it (relative to the
 * bundle, symbolic links followed, ".." as the kernel and as runc's lexical cleaning take it) and
 * refused at, under or above a denied path (mounting /run exposes /run/docker.sock), unless it is
 * an engine-managed source. A bind source is also judged by what it is: a UNIX socket (an engine
 * API wherever it lives) or a device node is refused unless the policy allows special files.
 * Engine directories with one subdirectory per pod or container are allowed to their owner only.
 * Rewriting cannot make such a mount safe, so it is refused. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "rules/mounts.h"
#include "rules/paths.h"
#include "rules/terms.h"
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

static const struct setting settings[] = {
        {"deny", &setting_strv, offsetof(struct mounts_settings, deny), SETTING_ABSOLUTE,
         .builtin = mounts_default_deny,
         .description = "absolute host paths no mount may expose; the list replaces the "
                        "built-in one"},
        {"allow", &setting_strv, offsetof(struct mounts_settings, allow), SETTING_ABSOLUTE,
         .builtin = default_mounts_allow,
         .description = "engine-managed sources allowed although under a denied path; '*' "
                        "matches one path component, a trailing '/' everything below; the "
                        "list replaces the built-in one"},
        {"rootfs", &setting_strv, offsetof(struct mounts_settings, rootfs), SETTING_ABSOLUTE,
         .builtin = default_mounts_rootfs,
         .description = "where engines keep root filesystems: a root.path under a denied "
                        "path is allowed when it matches one (same patterns)"},
        {"special_files", &setting_bool, offsetof(struct mounts_settings, special_files),
         .description = "allow UNIX sockets and device nodes as bind sources"},
        {"racy_sources", &setting_bool, offsetof(struct mounts_settings, racy_sources),
         .description = "allow sources reached through directories a user other than root "
                        "can change (default false: such a user can swap an entry for a "
                        "symbolic link to /etc between hardrun's check and the runtime's "
                        "mount, a TOCTOU hardrun cannot close; docker run -v "
                        "/home/alice/src:/src is refused while alice owns /home/alice). Ways "
                        "out: make the directory owned by root and writable by root alone, "
                        "set this key, or exempt the workload from rule 'mounts'"},
};

static const struct mounts_settings defaults = {0};

const char *const *mounts_allow(const struct policy *p)
{
        const struct mounts_settings *s = mounts_settings(p);

        return settings_strv_or(s ? s->allow : NULL, default_mounts_allow);
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
        const struct mounts_settings *own = ctx->settings;
        char wanted[PATH_MAX + 128];
        const char *kind = S_ISSOCK(hp->mode)  ? "UNIX socket"
                           : S_ISBLK(hp->mode) ? "block device"
                           : S_ISCHR(hp->mode) ? "character device"
                                               : NULL;

        if (!hp->exists || !kind || own->special_files)
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
        const char *const *allow = mounts_allow(ctx->policy);
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
 * keep root filesystems under their state directories: those match the rootfs list. */
static int judge_root_path(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct mounts_settings *own = ctx->settings;
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
                               true, settings_strv_or(own->rootfs, default_mounts_rootfs), NULL,
                               &hp, &refused, err);
}

static int apply_mounts(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        int r = judge_bind_sources(ctx, doc, err);

        return r < 0 ? r : judge_root_path(ctx, doc, err);
}

static const char *const owns[] = {"/mounts/*/source", "/root/path", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "mounts",
        .summary = "no mount hands the container a sensitive host path",
        .enforce = "a bind source and root.path are resolved as runc and crun resolve "
                   "them (relative to the bundle; symbolic links followed; '..' as the "
                   "kernel walks it and as runc's lexical cleaning takes it) and "
                   "refused, in enforce mode too, at, under or above a denied path "
                   "(mounting /run would expose /run/docker.sock) unless they match "
                   "the allow list (root.path: the rootfs list); so is a path that "
                   "walks through a /proc magic link or has '..' after a missing "
                   "component, a bind source that is a UNIX socket or a device node, "
                   "and a path through a directory a user other than root can change "
                   "before the runtime mounts it. A pod's or container's own directory of "
                   "the kubelet or containerd is allowed to it alone (pod uid and "
                   "sandbox id from the CRI annotations). The host's /dev/shm at "
                   "/dev/shm without an IPC namespace of its own is the namespaces "
                   "rule's to judge (hostIPC).",
        .deny = "such a mount",
        .spec = "mounts[].source (bind mounts: type bind, or a bind or rbind option), "
                "root.path",
        .cis = "5.6 (sensitive host system directories are not mounted on "
               "containers), 5.32 (the Docker socket is not mounted inside any "
               "containers)",
        .pss = "baseline: HostPath Volumes; restricted: Volume Types",
};

/* A mount of the engine's own making: no run option asked for it. */
static bool is_engine_mount(const char *destination)
{
        static const char *const own[] = {"/etc/resolv.conf",   "/etc/hostname",
                                          "/etc/hosts",         "/dev/shm",
                                          "/run/.containerenv", "/dev/termination-log"};

        for (size_t i = 0; i < ELEMENTSOF(own); i++)
                if (strcmp(destination, own[i]) == 0)
                        return true;
        return false;
}

/* The host path mounted in: -v, or the pod's volume. */
static bool engine_term_mounts(const struct finding *f, const struct json *spec, bool cli,
                               char *buf, size_t size)
{
        const char *rest = NULL;
        const struct json *m = term_array_item(spec, "mounts", f->path, "/mounts/", &rest);
        const char *src = term_string_member(m, "source"),
                   *dst = term_string_member(m, "destination");
        char s[160], d[160];

        if (!m || strcmp(rest, "/source") != 0 || !src || !dst || is_engine_mount(dst))
                return false;
        term_shown_path(json_object_get(m, "source"), s, sizeof(s));
        term_shown_path(json_object_get(m, "destination"), d, sizeof(d));
        if (cli)
                snprintf(buf, size, "-v %s:%s", s, d);
        else
                snprintf(buf, size, "%s %s at %s",
                         strncmp(src, "/var/lib/kubelet/", 17) == 0 ? "volume from"
                                                                    : "hostPath volume",
                         s, d);
        return true;
}

const struct rule rule_mounts = {
        .id = RULE_MOUNTS,
        .name = "mounts",
        .for_process = false,
        .owns = owns,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct mounts_settings),
        .defaults = &defaults,
        .apply = apply_mounts,
        .engine_term = engine_term_mounts,
        .doc = &doc,
};
