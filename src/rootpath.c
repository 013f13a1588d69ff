/* rootpath: resolve a path inside a container's root filesystem the way runc resolves a mount
 * destination before it mounts there (filepath-securejoin's SecureJoin), so that a rule judges
 * the directory runc will really use: in an image where /var/run links to /run, a volume at
 * /var/run/secrets lands below /run. */
#include "rootpath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* filepath-securejoin gives up after this many links, and runc with it. */
#define ROOTPATH_MAX_LINKS 255

int rootpath_open(const char *spec_file, const char *root_path)
{
        const char *slash = spec_file ? strrchr(spec_file, '/') : NULL;
        char path[PATH_MAX];
        int n;

        if (!root_path || !*root_path)
                return -1;
        /* runc runs in the bundle directory: a relative root.path is taken from there. */
        if (root_path[0] == '/' || !slash)
                n = snprintf(path, sizeof(path), "%s", root_path);
        else
                n = snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - spec_file), spec_file,
                             root_path);
        if (n < 0 || (size_t)n >= sizeof(path))
                return -1;
        return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Replaces the walk still to do (rest, inside pending) by target + "/" + rest. */
static int splice_link(char *pending, size_t size, const char *target, const char *rest)
{
        char joined[2 * PATH_MAX];
        int n = snprintf(joined, sizeof(joined), "%s/%s", target, rest);

        if (n < 0 || (size_t)n >= sizeof(joined) || (size_t)n >= size)
                return -ENAMETOOLONG;
        memcpy(pending, joined, (size_t)n + 1);
        return 0;
}

int rootpath_resolve(int root_fd, const char *path, char *out, size_t size)
{
        char pending[2 * PATH_MAX]; /* what is left to walk, link targets spliced in front */
        char cur[PATH_MAX] = "";    /* resolved so far: "" is the root, else "/a/b" */
        size_t cur_len = 0;
        unsigned links = 0;
        const char *p = pending;
        int n;

        n = snprintf(pending, sizeof(pending), "%s", path);
        if (n < 0 || (size_t)n >= sizeof(pending))
                return -ENAMETOOLONG;
        for (;;) {
                const char *comp, *end;
                char target[PATH_MAX];
                struct stat st;
                size_t len, before = cur_len;
                ssize_t t;
                int r;

                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                comp = p;
                end = strchrnul(p, '/');
                len = (size_t)(end - comp);
                p = end;
                if (len == 1 && comp[0] == '.')
                        continue;
                if (len == 2 && comp[0] == '.' && comp[1] == '.') {
                        /* Never above the root. */
                        while (cur_len > 0 && cur[cur_len - 1] != '/')
                                cur_len--;
                        if (cur_len > 0)
                                cur_len--;
                        cur[cur_len] = '\0';
                        continue;
                }
                if (cur_len + 1 + len >= sizeof(cur))
                        return -ENAMETOOLONG;
                cur[cur_len++] = '/';
                memcpy(cur + cur_len, comp, len);
                cur_len += len;
                cur[cur_len] = '\0';
                if (root_fd < 0)
                        continue;
                /* Every component before this one is a directory or missing: the kernel
                 * follows no link of the image's on the way to it. */
                if (fstatat(root_fd, cur + 1, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT || errno == ENOTDIR)
                                continue; /* runc creates it: kept as written */
                        return -errno;
                }
                if (!S_ISLNK(st.st_mode))
                        continue;
                if (++links > ROOTPATH_MAX_LINKS)
                        return -ELOOP;
                t = readlinkat(root_fd, cur + 1, target, sizeof(target));
                if (t < 0)
                        return -errno;
                if ((size_t)t >= sizeof(target))
                        return -ENAMETOOLONG;
                target[t] = '\0';
                /* The link is replaced by its target: an absolute one starts at the root. */
                cur_len = target[0] == '/' ? 0 : before;
                cur[cur_len] = '\0';
                if ((r = splice_link(pending, sizeof(pending), target, p)) < 0)
                        return r;
                p = pending;
        }
        n = snprintf(out, size, "%s", cur_len ? cur : "/");
        if (n < 0 || (size_t)n >= size)
                return -ENAMETOOLONG;
        return 0;
}
