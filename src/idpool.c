/* Id ranges and per-container state for user-namespaced containers (see idpool.h).
 *
 * Layout of the state directory (root:root 0711, on /run: gone at reboot):
 *   lock               flock'ed around every change
 *   c-<hash>/          one container (hash of runtime root and id), root:<first gid> 0710:
 *     owner            who made it and what it holds (written before it is published)
 *     rootfs, m<N>     mount points of its ID-mapped mounts
 *   .new-<pid>-<start> a directory being filled, renamed to c-<hash> when complete
 *
 * A directory is live while the process that made it runs (hardrun, then the runtime's create,
 * same pid) or while the runtime's state directory <root>/<id> exists; that order of checks has
 * no gap: the runtime writes its state before its create exits. */
#include "idpool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "util/cleanup.h"
#include "util/hash.h"

#define OWNER_MAX 8192
#define ID_MAX 1024
#define LOCK_WAIT_MS 10000
#define DELETED "deleted" /* marks a directory whose container the runtime was told to delete */

struct owner {
        char boot[40];
        unsigned long long mntns, pidns;
        long pid;
        unsigned long long start;
        char root[PATH_MAX];
        char id[ID_MAX];
        struct idmap_range uids, gids;
};

struct host_facts {
        char boot[40];
        unsigned long long mntns, pidns;
};

enum liveness {
        LIVE,
        DEAD,
        FOREIGN, /* made in another mount or pid namespace: never judged from here */
};

int idpool_config_check(const struct idpool_config *cfg, struct hr_error *err)
{
        uint64_t span = (uint64_t)cfg->size * (cfg->per_container ? cfg->ranges : 1);

        if (cfg->host_uid == 0 || cfg->host_gid == 0 || cfg->size == 0 || span == 0 ||
            cfg->host_uid + span > IDMAP_HOST_ROOT_DISK_ID ||
            cfg->host_gid + span > IDMAP_HOST_ROOT_DISK_ID)
                return error_set(err, -EINVAL,
                                 "user namespace id pool %u+%" PRIu64 " (uid), %u+%" PRIu64
                                 " (gid) must not contain 0 and must end below %u",
                                 cfg->host_uid, span, cfg->host_gid, span, IDMAP_HOST_ROOT_DISK_ID);
        return 0;
}

/* ---- facts about this host and its processes ---- */

static unsigned long long ns_inode(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static int host_facts_read(struct host_facts *h)
{
        _cleanup_close_ int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
        ssize_t n;

        *h = (struct host_facts){{0}};
        if (fd < 0 || (n = read(fd, h->boot, sizeof(h->boot) - 1)) <= 0)
                return -EIO;
        h->boot[strcspn(h->boot, "\n")] = '\0';
        h->mntns = ns_inode("/proc/self/ns/mnt");
        h->pidns = ns_inode("/proc/self/ns/pid");
        return h->mntns && h->pidns ? 0 : -EIO;
}

/* The start time (clock ticks after boot, field 22 of /proc/PID/stat) of a live process; a
 * zombie has finished. 0 when there is no such live process. */
static unsigned long long process_start(long pid)
{
        char path[64], buf[1024], *p;
        unsigned long long start = 0;
        _cleanup_close_ int fd = -1;
        char state;
        ssize_t n;

        snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
                return 0;
        buf[n] = '\0';
        /* The command name may hold spaces and parentheses: fields start after the last ')'. */
        p = strrchr(buf, ')');
        if (!p || sscanf(p + 1,
                         " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
                         "%*s %*s %*s %llu",
                         &state, &start) != 2)
                return 0;
        return state == 'Z' || state == 'X' ? 0 : start;
}

/* ---- the owner file ---- */

static int owner_write(int dirfd, const struct owner *o)
{
        _cleanup_close_ int fd = -1;
        char buf[OWNER_MAX];
        int n;

        n = snprintf(buf, sizeof(buf),
                     "boot %s\nmntns %llu\npidns %llu\ncreator %ld %llu\nuids %u %u\ngids %u %u\n"
                     "root %s\nid %s\n",
                     o->boot, o->mntns, o->pidns, o->pid, o->start, o->uids.host, o->uids.size,
                     o->gids.host, o->gids.size, o->root, o->id);
        if (n < 0 || n >= (int)sizeof(buf))
                return -ENAMETOOLONG;
        fd = openat(dirfd, "owner", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        if (write(fd, buf, (size_t)n) != n)
                return errno ? -errno : -EIO;
        return 0;
}

static int owner_read(int dirfd, struct owner *ret)
{
        struct owner o = {{0}};
        _cleanup_free_ char *buf = NULL;
        struct hr_error err = {0};
        unsigned seen = 0;
        size_t len;
        int fd, r;

        fd = fileio_open_regular(dirfd, "owner", true, NULL, &err);
        if (fd < 0)
                return fd;
        r = fileio_read_all(fd, OWNER_MAX, &buf, &len, &err);
        close(fd);
        if (r < 0)
                return r;
        for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
                char *v = strchr(line, ' ');
                if (!v)
                        return -EBADMSG;
                *v++ = '\0';
                if (strcmp(line, "boot") == 0 && strlen(v) < sizeof(o.boot))
                        strcpy(o.boot, v), seen |= 1;
                else if (strcmp(line, "mntns") == 0 && sscanf(v, "%llu", &o.mntns) == 1)
                        seen |= 2;
                else if (strcmp(line, "pidns") == 0 && sscanf(v, "%llu", &o.pidns) == 1)
                        seen |= 4;
                else if (strcmp(line, "creator") == 0 &&
                         sscanf(v, "%ld %llu", &o.pid, &o.start) == 2)
                        seen |= 8;
                else if (strcmp(line, "uids") == 0 &&
                         sscanf(v, "%u %u", &o.uids.host, &o.uids.size) == 2)
                        seen |= 16;
                else if (strcmp(line, "gids") == 0 &&
                         sscanf(v, "%u %u", &o.gids.host, &o.gids.size) == 2)
                        seen |= 32;
                else if (strcmp(line, "root") == 0 && strlen(v) < sizeof(o.root))
                        strcpy(o.root, v), seen |= 64;
                else if (strcmp(line, "id") == 0 && strlen(v) < sizeof(o.id))
                        strcpy(o.id, v), seen |= 128;
                /* Other keys: a newer hardrun's, whose live containers must not look dead. */
        }
        if (seen != 255)
                return -EBADMSG;
        *ret = o;
        return 0;
}

static enum liveness owner_liveness(const struct owner *o, const struct host_facts *h)
{
        char path[PATH_MAX + ID_MAX + 2];
        struct stat st;

        if (strcmp(o->boot, h->boot) != 0)
                return DEAD; /* its mounts and processes went with the reboot */
        if (o->mntns != h->mntns || o->pidns != h->pidns)
                return FOREIGN;
        /* First the creator, then the runtime's state: see the top of this file. */
        if (o->start && process_start(o->pid) == o->start)
                return LIVE;
        snprintf(path, sizeof(path), "%s/%s", o->root, o->id);
        if (lstat(path, &st) == 0 || errno != ENOENT)
                return LIVE;
        return DEAD;
}

/* ---- the state directory ---- */

/* Root's, not writable by anyone else, searchable by all: containers' roots must reach their
 * own directory below it. */
static int ensure_dir(const char *path, bool create, int *ret_fd)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (create && mkdir(path, 0711) < 0 && errno != EEXIST)
                return -errno;
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_uid != 0 || (st.st_mode & 0022))
                return -EPERM;
        if (create && (st.st_mode & 0011) != 0011 && fchmod(fd, (st.st_mode & 07777) | 0011) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int state_open(const char *state_dir, bool create, int *ret_fd, struct hr_error *err)
{
        _cleanup_free_ char *parent = strdup(state_dir);
        _cleanup_close_ int pfd = -1;
        char *slash;
        int r;

        if (!parent)
                return error_set(err, -ENOMEM, "out of memory");
        slash = strrchr(parent, '/');
        if (!slash || slash == parent)
                return error_set(err, -EINVAL, "state directory '%s' has no parent", state_dir);
        *slash = '\0';
        if ((r = ensure_dir(parent, create, &pfd)) < 0 ||
            (r = ensure_dir(state_dir, create, ret_fd)) < 0) {
                if (r == -ENOENT && !create)
                        return r;
                return error_set(err, r, "state directory '%s' (and '%s'): %s%s", state_dir, parent,
                                 strerror(-r),
                                 r == -EPERM ? " (must be root's and not writable by others)" : "");
        }
        return 0;
}

static int lock_take(int dirfd, int wait_ms, int *ret_fd)
{
        _cleanup_close_ int fd = -1;
        struct timespec pause = {0, 1000000};

        fd = openat(dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited++) {
                if (errno != EWOULDBLOCK && errno != EINTR)
                        return -errno;
                if (waited >= wait_ms)
                        return -ETIMEDOUT;
                nanosleep(&pause, NULL);
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Everything below one container's directory: mounts detached, then removed; the owner file
 * goes last, so an interrupted removal is finished by the next one. */
static int entry_remove(int state_fd, const char *name)
{
        _cleanup_close_ int fd =
                openat(state_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d;
        struct dirent *de;
        int r = 0;

        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        d = fdopendir(dup(fd));
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
                    strcmp(de->d_name, "owner") == 0)
                        continue;
                if (idmap_detach(fd, de->d_name) < 0) {
                        r = -EBUSY;
                        continue;
                }
                if (unlinkat(fd, de->d_name, 0) < 0 && errno == EISDIR &&
                    unlinkat(fd, de->d_name, AT_REMOVEDIR) < 0)
                        r = -errno;
        }
        closedir(d);
        if (r < 0)
                return r;
        if (unlinkat(fd, "owner", 0) < 0 && errno != ENOENT)
                return -errno;
        if (unlinkat(state_fd, name, AT_REMOVEDIR) < 0)
                return -errno;
        return 0;
}

static void entry_name(const char *root, const char *id, char buf[static 24])
{
        uint64_t h = hash_fnv1a_str(root);

        h = (h ^ 0xff) * UINT64_C(1099511628211);
        for (const char *c = id; *c; c++)
                h = (h ^ (unsigned char)*c) * UINT64_C(1099511628211);
        snprintf(buf, 24, "c-%016" PRIx64, h);
}

/* Removes dead entries; fills used[] with the ranges of the others (when used is not NULL). */
struct used_ranges {
        struct idmap_range *uids, *gids;
        size_t n, cap;
};

static void used_ranges_done(struct used_ranges *u)
{
        free(u->uids);
        free(u->gids);
}

static int used_add(struct used_ranges *u, const struct owner *o)
{
        if (u->n == u->cap) {
                size_t cap = u->cap ? u->cap * 2 : 16;
                struct idmap_range *a = realloc(u->uids, cap * sizeof(*a));
                if (!a)
                        return -ENOMEM;
                u->uids = a;
                a = realloc(u->gids, cap * sizeof(*a));
                if (!a)
                        return -ENOMEM;
                u->gids = a;
                u->cap = cap;
        }
        u->uids[u->n] = o->uids;
        u->gids[u->n] = o->gids;
        u->n++;
        return 0;
}

static int collect_locked(int state_fd, const struct host_facts *h, struct used_ranges *used)
{
        _cleanup_close_ int dup_fd = dup(state_fd);
        int removed = 0, r;
        struct dirent *de;
        DIR *d;

        if (dup_fd < 0 || !(d = fdopendir(dup_fd)))
                return -errno;
        dup_fd = -1;
        while ((de = readdir(d))) {
                if (strncmp(de->d_name, ".new-", 5) == 0) {
                        long pid;
                        unsigned long long start;
                        /* Named after its creator: removed once that process is gone. */
                        if (sscanf(de->d_name, ".new-%ld-%llu", &pid, &start) == 2 &&
                            process_start(pid) == start)
                                continue;
                        if (entry_remove(state_fd, de->d_name) == 0)
                                removed++;
                } else if (strncmp(de->d_name, "c-", 2) == 0) {
                        _cleanup_close_ int fd =
                                openat(state_fd, de->d_name,
                                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        struct owner o;
                        enum liveness l;
                        if (fd < 0)
                                continue;
                        /* Without its owner file a directory is a removal cut short. */
                        l = owner_read(fd, &o) < 0 ? DEAD : owner_liveness(&o, h);
                        if (l == DEAD) {
                                if (entry_remove(state_fd, de->d_name) == 0)
                                        removed++;
                                else if (used && owner_read(fd, &o) == 0 &&
                                         (r = used_add(used, &o)) < 0)
                                        goto fail;
                        } else if (used && (r = used_add(used, &o)) < 0) {
                                goto fail;
                        }
                }
        }
        closedir(d);
        return removed;
fail:
        closedir(d);
        return r;
}

/* ---- ranges on the host ---- */

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
        return a < b + bn && b < a + an;
}

/* A user or group of /etc/passwd or /etc/group whose id lies in the range, or a subordinate
 * range of /etc/subuid or /etc/subgid that overlaps it. Local files only: ids from LDAP or
 * other NSS sources are not seen. */
static int host_ids_check(const char *file, bool subordinate, const struct idmap_range *r,
                          const char *subid_user, bool *ret_inside, struct hr_error *err)
{
        _cleanup_fclose_ FILE *f = fopen(file, "re");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;

        if (!f)
                return errno == ENOENT ? 0
                                       : error_set(err, -errno, "%s: %s", file, strerror(errno));
        while (getline(&line, &cap, f) > 0) {
                char *save = NULL, *name = strtok_r(line, ":\n", &save), *a, *b;
                unsigned long long start, count = 1;

                if (!name || name[0] == '#')
                        continue;
                if (subordinate) {
                        a = strtok_r(NULL, ":\n", &save);
                        b = strtok_r(NULL, ":\n", &save);
                        if (!a || !b || sscanf(a, "%llu", &start) != 1 ||
                            sscanf(b, "%llu", &count) != 1)
                                continue;
                } else {
                        (void)strtok_r(NULL, ":\n", &save); /* password */
                        a = strtok_r(NULL, ":\n", &save);
                        if (!a || sscanf(a, "%llu", &start) != 1)
                                continue;
                }
                if (subid_user && subordinate && strcmp(name, subid_user) == 0) {
                        if (start <= r->host && r->host + (uint64_t)r->size <= start + count)
                                *ret_inside = true;
                        continue;
                }
                if (overlaps(start, count, r->host, r->size))
                        return error_set(err, -EADDRINUSE,
                                         "%s: '%s' (%llu%s%llu) overlaps the id range %u-%u a "
                                         "container would get: move user_namespace.host_uid/"
                                         "host_gid, or name the owner in subid_user",
                                         file, name, start, subordinate ? "+" : "",
                                         subordinate ? count : 0ULL, r->host,
                                         r->host + (r->size - 1));
        }
        return 0;
}

static int host_range_check(const struct idmap_range *uids, const struct idmap_range *gids,
                            const char *subid_user, struct hr_error *err)
{
        bool uid_inside = false, gid_inside = false;
        int r;

        if ((r = host_ids_check("/etc/passwd", false, uids, NULL, &uid_inside, err)) < 0 ||
            (r = host_ids_check("/etc/group", false, gids, NULL, &gid_inside, err)) < 0 ||
            (r = host_ids_check("/etc/subuid", true, uids, subid_user, &uid_inside, err)) < 0 ||
            (r = host_ids_check("/etc/subgid", true, gids, subid_user, &gid_inside, err)) < 0)
                return r;
        if (subid_user && (!uid_inside || !gid_inside))
                return error_set(
                        err, -ERANGE,
                        "the id range %u-%u (%s) is not inside a range /etc/%s gives "
                        "'%s'",
                        uid_inside ? gids->host : uids->host,
                        uid_inside ? gids->host + (gids->size - 1) : uids->host + (uids->size - 1),
                        uid_inside ? "gid" : "uid", uid_inside ? "subgid" : "subuid", subid_user);
        return 0;
}

static bool range_is_free(const struct used_ranges *u, const struct idmap_range *uids,
                          const struct idmap_range *gids)
{
        for (size_t i = 0; i < u->n; i++)
                if (overlaps(u->uids[i].host, u->uids[i].size, uids->host, uids->size) ||
                    overlaps(u->gids[i].host, u->gids[i].size, gids->host, gids->size))
                        return false;
        return true;
}

static int pick_range(const struct idpool_config *cfg, const struct used_ranges *used,
                      struct idmap_range *uids, struct idmap_range *gids, struct hr_error *err)
{
        for (uint32_t k = 0; k < (cfg->per_container ? cfg->ranges : 1); k++) {
                *uids = (struct idmap_range){cfg->host_uid + k * cfg->size, cfg->size};
                *gids = (struct idmap_range){cfg->host_gid + k * cfg->size, cfg->size};
                if (!cfg->per_container || range_is_free(used, uids, gids))
                        return 0;
        }
        return error_set(err, -ENOSPC,
                         "no free id range: all %u ranges of %u ids from uid %u / gid %u are "
                         "held by running containers (raise user_namespace.ranges)",
                         cfg->ranges, cfg->size, cfg->host_uid, cfg->host_gid);
}

/* ---- the entry points ---- */

static int publish(int state_fd, const struct owner *o, const char *name, const char *state_dir,
                   struct idpool_entry *ret)
{
        char tmp[64];
        int fd, r;

        snprintf(tmp, sizeof(tmp), ".new-%ld-%llu", o->pid, o->start);
        (void)entry_remove(state_fd, tmp); /* our own pid's, from an exec'd-over earlier try */
        if (mkdirat(state_fd, tmp, 0700) < 0)
                return -errno;
        fd = openat(state_fd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if ((r = owner_write(fd, o)) < 0 || (fchown(fd, 0, o->gids.host) < 0 && (r = -errno)) ||
            (fchmod(fd, 0710) < 0 && (r = -errno)) ||
            (renameat(state_fd, tmp, state_fd, name) < 0 && (r = -errno))) {
                close(fd);
                (void)entry_remove(state_fd, tmp);
                return r == -ENOTEMPTY ? -EEXIST : r;
        }
        ret->dirfd = fd;
        snprintf(ret->path, sizeof(ret->path), "%s/%s", state_dir, name);
        ret->uids = o->uids;
        ret->gids = o->gids;
        return 0;
}

int idpool_acquire(const char *state_dir, const struct idpool_config *cfg, const char *runtime_root,
                   const char *container_id, struct idpool_entry *ret, struct hr_error *err)
{
        _cleanup_(used_ranges_done) struct used_ranges used = {0};
        _cleanup_close_ int state_fd = -1, lock_fd = -1;
        struct host_facts h;
        struct owner o = {{0}};
        char name[24];
        int r;

        if ((r = idpool_config_check(cfg, err)) < 0)
                return r;
        if (runtime_root[0] != '/' || strlen(runtime_root) >= sizeof(o.root) ||
            strlen(container_id) >= sizeof(o.id) || strpbrk(runtime_root, "\n") ||
            strpbrk(container_id, "\n/") || !container_id[0])
                return error_set(err, -EINVAL, "container id '%s' or state root '%s' unusable",
                                 container_id, runtime_root);
        if ((r = host_facts_read(&h)) < 0)
                return error_set(err, r, "cannot read the boot id and namespaces of this host");
        if ((r = state_open(state_dir, true, &state_fd, err)) < 0)
                return r;
        if ((r = lock_take(state_fd, LOCK_WAIT_MS, &lock_fd)) < 0)
                return error_set(err, r, "%s/lock: %s", state_dir, strerror(-r));
        if ((r = collect_locked(state_fd, &h, &used)) < 0)
                return error_set(err, r, "%s: %s", state_dir, strerror(-r));
        if ((r = pick_range(cfg, &used, &o.uids, &o.gids, err)) < 0 ||
            (r = host_range_check(&o.uids, &o.gids, cfg->subid_user, err)) < 0)
                return r;
        snprintf(o.boot, sizeof(o.boot), "%s", h.boot);
        o.mntns = h.mntns;
        o.pidns = h.pidns;
        o.pid = (long)getpid();
        o.start = process_start(o.pid);
        strcpy(o.root, runtime_root);
        strcpy(o.id, container_id);
        entry_name(runtime_root, container_id, name);
        r = publish(state_fd, &o, name, state_dir, ret);
        if (r == -EEXIST)
                return error_set(err, r,
                                 "%s/%s: the container '%s' (state in '%s') already has a user "
                                 "namespace of hardrun's",
                                 state_dir, name, container_id, runtime_root);
        if (r < 0)
                return error_set(err, r, "%s: cannot publish the state of '%s': %s", state_dir,
                                 container_id, strerror(-r));
        return 0;
}

void idpool_entry_done(struct idpool_entry *e)
{
        if (e->dirfd >= 0)
                close(e->dirfd);
        e->dirfd = -1;
}

void idpool_abandon(const char *state_dir, struct idpool_entry *e)
{
        _cleanup_close_ int state_fd = -1, lock_fd = -1;
        struct hr_error err = {0};
        const char *name = strrchr(e->path, '/');

        idpool_entry_done(e);
        if (!name || state_open(state_dir, false, &state_fd, &err) < 0 ||
            lock_take(state_fd, LOCK_WAIT_MS, &lock_fd) < 0)
                return; /* the next collection removes it: its creator is gone by then */
        (void)entry_remove(state_fd, name + 1);
}

int idpool_collect(const char *state_dir, struct hr_error *err)
{
        _cleanup_close_ int state_fd = -1, lock_fd = -1;
        struct host_facts h;
        int r;

        if ((r = state_open(state_dir, false, &state_fd, err)) < 0)
                return r == -ENOENT ? 0 : r;
        if ((r = host_facts_read(&h)) < 0 || (r = lock_take(state_fd, LOCK_WAIT_MS, &lock_fd)) < 0)
                return error_set(err, r, "%s: %s", state_dir, strerror(-r));
        r = collect_locked(state_fd, &h, NULL);
        return r < 0 ? error_set(err, r, "%s: %s", state_dir, strerror(-r)) : r;
}

int idpool_on_delete(const char *state_dir, const char *runtime_root, const char *container_id,
                     struct hr_error *err)
{
        _cleanup_close_ int state_fd = -1, lock_fd = -1, fd = -1;
        struct host_facts h;
        DIR *d;
        struct dirent *de;
        char name[24];
        int r;

        if ((r = state_open(state_dir, false, &state_fd, err)) < 0)
                return r == -ENOENT ? 0 : r;
        /* A delete must not wait behind a stuck create: give up after a short while. */
        if ((r = host_facts_read(&h)) < 0 || (r = lock_take(state_fd, 2000, &lock_fd)) < 0)
                return error_set(err, r, "%s: %s", state_dir, strerror(-r));
        if (runtime_root && container_id) {
                struct owner o;
                entry_name(runtime_root, container_id, name);
                fd = openat(state_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0 && owner_read(fd, &o) == 0 && strcmp(o.root, runtime_root) == 0 &&
                    strcmp(o.id, container_id) == 0 && o.mntns == h.mntns &&
                    (d = fdopendir(dup(fd)))) {
                        /* The mounts served the runtime's create only; the container's own
                         * mount namespace holds what it uses. No exec is judged as inside
                         * this namespace any more. */
                        while ((de = readdir(d)))
                                if (de->d_name[0] != '.' && strcmp(de->d_name, "owner") != 0)
                                        (void)idmap_detach(fd, de->d_name);
                        closedir(d);
                        int mark = openat(fd, DELETED, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                                          0600);
                        if (mark >= 0)
                                close(mark);
                }
        }
        r = collect_locked(state_fd, &h, NULL);
        return r < 0 ? error_set(err, r, "%s: %s", state_dir, strerror(-r)) : 0;
}

int idpool_lookup(const char *state_dir, const char *runtime_root, const char *container_id,
                  struct idmap_range *ret_uids, struct idmap_range *ret_gids)
{
        _cleanup_close_ int state_fd = -1, fd = -1;
        struct hr_error err = {0};
        struct host_facts h;
        struct owner o;
        char name[24];

        if (state_open(state_dir, false, &state_fd, &err) < 0 || host_facts_read(&h) < 0)
                return 0;
        entry_name(runtime_root, container_id, name);
        fd = openat(state_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || owner_read(fd, &o) < 0 || strcmp(o.root, runtime_root) != 0 ||
            strcmp(o.id, container_id) != 0 || owner_liveness(&o, &h) != LIVE ||
            faccessat(fd, DELETED, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                return 0;
        *ret_uids = o.uids;
        *ret_gids = o.gids;
        return 1;
}
