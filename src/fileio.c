/* Bounded reads: one fstat, then read until EOF or one byte past the bound. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/bigmem.h"
#include "util/prefault.h"

int fileio_open_regular(int dirfd, const char *name, bool nofollow, struct stat *ret_st,
                        struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = openat(dirfd, name,
                    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
        if (fd < 0) {
                if (errno == ELOOP && nofollow)
                        return error_set(err, -ELOOP, "is a symbolic link, refusing to follow it");
                return error_set(err, -errno, "cannot open: %s", strerror(errno));
        }
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "cannot stat: %s", strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EINVAL, "not a regular file");
        if (ret_st)
                *ret_st = st;
        return TAKE_FD(fd);
}

/* Reads into buf from *len on until EOF (0) or until it holds cap bytes (1); more than max
 * bytes is -EFBIG. */
static int read_to(int fd, char *buf, size_t cap, size_t max, size_t *len, struct hr_error *err)
{
        while (*len < cap) {
                ssize_t n = read(fd, buf + *len, cap - *len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return error_set(err, -errno, "cannot read: %s", strerror(errno));
                }
                if (n == 0)
                        return 0;
                *len += (size_t)n;
                if (*len > max)
                        return error_set(err, -EFBIG, "larger than the limit of %zu bytes", max);
        }
        return 1;
}

int fileio_read_all(int fd, size_t max, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t cap, len = 0;
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "cannot stat: %s", strerror(errno));
        if (st.st_size < 0 || (unsigned long long)st.st_size > max)
                return error_set(err, -EFBIG, "larger than the limit of %zu bytes", max);
        /* One read for the common case; the loop copes with files that grow meanwhile. */
        cap = (size_t)st.st_size + 1;
        buf = malloc(cap + 1);
        if (!buf)
                return error_set(err, -ENOMEM, "out of memory");
        while ((r = read_to(fd, buf, cap, max, &len, err)) == 1) {
                size_t new_cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
                char *p;
                if (new_cap <= cap)
                        new_cap = cap + 1;
                p = realloc(buf, new_cap + 1);
                if (!p)
                        return error_set(err, -ENOMEM, "out of memory");
                buf = p;
                cap = new_cap;
        }
        if (r < 0)
                return r;
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int fileio_read_all_big(int fd, size_t max, char **ret_buf, size_t *ret_len, size_t *ret_mapped,
                        struct hr_error *err)
{
        size_t mapped, len = 0;
        struct stat st;
        char *buf;
        int r;

        *ret_mapped = 0;
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "cannot stat: %s", strerror(errno));
        if (!S_ISREG(st.st_mode) || st.st_size < 0 || (unsigned long long)st.st_size > max ||
            (size_t)st.st_size < BIGMEM_MIN ||
            !(buf = bigmem_alloc((size_t)st.st_size + 2, &mapped)))
                return fileio_read_all(fd, max, ret_buf, ret_len, err);
        /* read() would fault its pages in one by one. */
        if (!bigmem_is_huge((size_t)st.st_size + 2))
                (void)prefault_range(buf, mapped);
        r = read_to(fd, buf, mapped - 1, max, &len, err);
        if (r != 0)
                bigmem_free(buf, mapped);
        if (r < 0)
                return r;
        if (r == 1) { /* grown past the mapping since fstat: read it again the ordinary way */
                if (lseek(fd, 0, SEEK_SET) < 0)
                        return error_set(err, -errno, "cannot seek: %s", strerror(errno));
                return fileio_read_all(fd, max, ret_buf, ret_len, err);
        }
        buf[len] = '\0';
        *ret_buf = buf;
        *ret_len = len;
        *ret_mapped = mapped;
        return 0;
}

int fileio_split_path(const char *path, char **ret_dir, char **ret_base, struct hr_error *err)
{
        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir = NULL;
        _cleanup_free_ char *base = NULL;

        if (!slash) {
                dir = strdup(".");
                base = strdup(path);
        } else {
                dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
                base = strdup(slash + 1);
        }
        if (!dir || !base)
                return error_set(err, -ENOMEM, "out of memory");
        if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
                return error_set(err, -EISDIR, "names a directory, not a file");
        *ret_dir = TAKE_PTR(dir);
        *ret_base = TAKE_PTR(base);
        return 0;
}

int fileio_write_all(int fd, const char *data, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, data, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                data += n;
                len -= (size_t)n;
        }
        return 0;
}

int fileio_tmpname(const char *name, const char *tag, char buf[static FILEIO_TMPNAME_MAX])
{
        unsigned char rnd[8];

        if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
                return -EIO;
        snprintf(buf, FILEIO_TMPNAME_MAX, ".%.200s.%.30s-%02x%02x%02x%02x%02x%02x%02x%02x", name,
                 tag, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
        return 0;
}

static bool is_same_file(const struct stat *a, const struct stat *b)
{
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
               a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int fileio_replace(const char *path, const char *data, size_t len, mode_t mode,
                   const struct stat *was, bool check, struct hr_error *err)
{
        _cleanup_free_ char *dir = NULL, *base = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -1, dfd = -1;
        char name[FILEIO_TMPNAME_MAX];
        struct stat now;
        int r;

        if ((r = fileio_split_path(path, &dir, &base, err)) < 0)
                return r;
        if ((r = fileio_tmpname(base, "hardrunctl", name)) < 0)
                return error_set(err, r, "cannot create a file in %s: no random bytes", dir);
        if (asprintf(&tmp, "%s/%s", dir, name) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        /* O_EXCL: an existing entry (a planted symlink) is never followed or reused. */
        fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return error_set(err, -errno, "cannot create a file in %s: %m", dir);
        if (fchmod(fd, mode) < 0 ||
            (was && (was->st_uid != geteuid() || was->st_gid != getegid()) &&
             fchown(fd, was->st_uid, was->st_gid) < 0)) {
                r = error_set(err, -errno, "%s: cannot keep mode and owner: %m", tmp);
                goto fail;
        }
        if ((r = fileio_write_all(fd, data, len)) < 0) {
                r = error_set(err, r, "%s: cannot write: %s", tmp, strerror(-r));
                goto fail;
        }
        if (fsync(fd) < 0) {
                r = error_set(err, -errno, "%s: cannot write: %m", tmp);
                goto fail;
        }
        /* Someone else's edit since we read it must not be lost silently. */
        if (check &&
            (was ? (stat(path, &now) < 0 || !is_same_file(&now, was)) : access(path, F_OK) == 0)) {
                r = error_set(err, -EAGAIN,
                              "%s: changed while hardrunctl edited it; not "
                              "changed, run it again",
                              path);
                goto fail;
        }
        if (rename(tmp, path) < 0) {
                r = error_set(err, -errno, "cannot replace %s: %m", path);
                goto fail;
        }
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0)
                (void)fsync(dfd);
        return 0;
fail:
        unlink(tmp);
        return r;
}
