/* hardrunctl version: hardrun's version, the runtime it would exec and the libraries it uses. */
#pragma once

#include <stdio.h>

/* Writes one "name: value" line each: hardrun, the hardrun binary, the policy, the runtime (as
 * hardrun resolves it), the first line of that runtime's --version, libseccomp, yajl, libcap and
 * libmount. Returns 0, or 1 when the policy, the runtime or its version could not be read (the
 * line says why). */
int ctl_version_print(FILE *out, const char *policy_path);
