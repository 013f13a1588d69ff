/* A path inside a container's root filesystem, resolved as runc resolves a mount destination
 * (filepath-securejoin): symlinks followed inside the root, absolute ones from the root, ".."
 * never above it, components that do not exist kept as written. */
#pragma once

#include <stddef.h>

/* The container's root directory, opened O_PATH: root_path (root.path) as runc takes it,
 * relative to the directory of spec_file (the bundle's config.json). -1 when it cannot be
 * opened: rootpath_resolve() then works on the text alone. */
int rootpath_open(const char *spec_file, const char *root_path);

/* Writes path, resolved inside root_fd (or only cleaned, when root_fd < 0), to out as an
 * absolute path. -ENAMETOOLONG when it does not fit, -ELOOP after 255 symlinks (runc refuses
 * such a destination too), another negative errno when a component cannot be inspected. */
int rootpath_resolve(int root_fd, const char *path, char *out, size_t size);
