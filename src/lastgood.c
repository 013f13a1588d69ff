/* The last good policy: stored by digest, swapped in by renaming a symlink, read back only
 * when it passes the policy file's trust checks and still hashes to its name. */
#include "lastgood.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounds.h"
#include "fileio.h"
#include "trust.h"
#include "util/cleanup.h"
#include "util/sha256.h"

#define NAME_SIZE 96 /* "policy-" + 64 hex digits + ".json" */

/* "sha256:<hex>" → "policy-<hex>.json"; false for anything else. */
static bool copy_name(const char *digest, char buf[static NAME_SIZE])
{
        const char *hex;

        if (!digest || strncmp(digest, "sha256:", 7) != 0)
                return false;
        hex = digest + 7;
        if (strlen(hex) != 2 * SHA256_DIGEST_SIZE)
                return false;
        for (const char *c = hex; *c; c++)
                if (!isdigit((unsigned char)*c) && !(*c >= 'a' && *c <= 'f'))
                        return false;
        snprintf(buf, NAME_SIZE, "policy-%s.json", hex);
        return true;
}

/* The name the link points at, when it is one hardrun writes. */
static bool read_link(int dirfd, const char *dir, char buf[static NAME_SIZE])
{
        char path[PATH_MAX], digest[SHA256_TEXT_SIZE], check[NAME_SIZE];
        ssize_t n;

        if (dirfd >= 0)
                n = readlinkat(dirfd, LASTGOOD_LINK, buf, NAME_SIZE - 1);
        else if (snprintf(path, sizeof(path), "%s/%s", dir, LASTGOOD_LINK) >= (int)sizeof(path))
                return false;
        else
                n = readlink(path, buf, NAME_SIZE - 1);
        if (n < 0 || n >= NAME_SIZE - 1)
                return false;
        buf[n] = '\0';
        /* policy-<hex>.json, nothing else: no other directory, no other file. */
        if (n != (ssize_t)strlen("policy-.json") + 2 * SHA256_DIGEST_SIZE ||
            strncmp(buf, "policy-", 7) != 0)
                return false;
        snprintf(digest, sizeof(digest), "sha256:%.*s", 2 * SHA256_DIGEST_SIZE, buf + 7);
        return copy_name(digest, check) && strcmp(check, buf) == 0;
}

bool lastgood_is_current(const char *dir, const char *digest)
{
        char want[NAME_SIZE], have[NAME_SIZE];

        return dir && copy_name(digest, want) && read_link(-1, dir, have) &&
               strcmp(want, have) == 0;
}

/* The directory, created root-only, or refused when someone else owns it. */
static int open_dir(const char *dir, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return error_set(err, -errno, "%s: cannot create: %m", dir);
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return error_set(err, -errno, "%s: cannot open: %m", dir);
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "%s: cannot stat: %m", dir);
        if (st.st_uid != geteuid())
                return error_set(err, -EPERM, "%s: owned by uid %u, not by us: refusing it", dir,
                                 (unsigned)st.st_uid);
        if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0)
                return error_set(err, -errno, "%s: cannot make it 0700: %m", dir);
        return TAKE_FD(fd);
}

static int write_copy(int dirfd, const char *dir, const char *name, const char *buf, size_t len,
                      struct hr_error *err)
{
        char tmp[NAME_SIZE + 32];
        _cleanup_close_ int fd = -1;
        int r;

        snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
        (void)unlinkat(dirfd, tmp, 0);
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return error_set(err, -errno, "%s/%s: cannot create: %m", dir, tmp);
        if ((r = fchmod(fd, 0600) < 0 ? -errno : 0) < 0 ||
            (r = fileio_write_all(fd, buf, len)) < 0 || (r = fsync(fd) < 0 ? -errno : 0) < 0) {
                (void)unlinkat(dirfd, tmp, 0);
                return error_set(err, r, "%s/%s: cannot write: %s", dir, tmp, strerror(-r));
        }
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                r = -errno;
                (void)unlinkat(dirfd, tmp, 0);
                return error_set(err, r, "%s/%s: cannot rename: %s", dir, name, strerror(-r));
        }
        return 0;
}

static int point_link(int dirfd, const char *dir, const char *name, struct hr_error *err)
{
        char tmp[NAME_SIZE + 32];
        int r;

        snprintf(tmp, sizeof(tmp), "." LASTGOOD_LINK ".%ld.tmp", (long)getpid());
        (void)unlinkat(dirfd, tmp, 0);
        if (symlinkat(name, dirfd, tmp) < 0)
                return error_set(err, -errno, "%s/%s: cannot create: %m", dir, tmp);
        if (renameat(dirfd, tmp, dirfd, LASTGOOD_LINK) < 0) {
                r = -errno;
                (void)unlinkat(dirfd, tmp, 0);
                return error_set(err, r, "%s/%s: cannot rename: %s", dir, LASTGOOD_LINK,
                                 strerror(-r));
        }
        /* The rename is durable before the old copy goes. */
        if (fsync(dirfd) < 0)
                return error_set(err, -errno, "%s: cannot sync: %m", dir);
        return 0;
}

int lastgood_save(const char *dir, const char *digest, const char *buf, size_t len,
                  struct hr_error *err)
{
        _cleanup_close_ int dirfd = -1;
        char name[NAME_SIZE], old[NAME_SIZE];
        bool had_old;
        int r;

        if (!copy_name(digest, name))
                return error_set(err, -EINVAL, "'%s' is not a SHA-256 digest", digest);
        if ((dirfd = open_dir(dir, err)) < 0)
                return dirfd;
        /* Two starts after a policy change both find the copy stale: one writes it. */
        if (flock(dirfd, LOCK_EX) < 0)
                return error_set(err, -errno, "%s: cannot lock: %m", dir);
        had_old = read_link(dirfd, dir, old);
        if (had_old && strcmp(old, name) == 0)
                return 0;
        if ((r = write_copy(dirfd, dir, name, buf, len, err)) < 0 ||
            (r = point_link(dirfd, dir, name, err)) < 0)
                return r;
        if (had_old)
                (void)unlinkat(dirfd, old, 0);
        return 0;
}

int lastgood_read(const char *dir, char **ret_buf, size_t *ret_len, char **ret_path,
                  struct hr_error *err)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        char name[NAME_SIZE], digest[SHA256_TEXT_SIZE], want[SHA256_TEXT_SIZE];
        size_t len;
        int r;

        if (!read_link(-1, dir, name))
                return error_set(err, -ENOENT, "%s/%s: no last good policy", dir, LASTGOOD_LINK);
        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        fd = fileio_open_regular(AT_FDCWD, path, true, NULL, err);
        if (fd < 0)
                return error_prefix(err, "%s: ", path);
        if ((r = file_check_trusted(fd, path, err)) < 0)
                return r;
        if ((r = fileio_read_all(fd, HR_POLICY_MAX_BYTES, &buf, &len, err)) < 0)
                return error_prefix(err, "%s: ", path);
        sha256_text(buf, len, digest);
        snprintf(want, sizeof(want), "sha256:%.*s", 2 * SHA256_DIGEST_SIZE, name + 7);
        if (strcmp(digest, want) != 0)
                return error_set(err, -EBADMSG, "%s: content does not match its name (%s)", path,
                                 digest);
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        *ret_path = TAKE_PTR(path);
        return 0;
}

/* Appends to a message, cutting it where the buffer ends. */
static void append(struct hr_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(struct hr_error *e, const char *fmt, ...)
{
        size_t len = strlen(e->msg);
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(e->msg + len, sizeof(e->msg) - len, fmt, ap);
        va_end(ap);
}

/* The last good copy, else the built-in default: what stands in for a broken policy file. */
static int load_fallback(const char *dir, bool full, struct policy **ret,
                         enum policy_origin *ret_origin, struct hr_error *problem,
                         struct hr_error *err)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_free_ char *path = NULL;
        struct hr_error why = {0};
        size_t len;
        int r = -ENOENT;

        if (dir && (r = lastgood_read(dir, &buf, &len, &path, &why)) == 0)
                r = full ? policy_parse(buf, len, path, ret, &why)
                         : policy_parse_runtime(buf, len, path, ret, &why);
        if (r == 0) {
                *ret_origin = POLICY_FROM_LASTGOOD;
                append(problem, "; using the last good policy '%s'", path);
                return 0;
        }
        *ret = full ? policy_new_default() : policy_new_default_runtime();
        if (!*ret)
                return error_set(err, -ENOMEM, "out of memory");
        *ret_origin = POLICY_FROM_FALLBACK;
        if (dir)
                append(problem, "; no usable last good policy (%s): using the built-in default",
                       why.msg);
        else
                append(problem, "; using the built-in default");
        return 0;
}

int lastgood_policy_load(const char *path, const char *dir, bool full, struct policy **ret,
                         enum policy_origin *ret_origin, struct hr_error *problem,
                         struct hr_error *err)
{
        _cleanup_free_ char *buf = NULL;
        struct hr_error save_err = {0};
        size_t len = 0;
        int r;

        error_release(problem);
        r = policy_load_bytes(path, full, ret, &buf, &len, problem);
        if (r == -ENOMEM)
                return error_set(err, r, "out of memory");
        if (r < 0) {
                /* The message names the file already: what is used instead follows. */
                problem->code = r;
                return load_fallback(dir, full, ret, ret_origin, problem, err);
        }
        *ret_origin = buf ? POLICY_FROM_FILE : POLICY_FROM_DEFAULT;
        /* Only a full load proves the whole file good; the digest is computed for it. */
        if (buf && full && dir && !lastgood_is_current(dir, (*ret)->digest))
                (void)lastgood_save(dir, (*ret)->digest, buf, len, &save_err);
        return 0;
}
