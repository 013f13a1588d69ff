/* ID ranges and ID-mapped mounts for the user namespace rule user_namespace added (see
 * idmap-spec.h). */
#include "idmap-spec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idmap.h"
#include "rules/helpers.h"
#include "rules/mounts.h"
#include "rules/user-namespace.h"
#include "util/cleanup.h"
#include "util/pathpattern.h"

/* Did rule user_namespace add the namespace? Only then are the filesystem and the ids ours to
 * arrange: a namespace the engine made comes with its own (podman --userns, userns-remap). */
static bool userns_added(const struct findings *f)
{
        for (size_t i = 0; i < f->n; i++) {
                const struct finding *x = &f->items[i];
                if (x->rule == RULE_USER_NAMESPACE && x->action == FINDING_CHANGED && !x->before &&
                    strncmp(x->path, "/linux/namespaces/", 18) == 0)
                        return true;
        }
        return false;
}

static int record(struct findings *f, const char *path, const struct json *before,
                  const struct json *after, struct hr_error *err)
{
        int r = findings_add(f, RULE_USER_NAMESPACE, path, before, after);

        if (r < 0)
                return error_set(err, r, "out of memory");
        f->items[f->n - 1].mode = HR_MODE_ENFORCE;
        f->items[f->n - 1].action = FINDING_CHANGED;
        return 0;
}

/* Replaces parent[key] (a string or number the rules already checked) and records it. */
static int rewrite(struct json *parent, const char *key, struct json *value, const char *path,
                   struct findings *f, struct hr_error *err)
{
        struct json *before = json_object_get(parent, key);
        int r;

        if (!value)
                return error_set(err, -ENOMEM, "out of memory");
        if ((r = record(f, path, before, value, err)) < 0) {
                json_free(value);
                return r;
        }
        if ((r = json_object_set(parent, key, value)) < 0)
                return error_set(err, r, "out of memory");
        return 0;
}

/* The rule wrote [{containerID 0, hostID <first range>, size}]: the range taken replaces it. */
static int set_mapping(struct json *linux_obj, const char *key, const struct idmap_range *r,
                       struct findings *f, struct hr_error *err)
{
        struct json *list = json_object_get(linux_obj, key), *m;
        unsigned long long host;
        char path[64];

        if (!list || list->type != JSON_ARRAY || list->array.n != 1 ||
            (m = list->array.items[0])->type != JSON_OBJECT)
                return error_set(err, -EINVAL,
                                 "'/linux/%s' is not the mapping rule "
                                 "user_namespace wrote",
                                 key);
        if (json_get_uint(json_object_get(m, "hostID"), UINT32_MAX, &host) == 0 && host == r->host)
                return 0;
        snprintf(path, sizeof(path), "/linux/%s/0/hostID", key);
        return rewrite(m, "hostID", json_new_uint(r->host), path, f, err);
}

/* Where fd really is, for matching against the policy's patterns. */
static int fd_path(int fd, char *buf, size_t size)
{
        char proc[64];
        ssize_t n;

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        n = readlink(proc, buf, size - 1);
        if (n < 0)
                return -errno;
        if ((size_t)n >= size - 1)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        return 0;
}

static bool is_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

struct prep {
        const struct policy *p;
        const struct user_namespace_settings *own; /* the rule's */
        struct idmap_spec *st;
        int bundle_fd, userns_fd;
        struct findings *f;
};

/* One tree: opened as the runtime resolves it (relative to the bundle, symlinks followed),
 * ID-mapped, attached at name in the container's directory. */
static int map_tree(struct prep *pr, int fd, const char *what, bool recursive, const char *name,
                    char *ret_path, size_t size, struct hr_error *err)
{
        _cleanup_close_ int mnt = -1;
        enum idmap_kind kind;
        int r;

        if ((r = idmap_mount_tree(fd, what, recursive, pr->userns_fd, pr->st->entry.dirfd, &mnt,
                                  &kind, err)) < 0 ||
            (r = idmap_attach(mnt, pr->st->entry.dirfd, name, err)) < 0)
                return r;
        if (snprintf(ret_path, size, "%s/%s", pr->st->entry.path, name) >= (int)size)
                return error_set(err, -ENAMETOOLONG, "state path too long");
        return 0;
}

static struct json *root_path(const struct json *doc)
{
        struct json *root = json_object_get(doc, "root"), *path;

        path = root && root->type == JSON_OBJECT ? json_object_get(root, "path") : NULL;
        return path && json_is_clean_string(path) && path->scalar.text[0] ? path : NULL;
}

/* Opens what the runtime will open: path relative to the bundle, symlinks followed. Never a
 * place in hardrun's own state: those mounts are other containers' (a rewritten config given
 * again names them too). */
static int open_source(int bundle_fd, const char *path, const char *field, int *ret_fd, char *real,
                       size_t size, struct hr_error *err)
{
        _cleanup_close_ int fd = openat(bundle_fd, path, O_PATH | O_CLOEXEC);
        int r;

        if (fd < 0)
                return error_set(err, -errno, "'%s': '%s': %s", field, path, strerror(errno));
        if ((r = fd_path(fd, real, size)) < 0)
                return error_set(err, r, "'%s': '%s': %s", field, path, strerror(-r));
        if (is_under(real, IDPOOL_STATE_DIR))
                return error_set(err, -EPERM,
                                 "'%s': '%s' lies in hardrun's own state directory '%s', refusing",
                                 field, path, IDPOOL_STATE_DIR);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Through its ID-mapped copy, container root writes the rootfs as host root would: never a host
 * system directory (the policy's mount deny list without engine state and sockets, which live
 * under /var/lib and /run and hold every engine's rootfs), nor a directory holding one. */
static const char *system_directory(const struct policy *p, const char *real)
{
        for (const char *const *d = mounts_deny(p); *d; d++) {
                if (strncmp(*d, "/var/lib/", 9) == 0 || strncmp(*d, "/run/", 5) == 0)
                        continue;
                if (strcmp(real, "/") == 0 || is_under(real, *d) || is_under(*d, real))
                        return *d;
        }
        return NULL;
}

static int map_rootfs(struct prep *pr, struct json *doc, struct hr_error *err)
{
        struct json *path = root_path(doc);
        char real[PATH_MAX], mapped[PATH_MAX];
        _cleanup_close_ int fd = -1;
        const char *sys;
        int r;

        if (!path)
                return error_set(err, -EINVAL,
                                 "'/root/path': missing; an ID-mapped rootfs needs it");
        if ((r = open_source(pr->bundle_fd, path->scalar.text, "/root/path", &fd, real,
                             sizeof(real), err)) < 0)
                return r;
        if ((sys = system_directory(pr->p, real)))
                return error_set(err, -EPERM,
                                 "'/root/path': '%s' is or holds the host's '%s': root in the "
                                 "container would own it through an ID-mapped mount, refusing",
                                 real, sys);
        if ((r = map_tree(pr, fd, path->scalar.text, true, "rootfs", mapped, sizeof(mapped), err)) <
            0)
                return error_prefix(err, "'/root/path': ");
        return rewrite(json_object_get(doc, "root"), "path", json_new_string(mapped), "/root/path",
                       pr->f, err);
}

static bool has_option(const struct json *options, const char *name)
{
        for (size_t i = 0; options && options->type == JSON_ARRAY && i < options->array.n; i++) {
                const struct json *o = options->array.items[i];
                if (json_is_clean_string(o) && strcmp(o->scalar.text, name) == 0)
                        return true;
        }
        return false;
}

/* Bind sources on idmap_sources: the engine's per-container files and volumes. Others keep their
 * host owners (the container's root sees them as the overflow uid). */
static int map_sources(struct prep *pr, struct json *doc, struct hr_error *err)
{
        const char *const *allow = user_namespace_idmap_sources(pr->own);
        struct json *mounts = json_object_get(doc, "mounts");
        int r;

        for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *type, *options, *source;
                char real[PATH_MAX], mapped[PATH_MAX], path[64], name[32];
                _cleanup_close_ int fd = -1;
                bool wanted = false;

                if (m->type != JSON_OBJECT)
                        continue;
                type = json_object_get(m, "type");
                options = json_object_get(m, "options");
                source = json_object_get(m, "source");
                if (!is_bind_mount(json_is_clean_string(type) ? type : NULL,
                                   options && options->type == JSON_ARRAY ? options : NULL) ||
                    !json_is_clean_string(source))
                        continue;
                snprintf(path, sizeof(path), "/mounts/%zu/source", i);
                r = open_source(pr->bundle_fd, source->scalar.text, path, &fd, real, sizeof(real),
                                err);
                if (r == -ENOENT) {
                        error_release(err); /* the runtime reports a missing source itself */
                        continue;
                }
                if (r < 0)
                        return r;
                for (const char *const *a = allow; *a && !wanted; a++)
                        wanted = path_pattern_matches(*a, real);
                if (!wanted)
                        continue;
                snprintf(name, sizeof(name), "m%zu", i);
                if ((r = map_tree(pr, fd, source->scalar.text, has_option(options, "rbind"), name,
                                  mapped, sizeof(mapped), err)) < 0)
                        return error_prefix(err, "'%s': ", path);
                if ((r = rewrite(m, "source", json_new_string(mapped), path, pr->f, err)) < 0)
                        return r;
        }
        return 0;
}

/* Every config, whatever the policy: a root.path in hardrun's state is some container's
 * prepared rootfs. */
static int check_root(const struct idmap_spec_target *t, const struct json *doc,
                      struct hr_error *err)
{
        const struct json *path = root_path(doc);
        _cleanup_close_ int bundle_fd = -1, fd = -1;
        char real[PATH_MAX];
        int r;

        if (!path)
                return 0;
        bundle_fd = open(t->bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (bundle_fd < 0)
                return 0; /* the runtime reports it */
        r = open_source(bundle_fd, path->scalar.text, "/root/path", &fd, real, sizeof(real), err);
        if (r == -EPERM)
                return r;
        error_release(err);
        return 0;
}

/* A process reopens its own stdio through /proc/self/fd (/dev/stderr): the kernel checks the
 * pipe's owner, host root, whom root in the container is not. crun gives its std streams to the
 * container's root before it enters the namespace; runc does not (its own chown, inside the
 * namespace, cannot). Only what an engine makes for one container gets that owner: anonymous
 * pipes and sockets; never a terminal, a file or a named FIFO on the host. Failures are left to
 * the process, as crun leaves them. */
void idmap_spec_chown_stdio(const struct idmap_range *uids, const struct idmap_range *gids)
{
        for (int fd = 0; fd < 3; fd++) {
                char proc[32], target[64];
                ssize_t n;
                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
                n = readlink(proc, target, sizeof(target) - 1);
                if (n <= 0)
                        continue;
                target[n] = '\0';
                if (strncmp(target, "pipe:[", 6) == 0 || strncmp(target, "socket:[", 8) == 0)
                        (void)fchown(fd, uids->host, gids->host);
        }
}

int idmap_spec_prepare(const struct policy *p, const struct idmap_spec_target *t, struct json *doc,
                       struct findings *findings, bool *ret_changed, struct idmap_spec *st,
                       struct hr_error *err)
{
        const struct user_namespace_settings *own = p->rule_settings[RULE_USER_NAMESPACE];
        bool per_container = own && own->allocation == USERNS_ALLOCATION_PER_CONTAINER;
        struct prep pr = {
                .p = p, .own = own, .st = st, .bundle_fd = -1, .userns_fd = -1, .f = findings};
        struct idpool_config cfg;
        struct json *linux_obj = json_object_get(doc, "linux");
        size_t first = findings->n;
        int r;

        *ret_changed = false;
        if ((r = check_root(t, doc, err)) < 0)
                return r;
        /* A policy read for a pass-through has no rule settings: the rule did not run. */
        if (!own || !(per_container || own->idmap) || !userns_added(findings))
                return 0;
        if (t->restore)
                return error_set(err, -EOPNOTSUPP,
                                 "restore: a checkpoint cannot be restored into a user namespace "
                                 "of hardrun's (rule user_namespace with per_container or idmap)");
        if (!t->container_id || !linux_obj)
                return error_set(err, -EINVAL, "no container id: cannot hold an id range for it");
        cfg = (struct idpool_config){
                .host_uid = own->host_uid,
                .host_gid = own->host_gid,
                .size = own->size,
                .ranges = own->ranges,
                .per_container = per_container,
                .subid_user = own->subid_user,
        };
        if ((r = idpool_acquire(IDPOOL_STATE_DIR, &cfg, t->runtime_root, t->container_id,
                                &st->entry, err)) < 0)
                return r;
        if ((r = set_mapping(linux_obj, "uidMappings", &st->entry.uids, findings, err)) < 0 ||
            (r = set_mapping(linux_obj, "gidMappings", &st->entry.gids, findings, err)) < 0)
                goto fail;
        if (own->idmap) {
                pr.bundle_fd = open(t->bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (pr.bundle_fd < 0) {
                        r = error_set(err, -errno, "bundle '%s': %s", t->bundle, strerror(errno));
                        goto fail;
                }
                if ((r = idmap_userns_open(&st->entry.uids, &st->entry.gids, &pr.userns_fd, err)) <
                            0 ||
                    (r = map_rootfs(&pr, doc, err)) < 0 || (r = map_sources(&pr, doc, err)) < 0)
                        goto fail;
        }
        *ret_changed = findings->n > first;
        idmap_spec_chown_stdio(&st->entry.uids, &st->entry.gids);
        r = 0;
fail:
        if (pr.bundle_fd >= 0)
                close(pr.bundle_fd);
        if (pr.userns_fd >= 0)
                close(pr.userns_fd);
        if (r < 0)
                idmap_spec_abort(st);
        return r;
}

void idmap_spec_abort(struct idmap_spec *st)
{
        if (st->entry.dirfd >= 0)
                idpool_abandon(IDPOOL_STATE_DIR, &st->entry);
}

int idmap_spec_runtime_root(const char *root, enum cli_dialect dialect, char *buf, size_t size)
{
        char cwd[PATH_MAX];
        int n;

        if (!root || !root[0])
                root = dialect == CLI_DIALECT_CRUN ? "/run/crun" : "/run/runc";
        if (root[0] == '/')
                n = snprintf(buf, size, "%s", root);
        else if (getcwd(cwd, sizeof(cwd)))
                n = snprintf(buf, size, "%s/%s", cwd, root);
        else
                return -errno;
        return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

bool idmap_spec_in_userns(const char *root, enum cli_dialect dialect, const char *container_id,
                          struct idmap_range *ret_uids, struct idmap_range *ret_gids)
{
        char runtime_root[PATH_MAX];

        return container_id &&
               idmap_spec_runtime_root(root, dialect, runtime_root, sizeof(runtime_root)) == 0 &&
               idpool_lookup(IDPOOL_STATE_DIR, runtime_root, container_id, ret_uids, ret_gids) == 1;
}

int idmap_spec_on_delete(int argc, char *const *argv, int index, const char *root,
                         enum cli_dialect dialect, struct hr_error *err)
{
        char runtime_root[PATH_MAX];
        const char *id = NULL;
        bool regex = false;

        /* runc: delete [-f|--force] ID; crun: delete [-f|--force] [-r|--regex] ID|REGEX. */
        for (int i = index + 1; i < argc && !id; i++) {
                const char *w = argv[i];
                if (strcmp(w, "--") == 0) {
                        id = i + 1 < argc ? argv[i + 1] : NULL;
                        break;
                }
                if (w[0] != '-')
                        id = w;
                else if (strcmp(w, "-r") == 0 || strncmp(w, "--regex", 7) == 0 ||
                         strncmp(w, "--r", 3) == 0)
                        regex = true;
        }
        if (regex)
                id = NULL; /* every dead container is collected anyway */
        if (idmap_spec_runtime_root(root, dialect, runtime_root, sizeof(runtime_root)) < 0)
                id = NULL;
        return idpool_on_delete(IDPOOL_STATE_DIR, id ? runtime_root : NULL, id, err);
}
