/* hardrunctl install|uninstall ENGINE: register hardrun with Docker, containerd or podman in the
 * engine's own configuration file, or take the registration out again. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct ctl_install_args {
        const char *engine;  /* docker, containerd, podman */
        const char *config;  /* --config; NULL: the engine's own file */
        const char *runtime; /* --runtime; NULL: the installed hardrun */
        bool uninstall;
        bool dry_run;    /* print the unified diff, change nothing */
        bool no_default; /* install: register only, do not make hardrun the default */
};

/* Returns hardrunctl's exit status: 0 done (or nothing to do), 1 a file that cannot be edited
 * safely (what to paste by hand is printed), 2 a usage error or a file that cannot be read or
 * written. */
int ctl_install(FILE *out, FILE *errs, const struct ctl_install_args *a);

/* "docker", "containerd", "podman", NULL-terminated: for help and completion. */
extern const char *const ctl_install_engines[];
