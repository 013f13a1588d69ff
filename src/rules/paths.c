/* Host paths resolved the way the kernel walks them for runc's and crun's mount(2): component by
 * component from / (or the bundle), symbolic links followed, ".." taken from the directory the
 * walk has reached. The result, not the text, goes through the deny list. */
#include "rules/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "rules/mounts.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/pathpattern.h"

/* The mounts rule's built-in deny list (rules/mounts.h), kept with the host path checks of every
 * rule that read it. */
const char *const mounts_default_deny[] = {
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/lib",
        "/lib32",
        "/lib64",
        "/libx32",
        "/proc",
        "/root",
        "/sbin",
        "/sys",
        "/usr",
        "/var/lib/docker",
        "/var/lib/containerd",
        "/var/lib/kubelet",
        "/var/lib/containers",
        "/var/lib/buildkit",
        "/run/containerd",
        "/run/docker",
        "/run/docker.sock",
        "/run/crio",
        "/run/podman",
        "/run/buildkit",
        "/run/containers",
        "/run/hardrun", /* hardrun's own state: other containers' ID-mapped mounts */
        NULL,
};

#define HOST_PATH_MAX_LINKS 40 /* the kernel's MAXSYMLINKS */
#define PROC_SUPER_MAGIC_ 0x9fa0

const char *host_path_status_to_string(enum host_path_status s)
{
        static const char *const names[_HOST_PATH_STATUS_MAX] = {
                [HOST_PATH_OK] = "resolved",
                [HOST_PATH_MAGIC] = "it walks through a /proc magic link",
                [HOST_PATH_LOOP] = "too many levels of symbolic links",
                [HOST_PATH_DOTDOT] = "'..' follows a component that does not exist",
                [HOST_PATH_TOO_LONG] = "longer than PATH_MAX once resolved",
                [HOST_PATH_NO_BUNDLE] = "the bundle directory cannot be resolved",
        };

        return s >= 0 && s < _HOST_PATH_STATUS_MAX ? names[s] : "invalid";
}

/* lstat() results of this process: thousands of bind sources under a few directories cost a
 * handful of calls. Entries live until exit (hardrun execs the runtime next); a path's answer
 * could only change through the same race that hardrun cannot close anyway. */
#define STAT_CACHE_SLOTS 1024
struct stat_entry {
        int err;
        struct stat st;
        char path[]; /* NUL-terminated */
};
/* Slots point to entries allocated as they come: a start that resolves a few paths touches a
 * few cache lines, not a 160 KiB table (a first touch of a page is a page fault). */
static struct stat_entry *stat_cache[STAT_CACHE_SLOTS];

static int cached_lstat(const char *path, struct stat *st)
{
        size_t i = hash_fnv1a_str(path) & (STAT_CACHE_SLOTS - 1), len;
        struct stat_entry *e = stat_cache[i];

        if (e && strcmp(e->path, path) == 0) {
                *st = e->st;
                return e->err;
        }
        len = strlen(path);
        e = malloc(sizeof(*e) + len + 1);
        if (!e)
                return lstat(path, st) < 0 ? -errno : 0;
        memcpy(e->path, path, len + 1);
        e->err = lstat(path, &e->st) < 0 ? -errno : 0;
        free(stat_cache[i]);
        stat_cache[i] = e;
        *st = e->st;
        return e->err;
}

/* Whether someone other than root (or the caller, who runs the runtime anyway) can rename or
 * replace the entry of dir named next (entry: its lstat, NULL when it does not exist yet). A
 * root-owned sticky directory (/tmp) protects the entries root owns. who (size bytes) names
 * that someone for the refusal message. */
static bool is_racy_entry(const struct stat *dir, const struct stat *entry, char *who, size_t size)
{
        static uid_t self = (uid_t)-1;
        bool trusted_owner;

        if (self == (uid_t)-1)
                self = geteuid();
        trusted_owner = dir->st_uid == 0 || dir->st_uid == self;

        if (trusted_owner && !(dir->st_mode & S_IWOTH) &&
            (!(dir->st_mode & S_IWGRP) || dir->st_gid == 0))
                return false;
        if (!trusted_owner) {
                snprintf(who, size, "its owner, uid %u,", (unsigned)dir->st_uid);
                return true;
        }
        if ((dir->st_mode & S_ISVTX) && entry && (entry->st_uid == 0 || entry->st_uid == self))
                return false;
        if ((dir->st_mode & S_ISVTX) && entry)
                snprintf(who, size, "the entry's owner, uid %u,", (unsigned)entry->st_uid);
        else if (dir->st_mode & S_IWOTH)
                snprintf(who, size, "any user");
        else
                snprintf(who, size, "any member of its group, gid %u,", (unsigned)dir->st_gid);
        return true;
}

static bool is_on_procfs(const char *dir)
{
        struct statfs sf;

        return statfs(dir, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC_;
}

/* Appends the components of tail to out (a canonical path of len bytes) as written, dropping
 * "." and empty ones; ".." is an error: the kernel cannot walk up from a missing directory. */
static enum host_path_status append_missing(char *out, size_t len, const char *tail)
{
        const char *c = tail, *start;
        size_t n;

        while ((n = rule_path_component(&c, &start)) > 0) {
                if (n == 2 && start[0] == '.' && start[1] == '.')
                        return HOST_PATH_DOTDOT;
                if (len + n + 2 > PATH_MAX)
                        return HOST_PATH_TOO_LONG;
                if (len > 1)
                        out[len++] = '/';
                memcpy(out + len, start, n);
                len += n;
                out[len] = '\0';
        }
        return HOST_PATH_OK;
}

/* An empty result of status s. The struct is two PATH_MAX buffers: clearing all of it cost more
 * than the walk on a spec with thousands of bind mounts. */
static void host_path_clear(struct host_path *hp, enum host_path_status s)
{
        hp->status = s;
        hp->resolved[0] = '\0';
        hp->exists = false;
        hp->mode = 0;
        hp->racy = false;
        hp->racy_dir[0] = '\0';
}

/* The kernel's walk of an absolute path. */
static int walk(const char *path, struct host_path *ret)
{
        char rest[2 * PATH_MAX], next[PATH_MAX + NAME_MAX + 2], target[PATH_MAX];
        char *cur = ret->resolved;
        size_t len = 1, pos = 0, next_len;
        struct stat cur_st, st;
        int links = 0, r;

        host_path_clear(ret, HOST_PATH_OK);
        if (strlen(path) >= sizeof(rest))
                return ret->status = HOST_PATH_TOO_LONG, 0;
        strcpy(rest, path);
        strcpy(cur, "/");
        if ((r = cached_lstat("/", &cur_st)) < 0)
                return r;
        for (;;) {
                const char *comp;
                size_t n;
                ssize_t t;

                while (rest[pos] == '/')
                        pos++;
                if (!rest[pos])
                        break;
                comp = rest + pos;
                n = strcspn(comp, "/");
                pos += n;
                if (n == 1 && comp[0] == '.')
                        continue;
                if (n == 2 && comp[0] == '.' && comp[1] == '.') {
                        char *slash = strrchr(cur, '/');
                        len = slash == cur ? 1 : (size_t)(slash - cur);
                        cur[len] = '\0';
                        if ((r = cached_lstat(cur, &cur_st)) < 0)
                                return r;
                        continue;
                }
                if (len + n + 2 > PATH_MAX)
                        return ret->status = HOST_PATH_TOO_LONG, 0;
                next_len = len;
                memcpy(next, cur, len);
                if (len > 1)
                        next[next_len++] = '/';
                memcpy(next + next_len, comp, n);
                next_len += n;
                next[next_len] = '\0';
                if (cached_lstat(next, &st) < 0 ||
                    (rest[pos] && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))) {
                        /* Missing (or not a directory): the engine may still create it; what
                         * follows is taken as written. */
                        if (!ret->racy &&
                            is_racy_entry(&cur_st, NULL, ret->racy_who, sizeof(ret->racy_who))) {
                                ret->racy = true;
                                snprintf(ret->racy_dir, sizeof(ret->racy_dir), "%s", cur);
                        }
                        ret->status = append_missing(cur, len, rest + pos - n);
                        return 0;
                }
                if (!ret->racy &&
                    is_racy_entry(&cur_st, &st, ret->racy_who, sizeof(ret->racy_who))) {
                        ret->racy = true;
                        snprintf(ret->racy_dir, sizeof(ret->racy_dir), "%s", cur);
                }
                if (S_ISLNK(st.st_mode)) {
                        size_t tail = strlen(rest + pos);
                        if (++links > HOST_PATH_MAX_LINKS)
                                return ret->status = HOST_PATH_LOOP, 0;
                        /* /proc/PID/root, fd/N, cwd: what readlink says is not where the kernel
                         * goes (another mount namespace, a deleted file). */
                        if (is_on_procfs(cur))
                                return ret->status = HOST_PATH_MAGIC, 0;
                        t = readlink(next, target, sizeof(target) - 1);
                        if (t < 0)
                                return -errno;
                        target[t] = '\0';
                        if ((size_t)t + tail + 2 > sizeof(rest))
                                return ret->status = HOST_PATH_TOO_LONG, 0;
                        memmove(rest + t + 1, rest + pos, tail + 1);
                        memcpy(rest, target, (size_t)t);
                        rest[t] = '/';
                        pos = 0;
                        if (target[0] == '/') {
                                strcpy(cur, "/");
                                len = 1;
                                if ((r = cached_lstat("/", &cur_st)) < 0)
                                        return r;
                        }
                        continue;
                }
                memcpy(cur, next, next_len + 1);
                len = next_len;
                cur_st = st;
        }
        ret->exists = true;
        ret->mode = cur_st.st_mode;
        return 0;
}

/* bundle + "/" + path, or path when it is absolute. */
static int join_bundle(const char *bundle, const char *path, char *out, size_t size)
{
        int n;

        if (path[0] == '/') { /* the usual case, thousands of times for a big spec */
                size_t len = strlen(path);
                if (len >= size)
                        return -ENAMETOOLONG;
                memcpy(out, path, len + 1);
                return 0;
        }
        if (bundle[0] == '/')
                n = snprintf(out, size, "%s/%s", bundle, path);
        else {
                char cwd[PATH_MAX];
                if (!getcwd(cwd, sizeof(cwd)))
                        return -errno;
                n = snprintf(out, size, "%s/%s/%s", cwd, bundle, path);
        }
        return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int host_path_resolve(const char *bundle, const char *path, struct host_path *ret)
{
        char full[2 * PATH_MAX];

        if (join_bundle(bundle, path, full, sizeof(full)) < 0) {
                host_path_clear(ret, HOST_PATH_TOO_LONG);
                return 0;
        }
        return walk(full, ret);
}

/* Go's filepath.Clean of an absolute path: ".." removes the component before it as text. */
static void clean_lexically(const char *in, char *out)
{
        const char *c = in, *start;
        size_t o = 0, n;

        while ((n = rule_path_component(&c, &start)) > 0) {
                if (n == 2 && start[0] == '.' && start[1] == '.') {
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                        continue;
                }
                out[o++] = '/';
                memcpy(out + o, start, n);
                o += n;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = '\0';
}

int host_path_resolve_lexical(const char *bundle, const char *path, struct host_path *ret)
{
        char full[2 * PATH_MAX], clean[2 * PATH_MAX];
        struct host_path b;
        int r;

        if (path[0] == '/')
                return host_path_resolve(bundle, path, ret);
        /* runc's os.Getwd() in the bundle: the bundle's canonical path. */
        if ((r = host_path_resolve(".", bundle, &b)) < 0)
                return r;
        if (b.status != HOST_PATH_OK || !b.exists || !S_ISDIR(b.mode)) {
                host_path_clear(ret, b.status != HOST_PATH_OK ? b.status : HOST_PATH_NO_BUNDLE);
                return 0;
        }
        if (snprintf(full, sizeof(full), "%s/%s", b.resolved, path) >= (int)sizeof(full)) {
                host_path_clear(ret, HOST_PATH_TOO_LONG);
                return 0;
        }
        clean_lexically(full, clean);
        return walk(clean, ret);
}

bool is_path_at_or_below(const char *a, const char *b)
{
        size_t n = strlen(b);

        if (strcmp(b, "/") == 0)
                return true;
        return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

bool host_path_matches_any(const char *const *patterns, const char *path)
{
        for (; patterns && *patterns; patterns++)
                if (path_pattern_matches(*patterns, path))
                        return true;
        return false;
}

/* is_path_at_or_below(a, b) || is_path_at_or_below(b, a) for b other than "/", in one pass
 * over the common prefix: thousands of bind sources meet every entry of the deny list. */
static bool is_path_related(const char *a, const char *b)
{
        size_t k = 0;

        if (a[0] == '/' && a[1] == '\0')
                return true;
        while (a[k] && a[k] == b[k])
                k++;
        return (b[k] == '\0' && (a[k] == '\0' || a[k] == '/')) || (a[k] == '\0' && b[k] == '/');
}

const char *host_path_denied(const char *const *deny, const char *resolved, const char **ret_how)
{
        for (const char *const *d = deny; *d; d++) {
                /* "/" is denied only as itself: everything lies below it. */
                bool hit = strcmp(*d, "/") == 0 ? strcmp(resolved, "/") == 0
                                                : is_path_related(resolved, *d);
                if (!hit)
                        continue;
                *ret_how = strcmp(resolved, *d) == 0           ? "denied host path"
                           : is_path_at_or_below(resolved, *d) ? "under a denied host path"
                                                               : "contains a denied host path";
                return *d;
        }
        return NULL;
}

/* One reading of the path: NULL when it passes, else what the policy wants instead. */
static const char *judge_reading(struct rule_ctx *ctx, const struct host_path *hp, const char *what,
                                 const char *const *allow, const char *note, char *buf, size_t size)
{
        const struct mounts_settings *mounts = mounts_settings(ctx->policy);
        const char *how;

        if (hp->status != HOST_PATH_OK) {
                snprintf(buf, size, "a %s the runtime resolves as hardrun does (%s)", what,
                         host_path_status_to_string(hp->status));
                return buf;
        }
        /* The deny list first: one pass, where most paths end; the allow list is dozens of
         * patterns and matters only for a denied path. */
        if (host_path_denied(mounts_deny(ctx->policy), hp->resolved, &how) &&
            !host_path_matches_any(allow, hp->resolved)) {
                snprintf(buf, size, "no %s '%s' (%s%s%s)", what, hp->resolved, how,
                         note ? ", in " : "", note ? note : "");
                return buf;
        }
        if (hp->racy && !(mounts && mounts->racy_sources)) {
                /* The way out is in the message: the refusal is often a developer's first
                 * contact with the policy (docker run -v ~/src:/src). */
                snprintf(buf, size,
                         "no %s '%s' through '%s': %s can swap an entry there for a symbolic "
                         "link between hardrun's check and the runtime's mount (TOCTOU); make "
                         "'%s' owned by root and writable by root alone, or allow it with the "
                         "policy key rules.mounts.racy_sources or an exemption from rule "
                         "'mounts'",
                         what, hp->resolved, hp->racy_dir, hp->racy_who, hp->racy_dir);
                return buf;
        }
        return NULL;
}

int host_path_judge(struct rule_ctx *ctx, const char *path, const struct json *before,
                    const char *value, const char *what, bool lexical, const char *const *allow,
                    const char *note, struct host_path *ret, bool *ret_refused,
                    struct hr_error *err)
{
        int r;

        *ret_refused = false;
        if ((r = host_path_resolve(ctx->bundle, value, ret)) < 0)
                return error_set(err, r, "%s: '%s': cannot resolve '%s': %s", ctx->file, path,
                                 value, strerror(-r));
        return host_path_judge_resolved(ctx, path, before, value, what, lexical, allow, note, ret,
                                        ret_refused, err);
}

int host_path_judge_resolved(struct rule_ctx *ctx, const char *path, const struct json *before,
                             const char *value, const char *what, bool lexical,
                             const char *const *allow, const char *note, const struct host_path *hp,
                             bool *ret_refused, struct hr_error *err)
{
        char wanted[3 * PATH_MAX + 512];
        const char *bad;
        struct host_path other;
        int r;

        *ret_refused = false;
        bad = judge_reading(ctx, hp, what, allow, note, wanted, sizeof(wanted));
        if (!bad && lexical && value[0] != '/') {
                if ((r = host_path_resolve_lexical(ctx->bundle, value, &other)) < 0)
                        return error_set(err, r, "%s: '%s': cannot resolve '%s': %s", ctx->file,
                                         path, value, strerror(-r));
                bad = judge_reading(ctx, &other, what, allow, note, wanted, sizeof(wanted));
        }
        if (!bad)
                return 0;
        *ret_refused = true;
        return rule_refuse(ctx, path, before, bad, err);
}
