/* Private null devices for the standard streams handed to crun (devnull.h says why). */
#include "devnull.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/cleanup.h"

static bool is_null_device(int fd)
{
        struct stat st;

        return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

/* A fresh node of the null device in /dev (devtmpfs allows nodes where a tmpfs may be nodev),
 * opened and unlinked at once: a random name, never an existing entry. */
static int private_null(void)
{
        _cleanup_close_ int dev = -1;
        _cleanup_close_ int fd = -1;
        unsigned long long rnd;
        char name[64];

        if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
                return -EIO;
        snprintf(name, sizeof(name), ".hardrun-null-%016llx", rnd);
        dev = open("/dev", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dev < 0)
                return -errno;
        if (mknodat(dev, name, S_IFCHR | 0666, makedev(1, 3)) < 0)
                return -errno;
        fd = openat(dev, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        (void)unlinkat(dev, name, 0);
        if (fd < 0)
                return -errno;
        return is_null_device(fd) ? TAKE_FD(fd) : -ENODEV;
}

/* An empty pipe's read end: end of file at once, as /dev/null reads. */
static int empty_pipe(void)
{
        int p[2];

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        close(p[1]);
        return p[0];
}

int devnull_private_stdio(void)
{
        _cleanup_close_ int null_fd = -1;
        bool tried = false;
        int replaced = 0;

        for (int fd = 0; fd <= 2; fd++) {
                _cleanup_close_ int pipe_fd = -1;
                int src, flags;

                if (!is_null_device(fd))
                        continue;
                if (!tried) {
                        tried = true;
                        null_fd = private_null();
                        null_fd = null_fd >= 0 ? null_fd : -1;
                }
                if (null_fd < 0 && fd == 0) {
                        pipe_fd = empty_pipe();
                        pipe_fd = pipe_fd >= 0 ? pipe_fd : -1;
                }
                src = null_fd >= 0 ? null_fd : pipe_fd;
                if (src < 0)
                        continue;
                /* Standard streams are not close-on-exec, but keep whatever this one was. */
                flags = fcntl(fd, F_GETFD);
                if (flags < 0 || dup3(src, fd, flags & FD_CLOEXEC ? O_CLOEXEC : 0) < 0)
                        return -errno;
                replaced++;
        }
        return replaced;
}
