/* Scope-bound cleanup helpers (systemd / conmon naming), and visible ownership moves. */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(cleanup_freep)
#define _cleanup_close_ _cleanup_(cleanup_closep)
#define _cleanup_fclose_ _cleanup_(cleanup_fclosep)

static inline void cleanup_freep(void *p)
{
        free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

static inline void cleanup_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

/* Moves a pointer out of a cleanup-managed variable, leaving NULL behind. */
#define TAKE_PTR(p)                         \
        ({                                  \
                __typeof__(p) _taken = (p); \
                (p) = NULL;                 \
                _taken;                     \
        })

#define TAKE_FD(fd)                \
        ({                         \
                int _taken = (fd); \
                (fd) = -1;         \
                _taken;            \
        })

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
