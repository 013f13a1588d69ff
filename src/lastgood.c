/* The last good policy and seccomp profile: stored by digest, swapped in by renaming a symlink,
 * read back only when they pass the policy file's trust checks and still hash to their name. */
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
#include "rules/seccomp.h"
#include "trust.h"
#include "util/cleanup.h"
#include "util/sha256.h"

#define NAME_SIZE 96 /* "seccomp-" + 64 hex digits + ".json" */

/* What a copy is of: its files are "<prefix><hex>.json", the link names the current one. */
struct kind {
        const char *prefix;
        const char *link;
        const char *what; /* for messages */
        size_t max_bytes;
};

static const struct kind policy_kind = {"policy-", LASTGOOD_LINK, "policy", HR_POLICY_MAX_BYTES};
static const struct kind seccomp_kind = {"seccomp-", LASTGOOD_SECCOMP_LINK, "seccomp profile",
                                         HR_PROFILE_MAX_BYTES};

/* "sha256:<hex>" → "<prefix><hex>.json"; false for anything else. */
static bool copy_name(const struct kind *k, const char *digest, char buf[static NAME_SIZE])
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
        snprintf(buf, NAME_SIZE, "%s%s.json", k->prefix, hex);
        return true;
}

/* The name the link points at, when it is one hardrun writes. */
static bool read_link(const struct kind *k, int dirfd, const char *dir, char buf[static NAME_SIZE])
{
        char path[PATH_MAX], digest[SHA256_TEXT_SIZE], check[NAME_SIZE];
        size_t prefix = strlen(k->prefix);
        ssize_t n;

        if (dirfd >= 0)
                n = readlinkat(dirfd, k->link, buf, NAME_SIZE - 1);
        else if (snprintf(path, sizeof(path), "%s/%s", dir, k->link) >= (int)sizeof(path))
                return false;
        else
                n = readlink(path, buf, NAME_SIZE - 1);
        if (n < 0 || n >= NAME_SIZE - 1)
                return false;
        buf[n] = '\0';
        /* <prefix><hex>.json, nothing else: no other directory, no other file. */
        if ((size_t)n != prefix + strlen(".json") + 2 * SHA256_DIGEST_SIZE ||
            strncmp(buf, k->prefix, prefix) != 0)
                return false;
        snprintf(digest, sizeof(digest), "sha256:%.*s", 2 * SHA256_DIGEST_SIZE, buf + prefix);
        return copy_name(k, digest, check) && strcmp(check, buf) == 0;
}

static bool is_current(const struct kind *k, const char *dir, const char *digest)
{
        char want[NAME_SIZE], have[NAME_SIZE];

        return dir && copy_name(k, digest, want) && read_link(k, -1, dir, have) &&
               strcmp(want, have) == 0;
}

bool lastgood_is_current(const char *dir, const char *digest)
{
        return is_current(&policy_kind, dir, digest);
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

static int point_link(const struct kind *k, int dirfd, const char *dir, const char *name,
                      struct hr_error *err)
{
        char tmp[NAME_SIZE + 32];
        int r;

        snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", k->link, (long)getpid());
        (void)unlinkat(dirfd, tmp, 0);
        if (symlinkat(name, dirfd, tmp) < 0)
                return error_set(err, -errno, "%s/%s: cannot create: %m", dir, tmp);
        if (renameat(dirfd, tmp, dirfd, k->link) < 0) {
                r = -errno;
                (void)unlinkat(dirfd, tmp, 0);
                return error_set(err, r, "%s/%s: cannot rename: %s", dir, k->link, strerror(-r));
        }
        /* The rename is durable before the old copy goes. */
        if (fsync(dirfd) < 0)
                return error_set(err, -errno, "%s: cannot sync: %m", dir);
        return 0;
}

static int save(const struct kind *k, const char *dir, const char *digest, const char *buf,
                size_t len, struct hr_error *err)
{
        _cleanup_close_ int dirfd = -1;
        char name[NAME_SIZE], old[NAME_SIZE];
        bool had_old;
        int r;

        if (!copy_name(k, digest, name))
                return error_set(err, -EINVAL, "'%s' is not a SHA-256 digest", digest);
        if ((dirfd = open_dir(dir, err)) < 0)
                return dirfd;
        /* Two starts after a policy change both find the copy stale: one writes it. */
        if (flock(dirfd, LOCK_EX) < 0)
                return error_set(err, -errno, "%s: cannot lock: %m", dir);
        had_old = read_link(k, dirfd, dir, old);
        if (had_old && strcmp(old, name) == 0)
                return 0;
        if ((r = write_copy(dirfd, dir, name, buf, len, err)) < 0 ||
            (r = point_link(k, dirfd, dir, name, err)) < 0)
                return r;
        if (had_old)
                (void)unlinkat(dirfd, old, 0);
        return 0;
}

int lastgood_save(const char *dir, const char *digest, const char *buf, size_t len,
                  struct hr_error *err)
{
        return save(&policy_kind, dir, digest, buf, len, err);
}

static int read_copy(const struct kind *k, const char *dir, char **ret_buf, size_t *ret_len,
                     char **ret_path, struct hr_error *err)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        char name[NAME_SIZE], digest[SHA256_TEXT_SIZE], want[SHA256_TEXT_SIZE];
        size_t len;
        int r;

        if (!read_link(k, -1, dir, name))
                return error_set(err, -ENOENT, "%s/%s: no last good %s", dir, k->link, k->what);
        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        fd = fileio_open_regular(AT_FDCWD, path, true, NULL, err);
        if (fd < 0)
                return error_prefix(err, "%s: ", path);
        if ((r = file_check_trusted(fd, path, err)) < 0)
                return r;
        if ((r = fileio_read_all(fd, k->max_bytes, &buf, &len, err)) < 0)
                return error_prefix(err, "%s: ", path);
        sha256_text(buf, len, digest);
        snprintf(want, sizeof(want), "sha256:%.*s", 2 * SHA256_DIGEST_SIZE,
                 name + strlen(k->prefix));
        if (strcmp(digest, want) != 0)
                return error_set(err, -EBADMSG, "%s: content does not match its name (%s)", path,
                                 digest);
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        *ret_path = TAKE_PTR(path);
        return 0;
}

int lastgood_read(const char *dir, char **ret_buf, size_t *ret_len, char **ret_path,
                  struct hr_error *err)
{
        return read_copy(&policy_kind, dir, ret_buf, ret_len, ret_path, err);
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

void lastgood_text_release(struct lastgood_text *text)
{
        free(text->buf);
        *text = (struct lastgood_text){0};
}

int lastgood_policy_load_text(const char *path, const char *dir, bool full,
                              struct lastgood_text *text, struct policy **ret,
                              enum policy_origin *ret_origin, struct hr_error *problem,
                              struct hr_error *err)
{
        _cleanup_free_ char *owned = NULL;
        const char *buf;
        size_t len = 0;
        int r;

        error_release(problem);
        if (text && text->buf) {
                /* The bytes an earlier load of this start read and checked: the same snapshot. */
                buf = text->buf;
                len = text->len;
                r = full ? policy_parse(buf, len, path, ret, problem)
                         : policy_parse_runtime(buf, len, path, ret, problem);
        } else {
                r = policy_load_bytes(path, full, ret, &owned, &len, problem);
                buf = owned;
        }
        if (r == -ENOMEM)
                return error_set(err, r, "out of memory");
        if (r < 0) {
                /* The message names the file already: what is used instead follows. */
                problem->code = r;
                return load_fallback(dir, full, ret, ret_origin, problem, err);
        }
        *ret_origin = buf ? POLICY_FROM_FILE : POLICY_FROM_DEFAULT;
        /* Only a full load proves the whole file good; the digest is computed for it. */
        if (buf && full && dir && !lastgood_is_current(dir, (*ret)->digest)) {
                struct hr_error save_err = {0};
                (void)lastgood_save(dir, (*ret)->digest, buf, len, &save_err);
        }
        if (text && owned) {
                text->buf = TAKE_PTR(owned);
                text->len = len;
        }
        return 0;
}

int lastgood_policy_load(const char *path, const char *dir, bool full, struct policy **ret,
                         enum policy_origin *ret_origin, struct hr_error *problem,
                         struct hr_error *err)
{
        return lastgood_policy_load_text(path, dir, full, NULL, ret, ret_origin, problem, err);
}

/* Points the policy at another profile (a copy's path, a built-in name) and loads it. */
static int use_profile(struct policy *p, const char *profile, struct hr_error *err)
{
        struct seccomp_settings *own = p->rule_settings[RULE_SECCOMP];
        const struct json *doc;
        char *copy = strdup(profile);

        if (!copy)
                return error_set(err, -ENOMEM, "out of memory");
        json_free(policy_seccomp_profile_take(p));
        free(own->profile);
        own->profile = copy;
        return policy_seccomp_profile(p, &doc, err);
}

/* The profile as loaded (validated, this host's architectures) becomes the last good copy when
 * it is not already: a json_write() and a hash, the cost of a custom profile on each start. */
static void save_profile(const struct json *doc, const char *dir)
{
        _cleanup_free_ char *text = NULL;
        char digest[SHA256_TEXT_SIZE];
        struct hr_error ignored = {0};
        size_t len;

        if (json_write(doc, &text, &len, NULL) < 0)
                return;
        sha256_text(text, len, digest);
        if (!is_current(&seccomp_kind, dir, digest))
                (void)save(&seccomp_kind, dir, digest, text, len, &ignored);
}

int lastgood_seccomp_load(struct policy *p, const char *dir, struct hr_error *problem,
                          struct hr_error *err)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_free_ char *path = NULL;
        const struct seccomp_settings *own = p->rule_settings[RULE_SECCOMP];
        const struct json *doc;
        struct hr_error why;
        size_t len;
        int r;

        error_release(problem);
        /* Built-in profiles are immutable; an unused one costs nothing (not even zeroing why's
         * 8 KiB), nor does a policy read for a pass-through, which has no rule settings. */
        if (!own || p->mode == HR_MODE_OFF || p->rule_mode[RULE_SECCOMP] == HR_MODE_OFF ||
            own->profile[0] != '/')
                return 0;
        error_release(&why);
        r = policy_seccomp_profile(p, &doc, problem);
        if (r == -ENOMEM)
                return error_set(err, r, "out of memory");
        if (r == 0) {
                if (dir)
                        save_profile(doc, dir);
                return 0;
        }
        /* The message names the profile file and the reason: what is used instead follows. */
        if (dir && (r = read_copy(&seccomp_kind, dir, &buf, &len, &path, &why)) == 0)
                r = use_profile(p, path, &why);
        if (r == -ENOMEM)
                return error_set(err, r, "out of memory");
        if (r == 0) {
                append(problem, "; using the last good seccomp profile '%s'", path);
                return 1;
        }
        if ((r = use_profile(p, "default", err)) < 0)
                return r;
        if (dir)
                append(problem,
                       "; no usable last good seccomp profile (%s): using the built-in profile "
                       "'default'",
                       why.msg);
        else
                append(problem, "; using the built-in seccomp profile 'default'");
        return 1;
}
