/* Runtime lookup and the final execve: no fork, so exit status, stdio, fds, pid (LISTEN_PID)
 * and the engine's parent-death signal all stay the runtime's. */
#include "runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounds.h"
#include "util/cleanup.h"

extern char **environ;

/* Fixed, root-owned system directories: podman calls some subcommands with no PATH at all, and
 * a caller's PATH must not choose what runs as root. */
static const char *const trusted_dirs[] = {
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
};

/* Whether st is the binary at self_path (the one runtime_resolve_as() names), or with
 * self_path NULL, this process's own: the file at the path it was executed by. A stat() of that
 * path is a path walk, where /proc/self/exe costs a lookup under /proc first (some 15 µs, on
 * every call). The path may name another file by now (the binary replaced, a directory renamed,
 * a /dev/fd/N of fexecve() reused): then this process may exec itself once, and that exec, by an
 * absolute path that names it, refuses or skips itself. One hop more, never a loop. */
static bool is_self(const char *self_path, const struct stat *st)
{
        const char *execfn = self_path ? NULL : (const char *)getauxval(AT_EXECFN);
        struct stat self;
        bool found;

        if (self_path)
                found = stat(self_path, &self) == 0;
        else
                found = (execfn && *execfn && stat(execfn, &self) == 0) ||
                        stat("/proc/self/exe", &self) == 0;
        return found && self.st_dev == st->st_dev && self.st_ino == st->st_ino;
}

static bool is_executable_file(const char *path, struct stat *st)
{
        return stat(path, st) == 0 && S_ISREG(st->st_mode) && (st->st_mode & 0111);
}

static enum cli_dialect dialect_of(const char *path)
{
        _cleanup_free_ char *real = NULL;
        const char *base;
        char target;

        /* Only a symlink as the last component changes the name the binary has (runc linked to
         * crun): the walk of every directory above it (realpath()) is needed only then. */
        if (readlink(path, &target, 1) >= 0)
                real = realpath(path, NULL);
        base = strrchr(real ? real : path, '/');
        base = base ? base + 1 : path;
        /* crun and its handler links (crun-wasm, krun) parse argv with getopt. */
        if (strncmp(base, "crun", 4) == 0 || strcmp(base, "krun") == 0)
                return CLI_DIALECT_CRUN;
        return CLI_DIALECT_RUNC;
}

static int fill(struct runtime *rt, const char *path, const char *argv0)
{
        if (strlen(path) >= sizeof(rt->path) || strlen(argv0) >= sizeof(rt->argv0))
                return -ENAMETOOLONG;
        strcpy(rt->path, path);
        strcpy(rt->argv0, argv0);
        rt->dialect = dialect_of(path);
        return 0;
}

/* Looks name up in the trusted directories, skipping hardrun itself. */
static int lookup(const char *self_path, const char *name, char *ret, size_t size,
                  bool *ret_found_self)
{
        *ret_found_self = false;
        for (size_t i = 0; i < ELEMENTSOF(trusted_dirs); i++) {
                struct stat st;
                int n = snprintf(ret, size, "%s/%s", trusted_dirs[i], name);
                if (n < 0 || (size_t)n >= size)
                        return -ENAMETOOLONG;
                if (!is_executable_file(ret, &st))
                        continue;
                if (is_self(self_path, &st)) {
                        *ret_found_self = true;
                        continue;
                }
                return 0;
        }
        return -ENOENT;
}

int runtime_resolve(const struct policy *p, struct runtime *ret, struct hr_error *err)
{
        return runtime_resolve_as(p, NULL, ret, err);
}

int runtime_resolve_as(const struct policy *p, const char *hardrun_path, struct runtime *ret,
                       struct hr_error *err)
{
        static const char *const defaults[] = {"runc", "crun"};
        char path[PATH_MAX];
        struct stat st;
        bool self = false;

        if (p->runtime.path && p->runtime.path[0] == '/') {
                if (!is_executable_file(p->runtime.path, &st))
                        return error_set(err, -ENOENT,
                                         "%s: runtime '%s' is not an executable "
                                         "file",
                                         p->source, p->runtime.path);
                if (is_self(hardrun_path, &st))
                        return error_set(err, -ELOOP,
                                         "%s: runtime '%s' is hardrun itself, refusing to loop",
                                         p->source, p->runtime.path);
                if (fill(ret, p->runtime.path,
                         p->runtime.argv0 ? p->runtime.argv0 : p->runtime.path) < 0)
                        return error_set(err, -ENAMETOOLONG, "runtime path too long");
                return 0;
        }
        if (p->runtime.path) {
                if (lookup(hardrun_path, p->runtime.path, path, sizeof(path), &self) < 0)
                        return error_set(err, -ENOENT,
                                         "%s: runtime '%s' not found in /usr/local/sbin, "
                                         "/usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin%s",
                                         p->source, p->runtime.path,
                                         self ? " (only hardrun itself has that name)" : "");
                if (fill(ret, path, p->runtime.argv0 ? p->runtime.argv0 : p->runtime.path) < 0)
                        return error_set(err, -ENAMETOOLONG, "runtime path too long");
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                bool found_self;
                if (lookup(hardrun_path, defaults[i], path, sizeof(path), &found_self) == 0) {
                        if (fill(ret, path, p->runtime.argv0 ? p->runtime.argv0 : defaults[i]) < 0)
                                return error_set(err, -ENAMETOOLONG, "runtime path too long");
                        return 0;
                }
                self = self || found_self;
        }
        return error_set(err, -ENOENT,
                         "no runtime: neither runc nor crun is installed in /usr/local/sbin, "
                         "/usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin%s",
                         self ? " (only hardrun itself has those names)" : "");
}

int runtime_exec(const struct runtime *rt, char **argv, struct hr_error *err)
{
        /* argv[0] is ours to set; the rest is passed exactly as received. */
        char *saved = argv[0];

        argv[0] = (char *)rt->argv0;
        execve(rt->path, argv, environ);
        argv[0] = saved;
        return error_set(err, -errno, "cannot execute runtime '%s': %s", rt->path, strerror(errno));
}
