/* Spec files: read once through a directory fd, written back by rename so no reader ever sees a
 * half-written file. */
#include "specfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fileio.h"
#include "util/cleanup.h"
#include "util/bigmem.h"

int spec_file_read(const char *path, size_t max, struct spec_file *ret, struct hr_error *err)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_free_ char *name = NULL;
        _cleanup_free_ char *display = NULL;
        _cleanup_close_ int dirfd = -1;
        _cleanup_close_ int fd = -1;
        struct stat st;
        size_t len;
        int r;

        if (fileio_split_path(path, &dir, &name, err) < 0)
                return error_prefix(err, "%s: ", path);
        display = strdup(path);
        if (!display)
                return error_set(err, -ENOMEM, "out of memory");
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return error_set(err, -errno, "%s: cannot open directory '%s': %s", path, dir,
                                 strerror(errno));
        fd = fileio_open_regular(dirfd, name, true, &st, err);
        if (fd < 0)
                return error_prefix(err, "%s: ", path);
        /* A second name for the file means someone else can change what we read. */
        if (st.st_nlink != 1)
                return error_set(err, -EMLINK, "%s: has %ju hard links, refusing it", path,
                                 (uintmax_t)st.st_nlink);
        r = fileio_read_all_big(fd, max, &ret->data, &len, &ret->data_mapped, err);
        if (r < 0)
                return error_prefix(err, "%s: ", path);

        ret->dirfd = TAKE_FD(dirfd);
        ret->name = TAKE_PTR(name);
        ret->display = TAKE_PTR(display);
        ret->st = st;
        ret->len = len;
        return 0;
}

/* "N" of a descriptor name as /proc reads it: digits, no leading zero, an int. */
static int parse_fd_name(const char *s)
{
        long long n = 0;

        if (!*s || (s[0] == '0' && s[1]) || strspn(s, "0123456789") != strlen(s) || strlen(s) > 10)
                return -1;
        for (; *s; s++)
                n = n * 10 + (*s - '0');
        return n <= INT32_MAX ? (int)n : -1;
}

int spec_own_fd(const char *path)
{
        if (strcmp(path, "/dev/stdin") == 0)
                return 0;
        if (strncmp(path, "/dev/fd/", 8) == 0)
                return parse_fd_name(path + 8);
        if (strncmp(path, "/proc/self/fd/", 14) == 0)
                return parse_fd_name(path + 14);
        return -1;
}

/* Whether the symlink at path reads exactly target. */
static bool is_link_to(const char *path, const char *target)
{
        char buf[64];
        ssize_t n = readlink(path, buf, sizeof(buf));

        return n == (ssize_t)strlen(target) && memcmp(buf, target, (size_t)n) == 0;
}

int spec_file_read_own_fd(const char *path, int fd, size_t max, struct spec_file *ret,
                          struct hr_error *err)
{
        _cleanup_free_ char *display = NULL;
        _cleanup_close_ int copy = -1;
        char proc[64];
        struct statfs sfs;
        struct stat st;
        size_t len;
        int r;

        /* The names the runtime will resolve must lead to the kernel's descriptor table. */
        if ((strncmp(path, "/dev/fd/", 8) == 0 && !is_link_to("/dev/fd", "/proc/self/fd")) ||
            (strcmp(path, "/dev/stdin") == 0 && !is_link_to("/dev/stdin", "/proc/self/fd/0")))
                return error_set(err, -ELOOP,
                                 "%s: '%s' is not the kernel's link to /proc/self/fd, refusing "
                                 "to follow it",
                                 path, strcmp(path, "/dev/stdin") == 0 ? "/dev/stdin" : "/dev/fd");
        if (statfs("/proc/self/fd", &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
                return error_set(err, -ELOOP, "%s: /proc is not procfs, refusing to follow it",
                                 path);
        if (fcntl(fd, F_GETFD) < 0)
                return error_set(err, -EBADF, "%s: descriptor %d is not open", path, fd);
        /* A new open file, as the runtime's own open of the path: a regular file from its
         * start, the same pipe. */
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        copy = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (copy < 0)
                return error_set(err, -errno, "%s: cannot open: %s", path, strerror(errno));
        if (fstat(copy, &st) < 0)
                return error_set(err, -errno, "%s: cannot stat: %s", path, strerror(errno));
        if (S_ISDIR(st.st_mode))
                return error_set(err, -EISDIR, "%s: is a directory", path);
        display = strdup(path);
        if (!display)
                return error_set(err, -ENOMEM, "out of memory");
        r = fileio_read_all_big(copy, max, &ret->data, &len, &ret->data_mapped, err);
        if (r < 0)
                return error_prefix(err, "%s: ", path);
        ret->own_fd = fd;
        ret->display = TAKE_PTR(display);
        ret->st = st;
        ret->len = len;
        return 0;
}

void spec_file_done(struct spec_file *f)
{
        if (f->dirfd >= 0)
                close(f->dirfd);
        free(f->name);
        free(f->display);
        if (f->data_mapped)
                bigmem_free(f->data, f->data_mapped);
        else
                free(f->data);
        *f = (struct spec_file)SPEC_FILE_INIT;
}

/* An unnamed O_TMPFILE inode vanishes by itself if we are killed before it gets a name. */
static int link_tmpfile(int fd, int dirfd, const char *tmpname)
{
        char proc[64];

        if (linkat(fd, "", dirfd, tmpname, AT_EMPTY_PATH) == 0)
                return 0;
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        if (linkat(AT_FDCWD, proc, dirfd, tmpname, AT_SYMLINK_FOLLOW) == 0)
                return 0;
        return -errno;
}

/* A hardrun killed between linkat() and renameat() leaves its named temporary file behind; the
 * next rewrite of the same file removes such leftovers, so they never accumulate. Only names
 * spec_file_replace() makes (".NAME.hardrun-" and 16 hex digits) and only regular files. */
static void remove_stale_tmpfiles(int dirfd, const char *name)
{
        char prefix[300];
        struct dirent *e;
        size_t plen;
        DIR *d;
        int fd;

        plen = (size_t)snprintf(prefix, sizeof(prefix), ".%.200s.hardrun-", name);
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return;
        }
        while ((e = readdir(d))) {
                const char *hex = e->d_name + plen;
                struct stat st;

                if (strncmp(e->d_name, prefix, plen) != 0 || strlen(hex) != 16 ||
                    strspn(hex, "0123456789abcdef") != 16)
                        continue;
                if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                        (void)unlinkat(dirfd, e->d_name, 0);
        }
        closedir(d);
}

static int replace_own_fd(struct spec_file *f, const char *data, size_t len, struct hr_error *err)
{
        _cleanup_close_ int memfd = -1;
        int flags, r;

        flags = fcntl(f->own_fd, F_GETFD);
        if (flags < 0)
                return error_set(err, -errno, "%s: descriptor %d: %s", f->display, f->own_fd,
                                 strerror(errno));
        memfd = memfd_create("hardrun-process", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (memfd < 0)
                return error_set(err, -errno, "%s: cannot create a memfd: %s", f->display,
                                 strerror(errno));
        if ((r = fileio_write_all(memfd, data, len)) < 0)
                return error_set(err, r, "%s: cannot write the memfd: %s", f->display,
                                 strerror(-r));
        if (fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
                return error_set(err, -errno, "%s: cannot seal the memfd: %s", f->display,
                                 strerror(errno));
        /* The offset stays at the end: a process that inherits the descriptor reads what it
         * would have read from the drained pipe, nothing. */
        if (dup3(memfd, f->own_fd, flags & FD_CLOEXEC ? O_CLOEXEC : 0) < 0)
                return error_set(err, -errno, "%s: cannot replace descriptor %d: %s", f->display,
                                 f->own_fd, strerror(errno));
        return 0;
}

int spec_file_replace(struct spec_file *f, const char *data, size_t len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        char tmpname[FILEIO_TMPNAME_MAX];
        bool named = false;
        struct stat now;
        int r;

        if (f->own_fd >= 0)
                return replace_own_fd(f, data, len, err);
        if (fileio_tmpname(f->name, "hardrun", tmpname) < 0)
                return error_set(err, -EIO, "%s: no random bytes for a temporary name", f->display);

        fd = openat(f->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) {
                fd = openat(f->dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                            0600);
                if (fd < 0)
                        return error_set(err, -errno, "%s: cannot create a temporary file: %s",
                                         f->display, strerror(errno));
                named = true;
        }

        r = fileio_write_all(fd, data, len);
        if (r < 0) {
                error_set(err, r, "%s: cannot write: %s", f->display, strerror(-r));
                goto fail;
        }
        /* Keep the engine's ownership and mode (containerd writes 0666 in a 0700 dir). */
        if (fchown(fd, f->st.st_uid, f->st.st_gid) < 0 && errno != EPERM) {
                r = error_set(err, -errno, "%s: cannot set owner: %s", f->display, strerror(errno));
                goto fail;
        }
        if (fchmod(fd, f->st.st_mode & 07777) < 0) {
                r = error_set(err, -errno, "%s: cannot set mode: %s", f->display, strerror(errno));
                goto fail;
        }
        /* No fsync: the rename alone makes a killed hardrun leave either file whole, and the
         * engine wrote the original without one (containerd, Docker), so after a power loss
         * the bundle is recreated anyway. Two fsyncs cost ~1 ms per start on disk. */
        if (!named) {
                r = link_tmpfile(fd, f->dirfd, tmpname);
                if (r < 0) {
                        error_set(err, r, "%s: cannot link the temporary file: %s", f->display,
                                  strerror(-r));
                        goto fail;
                }
                named = true;
        }
        /* The name must still be the file we read: a swapped entry is not ours to replace. */
        if (fstatat(f->dirfd, f->name, &now, AT_SYMLINK_NOFOLLOW) < 0 ||
            now.st_dev != f->st.st_dev || now.st_ino != f->st.st_ino) {
                r = error_set(err, -ESTALE, "%s: changed while hardrun read it, refusing",
                              f->display);
                goto fail;
        }
        if (renameat(f->dirfd, tmpname, f->dirfd, f->name) < 0) {
                r = error_set(err, -errno, "%s: cannot replace: %s", f->display, strerror(errno));
                goto fail;
        }
        f->st.st_ino = 0; /* the file read is gone */
        remove_stale_tmpfiles(f->dirfd, f->name);
        return 0;
fail:
        if (named)
                (void)unlinkat(f->dirfd, tmpname, 0);
        return r;
}
