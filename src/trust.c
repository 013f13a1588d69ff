/* The trust checks on the files that decide how containers are hardened: only root (or the
 * caller) may be able to change them or the directories above them. */
#include "trust.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

static bool is_trusted_owner(uid_t uid)
{
        return uid == 0 || uid == geteuid();
}

/* Every directory above path (absolute, modified in place) can only be changed by root or the
 * caller. */
static int check_dirs_trusted(const char *path, char *abs, struct hr_error *err)
{
        struct stat st;
        char *slash;

        while ((slash = strrchr(abs, '/'))) {
                const char *dir = slash == abs ? "/" : abs;
                if (slash == abs)
                        slash[1] = '\0';
                else
                        *slash = '\0';
                if (stat(dir, &st) < 0)
                        return error_set(err, -errno, "%s: cannot stat '%s': %s", path, dir,
                                         strerror(errno));
                if (!is_trusted_owner(st.st_uid))
                        return error_set(err, -EPERM,
                                         "%s: directory '%s' is owned by uid %u, not root: "
                                         "refusing it",
                                         path, dir, (unsigned)st.st_uid);
                /* A sticky world-writable directory (/tmp) lets nobody replace root's file. */
                if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
                        return error_set(err, -EPERM,
                                         "%s: directory '%s' is writable by group or others: "
                                         "refusing it",
                                         path, dir);
                if (strcmp(dir, "/") == 0)
                        break;
        }
        return 0;
}

int file_check_trusted(int fd, const char *path, struct hr_error *err)
{
        _cleanup_free_ char *real = NULL;
        _cleanup_free_ char *given = NULL;
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "%s: cannot stat: %s", path, strerror(errno));
        if (!is_trusted_owner(st.st_uid))
                return error_set(err, -EPERM, "%s: owned by uid %u, not root: refusing it", path,
                                 (unsigned)st.st_uid);
        if (st.st_mode & (S_IWGRP | S_IWOTH))
                return error_set(err, -EPERM,
                                 "%s: writable by group or others (mode %04o): refusing it", path,
                                 (unsigned)(st.st_mode & 07777));
        /* The directories above the file decide who can replace it: those of the path as given
         * (a symlink there can be re-pointed by whoever writes its directory) and those of the
         * file it resolves to. */
        real = realpath(path, NULL);
        if (!real)
                return error_set(err, -errno, "%s: cannot resolve: %s", path, strerror(errno));
        if (path[0] == '/') {
                given = strdup(path);
        } else {
                _cleanup_free_ char *cwd = getcwd(NULL, 0);
                if (cwd && asprintf(&given, "%s/%s", cwd, path) < 0)
                        given = NULL;
        }
        if (!given)
                return error_set(err, -ENOMEM, "out of memory");
        /* The usual case, a path with no symlink or dot in it: one walk checks both. */
        if (strcmp(given, real) == 0)
                return check_dirs_trusted(path, given, err);
        if ((r = check_dirs_trusted(path, given, err)) < 0)
                return r;
        return check_dirs_trusted(path, real, err);
}
