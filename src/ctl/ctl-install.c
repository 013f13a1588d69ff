/* hardrunctl install|uninstall: reads the engine's configuration file, lets the engine's edit
 * (install-*.c) compute the new text, and shows it as a diff (--dry-run) or replaces the file
 * atomically, keeping its mode and owner, then says what to reload. */
#include "ctl-install.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "install.h"
#include "linediff.h"
#include "util/cleanup.h"

const char *const ctl_install_engines[] = {"docker", "containerd", "podman", NULL};

static const struct engine_def {
        const char *config;
        int (*edit)(struct install_edit *e, struct hr_error *err);
        const char *apply; /* what makes the engine read the change */
        bool create_dir;   /* the file's directory is a drop-in directory we may create */
} engines[_INSTALL_ENGINE_MAX] = {
        [INSTALL_DOCKER] = {"/etc/docker/daemon.json", install_edit_docker,
                            "reload dockerd to apply it: systemctl reload docker (SIGHUP; "
                            "running containers keep the runtime they started with)",
                            false},
        [INSTALL_CONTAINERD] = {"/etc/containerd/config.toml", install_edit_containerd,
                                "restart containerd to apply it (it reads its configuration "
                                "only at start): systemctl restart containerd (running "
                                "containers keep running)",
                                false},
        [INSTALL_PODMAN] = {"/etc/containers/containers.conf.d/hardrun.conf", install_edit_podman,
                            "podman has no daemon: its next command reads it (restart 'podman "
                            "system service' if you run one)",
                            true},
};

enum install_engine install_engine_from_string(const char *s)
{
        for (int i = 0; i < _INSTALL_ENGINE_MAX; i++)
                if (strcmp(ctl_install_engines[i], s) == 0)
                        return (enum install_engine)i;
        return _INSTALL_ENGINE_INVALID;
}

const char *install_engine_to_string(enum install_engine e)
{
        return e >= 0 && e < _INSTALL_ENGINE_MAX ? ctl_install_engines[e] : "invalid";
}

const char *install_engine_default_config(enum install_engine e)
{
        return e >= 0 && e < _INSTALL_ENGINE_MAX ? engines[e].config : NULL;
}

/* The path goes into JSON and TOML strings and podman's arrays as it is: no quotes, backslashes
 * or control characters, which the formats would need escaped. */
static bool is_plain_path(const char *p)
{
        if (p[0] != '/')
                return false;
        for (; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\'' || *p == '\\')
                        return false;
        return true;
}

struct target {
        char *path; /* the file edited: the argument, or where its symlink points */
        bool exists;
        struct stat st; /* when it exists */
        char *text;
        size_t len;
};

static void target_done(struct target *t)
{
        free(t->path);
        free(t->text);
}

static int target_read(const char *name, struct target *t, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat lst;

        *t = (struct target){0};
        if (lstat(name, &lst) == 0 && S_ISLNK(lst.st_mode)) {
                /* Edit the file the link names, and keep the link. */
                t->path = realpath(name, NULL);
                if (!t->path)
                        return error_set(err, -errno, "%s: a symlink to nothing (%m)", name);
        } else if (!(t->path = strdup(name))) {
                return error_set(err, -ENOMEM, "out of memory");
        }
        fd = fileio_open_regular(AT_FDCWD, t->path, true, &t->st, err);
        if (fd == -ENOENT) {
                error_release(err);
                return 0;
        }
        if (fd < 0)
                return error_prefix(err, "%s: ", t->path);
        t->exists = true;
        if (fileio_read_all(fd, INSTALL_CONFIG_MAX_BYTES, &t->text, &t->len, err) < 0)
                return error_prefix(err, "%s: ", t->path);
        if (strlen(t->text) != t->len)
                return error_set(err, -EINVAL, "%s: contains a NUL byte; not changed", t->path);
        return 0;
}

/* The file's directory must be there (it tells the engine is installed), except a drop-in
 * directory, made on the way as podman's packages leave it out. */
static int ensure_dir(const char *path, bool create, bool dry_run, struct hr_error *err)
{
        _cleanup_free_ char *dir = NULL, *base = NULL;
        struct stat st;
        int r;

        if ((r = fileio_split_path(path, &dir, &base, err)) < 0)
                return r;
        if (stat(dir, &st) == 0)
                return S_ISDIR(st.st_mode) ? 0
                                           : error_set(err, -ENOTDIR, "%s: not a directory", dir);
        if (!create || errno != ENOENT)
                return error_set(err, -errno,
                                 "%s: %m (is the engine installed? --config FILE "
                                 "names another file)",
                                 dir);
        if (dry_run)
                return 0;
        if (mkdir(dir, 0755) < 0)
                return error_set(err, -errno, "cannot create %s: %m", dir);
        return 0;
}

/* The engine reads the old file or the new one, never a part; an edit made by someone else
 * since we read the file is not overwritten. */
static int write_atomic(const struct target *t, const char *data, size_t len, struct hr_error *err)
{
        return fileio_replace(t->path, data, len, t->exists ? t->st.st_mode & 07777 : 0644,
                              t->exists ? &t->st : NULL, true, err);
}

static void print_prefixed(FILE *out, const char *prefix, const char *text)
{
        for (const char *line = text; *line;) {
                const char *eol = strchrnul(line, '\n');
                fprintf(out, "%s: %.*s\n", prefix, (int)(eol - line), line);
                line = *eol ? eol + 1 : eol;
        }
}

static int show_diff(FILE *out, const struct target *t, const struct install_edit *e,
                     const char *verb, struct hr_error *err)
{
        _cleanup_free_ char *after = NULL;
        const struct linediff_text a = {t->exists ? t->path : "/dev/null", t->text ? t->text : "",
                                        t->len};
        struct linediff_text b = {"/dev/null", "", 0};

        if (!e->remove) {
                if (asprintf(&after, "%s (after hardrunctl %s)", t->path, verb) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                b = (struct linediff_text){after, e->out, e->out_len};
        }
        fflush(out);
        return linediff_unified(&a, &b, 3, out, err);
}

int ctl_install(FILE *out, FILE *errs, const struct ctl_install_args *a)
{
        enum install_engine engine = install_engine_from_string(a->engine);
        const char *verb = a->uninstall ? "uninstall" : "install";
        _cleanup_free_ char *notes = NULL;
        size_t notes_len = 0;
        struct target t = {0};
        struct install_edit e = {0};
        struct hr_error err = {0};
        struct stat st;
        int r, status = 2;

        if (engine < 0) {
                fprintf(errs, "hardrunctl: unknown engine '%s' (docker, containerd, podman)\n",
                        a->engine);
                return 2;
        }
        e.runtime = a->runtime ? a->runtime : HARDRUN_RUNTIME_PATH;
        if (!is_plain_path(e.runtime)) {
                fprintf(errs,
                        "hardrunctl: --runtime '%s': an absolute path without quotes, "
                        "backslashes or control characters\n",
                        e.runtime);
                return 2;
        }
        if (!a->uninstall &&
            (stat(e.runtime, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)))
                fprintf(errs,
                        "hardrunctl: warning: %s is not an executable file (yet): the "
                        "engine cannot start containers through it until it is\n",
                        e.runtime);
        if (target_read(a->config ? a->config : engines[engine].config, &t, &err) < 0 ||
            (!t.exists && !a->uninstall &&
             ensure_dir(t.path, engines[engine].create_dir && !a->config, a->dry_run, &err) < 0)) {
                fprintf(errs, "hardrunctl: %s\n", err.msg);
                goto out;
        }
        e.path = t.path;
        e.text = t.text;
        e.len = t.len;
        e.uninstall = a->uninstall;
        e.make_default = !a->no_default;
        e.notes = open_memstream(&notes, &notes_len);
        if (!e.notes) {
                fprintf(errs, "hardrunctl: out of memory\n");
                goto out;
        }
        r = engines[engine].edit(&e, &err);
        fclose(e.notes);
        e.notes = NULL;
        if (r < 0) {
                fprintf(errs, "hardrunctl: %s\n", err.msg);
                fputs(notes, out);
                status = r == -ENOMEM ? 2 : 1;
                goto out;
        }
        if (e.unchanged) {
                fprintf(out, "%s: %s\n", t.path,
                        a->uninstall ? "hardrun is not registered there; nothing to remove"
                                     : "hardrun is already registered; nothing to change");
                status = 0;
                goto out;
        }
        if (a->dry_run) {
                if (show_diff(out, &t, &e, verb, &err) < 0) {
                        fprintf(errs, "hardrunctl: %s\n", err.msg);
                        goto out;
                }
                status = 0;
                goto out;
        }
        if (e.remove)
                r = unlink(a->config ? a->config : engines[engine].config) < 0 && errno != ENOENT
                            ? error_set(&err, -errno, "cannot remove %s: %m", t.path)
                            : 0;
        else
                r = write_atomic(&t, e.out, e.out_len, &err);
        if (r < 0) {
                fprintf(errs, "hardrunctl: %s\n", err.msg);
                goto out;
        }
        print_prefixed(out, t.path, notes);
        if (e.remove && engine != INSTALL_PODMAN)
                fprintf(out, "%s: removed: nothing else was left in it\n", t.path);
        fprintf(out, "next: %s\n", engines[engine].apply);
        if (a->uninstall && engine != INSTALL_PODMAN)
                fprintf(out, "note: containers created through hardrun still name it: remove "
                             "them before you remove hardrun's binary\n");
        status = 0;
out:
        free(e.out);
        target_done(&t);
        return status;
}
