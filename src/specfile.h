/* Safe I/O of the spec files hardrun rewrites (config.json, exec process files): opened
 * relative to their directory without following a symlink, size-bounded, replaced atomically. */
#pragma once

#include <stddef.h>
#include <sys/stat.h>

#include "util/error.h"

struct spec_file {
        int dirfd;
        int own_fd;    /* >= 0: the file is the caller's descriptor own_fd (spec_own_fd) */
        char *name;    /* last path component */
        char *display; /* path as given, for messages */
        struct stat st;
        char *data;
        size_t len;
        size_t data_mapped; /* data is a bigmem mapping of this size; 0: malloc'd */
};

#define SPEC_FILE_INIT                    \
        {                                 \
                .dirfd = -1, .own_fd = -1 \
        }

/* Opens and reads path (relative to the current directory, or absolute). The directory part
 * is trusted as the engine gave it; the file itself must be a regular file with one link. */
int spec_file_read(const char *path, size_t max, struct spec_file *ret, struct hr_error *err);

/* The descriptor an exec process path names when it is one of the caller's own open files,
 * which the runtime, after execve(), reopens through /proc: "/dev/fd/N" (`runc exec -p
 * <(...)`), "/proc/self/fd/N" and "/dev/stdin" (0). -1 for any other path, which
 * spec_file_read() handles. */
int spec_own_fd(const char *path);

/* Reads, once and up to max bytes, what the runtime would read at path, which spec_own_fd()
 * mapped to fd: a pipe is drained, a regular file read from its start. Refuses when /dev/fd or
 * /dev/stdin is not the kernel's /proc/self/fd link, when /proc is not procfs, when fd is not
 * open, and when it is a directory or a socket. */
int spec_file_read_own_fd(const char *path, int fd, size_t max, struct spec_file *ret,
                          struct hr_error *err);

/* Replaces the file with data. A file read by spec_file_read(): a temporary file in the same
 * directory, same mode and owner, renamed over the original; the original is either kept
 * whole or replaced whole, nothing is left behind on failure, and a directory entry that no
 * longer names the file read is refused. A descriptor read by spec_file_read_own_fd(): a
 * sealed memfd holding data takes the descriptor's number (its close-on-exec flag kept), so
 * the unchanged argv makes the runtime read exactly data, and nobody can change it after. */
int spec_file_replace(struct spec_file *f, const char *data, size_t len, struct hr_error *err);

void spec_file_done(struct spec_file *f);
