/* Bounded, symlink-aware reads of regular files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "util/error.h"

/* Opens name relative to dirfd read-only, O_CLOEXEC|O_NOCTTY|O_NONBLOCK (a FIFO cannot block
 * us), refusing anything but a regular file. With nofollow a symlink as last component is
 * refused too. Returns the fd or a negative errno; ret_st may be NULL. */
int fileio_open_regular(int dirfd, const char *name, bool nofollow, struct stat *ret_st,
                        struct hr_error *err);

/* Reads the whole file, refusing more than max bytes; the buffer is NUL-terminated. */
int fileio_read_all(int fd, size_t max, char **ret_buf, size_t *ret_len, struct hr_error *err);

/* The same, a big regular file's buffer mapped by util/bigmem.h: *ret_mapped is then the size to
 * bigmem_free() it with, 0 for a malloc'd buffer. For the spec, read on every start. */
int fileio_read_all_big(int fd, size_t max, char **ret_buf, size_t *ret_len, size_t *ret_mapped,
                        struct hr_error *err);

/* Splits path into a directory ("." when none) and a last component; both malloc'd. Refuses
 * an empty last component ("dir/"). */
int fileio_split_path(const char *path, char **ret_dir, char **ret_base, struct hr_error *err);

/* The name of a temporary file beside name: ".NAME.TAG-" and 16 random hex digits (name cut at
 * 200 bytes), in buf of FILEIO_TMPNAME_MAX. -EIO when the kernel gives no random bytes. */
#define FILEIO_TMPNAME_MAX 300
int fileio_tmpname(const char *name, const char *tag, char buf[static FILEIO_TMPNAME_MAX]);

/* Writes all len bytes, again after EINTR and a short write: 0, or -errno (-EIO when write()
 * writes nothing). */
int fileio_write_all(int fd, const char *data, size_t len);

/* Replaces path with data atomically: a temp file beside it with mode (and was's owner, when it
 * is not the caller's), fsync, rename over path, fsync of the directory; a reader sees the old
 * file or the new one, never a part. With check, path must still be the file was describes
 * (absent when was is NULL) just before the rename, else -EAGAIN and nothing changes. */
int fileio_replace(const char *path, const char *data, size_t len, mode_t mode,
                   const struct stat *was, bool check, struct hr_error *err);
