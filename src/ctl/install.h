/* Registering hardrun in an engine's own configuration file: the edit each engine needs, as a
 * pure function of the file's text, so that install and uninstall are testable without root. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

/* The name hardrun is registered under: Docker's runtime, containerd's CRI handler (and the
 * Kubernetes RuntimeClass handler), podman's runtime. */
#define INSTALL_RUNTIME_NAME "hardrun"

/* Largest engine configuration file read; real ones are a few KiB. */
#define INSTALL_CONFIG_MAX_BYTES (1u * 1024u * 1024u)

enum install_engine {
        INSTALL_DOCKER,
        INSTALL_CONTAINERD,
        INSTALL_PODMAN,
        _INSTALL_ENGINE_MAX,
        _INSTALL_ENGINE_INVALID = -EINVAL,
};

enum install_engine install_engine_from_string(const char *s);
const char *install_engine_to_string(enum install_engine e);
/* The file the engine reads (the one install edits without --config). */
const char *install_engine_default_config(enum install_engine e);

struct install_edit {
        /* in */
        const char *path; /* the file, for messages */
        const char *text; /* its content (NUL-terminated), or NULL when it does not exist */
        size_t len;
        const char *runtime; /* hardrun's absolute path */
        bool uninstall;
        bool make_default; /* install: make hardrun the engine's default runtime */
        /* out */
        char *out; /* the new content (malloc'd); NULL with remove or unchanged */
        size_t out_len;
        bool remove;    /* the file is to be removed */
        bool unchanged; /* nothing to do */
        FILE *notes;    /* lines for the admin: what changed, what was left alone */
};

/* Each returns 0 with the result in e, or a negative errno with a one-line reason in err:
 * -EINVAL for a file the edit cannot be made to safely (nothing is written then). */
int install_edit_docker(struct install_edit *e, struct hr_error *err);
int install_edit_containerd(struct install_edit *e, struct hr_error *err);
int install_edit_podman(struct install_edit *e, struct hr_error *err);
