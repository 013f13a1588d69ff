/* ID-mapped copies of mount trees, made with the new mount API before the runtime runs. */
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"

/* ---- the user namespace the mounts are mapped through ---- */

/* The child only has to exist while its maps are written and its namespace opened. It shares
 * our memory (CLONE_VM, no copy of the page tables) and runs on this stack. */
static char child_stack[16384] __attribute__((aligned(16)));

static int child_wait(void *arg)
{
        /* Never outlive hardrun, even one killed before it could kill the child. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != *(pid_t *)arg)
                _exit(0);
        for (;;)
                pause();
        return 0;
}

static int write_map(pid_t pid, const char *file, const struct idmap_range *r)
{
        char path[64], map[96];
        _cleanup_close_ int fd = -1;
        int n;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        n = snprintf(map, sizeof(map), "0 %u %u\n%u 0 1\n", r->host, r->size,
                     IDMAP_HOST_ROOT_DISK_ID);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, map, (size_t)n) != n)
                return errno ? -errno : -EIO;
        return 0;
}

int idmap_userns_open(const struct idmap_range *uids, const struct idmap_range *gids, int *ret_fd,
                      struct hr_error *err)
{
        char path[64];
        pid_t pid, parent;
        int fd = -1, r;

        /* The alias must stay outside the container's ids: the kernel refuses overlaps. */
        if (uids->size == 0 || gids->size == 0 || uids->size > IDMAP_HOST_ROOT_DISK_ID ||
            gids->size > IDMAP_HOST_ROOT_DISK_ID || uids->host == 0 || gids->host == 0)
                return error_set(err, -EINVAL, "invalid id range for an ID-mapped mount");
        parent = getpid();
        pid = clone(child_wait, child_stack + sizeof(child_stack),
                    CLONE_NEWUSER | CLONE_VM | SIGCHLD, &parent);
        if (pid < 0)
                return error_set(err, -errno, "cannot create a user namespace: %s",
                                 strerror(errno));
        r = write_map(pid, "uid_map", uids);
        if (r == 0)
                r = write_map(pid, "gid_map", gids);
        if (r == 0) {
                snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        r = -errno;
        }
        (void)kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        if (r < 0)
                return error_set(err, r,
                                 "cannot map ids %u-%u (uid) and %u-%u (gid) in a user "
                                 "namespace: %s",
                                 uids->host, uids->host + (uids->size - 1), gids->host,
                                 gids->host + (gids->size - 1), strerror(-r));
        *ret_fd = fd;
        return 0;
}

/* ---- the mount a tree belongs to ---- */

struct mount_facts {
        char fstype[64];
        char *mountpoint;  /* as in mountinfo (escaped) */
        char *superopts;   /* as in mountinfo (escaped) */
        bool has_children; /* something is mounted below it */
};

static void mount_facts_done(struct mount_facts *m)
{
        free(m->mountpoint);
        free(m->superopts);
}

/* Reads /proc/self/mountinfo for mount id: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] -
 * FSTYPE SOURCE SUPEROPTS". */
static int mount_facts_read(uint64_t id, struct mount_facts *ret)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_free_ char *line = NULL;
        struct mount_facts m = {{0}};
        bool found = false;
        size_t cap = 0;

        if (!f)
                return -errno;
        while (getline(&line, &cap, f) > 0) {
                unsigned long long mid, parent;
                char *save = NULL, *mp, *tok, *fstype, *superopts;

                line[strcspn(line, "\n")] = '\0';
                if (sscanf(line, "%llu %llu", &mid, &parent) != 2)
                        continue;
                if (parent == id && mid != id)
                        m.has_children = true;
                if (mid != id || found)
                        continue;
                (void)strtok_r(line, " ", &save); /* id */
                (void)strtok_r(NULL, " ", &save); /* parent */
                (void)strtok_r(NULL, " ", &save); /* major:minor */
                (void)strtok_r(NULL, " ", &save); /* root */
                mp = strtok_r(NULL, " ", &save);
                while ((tok = strtok_r(NULL, " ", &save)) && strcmp(tok, "-") != 0)
                        ;
                fstype = strtok_r(NULL, " ", &save);
                (void)strtok_r(NULL, " ", &save); /* source */
                superopts = strtok_r(NULL, " ", &save);
                if (!mp || !tok || !fstype || !superopts)
                        return -EBADMSG;
                snprintf(m.fstype, sizeof(m.fstype), "%s", fstype);
                m.mountpoint = strdup(mp);
                m.superopts = strdup(superopts);
                if (!m.mountpoint || !m.superopts) {
                        mount_facts_done(&m);
                        return -ENOMEM;
                }
                found = true;
        }
        if (!found) {
                mount_facts_done(&m);
                return -ENOENT;
        }
        *ret = m;
        return 0;
}

/* mountinfo's octal escapes (\040 for a space, \072 for ':' in overlayfs layer lists) undone in
 * place. */
static void unescape(char *s)
{
        char *o = s;

        for (; *s; s++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
                    s[3] >= '0' && s[3] <= '7') {
                        *o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 3;
                } else
                        *o++ = *s;
        }
        *o = '\0';
}

/* ---- binds ---- */

static int clone_mapped(int fd, bool recursive, int userns_fd, int *ret_mnt)
{
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd};
        _cleanup_close_ int mnt = -1;

        mnt = open_tree(fd, "",
                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
                                (recursive ? AT_RECURSIVE : 0));
        if (mnt < 0)
                return -errno;
        if (mount_setattr(mnt, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                          sizeof(attr)) < 0)
                return errno == EINVAL ? -EOPNOTSUPP : -errno;
        *ret_mnt = TAKE_FD(mnt);
        return 0;
}

static int fail_clone(int r, const char *what, const struct mount_facts *m, struct hr_error *err)
{
        if (r == -ENOSYS)
                return error_set(err, r,
                                 "'%s': the kernel has no open_tree/mount_setattr (ID-mapped "
                                 "mounts need Linux 5.12 or later)",
                                 what);
        if (r == -EOPNOTSUPP)
                return error_set(err, r,
                                 "'%s': its filesystem (%s) or a mount below it does not support "
                                 "ID-mapped mounts (ext4, xfs, btrfs: Linux 5.12+; tmpfs: 6.3+; "
                                 "NFS and most network filesystems: never)",
                                 what, m->fstype);
        return error_set(err, r, "'%s': cannot make an ID-mapped copy: %s", what, strerror(-r));
}

/* ---- overlayfs ---- */

#define OVL_LAYERS_MAX 500 /* overlayfs' own limit */

struct ovl_layers {
        char *lower[OVL_LAYERS_MAX];
        size_t n_lower;
        char *upper, *work;
        char *options[32]; /* the rest, "key" or "key=value", copied to the new mount */
        size_t n_options;
};

/* Splits overlayfs' super options (mountinfo escapes ',' inside values). Layer paths come back
 * unescaped; relative ones are made absolute from base (see ovl_base). */
static int ovl_parse(char *superopts, struct ovl_layers *l, char **ret_why)
{
        char *save = NULL;

        for (char *opt = strtok_r(superopts, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
                if (strncmp(opt, "lowerdir=", 9) == 0) {
                        char *list = opt + 9, *lsave = NULL;
                        if (strstr(list, "::"))
                                return *ret_why = "data-only lower layers", -EOPNOTSUPP;
                        for (char *p = strtok_r(list, ":", &lsave); p;
                             p = strtok_r(NULL, ":", &lsave)) {
                                if (l->n_lower == OVL_LAYERS_MAX)
                                        return *ret_why = "too many lower layers", -E2BIG;
                                unescape(p);
                                l->lower[l->n_lower++] = p;
                        }
                } else if (strncmp(opt, "lowerdir+=", 10) == 0) {
                        if (l->n_lower == OVL_LAYERS_MAX)
                                return *ret_why = "too many lower layers", -E2BIG;
                        unescape(opt + 10);
                        l->lower[l->n_lower++] = opt + 10;
                } else if (strncmp(opt, "datadir+=", 9) == 0) {
                        return *ret_why = "data-only lower layers", -EOPNOTSUPP;
                } else if (strncmp(opt, "upperdir=", 9) == 0) {
                        unescape(opt + 9);
                        l->upper = opt + 9;
                } else if (strncmp(opt, "workdir=", 8) == 0) {
                        unescape(opt + 8);
                        l->work = opt + 8;
                } else if (strcmp(opt, "rw") == 0 || strcmp(opt, "ro") == 0) {
                        continue; /* the superblock's flag, not an overlayfs option */
                } else if (strcmp(opt, "volatile") == 0 || strcmp(opt, "fsync=volatile") == 0) {
                        continue; /* the copy syncs as usual: it leaves no dirty marker behind */
                } else {
                        if (l->n_options == ELEMENTSOF(l->options))
                                return *ret_why = "too many options", -E2BIG;
                        unescape(opt);
                        l->options[l->n_options++] = opt;
                }
        }
        if (l->n_lower == 0)
                return *ret_why = "no lower layer", -EBADMSG;
        if (l->upper && !l->work)
                return *ret_why = "an upper layer without a work directory", -EBADMSG;
        return 0;
}

/* Engines that mount with layer paths relative to their storage directory (Docker and
 * containers/storage, when absolute ones would not fit a page) do it from that directory:
 * "<home>/<id>/merged" is mounted with "<id>/diff" as upper layer. Only that layout is
 * understood. */
static int ovl_absolute(char **path, const char *mountpoint, char *buf, size_t size)
{
        char mp[PATH_MAX], *slash;
        int n;

        if ((*path)[0] == '/')
                return 0;
        if (snprintf(mp, sizeof(mp), "%s", mountpoint) >= (int)sizeof(mp))
                return -ENAMETOOLONG;
        unescape(mp);
        /* mp = <home>/<id>/merged: drop two components. */
        for (int k = 0; k < 2; k++) {
                slash = strrchr(mp, '/');
                if (!slash || slash == mp)
                        return -EINVAL;
                *slash = '\0';
        }
        n = snprintf(buf, size, "%s/%s", mp, *path);
        if (n < 0 || (size_t)n >= size)
                return -ENAMETOOLONG;
        *path = buf;
        return 0;
}

static uint64_t mount_id_of(int fd)
{
        struct statx stx;

        if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
                return 0;
        return stx.stx_mnt_id;
}

/* overlayfs' work directory for the copy: one of hardrun's own beside the upper layer. Two
 * overlayfs instances must not share one (each empties it when it mounts), and an engine's
 * volatile mount marks its own as unusable for any other. */
#define OVL_WORKDIR ".hardrun-work"

/* The directory holding the upper layer, which must be in the upper layer's mount (overlayfs
 * wants upper and work directories in one mount), with the work directory made in it. Returns
 * its path (malloc'd) and the upper layer's name in it. */
static int ovl_upper_parent(const char *upper, char **ret_parent, const char **ret_name)
{
        _cleanup_free_ char *parent = strdup(upper);
        _cleanup_close_ int fd = -1, ufd = -1;
        struct stat st;
        char *slash;

        if (!parent)
                return -ENOMEM;
        slash = strrchr(parent, '/');
        if (!slash || slash == parent || !slash[1])
                return -EXDEV;
        *slash = '\0';
        fd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ufd = open(upper, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || ufd < 0)
                return -errno;
        if (mount_id_of(fd) == 0 || mount_id_of(fd) != mount_id_of(ufd))
                return -EXDEV;
        if (mkdirat(fd, OVL_WORKDIR, 0700) < 0 && errno != EEXIST)
                return -errno;
        if (fstatat(fd, OVL_WORKDIR, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        if (!S_ISDIR(st.st_mode) || st.st_uid != 0)
                return -ENOTDIR;
        *ret_name = upper + (slash - parent) + 1;
        *ret_parent = TAKE_PTR(parent);
        return 0;
}

/* The layers as overlayfs is given them: each is directory rel[i] of ID-mapped copy
 * root_of[i]. Lowers come first, then the upper layer's parent (upper and work are in it). */
struct ovl_build {
        int root_fd[OVL_LAYERS_MAX + 1];
        size_t n_roots;
        size_t root_of[OVL_LAYERS_MAX + 1];
        const char *rel[OVL_LAYERS_MAX + 1]; /* "" or "/sub/dir" */
        size_t n;
        int layers_dirfd;  /* where attached copies live, -1: detached only */
        size_t n_attached; /* ".layerN" names to detach again */
};

static void ovl_build_done(struct ovl_build *b)
{
        for (size_t i = 0; i < b->n_roots; i++)
                if (b->root_fd[i] >= 0)
                        close(b->root_fd[i]);
        for (size_t i = 0; i < b->n_attached; i++) {
                char name[32];
                snprintf(name, sizeof(name), ".layer%zu", i);
                (void)idmap_detach(b->layers_dirfd, name);
                (void)unlinkat(b->layers_dirfd, name, AT_REMOVEDIR);
        }
        b->n = b->n_roots = b->n_attached = 0;
}

/* Where the layer is for overlayfs: in the detached copy itself (/proc/self/fd/N/...) or, on
 * kernels that want layers attached, at the copy's attached place. */
static int layer_path(const struct ovl_build *b, size_t i, const char *tail, char *buf, size_t size)
{
        size_t root = b->root_of[i];
        int n;

        if (b->n_attached == 0)
                n = snprintf(buf, size, "/proc/self/fd/%d%s%s", b->root_fd[root], b->rel[i], tail);
        else
                n = snprintf(buf, size, "/proc/self/fd/%d/.layer%zu%s%s", b->layers_dirfd, root,
                             b->rel[i], tail);
        return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Each copy's release waits for an RCU grace period (milliseconds on a busy host): where every
 * layer lies in one mount (Docker's, containerd's and podman's layouts), one ID-mapped copy of
 * their common directory serves them all. Checked through the copy: a symbolic link leading
 * out of it (an absolute one) would reach a layer that is not ID-mapped. */
static int ovl_one_copy(struct ovl_build *b, char *const *dirs, size_t n, int userns_fd)
{
        _cleanup_free_ char *common = strdup(dirs[0]);
        _cleanup_close_ int fd = -1;
        uint64_t id;
        size_t len;
        int r;

        if (!common)
                return -ENOMEM;
        for (size_t i = 1; i < n; i++) {
                size_t k = 0, slash = 0;
                for (; common[k] && common[k] == dirs[i][k]; k++)
                        if (common[k] == '/')
                                slash = k;
                if (!common[k] && (dirs[i][k] == '/' || !dirs[i][k]))
                        slash = k;
                common[slash] = '\0';
        }
        len = strlen(common);
        fd = open(len ? common : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (size_t i = 0; i < n; i++) {
                _cleanup_close_ int lfd = open(dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (lfd < 0 || mount_id_of(lfd) != mount_id_of(fd))
                        return -EXDEV;
        }
        b->root_fd[0] = -1;
        if ((r = clone_mapped(fd, false, userns_fd, &b->root_fd[0])) < 0)
                return r;
        b->n_roots = 1;
        id = mount_id_of(b->root_fd[0]);
        for (size_t i = 0; i < n; i++) {
                const char *rel = dirs[i] + len;
                _cleanup_close_ int lfd = openat(b->root_fd[0], *rel ? rel + 1 : ".",
                                                 O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (lfd < 0 || id == 0 || mount_id_of(lfd) != id) {
                        ovl_build_done(b);
                        return -EXDEV;
                }
                b->root_of[i] = 0;
                b->rel[i] = rel;
        }
        b->n = n;
        return 0;
}

/* Otherwise one copy per layer. */
static int ovl_copy_each(struct ovl_build *b, char *const *dirs, size_t n, int userns_fd,
                         const char *what, struct hr_error *err)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_close_ int lfd = open(dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
                int r;
                if (lfd < 0)
                        return error_set(err, -errno, "'%s': overlayfs layer '%s': %s", what,
                                         dirs[i], strerror(errno));
                b->root_fd[b->n_roots] = -1;
                r = clone_mapped(lfd, false, userns_fd, &b->root_fd[b->n_roots]);
                if (r < 0) {
                        struct mount_facts lm = {{0}};
                        (void)mount_facts_read(mount_id_of(lfd), &lm);
                        r = fail_clone(r, dirs[i], &lm, err);
                        mount_facts_done(&lm);
                        return error_prefix(err, "'%s': overlayfs layer: ", what);
                }
                b->root_of[i] = b->n_roots++;
                b->rel[i] = "";
        }
        b->n = n;
        return 0;
}

/* The fs context's log: the reason overlayfs gives for a refusal. */
static void fs_log(int fs, char *buf, size_t size)
{
        size_t o = 0;
        ssize_t n;
        char line[256];

        buf[0] = '\0';
        while (o + 2 < size && (n = read(fs, line, sizeof(line) - 1)) > 0) {
                line[n] = '\0';
                o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "; " : "",
                                      n > 2 && line[1] == ' ' ? line + 2 : line);
        }
}

static int ovl_configure(const struct ovl_build *b, const struct ovl_layers *l,
                         const char *upper_name, int *ret_fs, char *log, size_t log_size)
{
        _cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);
        _cleanup_free_ char *lower = NULL;
        char path[PATH_MAX + 64];
        size_t o = 0, cap = 1;
        int r;

        log[0] = '\0';
        if (fs < 0)
                return -errno;
        for (size_t i = 0; i < l->n_lower; i++)
                cap += strlen(b->rel[i]) + 64;
        lower = malloc(cap);
        if (!lower)
                return -ENOMEM;
        lower[0] = '\0';
        for (size_t i = 0; i < l->n_lower; i++) {
                if ((r = layer_path(b, i, "", path, sizeof(path))) < 0)
                        return r;
                o += (size_t)snprintf(lower + o, cap - o, "%s%s", i ? ":" : "", path);
        }
        if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) < 0)
                goto fail;
        if (upper_name) {
                char tail[NAME_MAX + 2];
                snprintf(tail, sizeof(tail), "/%s", upper_name);
                if ((r = layer_path(b, l->n_lower, tail, path, sizeof(path))) < 0)
                        return r;
                if (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", path, 0) < 0)
                        goto fail;
                if ((r = layer_path(b, l->n_lower, "/" OVL_WORKDIR, path, sizeof(path))) < 0)
                        return r;
                if (fsconfig(fs, FSCONFIG_SET_STRING, "workdir", path, 0) < 0)
                        goto fail;
        }
        for (size_t i = 0; i < l->n_options; i++) {
                char key[64];
                const char *eq = strchr(l->options[i], '=');
                size_t len = eq ? (size_t)(eq - l->options[i]) : strlen(l->options[i]);
                if (len >= sizeof(key))
                        return -EINVAL;
                memcpy(key, l->options[i], len);
                key[len] = '\0';
                if ((eq ? fsconfig(fs, FSCONFIG_SET_STRING, key, eq + 1, 0)
                        : fsconfig(fs, FSCONFIG_SET_FLAG, key, NULL, 0)) < 0)
                        goto fail;
        }
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                goto fail;
        *ret_fs = TAKE_FD(fs);
        return 0;
fail:
        r = -errno;
        fs_log(fs, log, log_size);
        return r;
}

static int ovl_attach_layers(struct ovl_build *b, struct hr_error *err)
{
        for (size_t i = 0; i < b->n_roots; i++) {
                char name[32];
                int r;
                snprintf(name, sizeof(name), ".layer%zu", i);
                if ((r = idmap_attach(b->root_fd[i], b->layers_dirfd, name, err)) < 0)
                        return r;
                b->n_attached = i + 1;
        }
        return 0;
}

static int idmap_overlay(const char *what, struct mount_facts *m, int userns_fd, int layers_dirfd,
                         int *ret_mnt, struct hr_error *err)
{
        _cleanup_(ovl_build_done) struct ovl_build b = {.layers_dirfd = layers_dirfd};
        _cleanup_free_ char *bases = NULL, *upper_parent = NULL;
        _cleanup_close_ int fs = -1;
        struct ovl_layers l = {{0}};
        char *dirs[OVL_LAYERS_MAX + 1];
        const char *upper_name = NULL;
        char log[512], *why = NULL;
        size_t n;
        int r, mnt;

        if (m->has_children)
                return error_set(err, -EOPNOTSUPP,
                                 "'%s': an overlayfs mount with mounts below it cannot be "
                                 "rebuilt on ID-mapped layers",
                                 what);
        if ((r = ovl_parse(m->superopts, &l, &why)) < 0)
                return error_set(err, r, "'%s': overlayfs mount not understood: %s", what, why);
        bases = malloc((l.n_lower + 1) * PATH_MAX);
        if (!bases)
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < l.n_lower + 1; i++) {
                char **p = i < l.n_lower ? &l.lower[i] : &l.upper;
                if (*p && (r = ovl_absolute(p, m->mountpoint, bases + i * PATH_MAX, PATH_MAX)) < 0)
                        return error_set(err, r,
                                         "'%s': overlayfs layer '%s' is relative to a directory "
                                         "hardrun cannot tell",
                                         what, *p);
        }
        memcpy(dirs, l.lower, l.n_lower * sizeof(*dirs));
        n = l.n_lower;
        if (l.upper) {
                if ((r = ovl_upper_parent(l.upper, &upper_parent, &upper_name)) < 0)
                        return error_set(err, r,
                                         "'%s': overlayfs upper layer '%s': its directory is not "
                                         "in the same mount, or no work directory can be made "
                                         "beside it (%s)",
                                         what, l.upper, strerror(-r));
                dirs[n++] = upper_parent;
        }
        /* One copy where it can be; otherwise one per layer, which also names the layer a
         * refusal is about. */
        r = ovl_one_copy(&b, dirs, n, userns_fd);
        if (r == -ENOSYS)
                return fail_clone(r, what, m, err);
        if (r < 0 && (r = ovl_copy_each(&b, dirs, n, userns_fd, what, err)) < 0)
                return r;

        r = ovl_configure(&b, &l, upper_name, &fs, log, sizeof(log));
        /* Before Linux 6.15 overlayfs takes only layers attached to our mount namespace. */
        if (r == -EINVAL && layers_dirfd >= 0) {
                if ((r = ovl_attach_layers(&b, err)) < 0)
                        return error_prefix(err, "'%s': ", what);
                r = ovl_configure(&b, &l, upper_name, &fs, log, sizeof(log));
        }
        if (r < 0)
                return error_set(err, r,
                                 "'%s': overlayfs refused ID-mapped layers (needs Linux 5.19 or "
                                 "later): %s%s%s",
                                 what, strerror(-r), log[0] ? ": " : "",
                                 log[0] ? log : " (the kernel log has overlayfs' reason)");
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
        if (mnt < 0)
                return error_set(err, -errno, "'%s': cannot mount the ID-mapped overlayfs: %s",
                                 what, strerror(errno));
        *ret_mnt = mnt;
        return 0;
}

/* Linux 7.2 ID-maps overlayfs mounts themselves: there a bind is cheaper and keeps one overlayfs
 * instance on the upper layer. Earlier kernels are not asked: a refused try costs a copy's
 * release (an RCU grace period). */
static bool kernel_maps_overlayfs(void)
{
        static int known = -1;
        struct utsname u;
        unsigned major, minor;

        if (known < 0)
                known = uname(&u) == 0 && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
                        (major > 7 || (major == 7 && minor >= 2));
        return known;
}

int idmap_mount_tree(int fd, const char *what, bool recursive, int userns_fd, int layers_dirfd,
                     int *ret_mnt, enum idmap_kind *ret_kind, struct hr_error *err)
{
        struct mount_facts m = {{0}};
        struct statx stx;
        int r;

        if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID | STATX_TYPE, &stx) < 0)
                return error_set(err, -errno, "'%s': %s", what, strerror(errno));
        if (!(stx.stx_mask & STATX_MNT_ID))
                return error_set(err, -ENOSYS,
                                 "'%s': the kernel does not report mount ids "
                                 "(ID-mapped mounts need Linux 5.12 or later)",
                                 what);
        if ((r = mount_facts_read(stx.stx_mnt_id, &m)) < 0)
                return error_set(err, r, "'%s': its mount is not in /proc/self/mountinfo: %s", what,
                                 strerror(-r));
        if (strcmp(m.fstype, "overlay") == 0) {
                if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
                        r = error_set(err, -EOPNOTSUPP,
                                      "'%s' lies inside an overlayfs mount but is not its root: "
                                      "overlayfs cannot be ID-mapped",
                                      what);
                else if (kernel_maps_overlayfs() &&
                         (r = clone_mapped(fd, recursive, userns_fd, ret_mnt)) == 0)
                        *ret_kind = IDMAP_BIND;
                else if ((r = idmap_overlay(what, &m, userns_fd, layers_dirfd, ret_mnt, err)) == 0)
                        *ret_kind = IDMAP_OVERLAY;
        } else if ((r = clone_mapped(fd, recursive, userns_fd, ret_mnt)) < 0) {
                r = fail_clone(r, what, &m, err);
        } else {
                *ret_kind = IDMAP_BIND;
        }
        mount_facts_done(&m);
        return r;
}

int idmap_attach(int mnt_fd, int dirfd, const char *name, struct hr_error *err)
{
        struct stat st;

        if (fstat(mnt_fd, &st) < 0)
                return error_set(err, -errno, "'%s': %s", name, strerror(errno));
        if (S_ISDIR(st.st_mode)) {
                if (mkdirat(dirfd, name, 0700) < 0)
                        return error_set(err, -errno, "cannot create mount point '%s': %s", name,
                                         strerror(errno));
        } else {
                int f = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                               0600);
                if (f < 0)
                        return error_set(err, -errno, "cannot create mount point '%s': %s", name,
                                         strerror(errno));
                close(f);
        }
        if (move_mount(mnt_fd, "", dirfd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return error_set(err, -errno, "cannot attach the ID-mapped mount at '%s': %s", name,
                                 strerror(errno));
        return 0;
}

int idmap_detach(int dirfd, const char *name)
{
        char path[PATH_MAX];
        int n = 0;

        if (snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dirfd, name) >= (int)sizeof(path))
                return -ENAMETOOLONG;
        /* Stacked mounts come off one at a time; EINVAL: nothing (more) mounted there. */
        for (; n < 64; n++)
                if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
                        return errno == EINVAL || errno == ENOENT ? n : -errno;
        return -EBUSY;
}
