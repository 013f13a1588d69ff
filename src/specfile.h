/* Safe I/O of the spec files hardrun rewrites (config.json, exec process files): opened
 * relative to their directory without following a symlink, size-bounded, replaced atomically. */
#pragma once

#include <stddef.h>
#include <sys/stat.h>

#include "util/error.h"

struct spec_file {
        int dirfd;
        char *name;    /* last path component */
        char *display; /* path as given, for messages */
        struct stat st;
        char *data;
        size_t len;
};

#define SPEC_FILE_INIT      \
        {                   \
                .dirfd = -1 \
        }

/* Opens and reads path (relative to the current directory, or absolute). The directory part
 * is trusted as the engine gave it; the file itself must be a regular file with one link. */
int spec_file_read(const char *path, size_t max, struct spec_file *ret, struct hr_error *err);

/* Replaces the file with data: a temporary file in the same directory, same mode and owner,
 * renamed over the original. The original is either kept
 * whole or replaced whole; nothing is left behind on failure. Refuses if the directory entry
 * no longer names the file that was read. */
int spec_file_replace(struct spec_file *f, const char *data, size_t len, struct hr_error *err);

void spec_file_done(struct spec_file *f);
