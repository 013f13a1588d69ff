/* Profiles compiled into the binary, so the built-in default policy needs no file at run time. */
#pragma once

#include <stddef.h>

#include "json.h"

/* The text of a built-in seccomp profile ("default", "strict"), NULL when there is none by that
 * name. */
const char *profile_builtin(const char *name, size_t *ret_len);

/* The same profile compiled at build time, for json_compiled_load(): no parsing at run time.
 * NULL when there is none by that name. */
const struct json_compiled *profile_builtin_compiled(const char *name);

/* The names of the built-in profiles, NULL-terminated. */
extern const char *const profile_builtin_names[];
